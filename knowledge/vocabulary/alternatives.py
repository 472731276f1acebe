"""Alternatives to walking away, as the user names them -> the contract's keys.

Keys: refinance, loan_modification, forbearance, repayment_plan, short_sale, deed_in_lieu, bankruptcy,
foreclosure.  Walking away, strategic default, jingle mail, mailing the keys back and letting it
foreclose all mean ``foreclosure``.  Negation is not interpreted: "I want to avoid foreclosure" still
mentions foreclosure (the dialogue decides what to do with it).  Longest match wins: "deed in lieu of
foreclosure" is one ``deed_in_lieu``, "pre-foreclosure sale" one ``short_sale``.
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

from knowledge.vocabulary.mention import Mention

REFINANCE = "refinance"
LOAN_MODIFICATION = "loan_modification"
FORBEARANCE = "forbearance"
REPAYMENT_PLAN = "repayment_plan"
SHORT_SALE = "short_sale"
DEED_IN_LIEU = "deed_in_lieu"
BANKRUPTCY = "bankruptcy"
FORECLOSURE = "foreclosure"

#: All keys, in the contract's order.
KEYS: Tuple[str, ...] = (REFINANCE, LOAN_MODIFICATION, FORBEARANCE, REPAYMENT_PLAN, SHORT_SALE,
                         DEED_IN_LIEU, BANKRUPTCY, FORECLOSURE)

_S = r"[\s-]+"  # a space or a hyphen between words
_PATTERNS: List[Tuple[str, str, int]] = [
    # (regex, key, flags) -- case-insensitive unless flags say otherwise
    (r"deeds?" + _S + r"(?:in|and|n)" + _S + r"(?:lieu|leiu|lue|lieu?|loo|leu)(?:" + _S + r"of" + _S
     + r"(?:foreclosure|forclosure))?", DEED_IN_LIEU, re.I),
    (r"(?<![Mm]y\s)(?<![Oo]ur\s)(?<![Hh]is\s)(?<![Hh]er\s)\bDILs?\b", DEED_IN_LIEU, 0),
    (r"mortgage" + _S + r"release|(?:give|giving|hand|handing|sign|signing|deed|deeding|turn|turning)"
     + _S + r"(?:the\s+)?(?:deed|house|home|property|title)\s+(?:back\s+)?(?:over\s+)?(?:back\s+)?"
     r"to\s+the\s+(?:bank|lender|servicer)",
     DEED_IN_LIEU, re.I),
    (r"pre" + _S + r"foreclosure" + _S + r"sale|short" + _S + r"(?:sale|sales|sell|selling|sold|payoff)|shortsale|"
     r"short-?sell", SHORT_SALE, re.I),
    (r"(?:loan|mortgage|trial|permanent|perm|flex|streamline|hamp)" + _S + r"(?:modification|modifications|mods?)|"
     r"modification|modifications|modify(?:ing)?\s+(?:my|the|our)\s+(?:loan|mortgage|payments?|terms)|"
     r"\b(?:a|the|my|our|another)\s+mod\b|\bmod\s+(?:application|app|paperwork|offer|request|program)|"
     r"\bhamp\b|trial" + _S + r"(?:period" + _S + r")?plan|modified\s+(?:loan|mortgage)",
     LOAN_MODIFICATION, re.I),
    (r"for[e]?bear[ae]nce|forbearence|forebearence|forbarance|pause\s+(?:my|the|our)?\s*(?:mortgage\s+)?payments?",
     FORBEARANCE, re.I),
    (r"re-?payment" + _S + r"(?:plan|agreement|arrangement)|payment" + _S + r"plan|catch" + _S + r"up" + _S
     + r"(?:plan|arrangement)", REPAYMENT_PLAN, re.I),
    (r"re-?financ(?:e|ed|es|ing)|re-?fi(?:s|ed|ing|nance)?|re-?fy|refinanc\w*|\bharp\b|cash" + _S + r"out\s+refi\w*",
     REFINANCE, re.I),
    (r"bankrupt(?:cy|cies)?|bankrupcy|bankruptsy|bankrupcty|chapter\s*(?:7|13|seven|thirteen)\b|ch\.?\s*(?:7|13)\b",
     BANKRUPTCY, re.I),
    (r"\bBK\b", BANKRUPTCY, 0),
    (r"(?:let|letting|lets)\s+(?:it|the\s+(?:house|home|property))\s+(?:go\s+(?:in)?to\s+)?(?:foreclose|foreclosure)|"
     r"fore?clos(?:ure|ures|e|ed|es|ing)|forclos(?:ure|e|ed|ing)|walk(?:ing|ed|s)?" + _S + r"away|walkaway|"
     r"strategic" + _S + r"default(?:ing)?|jingle" + _S + r"mail|"
     r"(?:mail|mailing|send|sending|hand|handing|give|giving|drop|dropping|turn|turning)\s+(?:back\s+)?(?:the|my|our)\s+keys"
     r"(?:\s+back)?(?:\s+(?:in|to\s+the\s+(?:bank|lender)))?",
     FORECLOSURE, re.I),
]
_COMPILED = [(re.compile(r"(?<![A-Za-z0-9])(?:%s)(?![A-Za-z0-9])" % p, f), key) for p, key, f in _PATTERNS]


def find(text: str) -> List[Mention]:
    """Alternatives named in the text, left to right, non-overlapping (longest match wins)."""
    if not isinstance(text, str) or not text:
        return []
    text_ = text[:100_000]
    cands = []
    for rx, key in _COMPILED:
        for m in rx.finditer(text_):
            if m.end() > m.start():
                cands.append((m.start(), m.end(), key))
    # longest first, then leftmost; keep non-overlapping
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    chosen: List[Tuple[int, int, str]] = []
    covered = bytearray(len(text_))
    for s, e, key in cands:
        if not any(covered[s:e]):
            chosen.append((s, e, key))
            covered[s:e] = b"\x01" * (e - s)
    chosen.sort()
    return [Mention(s, e, text_[s:e], key) for s, e, key in chosen]


def normalize(text: str) -> Optional[str]:
    """The single alternative a short text names ("a mod" -> "loan_modification"), else None."""
    keys = {m.value for m in find(text)}
    return keys.pop() if len(keys) == 1 else None

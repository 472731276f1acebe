"""Which money an amount in a sentence is: the home's value, the total owed, the first or the second lien.

:func:`cue` reads the words around one amount and returns a :class:`Cue`.  The rules, in order:

1. Words right after the amount about other money or a difference ("20k in credit card debt",
   "50k underwater", "2100 a month", "80k more than it's worth") make it no role.
2. The nearest cue before the amount, in its sentence and after the previous amount (and the words
   that belong to that one: "550k on the first"), decides: "worth" -> home value, "owe" -> total
   owed, "first mortgage balance" -> first lien, "heloc" -> second lien, "payment" -> no role.
3. Without one, the words right after it decide: "260k left on the loan", "a 150k HELOC",
   "300 on the first", "a 300k house".
4. A total owed followed by its lien ("we owe 300 on the first") is that lien.

A cue is *strong* when it names the value or the balance itself ("worth", "owe", "payoff",
"on the first"); *weak* when it names only the loan ("my mortgage is 2400", "the heloc is 300",
"a 300k house"), which is also how people give a payment.  The phrases are data (:data:`_BEFORE`,
:data:`_AFTER`), one list per role and strength.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

HOME_VALUE = "home_value"
LOAN_BALANCE = "loan_balance"  # all mortgage debt on the home, or the one loan when no lien is named
FIRST_LIEN = "first_lien"
SECOND_LIEN = "second_lien"  # a second mortgage, HELOC or home-equity loan
ROLES = (HOME_VALUE, LOAN_BALANCE, FIRST_LIEN, SECOND_LIEN)

_LOOK_BEFORE = 80  # characters read before an amount
_LOOK_AFTER = 60  # and after it

_FIRST = r"(?:first|1st|primary|main)"
_SECOND = r"(?:second|2nd|junior)"
_LOAN = r"(?:mortgage|mtg|loan|lien|note)"
_HELOC = (r"(?:helocs?|home\s+equity\s+(?:loan|line)(?:\s+of\s+credit)?|equity\s+line(?:\s+of\s+credit)?|"
          r"piggy\s*-?\s*back(?:\s+loan)?)")
_BALANCE = r"(?:balance|payoff|pay-?off|principal)"
_WHOSE = r"(?:the|my|our|that|this)"
_ON = r"(?:on|of|for|in)"
# "the first is 300k", "our 2nd: 45k": a bare ordinal names a lien only right before what it is.
_IS = r"(?=\s+(?:one\s+)?(?:is|was|at|of|for|has)\b|\s*[:=])"
_FIRST_NAMED = r"(?:%s\s+%s|%s\s+%s%s)" % (_FIRST, _LOAN, _WHOSE, _FIRST, _IS)
_SECOND_NAMED = r"(?:%s|%s\s+%s|(?:%s|a)\s+%s%s)" % (_HELOC, _SECOND, _LOAN, _WHOSE, _SECOND, _IS)

# (role, strong, phrases) before the amount; within one position the first listed phrase wins.
_BEFORE: Sequence[Tuple[Optional[str], bool, Sequence[str]]] = [
    (None, False, [  # other money, a payment, a difference, a score
        r"(?:student|car|auto|personal|credit\s*card|medical|payday|business)\s+(?:loans?|debts?|bills?)",
        r"(?:mortgage\s+|monthly\s+|house\s+|loan\s+|heloc\s+|%s\s+|%s\s+)?payments?" % (_FIRST, _SECOND),
        r"monthly|per\s+month|a\s+month",
        r"income|salary|make|makes|making|earn|earns|paycheck|rent|rents|savings|saved|401k|retirement",
        r"bought|buy|purchased?|paid|pay\s+for|down\s+payment|closing\s+costs|taxes|tax\b|hoa|insurance",
        r"loan[\s-]+to[\s-]+value|ltv|credit\s+score|credit|fico|score|rate",
        r"underwater|under\s+water|upside[\s-]+down|negative\s+equity|equity|short\s+by|shortfall|deficiency|"
        r"difference|gap|more\s+than|less\s+than|over\s+what|lost|loss|down\s+by|dropped|fell",
    ]),
    (FIRST_LIEN, True, [r"%s(?:'s)?\s+%s" % (_FIRST_NAMED, _BALANCE),
                        r"%s\s+%s\s+%s\s+%s\b(?:\s+%s)?" % (_BALANCE, _ON, _WHOSE, _FIRST, _LOAN)]),
    (SECOND_LIEN, True, [r"%s(?:'s)?\s+%s" % (_SECOND_NAMED, _BALANCE),
                         r"%s\s+%s\s+(?:%s\s+)?(?:%s|%s\b(?:\s+%s)?)"
                         % (_BALANCE, _ON, _WHOSE, _HELOC, _SECOND, _LOAN)]),
    (FIRST_LIEN, False, [_FIRST_NAMED]),
    (SECOND_LIEN, False, [_SECOND_NAMED]),
    (HOME_VALUE, True, [
        r"worth|values?|valued|valuation|apprais\w*|zillow|zestimate|redfin|realtor|agent\s+(?:says|said|thinks)|"
        r"comps?|comparables?|market|listed|listing|list\s+(?:it|price)|asking|sell\w*|sold|go\s+for|get\s+for|"
        r"fetch|home\s+is|house\s+is|condo\s+is|place\s+is|property\s+is|estimated?|assessed",
    ]),
    (LOAN_BALANCE, True, [r"owe|owes|owed|owing|%s|pay\s+off|left\s+on|remaining" % _BALANCE]),
    (LOAN_BALANCE, False, [r"loans?|mortgages?|liens?|debt|still\s+have"]),
]

# (role, strong, phrases) right after the amount, when nothing before it decides.
_AFTER: Sequence[Tuple[Optional[str], bool, Sequence[str]]] = [
    (None, False, [r"(?:a|per|/)\s*(?:month|mo|year|yr)|monthly|income|salary|payments?|down|savings|student|car|"
                   r"credit"]),
    (FIRST_LIEN, True, [r"(?:(?:left|owed|owing|remaining|outstanding|still)\s+)?%s\s+%s\s+%s\b(?:\s+%s)?"
                        % (_ON, _WHOSE, _FIRST, _LOAN)]),
    (SECOND_LIEN, True, [r"(?:(?:left|owed|owing|remaining|outstanding|still)\s+)?%s\s+(?:%s|a)\s+(?:%s|%s\b(?:\s+%s)?)"
                         % (_ON, _WHOSE, _HELOC, _SECOND, _LOAN)]),
    (FIRST_LIEN, False, [r"%s\s+%s" % (_FIRST, _LOAN)]),
    (SECOND_LIEN, False, [_HELOC, r"%s(?:\s+%s)?(?!\s+(?:home|house|condo|property|place|job))" % (_SECOND, _LOAN)]),
    (LOAN_BALANCE, True, [
        r"(?:is\s+)?(?:what\s+)?(?:i|we)\s+(?:still\s+)?owe",
        r"(?:still\s+)?(?:left|owed|owing|remaining|outstanding)",
        r"(?:on|of)\s+(?:the|my|our)\s+(?:mortgage|loan)",
        r"balance|payoff|principal|in\s+debt",
    ]),
    (LOAN_BALANCE, False, [r"mortgage|loan|lien"]),
    (HOME_VALUE, True, [
        r"(?:is\s+)?(?:what\s+)?(?:it'?s|its|it\s+is|the\s+house\s+is|the\s+home\s+is)\s+worth",
        r"(?:in\s+)?(?:value|market\s+value|appraisal)",
    ]),
    (HOME_VALUE, False, [r"(?:home|house|condo|townhouse|townhome|property)\b(?!\s*(?:payments?|loans?|equity))"]),
]

# Right after the amount, whatever came before: other money or a difference -> no role.
_NOT_THIS_AFTER_RE = re.compile(
    r"^\s*(?:(?:dollars|bucks)\s+)?(?:"
    r"(?:a|per|/|each|every)\s*(?:month|mo|year|yr)\b|monthly\b|annually\b|yearly\b"
    r"|(?:or\s+so\s+)?(?:more\b|less\b|over\b|under\b|underwater|under\s+water|upside|short\b|above\b|below\b"
    r"|in\s+(?:negative\s+)?equity|of\s+(?:negative\s+)?equity|equity\b|than\b|in\s+the\s+hole|deficiency"
    r"|difference|gap)"
    r"|(?:in|of|on|for)?\s*(?:my\s+|our\s+|the\s+)?(?:credit\s*cards?|student|medical|car|auto|personal|payday"
    r"|business|savings|retirement|401k|cash|stocks?|back\s+taxes|taxes|hoa|income|salary)\b)",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[.!?;\n]\s|[!?;\n]")


def _compile(table: Sequence[Tuple[Optional[str], bool, Sequence[str]]], anchored: bool) -> "re.Pattern[str]":
    head = r"^\s*(?:(?:dollars|bucks)\s+)?" if anchored else r"\b"
    return re.compile(
        "|".join(r"(?P<c%d>%s(?:%s)\b)" % (i, head, "|".join(phrases)) for i, (_, _, phrases) in enumerate(table)),
        re.IGNORECASE,
    )


_BEFORE_RE = _compile(_BEFORE, anchored=False)
_AFTER_RE = _compile(_AFTER, anchored=True)


@dataclass(frozen=True)
class Cue:
    """What the words around an amount say: ``role`` (one of :data:`ROLES`, or None), ``strong``
    (they name the value or balance itself), ``found`` (some cue was there, maybe one for other
    money), ``consumed`` (characters right after the amount that belong to it)."""

    role: Optional[str]
    strong: bool
    found: bool
    consumed: int


def _window(text: str, start: int, end: int, lo: int, hi: int) -> Tuple[str, str]:
    left = text[max(lo, start - _LOOK_BEFORE, 0):start]
    ends = list(_SENTENCE_END_RE.finditer(left))
    if ends:
        left = left[ends[-1].end():]
    right = text[end:min(hi, end + _LOOK_AFTER, len(text))]
    stop = _SENTENCE_END_RE.search(right)
    return left, right[:stop.start()] if stop else right


def cue(text: str, start: int, end: int, lo: int = 0, hi: Optional[int] = None) -> Cue:
    """The cue of the amount ``text[start:end]``; ``lo``/``hi``: where the previous amount (with the
    words that belong to it) ends and the next one starts (the window never crosses them)."""
    left, right = _window(text, start, end, lo, len(text) if hi is None else hi)
    not_this = _NOT_THIS_AFTER_RE.match(right)
    if not_this:
        return Cue(None, False, True, not_this.end())
    before: List["re.Match[str]"] = list(_BEFORE_RE.finditer(left))
    after = _AFTER_RE.match(right)
    after_role, after_strong = (_AFTER[int(after.lastgroup[1:])][:2]) if after else (None, False)
    consumed = after.end() if after else 0
    if not before:
        return Cue(after_role, after_strong, after is not None, consumed)
    role, strong, _ = _BEFORE[int(before[-1].lastgroup[1:])]
    if role == LOAN_BALANCE and after_role in (FIRST_LIEN, SECOND_LIEN):
        return Cue(after_role, strong or after_strong, True, consumed)  # "we owe 300 on the first"
    return Cue(role, strong, True, consumed)

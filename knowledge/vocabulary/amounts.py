"""Dollar amounts: ``find`` them (with role and how they were read) in a sentence, ``parse`` a short
answer, read the ``answer`` to an amount question, ``implied_thousands`` of a bare figure, ``format_usd``.

What is an amount in a sentence (:func:`find`):

* a number with a currency sign or word: "$350,000", "$ 1,234.56", "350,000 dollars", "USD 5000";
* a number with a scale: "350k", "$210k", "1.2m", "1.2 million", "1.1 mil", "1.2 mill", "350 grand";
* number words with a scale or "dollars": "three hundred fifty thousand", "half a million",
  "a quarter mil", "one point two million", "five hundred dollars";
* a bare number of at least 1,000 ("about 190000", "I owe 85,000");
* a bare number in :data:`IMPLIED_THOUSANDS` (or a spoken price: "two fifty") with a strong role cue:
  thousands implied ("we owe like 338" -> 338000, "zillow says maybe two fifty" -> 250000), marked
  ``info={"implied": "thousands"}`` so the bot says it back;
* a range (:mod:`knowledge.vocabulary.amount_ranges`): "300-350k", "between 300 and 350 thousand",
  "3-400k", "low 300s", "the 300s"; the value is the middle, ``info={"range": [low, high]}``.
  A bare range ("around 280-300") counts like a bare number: only in thousands with a strong cue.

Not amounts: bare numbers below 1,000 without a strong cue ("2", "780"), bare years 1900-2099,
"in 98", tax forms ("1099-C", "form 1040"), numbers followed by %, months, years, payments, points,
sq ft, acres, units, minutes; phone numbers and dates; ZIP codes after a state; "401k" / "403b" (unless with "$",
or right after "owe": "we owe 401k, sorry i mean 410k").

Role (:mod:`knowledge.vocabulary.amount_roles`; ``None`` unless the words near the amount, or the
other amounts of the message, say): ``home_value``, ``loan_balance`` (the total owed, or the one
loan), ``first_lien``, ``second_lien`` (a second mortgage / HELOC).  The amounts of a message are
also read together (:func:`amount_roles.settle`): a correction takes the role of the amount it
corrects ("worth 300, well maybe 280"), a first and a second lien are balances ("the first is 220
and the heloc is 95"), "2 mortgages, 410 and 95" are the first and the second, a lien after a total
is its part ("owe 380 total, about 60 of that is the heloc").  Below :data:`MIN_PLAUSIBLE` an amount
is never a home value, and is a balance only with a strong cue ("owe", "payoff"): "my mortgage is
$2,400" is a payment.

Thousands are never implied for a weak cue ("my mortgage is 900", "the heloc is 300": payments; but
"the mortgage is 142", below :data:`amount_roles.PAYMENT_FLOOR`, and liens said as a pair are
balances), a payment, income or a difference ("payment is 1850 a month", "down by 40"), a credit
score, a year ("in 99"), or anything with "%", "months", "years".

:func:`parse` is for a short answer ("350k", "about $1.2 million", "three hundred fifty thousand"):
it also takes bare numbers of any size ("338" -> 338.0: the caller may apply
:func:`implied_thousands`) and returns None when the text holds no amount, two different ones, or a
range (use :func:`answer` or :func:`find` for its middle).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from knowledge.vocabulary import amount_numbers, amount_ranges, amount_roles
from knowledge.vocabulary._spans import Spans
from knowledge.vocabulary.amount_roles import FIRST_LIEN, HOME_VALUE, LOAN_BALANCE, MIN_PLAUSIBLE, ROLES, SECOND_LIEN
from knowledge.vocabulary.mention import Mention

__all__ = ["HOME_VALUE", "LOAN_BALANCE", "FIRST_LIEN", "SECOND_LIEN", "ROLES", "MIN_PLAUSIBLE",
           "IMPLIED_THOUSANDS", "MAX_TEXT", "find", "parse", "answer", "implied_thousands", "format_usd"]

# A bare figure that means thousands when it is a home value or a balance: low <= n < high.
# 20: below it a number is a count (kids, months, percent) far more often than a price, and a
# $15k home or balance is written "15k".  1000: from there a bare number already reads as dollars
# ("payoff is 4500", "I owe 2100 a month"), and a million is said "1.1 mil", not "1100".
IMPLIED_THOUSANDS = (20, 1000)
MAX_TEXT = 100_000

# Right before a bare figure: a year ("in 99", "since '05") or a change ("down 20", "by 40").
_NOT_THOUSANDS_BEFORE_RE = re.compile(r"(?:\b(?:in|since|circa|by|down|up)\s+|['\u2019])$", re.IGNORECASE)


def format_usd(x: float) -> str:
    """350000 -> "$350,000"; 1234.5 -> "$1,234.50"; -2000 -> "-$2,000" (whole dollars without cents).

    Raises ValueError for NaN and infinities.
    """
    x = float(x)
    if not math.isfinite(x):
        raise ValueError("not a finite amount: %r" % x)
    sign = "-" if x < 0 else ""
    dollars = int(abs(x))  # exact for any finite float, however large
    rest = round((abs(x) - dollars) * 100)
    if rest == 100:
        dollars, rest = dollars + 1, 0
    if rest == 0:
        return "%s$%s" % (sign, format(dollars, ","))
    return "%s$%s.%02d" % (sign, format(dollars, ","), rest)


def implied_thousands(value: float) -> Optional[float]:
    """A bare figure as thousands of dollars: 338 -> 338000.0 (a home value or a balance said the
    short way); None outside :data:`IMPLIED_THOUSANDS` (5, 1850, 350000) or for a non-number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    low, high = IMPLIED_THOUSANDS
    return float(value) * 1000 if low <= value < high else None


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    value: float  # dollars; for a bare candidate the figure as written
    bare: bool  # in thousands only with a strong cue: "338", "two fifty", "280-300"
    decade: bool = False  # "low 300s": money by itself, unless the cue is other money (a credit score)
    range: Optional[Tuple[float, float]] = None


def _candidates(text: str, relaxed: bool) -> List[_Candidate]:
    """Amount candidates, left to right, not overlapping; ``relaxed`` takes bare numbers of any size."""
    numbers = amount_numbers.scan(text)
    decades = amount_ranges.decades(text)
    taken = Spans((r.start, r.end) for r in decades)
    ranges = [r for r in amount_ranges.joined(text, numbers) if not taken.overlaps(r.start, r.end)]
    out = [_Candidate(r.start, r.end, r.middle, False, decade=True, range=(r.low, r.high)) for r in decades]
    joined = set()
    for r in ranges:
        joined.update((r.first, r.last))
        thousands = r.bare and implied_thousands(r.low) is not None and implied_thousands(r.high) is not None
        if not r.bare or thousands or r.low >= 1000:  # not "300-5000"
            out.append(_Candidate(r.start, r.end, r.middle, thousands, range=(r.low, r.high)))
    for i, n in enumerate(numbers):
        if i in joined or taken.overlaps(n.start, n.end):
            continue
        bare = n.bare and not relaxed and abs(n.number) < 1000
        if n.bare and amount_numbers.not_money(text, n) or bare and implied_thousands(n.number) is None:
            continue
        out.append(_Candidate(n.start, n.end, n.value, bare))
    out.sort(key=lambda c: c.start)
    return out


def _cues(text: str, cands: List[_Candidate]) -> List[amount_roles.Cue]:
    out: List[amount_roles.Cue] = []
    lo = 0
    for i, c in enumerate(cands):
        hi = cands[i + 1].start if i + 1 < len(cands) else len(text)
        cue = amount_roles.cue(text, c.start, c.end, lo, hi)
        lo = c.end + cue.consumed  # the words right after an amount are its own
        out.append(cue)
    read = [amount_roles.Amount(c.start, c.end, (implied_thousands(c.value) or c.value) if c.bare else c.value, c.bare)
            for c in cands]
    return amount_roles.settle(text, read, out)


def _kept(text: str, c: _Candidate, cue: amount_roles.Cue) -> bool:
    if c.bare:
        return bool(cue.role and cue.strong and not _NOT_THOUSANDS_BEFORE_RE.search(text[max(0, c.start - 8):c.start]))
    if c.decade:
        return cue.role is not None or not cue.found  # "credit score in the mid 600s" is no amount
    return True


def _mention(text: str, c: _Candidate, cue: amount_roles.Cue) -> Mention:
    info: Dict[str, Any] = {}
    value, role, rng = c.value, cue.role, c.range
    if c.bare:
        value = implied_thousands(value)
        rng = (implied_thousands(rng[0]), implied_thousands(rng[1])) if rng else None
        info["implied"] = "thousands"
    elif role and value < MIN_PLAUSIBLE and (role == HOME_VALUE or not cue.strong):
        role = None  # "my mortgage is $2,400": a payment, not a balance; no home is worth $5,000
    if rng:
        info["range"] = [rng[0], rng[1]]
    return Mention(c.start, c.end, text[c.start:c.end], value, role, info or None)


def find(text: str) -> List[Mention]:
    """Dollar amounts in a sentence, left to right: ``value`` in dollars (float), ``role`` (one of
    :data:`ROLES` or None), ``info`` None or ``{"range": [low, high]}`` / ``{"implied": "thousands"}``
    (both for "around 280-300").  Reads the first :data:`MAX_TEXT` characters; never raises."""
    if not isinstance(text, str) or not text:
        return []
    text_ = text[:MAX_TEXT]
    cands = _candidates(text_, relaxed=False)
    return [_mention(text_, c, cue) for c, cue in zip(cands, _cues(text_, cands)) if _kept(text_, c, cue)]


def parse(text: str) -> Optional[float]:
    """The amount of a short answer ("$350,000", "350k", "1.2 million", "about 190000", "338"), else None.

    Bare numbers count as written (338 -> 338.0).  None when the text holds no amount, two different
    amounts ("300k or 350k") or a range ("between 200k and 250k", "low 300s").
    """
    if not isinstance(text, str) or not text.strip() or len(text) > 1000:
        return None
    cands = _candidates(text, relaxed=True)
    if any(c.range for c in cands):
        return None
    values = {c.value for c in cands}
    if len(values) != 1:
        return None
    return values.pop()


def answer(text: str) -> Optional[Mention]:
    """A bare answer to "what is it worth?" / "how much do you owe?", read as that question means it.

    ``value`` in dollars: a figure in :data:`IMPLIED_THOUSANDS` without "$" is thousands ("338",
    "two fifty" -> 250000.0, ``info={"implied": "thousands"}``), other amounts as :func:`parse` reads
    them ("$338" -> 338.0, "1.1 mil"); a range is its middle ("around 250-275" -> 262500.0,
    ``info={"range": [250000.0, 275000.0], "implied": "thousands"}``; "low 300s" -> 315000.0).
    ``role`` None.  None when the text holds no amount or two different ones ("300k or 350k").
    """
    if not isinstance(text, str) or not text.strip() or len(text) > 1000:
        return None
    cands = _candidates(text, relaxed=True)
    if len({(c.value, c.range) for c in cands}) != 1:
        return None
    c = cands[-1]
    if c.range:
        return _mention(text, c, amount_roles.Cue(None, False, False, 0))
    implied = None if "$" in text else implied_thousands(c.value)
    info = {"implied": "thousands"} if implied else None
    return Mention(c.start, c.end, text[c.start:c.end], implied or c.value, None, info)

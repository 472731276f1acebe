"""How many months behind on the mortgage: ``parse`` a short answer, ``find`` in a sentence -> int.

Counted (digits or words, "a"/"one" = 1):

* "3 months behind", "three months late", "2 months past due", "4 months in arrears",
  "behind 3 months", "behind by about 3 months", "3 mos behind", "3mo behind";
* "missed two payments", "missed a payment", "missed my last 3 payments", "skipped 2 payments",
  "2 payments behind", "behind 2 payments", "haven't made 3 payments";
* "haven't paid in 6 months", "haven't paid the mortgage for six months", "stopped paying 3 months
  ago", "6 months without paying", "no payment for 4 months";
* "a year behind" -> 12, "two years behind" -> 24;
* "60 days late", "90 days past due" -> whole months of :data:`DAYS_PER_MONTH` days (2, 3), only with
  the delinquency word right after ("a 30-day late on my report", "45 days late" are not counted);
* "a couple months behind", "missed a couple of payments" -> 2;
* "missed last month's payment", "didn't make the last payment" -> 1;
* a short answer that is just a duration: "six months", "about 3 months", "3" (``parse``), and in
  :func:`find` a text that is nothing but a duration ("six months", "3 months now").

Not counted (unsafe): negated cues ("not behind", "haven't missed a payment", "never skipped one");
durations without a delinquency word ("I lost my job 6 months ago", "we bought
it two years ago", "in 3 months"); "not behind"; "a few/several months"; ranges ("3-4
months", "3 or 4 months"); fractions ("a month and a half"); "haven't paid since March" and "haven't
made a payment since January" (need today's date: "a payment" there is no payment at all, not one
missed); "3 late payments" (late, maybe caught up).  Approximations count as the number: "about 3",
"almost 3", "over 3", "more than 3 months behind" -> 3.
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

from knowledge.vocabulary import _numbers
from knowledge.vocabulary.mention import Mention

MAX_MONTHS = 600

_NUMWORDS = sorted(list(_numbers.UNITS) + list(_numbers.TENS), key=len, reverse=True)
_NUMBER = r"(?:[0-9]{1,3}|(?:%s)(?:[\s-]+(?:%s))?|an?|one)" % ("|".join(_NUMWORDS), "|".join(_NUMWORDS))
_UNIT = (
    r"(?P<unit>months?|mos?|mths?|mnths?|monthes|(?:(?:monthly|mortgage|house|home|loan)\s+)?payments?|"
    r"pymts?|pmts?|years?|yrs?)"
)
_QTY_RE = re.compile(
    r"(?<![A-Za-z0-9.,$\-])(?P<num>" + _NUMBER + r")(?:\s*-\s*|\s*)(?:full\s+|whole\s+|straight\s+|consecutive\s+)?"
    + _UNIT + r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)

# Right after the quantity: it is about being behind.
_RIGHT_CUE_RE = re.compile(
    r"^\s*(?:now\s+|already\s+|so\s+far\s+)?(?:behind|late|past[\s-]+due|overdue|delinquent|in\s+arrears|"
    r"in\s+default|without\s+(?:paying|a\s+payment|making\s+a\s+payment|payments?)|of\s+missed\s+payments?|"
    r"of\s+payments?\s+(?:missed|behind)|(?:that\s+)?i\s+(?:haven'?t|have\s+not|didn'?t|did\s+not)\s+paid?|"
    r"(?:that\s+)?(?:i|we)\s+(?:haven'?t|have\s+not)\s+(?:made|paid))",
    re.IGNORECASE,
)
# Before the quantity, in the same clause: it is about being behind / missing payments.
_LEFT_CUE_RE = re.compile(
    r"\b(?:behind|late|past[\s-]+due|overdue|delinquent|arrears|missed|miss|missing|skipped|skip|"
    r"haven'?t\s+(?:paid|made|been\s+paying|sent)|have\s+not\s+(?:paid|made|been\s+paying)|"
    r"hasn'?t\s+been\s+paid|not\s+(?:paid|paying|made)|didn'?t\s+(?:pay|make)|did\s+not\s+(?:pay|make)|"
    r"stopped\s+(?:paying|making)|quit\s+paying|no\s+payments?|without\s+paying|owe)\b",
    re.IGNORECASE,
)
_NEGATED_RE = re.compile(
    r"(?:\bnot|\bnever|n't|\bno\s+longer)\s+(?:[^\s,.;:!?]+\s+){0,3}(?:behind|late|delinquent|missed|miss|skipped|skip)\b",
    re.IGNORECASE,
)
# Named rules beside the quantity pattern (each read by :func:`find`):
#: Days count as months only in whole months of this many days ("60 days late" -> 2).
DAYS_PER_MONTH = 30
# "60 days late", "90-day past due": the quantity; the delinquency word must follow it
_DAYS_RE = re.compile(
    r"(?<![A-Za-z0-9.,$\-])(?P<num>" + _NUMBER + r")(?:\s*-\s*|\s*)(?P<unit>days?)(?![A-Za-z0-9])", re.IGNORECASE)
# "a 30-day late", "two 30 day lates": a late mark on a credit report, not days behind now
_DAYS_COUNTED_BEFORE_RE = re.compile(r"\b(?:an?|one|two|three|four|five|[0-9]+|my|the|some|any)\s+$", re.IGNORECASE)
# "a couple months behind", "missed a couple of payments": two
_COUPLE_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<num>(?:a\s+)?couple(?:\s+of)?)\s+(?P<unit>months?|mos?|(?:mortgage\s+)?payments?)"
    r"(?![A-Za-z0-9])", re.IGNORECASE)
# "missed last month's payment", "didn't make the last payment": one
_LAST_PAYMENT_RE = re.compile(
    r"\b(?:missed|skipped|(?:didn'?t|did\s+not|couldn'?t|could\s+not)\s+(?:make|pay))\s+(?:(?:the|my|our)\s+)?"
    r"(?P<what>last\s+month'?s\s+(?:mortgage\s+)?(?:payment|mortgage)"
    r"|(?:last|latest|most\s+recent)\s+(?:mortgage\s+)?payment)\b",
    re.IGNORECASE)
# "haven't made a payment (since January)": "a payment" after a negated "made/paid" is no payment at all
_NO_PAYMENT_BEFORE_RE = re.compile(
    r"\b(?:haven'?t|have\s+not|hasn'?t|has\s+not|didn'?t|did\s+not|not)\s+(?:made|make|paid|pay|sent|send)\s+$",
    re.IGNORECASE)
_CLAUSE_END_RE = re.compile(r"[.!?;\n]|\bbut\b|\bthough\b|\balthough\b", re.IGNORECASE)
_TIME_AFTER_RE = re.compile(r"^\s*(?:ago|from\s+now|later|before|after|old|earlier)\b", re.IGNORECASE)
_TIME_BEFORE_RE = re.compile(r"\b(?:in|within|next|last|past|every|each|per|first)\s+(?:the\s+)?$", re.IGNORECASE)
_RANGE_RE = re.compile(r"(?:[0-9]|\b(?:%s))\s*(?:-|to|or|/)\s*$" % "|".join(_NUMWORDS), re.IGNORECASE)
_RANGE_AFTER_RE = re.compile(r"^\s*(?:-|to|or|/)\s*(?:[0-9]|(?:%s)\b)" % "|".join(_NUMWORDS), re.IGNORECASE)
_VAGUE_BEFORE_RE = re.compile(r"\b(?:couple(?:\s+of)?|few|several|many|some)\s*$", re.IGNORECASE)
_HALF_AFTER_RE = re.compile(r"^\s*(?:and\s+a\s+half|\+|plus)", re.IGNORECASE)
_SHORT_FILLER_RE = re.compile(
    r"^(?:about|around|roughly|approximately|approx\.?|almost|nearly|over|just\s+over|more\s+than|like|"
    r"maybe|probably|i\s*(?:'|\u2019)?m|i\s+am|we\s*(?:'|\u2019)?re|we\s+are|it'?s|its|it\s+is|it\s+has\s+been|"
    r"it'?s\s+been|been|for|only|um+|uh+|so|now|already|just|exactly|total|in\s+total|,|\s)*$",
    re.IGNORECASE,
)
_SHORT_TAIL_RE = re.compile(r"^(?:now|so\s+far|already|total|or\s+so|ish|-ish|roughly|maybe|i\s+think|,|\.|!|\s)*$",
                            re.IGNORECASE)


def _number(text: str) -> Optional[int]:
    t = text.strip().lower()
    if t in ("a", "an", "one"):
        return 1
    if re.fullmatch(r"(?:a\s+)?couple(?:\s+of)?", t):
        return 2
    if t.isdigit():
        return int(t)
    v = _numbers.words_to_number(t)
    if v is None or v != int(v):
        return None
    return int(v)


def _months_of(num: str, unit: str) -> Optional[int]:
    n = _number(num)
    if n is None:
        return None
    u = unit.lower()
    if u.startswith("y"):
        n *= 12
    elif u.startswith("d"):
        if n % DAYS_PER_MONTH:
            return None
        n //= DAYS_PER_MONTH
    if not 0 <= n <= MAX_MONTHS:
        return None
    return n


def _clause(text: str, start: int, end: int) -> Tuple[str, str]:
    left = text[max(0, start - 80):start]
    ends = list(_CLAUSE_END_RE.finditer(left))
    if ends:
        left = left[ends[-1].end():]
    right = text[end:end + 60]
    stop = _CLAUSE_END_RE.search(right)
    if stop:
        right = right[:stop.start()]
    return left, right


def _accept(text: str, m: "re.Match", whole_answer: bool) -> bool:
    start, end = m.span()
    unit = m.group("unit").lower()
    num = m.group("num")
    left, right = _clause(text, start, end)
    if _RANGE_RE.search(text[max(0, start - 12):start]) or _RANGE_AFTER_RE.match(text[end:end + 12]):
        return False
    if _HALF_AFTER_RE.match(text[end:end + 15]):
        return False
    if num.lower() in ("a", "an") and _VAGUE_BEFORE_RE.search(text[max(0, start - 12):start]):
        return False
    if _NEGATED_RE.search(left + text[start:end] + right):
        return False
    is_payment = "p" in unit and not unit.startswith("mo") or "payment" in unit
    if _RIGHT_CUE_RE.match(text[end:end + 60]):
        return True
    if _LEFT_CUE_RE.search(left):
        if (not is_payment and _TIME_BEFORE_RE.search(left)
                and not re.search(r"\b(?:paid|made|paying|payments?)\b", left, re.I)):
            return False
        return True
    if is_payment:
        return False
    if whole_answer:
        if _TIME_AFTER_RE.match(right) or _TIME_BEFORE_RE.search(left):
            return False
        return bool(_SHORT_FILLER_RE.match(text[:start]) and _SHORT_TAIL_RE.match(text[end:]))
    return False


MAX_TEXT = 100_000


def find(text: str) -> List[Mention]:
    """Months-behind mentions in a sentence (value: int months); reads the first MAX_TEXT characters."""
    if not isinstance(text, str) or not text:
        return []
    text_ = text[:MAX_TEXT]
    whole_answer = len(text_) <= 60
    out: List[Mention] = []
    for m in _QTY_RE.finditer(text_):
        value = _months_of(m.group("num"), m.group("unit"))
        if value is None:
            continue
        no_payment = _NO_PAYMENT_BEFORE_RE.search(text_[max(0, m.start() - 40):m.start()])
        if value == 1 and "p" in m.group("unit").lower() and no_payment:
            continue  # "haven't made a payment since January"
        if _accept(text_, m, whole_answer):
            out.append(Mention(m.start(), m.end(), m.group(0), value))
    for m in _COUPLE_RE.finditer(text_):
        if _accept(text_, m, whole_answer):
            out.append(Mention(m.start(), m.end(), m.group(0), 2))
    for m in _DAYS_RE.finditer(text_):
        value = _months_of(m.group("num"), m.group("unit"))
        if (value and _RIGHT_CUE_RE.match(text_[m.end():m.end() + 60])
                and not _DAYS_COUNTED_BEFORE_RE.search(text_[max(0, m.start() - 12):m.start()])
                and _accept(text_, m, whole_answer)):
            out.append(Mention(m.start(), m.end(), m.group(0), value))
    for m in _LAST_PAYMENT_RE.finditer(text_):
        left, right = _clause(text_, m.start(), m.end())
        if not _NEGATED_RE.search(left + m.group(0) + right):
            out.append(Mention(m.start("what"), m.end(), m.group("what"), 1))
    out.sort(key=lambda x: x.start)
    return out


_BARE_RE = re.compile(
    r"^\s*(?:about|around|roughly|almost|nearly|over|more\s+than|like|maybe|just)?\s*(?P<n>[0-9]{1,3}|%s)\s*(?:or\s+so|ish)?\s*[.!]?\s*$"
    % "|".join(_NUMWORDS + ["zero", "none", "one", "a"]),
    re.IGNORECASE,
)


def parse(text: str) -> Optional[int]:
    """Months behind from a short answer: "3", "three", "3 months behind", "missed two payments", "none" -> 0.

    None when unclear (no count, two different counts, a vague "a few", a range).
    """
    if not isinstance(text, str) or not text.strip() or len(text) > 500:
        return None
    m = _BARE_RE.match(text)
    if m:
        n = m.group("n").lower()
        if n in ("none", "zero"):
            return 0
        if n == "a":
            return None
        v = _number(n)
        return v if v is not None and v <= MAX_MONTHS else None
    values = {x.value for x in find(text)}
    if len(values) == 1:
        return values.pop()
    return None

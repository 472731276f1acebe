"""Numbers in a sentence that may be money, and the context that says a bare one is not.

:func:`scan` lists every candidate left to right, without overlaps, as a :class:`Number`: digits with
their currency sign, scale and "dollars" ("$350,000", "350k", "1.2 mil", "500 bucks"), and runs of
number words ("three hundred fifty thousand", "half a million", "two fifty").  Whether a *bare*
number (no sign, scale or "dollars") is money depends on its neighbours: :func:`not_money` says when
it is not (a year, a tax form, "3 months", "780 credit score", "800-569-4287", "Tulsa, OK 74103").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import List, Optional

from knowledge.vocabulary import _numbers
from knowledge.vocabulary._spans import Spans

_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
_SCALE = (
    r"(?:\s*(?:thousand|grand|million|millions|mil|mill|billion)\b"
    r"|\s?[kK](?![A-Za-z0-9])|[mM]{1,2}(?![A-Za-z0-9])|\s?MM(?![A-Za-z0-9])|\s?mln\b)"
)
_NUMERIC_RE = re.compile(
    r"(?<![A-Za-z0-9.,$])"
    r"(?P<cur>\$\s?|(?:usd|US\$)\s?)?"
    r"(?P<num>" + _NUM + r")"
    r"(?P<scale>" + _SCALE + r")?"
    r"(?P<word>\s*(?:dollars|dollar|bucks|usd)\b)?"
    r"(?![0-9])",
    re.IGNORECASE,
)
_SCALE_VALUES = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "mm": 1e6, "mil": 1e6, "mill": 1e6,
                 "million": 1e6, "millions": 1e6, "mln": 1e6, "billion": 1e9}

# After a bare number: not money.
_NOT_MONEY_AFTER_RE = re.compile(
    r"^\s*(?:%|percent|per\s*cent|pct|months?|mos?\b|mths?|years?|yrs?|days?|weeks?|wks?|payments?|"
    r"points?|pts?|sq|square|sqft|sf\b|ft|feet|miles?|mi\b|min\b|mins|minutes?|people|kids|children|hours?|hrs?|"
    r"times|x\b|credit|fico|score|beds?|baths?|bedrooms?|am\b|pm\b|st\b|nd\b|rd\b|th\b|"
    r"acres?\b|acers\b|units?\b|plex|"
    r"-[0-9A-Za-z]|/[0-9]|:[0-9]|\.[0-9]|forms?\b)",
    re.IGNORECASE,
)
# Before a bare number: not money.
_NOT_MONEY_BEFORE_RE = re.compile(
    r"(?:[0-9][-/:]|[A-Za-z]-|\(\s*|#|form\s+|score\s+(?:of\s+|is\s+)?|fico\s+(?:of\s+|is\s+)?|zip\s*(?:code)?\s*(?:is\s+)?|"
    r"(?-i:\b[A-Z]{2}),?\s)$",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"(?:19|20)[0-9]{2}")
_TAX_FORMS = frozenset({"1098", "1099", "1040", "4506"})
# "3m behind" is three months, not three million.
_M_NOT_MILLION_RE = re.compile(r"\s*(?:behind|late|ago|overdue|past|delinquent|old|mark)\b", re.IGNORECASE)
_RETIREMENT_RE = re.compile(r"40[13]|457")
# Right before "401k": a balance ("we owe 401k, sorry i mean 410k"), not the retirement plan.
_OWED_BEFORE_RE = re.compile(
    r"\b(?:owe|owes|owed|owing)\s+(?:(?:about|around|like|roughly|maybe|just|only|almost|nearly|over)\s+)?$",
    re.IGNORECASE,
)
_RETIREMENT_PAREN_RE = re.compile(r"\s*\(\s*[kKbB]\s*\)")
# "-50000", "minus 50k" (not the dash of "300 - 350k")
_NEGATIVE_BEFORE_RE = re.compile(r"(?:(?<![\w$.,-])(?<![0-9km]\s)-\s?|\bminus\s+|\bnegative\s+)$", re.IGNORECASE)
_DOLLARS_AFTER_RE = re.compile(r"\s*(?:dollars|dollar|bucks)\b", re.IGNORECASE)
# After "a million" / "a grand": the phrase is an amount only when no noun follows it.
_A_SCALE_END_RE = re.compile(
    r"^\s*(?:$|[.,;:!?)\]-]|(?:and|or|but|on|in|for|to|with|left|now|so|total|maybe|i|it|we|still|"
    r"more|less|over|under|owed|owing|remaining|or\s+so)\b)",
    re.IGNORECASE,
)
_LEADING_GLUE_RE = re.compile(r"(?:(?:and|of|point)(?:\s+|\s*-\s*))*", re.IGNORECASE)
# Glue at the end of a run belongs to the words after it: "two fifty and the house ...".
_TRAILING_GLUE_RE = re.compile(r"(?:(?:\s+|\s*-\s*)(?:and|of|point|a|an))+$", re.IGNORECASE)


@dataclass(frozen=True)
class Number:
    """A number in the text: ``text[start:end]`` is "$350k", "338", "half a million", "two fifty".

    ``number`` is the figure before the scale ("1.2" of "1.2m"; a word run's whole value);
    ``scale`` the factor written after the digits (1e3 for "k", 1e6 for "mil"), None when none was;
    ``money_word`` a currency sign or word ("$", "USD", "dollars"); ``words`` for number words
    (whose scale is part of ``number``: "half a million" has number 500000.0, scale 1.0).
    """

    start: int
    end: int
    number: float
    scale: Optional[float]
    money_word: bool
    words: bool = False

    @property
    def value(self) -> float:
        """Dollars as written (the scale applied)."""
        return self.number * (self.scale or 1.0)

    @property
    def bare(self) -> bool:
        """Nothing but the figure: "338", "two fifty" (money or not, only the context can say)."""
        return self.scale is None and not self.money_word


def not_money(text: str, n: Number, start: Optional[int] = None, end: Optional[int] = None) -> bool:
    """Whether the bare number ``n`` is something else than money: a year, a tax form, "3 months",
    "780 credit score", a phone number, a ZIP code.  ``start``/``end``: the span whose neighbours are
    read (a range reads the words around the whole range), default ``n``'s own."""
    start = n.start if start is None else start
    end = n.end if end is None else end
    digits = text[n.start:n.end].strip().lstrip("-")
    if not n.words and (_YEAR_RE.fullmatch(digits) or digits in _TAX_FORMS):
        return True
    return bool(_NOT_MONEY_AFTER_RE.match(text[end:end + 20])
                or _NOT_MONEY_BEFORE_RE.search(text[max(0, start - 20):start]))


def _numeric(text: str) -> List[Number]:
    out: List[Number] = []
    for m in _NUMERIC_RE.finditer(text):
        cur, num, scale, word = m.group("cur"), m.group("num"), m.group("scale"), m.group("word")
        start, end = m.span()
        if num.startswith(".") and not (cur or scale):
            continue
        factor = None
        if scale:
            sc = scale.strip()
            if sc in ("m", "M", "mm", "MM") and _M_NOT_MILLION_RE.match(text[end:end + 20]):
                continue
            if _RETIREMENT_RE.fullmatch(num) and not cur and sc.lower() == "k" and \
                    not _OWED_BEFORE_RE.search(text[max(0, start - 30):start]):
                continue  # a 401k is a retirement account
            factor = _SCALE_VALUES.get(sc.lower(), 1.0)
        if _RETIREMENT_PAREN_RE.match(text[end:end + 6]) and not cur:
            continue  # 401(k), 403(b)
        number = float(num.replace(",", ""))
        if not math.isfinite(number * (factor or 1.0)):
            continue
        if _NEGATIVE_BEFORE_RE.search(text[max(0, start - 12):start]):
            number = -number  # "-50000", "minus 50k": kept negative so the form can re-ask
        out.append(Number(start, end, number, factor, bool(cur or word)))
    return out


def _word_runs(text: str, taken: Spans) -> List[Number]:
    out: List[Number] = []
    for m in _numbers.WORD_RUN_RE.finditer(text):
        s, e = m.span()
        if taken.overlaps(s, e):
            continue
        trailing = _TRAILING_GLUE_RE.search(m.group(0))
        e -= len(trailing.group(0)) if trailing else 0
        words = _numbers.tokens(text[s:e])
        while words and words[0] in ("and", "of", "point"):
            words = words[1:]
        if not words:
            continue
        after = text[e:e + 20]
        dollars = _DOLLARS_AFTER_RE.match(after)
        scaled = any(w in _numbers.SCALES for w in words)
        value = _numbers.words_to_number(words)
        if value is not None and not (scaled or dollars or "hundred" in words):
            continue  # "three", "twenty-five": a count far more often than a price
        if value is None:  # "two fifty", "two fifty k": a price said the short way
            tail = words[-1] if scaled and words[-1] in _numbers.SCALES else None
            hundreds = _numbers.spoken_hundreds(words[:-1] if tail else words)
            value = None if hundreds is None else float(hundreds * (_numbers.SCALES[tail] if tail else 1))
        if value is None or (not (scaled or dollars) and words[0] in ("a", "an")):
            continue  # "a hundred" alone is a figure of speech
        if len(words) == 2 and words[0] in ("a", "an") and not dollars and not _A_SCALE_END_RE.match(after):
            continue  # "a million thanks", "a grand idea": an idiom, not an amount
        lead = _LEADING_GLUE_RE.match(text[s:e])
        start = s + (lead.end() if lead else 0)
        end = e + (dollars.end() if dollars else 0)
        out.append(Number(start, end, value, 1.0 if scaled else None, bool(dollars), words=True))
    return out


def scan(text: str) -> List[Number]:
    """Every number in ``text`` that may be money, left to right, not overlapping (no context rules)."""
    numeric = _numeric(text)
    out = numeric + _word_runs(text, Spans((n.start, n.end) for n in numeric))
    out.sort(key=lambda n: n.start)
    return out

"""The numbers of the per-lien conditions: a loan's year, a lot's acres, a count of dwelling units.

Two uses: the value of a span the pipeline's lien ruler found (:func:`year`, :func:`acres`,
:func:`units` of "HELOC from 2007", "half an acre", "a 6-unit building"), and a bare reply to the
form's question (:func:`year_answer`, :func:`acres_answer`, :func:`units_answer`: "around 2010",
"'06", "about 3", "less than an acre", "2").  Number words go through ``text2num`` (via
:mod:`knowledge.vocabulary._numbers`); fractions of an acre are the way people say lots ("a quarter
acre", "1/4 acre", "two and a half acres").
"""

from __future__ import annotations

import re
from typing import List, Optional

from knowledge.vocabulary import _numbers

#: Loans the deficiency rules care about were made in these years (inclusive).
FIRST_YEAR, LAST_YEAR = 1950, 2026
#: Above this many units a building is commercial, not a home: a larger count is some other number.
MAX_UNITS = 500
#: Above this a number is no lot of a home (a year, a price, a ZIP code); the acreage limits of the
#: deficiency rules are far below it.
MAX_ACRES = 1000.0

_WORDS_RE = re.compile(r"\d+(?:\.\d+)?(?:/\d+)?|[a-z]+", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<![\d$])(\d{4})(?![\d,]|\s*k\b)|['\u2019](\d{2})\b")
# "less than an acre" / "under 2 acres": half the bound (only an acreage limit reads it, and those
# limits are far from the lots people call "under an acre").
_LESS = ("less", "under", "below")
_FRACTIONS = {"half": 0.5, "halves": 0.5, "quarter": 0.25, "quarters": 0.25, "third": 1 / 3, "thirds": 1 / 3}
_SKIP = {"acre", "acres", "acreage", "acers", "of", "lot", "about", "around", "roughly", "like", "approx",
         "approximately", "maybe", "just", "almost", "nearly", "close", "to", "the", "than", "and", "its", "it",
         "s", "is", "on", "we", "have", "a", "an", "ish", "prob", "probably", "little", "bit", "over"}
_HEDGED_ANSWER_RE = re.compile(r"^\W*(?:(?:about|around|roughly|approx\w*|maybe|like|prob\w*|i\s+think|"
                               r"it'?s|its|in|we\s+got\s+it\s+in|since|back\s+in|circa|~)\W*)*", re.IGNORECASE)


def _two_digit_year(yy: int) -> int:
    return 2000 + yy if 2000 + yy <= LAST_YEAR else 1900 + yy


def year(text: str) -> Optional[int]:
    """The last year of ``text`` between :data:`FIRST_YEAR` and :data:`LAST_YEAR` ("2007", "'06")."""
    if not isinstance(text, str):
        return None
    found = None
    for m in _YEAR_RE.finditer(text):
        value = int(m.group(1)) if m.group(1) else _two_digit_year(int(m.group(2)))
        if FIRST_YEAR <= value <= LAST_YEAR:
            found = value
    return found


def year_answer(text: str) -> Optional[int]:
    """The year a bare reply gives ("2007", "around 2010", "'06", "06"), else None."""
    if not isinstance(text, str) or len(text) > 200:
        return None
    said = year(text)
    if said is not None:
        return said
    rest = _HEDGED_ANSWER_RE.sub("", text.strip()).strip(" .!?")
    if re.fullmatch(r"0\d|[5-9]\d", rest):  # "06", "98": a year said short
        value = _two_digit_year(int(rest))
        return value if FIRST_YEAR <= value <= LAST_YEAR else None
    return None


def _number(word: str) -> Optional[float]:
    if word[0].isdigit():
        if "/" in word:
            top, bottom = word.split("/")
            return float(top) / float(bottom) if float(bottom) else None
        return float(word)
    return _numbers.words_to_number([word])


def quantity(text: str) -> Optional[float]:
    """The number of a few words about a size: "2.5", "two and a half", "half an", "1 1/2", "a quarter",
    "three quarters of an"; "less than an" halves its bound.  None when there is none."""
    words = [w.lower() for w in _WORDS_RE.findall(text or "")]
    less = any(w in _LESS for w in words)
    parts: List[float] = []
    counted = False  # a number word or digit was seen
    for w in words:
        if w in _FRACTIONS:
            if parts and counted and w.endswith("s"):  # "three quarters"
                parts[-1] *= _FRACTIONS[w]
            else:
                parts.append(_FRACTIONS[w])
            counted = False
        elif w in _SKIP or w in _LESS:
            continue
        else:
            n = _number(w)
            if n is None:
                return None
            if parts and counted and w.isalpha() and n < 100 and parts[-1] >= 20:  # "twenty five"
                parts[-1] += n
            else:
                parts.append(n)
            counted = True
    if not parts:
        value = 1.0 if any(w in ("a", "an", "one") for w in words) else None  # "an acre"
    else:
        value = sum(parts)
    if value is None or value <= 0:
        return None
    return value / 2 if less else value


def acres(text: str) -> Optional[float]:
    """Acres a span says: "5 acres" 5.0, "a 10-acre lot" 10.0, "half an acre" 0.5, "1/4 acre" 0.25."""
    value = quantity(text)
    return value if value is not None and value <= MAX_ACRES else None


def acres_answer(text: str) -> Optional[float]:
    """The acres of a bare reply to "how big is the lot?": "5", "about 3", "half an acre", "less than an acre"."""
    if not isinstance(text, str) or len(text) > 200 or re.search(r"\$|\d\s*k\b|sq|square|feet|ft", text, re.I):
        return None
    return acres(text)


def units(text: str) -> Optional[int]:
    """The count of a span ("a 6-unit building" 6, "4-plex" 4, "two family" 2), else None."""
    for w in _WORDS_RE.findall(text or ""):
        n = _number(w.lower()) if w[0].isdigit() or w.isalpha() else None
        if n is not None and float(n).is_integer() and 1 <= n <= MAX_UNITS:
            return int(n)
    return None


def units_answer(text: str) -> Optional[int]:
    """The units of a bare reply to "how many units?": "2", "4 units", "two"."""
    if not isinstance(text, str) or len(text) > 50:
        return None
    words = [w.lower() for w in _WORDS_RE.findall(text) if w.lower() not in _SKIP | {"units", "unit", "total"}]
    return units(words[0]) if len(words) == 1 else None

"""Ranges of money: "300-350k", "300 to 350k", "between 300 and 350 thousand", "3-400k", "low 300s".

A range's amount is its middle; the caller keeps ``low``/``high`` so the bot can say it took the
middle.  Two rules:

* :func:`joined` -- two numbers joined by "-", "to", or "between ... and": the end without a scale
  takes the other's ("300-350k" is 300k-350k); a one-digit start takes the hundreds of the end
  ("3-400k" is 300k-400k); the start must be below the end ("went from 400 to 300k" is no range,
  nor is "from 300k to 400k", a change over time).
* :func:`decades` -- "low 300s", "mid-400s", "high 200's", "upper 500s", "the 300s": hundreds of
  thousands, the way agents talk (low = the first 30k, mid = the middle 40k, high = the last 30k).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence

from knowledge.vocabulary.amount_numbers import Number, not_money


@dataclass(frozen=True)
class Range:
    """``text[start:end]`` is a range of dollars ``low``..``high``; ``bare`` when neither end has a
    currency sign or scale ("280-300": money, and in thousands, only by context); ``first`` and
    ``last`` index the two joined numbers (None for a decade)."""

    start: int
    end: int
    low: float
    high: float
    bare: bool
    first: Optional[int] = None
    last: Optional[int] = None

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2


_DASH_RE = re.compile(r"\s*[-\u2013\u2014]\s*|\s+to\s+", re.IGNORECASE)
_AND_RE = re.compile(r"\s+and\s+", re.IGNORECASE)
_BETWEEN_BEFORE_RE = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_FROM_BEFORE_RE = re.compile(r"(?<!anywhere\s)(?<!somewhere\s)\bfrom\s+$", re.IGNORECASE)

# (low, high) of each part of a hundred thousand, in thousands after its hundreds.
_PARTS = {"low": (0, 30), "lower": (0, 30), "mid": (30, 70), "middle": (30, 70),
          "high": (70, 100), "upper": (70, 100), "the": (0, 100)}
_DECADE_RE = re.compile(
    r"\b(?P<part>low|lower|mid|middle|high|upper|the)(?:\s*-\s*|\s+)(?:\$\s?)?(?P<hundreds>[1-9])00"
    r"(?:k|,000)?\s?['\u2019]?s\b",
    re.IGNORECASE,
)


def _joined_pair(text: str, numbers: Sequence[Number], i: int) -> Optional[Range]:
    a, b = numbers[i], numbers[i + 1]
    gap = text[a.end:b.start]
    before = text[max(0, a.start - 20):a.start]
    if a.words or b.words or a.number <= 0 or b.number <= 0:
        return None
    if not (_DASH_RE.fullmatch(gap) and not _FROM_BEFORE_RE.search(before)
            or _AND_RE.fullmatch(gap) and _BETWEEN_BEFORE_RE.search(before)):
        return None
    low_n, high_n = a.number, b.number
    if low_n in range(1, 10) and high_n in range(100, 1000, 100):
        low_n *= 100  # "3-400k"
    low, high = low_n * (a.scale or b.scale or 1.0), high_n * (b.scale or a.scale or 1.0)
    bare = a.bare and b.bare
    if not low < high or bare and (not_money(text, a, a.start, b.end) or not_money(text, b, a.start, b.end)):
        return None  # "350-300k"; "2019-2021", "3-4 months", "1-800-569-4287"
    return Range(a.start, b.end, low, high, bare, first=i, last=i + 1)


def joined(text: str, numbers: Sequence[Number]) -> List[Range]:
    """Ranges of two adjacent ``numbers`` (from :func:`amount_numbers.scan`), left to right."""
    out: List[Range] = []
    i = 0
    while i + 1 < len(numbers):
        r = _joined_pair(text, numbers, i)
        if r is None:
            i += 1
        else:
            out.append(r)
            i += 2
    return out


def decades(text: str) -> List[Range]:
    """ "low 300s" -> Range(300000, 330000); "the 300s" -> Range(300000, 400000)."""
    out = []
    for m in _DECADE_RE.finditer(text):
        lo, hi = _PARTS[m.group("part").lower()]
        base = int(m.group("hundreds")) * 100
        out.append(Range(m.start(), m.end(), (base + lo) * 1000.0, (base + hi) * 1000.0, bare=False))
    return out

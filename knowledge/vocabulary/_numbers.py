"""English number words -> float, read by ``text2num`` with what people add when they talk money.

``text2num`` (allo-media, pinned in pyproject) reads the cardinal: "three hundred fifty thousand",
"twenty-five", "twelve hundred". This module adds the rest: "a"/"an" for one ("a hundred thousand"),
"and" as glue ("three hundred and fifty"), decimals ("one point two million"), fractions of a scale
("half a million", "two and a half million", "a million and a half"), slang scales ("grand", "k",
"mil", "mill"), the common misspelling "fourty", and spoken hundreds ("two fifty" -> 250).

Internal helper of :mod:`knowledge.vocabulary.amounts` and :mod:`knowledge.vocabulary.months`.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence

from text_to_num import text2num

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES = {"thousand": 1_000, "grand": 1_000, "k": 1_000, "million": 1_000_000,
          "mil": 1_000_000, "mill": 1_000_000, "billion": 1_000_000_000}
FRACTIONS = {"half": 0.5, "quarter": 0.25}
GLUE = {"a", "an", "and", "of", "point"}

NUMBER_WORDS = set(UNITS) | set(TENS) | set(SCALES) | {"hundred"} | set(FRACTIONS) | GLUE

# One number-word token; a run is several of them separated by spaces or hyphens.
_WORD = r"(?:%s)" % "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
WORD_RUN_RE = re.compile(
    r"(?<![A-Za-z0-9])%s(?:(?:\s+|\s*-\s*)%s)*(?![A-Za-z0-9])" % (_WORD, _WORD), re.IGNORECASE
)
_SPLIT_RE = re.compile(r"[\s\-]+")
# What text2num knows by another name.
_SPELLING = {"grand": "thousand", "k": "thousand", "mil": "million", "mill": "million", "fourty": "forty"}


def tokens(text: str) -> List[str]:
    return [t for t in _SPLIT_RE.split(text.lower()) if t]


def _integer(words: Sequence[str]) -> Optional[float]:
    """Plain cardinal: "three hundred and fifty thousand", "a million" -> float. None if malformed.

    A cardinal starts with a number ("thousand", "hundred thousand" alone are None); "a"/"an" counts
    as one only first and before "hundred" or a scale; "and" only after "hundred" or a scale.
    """
    out: List[str] = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        if w in ("a", "an"):
            if i != 0 or not (nxt in SCALES or nxt == "hundred"):
                return None
            out.append("one")
        elif w == "and":
            if not out or not (words[i - 1] in SCALES or words[i - 1] == "hundred") or nxt not in NUMBER_WORDS:
                return None
        elif i == 0 and w not in UNITS and w not in TENS:
            return None
        else:
            out.append(_SPELLING.get(w, w))
    try:
        return float(text2num(" ".join(out), "en"))
    except ValueError:
        pass
    if len(out) > 2 and out[-1] in SCALES and not any(w in SCALES for w in out[:-1]):
        head = _integer(out[:-1])  # "twelve hundred thousand": text2num reads no hundreds of a scale
        return None if head is None else head * SCALES[out[-1]]
    return None


def _decimal(words: Sequence[str]) -> Optional[float]:
    """ "one point two [million]" -> 1.2 (x scale). None if malformed."""
    i = words.index("point")
    head = _integer(words[:i])
    digits = []
    j = i + 1
    while j < len(words) and words[j] in UNITS and UNITS[words[j]] < 10:
        digits.append(str(UNITS[words[j]]))
        j += 1
    rest = words[j:]
    if head is None or not digits or any(w in SCALES or w == "hundred" for w in words[:i]) or len(rest) > 1:
        return None
    if rest and rest[0] not in SCALES:
        return None
    return (head + float("0." + "".join(digits))) * (SCALES[rest[0]] if rest else 1)


def _fraction(words: Sequence[str]) -> Optional[float]:
    """ "[a] half [of] [a] million", "two and a half million", "a million and a half". None if malformed."""
    frac_idx = [i for i, w in enumerate(words) if w in FRACTIONS]
    if len(frac_idx) != 1:
        return None
    i = frac_idx[0]
    frac = FRACTIONS[words[i]]
    before, after = list(words[:i]), list(words[i + 1:])
    if before[-2:] == ["and", "a"]:
        head = before[:-2]
        if len(after) == 1 and after[0] in SCALES:  # two and a half million
            n = _integer(head)
            return None if n is None else (n + frac) * SCALES[after[0]]
        if not after and head and head[-1] in SCALES:  # a million and a half
            n = _integer(head)
            return None if n is None else n + frac * SCALES[head[-1]]
        return None
    if before not in ([], ["a"], ["one"]):
        return None
    rest = [w for w in after if w not in ("of", "a", "an")]
    if len(rest) == 1 and rest[0] in SCALES:
        return frac * SCALES[rest[0]]
    return None


def words_to_number(text_or_words) -> Optional[float]:
    """Value of a run of number words (a str or its tokens), or None when it is not a well-formed number.

    Handles cardinals ("twenty-five", "three hundred and fifty thousand", "one point two million"),
    "a million", "half a million", "a quarter million", "quarter of a million",
    "two and a half million", "a million and a half".  A scale or "hundred" needs a number before it
    ("thousand", "grand", "hundred thousand" alone are None).
    """
    words = tokens(text_or_words) if isinstance(text_or_words, str) else [w.lower() for w in text_or_words]
    while words and words[0] in ("and", "of"):
        words = words[1:]
    while words and words[-1] in GLUE:
        words = words[:-1]
    if not words:
        return None
    if any(w in FRACTIONS for w in words):
        return _fraction(words)
    if "point" in words:
        return _decimal(words)
    return _integer(words)


def spoken_hundreds(text_or_words) -> Optional[int]:
    """ "two fifty" -> 250, "three twenty-five" -> 325, "nine ninety nine" -> 999; else None.

    The way people say a price in thousands: a digit word then a number from 10 to 99.
    """
    words = tokens(text_or_words) if isinstance(text_or_words, str) else [w.lower() for w in text_or_words]
    if len(words) < 2 or UNITS.get(words[0], 0) not in range(1, 10):
        return None
    rest = _integer(words[1:])
    if rest is None or not 10 <= rest <= 99:
        return None
    return UNITS[words[0]] * 100 + int(rest)

"""English number words ("three hundred fifty thousand", "half a million", "one point two") -> float.

Internal helper of :mod:`knowledge.vocabulary.amounts` and :mod:`knowledge.vocabulary.months`.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence

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
          "mil": 1_000_000, "billion": 1_000_000_000}
FRACTIONS = {"half": 0.5, "quarter": 0.25}
GLUE = {"a", "an", "and", "of", "point"}

NUMBER_WORDS = set(UNITS) | set(TENS) | set(SCALES) | {"hundred"} | set(FRACTIONS) | GLUE

# One number-word token; a run is several of them separated by spaces or hyphens.
_WORD = r"(?:%s)" % "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
WORD_RUN_RE = re.compile(
    r"(?<![A-Za-z0-9])%s(?:(?:\s+|\s*-\s*)%s)*(?![A-Za-z0-9])" % (_WORD, _WORD), re.IGNORECASE
)
_SPLIT_RE = re.compile(r"[\s\-]+")


def tokens(text: str) -> List[str]:
    return [t for t in _SPLIT_RE.split(text.lower()) if t]


def _integer(words: Sequence[str]) -> Optional[float]:
    """Plain cardinal: "three hundred and fifty thousand" -> 350000. None if malformed."""
    total = 0.0
    current = 0.0
    last = None  # kind of the previous word: unit, ten, hundred, scale, a
    seen = False
    i = 0
    while i < len(words):
        w = words[i]
        if w == "and":
            if last not in ("hundred", "scale"):
                return None
            i += 1
            continue
        if w in ("a", "an"):
            if last is not None and last != "scale" and last != "hundred":
                return None
            nxt = words[i + 1] if i + 1 < len(words) else None
            if nxt not in SCALES and nxt != "hundred":
                return None
            current += 1
            last = "a"
        elif w in UNITS:
            if last in ("unit", "a") or (last == "ten" and UNITS[w] >= 10) or (last == "ten" and UNITS[w] == 0):
                return None
            current += UNITS[w]
            last = "unit"
            seen = True
        elif w in TENS:
            if last in ("unit", "ten", "a"):
                return None
            current += TENS[w]
            last = "ten"
            seen = True
        elif w == "hundred":
            if last not in ("unit", "ten", "a"):
                return None  # "hundred thousand" without a number: not ours to guess
            current = (current or 1) * 100
            last = "hundred"
            seen = True
        elif w in SCALES:
            if last not in ("unit", "ten", "a", "hundred", "point") or current == 0:
                return None  # a scale needs a number before it ("k", "grand" alone are not amounts)
            total += (current or 1) * SCALES[w]
            current = 0
            last = "scale"
            seen = True
        elif w == "point":
            # decimals: "one point two (million)"
            digits = []
            j = i + 1
            while j < len(words) and words[j] in UNITS and UNITS[words[j]] < 10:
                digits.append(str(UNITS[words[j]]))
                j += 1
            if not digits or last not in ("unit", "ten", None) or not seen:
                return None
            current += float("0." + "".join(digits))
            i = j
            last = "point"
            continue
        else:
            return None
        i += 1
    if not seen:
        return None
    return total + current


def words_to_number(text_or_words) -> Optional[float]:
    """Value of a run of number words, or None when it is not a well-formed number.

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
    # fractions of a scale: [a] half [of] [a] million ; [a] quarter [of] [a] million
    frac_idx = [i for i, w in enumerate(words) if w in FRACTIONS]
    if frac_idx:
        if len(frac_idx) != 1:
            return None
        i = frac_idx[0]
        frac = FRACTIONS[words[i]]
        before, after = words[:i], words[i + 1:]
        # "<n> and a half <scale>" / "<scale> and a half" / "[a] half [of] [a] <scale>"
        if before and before[-2:] == ["and", "a"]:
            head = before[:-2]
            if len(after) == 1 and after[0] in SCALES:
                n = _integer(head)
                return None if n is None else (n + frac) * SCALES[after[0]]
            if not after and head and head[-1] in SCALES:
                n = _integer(head)
                return None if n is None else n + frac * SCALES[head[-1]]
            return None
        if before not in ([], ["a"], ["one"]):
            return None
        rest = [w for w in after if w not in ("of", "a", "an")]
        if len(rest) == 1 and rest[0] in SCALES:
            return frac * SCALES[rest[0]]
        return None
    return _integer(words)

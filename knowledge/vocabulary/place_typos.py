"""Misspelled names of well-known U.S. cities: "pheonix", "tuscon", "sacremento", "san deigo".

A word -- or the last word of a two-word name whose first word is right ("san deigo") -- is read as
a city of at least ``place_data.WELL_KNOWN`` people when all hold:

* it has at least :data:`MIN_LETTERS` letters and starts with the name's letter (people rarely miss
  the first letter, and short words are close to everything);
* its optimal-string-alignment distance to the name (rapidfuzz ``OSA``: one insertion, deletion,
  substitution or swap of two neighbours counts one) is at most :func:`max_typos` of the name: one
  under 8 letters ("tuscon"), two from 8 ("cincinatti");
* no name in another state is as close;
* it is not an English word.  The dictionary is given once, when the pipeline is built
  (:meth:`Typos.build`), and only the words near a name are kept (:attr:`Typos.traps`: "denser" is
  never Denver, "settle" never Seattle).

Names that are everyday words themselves ("Mobile", "Orange") are no targets: "mobil" is a typo of
the word.  A real, smaller town named like a well-known city at least :data:`LOOKALIKE_SHARE` times
bigger with one letter missing or extra ("Pittsburg", CA, beside Pittsburgh, PA; "Orland", CA, beside
Orlando) keeps its own states and gets the city's in front (:func:`with_lookalikes`): the bot then
asks which one.  A different letter is not enough there ("Branson", MO is no Brandon, FL).

Needs ``rapidfuzz`` (C++ edit distances: transpositions count one, microseconds per word).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from knowledge.vocabulary import place_data, places

#: Shorter words are never read as misspellings.
MIN_LETTERS = 5
#: A town is a lookalike of a well-known city at least this many times bigger, one letter away.
LOOKALIKE_SHARE = 2


def max_typos(letters: int) -> int:
    """How many edits a name of ``letters`` letters may have in a misspelling: 1, or 2 from 8 letters."""
    return 1 if letters < 8 else 2


@dataclass(frozen=True)
class Target:
    """A well-known city's spelling: lower-case ``words`` ("san", "diego"), its ``states``, its ``name``."""

    words: Tuple[str, ...]
    states: Tuple[str, ...]
    name: str


def targets(entries: Iterable[places.Entry]) -> List[Target]:
    """The misspelling targets among ``entries``: one- and two-word spellings of well-known cities
    whose kind is ``name`` or ``context`` (not everyday words), in a stable order."""
    out: Dict[Tuple[str, ...], Target] = {}
    for e in entries:
        words = tuple(place_data.loose_key(e.text).split())
        if (e.kind in (places.NAME, places.CONTEXT) and not e.as_written and 1 <= len(words) <= 2
                and (e.population or 0) >= place_data.WELL_KNOWN and words[-1].isalpha()
                and len(words[-1]) >= MIN_LETTERS):
            out.setdefault(words, Target(words, e.states, e.text))
    return [out[k] for k in sorted(out)]


class Typos:
    """Finds the well-known city a misspelled word or word pair means (see the module doc)."""

    def __init__(self, found: Iterable[Target], traps: Iterable[str] = ()) -> None:
        self.targets: Tuple[Target, ...] = tuple(found)
        #: English words close to a name: never read as a misspelling.
        self.traps: frozenset = frozenset(traps)
        self._index: Dict[Tuple[Tuple[str, ...], str], List[Target]] = defaultdict(list)
        for t in self.targets:
            self._index[(t.words[:-1], t.words[-1][0])].append(t)

    @classmethod
    def build(cls, found: Iterable[Target], words: Iterable[str]) -> "Typos":
        """Targets plus the traps: the ``words`` (an English dictionary, lower case) near any target."""
        found = list(found)
        by_letter: Dict[str, List[str]] = defaultdict(list)
        for w in sorted(set(words)):
            if len(w) >= MIN_LETTERS and w.isalpha():
                by_letter[w[0]].append(w)
        traps: Set[str] = set()
        for last in sorted({t.words[-1] for t in found}):
            near = process.extract(last, by_letter.get(last[0], []), scorer=OSA.distance,
                                   score_cutoff=max_typos(len(last)), limit=None)
            traps.update(w for w, d, _ in near if d > 0)
        return cls(found, traps)

    def closest(self, words: Sequence[str]) -> Optional[Tuple[Target, int]]:
        """The target one or two lower-case ``words`` misspell, with the number of edits; None when
        none is close, the last word is exact, an English word or too short, or two states tie."""
        if not 1 <= len(words) <= 2:
            return None
        last = words[-1]
        if len(last) < MIN_LETTERS or not last.isalpha() or last in self.traps:
            return None
        best: List[Target] = []
        fewest = 0
        for t in self._index.get((tuple(words[:-1]), last[0]), ()):
            d = OSA.distance(last, t.words[-1], score_cutoff=max_typos(len(t.words[-1])))
            if d == 0 or d > max_typos(len(t.words[-1])):
                continue
            if not best or d < fewest:
                best, fewest = [t], d
            elif d == fewest:
                best.append(t)
        if not best or len({t.states for t in best}) > 1:
            return None
        return best[0], fewest

    def to_dict(self) -> Dict[str, list]:
        """JSON-able form (for the spaCy pipeline on disk)."""
        return {"targets": [[list(t.words), list(t.states), t.name] for t in self.targets],
                "traps": sorted(self.traps)}

    @classmethod
    def from_dict(cls, data: Dict[str, list]) -> "Typos":
        """The inverse of :meth:`to_dict`; KeyError / ValueError on a malformed dict."""
        return cls((Target(tuple(w), tuple(s), n) for w, s, n in data["targets"]), data["traps"])


def with_lookalikes(entries: Sequence[places.Entry], typos: Typos) -> List[places.Entry]:
    """``entries`` where a town named like a city :data:`LOOKALIKE_SHARE` times bigger with one letter
    missing or extra also lies in the city's states, first ("pittsburg": PA, then CA, KS).  Everyday
    words and well-known cities are kept as they are."""
    size = {t.words: 0 for t in typos.targets}
    for e in entries:
        words = tuple(place_data.loose_key(e.text).split())
        if words in size:
            size[words] = max(size[words], e.population or 0)
    out = []
    for e in entries:
        words = tuple(place_data.loose_key(e.text).split())
        found = None
        if (e.kind in (places.NAME, places.CONTEXT) and not e.as_written
                and 0 < (e.population or 0) < place_data.WELL_KNOWN):
            found = typos.closest(words)
        if (found and Indel.distance(words[-1], found[0].words[-1]) == 1
                and size[found[0].words] >= LOOKALIKE_SHARE * e.population):
            city = found[0].states
            e = replace(e, states=city + tuple(s for s in e.states if s not in city))
        out.append(e)
    return out

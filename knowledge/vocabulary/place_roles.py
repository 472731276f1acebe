"""Which places of a message are not the home's: where the owners live or moved, beside the house.

"bought a house in cape coral ... it's a vacation place, we live in ohio": Ohio is ``elsewhere``;
"we own a townhouse in Las Vegas that we moved out of when I got transferred to Denver": Denver is.

A place is ``elsewhere`` when both hold:

* the last cue before it in its sentence is a residence or move word ("live", "living", "reside",
  "moved", "relocated", "transferred", "pcs'd", "stationed", "deployed") and a preposition leads to it
  ("we live in ohio", "transferred to Denver", "pcs'd from san antonio to virginia");
* another place of the message, in another state, has a home word as the last cue before it ("house",
  "condo", "townhouse", "rental", "property", "place", "own", "bought"...: "a condo in miami",
  "the house in SA", "the rental is in Texas").

Otherwise no place gets a role: "we live in ohio" alone is the home's state, and so is a move
without a house named elsewhere ("we moved down to fl in 2018").
"""

from __future__ import annotations

import re
from typing import Hashable, List, Optional, Sequence, Set, Tuple

ELSEWHERE = "elsewhere"

#: How far back (characters, within the sentence) the cue before a place is looked for.
WINDOW = 80

_RESIDENCE_RE = re.compile(
    r"\b(?:live[sd]?|living|resid(?:e|es|ed|ing)|mov(?:e|ed|ing)|relocat(?:e|ed|ing)|transferr?(?:ed|ing)?|"
    r"pcs(?:['\u2019]?d|['\u2019]?ed|ing)?|stationed|deployed)\b",
    re.IGNORECASE)
_HOME_RE = re.compile(
    r"\b(?:house|home|condo|townhouse|townhome|property|rental|place|cabin|duplex|unit|apartment|"
    r"own|owned|bought|buy|purchased)\b",
    re.IGNORECASE)
_LEADS_TO_RE = re.compile(r"\b(?:in|to|at|near|outside(?:\s+of)?)\s+(?:the\s+)?$", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?;\n](?:\s|$)")


def _cue(text: str, start: int) -> Optional[str]:
    """"home", "residence" or None: the last cue before ``start`` in its sentence."""
    left = text[max(0, start - WINDOW):start]
    ends = list(_SENTENCE_END_RE.finditer(left))
    if ends:
        left = left[ends[-1].end():]
    home = [m.end() for m in _HOME_RE.finditer(left)]
    moved = [m.end() for m in _RESIDENCE_RE.finditer(left)]
    if moved and (not home or moved[-1] > home[-1]):
        return "residence" if _LEADS_TO_RE.search(left) else None
    return "home" if home else None


def elsewhere(text: str, places: Sequence[Tuple[int, Hashable]]) -> Set[int]:
    """Indexes of the ``places`` that are where the owners live or moved, not the home.

    ``places``: ``(start, key)`` of each location of ``text`` in order, ``key`` its state code or its
    candidate states (two locations with equal keys are the same state).  Never raises on a string.
    """
    if not isinstance(text, str) or len(places) < 2:
        return set()
    cues: List[Optional[str]] = [_cue(text, start) for start, _ in places]
    homes = {key for (_, key), cue in zip(places, cues) if cue == "home"}
    return {i for i, ((_, key), cue) in enumerate(zip(places, cues))
            if cue == "residence" and homes - {key}}

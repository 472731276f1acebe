"""Which places of a message are not the home's: where other people are, and where the owners live
or moved beside the house.

"my sister in denver says hi", "my parents live in tampa": Denver and Tampa are ``elsewhere``, even
when no other place is named: a relative or friend (:data:`PEOPLE`; not a spouse, who owns the home
with the user) is the last cue before the place in its sentence, with at most :data:`LINK_WORDS`
words between them that lead to it ("in", "up in", "who lives out in", "moved to", "are from") and
neither "I"/"we" nor a home word ("my wife and I live in ohio", "our family home in ohio" are the
home's).  Not after "near"/"by"/"with" ("a condo near my folks in tampa": the home is there too).

"bought a house in cape coral ... it's a vacation place, we live in ohio": Ohio is ``elsewhere``;
"we own a townhouse in Las Vegas that we moved out of when I got transferred to Denver": Denver is.
Where the owners live or moved is ``elsewhere`` when both hold:

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

#: People whose place is not the home: relatives and friends (spouses own the home with the user;
#: "family" also, but not "our family" / "the family", who are the owners, nor "family home").
PEOPLE = (
    "sister", "sis", "brother", "bro", "mom", "mum", "mother", "dad", "father", "parents", "folks",
    "in-laws", "inlaws", "cousin", "aunt", "uncle", "grandma", "grandpa", "grandmother",
    "grandfather", "grandparents", "son", "daughter", "niece", "nephew", "friend", "buddy", "relatives",
    "coworker", "co-worker", "boss",
)
#: Most words between a person and their place ("my brother who lives up in boston": 4).
LINK_WORDS = 4
_PERSON_RE = re.compile(r"(?<![\w-])(?:(?:%s)s?|(?<!our\s)(?<!the\s)famil(?:y|ies))(?![\w-])"
                        r"(?!\s+(?:home|house|place|property|farm)\b)"
                        % "|".join(re.escape(p) for p in PEOPLE), re.IGNORECASE)
# Right before the person: the place is theirs and the home's ("a condo near my folks in tampa").
_NEAR_RE = re.compile(r"\b(?:near|by|with|beside|next\s+to|close\s+to)\s+(?:(?:my|our|his|her|their|the)\s+)?$",
                      re.IGNORECASE)
_LINK_RE = re.compile(r"^(?:['\u2019]s)?(?:\s+(?!(?:i|we|me|us|our|my)\b)[\w'\u2019-]+){0,%d}?\s+"
                      r"(?:in|to|at|near|from|outside(?:\s+of)?)\s+(?:the\s+)?$" % (LINK_WORDS - 1),
                      re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?;\n](?:\s|$)")


def _cue(text: str, start: int) -> Optional[str]:
    """"person", "home", "residence" or None: the last cue before ``start`` in its sentence."""
    left = text[max(0, start - WINDOW):start]
    ends = list(_SENTENCE_END_RE.finditer(left))
    if ends:
        left = left[ends[-1].end():]
    home = [m.end() for m in _HOME_RE.finditer(left)]
    people = list(_PERSON_RE.finditer(left))
    if people and (not home or people[-1].end() > home[-1]) and _LINK_RE.match(left[people[-1].end():]) \
            and not _NEAR_RE.search(left[:people[-1].start()]):
        return "person"
    moved = [m.end() for m in _RESIDENCE_RE.finditer(left)]
    if moved and (not home or moved[-1] > home[-1]):
        return "residence" if _LEADS_TO_RE.search(left) else None
    return "home" if home else None


def elsewhere(text: str, places: Sequence[Tuple[int, Hashable]]) -> Set[int]:
    """Indexes of the ``places`` that are where other people are, or where the owners live or moved,
    not the home.

    ``places``: ``(start, key)`` of each location of ``text`` in order, ``key`` its state code or its
    candidate states (two locations with equal keys are the same state).  Never raises on a string.
    """
    if not isinstance(text, str):
        return set()
    cues: List[Optional[str]] = [_cue(text, start) for start, _ in places]
    homes = {key for (_, key), cue in zip(places, cues) if cue == "home"}
    return {i for i, ((_, key), cue) in enumerate(zip(places, cues))
            if cue == "person" or cue == "residence" and homes - {key}}

"""U.S. places -> states: cities, towns, counties, regions and ZIP codes, in sentences and short answers.

* :func:`lookup` -- a whole short answer to "which state?" ("phoenix", "portland", "the Inland
  Empire") -> its state codes, most populous first ("AZ",) / ("OR", "ME") / ("CA",); () if unknown.
* :func:`zip_state` -- a whole short answer that is a ZIP code ("48221", "zip 30303") -> "MI" / "GA".
* :func:`resolve` -- a sentence: decides which place spans proposed by the spaCy pipeline
  (``bot.nlu.place_patterns``) count, merges them with the sentence's state mentions
  (:func:`knowledge.vocabulary.states.find`) and ZIP codes, and returns :class:`Location` objects.
* :func:`entries` -- every place spelling with its states and :data:`KINDS` kind, for the patterns.

Data: :mod:`knowledge.vocabulary.place_data` (GeoNames cities and counties, regions.yaml, ZIP codes).

**What counts in a sentence** depends on the kind of the name (decided from data by :func:`kind`):

* ``name`` -- counts anywhere, in any case: multi-word names ("Grand Rapids", "Inland Empire",
  "Kansas City") and single-word cities of at least :data:`BIG_CITY` people ("phoenix", "Houston").
* ``context`` -- needs place context: smaller single-word towns ("Tyler", "Boise"), whose names are
  often people's names, and names made only of everyday words ("sugar land", "high point"; written
  with every word capitalized, "Sugar Land" counts anywhere).
* ``word`` -- an everyday English word ("reading", "surprise", "normal"): the user must capitalize it
  *and* give place context ("in Reading", "the Normal area"; not "on Independence Day": a capitalized
  word after it makes it part of another name), or name its state right after it ("reading pa",
  "Normal, IL").  "reading the contract", "what a surprise" never count.
* ``city_word`` -- an everyday word that names a city of at least ``place_data.WELL_KNOWN`` people
  ("mobile", "buffalo", "queens"): like ``word``, and also in lower case right after a residence
  phrase when the clause ends there ("we live in mobile", "in buffalo, house worth 150": "live /
  living / located / based in", "is / are / 'm / 're in", "moved to", or "in" opening a sentence).
  "a mobile home", "sorry on mobile", "buffalo wings", "we live in paradise lol" never count.
* ``qualified`` -- a small U.S. town named after a much bigger foreign city or a country ("Paris",
  "London", "Lebanon"), or after a month ("August", CA: "since august" is a date): only with its
  state right after it ("Paris, TX").

*Place context* is a preposition before the name ("in", "near", "outside (of)", "around", "from",
"by", "on", "into", "moved/down/out to", "suburb/north/city of", optionally "the"), "area" /
"metro" / "suburbs" after it, a state or a ZIP code right after it, or (not for ``word``) the whole
message being the name.  Misspelled names of well-known cities ("pheonix", "san deigo", from
:mod:`knowledge.vocabulary.place_typos`) are ``context`` names said back as the city ("Phoenix").
Region aliases written in their own case ("NoVA", "UP": everyday words otherwise) are ``name`` when
they have a capital inside, else ``word``.  In a message without lower-case letters, capitals say
nothing.  A one-word name right after "my wife", "our realtor", "named"... is a person ("my son Austin").

**Which state:** a state named right after the place decides ("Portland, Maine", "Kansas City MO",
"Phoenix, OR" -- the user knows best; a lower-case code that is also a word only when it is one of
the place's states and, for "or", "in", "me"..., ends the clause: "mobile al", "portland or." but not
"portland or seattle"); so does a ZIP code right after it ("Springfield 65802").
Otherwise a place in one state gives that state; a place in several gives a ``place`` location
with its states, unless the message names one of them elsewhere (then the state mention decides and
the place adds nothing).  A place that contains a state name hides it ("Virginia Beach", "Michigan
City", "Kansas City"); a place inside a state name does not count ("York" in "New York").

**Initials** of a multi-word place named earlier stand for it: "pcs'd from san antonio ... the
house in SA" (upper case, not a state code).

**Roles:** a location where the owners live or moved, in a message that ties another place to the
house, gets the role ``elsewhere`` (:mod:`knowledge.vocabulary.place_roles`).

**ZIP codes** count with ZIP context only: "zip", "zip code", "zipcode", "postal code" before them,
or right after a state or place ("Detroit, MI 48221"); elsewhere 48221 may be an amount.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from knowledge.vocabulary import place_data, place_roles, states
from knowledge.vocabulary.mention import Mention

NAME, CONTEXT, CITY_WORD, WORD, QUALIFIED = "name", "context", "city_word", "word", "qualified"
#: Kinds of place names, from the loosest to the strictest (see the module doc).
KINDS = (NAME, CONTEXT, CITY_WORD, WORD, QUALIFIED)

#: Single-word cities at least this big count without context ("Phoenix"; not "Tyler", "Boise").
BIG_CITY = 250_000
#: A town is ``qualified`` when a foreign namesake is 10x bigger and at least 1,000,000 people and the
#: town has fewer than 50,000 ("Paris, TX"; not Alexandria, VA, Melbourne, FL or Naples, FL).
FOREIGN_SHARE, FOREIGN_MIN, SMALL_TOWN = 10, 1_000_000, 50_000
#: An everyday word: its lower-case form has a log-probability of at least -14 in English text and
#: is written in lower case at least e^-1 (~37%) as often as capitalized.
COMMON_LOGPROB, COMMON_CASE_LOGRATIO = -14.0, -1.0


@dataclass(frozen=True)
class Entry:
    """One spelling to match (in any case; only as written when ``as_written``), the place's states
    (most populous first), its kind, the population of the city it names (None: not a city)."""

    text: str
    states: Tuple[str, ...]
    kind: str
    population: Optional[int] = None
    as_written: bool = False


@dataclass(frozen=True)
class Candidate:
    """A span of a sentence that spells a place: ``text[start:end]``, its states and kind; ``name``:
    what to say back when it is not the text itself (a misspelling: "Phoenix" for "pheonix")."""

    start: int
    end: int
    states: Tuple[str, ...]
    kind: str
    name: Optional[str] = None


@dataclass(frozen=True)
class Location:
    """Where the user is, read from ``text[start:end]``.

    ``state``: the USPS code, or None when the place lies in several ``states`` (most populous first;
    the bot asks which).  ``place``: what the state was read from, to say back ("Phoenix",
    "Inland Empire", "ZIP 48221"); None when the user named the state itself.  ``role``:
    ``place_roles.ELSEWHERE`` for where the owners live or moved when another place is the home's.
    """

    start: int
    end: int
    text: str
    state: Optional[str]
    states: Tuple[str, ...] = ()
    place: Optional[str] = None
    role: Optional[str] = None


# ---------------------------------------------------------------------------------------- kinds

#: English month names ("august"): a town of that name is ``qualified`` ("since August" is a date).
_MONTHS = frozenset(m.lower() for m in calendar.month_name if m)


def is_common_word(word: str, logprob: Callable[[str], Optional[float]]) -> bool:
    """True for an everyday English word ("mobile", "buffalo"), False for a name ("phoenix").

    ``logprob(form)``: natural-log probability of that exact form in English text, None if unseen
    (the project passes spaCy's ``lexeme_prob`` table).
    """
    low = logprob(word.lower())
    if low is None or low < COMMON_LOGPROB:
        return False
    title = logprob(word[:1].upper() + word[1:].lower())
    return title is None or low - title >= COMMON_CASE_LOGRATIO


def kind(spelling: str, place: place_data.Place, logprob: Callable[[str], Optional[float]],
         foreign: Dict[str, int]) -> str:
    """The kind of one spelling (see the module doc); ``foreign``: :func:`place_data.foreign_sizes`."""
    size = place.population or 0
    abroad = foreign.get(place_data.loose_key(spelling), 0)
    if place.source == "city" and abroad >= max(FOREIGN_MIN, FOREIGN_SHARE * size) and size < SMALL_TOWN:
        return QUALIFIED
    if place.source == "city" and spelling.lower() in _MONTHS:
        return QUALIFIED
    words = re.findall(r"[a-z]+", place_data.fold(spelling).lower())
    single = len(re.split(r"[\s\-]+", spelling.strip())) == 1
    if words and all(is_common_word(w, logprob) for w in words):
        if not single:
            return CONTEXT
        return CITY_WORD if place.source == "city" and size >= place_data.WELL_KNOWN else WORD
    if single and place.source == "city" and size < BIG_CITY:
        return CONTEXT
    return NAME


def entries(logprob: Callable[[str], Optional[float]]) -> List[Entry]:
    """Every spelling of every place with its states and kind, in a stable order (about 3 s), then
    the region aliases matched only as written ("NoVA": ``name``; "UP": ``word``)."""
    foreign = place_data.foreign_sizes()
    out = []
    for _, (place, spellings) in sorted(place_data.gazetteer().items()):
        for spelling in spellings:
            out.append(Entry(spelling, place.states, kind(spelling, place, logprob, foreign), place.population))
    for alias, place in place_data.as_written():
        out.append(Entry(alias, place.states, NAME if re.search(r"[a-z][A-Z]", alias) else WORD, as_written=True))
    return out


# ---------------------------------------------------------------------------------------- short answers

_ANSWER_FILLER_RE = re.compile(
    r"^(?:(?:i\s*(?:'|\u2019)?\s*m|i\s+am|we\s*(?:'|\u2019)?\s*re|we\s+are|i\s+live|we\s+live|"
    r"it\s*(?:'|\u2019)?\s*s|"
    r"its|it\s+is|the\s+house\s+is|my\s+house\s+is|just|right|somewhere|in|near|outside(?:\s+of)?|around|"
    r"from|by|close\s+to|a\s+suburb\s+of|suburbs?\s+of|the\s+city\s+of|the|um+|uh+|well)\s+)+",
    re.IGNORECASE,
)
_ANSWER_TRAIL_RE = re.compile(r"(?:\s+(?:area|metro|region|suburbs|please|thanks|thank\s+you))+$", re.IGNORECASE)
_ANSWER_STRIP = " \t\r\n.!?,;:'\"()[]*_`\u2019\u2018\u201c\u201d"
_ZIP_FILLER_RE = re.compile(
    r"^(?:(?:my|our|the|it\s*(?:'|\u2019)?\s*s|its|zip\s*code|postal\s+code|zip|is|was|:|#)\s*)+",
    re.IGNORECASE,
)


def _answer(text: str) -> str:
    t = text.strip(_ANSWER_STRIP)
    return _ANSWER_TRAIL_RE.sub("", _ANSWER_FILLER_RE.sub("", t)).strip(_ANSWER_STRIP)


def lookup(text: str) -> Tuple[str, ...]:
    """State codes of the place a whole short answer names, most populous first; () if none.

    "phoenix" -> ("AZ",); "just outside Houston" -> ("TX",); "Portland" -> ("OR", "ME");
    "the Inland Empire" -> ("CA",); "Narnia", "texas" (a state: use ``states.normalize``) -> ().
    Loads the gazetteer on first use (1-3 s: GeoNames, counties, ZIP list).
    """
    if not isinstance(text, str) or len(text) > 200:
        return ()
    for candidate in (text.strip(_ANSWER_STRIP), _answer(text)):
        found = place_data.gazetteer().get(place_data.loose_key(candidate))
        if found:
            return found[0].states
    return ()


def zip_state(text: str) -> Optional[str]:
    """USPS code of a whole short answer that is a ZIP code ("48221", "zip: 30303",
    "my zip is 48221-1234") -> "MI" / "GA"; None for anything else or an unknown ZIP."""
    if not isinstance(text, str) or len(text) > 60:
        return None
    m = re.fullmatch(r"(\d{5})(?:-\d{4})?", _ZIP_FILLER_RE.sub("", text.strip(_ANSWER_STRIP)).strip(_ANSWER_STRIP))
    return place_data.zip_state(m.group(1)) if m else None


# ---------------------------------------------------------------------------------------- sentences

_BEFORE_RE = re.compile(
    r"(?:\b(?:in|near|nearby|outside|around|from|by|on|into|out\s+of)"
    r"|\b(?:outside|suburbs?|outskirts|city|town|village|area|part|north|south|east|west|northeast|northwest"
    r"|southeast|southwest)\s+of"
    r"|\b(?:mov(?:e|ed|ing)|relocat(?:e|ed|ing)|down|out|over|back|close|closer)\s+to)"
    r"\s+(?:the\s+)?(?:city\s+of\s+|town\s+of\s+)?$",
    re.IGNORECASE,
)
_AFTER_RE = re.compile(
    r"(?:['\u2019]s)?[\s-]+(?:metro(?:politan)?|area|suburbs?|region|vicinity|outskirts)\b", re.IGNORECASE)
_PERSON_BEFORE_RE = re.compile(
    r"\b(?:wife|husband|spouse|partner|son|daughter|kid|child|brother|sister|mom|mother|dad|father|friend|"
    r"fianc[eé]e?|ex|boss|neighbou?r|lawyer|attorney|realtor|agent|broker|named|called)\s*,?\s*$", re.IGNORECASE)
_NEXT_NAME_RE = re.compile(r"[ \t]+[A-Z][a-z]")
# Before a lower-case ``city_word``: "we live in", "house is in", "moved to", "in" opening a sentence
_RESIDENCE_RE = re.compile(
    r"(?:(?:^|[.!?;,:(\n])\s*|(?:\b(?:live[sd]?|living|located|based|is|are|am|was|were|im)|['\u2019](?:s|re|m))\s+)"
    r"(?:(?:just|right|now)\s+)?(?:in|near|outside(?:\s+of)?)\s+$"
    r"|\b(?:mov|relocat)(?:e|ed|ing)\s+(?:(?:down|out|over|back)\s+)?to\s+$",
    re.IGNORECASE)
# Nothing more in the clause after a name: end, punctuation
_CLAUSE_END_RE = re.compile(r"[ \t]*(?:$|[.!?;,:)\n]|-[ \t])")
_GAP_RE = re.compile(r"[ \t]*,?[ \t]*\(?")
_CODE_AT_RE = re.compile(r"([A-Za-z]{2})(?![A-Za-z0-9]|\.[A-Za-z])")
_ZIP_AT_RE = re.compile(r"[ \t]*,?[ \t]*(\d{5})(?:-\d{4})?(?![\d]|[.,]\d)")
_ZIP_RE = re.compile(r"(?<![\w$.,])(\d{5})(?:-\d{4})?(?![\w%]|[.,]\d)")
_ZIP_CUE_RE = re.compile(
    r"\b(?:zip|zipcode|zip\s*code|postal\s*code|postcode)s?\b(?:\s*(?:is|was|code|=|:|#|-))*\s*$", re.IGNORECASE)


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 3 and not any(c.islower() for c in letters)


def _qualifier(text: str, end: int, mentions: Sequence[Mention], shouting: bool, codes: Sequence[str]
               ) -> Optional[Tuple[str, int, Optional[Mention]]]:
    """(code, end, mention) of a state written right after ``end`` ("Portland, OR", "buffalo ny");
    ``codes``: the place's states (a lower-case "al" counts only for them: "mobile al")."""
    pos = _GAP_RE.match(text, end).end()
    for m in mentions:
        if m.start == pos:
            return m.value, m.end, m
    m = _CODE_AT_RE.match(text, pos)
    if m and pos > end:
        surface, code = m.group(1), m.group(1).upper()
        lower_ok = code in codes and (
            surface.lower() not in states.INTERJECTIONS or bool(_CLAUSE_END_RE.match(text, m.end(1))))
        if code in states.STATES and (
                surface == code and not shouting or code not in states.AMBIGUOUS_CODES or lower_ok):
            return code, m.end(1), None
    return None


def _zip_at(text: str, end: int) -> Optional[Tuple[str, str, int]]:
    """(zip, code, end) of a known ZIP code written right after ``end``."""
    m = _ZIP_AT_RE.match(text, end)
    code = place_data.zip_state(m.group(1)) if m else None
    return (m.group(1), code, m.end()) if code else None


def _context(text: str, c: Candidate) -> bool:
    before = text[max(0, c.start - 40):c.start]
    return bool(_BEFORE_RE.search(before) or _AFTER_RE.match(text, c.end)) or (
        _answer(text).lower() == _answer(text[c.start:c.end]).lower())


def _counts(text: str, c: Candidate, qualified: bool, shouting: bool) -> bool:
    if _PERSON_BEFORE_RE.search(text[max(0, c.start - 30):c.start]) and " " not in text[c.start:c.end]:
        return False  # "my wife Charlotte", "our realtor Austin"
    if c.kind == NAME or qualified:
        return True
    if c.kind == QUALIFIED:
        return False
    surface = text[c.start:c.end]
    capitalized = not shouting and all(w[0].isupper() for w in surface.split() if w[0].isalpha())
    if c.kind in (WORD, CITY_WORD):  # "in Buffalo", not "Buffalo Wild Wings" or "on Independence Day"
        before = text[max(0, c.start - 40):c.start]
        if capitalized and not _NEXT_NAME_RE.match(text, c.end) and (
                bool(_BEFORE_RE.search(before)) or bool(_AFTER_RE.match(text, c.end))):
            return True
        return c.kind == CITY_WORD and bool(_RESIDENCE_RE.search(before)) and bool(
            _CLAUSE_END_RE.match(text, c.end) or _AFTER_RE.match(text, c.end))  # "we live in mobile"
    return capitalized and " " in surface.strip() or _context(text, c)  # "The Bay Area is pricey"


def _display(surface: str) -> str:
    """The place as said back: a region's own name, else the user's spelling, title-cased."""
    region = place_data.region_names().get(place_data.loose_key(surface))
    if region:
        return region
    s = " ".join(surface.split())
    return s.title() if s == s.lower() or s == s.upper() else s


def resolve(text: str, candidates: Sequence[Candidate], mentions: Sequence[Mention]) -> List[Location]:
    """The locations of a sentence, left to right: accepted places, the state mentions they do not
    absorb, and ZIP codes with ZIP context (see the module doc).

    ``candidates``: place spans from the spaCy pipeline (any overlaps); ``mentions``: the sentence's
    state mentions (``states.find``).  Never raises on a string.
    """
    if not isinstance(text, str) or not text:
        return []
    shouting = _shouting(text)
    mentions = sorted(mentions, key=lambda m: m.start)
    accepted: List[Tuple[Candidate, Optional[Tuple[str, int, Optional[Mention]]]]] = []
    for c in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
        if any(a.start < c.end and c.start < a.end for a, _ in accepted):
            continue
        if any(m.start < c.end and c.start < m.end and not (c.start <= m.start and m.end <= c.end)
               for m in mentions):
            continue  # inside a state name ("York" in "New York") or straddling one
        q = _qualifier(text, c.end, mentions, shouting, c.states)
        if q and c.kind in (WORD, CITY_WORD, QUALIFIED) and q[0] not in c.states:
            q = None  # "reading Texas law": Reading is in PA, so "Texas" says nothing about it
        if _counts(text, c, q is not None or _zip_at(text, c.end) is not None, shouting):
            accepted.append((c, q))
    accepted.sort(key=lambda item: item[0].start)

    out: List[Location] = []
    used: List[Mention] = []
    for c, q in accepted:
        used += [m for m in mentions if c.start <= m.start and m.end <= c.end]
        name, end, state = c.name or _display(text[c.start:c.end]), c.end, None
        if q:
            state, end = q[0], q[1]
            used += [q[2]] if q[2] else []
        z = _zip_at(text, end)
        if z and state in (None, z[1]):
            state, end = z[1], z[2]
        if state is None and len(c.states) == 1:
            state = c.states[0]
        if state is None and any(m.value in c.states for m in mentions if m not in used):
            continue  # "we're in Portland ... Maine": the state mention says which
        out.append(Location(c.start, end, text[c.start:end], state, () if state else c.states, name))
    out += _initials(text, out)
    for m in mentions:
        if m not in used:
            z = _zip_at(text, m.end)
            end = z[2] if z and z[1] == m.value else m.end
            out.append(Location(m.start, end, text[m.start:end], m.value))
    taken = [(loc.start, loc.end) for loc in out]
    for m in _ZIP_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        code = None
        if _ZIP_CUE_RE.search(text[max(0, m.start() - 30):m.start()]) or any(
                e <= m.start() and not text[e:m.start()].strip(" \t,") for _, e in taken):
            code = place_data.zip_state(m.group(1))
        if code:
            out.append(Location(m.start(), m.end(), m.group(0), code, (), f"ZIP {m.group(1)}"))
    out.sort(key=lambda loc: loc.start)
    away = place_roles.elsewhere(text, [(loc.start, loc.state or loc.states) for loc in out])
    return [replace(loc, role=place_roles.ELSEWHERE) if i in away else loc for i, loc in enumerate(out)]


def _initials(text: str, found: Sequence[Location]) -> List[Location]:
    """Upper-case initials of a multi-word place named earlier ("SA" after "san antonio"), not a state code."""
    out: List[Location] = []
    for loc in found:
        words = re.findall(r"[A-Za-z]+", loc.place or "")
        short = "".join(w[0] for w in words).upper()
        if len(words) < 2 or short in states.STATES:
            continue
        for m in re.finditer(r"(?<![\w.'])%s(?![\w'])" % short, text[loc.end:]):
            start, end = loc.end + m.start(), loc.end + m.end()
            if not any(o.start < end and start < o.end for o in list(found) + out):
                out.append(Location(start, end, m.group(0), loc.state, loc.states, loc.place))
    return out

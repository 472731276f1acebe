"""The 50 US states and DC: names, USPS codes, variants; ``normalize`` for short answers, ``find`` for sentences.

Design (what counts as a state):

* **Names and safe variants** count anywhere, in any case: "texas", "New York", "Calif.", "Cali",
  "N. Carolina", "Washington DC", "D.C.", "wva", "Tenn.", common misspellings ("Virgina",
  "Tennesee").  Longest match wins ("West Virginia" is WV, never VA; "Arkansas" never KS;
  "Washington, D.C." is DC and "Washington" alone is WA).  A few phrases that contain a state name but
  do not mean the state are skipped: "Kansas City" (KS or MO), "Washington Mutual", "Washington Post",
  "George Washington", "Indiana Jones", "New York Times", "Nevada City", "Virginia City".
* **Word-like abbreviations** ("Mass", "Penn", "Jersey", "Wash", "Tex", "Miss", "Ill", "Conn"...)
  count in a sentence only when capitalized and in *context* (below); with the traditional trailing
  period and a capital ("Mass.", "Wash.", "Pa.") they count anywhere.
* **USPS codes**:
  - the codes that are English words or common abbreviations (:data:`AMBIGUOUS_CODES`: IN, OR, ME,
    OK, HI, OH, DE, PA, MA, AL, CO, LA, ID, MT, MD, MI, MO, MS, NE, VA (a "VA loan"!), CT, UT, AR, SD)
    count in a sentence only when written in upper case **and** in context;
  - the other codes (TX, CA, NY, FL, ...) count when upper case anywhere, and in lower/mixed case
    ("tx") only in context, or as a sentence of their own after another one ("live there. nv. current").
  - *Context* is one of: the word before is "in" / "from" / "out of" / "state of" / "state is" /
    "state:" / "moved (down) to" / "relocated to" / "down to" / "out to" / "back to" ("we moved
    down to fl"); a city-comma before it ("Tulsa, OK", not "Sure, OK" — a list of ordinary words is
    excluded, and the word must not itself be a state); "in"/"from"/"near" + capitalized city words
    ("in Scranton PA", "near Grand Rapids MI"); a ZIP code after it ("OK 74103"); a state-law word
    after it ("is OK a non-recourse state", "OR law", "PA residents").
  - "LA" needs strong context (a city-comma, a ZIP, "state of"; not "in"/"from"):
    "I live in LA" is Los Angeles as often as Louisiana; "Baton Rouge, LA" is Louisiana.
  - In a shouted message (no lower-case letters at all), upper case says nothing, so ambiguous codes
    and word-like abbreviations then need a ZIP code or "state of".
* A message that is nothing but a code or word-like abbreviation ("tx", "PA", "Jersey", "mass.")
  is an answer and counts in :func:`find` too, except the interjections "ok", "oh", "hi", "me",
  "in", "or" in any case ("OK" alone is an acknowledgement far more often than Oklahoma).
* :func:`code_answer` takes any whole-message code in any case ("or", "in"): only for a reply right
  after the bot asked which state.
* :func:`normalize` is for a whole short answer to "which state?": any name/variant/word-like
  abbreviation in any case, any code in upper case ("OK", "IN"), and codes in lower case except the
  interjections "ok", "oh", "hi", "me", "in", "or" (title-case "Ok"/"Hi" likewise are not states).
  Whether "ok" answering "which state?" means Oklahoma is the caller's decision, not this module's.
  If the whole text is not a state it falls back to :func:`find` and returns the state when the text
  names exactly one.
* Only the 50 states and DC: territories (Puerto Rico, Guam...) are not states here (None).
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Set, Tuple

from knowledge.vocabulary._spans import Spans as _Spans
from knowledge.vocabulary.mention import Mention

STATES: Dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}

#: Codes that are English words or common abbreviations: in a sentence they need upper case AND context.
AMBIGUOUS_CODES: frozenset = frozenset(
    "IN OR ME OK HI OH DE PA MA AL CO LA ID MT MD MI MO MS NE VA CT UT AR SD".split()
)

#: Codes that need strong context even in upper case: "in LA" is Los Angeles as often as Louisiana.
STRONG_CONTEXT_CODES: frozenset = frozenset({"LA"})

#: Lower-case codes that :func:`normalize` does not take as a whole answer (ordinary replies).
INTERJECTIONS: frozenset = frozenset({"ok", "oh", "hi", "me", "in", "or"})

# Safe variants: count anywhere, any case (besides the official names).
_SAFE_VARIANTS: Dict[str, Tuple[str, ...]] = {
    "AL": ("Alabamma", "Albama", "Ala."),
    "AK": ("Alaska",),
    "AZ": ("Ariz", "Ariz.", "Arizonia"),
    "AR": ("Ark.", "Arkansaw"),
    "CA": ("Cali", "Calif", "Calif.", "Cal.", "SoCal", "NorCal", "Southern California",
           "Northern California", "Californa", "Califonia"),
    "CO": ("Colo", "Colo.", "Colorodo"),
    "CT": ("Conn.", "Conneticut", "Connecticutt", "Connetticut"),
    "DE": ("Del.",),
    "DC": ("Washington DC", "Washington D.C.", "Washington D.C", "Washington, DC", "Washington, D.C.",
           "Washington, D.C", "Wash DC", "Wash. DC", "Wash. D.C.", "D.C.", "D.C", "D. C.",
           "District of Columbia", "Washington District of Columbia"),
    "FL": ("Fla", "Fla.", "Flordia", "Florida"),
    "GA": ("Ga.",),
    "HI": ("Hawai'i", "Hawai\u2018i", "Hawai\u2019i", "Hawaï", "Hawai"),
    "IL": ("Ill.", "Illinios", "Ilinois", "Illinoi"),
    "IN": ("Ind.",),
    "IA": ("Ia.",),
    "KS": ("Kan.", "Kans", "Kans."),
    "KY": ("Ky.", "Kentuckey"),
    "LA": ("La.", "Louisianna", "Lousiana", "Louisana"),
    "ME": (),
    "MD": ("Md.", "Maryand"),
    "MA": ("Mass.", "Massachusets", "Massachussets", "Massachussetts", "Massachusettes", "Massachusett"),
    "MI": ("Mich", "Mich.", "Michagan"),
    "MN": ("Minn", "Minn.", "Minnesotta"),
    "MS": ("Miss.", "Mississipi", "Missisippi", "Missisipi", "Mississipp"),
    "MO": ("Mo.", "Missour"),
    "MT": ("Mont.",),
    "NE": ("Neb", "Neb.", "Nebr", "Nebr.", "Nebraka"),
    "NV": ("Nev", "Nev.", "Neveda"),
    "NH": ("N.H.", "N.H", "N. Hampshire", "N Hampshire", "New Hampshire", "New Hamshire"),
    "NJ": ("N.J.", "N.J", "N. Jersey", "N Jersey", "New Jersey"),
    "NM": ("N.M.", "N.M", "N.Mex.", "N. Mex.", "N. Mexico", "N Mexico", "New Mexico"),
    "NY": ("N.Y.", "N.Y", "NYC", "New York City", "New York State", "NY State", "Upstate New York"),
    "NC": ("N.C.", "N.C", "N. Carolina", "N Carolina", "No. Carolina", "No Carolina", "N. Car.",
           "North Carolina"),
    "ND": ("N.D.", "N.D", "N. Dakota", "N Dakota", "N.Dak.", "N. Dak.", "No. Dakota"),
    "OH": (),
    "OK": ("Okla", "Okla.", "Oaklahoma", "Oklahome"),
    "OR": ("Ore.", "Oreg", "Oreg."),
    "PA": ("Pa.", "Penn.", "Penna", "Penna.", "Pennsylvannia", "Pensylvania", "Pennslyvania",
           "Pennsilvania", "Pensilvania"),
    "RI": ("R.I.", "R.I", "Rhode Is."),
    "SC": ("S.C.", "S.C", "S. Carolina", "S Carolina", "So. Carolina", "So Carolina", "S. Car."),
    "SD": ("S.D.", "S.D", "S. Dakota", "S Dakota", "S.Dak.", "S. Dak.", "So. Dakota"),
    "TN": ("Tenn", "Tenn.", "Tennesee", "Tennesse", "Tennesseee", "Tenessee"),
    "TX": ("Tex.", "Texus"),
    "UT": (),
    "VT": ("Vt.", "Verm.", "Vermount"),
    "VA": ("Va.", "Virgina", "Virgnia"),
    "WA": ("Wash.", "Washington State", "WA State", "Washinton"),
    "WV": ("W.Va.", "W. Va.", "W.Va", "W. Va", "W Va", "WVa", "W.V.", "W. Virginia", "W Virginia",
           "West Virgina", "West Va.", "W.Virginia"),
    "WI": ("Wis.", "Wisc", "Wisc.", "Wisconson", "Wisconsion"),
    "WY": ("Wyo", "Wyo.", "Wyoming"),
}

# Word-like abbreviations: in a sentence only capitalized and in context; as a whole answer, any case.
_WORD_VARIANTS: Dict[str, Tuple[str, ...]] = {
    "AL": ("Ala", "Bama"),
    "AR": ("Ark",),
    "CA": ("Cal",),
    "CT": ("Conn",),
    "DE": ("Del",),
    "IL": ("Ill",),
    "IN": ("Ind",),
    "KS": ("Kan",),
    "MA": ("Mass",),
    "MS": ("Miss",),
    "MT": ("Mont",),
    "NJ": ("Jersey",),
    "OR": ("Ore",),
    "PA": ("Penn",),
    "TX": ("Tex",),
    "WA": ("Wash",),
}

#: Phrases containing a state name that do not mean that state (matched first, then dropped).
NOT_STATE_PHRASES: Tuple[str, ...] = (
    "Kansas City", "Washington Mutual", "Washington Post", "George Washington", "Indiana Jones",
    "New York Times", "New York Life", "Nevada City", "Virginia City", "Virginia Woolf",
    "Jersey Mike's", "Jersey Mikes", "Texas Roadhouse", "Texas hold'em", "Texas holdem",
)

# Ordinary capitalized words that can stand before ", OK" without being a city.
_NOT_CITIES: frozenset = frozenset(
    """i me you he she we they it my our your yes yeah yep yup no nope nah ok okay k alright
    all right sure fine good great cool nice perfect awesome thanks thank thx ty please sorry
    well so and but or oh ah uh um umm hmm hm hi hey hello wow also then now anyway anyways
    honestly really actually maybe right correct true exactly totally agreed bye again see look
    listen wait sir maam ma'am lol haha gotcha understood noted hello there yes sir done""".split()
)

_PREP_RE = re.compile(
    r"(?:\b(?:in|from|out\s+of|state\s+of|state\s+is|state\s*[:=-]|"
    r"(?:(?:mov(?:e|ed|ing)|relocat(?:e|ed|ing))(?:\s+(?:down|up|out|over|back))?|down|out|over|back)\s+to)"
    r"\s*(?:the\s+state\s+of\s+)?)$",
    re.IGNORECASE,
)
_PREP_STRONG_RE = re.compile(r"\bstate\s+of\s*$", re.IGNORECASE)
# "in Scranton PA", "near Grand Rapids MI": a preposition, one to three capitalized words, the code.
_PREP_CITY_RE = re.compile(
    r"\b(?i:in|from|near|outside\s+of|outside|around)\s+(?P<city>(?:[A-Z][a-z'.\-]+\s+){1,3})$"
)
# After the code: "OK a non-recourse state", "OR law", "PA residents".
_STATE_AFTER_RE = re.compile(
    r"^\s+(?:(?:is\s+)?an?\s+)?(?:non-?recourse|recourse|judicial|non-?judicial|anti-?deficiency|title\s+theory|"
    r"lien\s+theory)\s+state\b|^\s+(?:state\s+)?(?:laws?|statutes?|residents?|homeowners?)\b",
    re.IGNORECASE,
)
_ZIP_AFTER_RE = re.compile(r"^\s*,?\s*[0-9]{5}(?:-[0-9]{4})?(?![0-9])")
_CITY_COMMA_RE = re.compile(r"(?P<word>[A-Za-z][A-Za-z.'\-]*)\s*,\s*$")
_CODE_RE = re.compile(r"(?<![A-Za-z0-9.'\u2019&@#/_-])([A-Za-z]{2})(?![A-Za-z0-9&@_]|-[A-Za-z0-9])")
_DOTTED_WORD_RE = re.compile(r"^[a-z]+\.$")
# A code that is a sentence of its own, after another sentence: "worth 460. live there. nv. current"
_FRAGMENT_BEFORE_RE = re.compile(r"[.;!?\n]\s*$")
_FRAGMENT_AFTER_RE = re.compile(r"^\s*(?:[.;!?,\n]|$)")

def _key(text: str) -> str:
    """Lookup key: lower case, single spaces, curly apostrophes straightened."""
    t = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", t.strip()).lower()


def _build() -> Tuple[Dict[str, str], Dict[str, str], Dict[str, Optional[str]]]:
    safe: Dict[str, str] = {}
    for code, name in STATES.items():
        safe[_key(name)] = code
        for v in _SAFE_VARIANTS.get(code, ()):
            safe[_key(v)] = code
    word: Dict[str, str] = {}
    for code, variants in _WORD_VARIANTS.items():
        for v in variants:
            word[_key(v)] = code
    blocked: Dict[str, Optional[str]] = {_key(p): None for p in NOT_STATE_PHRASES}
    return safe, word, blocked


_SAFE, _WORD, _BLOCKED = _build()


def _alternation(phrases: Iterable[str]) -> str:
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        esc = re.escape(p).replace(r"\ ", r"\s+").replace("'", "['\u2019\u2018]")
        parts.append(esc)
    return "|".join(parts)


# One pass over the text: blocked phrases, safe variants and word variants, longest first.
_PHRASE_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:%s)(?![A-Za-z0-9])" % _alternation(list(_BLOCKED) + list(_SAFE) + list(_WORD)),
    re.IGNORECASE,
)


def name(code: str) -> str:
    """Full name of a USPS code ("TX" -> "Texas", "dc" -> "District of Columbia"); KeyError if unknown."""
    return STATES[code.strip().upper()]


def variants(code: str) -> Dict[str, List[str]]:
    """All spellings known for a code, by kind: {"names": [...], "words": [...], "codes": [code]}.

    Used to build the spaCy entity_ruler patterns (bot.nlu.spacy_pipeline).
    """
    code = code.strip().upper()
    if code not in STATES:
        raise KeyError(code)
    names = [STATES[code]] + [v for v in _SAFE_VARIANTS.get(code, ()) if _key(v) != _key(STATES[code])]
    return {"names": names, "words": list(_WORD_VARIANTS.get(code, ())), "codes": [code]}


def is_ambiguous(code: str) -> bool:
    """True for codes that are also English words / common abbreviations (need context in a sentence)."""
    return code.strip().upper() in AMBIGUOUS_CODES


def _is_shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 3 and not any(c.islower() for c in letters)


def _context(text: str, start: int, end: int, strong_only: bool, state_spans: _Spans,
             shouting: bool = False) -> bool:
    """Is the token text[start:end] placed like a state (after "in", "Tulsa, ", before a ZIP)?

    ``strong_only``: "in"/"from" do not count; ``shouting``: a city-comma does not count either
    ("MY HOUSE, OK?" -- any word is capitalized there).
    """
    before = text[max(0, start - 40):start]
    after = text[end:end + 20]
    if _ZIP_AFTER_RE.match(after):
        return True
    if _PREP_STRONG_RE.search(before):
        return True
    m = _CITY_COMMA_RE.search(before)
    if m:
        word = m.group("word")
        wstart = start - len(before) + m.start("word")
        wend = wstart + len(word)
        overlaps_state = state_spans.overlaps(wstart, wend)
        plain = word.strip(".").lower()
        if (not overlaps_state and plain not in _NOT_CITIES and word[0].isupper()
                and not shouting):
            return True
    if not shouting:
        if _STATE_AFTER_RE.match(text[end:end + 40]):
            return True
        m = _PREP_CITY_RE.search(text[max(0, start - 60):start])
        if m:
            words = m.group("city").split()
            cstart = start - len(m.group("city"))
            if (not state_spans.overlaps(cstart, start)
                    and not any(w.strip(".").lower() in _NOT_CITIES for w in words)):
                return True
    if strong_only:
        return False
    return bool(_PREP_RE.search(before))


def _lower_context(text: str, start: int, end: int, state_spans: _Spans) -> bool:
    """Context for a lower-case unambiguous code ("austin, tx", "i'm in tx")."""
    before = text[max(0, start - 40):start]
    if _ZIP_AFTER_RE.match(text[end:end + 20]) or _PREP_RE.search(before):
        return True
    if _FRAGMENT_BEFORE_RE.search(before) and _FRAGMENT_AFTER_RE.match(text[end:end + 3]):
        return True
    m = _CITY_COMMA_RE.search(before)
    if m:
        word = m.group("word")
        wstart = start - len(before) + m.start("word")
        wend = wstart + len(word)
        if word.strip(".").lower() not in _NOT_CITIES and not state_spans.overlaps(wstart, wend):
            return True
    return False


def _phrase_candidates(text: str) -> List[Tuple[int, int, str, str]]:
    """(start, end, code, kind) for every phrase match; kind is "safe", "word" or "blocked"."""
    out = []
    for m in _PHRASE_RE.finditer(text):
        k = _key(m.group(0))
        if k in _BLOCKED:
            out.append((m.start(), m.end(), "", "blocked"))
        elif k in _SAFE:
            out.append((m.start(), m.end(), _SAFE[k], "safe"))
        elif k in _WORD:
            out.append((m.start(), m.end(), _WORD[k], "word"))
    return out


def classify(text: str, start: int, end: int) -> Optional[str]:
    """The USPS code if text[start:end] is a state mention *in this sentence*, else None.

    Applies exactly the rules of :func:`find` to one candidate span (e.g. one the spaCy
    entity_ruler proposed).
    """
    if not isinstance(text, str) or not (0 <= start < end <= len(text)):
        return None
    for m in find(text):
        if m.start == start and m.end == end:
            return m.value
    return None


_ANSWER_STRIP = " \t\r\n.!?,;:'\"()[]*_`\u2019\u2018\u201c\u201d"


def _is_title(surface: str) -> bool:
    """"Calif." / "Pa." (capital, then lower case), not "VA." or "calif."."""
    letters = [c for c in surface if c.isalpha()]
    return bool(letters) and letters[0].isupper() and all(c.islower() for c in letters[1:])


def _answer_span(text: str) -> Tuple[int, int]:
    """(start, end) of the text without surrounding blanks and punctuation."""
    s, e = 0, len(text)
    while s < e and text[s] in _ANSWER_STRIP:
        s += 1
    while e > s and text[e - 1] in _ANSWER_STRIP:
        e -= 1
    return s, e


def find(text: str) -> List[Mention]:
    """State mentions in a sentence, left to right, non-overlapping (see the module doc for the rules)."""
    if not isinstance(text, str) or not text:
        return []
    shouting = _is_shouting(text)
    whole = _answer_span(text)
    phrases = _phrase_candidates(text)
    safe_spans = _Spans((s, e) for s, e, _, kind in phrases if kind == "safe")
    found: List[Mention] = []
    for s, e, code, kind in phrases:
        if kind == "safe":
            surface = text[s:e]
            if _DOTTED_WORD_RE.match(_key(surface)) and not _is_title(surface):
                # "mo." / "pa." / "ill." in lower case are words, "VA." is the VA; "calif." still has
                # "calif", and a whole answer "mass." is Massachusetts.
                shorter = _key(surface[:-1])
                if shorter in _SAFE:
                    found.append(Mention(s, e - 1, surface[:-1], _SAFE[shorter]))
                elif shorter in _WORD and (s, e - 1) == whole:
                    found.append(Mention(s, e - 1, surface[:-1], _WORD[shorter]))
                continue
            found.append(Mention(s, e, surface, code))
        elif kind == "word":
            surface = text[s:e]
            if (s, e) == whole or surface[:1].isupper() and (
                    surface.endswith(".") and not shouting
                    or _context(text, s, e, shouting, safe_spans, shouting)):
                found.append(Mention(s, e, surface, code))
    taken = _Spans([(x.start, x.end) for x in found] + [(s, e) for s, e, _, kind in phrases if kind == "blocked"])
    for m in _CODE_RE.finditer(text):
        s, e = m.span(1)
        if taken.overlaps(s, e):
            continue
        surface = m.group(1)
        code = surface.upper()
        if code not in STATES:
            continue
        if (s, e) == whole:  # the whole message is a code: an answer, unless it is "ok", "hi"...
            ok = surface.lower() not in INTERJECTIONS
        elif surface == code:  # upper case
            if code in AMBIGUOUS_CODES:
                ok = _context(text, s, e, shouting or code in STRONG_CONTEXT_CODES, safe_spans, shouting)
            else:
                ok = True
        else:
            ok = code not in AMBIGUOUS_CODES and _lower_context(text, s, e, safe_spans)
        if ok:
            found.append(Mention(s, e, surface, code))
    found.sort(key=lambda x: x.start)
    return found


_FILLER_RE = re.compile(
    r"^(?:(?:i\s*(?:'|\u2019)?\s*m|i\s+am|we\s*(?:'|\u2019)?\s*re|we\s+are|i\s+live|we\s+live|it\s*(?:'|\u2019)?\s*s|"
    r"its|it\s+is|my\s+state\s+is|state\s*:|the\s+state\s+of|state\s+of|in|from|the|um+|uh+|oh|well)\s+)+",
    re.IGNORECASE,
)
_TRAIL_RE = re.compile(r"(?:\s+(?:state|please|thanks|thank\s+you|thx))+$", re.IGNORECASE)


def _whole(candidate: str) -> Optional[str]:
    """The code when the whole candidate text is one state spelling."""
    c = candidate.strip()
    if not c:
        return None
    k = _key(c)
    if k in _BLOCKED:
        return None
    if k in _SAFE:
        return _SAFE[k]
    if k in _WORD:
        return _WORD[k]
    if len(c) == 2 and c.isalpha() and c.isascii():
        code = c.upper()
        if code in STATES:
            if c == code:
                return code
            if c.lower() not in INTERJECTIONS:
                return code
    return None


def normalize(text: str) -> Optional[str]:
    """A short answer to "which state?" -> USPS code, or None.

    "texas", "Tex.", "cali", "tx", "OK", "Washington" (WA), "Washington DC", "D.C." -> code;
    "ok", "hi", "Narnia", "" -> None; "I live in Ohio" -> "OH" (falls back to :func:`find` when the
    text names exactly one state).
    """
    if not isinstance(text, str):
        return None
    t = text.strip().strip("\"'`()[]{}<>*_").strip()
    t = t.rstrip("!?,;:").strip()
    if not t:
        return None
    if len(t) > 200:
        return _unique(find(text))
    for cand in _candidates(t):
        code = _whole(cand)
        if code:
            return code
    return _unique(find(text))


def code_answer(text: str) -> Optional[str]:
    """A whole reply that is a USPS code in any case -> the code ("or" -> "OR", "In." -> "IN"); else None.

    Only for the reply to "which state?": alone, "or", "in", "me", "ok" are usually words
    (:func:`normalize` refuses them), but not right after that question.
    """
    if not isinstance(text, str) or len(text) > 20:
        return None
    t = text.strip(_ANSWER_STRIP)
    return t.upper() if len(t) == 2 and t.isascii() and t.isalpha() and t.upper() in STATES else None


def _candidates(t: str) -> List[str]:
    out = [t]
    if t.endswith("."):
        out.append(t[:-1])
    stripped = _TRAIL_RE.sub("", _FILLER_RE.sub("", t)).strip()
    if stripped and stripped != t:
        out.append(stripped)
        if stripped.endswith("."):
            out.append(stripped[:-1])
    return out


def _unique(mentions: List[Mention]) -> Optional[str]:
    codes: Set[str] = {m.value for m in mentions}
    return codes.pop() if len(codes) == 1 else None

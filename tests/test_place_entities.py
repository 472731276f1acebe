"""Places -> us_state / place entities: the real WalkawayEntityExtractor on the real project spaCy
pipeline (built by bot.nlu.spacy_pipeline into a tmp dir), messages written the way people post."""

import json

import pytest

from bot.nlu import place_patterns, spacy_pipeline
from bot.nlu.entity_reader import EntityReader
from knowledge.scenario_facts import answer_facts, facts_from_entities, place_question


PLACE_ENTITIES = ("us_state", "place")


@pytest.fixture(scope="module")
def read(tmp_path_factory):
    """The real entity path: SpacyNLP -> SpacyTokenizer -> WalkawayEntityExtractor on the built pipeline."""
    return EntityReader(tmp_path_factory.mktemp("places"))


def run(read, text, entities=PLACE_ENTITIES):
    return read(text, entities)


def simple(entities):
    out = []
    for e in entities:
        if e["entity"] == "place":
            out.append(("place", e["value"], tuple(e["additional_info"]["states"])))
        elif e["entity"] == "us_state":
            out.append(("us_state", e["value"]))
    return out


AZ, TX, CA = [("us_state", "AZ")], [("us_state", "TX")], [("us_state", "CA")]

PHRASINGS = [
    # the examples
    ("we're just outside of Phoenix", AZ),
    ("I live outside Houston", TX),
    ("out in the Inland Empire", CA),
    ("our zip is 48221", [("us_state", "MI")]),
    ("we moved down to fl in 2018", [("us_state", "FL")]),
    ("relocated to tx last year", TX),
    ("moved back to nc after the divorce", [("us_state", "NC")]),
    ("talked to ny lawyers", []),
    ("Sacramento", CA),
    ("Honolulu", [("us_state", "HI")]),
    ("we owe about 410k and it's worth maybe 350k, the house is in Sacramento", CA),
    ("I have a rental condo in Honolulu worth 400k, owe 520k", [("us_state", "HI")]),
    # forum style, lower case
    ("just outside of phoenix", AZ),
    ("DFW area", TX),
    ("we're in the bay area", CA),
    ("The Bay Area is expensive", CA),
    ("upstate ny", [("us_state", "NY")]),
    ("near grand rapids", [("us_state", "MI")]),
    ("Tulsa", [("us_state", "OK")]),
    ("zip 30303", [("us_state", "GA")]),
    ("in buffalo ny", [("us_state", "NY")]),
    ("we bought in austin in 2019", TX),
    ("live in sugar land", TX),
    ("house is in the woodlands", TX),
    ("we're in st. louis", [("us_state", "MO")]),
    ("saint louis", [("us_state", "MO")]),
    ("near Fort Worth", TX),
    ("Fort Worth TX", TX),
    ("moved out to Vegas", [("us_state", "NV")]),
    ("a condo in philly", [("us_state", "PA")]),
    ("we're in Cape Cod", [("us_state", "MA")]),
    ("Outer Banks", [("us_state", "NC")]),
    ("in the Twin Cities", [("us_state", "MN")]),
    ("Boise area", [("us_state", "ID")]),
    ("outside Atlanta", [("us_state", "GA")]),
    ("in Queens", [("us_state", "NY")]),
    ("brooklyn", [("us_state", "NY")]),
    ("we live in virginia beach", [("us_state", "VA")]),
    ("I'm in Michigan City", [("us_state", "IN")]),
    ("Jacksonville", [("us_state", "FL")]),
    ("just moved to Tampa", [("us_state", "FL")]),
    ("WE LIVE IN HOUSTON", TX),
    ("our place in Maui", [("us_state", "HI")]),
    ("in the Hamptons", [("us_state", "NY")]),
    ("I live in Mesa", AZ),
    ("Salt Lake", [("us_state", "UT")]),
    ("Washington Heights", [("us_state", "NY")]),
    # a state written after the place says which
    ("Portland, Maine", [("us_state", "ME")]),
    ("Portland OR", [("us_state", "OR")]),
    ("Kansas City MO", [("us_state", "MO")]),
    ("from Kansas City, Kansas", [("us_state", "KS")]),
    ("in Columbus, GA", [("us_state", "GA")]),
    ("Detroit, MI 48221", [("us_state", "MI")]),
    ("Springfield 65802", [("us_state", "MO")]),
    ("Paris, TX", TX),
    ("I'm in Portland. Oregon doesn't allow deficiency right?", [("us_state", "OR")]),
    # everyday words that are towns: only with place context and a capital, or their state
    ("Mobile, AL", [("us_state", "AL")]),
    ("Mobile AL", [("us_state", "AL")]),
    ("We live in Mobile", [("us_state", "AL")]),
    ("in Buffalo", [("us_state", "NY")]),
    ("Surprise, AZ", AZ),
    ("we're in a mobile home park in Surprise", AZ),
    ("we're in Normal", [("us_state", "IL")]),
    ("Reading, PA", [("us_state", "PA")]),
    ("I'm in Bend Oregon", [("us_state", "OR")]),
    ("house in Paradise, CA", CA),
    ("we have a mobile home", []),
    ("mobile home", []),
    ("i like mobile banking", []),
    ("reading the contract", []),
    ("reading the fine print", []),
    ("what a surprise", []),
    ("buffalo wings", []),
    ("I went to Buffalo Wild Wings", []),
    ("we closed on Independence Day", []),
    ("I'm in a bad place", []),
    ("we're in a good place now", []),
    ("things are back to normal", []),
    ("Normal people don't walk away", []),
    ("we live in paradise lol", []),
    ("hope to keep it", []),
    ("it's worth 300k", []),
    ("the loan is in my name, the house is in hers", []),
    # people, not places
    ("my son Tyler helps with the payment", []),
    ("my wife Charlotte and I", []),
    ("we moved from London", []),
    # numbers without ZIP context are not ZIP codes
    ("97201", []),
    ("we owe 48221 on it", []),
    # states keep working, and win over places of the same name
    ("I live in Washington", [("us_state", "WA")]),
    ("we're in New York City", [("us_state", "NY")]),
    ("I live in York, PA", [("us_state", "PA")]),
    ("I live in Phoenix but the rental is in Texas", [("us_state", "AZ"), ("us_state", "TX")]),
    ("the Florida panhandle", [("us_state", "FL")]),
    # places in several states: the bot asks which
    ("Portland", [("place", "Portland", ("OR", "ME"))]),
    ("portland", [("place", "Portland", ("OR", "ME"))]),
    ("Kansas City", [("place", "Kansas City", ("MO", "KS"))]),
    ("Columbus", [("place", "Columbus", ("OH", "GA"))]),
    ("we're in the Panhandle", [("place", "Panhandle", ("FL", "TX", "OK"))]),
    ("Lake Tahoe", [("place", "Lake Tahoe", ("CA", "NV"))]),
    ("in Orange County", [("place", "Orange County", ("CA", "FL", "NY", "VT"))]),
]


@pytest.mark.parametrize("text,expected", PHRASINGS)
def test_place_phrasings(read, text, expected):
    assert simple(run(read, text)) == expected


@pytest.mark.parametrize("text", ["springfield", "we live in Springfield", "Springfield area"])
def test_springfield_asks_which_state(read, text):
    (entity,) = run(read, text)
    states = entity["additional_info"]["states"]
    assert entity["entity"] == "place" and entity["value"] == "Springfield"
    assert states[0] == "MO" and {"MA", "IL", "OH"} <= set(states)


def test_entity_shapes(read):
    text = "we're just outside of Phoenix, and the other house is in Portland"
    state, place = run(read, text)
    assert state["value"] == "AZ" and state["additional_info"] == {"place": "Phoenix"}
    assert text[state["start"]:state["end"]] == "Phoenix" and state["confidence"] == 1.0
    assert state["extractor"] == "WalkawayEntityExtractor"
    assert (place["entity"], place["value"]) == ("place", "Portland")
    assert place["additional_info"] == {"states": ["OR", "ME"]}
    assert text[place["start"]:place["end"]] == "Portland"
    json.dumps([state, place])
    (zip_state,) = run(read, "our zip is 48221")
    assert zip_state["additional_info"] == {"place": "ZIP 48221"}
    (named,) = run(read, "I'm in Texas")
    assert "additional_info" not in named


def test_with_every_entity_kind(read):
    """The default config: places next to amounts and the other facts of a story."""
    ents = read("we owe about 410k and it's worth maybe 350k, the house is in Sacramento")
    assert [(e["entity"], e["value"]) for e in ents if e["entity"] in ("us_state", "place")] == [("us_state", "CA")]
    assert {e["value"] for e in ents if e["entity"] == "amount"} == {410000, 350000}


def test_states_and_places_share_the_pipeline(read):
    import spacy

    nlp = spacy.load(read.pipeline_dir)
    assert nlp.pipe_names[0] == place_patterns.RULER_NAME  # its patterns load without other components
    doc = nlp("Kansas City is where I live, not Virginia Beach")
    state_ents = [e.label_ for e in doc.ents if e.label_.endswith("STATE")]
    assert state_ents == [spacy_pipeline.NOT_LABEL, spacy_pipeline.LABEL]
    spans = {(s.text, s.label_, s.id_) for s in doc.spans[place_patterns.SPANS_KEY]}
    assert ("Kansas City", "US_PLACE", "MO|KS") in spans and ("Virginia Beach", "US_PLACE", "VA") in spans
    assert [c.states for c in place_patterns.candidates(nlp("nothing here"))] == []


def test_kinds_of_names_come_from_data(read):
    import spacy

    ruler = spacy.load(read.pipeline_dir).get_pipe(place_patterns.RULER_NAME)
    label = {p["pattern"].lower(): p["label"] for p in ruler.patterns if isinstance(p["pattern"], str)}
    assert len(ruler.patterns) > 5000
    for word in ("reading", "normal", "temple", "commerce", "bend", "liberty", "hope"):
        assert label[word] == "US_PLACE_WORD", word
    # everyday words naming cities of 100,000+ people: also "we live in mobile" in lower case
    for word in ("mobile", "buffalo", "queens", "surprise", "independence", "orange", "paradise", "enterprise"):
        assert label[word] == "US_PLACE_CITY_WORD", word
    written = {tuple(t["ORTH"] for t in p["pattern"]): p["label"] for p in ruler.patterns
               if not isinstance(p["pattern"], str)}
    assert written[("NoVA",)] == "US_PLACE" and written[("UP",)] == "US_PLACE_WORD"
    assert "nova" not in label and "up" not in label
    for name in ("phoenix", "houston", "sacramento", "honolulu", "portland", "grand rapids", "kansas city"):
        assert label[name] == "US_PLACE", name
    for name in ("tyler", "boise", "sugar land", "bay area", "springfield"):
        assert label[name] == "US_PLACE_CONTEXT", name
    for name in ("paris", "london", "lebanon", "mexico", "august"):
        assert label[name] == "US_PLACE_QUALIFIED", name
    assert not {"washington", "new york", "new york city", "indiana", "texas"} & set(label)


# ------------------------------------------------------------------ misspellings, regions, everyday words, roles

TYPOS = [
    ("our condo is in Pheonix", AZ),
    ("just outside of tuscon, owe 240", AZ),
    ("townhouse near sacremento", CA),
    ("cincinatti area", [("us_state", "OH")]),
    ("we moved to albequerque in 2019", [("us_state", "NM")]),
    ("house in philidelphia, worth like 200", [("us_state", "PA")]),
    ("milwakee", [("us_state", "WI")]),
    ("bought in san deigo in 2006", CA),
    ("a condo in las vagas, owe 310", [("us_state", "NV")]),
    ("we're in colombus", [("place", "Columbus", ("OH", "GA"))]),
    # a real town one typo from a much bigger city: the bot asks, the big city first
    ("pittsburg", [("place", "Pittsburg", ("PA", "CA", "KS"))]),
    ("Pittsburg, CA", CA),
    # English words near city names stay words
    ("we need to settle with the bank", []),
    ("the houses nearby sold for less", []),
    ("denser neighborhoods go for more", []),
    ("the sales were slow in 2009", []),
    ("my morgage is 300", []),
    ("we can prove the hardship", []),
    ("the parade went by the house", []),
]

REGIONS = [
    ("we're down in south jersey", [("us_state", "NJ")]),
    ("North Jersey, owe 480", [("us_state", "NJ")]),
    ("condo in NoVA, bought 2007", [("us_state", "VA")]),
    ("NoVa townhouse underwater by 60k", [("us_state", "VA")]),
    ("we moved to NOVA for work", [("us_state", "VA")]),
    ("our camp up in the UP is worth nothing now", [("us_state", "MI")]),
    ("house is in the U.P., owe 90", [("us_state", "MI")]),
    ("the philly area", [("us_state", "PA")]),
    ("in the twin cities", [("us_state", "MN")]),
    ("SWFL, house worth 260", [("us_state", "FL")]),
    ("we live in WNY", [("us_state", "NY")]),
    ("we're in central pa, owe 140", [("us_state", "PA")]),
    ("house outside ATL", [("us_state", "GA")]),
    ("bought in SF in 2021", CA),
    # the same words in other cases or without place context are words
    ("we drive an old nova", []),
    ("watched a nova special on pbs", []),
    ("rates went UP again", []),
    ("we're fed up", []),
    ("2000 SF house, owe 300", []),
]

EVERYDAY_WORD_TOWNS = [
    ("right outside mobile al", [("us_state", "AL")]),
    ("house in reading pa", [("us_state", "PA")]),
    ("columbus oh", [("us_state", "OH")]),
    ("portland me", [("us_state", "ME")]),
    ("we're living in mobile", [("us_state", "AL")]),
    ("the house is in buffalo. owe 140", [("us_state", "NY")]),
    ("In buffalo, zillow says 160", [("us_state", "NY")]),
    ("we moved to queens in 2015", []),  # the clause goes on: lower-case "queens" is not enough
    ("we moved to queens", [("us_state", "NY")]),
    ("we live in a mobile home", []),
    ("typing this on mobile, sorry", []),
    ("we got buffalo wings to go", []),
    ("i was reading the paperwork", []),
    ("we live in paradise lol", []),
    ("stopped paying in august, house in boise", [("us_state", "ID")]),  # August, CA: a month here
    ("portland me and my wife bought it", [("place", "Portland", ("OR", "ME"))]),
]


@pytest.mark.parametrize("text,expected", TYPOS + REGIONS + EVERYDAY_WORD_TOWNS)
def test_typos_regions_and_everyday_words(read, text, expected):
    assert simple(run(read, text)) == expected


def test_a_misspelling_is_said_back_as_the_city(read):
    (state,) = run(read, "we're outside cincinatti")
    assert state["value"] == "OH" and state["additional_info"] == {"place": "Cincinnati"}
    (region,) = run(read, "NoVA")
    assert region["additional_info"] == {"place": "Northern Virginia"}


def facts(read, text):
    return facts_from_entities(run(read, text))


@pytest.mark.parametrize(
    "text,home",
    [
        ("we have a rental condo in tampa but we live in denver now", "FL"),
        ("got transferred to Phoenix last year, the house in Ohio is a rental now", "OH"),
        ("we moved to texas but still own the house in florida", "FL"),
        ("pcs'd from Las Vegas to North Carolina, the house in LV is rented out", "NV"),
        ("we live in Chicago, the condo is in Scottsdale", "AZ"),
        ("vacation cabin in the Poconos, we live in jersey", "PA"),
        # one state named: it is the home's, whatever the verb
        ("we live in ohio", "OH"),
        ("we moved down to georgia in 2019, house worth 250", "GA"),
        ("relocated to boise for work and the house is there", "ID"),
    ],
)
def test_the_homes_state_wins_over_where_the_owners_live(read, text, home):
    assert facts(read, text)["us_state"] == home


def test_where_the_owners_live_gets_a_role(read):
    ents = run(read, "we live in nyc but the condo we own is in miami")
    assert [(e["value"], e.get("role")) for e in ents] == [("NY", "elsewhere"), ("FL", None)]
    # a place in several states is asked about even when the owners live elsewhere
    ents = run(read, "we live in ohio, the rental is in portland")
    assert place_question(ents) == {"place": "Portland", "states": ["OR", "ME"]}
    assert "us_state" not in facts_from_entities(ents)


@pytest.mark.parametrize(
    "text,away",
    [
        ("my cousin out in scottsdale keeps telling us to sell", "AZ"),
        ("my in-laws live in naples and want us to move down", "FL"),
        ("wife's sister who lives up in vermont went through this", "VT"),
        ("we spend summers visiting relatives in kentucky", "KY"),
        ("my dad moved to arizona after he retired", "AZ"),
        ("my buddy in Austin did a short sale", "TX"),
    ],
)
def test_a_relatives_place_is_not_the_home(read, text, away):
    ents = run(read, text)
    assert [(e["value"], e.get("role")) for e in ents] == [(away, "elsewhere")]
    assert "us_state" not in facts_from_entities(ents)


@pytest.mark.parametrize(
    "text,home",
    [
        # a relative's place beside the home's: the home's state counts
        ("my mom in tucson says just walk away, the house is in sacramento", "CA"),
        ("condo in akron, owe 140. my brother down in tampa bought one too", "OH"),
        # one state, no relative: the home's, whatever the verb
        ("we live in kansas", "KS"),
        ("our townhouse is in delaware", "DE"),
        ("came out to nevada in 2020 and bought there", "NV"),
        # the owners themselves, with family words
        ("me and my husband live in oregon", "OR"),
        ("our family moved to idaho in 2017", "ID"),
        ("we bought near my parents in boise", "ID"),
        ("it's our family home in vermont", "VT"),
    ],
)
def test_the_homes_state_beside_relatives(read, text, home):
    assert facts(read, text)["us_state"] == home


def test_a_relatives_place_in_several_states_is_not_asked_about(read):
    ents = run(read, "my sister up in portland went through a short sale")
    assert [(e["entity"], e.get("role")) for e in ents] == [("place", "elsewhere")]
    assert place_question(ents) is None
    # the home's place is asked about even beside a relative's state
    ents = run(read, "condo in cleveland, my brother down in tampa says sell")
    assert place_question(ents) == {"place": "Cleveland", "states": ["OH", "TN"]}
    assert "us_state" not in facts_from_entities(ents)


@pytest.mark.parametrize("text,code", [("or", "OR"), ("In", "IN"), ("me.", "ME"), ("OK", "OK"), ("tx", "TX")])
def test_a_bare_code_answers_which_state(text, code):
    assert answer_facts(text, [], "us_state") == {"us_state": code}


@pytest.mark.parametrize("asked", [None, "home_value", "months_behind", "occupancy"])
def test_a_bare_code_answers_nothing_else(asked):
    assert "us_state" not in answer_facts("or", [], asked)

"""Per-lien conditions as NLU entities and scenario slots: acres, loan_year, lender_type, units,
second_lien_purpose, the way homeowners post them (lower case, typos, run-ons).

Real entity path: the project spaCy pipeline built into a tmp dir (fact ruler, lien span ruler,
negspacy) run through Rasa's SpacyNLP -> SpacyTokenizer -> WalkawayEntityExtractor, then
``knowledge.scenario_facts``.  No stubs.
"""

import pytest

from bot.nlu.entity_reader import EntityReader
from knowledge.scenario_facts import answer_facts, facts_from_entities
from knowledge.vocabulary import lien_numbers

NEW_SLOTS = ("lot_acres", "loan_year", "lender_type", "dwelling_units", "second_lien_purpose")


@pytest.fixture(scope="module")
def read(tmp_path_factory):
    return EntityReader(tmp_path_factory.mktemp("liens"))


def lien_facts(read, text):
    """The new slots a message fills."""
    facts = facts_from_entities(read(text))
    return {k: v for k, v in facts.items() if k in NEW_SLOTS}


def values(read, text, entity):
    return [(e["value"], e.get("role")) for e in read(text) if e["entity"] == entity]


# --- each new fact in forum words ---------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    # acres
    ("we're on 5 acres outside of bend, owe like 338", {"lot_acres": 5.0}),
    ("its a 10-acre lot, house is worth maybe 600", {"lot_acres": 10.0}),
    ("five acres in the hill country", {"lot_acres": 5.0}),
    ("house sits on half an acre", {"lot_acres": 0.5}),
    ("a quarter acre lot in the suburbs, nothing special", {"lot_acres": 0.25}),
    ("1/4 acre, 3 bed 2 bath, owe 290", {"lot_acres": 0.25}),
    ("its on 2.5 acres and we owe 410k", {"lot_acres": 2.5}),
    ("got about 40 acres with the house, owe 520 on it", {"lot_acres": 40.0}),
    ("the lot is like 3 acers", {"lot_acres": 3.0}),
    ("less than an acre, just a normal lot", {"lot_acres": 0.5}),
    ("two and a half acres out in the county", {"lot_acres": 2.5}),
    # loan_year of the first mortgage
    ("we bought in 2006 at the peak", {"loan_year": 2006}),
    ("the loan is from 2011, we owe 260", {"loan_year": 2011}),
    ("got our mortgage in 2012", {"loan_year": 2012}),
    ("refinanced in 2015 to get a lower rate", {"loan_year": 2015}),
    ("we bought the place back in 2004 for 250", {"loan_year": 2004}),
    ("bought it in '06 right before the crash", {"loan_year": 2006}),
    ("bought a house in cape coral in 2005 with an 80/20", {"loan_year": 2005, "second_lien_purpose": "purchase"}),
    ("we bought in 2006 and refinanced in 2012", {"loan_year": 2012}),
    # a second lien's year fills no slot
    ("took out the heloc in 2006", {}),
    ("a 150k heloc from 2007", {}),
    ("we have 2 loans, the first from 2005 and a heloc from 2008", {"loan_year": 2005}),
    # lender_type
    ("the seller financed it, we pay him directly", {"lender_type": "seller"}),
    ("its owner financing, no bank involved", {"lender_type": "seller"}),
    ("the seller carried the note for 10 years", {"lender_type": "seller"}),
    ("the previous owner is the lender", {"lender_type": "seller"}),
    ("we bought on a land contract", {"lender_type": "seller"}),
    ("we got it through a credit union", {"lender_type": "institution"}),
    ("loan is with chase", {"lender_type": "institution"}),
    ("our lender is rocket mortgage", {"lender_type": "institution"}),
    ("got our mortgage in 2012 thru wells fargo", {"loan_year": 2012, "lender_type": "institution"}),
    ("its a mortgage company out of texas", {"lender_type": "institution"}),
    ("private lender, hard money loan at 12%", {"lender_type": "private"}),
    ("my uncle lent us the money to buy it", {"lender_type": "private"}),
    ("we borrowed from my parents to buy the house", {"lender_type": "private"}),
    # units
    ("it's a duplex, we live in one side and rent the other", {"dwelling_units": 2}),
    ("triplex in providence, owe 480", {"dwelling_units": 3}),
    ("we own a fourplex worth maybe 700k", {"dwelling_units": 4}),
    ("its a 4-plex, all units rented", {"dwelling_units": 4}),
    ("quadplex, bought it in 2019", {"dwelling_units": 4, "loan_year": 2019}),
    ("single-family home in the burbs", {"dwelling_units": 1}),
    ("it's a condo downtown", {"dwelling_units": 1}),
    ("townhouse, hoa is killing us", {"dwelling_units": 1}),
    ("a 6-unit building we bought in 2018", {"dwelling_units": 6, "loan_year": 2018}),
    ("we live in the duplex", {"dwelling_units": 2}),
    # second_lien_purpose
    ("we did an 80/20 when we bought", {"second_lien_purpose": "purchase"}),
    ("piggyback loan in 2006", {"second_lien_purpose": "purchase"}),
    ("the second was for the down payment", {"second_lien_purpose": "purchase"}),
    ("we used the heloc to buy it", {"second_lien_purpose": "purchase"}),
    ("took out a home equity loan for the pool", {"second_lien_purpose": "other"}),
    ("heloc to pay off credit cards", {"second_lien_purpose": "other"}),
    ("HELOC from 2007 for a remodel", {"second_lien_purpose": "other"}),
    ("took out the heloc in 2006 to redo the kitchen", {"second_lien_purpose": "other"}),
    ("we got a second mortgage in 2005 to consolidate debt", {"second_lien_purpose": "other"}),
    ("we heloc'd the house in 2006 to pay for our daughter's college", {"second_lien_purpose": "other"}),
])
def test_forum_messages(read, text, expected):
    assert lien_facts(read, text) == expected


# --- negations and words that only look like these facts --------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("not seller financed, its a regular bank loan", {"lender_type": "institution"}),
    ("it was not seller financed", {}),
    ("no owner financing or anything weird", {}),
    ("not a hard money loan, just a normal mortgage", {}),
    ("not a duplex, just a regular single family", {"dwelling_units": 1}),
    ("its not a condo", {}),
    ("we have a heloc", {}),  # a bare mention of a HELOC: no purpose
    ("we have a heloc too, owe 60 on it", {}),
    ("we chase the lender every month for answers", {}),  # "chase" the verb is no lender
    ("the bank wont return our calls", {}),
    ("we are in 2007 territory prices again", {}),
    ("chase wants 2 payments", {}),
    ("we might take a heloc for a new roof", {}),  # a plan, not a loan
    ("if we refinanced in 2020 would it help", {}),
    ("we pay private mortgage insurance", {}),
    ("it was a bad investment, we owe 400 on 2 acres", {"lot_acres": 2.0}),
])
def test_negated_and_lookalike_mentions(read, text, expected):
    assert lien_facts(read, text) == expected


def test_bad_investment_stays_no_occupancy(read):
    facts = facts_from_entities(read("honestly a bad investment, duplex on 2 acres, bought in 2009"))
    assert "occupancy" not in facts
    assert (facts["dwelling_units"], facts["lot_acres"], facts["loan_year"]) == (2, 2.0, 2009)


# --- no year, acreage or unit count is ever dollars or months ----------------------------------------

@pytest.mark.parametrize("text", [
    "HELOC from 2007 for a remodel",
    "we bought in 2006, 3 months behind",
    "owe like 338 on a 10-acre lot",
    "we owe on 40 acres",
    "its a 6-unit building, owe 900k",
    "five acres and a 4-plex, bought in 2019",
    "2.5 acres",
    "the loan is from 2011",
])
def test_numbers_are_not_amounts(read, text):
    ents = read(text)
    amounts = [e["value"] for e in ents if e["entity"] == "amount"]
    assert not any(v in (2007, 2006, 2011, 2019, 10, 10000, 40, 40000, 6, 6000, 5, 4, 4000, 2.5, 2500)
                   for v in amounts), ents
    assert [e["value"] for e in ents if e["entity"] == "months"] in ([], [3]), ents


def test_the_whole_two_lien_story(read):
    text = "550k on the first we bought it with, plus a 150k HELOC from 2007 for a remodel"
    ents = read(text)
    assert sorted((e["value"], e.get("role")) for e in ents if e["entity"] == "amount") == [
        (150000, "second_lien"), (550000, "first_lien")]
    assert values(read, text, "loan_year") == [(2007, "second_lien")]
    assert facts_from_entities(ents) == {
        "loan_purpose": "purchase", "second_lien_purpose": "other", "second_lien_balance": 150000,
        "loan_balance": 700000}


def test_the_whole_story_with_state_and_value(read):
    text = ("we're in California, worth 600k, 550k on the first we bought it with, plus a 150k HELOC "
            "from 2007 for a remodel")
    assert facts_from_entities(read(text)) == {
        "us_state": "CA", "home_value": 600000, "loan_purpose": "purchase", "second_lien_purpose": "other",
        "second_lien_balance": 150000, "loan_balance": 700000}


def test_entity_values_and_types(read):
    ents = read("duplex on half an acre, seller financed back in 2004, bought in 2004")
    got = {e["entity"]: e["value"] for e in ents}
    assert got == {"units": 2, "acres": 0.5, "lender_type": "seller", "loan_year": 2004}
    assert isinstance(got["units"], int) and isinstance(got["loan_year"], int) and isinstance(got["acres"], float)
    for e in ents:
        assert e["extractor"] == "WalkawayEntityExtractor" and "role" not in e


# --- bare answers to the form's questions ------------------------------------------------------------

@pytest.mark.parametrize("asked,text,expected", [
    ("lot_acres", "5", 5.0),
    ("lot_acres", "about 3", 3.0),
    ("lot_acres", "half an acre", 0.5),
    ("lot_acres", "less than an acre", 0.5),
    ("lot_acres", "2.5 acres", 2.5),
    ("loan_year", "2007", 2007),
    ("loan_year", "around 2010", 2010),
    ("loan_year", "'06", 2006),
    ("dwelling_units", "2", 2),
    ("dwelling_units", "it's a duplex", 2),
    ("dwelling_units", "4 units", 4),
])
def test_bare_answers(read, asked, text, expected):
    assert answer_facts(text, read(text), asked).get(asked) == expected


@pytest.mark.parametrize("asked,text", [
    ("lot_acres", "no idea"), ("lot_acres", "300k"), ("loan_year", "a while ago"), ("loan_year", "1850"),
    ("dwelling_units", "lots"),
])
def test_unreadable_answers_fill_nothing(read, asked, text):
    assert asked not in answer_facts(text, read(text), asked)


def test_bare_numbers_answer_only_their_question(read):
    assert "lot_acres" not in answer_facts("5", read("5"), "home_value")
    assert answer_facts("2007", read("2007"), "lot_acres") == {}  # a year is no lot size
    assert answer_facts("5", read("5"), "loan_year") == {}
    assert answer_facts("2", read("2"), "months_behind") == {"months_behind": 2}


def test_number_readers():
    assert lien_numbers.year("heloc from 2007") == 2007 and lien_numbers.year("in 1949") is None
    assert lien_numbers.acres("three quarters of an acre") == 0.75
    assert lien_numbers.acres("1 1/2 acres") == 1.5
    assert lien_numbers.units("a 6-unit building") == 6
    assert lien_numbers.year_answer("06") == 2006 and lien_numbers.year_answer("5") is None


@pytest.mark.parametrize("reply,expected", [
    ("we took it out later for a pool", "other"),
    ("a remodel, years after we bought", "other"),
    ("paid off credit cards with it", "other"),
    ("for the down payment", "purchase"),
    ("it was an 80/20 when we bought", "purchase"),
    ("no idea honestly", None),
])
def test_a_bare_reply_about_the_second_liens_purpose(reply, expected):
    assert answer_facts(reply, [], "second_lien_purpose").get("second_lien_purpose") == expected


@pytest.mark.parametrize("reply,expected", [
    ("none", 0), ("no, just the one mortgage", 0), ("nope nothing", 0), ("about 60k", 60_000), ("60", 60_000),
    ("no idea", None), ("not sure", None),
])
def test_a_bare_reply_about_a_second_lien(reply, expected):
    assert answer_facts(reply, [], "second_lien_balance").get("second_lien_balance") == expected

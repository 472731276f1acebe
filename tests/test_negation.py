"""Negated, contrasted and hypothetical mentions of scenario facts, the way homeowners write them.

Each row: the message, the readings it must give, and the readings it must NOT give (the value a
negated or figurative word would wrongly produce).  Real pipeline (bot.nlu.spacy_pipeline with the
fact ruler and negspacy), real WalkawayEntityExtractor.
"""

import pytest
import spacy

from bot.nlu import spacy_pipeline
from bot.nlu.entity_normalizer import WalkawayEntityExtractor

BEHIND = ("payment_status", "behind")
CURRENT = ("payment_status", "current")
PRIMARY = ("occupancy", "primary")
SECOND_HOME = ("occupancy", "second_home")
INVESTMENT = ("occupancy", "investment")
PURCHASE = ("loan_purpose", "purchase")
REFINANCE = ("loan_purpose", "refinance")
CASH_OUT = ("loan_purpose", "cash_out")
HELOC = ("loan_purpose", "heloc")
HARDSHIP = ("hardship", True)
NO_HARDSHIP = ("hardship", False)
KEEP = ("goal", "keep_home")
LEAVE = ("goal", "leave_home")
UNDECIDED = ("goal", "undecided")
SKIP = ("scenario_control", "skip")
NO_SECOND_LIEN = ("amount", 0, "second_lien")
PAID_OFF = ("amount", 0, "loan_balance")

# (message, readings it gives, readings it must not give)
TABLE = [
    # payment status: a negated "late"/"behind"/"missed" means current, never behind
    ("we've never been late", {CURRENT}, {BEHIND}),
    ("never missed a payment in 11 yrs", {CURRENT}, {BEHIND}),
    ("havent missed any payments", {CURRENT}, {BEHIND}),
    ("not behind yet but will be", {CURRENT}, {BEHIND}),
    ("we're not behind on anything, just drowning in negative equity", {CURRENT}, {BEHIND}),
    ("i am not late on my mortgage", {CURRENT}, {BEHIND}),
    ("zero missed payments so far", {CURRENT}, {BEHIND}),
    ("we aren't current anymore", {BEHIND}, {CURRENT}),
    ("honestly we are not up to date, missed march and april", {BEHIND}, {CURRENT}),
    ("what happens if I fall behind?", set(), {BEHIND, CURRENT}),
    ("not sure if we're behind, my wife handles the bills", set(), {BEHIND, CURRENT}),
    # occupancy: "not a rental" is nothing (no guess of primary), "a bad investment" is no rental
    ("it's not a rental anymore, we moved back in", {PRIMARY}, {INVESTMENT}),
    ("no tenants", set(), {INVESTMENT, PRIMARY}),
    ("it's not a rental", set(), {INVESTMENT, PRIMARY}),
    ("we do not rent it out", set(), {INVESTMENT}),
    ("it isnt an investment property, we live in it", {PRIMARY}, {INVESTMENT}),
    ("no real hardship, it's just a bad investment now", {NO_HARDSHIP}, {INVESTMENT, HARDSHIP}),
    ("biggest mistake of my life, terrible investment but we live there", {PRIMARY}, {INVESTMENT}),
    ("the rental market here is insane", set(), {INVESTMENT}),
    ("we live in a rental now and the house just sits there", set(), {INVESTMENT}),
    ("we don't live there anymore", set(), {PRIMARY}),
    ("its not a vacation home or anything", set(), {SECOND_HOME}),
    ("it is not our primary residence", set(), {PRIMARY}),
    ("nope its our home, been there 9 years", {PRIMARY}, {INVESTMENT}),
    ("we used to rent it out", set(), {INVESTMENT}),
    # loan purpose: "no heloc" is a $0 second lien, never a HELOC loan
    ("just the one loan we bought it with, no heloc or anything", {PURCHASE, NO_SECOND_LIEN}, {HELOC}),
    ("no heloc or second or anything", {NO_SECOND_LIEN}, {HELOC}),
    ("we dont have a HELOC", {NO_SECOND_LIEN}, {HELOC}),
    ("no second mortgage", {NO_SECOND_LIEN}, set()),
    ("wasn't a cash out", set(), {CASH_OUT}),
    ("it was a refi but wasn't a cash out", {REFINANCE}, {CASH_OUT}),
    ("no cash out, just a straight refi for the rate", {REFINANCE}, {CASH_OUT}),
    ("we never took cash out", set(), {CASH_OUT}),
    ("never refinanced, its the original loan", {PURCHASE}, {REFINANCE}),
    ("not a heloc, it's a regular mortgage from when we bought it", {PURCHASE, NO_SECOND_LIEN}, {HELOC}),
    ("550k on the first plus a 150k HELOC", set(), {HELOC, NO_SECOND_LIEN}),
    # hardship: a negated hardship word is false ("no hardship") or nothing ("haven't lost my job")
    ("no hardship", {NO_HARDSHIP}, {HARDSHIP}),
    ("not really a hardship, just tired of throwing money at it", {NO_HARDSHIP}, {HARDSHIP}),
    ("haven't lost my job", set(), {HARDSHIP}),
    ("no job loss or anything like that", {NO_HARDSHIP}, {HARDSHIP}),
    ("no medical issues, nobody got divorced lol", set(), {HARDSHIP}),
    ("I wasn't laid off, my hours got cut", {HARDSHIP}, set()),
    ("we're sick of paying for a house worth 150k less", set(), {HARDSHIP}),
    ("nothing happened, we just don't want to keep paying", {NO_HARDSHIP}, {HARDSHIP}),
    ("afraid I'll lose my job next year", set(), {HARDSHIP}),
    ("we're not drowning or anything, just underwater", set(), {HARDSHIP}),
    ("drowning in negative equity but we can pay", set(), {HARDSHIP}),
    # the tenant's missed rent is the landlord's hardship, never the owner's "behind"
    ("tenant stopped paying rent, we're still current on the mortgage", {HARDSHIP, INVESTMENT, CURRENT}, {BEHIND}),
    ("renters haven't paid in a while", {HARDSHIP, INVESTMENT}, {BEHIND}),
    ("our tenants are behind, not us", {HARDSHIP, INVESTMENT}, {BEHIND}),
    ("the tenant never stopped paying, we just want out", {LEAVE}, {HARDSHIP, BEHIND}),
    # goal: "don't want to keep it" is leaving, "not trying to walk away" is not
    ("I don't want to keep it", {LEAVE}, {KEEP}),
    ("I'm not trying to walk away", set(), {LEAVE}),
    ("i don't want to sell, we love the neighborhood", {KEEP}, {LEAVE}),
    ("we're not done with it yet", set(), {LEAVE}),
    ("should we sell it or keep it", set(), {KEEP, LEAVE}),
    ("can I keep my house if I file chapter 7", set(), {KEEP}),
    ("how long can I stay in the house after I stop paying", set(), {KEEP, BEHIND}),
    ("not sure yet", {UNDECIDED}, {SKIP}),
    ("should we just get out from under it?", set(), {LEAVE}),
    ("could we just walk away from it", set(), {LEAVE}),
    ("wondering if we dump it or hang on", set(), {LEAVE, KEEP}),
    ("not trying to get rid of it", set(), {LEAVE}),
    ("it's not our primary anymore", set(), {PRIMARY}),
    # no balance
    ("the house isn't paid off", set(), {PAID_OFF, BEHIND}),
    ("we don't own it outright", set(), {PAID_OFF}),
    ("we paid off the heloc last year", set(), {PAID_OFF}),
    ("no, it's paid off", {PAID_OFF}, set()),
]


def reading(entity):
    return (entity["entity"], entity["value"]) + ((entity["role"],) if "role" in entity else ())


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    nlp = spacy.load(spacy_pipeline.write(tmp_path_factory.mktemp("spacy") / "spacy-walkaway"))
    extractor = WalkawayEntityExtractor({})
    return lambda text: {reading(e) for e in extractor.extract(text, nlp)}


def test_the_table_is_big_enough():
    assert len(TABLE) >= 40 and len({text for text, _, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize("text,wanted,unwanted", TABLE, ids=[row[0][:40] for row in TABLE])
def test_negated_and_contrasted(extract, text, wanted, unwanted):
    got = extract(text)
    assert wanted <= got, f"missing {wanted - got} in {got}"
    assert not (unwanted & got), f"negated or figurative reading {unwanted & got}"

"""Scenario facts as NLU entities: the real project spaCy pipeline (fact ruler, lookup lemmatizer,
negspacy) built into a tmp dir, run through Rasa's SpacyNLP -> SpacyTokenizer -> WalkawayEntityExtractor.

Negated and contrasted phrasings have their own table in tests/test_negation.py.
"""

import json

import pytest
import spacy
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import fact_patterns
from bot.nlu.entity_reader import EntityReader
from bot.nlu.entity_normalizer import WalkawayEntityExtractor
from knowledge.vocabulary import facts

FACT_ENTITIES = ("payment_status", "occupancy", "loan_purpose", "hardship", "goal", "scenario_control")


@pytest.fixture(scope="module")
def read(tmp_path_factory):
    """The real entity path: SpacyNLP -> SpacyTokenizer -> WalkawayEntityExtractor on the built pipeline."""
    return EntityReader(tmp_path_factory.mktemp("facts"))


def run(read, text, entities=None):
    return read(text, entities)


def fact_readings(entities):
    """The fact entities only, as (entity, value[, role]) in text order; amounts only when $0."""
    out = []
    for e in entities:
        if e["entity"] in FACT_ENTITIES or (e["entity"] == "amount" and e["value"] == 0):
            out.append((e["entity"], e["value"]) + ((e["role"],) if "role" in e else ()))
    return out


# --- short answers to the form's questions ------------------------------------------------------

@pytest.mark.parametrize(
    "text,expected",
    [
        ("rental", [("occupancy", "investment")]),
        ("we live there", [("occupancy", "primary")]),
        ("yes we live in it", [("occupancy", "primary")]),
        ("its our vacation place up north", [("occupancy", "second_home")]),
        ("current", [("payment_status", "current")]),
        ("Current.", [("payment_status", "current")]),
        ("behind", [("payment_status", "behind")]),
        ("im 3 payments behind", [("payment_status", "behind")]),
        ("stopped paying in june", [("payment_status", "behind")]),
        ("keep it", [("goal", "keep_home")]),
        ("sell", [("goal", "leave_home")]),
        ("want out", [("goal", "leave_home")]),
        ("walk away", [("goal", "leave_home")]),
        ("not sure yet", [("goal", "undecided")]),
        ("undecided", [("goal", "undecided")]),
        ("torn tbh", [("goal", "undecided")]),
        ("I don't know", [("scenario_control", "skip")]),
        ("no idea", [("scenario_control", "skip")]),
        ("skip this one", [("scenario_control", "skip")]),
        ("id rather not say", [("scenario_control", "skip")]),
        ("stop asking me questions", [("scenario_control", "stop")]),
        ("never mind, maybe later", [("scenario_control", "stop"), ("scenario_control", "stop")]),
        ("refi", [("loan_purpose", "refinance")]),
        ("we refinanced in 2012 for a lower rate", [("loan_purpose", "refinance")]),
        ("bought it with it", [("loan_purpose", "purchase")]),
        ("cash-out refi in 2006 for the kitchen", [("loan_purpose", "cash_out")]),
        ("we took cash out to pay off credit cards", [("loan_purpose", "cash_out")]),
        ("it's a heloc, there's no first mortgage", [("loan_purpose", "heloc")]),
        ("lost my job", [("hardship", True)]),
        ("divorce", [("hardship", True)]),
        ("hubby got laid off in january", [("hardship", True)]),
        ("the payment doubled when our ARM reset", [("hardship", True), ("hardship", True)]),
        ("no hardship", [("hardship", False)]),
        ("we can afford it, just a strategic decision", [("hardship", False), ("hardship", False)]),
        ("we own it free and clear", [("amount", 0, "loan_balance")]),
        ("it's paid off", [("amount", 0, "loan_balance")]),
        ("just the one loan", [("amount", 0, "second_lien")]),
    ],
)
def test_short_answers(read, text, expected):
    assert fact_readings(run(read, text)) == expected


def test_plain_no_is_left_to_the_dialogue(read):
    """A bare "no" answers whatever was asked: the form reads it with the intent, the NLU adds no fact."""
    assert fact_readings(run(read, "no")) == []
    assert fact_readings(run(read, "nope")) == []


def test_wanting_to_keep_the_house_is_a_goal_not_a_question(read):
    assert fact_readings(run(read, "I want to keep the house")) == [("goal", "keep_home")]
    text = "honestly we'd like to stay if we can swing it"
    assert fact_readings(run(read, text)) == [("goal", "keep_home")]


# --- several facts in one message ------------------------------------------------------------

def test_a_whole_story(read):
    text = ("I have a rental condo in Honolulu worth 400k, owe 520k, bought it with the loan, current, "
            "no hardship, want to dump it")
    ents = run(read, text)
    assert fact_readings(ents) == [
        ("occupancy", "investment"),
        ("loan_purpose", "purchase"),
        ("payment_status", "current"),
        ("hardship", False),
        ("goal", "leave_home"),
    ]
    spans = {e["entity"]: text[e["start"]:e["end"]] for e in ents if e["entity"] in FACT_ENTITIES}
    assert spans == {"occupancy": "rental", "loan_purpose": "bought it with", "payment_status": "current",
                     "hardship": "hardship", "goal": "want to dump"}
    for e in ents:
        assert e["extractor"] == "WalkawayEntityExtractor" and e["confidence"] == 1.0
    hardship = json.loads(json.dumps(ents))[[e["entity"] for e in ents].index("hardship")]
    assert hardship["value"] is False  # a JSON bool, not "false"


def test_facts_beside_states_and_amounts(read):
    text = "I'm in Ohio, 3 months behind, hubby lost his job and we can't afford it, house is worth 180k"
    ents = run(read, text)
    names = [(e["entity"], e["value"]) for e in ents]
    assert ("us_state", "OH") in names and ("months", 3) in names and ("amount", 180000) in names
    assert fact_readings(ents) == [("payment_status", "behind"), ("hardship", True), ("hardship", True)]


def test_a_paid_off_home_is_a_zero_balance_amount(read):
    ents = run(read, "Texas, worth 250k, we paid it off in 2019")
    zero = [e for e in ents if e["entity"] == "amount" and e["value"] == 0]
    assert [(e["value"], e.get("role"), type(e["value"])) for e in zero] == [(0, "loan_balance", int)]


def test_capitalization_and_shorthand(read):
    for text in ("Lost my job in March", "lost my job in march", "LOST MY JOB in march", "Losing my job in june"):
        assert fact_readings(run(read, text)) == [("hardship", True)], text
    assert fact_readings(run(read, "We're Current On Everything")) == [("payment_status", "current")]
    assert fact_readings(run(read, "Im current")) == [("payment_status", "current")]
    assert fact_readings(run(read, "we dont wanna keep it")) == [("goal", "leave_home")]


# --- near-bare answers, the landlord's hardship, money running out --------------------------------

@pytest.mark.parametrize(
    "text,expected",
    [
        # a goal said in a few words
        ("just walk away tbh", [("goal", "leave_home")]),
        ("Honestly prob just walk away at this point", [("goal", "leave_home")]),
        ("definitely just sell it lol", [("goal", "leave_home")]),
        ("want to get out from under this thing", [("goal", "leave_home")]),
        ("get out from under the house and move on", [("goal", "leave_home")]),
        ("we'd dump it tomorrow if we could", [("goal", "leave_home")]),
        ("unload it and rent somewhere cheaper", [("goal", "leave_home")]),
        # occupancy in one word
        ("Primary.", [("occupancy", "primary")]),
        ("primary, we've lived there since 2015", [("occupancy", "primary"), ("occupancy", "primary")]),
        ("yeah thats our primary", [("occupancy", "primary")]),
        ("its primary not a rental", [("occupancy", "primary")]),
        # the tenant, not the owner, stopped paying: a hardship and a rental, never "behind"
        ("our tenants quit paying in feb", [("occupancy", "investment"), ("hardship", True)]),
        ("the renter hasnt paid rent since january", [("occupancy", "investment"), ("hardship", True)]),
        ("tennant stopped paying and we cant evict", [("occupancy", "investment"), ("hardship", True)]),
        ("renters moved out in may, place has been empty since", [("occupancy", "investment"), ("hardship", True)]),
        ("we couldn't find a tenant after the last one left", [("occupancy", "investment"), ("hardship", True)]),
        # money running out
        ("honestly we're drowning", [("hardship", True)]),
        ("been living paycheck to paycheck since the divorce", [("hardship", True), ("hardship", True)]),
        ("dad's hospital bills are piling up", [("hardship", True), ("hardship", True)]),
        ("we burned through our savings", [("hardship", True)]),
        ("no savings left at all", [("hardship", True)]),
    ],
)
def test_few_words_and_other_peoples_trouble(read, text, expected):
    assert fact_readings(run(read, text)) == expected


def test_a_named_hardship_beats_a_denial_in_the_same_message(read):
    """The slot takes the last reading: a general denial after a named hardship must not come out."""
    text = ("between the mortgage and my mom's chemo bills we're going under, savings are gone. "
            "nobody lost a job or anything like that")
    readings = [r for r in fact_readings(run(read, text)) if r[0] == "hardship"]
    assert readings and set(readings) == {("hardship", True)}
    assert set(fact_readings(run(read, "no hardship really, income is fine"))) == {("hardship", False)}


# --- words that are not the user's fact -----------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "what happens if I stop paying?",
        "should I sell or just walk away from it?",
        "can I keep my house if I file chapter 13",
        "how long can I stay in the house after foreclosure starts",
        "current value is maybe 300k",
        "the rental market is nuts here",
        "sick of paying for a house worth half what we owe",
        "it was a bad investment",
        "is Texas a recourse state?",
        "we live in Texas",
        "my house in Phoenix is worth 250k and we owe 340k",
        "I want to refinance but the bank says no",
        "we paid off the car last year",
        "next month it resets",
        "Walking away from a mortgage, what does it do to my credit",
        "should we just walk away?",
        "can we get out from under it without a foreclosure",
        "if I walk away what happens to my credit",
        "primary mortgage is 240k",
        "what if the tenant stops paying",
    ],
)
def test_no_fact(read, text):
    assert fact_readings(run(read, text)) == []


# --- configuration and the pipeline ----------------------------------------------------------------

def test_config_selects_fact_entities(read):
    ents = run(read, "we're behind and want out, it's a rental", ["goal"])
    assert [(e["entity"], e["value"]) for e in ents] == [("goal", "leave_home")]
    # a paid-off home is an amount
    ents = run(read, "I'm in Utah, it's paid off and we're current", ["amount"])
    assert [(e["entity"], e["value"], e["role"]) for e in ents] == [("amount", 0, "loan_balance")]


def test_no_facts_without_a_spacy_pipeline():
    message = Message({"text": "I'm in Texas, it's a rental and we're behind"})
    WalkawayEntityExtractor({}).process([message])
    assert [e["entity"] for e in message.get("entities")] == ["us_state"]


def test_the_built_pipeline(read):
    nlp = spacy.load(read.pipeline_dir)
    names = nlp.pipe_names
    assert names.index("entity_ruler") < names.index("lemmatizer") < names.index(fact_patterns.RULER)
    assert names[-2:] == [fact_patterns.NEGATED, fact_patterns.HYPOTHETICAL]
    patterns = nlp.get_pipe(fact_patterns.RULER).patterns
    assert {p["label"] for p in patterns} == {fact_patterns.FACT_LABEL, fact_patterns.NOT_FACT_LABEL}
    ids = {p["id"] for p in patterns if p["label"] == fact_patterns.FACT_LABEL}
    assert ids == {f.key for f in facts.all_facts()}  # every Fact has patterns, every pattern id is a Fact
    # the saved lookup table has the case variants: lemmas do not depend on spacy-lookups-data at run time
    assert [t.lemma_ for t in nlp("Lost LOST lost Tenants")] == ["lose", "lose", "lose", "tenant"]


def test_fact_spans_win_over_state_candidates(read):
    """"can't" is tokenized "ca" + "n't": the fact span replaces the "ca" state candidate."""
    nlp = spacy.load(read.pipeline_dir)
    doc = nlp("we can't afford it")
    assert [(e.text, e.label_) for e in doc.ents] == [("can't afford", fact_patterns.FACT_LABEL)]

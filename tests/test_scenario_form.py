"""validate_scenario_form with real rasa_sdk Trackers and a real CollectingDispatcher.

Each test builds the tracker Rasa sends to the validation action during a form turn: the earlier
conversation, the user message with the entities the real NLU readers give it, the slots Rasa's own
action_extract_slots fills from them, and the form's candidate SlotSet events. The intent is the
test's (the sentence classifier needs the trained model; tests/e2e covers it).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection

from actions.fallback import ActionDefaultFallback
from actions.scenario_form import ValidateScenarioForm
from knowledge.loader import build, make_engine
from knowledge.repository import KnowledgeRepository
from tests.support import scenario_turns as turns

ROOT = Path(__file__).resolve().parents[1]
FORM = "scenario_form"


@pytest.fixture(scope="module")
def repo():
    engine = make_engine("sqlite://")
    build(engine)
    yield KnowledgeRepository(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def domain() -> Dict[str, Any]:
    """The merged domain dict (slots, forms, responses) as the action server receives it."""
    merged: Dict[str, Any] = {"slots": {}, "forms": {}, "responses": {}, "intents": [], "entities": []}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        part = yaml.safe_load(path.read_text()) or {}
        for key in ("slots", "forms", "responses"):
            merged[key].update(part.get(key) or {})
        for key in ("intents", "entities"):
            merged[key].extend(part.get(key) or [])
    return merged


@pytest.fixture
def form(repo) -> ValidateScenarioForm:
    return ValidateScenarioForm(repository=repo)


async def run(form, tracker, domain):
    dispatcher = CollectingDispatcher()
    events = await form.run(dispatcher, tracker, domain)
    sets = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    responses = [m.get("response") for m in dispatcher.messages]
    return sets, responses, dispatcher.messages


async def make_tracker(
    text: str,
    intent: str = "inform",
    before: Optional[Dict[str, Any]] = None,
    requested: Optional[str] = None,
    active: bool = True,
    entities: Optional[List[Dict[str, Any]]] = None,
    extracted: Optional[Dict[str, Any]] = None,
):
    """The tracker of one form turn: the real NLU entities of ``text`` (unless given, e.g. for a button
    payload) and the slots Rasa's own action_extract_slots fills from them (unless given)."""
    before = dict(before or {})
    entities = turns.parse(text) if entities is None else entities
    if extracted is None:
        extracted = await turns.extracted_slots(text, intent, entities, before, requested, active)
    return turns.form_tracker(text, intent, entities, before, requested, extracted, active)


async def turn(form, domain, text, **kwargs):
    return await run(form, await make_tracker(text, **kwargs), domain)


def ent(entity: str, value: Any, role: Optional[str] = None) -> Dict[str, Any]:
    e = {"entity": entity, "value": value, "start": 0, "end": 0, "extractor": "RegexMessageHandler"}
    if role:
        e["role"] = role
    return e


# --- answers to the question asked ------------------------------------------------------------------


@pytest.mark.parametrize("answer,code", [("texas", "TX"), ("TX", "TX"), ("Tex.", "TX"), ("cali", "CA"),
                                         ("I'm in north carolina", "NC"), ("48221", "MI"), ("sacramento", "CA")])
async def test_state_answers_in_words(form, domain, answer, code):
    sets, responses, messages = await turn(form, domain, answer, requested="us_state")
    assert sets["us_state"] == code
    assert sets["requested_slot"] == "home_value"
    assert responses == ["utter_scenario_noted"]


async def test_a_bare_state_read_as_a_state_question_is_left_to_the_state_rule(form, domain):
    # the rule answers Texas law and action_state_rules keeps the state (tests/e2e: "since we're in
    # washington state they can't come after us, right?")
    with pytest.raises(ActionExecutionRejection):
        await turn(form, domain, "Texas", intent="ask_state_rules", requested="us_state")


async def test_a_place_in_several_states_asks_which_one(form, domain):
    sets, responses, _ = await turn(form, domain, "portland", requested="us_state")
    assert sets.get("us_state") is None
    assert sets["scenario_place"]["states"][:2] == ["OR", "ME"]
    assert sets["requested_slot"] == "us_state"
    pending = {"scenario_place": sets["scenario_place"]}
    sets, responses, _ = await turn(form, domain, "oregon", requested="us_state", before=pending)
    assert sets["us_state"] == "OR" and sets["scenario_place"] is None


async def test_unknown_state_is_reasked_then_escape_offered(form, domain):
    sets, responses, messages = await turn(form, domain, "Narnia", requested="us_state")
    assert sets["us_state"] is None
    assert responses == ["utter_invalid_us_state"]
    assert messages[0]["answer"] == "Narnia"
    assert sets["scenario_retry"]["slot"] == "us_state" and sets["scenario_retry"]["count"] == 1
    assert sets["requested_slot"] == "us_state"

    second = await make_tracker("Middle Earth", requested="us_state", before={"scenario_retry": sets["scenario_retry"]})
    second.events.insert(0, {"event": "user", "text": "Narnia", "parse_data": {}, "timestamp": 1.0})  # an earlier turn
    sets, responses, _ = await run(form, second, domain)
    assert responses == ["utter_invalid_us_state", "utter_explain_us_state", "utter_scenario_escape"]
    assert sets["scenario_retry"]["count"] == 2
    assert sets["requested_slot"] == "us_state"


@pytest.mark.parametrize("answer,value", [("about 300 grand", 300_000.0), ("$1.2 million", 1_200_000.0),
                                          ("three hundred fifty thousand", 350_000.0), ("250k", 250_000.0),
                                          ("338", 338_000.0), ("like 276 maybe", 276_000.0)])
async def test_amount_answers_in_words(form, domain, answer, value):
    sets, responses, _ = await turn(form, domain, answer, requested="home_value", before={"us_state": "TX"})
    assert sets["home_value"] == value
    assert sets["requested_slot"] == "loan_balance"
    assert responses == ["utter_scenario_noted"]


async def test_thousands_we_assumed_are_said_back(form, domain):
    _, _, messages = await turn(form, domain, "338", requested="loan_balance",
                                before={"us_state": "TX", "home_value": 276_000.0})
    assert "$338,000" in messages[0]["facts"] and "thousands" in messages[0]["facts"]


async def test_not_a_number_is_reasked(form, domain):
    sets, responses, messages = await turn(form, domain, "a lot, honestly", requested="home_value",
                                           before={"us_state": "TX"})
    assert sets["home_value"] is None and responses == ["utter_invalid_amount"]
    assert messages[0]["what"] == "the home's value"
    assert sets["requested_slot"] == "home_value"


async def test_negative_amount_is_reasked(form, domain):
    sets, responses, _ = await turn(form, domain, "-5000", requested="loan_balance",
                                    before={"us_state": "TX", "home_value": 200_000.0})
    assert sets["loan_balance"] is None and responses == ["utter_invalid_negative_amount"]


async def test_absurd_home_value_asks_for_confirmation_then_takes_yes(form, domain):
    sets, responses, messages = await turn(form, domain, "$500", requested="home_value", before={"us_state": "TX"})
    assert sets["home_value"] is None
    assert responses == ["utter_confirm_amount"] and messages[0]["amount"] == "$500"
    assert sets["scenario_pending"] == {"slot": "home_value", "value": 500.0}

    sets, responses, _ = await turn(form, domain, "yes", intent="affirm", requested="home_value",
                                    before={"us_state": "TX", "scenario_pending": sets["scenario_pending"]})
    assert sets["home_value"] == 500.0 and sets["scenario_pending"] is None
    assert sets["requested_slot"] == "loan_balance"


async def test_absurd_amount_denied_is_asked_again(form, domain):
    sets, responses, _ = await turn(form, domain, "no", intent="deny", requested="home_value",
                                    before={"us_state": "TX", "scenario_pending": {"slot": "home_value", "value": 5e9}})
    assert sets["home_value"] is None and sets["scenario_pending"] is None
    assert responses == ["utter_amount_not_confirmed"]
    assert sets["requested_slot"] == "home_value"


async def test_zero_balance_means_nothing_owed(form, domain):
    sets, _, _ = await turn(form, domain, "nothing, it's paid off", requested="loan_balance",
                            before={"us_state": "TX", "home_value": 200_000.0})
    assert sets["loan_balance"] == 0.0


@pytest.mark.parametrize("answer", ["200", "-1", "a while"])
async def test_months_out_of_range_is_reasked(form, domain, answer):
    before = {"us_state": "OH", "home_value": 150_000.0, "loan_balance": 190_000.0, "occupancy": "primary",
              "payment_status": "behind"}
    sets, responses, _ = await turn(form, domain, answer, requested="months_behind", before=before)
    assert sets["months_behind"] is None
    assert responses == ["utter_invalid_months"]


async def test_choice_answers_in_words(form, domain):
    before = {"us_state": "OH", "home_value": 150_000.0, "loan_balance": 190_000.0}
    sets, _, _ = await turn(form, domain, "it's a rental, I have tenants", requested="occupancy", before=before)
    assert sets["occupancy"] == "investment"
    before.update(occupancy="primary", payment_status="current", months_behind=0.0)
    sets, _, _ = await turn(form, domain, "I lost my job in March", requested="hardship", before=before)
    assert sets["hardship"] is True
    # (bot.nlu.fact_intent makes this plain statement `inform`; the classifier alone calls it an FAQ)
    sets, _, _ = await turn(form, domain, "I want to keep the house", requested="goal", before=before)
    assert sets["goal"] == "keep_home"
    sets, _, _ = await turn(form, domain, "not sure yet", requested="goal", before=before)
    assert sets["goal"] == "undecided"


async def test_negated_words_never_give_the_value_they_negate(form, domain):
    before = {"us_state": "CA", "home_value": 450_000.0, "loan_balance": 520_000.0}
    sets, _, _ = await turn(form, domain, "just the one loan we bought it with, no heloc or anything",
                            requested="loan_purpose", before=dict(before, occupancy="primary"))
    assert sets["loan_purpose"] == "purchase"
    sets, _, _ = await turn(form, domain, "no real hardship, it's just a bad investment now", requested="hardship",
                            before=dict(before, occupancy="primary", loan_purpose="purchase", payment_status="current",
                                        months_behind=0.0))
    assert sets["hardship"] is False
    assert "occupancy" not in sets or sets["occupancy"] == "primary"


async def test_two_unanswered_asks_offer_skip_and_skip_drops_the_question(form, domain):
    before = {"us_state": "OH", "home_value": 150_000.0, "loan_balance": 190_000.0, "second_lien_balance": 0.0,
              "scenario_retry": {"slot": "occupancy", "count": 1, "turn": 0}}
    sets, responses, _ = await turn(form, domain, "purple", requested="occupancy", before=before)
    assert responses == ["utter_invalid_choice", "utter_explain_choice", "utter_scenario_escape"]

    skip = await make_tracker('/inform{"scenario_control":"skip"}', requested="occupancy",
                              entities=[ent("scenario_control", "skip")], before=before)
    sets, responses, _ = await run(form, skip, domain)
    assert responses == ["utter_scenario_skipped"]
    assert sets["scenario_skipped"] == ["occupancy"]
    assert sets["requested_slot"] == "payment_status"  # OH: loan purpose can't change the answer
    assert "home_value" not in sets or sets["home_value"] == 150_000.0


async def test_not_knowing_what_you_want_is_undecided_but_skip_skips(form, domain):
    before = {"us_state": "FL", "home_value": 180000.0, "loan_balance": 245000.0, "occupancy": "primary",
              "payment_status": "current", "hardship": False}
    sets, _, _ = await turn(form, domain, "not sure, depends on whether they can garnish me", requested="goal",
                            before=before)
    assert sets["goal"] == "undecided"
    sets, responses, _ = await turn(form, domain, "skip", requested="goal", before=before)
    assert sets["scenario_skipped"] == ["goal"] and responses == ["utter_scenario_skipped"]


async def test_skip_in_words(form, domain):
    sets, responses, _ = await turn(form, domain, "i'd rather not say", requested="home_value", before={"us_state": "TX"})
    assert responses == ["utter_scenario_skipped"] and sets["scenario_skipped"] == ["home_value"]


async def test_stop_ends_the_questions_and_keeps_the_answers(form, domain):
    before = {"us_state": "OH", "home_value": 150_000.0}
    sets, responses, _ = await turn(form, domain, "stop asking me questions", intent="deny", requested="loan_balance",
                                    before=before)
    assert sets["scenario_stopped"] is True
    assert sets["requested_slot"] is None
    assert responses == []  # action_assess_situation says that we stopped
    assert "us_state" not in sets and "home_value" not in sets


# --- several facts, facts for another question, corrections ------------------------------------------


async def test_several_facts_in_one_message_are_kept_and_said_back(form, domain):
    text = "I'm in Texas, the house is worth 200k, I owe 260k and I'm 2 months behind since I lost my job"
    sets, responses, messages = await turn(form, domain, text, intent="assess_situation", requested="us_state")
    assert sets["us_state"] == "TX" and sets["home_value"] == 200_000.0 and sets["loan_balance"] == 260_000.0
    assert sets["months_behind"] == 2.0 and sets["payment_status"] == "behind"
    assert sets["hardship"] is True
    assert sets["requested_slot"] == "second_lien_balance"  # the next question after the amounts
    assert responses == ["utter_scenario_noted"]
    for said in ("Texas", "$200,000", "$260,000", "behind"):
        assert said in messages[0]["facts"]


async def test_facts_for_another_question_are_kept_and_the_question_asked_again(form, domain):
    before = {"us_state": "AZ", "home_value": 276_000.0, "loan_balance": 338_000.0, "second_lien_balance": 0.0}
    sets, responses, messages = await turn(form, domain, "I'm behind", requested="occupancy", before=before)
    assert sets["payment_status"] == "behind"
    assert sets["requested_slot"] == "occupancy"
    assert responses == ["utter_scenario_noted"] and "behind" in messages[0]["facts"]


async def test_facts_while_asked_the_state(form, domain):
    text = "we owe about 410k and it's worth maybe 350k, the house is in Sacramento"
    sets, _, messages = await turn(form, domain, text, requested="us_state")
    assert sets["us_state"] == "CA" and sets["loan_balance"] == 410_000 and sets["home_value"] == 350_000
    assert "Sacramento" in messages[0]["facts"]


async def test_two_liens_add_up_to_what_is_owed(form, domain):
    text = "550k on the first plus a 150k heloc"
    sets, _, _ = await turn(form, domain, text, requested="loan_balance", before={"us_state": "CA", "home_value": 600_000.0})
    assert sets["loan_balance"] == 700_000


async def test_a_first_lien_adds_the_second_told_earlier(form, domain):
    before = {"us_state": "NV", "home_value": 440_000.0, "second_lien_balance": 35_000.0}
    sets, _, _ = await turn(form, domain, "we owe 478 on the first mortgage", requested="loan_balance", before=before)
    assert sets["loan_balance"] == 513_000


async def test_correction_mid_form_is_taken_said_and_the_question_repeated(form, domain):
    before = {"us_state": "TX", "home_value": 250_000.0, "loan_balance": 300_000.0, "second_lien_balance": 0.0}
    sets, responses, messages = await turn(form, domain, "actually it's worth 300k", before=before, requested="occupancy")
    assert sets["home_value"] == 300_000.0
    assert responses == ["utter_scenario_updated"]
    assert "$300,000" in messages[0]["changes"] and "$250,000" in messages[0]["changes"]
    assert sets["requested_slot"] == "occupancy"


async def test_bad_value_for_a_question_not_asked_keeps_what_we_had(form, domain):
    before = {"us_state": "TX", "home_value": 250_000.0}
    sets, responses, _ = await turn(form, domain, "it's worth 90 billion", before=before, requested="loan_balance")
    assert sets["home_value"] == 250_000.0
    assert responses[0] == "utter_confirm_amount"


async def test_months_mentioned_about_something_else_are_ignored(form, domain):
    before = {"us_state": "TX", "home_value": 250_000.0, "loan_balance": 300_000.0}
    sets, _, _ = await turn(form, domain, "we moved in 6 months before the crash", before=before, requested="occupancy")
    assert sets.get("months_behind") is None
    assert "payment_status" not in sets


async def test_questions_skipped_when_they_cannot_change_the_answer(form, domain):
    # Ohio: the deficiency rule doesn't depend on the loan's purpose; current -> no months question
    before = {"us_state": "OH", "home_value": 150_000.0, "loan_balance": 190_000.0, "second_lien_balance": 0.0}
    sets, _, _ = await turn(form, domain, "yes I live there", intent="affirm", requested="occupancy", before=before)
    assert sets["occupancy"] == "primary"
    assert sets["requested_slot"] == "payment_status"
    before.update(occupancy="primary")
    sets, _, _ = await turn(form, domain, "I'm current", requested="payment_status", before=before)
    assert sets["payment_status"] == "current" and sets["months_behind"] == 0.0
    assert sets["requested_slot"] == "hardship"


async def test_loan_purpose_asked_where_it_matters(form, domain):
    before = {"us_state": "TX", "home_value": 200_000.0, "loan_balance": 260_000.0, "second_lien_balance": 0.0}
    sets, _, _ = await turn(form, domain, "it's our home", requested="occupancy", before=before)
    assert sets["requested_slot"] == "loan_purpose"
    # ...but not when the home isn't underwater
    before.update(home_value=300_000.0)
    sets, _, _ = await turn(form, domain, "it's our home", requested="occupancy", before=before)
    assert sets["requested_slot"] == "payment_status"


async def test_a_question_mid_form_is_left_to_its_own_rule_then_its_facts_are_said_back(form, domain):
    before = {"us_state": "GA", "home_value": 200_000.0, "loan_balance": 224_000.0}
    text = "yes we live there. wait do they have to go to court in georgia?"
    tracker = await make_tracker(text, intent="ask_state_rules", requested="occupancy", before=before)
    assert tracker.get_slot("occupancy") == "primary"  # kept by the domain's mapping, whatever the intent
    with pytest.raises(ActionExecutionRejection):  # the form steps aside: the state-law rule answers
        await run(form, tracker, domain)
    # the rule's answer ran; the form resumes, says the fact back and asks the next question
    tracker.events.append({"event": "action", "name": "action_state_rules"})
    sets, responses, messages = await run(form, tracker, domain)
    assert responses[0] == "utter_scenario_noted" and "your home" in messages[0]["facts"]
    assert sets["requested_slot"] != "occupancy"


async def test_what_if_at_activation_revalidates_quietly_and_completes(form, domain):
    # after an assessment: "what if it's worth 400k" -> the rule re-activates the form; Rasa validates the
    # prefilled slots; everything is known, so the form completes without asking anything
    known = {"us_state": "TX", "home_value": 300_000.0, "loan_balance": 350_000.0, "second_lien_balance": 0.0,
             "occupancy": "primary", "loan_purpose": "purchase", "payment_status": "current", "months_behind": 0.0,
             "hardship": False, "goal": "leave_home", "scenario_assessed": {"us_state": "TX"}}
    now = dict(known, home_value=400_000.0)
    tracker = await make_tracker("what if it's worth 400k", before=known, extracted=now, requested=None, active=False)
    sets, responses, _ = await run(form, tracker, domain)
    assert sets["home_value"] == 400_000.0
    assert sets["requested_slot"] is None
    assert responses == []


async def test_what_if_about_payments_in_words(form, domain):
    known = {"us_state": "TX", "home_value": 300_000.0, "loan_balance": 350_000.0, "second_lien_balance": 0.0,
             "occupancy": "primary", "loan_purpose": "purchase", "payment_status": "current", "months_behind": 0.0,
             "hardship": False, "goal": "leave_home", "scenario_assessed": {"us_state": "TX"}}
    tracker = await make_tracker("what if I was 3 months behind", before=known, requested=None, active=False)
    sets, _, _ = await run(form, tracker, domain)
    assert sets["months_behind"] == 3.0 and sets["payment_status"] == "behind"
    assert sets["requested_slot"] is None


async def test_months_behind_said_while_asked_something_else(form, domain):
    before = {"us_state": "OH", "home_value": 150_000.0, "loan_balance": 190_000.0, "second_lien_balance": 0.0}
    sets, _, _ = await turn(form, domain, "yes, and we're 2 months behind", intent="affirm", requested="occupancy",
                            before=before)
    assert sets["occupancy"] == "primary"
    assert sets["months_behind"] == 2.0 and sets["payment_status"] == "behind"
    assert sets["requested_slot"] == "hardship"


async def test_button_payload_amount_without_role_answers_the_question(form, domain):
    tracker = await make_tracker('/inform{"amount": 260000}', entities=[ent("amount", 260000)],
                                 requested="loan_balance", before={"us_state": "TX", "home_value": 200_000.0})
    sets, _, _ = await run(form, tracker, domain)
    assert sets["loan_balance"] == 260000


async def test_months_behind_after_saying_current_updates_the_status(form, domain):
    before = {"us_state": "OH", "home_value": 150_000.0, "loan_balance": 190_000.0, "second_lien_balance": 0.0,
              "occupancy": "primary",
              "payment_status": "current", "months_behind": 0.0}
    sets, _, _ = await turn(form, domain, "oh wait, actually I'm 3 months behind", before=before, requested="hardship")
    assert sets["months_behind"] == 3.0 and sets["payment_status"] == "behind"
    assert sets["requested_slot"] == "hardship"


async def test_a_clear_answer_misread_as_goodbye_still_answers_the_question(form, domain):
    before = {"us_state": "FL", "home_value": 180000.0, "loan_balance": 245000.0, "occupancy": "primary",
              "payment_status": "current", "hardship": False}
    sets, _, _ = await turn(form, domain, "i'd rather leave honestly", intent="goodbye", requested="goal", before=before)
    assert sets["goal"] == "leave_home"
    # a real goodbye is not read as an answer: the form steps aside for the goodbye rule
    with pytest.raises(ActionExecutionRejection):
        await turn(form, domain, "ok bye", intent="goodbye", requested="goal", before=before)


async def test_fallback_mid_form_repeats_the_open_question_and_forgets_the_message(domain):
    dispatcher = CollectingDispatcher()
    tracker = await make_tracker("we bought it in 2019", requested="occupancy", before={"us_state": "FL"})
    events = await ActionDefaultFallback().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_form_not_understood", "utter_ask_occupancy"]
    assert events[0] == {"event": "rewind", "timestamp": None}
    assert events[1]["name"] == "scenario_retry" and events[1]["value"]["count"] == 1
    # the second miss in a row comes with the way out
    dispatcher = CollectingDispatcher()
    again = await make_tracker("🙃", requested="occupancy", before={"us_state": "FL", "scenario_retry": events[1]["value"]})
    again.events.insert(0, {"event": "user", "text": "we bought it in 2019", "parse_data": {}, "timestamp": 1.0})
    await ActionDefaultFallback().run(dispatcher, again, domain)
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_form_not_understood", "utter_explain_choice", "utter_scenario_escape", "utter_ask_occupancy"]
    dispatcher = CollectingDispatcher()
    outside = await make_tracker("qwerty", requested=None, active=False)
    await ActionDefaultFallback().run(dispatcher, outside, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]


# --- the liens and the conditions of the user's state (issue 9) ---------------------------------------


async def test_a_second_lien_told_after_the_first_is_added_to_it(form, domain):
    before = {"us_state": "CA", "home_value": 540_000.0, "loan_balance": 620_000.0, "first_lien_balance": 620_000.0}
    sets, _, messages = await turn(form, domain, "heloc is like 80k", before=before, requested="second_lien_balance")
    assert sets["second_lien_balance"] == 80_000 and sets["loan_balance"] == 700_000
    assert "$700,000" in str(messages)  # the new total is said back


async def test_a_second_lien_inside_the_total_keeps_the_total(form, domain):
    before = {"us_state": "CA", "home_value": 540_000.0, "loan_balance": 620_000.0}
    sets, _, _ = await turn(form, domain, "about 80k", before=before, requested="second_lien_balance")
    assert sets["second_lien_balance"] == 80_000 and sets.get("loan_balance", 620_000.0) == 620_000


async def test_changing_the_second_lien_keeps_the_first(form, domain):
    before = {"us_state": "CA", "home_value": 400_000.0, "loan_balance": 480_000.0, "second_lien_balance": 60_000.0}
    sets, _, _ = await turn(form, domain, "actually the heloc is only 20k", before=before, requested="occupancy")
    assert sets["second_lien_balance"] == 20_000 and sets["loan_balance"] == 440_000


async def test_none_to_the_second_lien_question(form, domain):
    before = {"us_state": "OR", "home_value": 400_000.0, "loan_balance": 480_000.0}
    sets, _, _ = await turn(form, domain, "none", before=before, requested="second_lien_balance")
    assert sets["second_lien_balance"] == 0


@pytest.mark.parametrize("typed,slot,value", [
    ("Buying the home", "loan_purpose", "purchase"),
    ("buying the home", "loan_purpose", "purchase"),
    ("Later borrowing (remodel, debts...)", "second_lien_purpose", "other"),
    ("the seller (owner financing)", "lender_type", "seller"),
])
async def test_a_typed_button_title_is_the_answer_whatever_the_classifier_says(form, domain, typed, slot, value):
    before = {"us_state": "NV", "home_value": 280_000.0, "loan_balance": 350_000.0, "second_lien_balance": 50_000.0,
              "occupancy": "primary"}
    sets, _, _ = await turn(form, domain, typed, intent="faq", before=before, requested=slot)
    assert sets[slot] == value


@pytest.mark.parametrize("state,extra,asked", [
    ("AZ", {}, "lot_acres"),
    ("TX", {}, "loan_purpose"),
    ("NC", {"loan_purpose": "purchase"}, "lender_type"),
    ("CA", {"second_lien_balance": 100_000.0, "loan_purpose": "purchase"}, "second_lien_purpose"),
])
async def test_the_form_asks_the_condition_that_decides_in_the_state(form, domain, state, extra, asked):
    before = {"us_state": state, "home_value": 300_000.0, "loan_balance": 400_000.0, "second_lien_balance": 0.0,
              **extra}
    sets, _, _ = await turn(form, domain, "we live there", before=before, requested="occupancy")
    assert sets["requested_slot"] == asked


async def test_no_condition_is_asked_in_a_recourse_state(form, domain):
    before = {"us_state": "NY", "home_value": 300_000.0, "loan_balance": 400_000.0, "second_lien_balance": 0.0}
    sets, _, _ = await turn(form, domain, "we live there", before=before, requested="occupancy")
    assert sets["requested_slot"] == "payment_status"

"""validate_scenario_form with real rasa_sdk Trackers and a real CollectingDispatcher.

Each test builds the tracker Rasa sends to the validation action during a form turn: the earlier
conversation, the user message (intent + normalized entities, as the NLU pipeline produces them),
the slots action_extract_slots filled from it, and the form's candidate SlotSet events.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionDefaultFallback
from actions.scenario_form import ValidateScenarioForm
from knowledge.loader import build, make_engine
from knowledge.repository import KnowledgeRepository

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


def slot_event(name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "timestamp": None, "name": name, "value": value}


def make_tracker(
    text: str,
    intent: str = "inform",
    entities: Optional[List[Dict[str, Any]]] = None,
    before: Optional[Dict[str, Any]] = None,
    requested: Optional[str] = None,
    extracted: Optional[Dict[str, Any]] = None,
    active: bool = True,
) -> Tracker:
    """``before``: slots filled on earlier turns; ``extracted``: what action_extract_slots set from this
    message (Rasa hands those to the validator as candidates)."""
    before = dict(before or {})
    extracted = dict(extracted or {})
    entities = entities or []
    events: List[Dict[str, Any]] = [{"event": "action", "name": "action_listen"}]
    events += [slot_event(k, v) for k, v in before.items()]
    if active:
        events.append({"event": "active_loop", "name": FORM})
    events.append(slot_event("requested_slot", requested))
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities}
    events.append({"event": "user", "text": text, "parse_data": message})
    events += [slot_event(k, v) for k, v in extracted.items()]
    # the temporary tracker of FormAction.validate_slots
    events.append(slot_event("requested_slot", requested))
    events.append({"event": "action", "name": FORM})
    events += [slot_event(k, v) for k, v in extracted.items()]
    slots = {"requested_slot": requested, **before, **extracted}
    return Tracker(
        "test-user",
        slots,
        message,
        events,
        False,
        None,
        {"name": FORM} if active else {},
        FORM,
    )


def ent(entity: str, value: Any, role: Optional[str] = None, text: str = "") -> Dict[str, Any]:
    e = {"entity": entity, "value": value, "start": 0, "end": len(text), "text": text,
         "extractor": "WalkawayEntityExtractor"}
    if role:
        e["role"] = role
    return e


async def run(form, tracker, domain):
    dispatcher = CollectingDispatcher()
    events = await form.run(dispatcher, tracker, domain)
    sets = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    responses = [m.get("response") for m in dispatcher.messages]
    return sets, responses, dispatcher.messages


# --- free-text answers ---------------------------------------------------------------------------


@pytest.mark.parametrize("answer,code", [("texas", "TX"), ("TX", "TX"), ("Tex.", "TX"), ("cali", "CA"),
                                         ("I'm in north carolina", "NC")])
async def test_state_answers_in_words(form, domain, answer, code):
    sets, responses, _ = await run(form, make_tracker(answer, requested="us_state"), domain)
    assert sets["us_state"] == code
    assert sets["requested_slot"] == "home_value"
    assert responses == []


async def test_a_bare_state_misread_as_a_state_question_still_answers_the_question(form, domain):
    sets, _, _ = await run(form, make_tracker("Texas", intent="ask_state_rules", requested="us_state"), domain)
    assert sets["us_state"] == "TX"


async def test_unknown_state_is_reasked_then_escape_offered(form, domain):
    sets, responses, messages = await run(form, make_tracker("Narnia", requested="us_state"), domain)
    assert sets["us_state"] is None
    assert responses == ["utter_invalid_us_state"]
    assert messages[0]["answer"] == "Narnia"
    assert sets["scenario_retry"] == {"slot": "us_state", "count": 1}
    assert sets["requested_slot"] == "us_state"

    second = make_tracker("Middle Earth", requested="us_state", before={"scenario_retry": sets["scenario_retry"]})
    sets, responses, _ = await run(form, second, domain)
    assert responses == ["utter_explain_us_state", "utter_scenario_escape"]
    assert sets["scenario_retry"]["count"] == 2
    assert sets["requested_slot"] == "us_state"


@pytest.mark.parametrize("answer,value", [("about 300 grand", 300_000.0), ("$1.2 million", 1_200_000.0),
                                          ("three hundred fifty thousand", 350_000.0), ("250k", 250_000.0)])
async def test_amount_answers_in_words(form, domain, answer, value):
    tracker = make_tracker(answer, requested="home_value", before={"us_state": "TX"})
    sets, responses, _ = await run(form, tracker, domain)
    assert sets["home_value"] == value
    assert sets["requested_slot"] == "loan_balance"
    assert responses == []


async def test_not_a_number_is_reasked(form, domain):
    tracker = make_tracker("a lot, honestly", requested="home_value", before={"us_state": "TX"})
    sets, responses, messages = await run(form, tracker, domain)
    assert sets["home_value"] is None and responses == ["utter_invalid_amount"]
    assert messages[0]["what"] == "the home's value"
    assert sets["requested_slot"] == "home_value"


async def test_negative_amount_is_reasked(form, domain):
    tracker = make_tracker("-5000", requested="loan_balance", before={"us_state": "TX", "home_value": 200_000.0})
    sets, responses, _ = await run(form, tracker, domain)
    assert sets["loan_balance"] is None and responses == ["utter_invalid_negative_amount"]


async def test_absurd_home_value_asks_for_confirmation_then_takes_yes(form, domain):
    tracker = make_tracker("500", requested="home_value", before={"us_state": "TX"})
    sets, responses, messages = await run(form, tracker, domain)
    assert sets["home_value"] is None
    assert responses == ["utter_confirm_amount"] and messages[0]["amount"] == "$500"
    assert sets["scenario_pending"] == {"slot": "home_value", "value": 500.0}

    yes = make_tracker("yes", intent="affirm", requested="home_value",
                       before={"us_state": "TX", "scenario_pending": sets["scenario_pending"]})
    sets, responses, _ = await run(form, yes, domain)
    assert sets["home_value"] == 500.0 and sets["scenario_pending"] is None
    assert sets["requested_slot"] == "loan_balance"


async def test_absurd_amount_denied_is_asked_again(form, domain):
    no = make_tracker("no", intent="deny", requested="home_value",
                      before={"us_state": "TX", "scenario_pending": {"slot": "home_value", "value": 5e9}})
    sets, responses, _ = await run(form, no, domain)
    assert sets["home_value"] is None and sets["scenario_pending"] is None
    assert responses == ["utter_amount_not_confirmed"]
    assert sets["requested_slot"] == "home_value"


async def test_zero_balance_means_nothing_owed(form, domain):
    tracker = make_tracker("nothing, it's paid off", requested="loan_balance",
                           before={"us_state": "TX", "home_value": 200_000.0})
    sets, _, _ = await run(form, tracker, domain)
    assert sets["loan_balance"] == 0.0


@pytest.mark.parametrize("answer", ["200", "-1", "a while"])
async def test_months_out_of_range_is_reasked(form, domain, answer):
    before = {"us_state": "OH", "home_value": 150_000.0, "loan_balance": 190_000.0, "occupancy": "primary",
              "payment_status": "behind"}
    sets, responses, _ = await run(form, make_tracker(answer, requested="months_behind", before=before), domain)
    assert sets["months_behind"] is None
    assert responses == ["utter_invalid_months"]


async def test_choice_answers_in_words(form, domain):
    before = {"us_state": "OH", "home_value": 150_000.0, "loan_balance": 190_000.0}
    sets, _, _ = await run(form, make_tracker("it's a rental, I have tenants", requested="occupancy", before=before), domain)
    assert sets["occupancy"] == "investment"
    before["occupancy"] = "primary"
    before["payment_status"] = "current"
    sets, _, _ = await run(form, make_tracker("I lost my job in March", requested="hardship", before=before), domain)
    assert sets["hardship"] is True
    sets, _, _ = await run(form, make_tracker("we'd love to stay", requested="goal", before=before), domain)
    assert sets["goal"] == "keep_home"
    sets, _, _ = await run(form, make_tracker("not sure yet", requested="goal", before=before), domain)
    assert sets["goal"] == "undecided"


async def test_two_failed_choices_offer_skip_and_skip_drops_the_question(form, domain):
    before = {"us_state": "OH", "home_value": 150_000.0, "loan_balance": 190_000.0,
              "scenario_retry": {"slot": "occupancy", "count": 1}}
    sets, responses, _ = await run(form, make_tracker("purple", requested="occupancy", before=before), domain)
    assert responses == ["utter_explain_choice", "utter_scenario_escape"]

    skip = make_tracker('/inform{"scenario_control":"skip"}', requested="occupancy",
                        entities=[ent("scenario_control", "skip")], before=before)
    sets, responses, _ = await run(form, skip, domain)
    assert responses == ["utter_scenario_skipped"]
    assert sets["scenario_skipped"] == ["occupancy"]
    assert sets["requested_slot"] == "payment_status"  # OH: loan purpose can't change the answer
    # what we had is kept
    assert "home_value" not in sets or sets["home_value"] == 150_000.0


async def test_stop_ends_the_questions_and_keeps_the_answers(form, domain):
    before = {"us_state": "OH", "home_value": 150_000.0}
    sets, responses, _ = await run(form, make_tracker("stop", intent="deny", requested="loan_balance", before=before), domain)
    assert sets["scenario_stopped"] is True
    assert sets["requested_slot"] is None
    assert responses == []  # action_assess_situation says that we stopped
    assert "us_state" not in sets and "home_value" not in sets


# --- several facts, corrections, dynamic questions ------------------------------------------------


async def test_several_facts_in_one_message(form, domain):
    text = "I'm in Texas, the house is worth 200k, I owe 260k and I'm 2 months behind since I lost my job"
    extracted = {"us_state": "TX", "home_value": 200_000.0, "loan_balance": 260_000.0, "months_behind": 2.0}
    entities = [ent("us_state", "TX"), ent("amount", 200_000.0, "home_value"),
                ent("amount", 260_000.0, "loan_balance"), ent("months", 2)]
    tracker = make_tracker(text, intent="assess_situation", entities=entities, extracted=extracted,
                           requested="us_state")
    sets, responses, _ = await run(form, tracker, domain)
    assert sets["us_state"] == "TX" and sets["home_value"] == 200_000.0 and sets["loan_balance"] == 260_000.0
    assert sets["months_behind"] == 2.0 and sets["payment_status"] == "behind"
    assert sets["hardship"] is True
    assert sets["requested_slot"] == "occupancy"
    assert responses == []


async def test_correction_mid_form_is_taken_and_the_question_repeated(form, domain):
    before = {"us_state": "TX", "home_value": 250_000.0, "loan_balance": 300_000.0}
    tracker = make_tracker("actually it's worth 300k", entities=[ent("amount", 300_000.0, "home_value")],
                           extracted={"home_value": 300_000.0}, before=before, requested="occupancy")
    sets, responses, messages = await run(form, tracker, domain)
    assert sets["home_value"] == 300_000.0
    assert responses == ["utter_scenario_updated"] and messages[0]["value"] == "$300,000"
    assert sets["requested_slot"] == "occupancy"


async def test_bad_value_for_a_question_not_asked_keeps_what_we_had(form, domain):
    before = {"us_state": "TX", "home_value": 250_000.0}
    tracker = make_tracker("it's worth 90 billion", entities=[ent("amount", 9e10, "home_value")],
                           extracted={"home_value": 9e10}, before=before, requested="loan_balance")
    sets, responses, _ = await run(form, tracker, domain)
    assert sets["home_value"] == 250_000.0
    assert responses == ["utter_confirm_amount"]


async def test_months_mentioned_about_something_else_are_ignored(form, domain):
    before = {"us_state": "TX", "home_value": 250_000.0, "loan_balance": 300_000.0}
    tracker = make_tracker("we moved in 6 months before the crash", entities=[ent("months", 6)],
                           extracted={"months_behind": 6.0}, before=before, requested="occupancy")
    sets, _, _ = await run(form, tracker, domain)
    assert sets["months_behind"] is None
    assert "payment_status" not in sets


async def test_questions_skipped_when_they_cannot_change_the_answer(form, domain):
    # Ohio: the deficiency rule doesn't depend on the loan's purpose; current -> no months question
    before = {"us_state": "OH", "home_value": 150_000.0, "loan_balance": 190_000.0}
    sets, _, _ = await run(form, make_tracker("yes I live there", intent="affirm", requested="occupancy", before=before), domain)
    assert sets["occupancy"] == "primary"
    assert sets["requested_slot"] == "payment_status"
    before.update(occupancy="primary")
    sets, _, _ = await run(form, make_tracker("I'm current", requested="payment_status", before=before), domain)
    assert sets["payment_status"] == "current" and sets["months_behind"] == 0.0
    assert sets["requested_slot"] == "hardship"


async def test_loan_purpose_asked_where_it_matters(form, domain):
    before = {"us_state": "TX", "home_value": 200_000.0, "loan_balance": 260_000.0}
    sets, _, _ = await run(form, make_tracker("my home", requested="occupancy", before=before), domain)
    assert sets["requested_slot"] == "loan_purpose"
    # ...but not when the home isn't underwater
    before.update(home_value=300_000.0)
    sets, _, _ = await run(form, make_tracker("my home", requested="occupancy", before=before), domain)
    assert sets["requested_slot"] == "payment_status"


async def test_faq_mid_form_is_not_read_as_an_answer(form, domain):
    before = {"us_state": "TX"}
    tracker = make_tracker("what happens if I walk away?", intent="faq", requested="home_value", before=before)
    sets, responses, _ = await run(form, tracker, domain)
    assert "home_value" not in sets and "goal" not in sets
    assert responses == []


async def test_what_if_at_activation_revalidates_quietly_and_completes(form, domain):
    # after an assessment: "what if it's worth 400k" -> the rule re-activates the form; Rasa validates the
    # prefilled slots; everything is known, so the form completes without asking anything
    known = {"us_state": "TX", "home_value": 300_000.0, "loan_balance": 350_000.0, "occupancy": "primary",
             "loan_purpose": "purchase", "payment_status": "current", "months_behind": 0.0,
             "hardship": False, "goal": "leave_home"}
    now = dict(known, home_value=400_000.0)
    tracker = make_tracker("what if it's worth 400k", entities=[ent("amount", 400_000.0, "home_value")],
                           before=known, extracted=now, requested=None, active=False)
    sets, responses, _ = await run(form, tracker, domain)
    assert sets["home_value"] == 400_000.0
    assert sets["requested_slot"] is None
    assert responses == []


async def test_what_if_about_payments_in_words(form, domain):
    known = {"us_state": "TX", "home_value": 300_000.0, "loan_balance": 350_000.0, "occupancy": "primary",
             "loan_purpose": "purchase", "payment_status": "current", "months_behind": 0.0,
             "hardship": False, "goal": "leave_home"}
    now = dict(known, months_behind=3.0)
    tracker = make_tracker("what if I was 3 months behind", entities=[ent("months", 3)], before=known,
                           extracted=now, requested=None, active=False)
    sets, _, _ = await run(form, tracker, domain)
    assert sets["months_behind"] == 3.0 and sets["payment_status"] == "behind"
    assert sets["requested_slot"] is None


async def test_months_behind_said_in_words_while_asked_something_else(form, domain):
    # the NLU usually tags "2 months"; when it doesn't, the form still reads it from the sentence
    before = {"us_state": "OH", "home_value": 150_000.0, "loan_balance": 190_000.0}
    tracker = make_tracker("yes, and we're 2 months behind", intent="affirm", requested="occupancy", before=before)
    sets, _, _ = await run(form, tracker, domain)
    assert sets["occupancy"] == "primary"
    assert sets["months_behind"] == 2.0 and sets["payment_status"] == "behind"
    assert sets["requested_slot"] == "hardship"


async def test_button_payload_amount_without_role_answers_the_question(form, domain):
    tracker = make_tracker('/inform{"amount": 260000}', entities=[ent("amount", 260000)],
                           requested="loan_balance", before={"us_state": "TX", "home_value": 200_000.0})
    sets, _, _ = await run(form, tracker, domain)
    assert sets["loan_balance"] == 260000


async def test_months_behind_after_saying_current_updates_the_status(form, domain):
    before = {"us_state": "OH", "home_value": 150_000.0, "loan_balance": 190_000.0, "occupancy": "primary",
              "payment_status": "current", "months_behind": 0.0}
    tracker = make_tracker("oh wait, actually I'm 3 months behind", entities=[ent("months", 3)],
                           extracted={"months_behind": 3.0}, before=before, requested="hardship")
    sets, _, _ = await run(form, tracker, domain)
    assert sets["months_behind"] == 3.0 and sets["payment_status"] == "behind"
    assert sets["requested_slot"] == "hardship"


async def test_a_clear_answer_misread_as_goodbye_still_answers_the_question(form, domain):
    before = {"us_state": "FL", "home_value": 180000.0, "loan_balance": 245000.0, "occupancy": "primary",
              "payment_status": "current", "hardship": False}
    sets, _, _ = await run(
        form, make_tracker("i'd rather leave honestly", intent="goodbye", requested="goal", before=before), domain
    )
    assert sets["goal"] == "leave_home"
    # a real goodbye is not read as an answer
    sets, _, _ = await run(form, make_tracker("ok bye", intent="goodbye", requested="goal", before=before), domain)
    assert "goal" not in sets


async def test_fallback_mid_form_repeats_the_open_question_and_forgets_the_message(domain):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("we bought it in 2019", requested="occupancy", before={"us_state": "FL"})
    events = await ActionDefaultFallback().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_form_not_understood", "utter_ask_occupancy"]
    assert events == [{"event": "rewind", "timestamp": None}]
    dispatcher = CollectingDispatcher()
    outside = make_tracker("qwerty", requested=None, active=False)
    await ActionDefaultFallback().run(dispatcher, outside, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]

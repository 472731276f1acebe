"""Saying facts back (actions/scenario_feedback.py) and asking which state a place is in."""
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import scenario_feedback
from actions.scenario_questions import ActionAskUsState
from tests.support.scenario_turns import ROOT, parse


def tracker_for(text: str, slots=None) -> Tracker:
    message = {"text": text, "intent": {"name": "inform"}, "entities": parse(text)}
    return Tracker("u", slots or {}, message, [{"event": "user", "text": text, "parse_data": message}], False,
                   None, {}, "action_listen")


def test_new_facts_are_noted_and_corrections_say_what_they_replace():
    tracker = tracker_for("actually it's worth 300k, and we're in phoenix")
    said = list(scenario_feedback.messages(
        {"home_value": 300_000.0, "us_state": "AZ", "goal": "keep_home"},
        {"home_value": 250_000.0, "goal": "keep_home"},
        tracker,
    ))
    assert [m["response"] for m in said] == ["utter_scenario_noted", "utter_scenario_updated"]
    assert said[0]["facts"] == "state: Arizona (from Phoenix)"
    assert said[1]["changes"] == "home value: $300,000 (was $250,000)"


def test_nothing_new_says_nothing():
    tracker = tracker_for("ok")
    assert list(scenario_feedback.messages({"goal": "keep_home"}, {"goal": "keep_home"}, tracker)) == []


def test_a_range_is_said_back_with_its_middle():
    tracker = tracker_for("it's worth somewhere between 300 and 350k")
    value = next(e["value"] for e in tracker.latest_message["entities"] if e.get("role") == "home_value")
    said = list(scenario_feedback.messages({"home_value": value}, {}, tracker))
    assert said[0]["facts"] == "home value: $325,000 (the middle of $300,000–$350,000)"


def test_a_bare_range_answer_is_said_back_with_its_middle():
    tracker = tracker_for("around 250-275")
    said = list(scenario_feedback.messages({"home_value": 262_500.0}, {}, tracker))
    assert said[0]["facts"] == "home value: $262,500 (the middle of $250,000–$275,000)"


def test_summary_lists_every_known_fact_in_order():
    line = scenario_feedback.summary({"goal": "leave_home", "us_state": "HI", "home_value": 400_000.0,
                                      "loan_balance": 520_000.0, "occupancy": "investment", "hardship": False})
    assert line == ("state: Hawaii · home value: $400,000 · amount owed: $520,000 · occupancy: rental / investment"
                    " · hardship: no · goal: leave the home")
    assert scenario_feedback.summary({}) is None


async def test_which_state_for_a_place_in_several_states():
    dispatcher = CollectingDispatcher()
    slots = {"scenario_place": {"place": "Portland", "states": ["OR", "ME"]}}
    await ActionAskUsState().run(dispatcher, Tracker("u", slots, {}, [], False, None, {}, ""), {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_ask_state_for_place"
    assert message["place"] == "Portland" and message["choices"] == "Oregon or Maine"
    assert [b["payload"] for b in message["buttons"]] == ['/inform{"us_state":"OR"}', '/inform{"us_state":"ME"}']
    responses = yaml.safe_load((ROOT / "bot" / "domain" / "scenario.yml").read_text())["responses"]
    assert "{place}" in responses["utter_ask_state_for_place"][0]["text"]
    # the summary before the assessment comes with the way to fix it
    assert responses["utter_scenario_understood"][0]["buttons"][0]["payload"] == "/correct_facts"


async def test_plain_state_question_without_a_place():
    dispatcher = CollectingDispatcher()
    await ActionAskUsState().run(dispatcher, Tracker("u", {}, {}, [], False, None, {}, ""), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_us_state"

"""action_validate_slot_mappings with real rasa_sdk Trackers: what a message's entities put into a
scenario slot outside the form stays within the form's limits, and nothing said before is lost."""
from typing import Any, Dict

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.slot_validation import ValidateSlotMappings

DOMAIN = {
    "slots": {name: {"type": "any", "mappings": [{"type": "from_entity", "entity": name}]}
              for name in ("us_state", "home_value", "loan_balance", "months_behind", "occupancy")},
    "forms": {},
}


def slot(name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "timestamp": None, "name": name, "value": value}


def tracker_after(message: str, before: Dict[str, Any], extracted: Dict[str, Any], form: bool = False) -> Tracker:
    """The tracker action_extract_slots hands over: earlier facts, the message, then the candidates."""
    events = [{"event": "action", "name": "action_listen"}, *(slot(k, v) for k, v in before.items())]
    parse = {"text": message, "intent": {"name": "greet", "confidence": 1.0}, "entities": []}
    events.append({"event": "user", "text": message, "parse_data": parse})
    events += [slot(k, v) for k, v in extracted.items()]
    active = {"name": "scenario_form"} if form else {}
    return Tracker("u", {**before, **extracted}, parse, events, False, None, active, "action_listen")


async def validated(before, extracted, form=False) -> Dict[str, Any]:
    events = await ValidateSlotMappings().run(CollectingDispatcher(), tracker_after("x", before, extracted, form), DOMAIN)
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize(
    "name,bad",
    [("us_state", "Narnia"), ("us_state", {"a": 1}), ("home_value", -5), ("home_value", float("inf")),
     ("home_value", "lots"), ("loan_balance", 1e308), ("months_behind", -3), ("months_behind", 500),
     ("occupancy", "castle")],
)
async def test_invalid_values_outside_the_form_keep_what_we_had(name, bad):
    before = {"us_state": "TX", "home_value": 200000.0, "loan_balance": 250000.0, "months_behind": 2.0,
              "occupancy": "primary"}
    assert (await validated(before, {name: bad}))[name] == before[name]


async def test_valid_values_outside_the_form_are_taken():
    result = await validated({"us_state": "TX"}, {"us_state": "OH", "home_value": 180000, "months_behind": 3})
    assert result == {"us_state": "OH", "home_value": 180000.0, "months_behind": 3.0}


async def test_inside_the_form_values_pass_to_the_form_validator_which_explains():
    assert (await validated({"home_value": 200000.0}, {"home_value": -5}, form=True))["home_value"] == -5

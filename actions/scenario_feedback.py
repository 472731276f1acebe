"""Saying facts back: the one short line after a message that told us something, and the summary
shown before the assessment.

Labels and values come from ``actions.scenario_labels`` (SLOT_LABELS, describe_value); the sentence
around them is a domain response (utter_scenario_noted, utter_scenario_updated,
utter_scenario_understood).
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional, Text

from rasa_sdk import Tracker

from knowledge.vocabulary import amounts, states

from actions.scenario_common import latest_entities, latest_text
from actions.scenario_labels import SLOT_LABELS, describe_value

# slots said back, in the order the summary lists them
SAID_BACK = (
    "us_state",
    "home_value",
    "loan_balance",
    "second_lien_balance",
    "occupancy",
    "loan_purpose",
    "second_lien_purpose",
    "lot_acres",
    "dwelling_units",
    "loan_year",
    "lender_type",
    "payment_status",
    "months_behind",
    "hardship",
    "goal",
)
_ROLE_OF_SLOT = {"home_value": "home_value", "loan_balance": "loan_balance", "second_lien_balance": "second_lien"}
SEPARATOR = " · "


def fact(slot: Text, value: Any, note: Optional[Text] = None) -> Text:
    """"home value: $276,000" (+ " (note)")."""
    text = f"{SLOT_LABELS.get(slot, slot)}: {describe_value(slot, value, states.STATES)}"
    return f"{text} ({note})" if note else text


def summary(slots: Mapping[Text, Any]) -> Optional[Text]:
    """Every known scenario fact in one line, or None when nothing is known."""
    parts = [fact(slot, slots.get(slot)) for slot in SAID_BACK if slots.get(slot) is not None]
    return SEPARATOR.join(parts) if parts else None


def note_for(slot: Text, value: Any, tracker: Tracker) -> Optional[Text]:
    """How we read the latest message for ``slot``, when the user may want to check it: the place
    a state came from, thousands we assumed, the middle of a range."""
    if slot == "us_state":
        for entity in latest_entities(tracker, "us_state"):
            place = (entity.get("additional_info") or {}).get("place")
            if entity.get("value") == value and place:
                return f"from {place}"
        return None
    role = _ROLE_OF_SLOT.get(slot)
    if role is None:
        return None
    text = latest_text(tracker)
    for entity in latest_entities(tracker, "amount"):
        if entity.get("role") == role and entity.get("value") == value:
            return _reading(entity.get("additional_info"), text[entity.get("start", 0):entity.get("end", 0)])
    said = amounts.answer(text)  # a bare answer to the question asked ("338", "around 250-275")
    if said is not None and said.value == value:
        return _reading(said.info, said.text)
    return None


def _reading(info: Optional[Mapping[Text, Any]], said: Text) -> Optional[Text]:
    """"the middle of $300,000–$350,000" / "I read “338” as thousands" / None."""
    info = info or {}
    if info.get("range"):
        low, high = info["range"]
        return f"the middle of {amounts.format_usd(low)}–{amounts.format_usd(high)}"
    if info.get("implied") == "thousands":
        return f"I read “{said.strip()}” as thousands" if said.strip() else "I assumed thousands"
    return None


def changes(
    new_values: Mapping[Text, Any], before: Mapping[Text, Any], tracker: Tracker
) -> Dict[Text, List[Text]]:
    """``{"noted": [...], "changed": [...]}``: fragments for facts first given and facts corrected
    in the latest message (values equal to what we had are left out)."""
    noted: List[Text] = []
    changed: List[Text] = []
    for slot in SAID_BACK:
        if slot not in new_values:
            continue
        value, old = new_values[slot], before.get(slot)
        if value is None or value == old or (slot == "months_behind" and value == 0 and old is None):
            continue  # (0 months behind comes with "payments: current", said already)
        note = note_for(slot, value, tracker)
        if old is None:
            noted.append(fact(slot, value, note))
        else:
            was = f"was {describe_value(slot, old, states.STATES)}"
            changed.append(fact(slot, value, f"{note}; {was}" if note else was))
    return {"noted": noted, "changed": changed}


def messages(new_values: Mapping[Text, Any], before: Mapping[Text, Any], tracker: Tracker) -> Iterable[Dict[Text, Any]]:
    """The dispatcher messages (response + variables) that say the latest facts back."""
    found = changes(new_values, before, tracker)
    if found["noted"]:
        yield {"response": "utter_scenario_noted", "facts": SEPARATOR.join(found["noted"])}
    if found["changed"]:
        yield {"response": "utter_scenario_updated", "changes": SEPARATOR.join(found["changed"])}

"""The checks of validate_scenario_form: each new value of a scenario slot is normalized, kept, or
re-asked with a reason; a value we can't use never replaces what we had.

A mixin of :class:`actions.scenario_form.ValidateScenarioForm` (rasa-sdk calls ``validate_<slot>``).
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any, Dict, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from knowledge import assessment
from knowledge.vocabulary import amounts, months, states

from actions.scenario_common import latest_entities, latest_intent, previous_value

MIN_HOME_VALUE = 1_000.0
MAX_AMOUNT = 100_000_000.0
MAX_MONTHS_BEHIND = 120
MAX_ACRES = 100_000.0
FIRST_LOAN_YEAR = 1950  # the oldest mortgage year we accept; the newest is next year

# markers an extract_ method hands to validate_ (never stored in a slot)
SKIP = "__skip__"
STOP = "__stop__"
REJECTED = "__rejected__"  # "no" to "just to check: $500?"

AMOUNT_LABELS = {"home_value": "the home's value", "loan_balance": "what you owe",
                 "second_lien_balance": "the second mortgage or HELOC"}
CHOICES = {
    "payment_status": assessment.PAYMENT_STATUSES,
    "loan_purpose": assessment.LOAN_PURPOSES,
    "occupancy": assessment.OCCUPANCIES,
    "goal": assessment.GOALS,
    "lender_type": assessment.LENDER_TYPES,
    "second_lien_purpose": assessment.SECOND_LIEN_PURPOSES,
}


def year_is_valid(value: Optional[float]) -> bool:
    """A mortgage year between FIRST_LOAN_YEAR and next year."""
    return value is not None and value == math.floor(value) and FIRST_LOAN_YEAR <= value <= dt.date.today().year + 1


class Raw(str):
    """An answer we could not read: the text the user typed for the requested slot."""


class ScenarioSlotChecks:
    """``validate_<slot>`` for every question of the scenario form."""

    @staticmethod
    def _requested(tracker: Tracker) -> Optional[Text]:
        return tracker.get_slot("requested_slot")

    def _failure(
        self,
        slot: Text,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        response: Text,
        **kwargs: Any,
    ) -> Dict[Text, Any]:
        """A value we can't use: say why, and keep what we had (the question is asked again)."""
        dispatcher.utter_message(response=response, **kwargs)
        return {slot: previous_value(tracker, slot)}

    def _accept(self, slot: Text, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        result: Dict[Text, Any] = {slot: value}
        pending = tracker.get_slot("scenario_pending") or {}
        if pending.get("slot") == slot:
            result["scenario_pending"] = None
        if slot == "us_state" and tracker.get_slot("scenario_place"):
            result["scenario_place"] = None
        return result

    def _control_result(self, slot: Text, marker: Text, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        before = previous_value(tracker, slot)
        if marker == STOP:
            return {slot: before, "scenario_stopped": True, "scenario_retry": None, "scenario_pending": None}
        skipped = list(tracker.get_slot("scenario_skipped") or [])
        if slot not in skipped:
            skipped.append(slot)
        dispatcher.utter_message(response="utter_scenario_skipped")
        return {slot: before, "scenario_skipped": skipped, "scenario_retry": None, "scenario_pending": None}

    def _unchanged(self, slot: Text, value: Any, tracker: Tracker) -> bool:
        """Values we validated on an earlier turn (re-validated at form activation) pass quietly."""
        return value is not None and not isinstance(value, Raw) and previous_value(tracker, slot) == value

    def validate_us_state(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if slot_value in (SKIP, STOP):
            return self._control_result("us_state", slot_value, dispatcher, tracker)
        if isinstance(slot_value, str) and slot_value.upper() in states.STATES:
            return self._accept("us_state", slot_value.upper(), dispatcher, tracker)
        code = states.normalize(str(slot_value or ""))
        if code:
            return self._accept("us_state", code, dispatcher, tracker)
        return self._failure("us_state", dispatcher, tracker, "utter_invalid_us_state", answer=str(slot_value or "")[:60])

    def _validate_amount(self, slot: Text, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        what = AMOUNT_LABELS[slot]
        if slot_value in (SKIP, STOP):
            return self._control_result(slot, slot_value, dispatcher, tracker)
        if slot_value == REJECTED:
            dispatcher.utter_message(response="utter_amount_not_confirmed")
            return {slot: None, "scenario_pending": None}
        value = _to_float(slot_value)
        if value is None:
            return self._failure(slot, dispatcher, tracker, "utter_invalid_amount", what=what)
        if self._unchanged(slot, value, tracker):
            return {slot: value}
        if value < 0:
            return self._failure(slot, dispatcher, tracker, "utter_invalid_negative_amount", what=what[0].upper() + what[1:])
        if slot == "home_value" and value == 0:
            return self._failure(slot, dispatcher, tracker, "utter_invalid_home_value_zero")
        unusual = value > MAX_AMOUNT or (slot == "home_value" and value < MIN_HOME_VALUE)
        if unusual:
            pending = tracker.get_slot("scenario_pending") or {}
            confirmed = (
                pending.get("slot") == slot
                and _to_float(pending.get("value")) == value
                and latest_intent(tracker) == "affirm"
            )
            if not confirmed:
                dispatcher.utter_message(response="utter_confirm_amount", what=what, amount=amounts.format_usd(value))
                return {slot: previous_value(tracker, slot) if self._requested(tracker) != slot else None,
                        "scenario_pending": {"slot": slot, "value": value}}
        return self._accept(slot, value, dispatcher, tracker)

    def validate_home_value(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate_amount("home_value", slot_value, dispatcher, tracker)

    def validate_loan_balance(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        result = self._validate_amount("loan_balance", slot_value, dispatcher, tracker)
        told_total = any(e.get("role") == "loan_balance" for e in latest_entities(tracker, "amount"))
        if told_total and tracker.get_slot("first_lien_balance") is not None:
            result["first_lien_balance"] = None  # a new total replaces the first-mortgage reading
        return result

    def validate_second_lien_balance(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        result = self._validate_amount("second_lien_balance", slot_value, dispatcher, tracker)
        second = result.get("second_lien_balance")
        before = _to_float(previous_value(tracker, "second_lien_balance"))
        if not isinstance(second, float) or before == second:
            return result
        total = _to_float(tracker.get_slot("loan_balance"))
        first = _to_float(tracker.get_slot("first_lien_balance"))
        if first is not None:
            total_now = first + second  # "620k on the first", then "the heloc is 80k"
        elif total is not None and before is not None:
            total_now = total - before + second  # the second changed, the first didn't
        elif total is not None and second >= total > 0:
            total_now = total + second  # the total we had was the first mortgage alone
        else:
            return result
        if total is None or total_now != total:
            result["loan_balance"] = total_now
        return result

    def _validate_number(self, slot: Text, slot_value: Any, valid, response: Text,
                         dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        if slot_value in (SKIP, STOP):
            return self._control_result(slot, slot_value, dispatcher, tracker)
        value = _to_float(slot_value) if not isinstance(slot_value, Raw) else None
        if value is not None and self._unchanged(slot, value, tracker):
            return {slot: value}
        if value is None or not valid(value):
            return self._failure(slot, dispatcher, tracker, response)
        return self._accept(slot, value, dispatcher, tracker)

    def validate_lot_acres(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate_number("lot_acres", slot_value, lambda v: 0 < v <= MAX_ACRES,
                                     "utter_invalid_acres", dispatcher, tracker)

    def validate_loan_year(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate_number("loan_year", slot_value, year_is_valid, "utter_invalid_loan_year",
                                     dispatcher, tracker)

    def validate_lender_type(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate_choice("lender_type", slot_value, dispatcher, tracker)

    def validate_second_lien_purpose(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate_choice("second_lien_purpose", slot_value, dispatcher, tracker)

    def validate_months_behind(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if slot_value in (SKIP, STOP):
            return self._control_result("months_behind", slot_value, dispatcher, tracker)
        value = _to_float(slot_value)
        if value is None and isinstance(slot_value, str):
            parsed = months.parse(slot_value)
            value = float(parsed) if parsed is not None else None
        if value is not None and self._unchanged("months_behind", value, tracker):
            return {"months_behind": value}
        if value is None or value < 0 or value > MAX_MONTHS_BEHIND or value != math.floor(value):
            return self._failure("months_behind", dispatcher, tracker, "utter_invalid_months")
        result = self._accept("months_behind", value, dispatcher, tracker)
        status = "behind" if value > 0 else "current"
        if tracker.get_slot("payment_status") != status:
            result["payment_status"] = status
        return result

    def validate_payment_status(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        result = self._validate_choice("payment_status", slot_value, dispatcher, tracker)
        status = result.get("payment_status")
        months_behind = tracker.get_slot("months_behind")
        if status == "current" and months_behind != 0:
            result["months_behind"] = 0.0
        elif status == "behind" and months_behind in (0, 0.0):
            result["months_behind"] = None  # ask how many
        return result

    def _validate_choice(self, slot: Text, slot_value: Any, dispatcher, tracker) -> Dict[Text, Any]:
        if slot_value in (SKIP, STOP):
            return self._control_result(slot, slot_value, dispatcher, tracker)
        if isinstance(slot_value, str) and not isinstance(slot_value, Raw) and slot_value in CHOICES[slot]:
            if self._unchanged(slot, slot_value, tracker):
                return {slot: slot_value}
            return self._accept(slot, slot_value, dispatcher, tracker)
        return self._failure(slot, dispatcher, tracker, "utter_invalid_choice")

    def validate_loan_purpose(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate_choice("loan_purpose", slot_value, dispatcher, tracker)

    def validate_occupancy(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate_choice("occupancy", slot_value, dispatcher, tracker)

    def validate_goal(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate_choice("goal", slot_value, dispatcher, tracker)

    def validate_hardship(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if slot_value in (SKIP, STOP):
            return self._control_result("hardship", slot_value, dispatcher, tracker)
        if isinstance(slot_value, str) and slot_value.lower() in ("true", "false"):
            slot_value = slot_value.lower() == "true"
        if isinstance(slot_value, bool):
            if self._unchanged("hardship", slot_value, tracker):
                return {"hardship": slot_value}
            return self._accept("hardship", slot_value, dispatcher, tracker)
        return self._failure("hardship", dispatcher, tracker, "utter_invalid_choice")




def _to_float(value: Any) -> Optional[float]:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        text = value.strip()
        if text in (SKIP, STOP, REJECTED):
            return None
        if text.startswith("-"):
            parsed = amounts.parse(text[1:])
            return -parsed if parsed is not None else None
        return amounts.parse(text)
    return None

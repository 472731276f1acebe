"""Checks for scenario slots filled outside the form, straight from a message's entities.

Inside `scenario_form`, `validate_scenario_form` checks every value and explains problems. Outside
it, the domain's from_entity mappings fill slots on any turn — including from a typed payload such as
`/greet{"us_state": "Narnia"}` — so the same limits are applied here: an invalid value is dropped
and the value from before this message is kept, never lost.
"""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

# the form's limits (it asks to confirm an amount beyond them; outside the form we can't ask)
from actions.scenario_checks import CHOICES, MAX_ACRES, MAX_AMOUNT, MAX_MONTHS_BEHIND, MIN_HOME_VALUE, year_is_valid
from actions.scenario_common import previous_value
from knowledge.assessment.scenario import finite_number
from knowledge.vocabulary import states


class ValidateSlotMappings(ValidationAction):
    """`action_validate_slot_mappings`: keeps values outside the form within the form's limits."""

    def _keep_or_revert(self, slot: Text, value: Any, valid: bool, tracker: Tracker) -> Dict[Text, Any]:
        if tracker.active_loop_name or valid:
            return {slot: value}  # during the form, validate_scenario_form checks and explains
        return {slot: previous_value(tracker, slot)}

    def validate_us_state(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        valid = isinstance(slot_value, str) and slot_value in states.STATES
        return self._keep_or_revert("us_state", slot_value, valid, tracker)

    def _amount(self, slot: Text, slot_value: Any, minimum: float, tracker: Tracker) -> Dict[Text, Any]:
        number = finite_number(slot_value)
        valid = number is not None and minimum <= number <= MAX_AMOUNT
        return self._keep_or_revert(slot, number if valid else slot_value, valid, tracker)

    def validate_home_value(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        return self._amount("home_value", slot_value, MIN_HOME_VALUE, tracker)

    def validate_loan_balance(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        return self._amount("loan_balance", slot_value, 0, tracker)

    def validate_second_lien_balance(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> Dict[Text, Any]:
        return self._amount("second_lien_balance", slot_value, 0, tracker)

    def validate_months_behind(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        number = finite_number(slot_value)
        valid = number is not None and 0 <= number <= MAX_MONTHS_BEHIND
        return self._keep_or_revert("months_behind", number if valid else slot_value, valid, tracker)

    def _choice(self, slot: Text, slot_value: Any, tracker: Tracker) -> Dict[Text, Any]:
        return self._keep_or_revert(slot, slot_value, slot_value in CHOICES[slot], tracker)

    def validate_payment_status(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._choice("payment_status", slot_value, tracker)

    def validate_loan_purpose(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._choice("loan_purpose", slot_value, tracker)

    def validate_occupancy(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._choice("occupancy", slot_value, tracker)

    def validate_goal(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._choice("goal", slot_value, tracker)

    def validate_second_lien_purpose(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._choice("second_lien_purpose", slot_value, tracker)

    def validate_lender_type(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._choice("lender_type", slot_value, tracker)

    def _bounded(self, slot: Text, slot_value: Any, valid, tracker: Tracker) -> Dict[Text, Any]:
        number = finite_number(slot_value)
        ok = number is not None and valid(number)
        return self._keep_or_revert(slot, number if ok else slot_value, ok, tracker)

    def validate_lot_acres(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._bounded("lot_acres", slot_value, lambda v: 0 < v <= MAX_ACRES, tracker)

    def validate_loan_year(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._bounded("loan_year", slot_value, year_is_valid, tracker)

    def validate_dwelling_units(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._bounded("dwelling_units", slot_value, lambda v: 1 <= v <= 1000 and v == int(v), tracker)

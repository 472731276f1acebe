"""validate_scenario_form: collects the homeowner's situation for the assessment.

How a turn works (rasa 3.6 / rasa-sdk 3.6):
1. Rasa's ``action_extract_slots`` fills slots from entities of the latest message: ``us_state``
   (any turn), ``home_value`` / ``loan_balance`` from an ``amount`` with that role, ``months_behind``
   from ``months``, the categorical slots from button payloads. That is how several facts in one
   message, and corrections ("actually it's worth 300k"), are taken at any time.
2. This action's ``extract_<slot>`` methods read the free-text answer to the question we asked
   ("about 300 grand", "tx", "it's a rental") and facts said in words ("I lost my job", "we're two
   payments behind"). Messages whose intent asks about something else (an FAQ, a state question)
   are never read as answers: the form is rejected, their rule answers, and the form asks again.
3. ``validate_<slot>`` normalizes and checks every new value. A bad answer to the question asked is
   re-asked with a clear message; the second bad answer in a row explains what's needed and offers
   to skip the question or stop. A bad value for a slot we didn't ask keeps the value we had.
   Nothing already collected is lost.
4. ``required_slots`` lists only the questions that can still change the answer.
"""
from __future__ import annotations

import logging
import math
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.events import SlotSet
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict

from knowledge import assessment
from knowledge.repository import KnowledgeRepository, KnowledgeUnavailable
from knowledge.vocabulary import amounts, months, states

from actions.scenario_common import (
    StateCache,
    default_repository,
    in_thread,
    is_answer,
    is_payload,
    latest_entities,
    latest_intent,
    latest_text,
    mentions_missed_payments,
    previous_value,
    read_control,
    read_goal,
    read_hardship,
    read_loan_purpose,
    read_occupancy,
    read_payment_status,
    read_zero_balance,
)

logger = logging.getLogger(__name__)

FORM_NAME = "scenario_form"
MAX_FAILURES = 2
MIN_HOME_VALUE = 1_000.0
MAX_AMOUNT = 100_000_000.0
MAX_MONTHS_BEHIND = 120

# markers an extract_ method hands to validate_ (never stored in a slot)
SKIP = "__skip__"
STOP = "__stop__"
REJECTED = "__rejected__"  # "no" to "just to check: $500?"

AMOUNT_LABELS = {"home_value": "the home's value", "loan_balance": "what you owe"}
CHOICES = {
    "payment_status": assessment.PAYMENT_STATUSES,
    "loan_purpose": assessment.LOAN_PURPOSES,
    "occupancy": assessment.OCCUPANCIES,
    "goal": assessment.GOALS,
}


class Raw(str):
    """An answer we could not read yet: the text the user typed for the requested slot."""


_state_cache = StateCache()


class ValidateScenarioForm(FormValidationAction):
    def __init__(self, repository: Optional[KnowledgeRepository] = None) -> None:
        super().__init__()
        self._repository = repository

    def name(self) -> Text:
        return "validate_scenario_form"

    @property
    def repository(self) -> KnowledgeRepository:
        if self._repository is None:
            self._repository = default_repository()
        return self._repository

    # --- which questions ------------------------------------------------------------------

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        if tracker.get_slot("scenario_stopped"):
            return []
        # a skipped question isn't asked again, but a value the user gives later is still validated
        skipped = set(tracker.get_slot("scenario_skipped") or [])
        slots = [s for s in domain_slots if s not in skipped or tracker.get_slot(s) is not None]

        status = tracker.get_slot("payment_status")
        if status == "current" and tracker.get_slot("months_behind") is None and "months_behind" in slots:
            slots.remove("months_behind")
        if "loan_purpose" in slots and not await self._loan_purpose_matters(tracker):
            slots.remove("loan_purpose")
        return slots

    async def next_requested_slot(self, dispatcher, tracker, domain) -> Optional[Dict[Text, Any]]:
        """Always name the next question (the SDK leaves it to Rasa when no slot was dropped)."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        missing = next((s for s in required if tracker.slots.get(s) is None), None)
        return SlotSet(REQUESTED_SLOT, missing)

    async def _loan_purpose_matters(self, tracker: Tracker) -> bool:
        """False when the answer can't change the deficiency result (asked only when it can)."""
        value, balance = tracker.get_slot("home_value"), tracker.get_slot("loan_balance")
        if value is not None and balance is not None:
            try:
                if float(balance) <= float(value):
                    return False  # not underwater: no shortfall to chase whatever the loan
            except (TypeError, ValueError):
                pass
        code = tracker.get_slot("us_state")
        if not isinstance(code, str) or code not in states.STATES:
            return True
        try:
            record = await in_thread(_state_cache.get, self.repository, code)
        except KnowledgeUnavailable:
            logger.warning("knowledge DB unavailable; asking loan_purpose (sender %s)", tracker.sender_id)
            return True
        if record is None:
            return True
        return assessment.loan_purpose_matters(record, tracker.get_slot("occupancy"))

    # --- extraction: free-text answers and facts in words ------------------------------------

    @staticmethod
    def _requested(tracker: Tracker) -> Optional[Text]:
        return tracker.get_slot("requested_slot")

    @staticmethod
    def _changed(tracker: Tracker, slot: Text, value: Any) -> Dict[Text, Any]:
        """{slot: value} unless the slot already holds it (keeps re-validation quiet)."""
        if value is None or tracker.get_slot(slot) == value:
            return {}
        return {slot: value}

    def _control(self, tracker: Tracker, slot: Text) -> Optional[Text]:
        control = read_control(latest_text(tracker), latest_entities(tracker, "scenario_control"))
        if control == "stop":
            return STOP
        if control == "skip":
            return SKIP
        return None

    def _unreadable(self, tracker: Tracker, slot: Text, text: Text) -> Dict[Text, Any]:
        """The answer to the question asked that we couldn't read: skip/stop, or a Raw value that
        validate_<slot> re-asks. Not when the message told us something else instead (a correction,
        another fact): then the question is simply asked again."""
        control = self._control(tracker, slot)
        if control:
            return {slot: control}
        if _other_fact(tracker, slot):
            return {}
        return {slot: Raw(text.strip())}

    def _pending_answer(self, tracker: Tracker, slot: Text) -> Optional[Dict[Text, Any]]:
        """The yes/no reply to "just to check: $500?"."""
        pending = tracker.get_slot("scenario_pending") or {}
        if pending.get("slot") != slot:
            return None
        intent = latest_intent(tracker)
        if intent == "affirm":
            return {slot: pending.get("value")}
        if intent == "deny":
            return {slot: REJECTED}
        return None

    def extract_us_state(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = latest_text(tracker)
        if self._requested(tracker) != "us_state" or is_payload(text) and not latest_entities(tracker, "scenario_control"):
            return {}
        if latest_entities(tracker, "us_state") and is_answer(tracker):
            return {}  # Rasa's from_entity mapping already took it
        whole = states.normalize(text)
        if whole:  # "texas" counts as an answer whatever the intent classifier thought
            return self._changed(tracker, "us_state", whole)
        if not is_answer(tracker):
            return {}
        found = {m.value for m in states.find(text)}
        if len(found) == 1:
            return {"us_state": found.pop()}
        return self._unreadable(tracker, "us_state", text)

    def _extract_amount(self, slot: Text, tracker: Tracker) -> Dict[Text, Any]:
        text = latest_text(tracker)
        pending = self._pending_answer(tracker, slot)
        if pending is not None:
            return pending
        if self._requested(tracker) != slot:
            return {}
        if any(e.get("role") == slot for e in latest_entities(tracker, "amount")):
            return {}  # filled by the role mapping
        found = latest_entities(tracker, "amount")
        bare = [e for e in found if not e.get("role")]
        if bare:
            return {slot: bare[-1].get("value")}
        if found:
            return {}  # an amount for the other slot ("I owe 300k" when asked the value)
        if is_payload(text) and not latest_entities(tracker, "scenario_control"):
            return {}
        value = amounts.parse(text)  # negative for "-50k" / "minus 50k": validate re-asks
        if value is not None and not is_answer(tracker):
            # "300k" misread as another intent is still the answer to our question
            return {slot: value} if _looks_like_bare_amount(text) else {}
        if not is_answer(tracker):
            return {}
        if value is not None:
            return {slot: value}
        if slot == "loan_balance" and read_zero_balance(text):
            return {slot: 0.0}
        return self._unreadable(tracker, slot, text)

    def extract_home_value(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return self._extract_amount("home_value", tracker)

    def extract_loan_balance(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return self._extract_amount("loan_balance", tracker)

    def extract_months_behind(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = latest_text(tracker)
        if not is_answer(tracker) or latest_entities(tracker, "months") or is_payload(text):
            return {}
        if self._requested(tracker) != "months_behind":
            # "I'm 2 months behind" said while we asked something else (the NLU usually tags it)
            found = months.find(text) if mentions_missed_payments(text) else []
            return self._changed(tracker, "months_behind", float(found[0].value)) if len(found) == 1 else {}
        number = months.parse(text)
        if number is None and text.strip().isdigit():
            number = int(text.strip())
        if number is None and read_payment_status(text) == "current":
            number = 0
        if number is not None:
            return {"months_behind": float(number)}
        return self._unreadable(tracker, "months_behind", text)

    def _extract_choice(self, slot: Text, tracker: Tracker, reader) -> Dict[Text, Any]:
        """Categorical/bool slots: the button entity (via mapping), else words, on any answering turn."""
        text = latest_text(tracker)
        requested = self._requested(tracker) == slot
        if latest_entities(tracker, slot):
            return {}  # a button payload, taken by the from_entity mapping
        if requested and latest_intent(tracker) in SMALL_TALK_INTENTS and not is_payload(text):
            # "I'd rather leave, honestly" misread as goodbye is still the answer to our question
            value = reader(text, True, latest_intent(tracker))
            return self._changed(tracker, slot, value) if value is not None else {}
        if not is_answer(tracker) or (is_payload(text) and not latest_entities(tracker, "scenario_control")):
            return {}
        if requested and slot == "hardship" and latest_intent(tracker) in ("affirm", "deny"):
            return {}  # from_intent mapping
        value = reader(text, requested, latest_intent(tracker))
        if value is not None:
            return self._changed(tracker, slot, value)
        if requested:
            return self._unreadable(tracker, slot, text)
        return {}

    def extract_payment_status(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_choice("payment_status", tracker, read_payment_status)

    def extract_loan_purpose(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_choice("loan_purpose", tracker, lambda t, r, i: read_loan_purpose(t, r))

    def extract_occupancy(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_choice("occupancy", tracker, read_occupancy)

    def extract_hardship(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_choice("hardship", tracker, lambda t, r, i: read_hardship(t, r))

    def extract_goal(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_choice("goal", tracker, lambda t, r, i: read_goal(t, r))

    # --- validation ----------------------------------------------------------------------------

    def _failure(
        self,
        slot: Text,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        response: Text,
        **kwargs: Any,
    ) -> Dict[Text, Any]:
        """A value we can't use. For the question asked: re-ask (escape offer after two tries).
        For a slot we didn't ask about: keep what we had."""
        before = previous_value(tracker, slot)
        if self._requested(tracker) != slot:
            dispatcher.utter_message(response=response, **kwargs)
            return {slot: before}
        retry = tracker.get_slot("scenario_retry") or {}
        count = (retry.get("count", 0) if retry.get("slot") == slot else 0) + 1
        if count >= MAX_FAILURES:
            explain = f"utter_explain_{slot}" if slot in ("us_state", "home_value", "loan_balance", "months_behind") else "utter_explain_choice"
            dispatcher.utter_message(response=explain)
            dispatcher.utter_message(response="utter_scenario_escape")
        else:
            dispatcher.utter_message(response=response, **kwargs)
        return {slot: before, "scenario_retry": {"slot": slot, "count": count}}

    def _accept(self, slot: Text, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        result: Dict[Text, Any] = {slot: value}
        retry = tracker.get_slot("scenario_retry") or {}
        if retry.get("slot") == slot:
            result["scenario_retry"] = None
        pending = tracker.get_slot("scenario_pending") or {}
        if pending.get("slot") == slot:
            result["scenario_pending"] = None
        before = previous_value(tracker, slot)
        requested = self._requested(tracker)
        if before is not None and before != value and requested and requested != slot:
            # a correction in the middle of the questions: say that we took it
            dispatcher.utter_message(
                response="utter_scenario_updated",
                what=assessment.SLOT_LABELS.get(slot, slot),
                value=assessment.describe_value(slot, value, states.STATES),
            )
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
        return self._validate_amount("loan_balance", slot_value, dispatcher, tracker)

    def validate_months_behind(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if slot_value in (SKIP, STOP):
            return self._control_result("months_behind", slot_value, dispatcher, tracker)
        value = _to_float(slot_value)
        if value is None and isinstance(slot_value, str):
            parsed = months.parse(slot_value)
            value = float(parsed) if parsed is not None else None
        if value is not None and self._unchanged("months_behind", value, tracker):
            return {"months_behind": value}
        requested = self._requested(tracker) == "months_behind"
        if value is not None and not requested and not mentions_missed_payments(latest_text(tracker)):
            # "we bought it 6 months ago": a number of months that isn't about missed payments
            return {"months_behind": previous_value(tracker, "months_behind")}
        if value is None or value < 0 or value > MAX_MONTHS_BEHIND or value != math.floor(value):
            return self._failure("months_behind", dispatcher, tracker, "utter_invalid_months")
        result = self._accept("months_behind", value, dispatcher, tracker)
        status = "behind" if value > 0 else "current"
        if tracker.get_slot("payment_status") != status:
            result["payment_status"] = status
        return result

    def validate_payment_status(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        result = self._validate_choice("payment_status", slot_value, dispatcher, tracker,
                                       lambda t: read_payment_status(t, True, latest_intent(tracker)))
        status = result.get("payment_status")
        if status == "current" and tracker.get_slot("months_behind") not in (None, 0, 0.0):
            result["months_behind"] = 0.0
        elif status == "current" and tracker.get_slot("months_behind") is None:
            result["months_behind"] = 0.0
        elif status == "behind" and tracker.get_slot("months_behind") in (0, 0.0):
            result["months_behind"] = None  # ask how many
        return result

    def _validate_choice(self, slot: Text, slot_value: Any, dispatcher, tracker, reader) -> Dict[Text, Any]:
        if slot_value in (SKIP, STOP):
            return self._control_result(slot, slot_value, dispatcher, tracker)
        allowed = CHOICES.get(slot)
        if allowed and isinstance(slot_value, str) and not isinstance(slot_value, Raw) and slot_value in allowed:
            if self._unchanged(slot, slot_value, tracker):
                return {slot: slot_value}
            return self._accept(slot, slot_value, dispatcher, tracker)
        value = reader(str(slot_value or ""))
        if value is not None:
            return self._accept(slot, value, dispatcher, tracker)
        return self._failure(slot, dispatcher, tracker, "utter_invalid_choice")

    def validate_loan_purpose(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate_choice("loan_purpose", slot_value, dispatcher, tracker, lambda t: read_loan_purpose(t, True))

    def validate_occupancy(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate_choice("occupancy", slot_value, dispatcher, tracker,
                                     lambda t: read_occupancy(t, True, latest_intent(tracker)))

    def validate_goal(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate_choice("goal", slot_value, dispatcher, tracker, lambda t: read_goal(t, True))

    def validate_hardship(self, slot_value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if slot_value in (SKIP, STOP):
            return self._control_result("hardship", slot_value, dispatcher, tracker)
        if isinstance(slot_value, bool):
            if self._unchanged("hardship", slot_value, tracker):
                return {"hardship": slot_value}
            return self._accept("hardship", slot_value, dispatcher, tracker)
        if isinstance(slot_value, str) and slot_value.lower() in ("true", "false"):
            return self._accept("hardship", slot_value.lower() == "true", dispatcher, tracker)
        value = read_hardship(str(slot_value or ""), True)
        if value is not None:
            return self._accept("hardship", value, dispatcher, tracker)
        return self._failure("hardship", dispatcher, tracker, "utter_invalid_choice")


# --- helpers ---------------------------------------------------------------------------------------


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


# Intents a short answer is sometimes mistaken for; a clear answer to the open question still counts.
SMALL_TALK_INTENTS = frozenset({"greet", "goodbye", "thank_you", "out_of_scope"})

FACT_ENTITIES = ("us_state", "amount", "months", "payment_status", "loan_purpose", "occupancy", "goal")


def _other_fact(tracker: Tracker, slot: Text) -> bool:
    """The latest message states a fact for a slot other than ``slot``."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        name = entity.get("entity")
        if name in FACT_ENTITIES and name != slot and not (name == "amount" and entity.get("role") == slot):
            return True
    text = latest_text(tracker)
    readers = {
        "payment_status": lambda: read_payment_status(text),
        "hardship": lambda: read_hardship(text),
        "goal": lambda: read_goal(text),
        "occupancy": lambda: read_occupancy(text),
        "loan_purpose": lambda: read_loan_purpose(text),
    }
    return any(reader() is not None for name, reader in readers.items() if name != slot)


def _looks_like_bare_amount(text: Text) -> bool:
    """"300k", "$1.2 million", "about 250 grand": the whole message is just an amount."""
    stripped = text.strip().lower()
    for filler in ("about", "around", "roughly", "maybe", "probably", "approx", "approximately", "like", "~", "it's", "its"):
        stripped = stripped.replace(filler, " ")
    found = amounts.find(stripped)
    if len(found) != 1:
        return False
    rest = (stripped[: found[0].start] + stripped[found[0].end:]).strip(" .,!?$")
    return rest == ""



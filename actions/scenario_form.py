"""validate_scenario_form: collects the homeowner's situation for the assessment.

How a turn works (rasa 3.6 / rasa-sdk 3.6):
1. The NLU pipeline reads every fact of a message as normalized entities (state or place, amounts
   with their role, months behind, payment status, occupancy, loan purpose, hardship, goal,
   skip/stop), and Rasa's ``action_extract_slots`` fills the slots from them on any turn: several
   facts in one message, facts for another question, corrections.
2. The ``extract_<slot>`` methods here only add what depends on the question we asked: a bare
   answer ("338" to "what is it worth?" is $338,000; "portland" to "which state?" asks Oregon or
   Maine), the total of two liens, and an answer we could not read (kept as ``Raw`` so
   ``validate_<slot>`` can re-ask). Messages whose intent asks about something else (an FAQ, a state
   question) are never read as answers: their rule answers and the form asks again.
3. ``validate_<slot>`` normalizes and checks every new value; a bad value for a slot we didn't ask
   keeps the value we had. Nothing already collected is lost.
4. After validation, every new or corrected fact is said back in one short line, and a question
   left unanswered twice in a row comes with an offer to skip it or stop.
5. ``required_slots`` lists only the questions that can still change the answer.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.interfaces import ActionExecutionRejection
from rasa_sdk.types import DomainDict

from knowledge import assessment
from knowledge.assessment import Scenario
from knowledge.assessment.deficiency import DECIDING_SLOTS as CONDITIONS
from knowledge.repository import KnowledgeRepository, KnowledgeUnavailable
from knowledge.scenario_facts import answer_facts, facts_from_entities, place_question
from knowledge.vocabulary import amounts, states

from actions import scenario_feedback
from actions.scenario_checks import SKIP, STOP, REJECTED, Raw, ScenarioSlotChecks
from actions.scenario_common import (
    INTERRUPTING_INTENTS,
    StateCache,
    default_repository,
    in_thread,
    is_answer,
    is_payload,
    latest_entities,
    latest_intent,
    latest_text,
    previous_value,
    user_turn,
)

logger = logging.getLogger(__name__)

FORM_NAME = "scenario_form"
MAX_FAILURES = 2  # the second unanswered ask of a question comes with the skip/stop offer
# slots the form sets besides its questions; returned even though they are not validated
BOOKKEEPING = ("scenario_place",)
EXPLAINED = ("us_state", "home_value", "loan_balance", "months_behind")
NUMBER_SLOTS = ("lot_acres", "loan_year")


_state_cache = StateCache()


class ValidateScenarioForm(ScenarioSlotChecks, FormValidationAction):
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
        deciding = await self._deciding(tracker)
        # a condition is asked only where it decides a lien's answer; one the user gave is still checked
        return [s for s in slots if s not in CONDITIONS or s in deciding or tracker.get_slot(s) is not None]

    async def next_requested_slot(self, dispatcher, tracker, domain) -> Optional[Dict[Text, Any]]:
        """Always name the next question (the SDK leaves it to Rasa when no slot was dropped)."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        missing = next((s for s in required if tracker.slots.get(s) is None), None)
        return SlotSet(REQUESTED_SLOT, missing)

    async def _deciding(self, tracker: Tracker) -> tuple:
        """The conditions worth asking in the user's state (knowledge.assessment.deciding_slots);
        every condition while the state is unknown to the knowledge base (nothing is lost by asking)."""
        code = tracker.get_slot("us_state")
        if not isinstance(code, str) or code not in states.STATES:
            return ()
        try:
            record = await in_thread(_state_cache.get, self.repository, code)
        except KnowledgeUnavailable:
            logger.warning("knowledge DB unavailable; asking every condition (sender %s)", tracker.sender_id)
            return CONDITIONS
        if record is None:
            return CONDITIONS
        return assessment.deciding_slots(record, Scenario.from_slots(tracker.current_slot_values()))

    # --- after validation: say the facts back, count unanswered asks ------------------------------

    async def get_extraction_events(self, dispatcher, tracker, domain) -> List[Dict[Text, Any]]:
        if _answered_since_message(tracker):
            return []  # resuming after another action answered the message: it was not for us
        return await super().get_extraction_events(dispatcher, tracker, domain)

    async def get_validation_events(self, dispatcher, tracker, domain) -> List[Dict[Text, Any]]:
        if latest_intent(tracker) in RULE_INTENTS and tracker.active_loop.get("name") \
                and not _answered_since_message(tracker) and not self._small_talk_answer(tracker) \
                and button_value(tracker, domain) is None:
            # a question (or a message we couldn't read) while the form waits: its own rule answers
            # first; the facts in it are already kept by the domain's slot mappings, and said back when
            # the form resumes
            raise ActionExecutionRejection(self.name(), "the message's own rule answers first")
        first_message = len(dispatcher.messages)
        extracted = dict(tracker.slots_to_validate())
        events = await super().get_validation_events(dispatcher, tracker, domain)
        validated = {e["name"]: e["value"] for e in events}
        events += [SlotSet(slot, extracted[slot]) for slot in BOOKKEEPING if slot in extracted and slot not in validated]

        now = {slot: validated.get(slot, tracker.get_slot(slot)) for slot in scenario_feedback.SAID_BACK}
        before = {slot: previous_value(tracker, slot) for slot in scenario_feedback.SAID_BACK}
        if not _is_what_if(tracker):  # a what-if re-run names its changes in the assessment itself
            said = CollectingDispatcher()
            for message in scenario_feedback.messages(now, before, tracker):
                said.utter_message(**message)
            dispatcher.messages[first_message:first_message] = said.messages
        events += self._unanswered(dispatcher, tracker, {**dict(tracker.slots), **validated})
        return events

    def _small_talk_answer(self, tracker: Tracker) -> bool:
        """A clear answer to our question that the classifier took for small talk or couldn't place
        ("I'd rather leave, honestly" as goodbye): read here, not left to the small-talk rule."""
        asked = self._requested(tracker)
        if latest_intent(tracker) not in SMALL_TALK_INTENTS or not asked:
            return False
        entities = (tracker.latest_message or {}).get("entities") or []
        return answer_facts(latest_text(tracker), entities, asked).get(asked) is not None

    def _unanswered(self, dispatcher: CollectingDispatcher, tracker: Tracker, slots: Dict[Text, Any]) -> List[Dict]:
        """Count a question asked again after a reply that didn't answer it (whatever the reply was: a
        question of its own, another fact, nonsense); the second time, say why we ask and offer to skip
        it or stop, so no question is asked a third time in a row without a way out."""
        asked = self._requested(tracker)
        retry = tracker.get_slot("scenario_retry") or {}
        if not asked or not tracker.active_loop.get("name"):
            return []
        answered = slots.get(asked) is not None or slots.get("scenario_stopped") or asked in (
            slots.get("scenario_skipped") or [])
        if answered:
            return [SlotSet("scenario_retry", None)] if retry else []
        return count_unanswered(dispatcher, tracker, asked)

    # --- extraction: what depends on the question we asked -----------------------------------------

    @staticmethod
    def _changed(tracker: Tracker, slot: Text, value: Any) -> Dict[Text, Any]:
        """{slot: value} unless the slot already holds it (keeps re-validation quiet)."""
        if value is None or tracker.get_slot(slot) == value:
            return {}
        return {slot: value}

    @staticmethod
    def _control(tracker: Tracker) -> Optional[Text]:
        """SKIP / STOP when the user wants out of the question ("skip", "rather not say", "stop asking")."""
        values = {e.get("value") for e in latest_entities(tracker, "scenario_control")}
        if "stop" in values:
            return STOP
        if "skip" in values:
            return SKIP
        return None

    def _unreadable(self, tracker: Tracker, slot: Text, text: Text) -> Dict[Text, Any]:
        """The answer to the question asked that we couldn't read: skip/stop, or a Raw value that
        validate_<slot> re-asks. Not when the message told us something else instead (a correction,
        another fact): that is said back and the question asked again."""
        control = self._control(tracker)
        if control:
            return {slot: control}
        if _other_fact(tracker, slot):
            return {}
        return {slot: Raw(text.strip())}

    def _answering(self, tracker: Tracker, slot: Text) -> bool:
        """The latest message replies to our question about ``slot``: typed words, or a button or
        typed payload that carries a value (a bare "/affirm" is left to the from_intent mappings)."""
        if self._requested(tracker) != slot:
            return False
        return not is_payload(latest_text(tracker)) or bool((tracker.latest_message or {}).get("entities"))

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
        entities = (tracker.latest_message or {}).get("entities") or []
        if latest_entities(tracker, "us_state") and is_answer(tracker):
            return {}  # Rasa's from_entity mapping took it
        question = place_question(entities)
        if question and tracker.get_slot("us_state") is None and is_answer(tracker):
            return {"scenario_place": question}  # "Portland" -> "Oregon or Maine?"
        if not self._answering(tracker, "us_state"):
            return {}
        text = latest_text(tracker)
        code = states.normalize(text)
        if code:  # "texas" counts as an answer whatever the intent classifier thought
            return self._changed(tracker, "us_state", code)
        if not is_answer(tracker):
            return {}
        facts = answer_facts(text, entities, "us_state")
        if "us_state" in facts:  # "48221", "sacramento"
            return self._changed(tracker, "us_state", facts["us_state"])
        if "place" in facts:
            return {"scenario_place": facts["place"]}
        return self._unreadable(tracker, "us_state", text)

    def _extract_amount(self, slot: Text, tracker: Tracker) -> Dict[Text, Any]:
        pending = self._pending_answer(tracker, slot)
        if pending is not None:
            return pending
        found = latest_entities(tracker, "amount")
        if slot == "loan_balance" and any(e.get("role") == "first_lien" for e in found):
            # "550k on the first plus a 150k HELOC": the total of the liens (a mapping can't add); a
            # second lien told earlier counts when this message gives only the first
            facts = facts_from_entities(found)
            earlier = 0 if "second_lien_balance" in facts else tracker.get_slot("second_lien_balance") or 0
            return self._changed(tracker, slot, facts.get("loan_balance") + earlier)
        if not self._answering(tracker, slot) or any(e.get("role") == slot for e in found):
            return {}  # not our question, or filled by the role mapping
        text = latest_text(tracker)
        value = answer_facts(text, found, slot).get(slot)  # "338" to "what is it worth?" is $338,000
        bare = any(not e.get("role") for e in found)
        if value is not None and (is_answer(tracker) or bare or _looks_like_bare_amount(text)):
            return {slot: value}  # "300k" misread as another intent is still the answer
        if found or not is_answer(tracker):
            return {}  # an amount for the other slot ("I owe 300k" when asked the value)
        return self._unreadable(tracker, slot, text)

    def extract_second_lien_balance(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if latest_intent(tracker) == "affirm" and not latest_entities(tracker, "amount"):
            return {}  # "yes" to "is any of that on a second?": action_ask_second_lien_balance asks how much
        return self._extract_amount("second_lien_balance", tracker)

    def extract_home_value(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return self._extract_amount("home_value", tracker)

    def extract_loan_balance(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return self._extract_amount("loan_balance", tracker)

    def extract_months_behind(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not self._answering(tracker, "months_behind") or not is_answer(tracker) or latest_entities(tracker, "months"):
            return {}
        text = latest_text(tracker)
        number = answer_facts(text, [], "months_behind").get("months_behind")
        if number is None and any(e.get("value") == "current" for e in latest_entities(tracker, "payment_status")):
            number = 0
        if number is not None:
            return {"months_behind": float(number)}
        return self._unreadable(tracker, "months_behind", text)

    def _extract_choice(self, slot: Text, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """Categorical/bool slots come from the NLU's entities through the domain's mappings; here only
        what a reply means as the answer to our question ("not sure" to the goal question), a button's
        title typed instead of clicked, a reply the intent classifier took for small talk ("I'd rather
        leave, honestly" as goodbye), and a reply with nothing we could read."""
        if not self._answering(tracker, slot):
            return {}
        typed = button_value(tracker, domain)
        if typed is not None:
            return self._changed(tracker, slot, typed)
        entities = latest_entities(tracker, slot)
        reply = answer_facts(latest_text(tracker), (tracker.latest_message or {}).get("entities") or [], slot)
        if not entities and reply.get(slot) is not None and is_answer(tracker):
            return self._changed(tracker, slot, reply[slot])  # "not sure" to the goal question
        if latest_intent(tracker) in SMALL_TALK_INTENTS:
            return self._changed(tracker, slot, entities[-1].get("value")) if entities else {}
        if entities or not is_answer(tracker) or latest_intent(tracker) in ("affirm", "deny"):
            return {}  # taken by the from_entity / from_intent mappings
        return self._unreadable(tracker, slot, latest_text(tracker))

    def _extract_number(self, slot: Text, tracker: Tracker) -> Dict[Text, Any]:
        """A bare answer to "how many acres?" / "what year?" ("5", "'06"), read as that question's unit."""
        if not self._answering(tracker, slot) or tracker.get_slot(slot) is not None and not is_answer(tracker):
            return {}
        entities = (tracker.latest_message or {}).get("entities") or []
        if any(e.get("entity") in ("acres", "loan_year") and not e.get("role") for e in entities):
            return {}  # taken by the from_entity mapping
        value = answer_facts(latest_text(tracker), entities, slot).get(slot)
        if value is not None:
            return self._changed(tracker, slot, value)
        if not is_answer(tracker):
            return {}
        return self._unreadable(tracker, slot, latest_text(tracker))

    def extract_lot_acres(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_number("lot_acres", tracker)

    def extract_loan_year(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_number("loan_year", tracker)

    def extract_lender_type(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_choice("lender_type", tracker, domain)

    def extract_second_lien_purpose(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_choice("second_lien_purpose", tracker, domain)

    def extract_payment_status(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_choice("payment_status", tracker, domain)

    def extract_loan_purpose(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_choice("loan_purpose", tracker, domain)

    def extract_occupancy(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_choice("occupancy", tracker, domain)

    def extract_hardship(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_choice("hardship", tracker, domain)

    def extract_goal(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_choice("goal", tracker, domain)

# --- helpers ---------------------------------------------------------------------------------------


# Messages whose own rule answers first while the form waits (the form rejects them, then resumes)
RULE_INTENTS = INTERRUPTING_INTENTS | {"nlu_fallback"}

# Intents a short answer is sometimes mistaken for; a clear answer to the open question still counts.
SMALL_TALK_INTENTS = frozenset({"greet", "goodbye", "thank_you", "out_of_scope", "nlu_fallback"})


def _words(text: Text) -> Text:
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def button_value(tracker: Tracker, domain: DomainDict) -> Any:
    """The value of the open question's button whose title the user typed ("buying the home" for
    the button "Buying the home"), or None. Titles of yes/no buttons are left to the intents."""
    asked = tracker.get_slot(REQUESTED_SLOT)
    said = _words(latest_text(tracker))
    if not asked or not said:
        return None
    for variant in ((domain or {}).get("responses") or {}).get(f"utter_ask_{asked}") or []:
        for button in variant.get("buttons") or []:
            payload = (button.get("payload") or "").replace("{{", "{").replace("}}", "}")  # domain escaping
            if _words(button.get("title") or "") != said or "{" not in payload:
                continue
            try:
                values = json.loads(payload[payload.index("{"):])
            except ValueError:
                return None
            return values.get(asked) if isinstance(values, dict) else None
    return None


def _other_fact(tracker: Tracker, slot: Text) -> bool:
    """The latest message states a scenario fact for a slot other than ``slot``."""
    facts = facts_from_entities((tracker.latest_message or {}).get("entities") or [])
    return any(name != slot for name in facts) or place_question(
        (tracker.latest_message or {}).get("entities") or []) is not None


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


def count_unanswered(dispatcher: CollectingDispatcher, tracker: Tracker, asked: Text) -> List[Dict]:
    """Counts the latest message as one more reply that left ``asked`` open (once per message);
    from the second, says why we ask and offers to skip the question or stop. The SlotSet of the
    count, or [] when this message was counted already."""
    retry = tracker.get_slot("scenario_retry") or {}
    turn = user_turn(tracker)
    if retry.get("turn") == turn:
        return []
    count = (retry.get("count", 0) if retry.get("slot") == asked else 0) + 1
    if count >= MAX_FAILURES:
        dispatcher.utter_message(response=f"utter_explain_{asked}" if asked in EXPLAINED else "utter_explain_choice")
        dispatcher.utter_message(response="utter_scenario_escape")
    return [SlotSet("scenario_retry", {"slot": asked, "count": count, "turn": turn})]


# what the rules say before the form's first run: an introduction, not an answer to the message
STARTERS = ("utter_scenario_start",)


def _answered_since_message(tracker: Tracker) -> bool:
    """Another action (an FAQ answer, a state-law answer...) ran after the latest user message: the
    form is resuming after an interruption, not reading the message."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") not in (FORM_NAME, "action_listen", *STARTERS):
            return True
    return False


def _is_what_if(tracker: Tracker) -> bool:
    """The form is being re-run for a "what if" after an assessment (it names the changes itself)."""
    return bool(tracker.get_slot("scenario_assessed")) and not tracker.active_loop.get("name")

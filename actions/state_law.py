"""State-law actions: a state's deficiency rules, the walk-away (non-recourse) states, foreclosure
timelines, and the state line added after state-dependent FAQ answers.

Thin: knowledge comes from ``knowledge.repository`` (run in a worker thread), wording from the
domain responses in bot/domain/state_law.yml, and short generated values from ``knowledge.answers``.
"""
from __future__ import annotations

import abc
import asyncio
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge import answers
from knowledge.repository import KnowledgeRepository, KnowledgeUnavailable, StateLaw

logger = logging.getLogger(__name__)

US_STATE = "us_state"  # the user's own state (the scenario's)
STATE_DISCUSSED = "state_discussed"  # the state last answered about, for "how long does it take there?"
STATE_QUESTION = "state_question"
STATE_TOPIC = "state_topic"
MAX_STATES_PER_ANSWER = 3

# FAQ keys whose answer depends on the state, and what to add after them.
FAQ_RULE_KEYS = frozenset({"deficiency_judgment", "walk_away_consequences", "walk_away_process"})
FAQ_TIMELINE_KEYS = frozenset({"skip_payments"})

_shared_repository: Optional[KnowledgeRepository] = None


def default_repository() -> KnowledgeRepository:
    """The process-wide repository for KNOWLEDGE_DB_URL (no DB work until it is queried)."""
    global _shared_repository
    if _shared_repository is None:
        _shared_repository = KnowledgeRepository.from_env()
    return _shared_repository


# --- which state is the user asking about ------------------------------------------------------------
_FOLLOWUP = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|now|cool|thanks)\W+)?(?:and|what about|how about|what of|same|also|then|now|ok(?:ay)? and)\b",
    re.IGNORECASE,
)
_TOPIC_WORDS = re.compile(r"\b(recourse|deficien\w*|sue|shortfall|rules?|laws?|long|time|timeline|months?|take)\b", re.I)
# a capitalized name after a preposition: "in Narnia", "what about New Narnia"
_CANDIDATE = re.compile(r"\b(?:in|about|for|of|from|to)\s+([A-Z][A-Za-z.'-]*(?:\s+[A-Z][A-Za-z.'-]*){0,2})")
_NOT_A_PLACE = frozenset(
    "i i'm my the a an your this that it chapter foreclosure foreclosures heloc fha usda fannie freddie hud cfpb "
    "irs fico harp ch section federal english spanish god me us".split()
)
_LOAN_WORDS = re.compile(r"^\s*(loans?|mortgages?|streamline|irrrl|guidelines?|rules?)\b", re.I)
_SAFE_NAME = re.compile(r"[^A-Za-z .'-]")


def _vocabulary():
    try:
        from knowledge.vocabulary import states as vocab

        return vocab
    except ImportError:  # the vocabulary is a sibling module; without it only NLU entities are used
        return None


def normalize_state(text: Text) -> Optional[Text]:
    """USPS code for a short state answer ("texas", "N. Carolina"), else None."""
    vocab = _vocabulary()
    if vocab is None or not hasattr(vocab, "normalize"):
        return None
    try:
        return vocab.normalize(text)
    except Exception:  # a vocabulary bug must not break the answer
        logger.exception("states.normalize failed for %r", text)
        return None


ASKING_ACTIONS = frozenset({"action_state_rules", "action_foreclosure_timeline"})


def previous_bot_action(tracker: Tracker) -> Optional[Text]:
    """The last action the bot ran before the latest user message (action_listen skipped)."""
    seen_user = False
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        if kind == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and kind == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def pending_question(tracker: Tracker) -> Optional[Text]:
    """"rules" / "timeline" when our previous turn asked "which state?", else None (a stale slot is ignored)."""
    question = tracker.get_slot(STATE_QUESTION)
    if question and previous_bot_action(tracker) in ASKING_ACTIONS:
        return question
    return None


def _valid_code(value: Any) -> Optional[Text]:
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        return None
    vocab = _vocabulary()
    states = getattr(vocab, "STATES", None) if vocab else None
    if states and code not in states:
        return None
    return code


@dataclass(frozen=True)
class StateChoice:
    codes: Sequence[Text] = field(default_factory=tuple)
    source: Optional[Text] = None  # "message" | "slot" | None
    unknown: Optional[Text] = None  # a name the user gave that is not a state


def candidate_place(text: Text, bare: bool = False) -> Optional[Text]:
    """A capitalized name after in/about/for... ("what about Narnia?" -> "Narnia").

    With ``bare`` (we just asked "which state?"), a short reply counts as the name itself.
    """
    text = text or ""
    for match in _CANDIDATE.finditer(text):
        name = match.group(1).strip(" .'-")
        if not name or name.split()[0].lower() in _NOT_A_PLACE:
            continue
        if _LOAN_WORDS.match(text[match.end():]):
            continue
        return name
    if bare:
        words = re.sub(r"[^\w .'-]", " ", text).split()
        if 0 < len(words) <= 3:
            return " ".join(words)
    return None


def _clean_name(name: Text) -> Text:
    cleaned = " ".join(_SAFE_NAME.sub("", name).split())
    return (cleaned[:40].rstrip() + "…") if len(cleaned) > 40 else cleaned


def resolve_state(tracker: Tracker, slots: Sequence[Text] = (STATE_DISCUSSED, US_STATE)) -> StateChoice:
    """States named in the latest message (NLU entities, then a name after "in/about"), else the
    first of ``slots`` that holds one (by default the state being discussed, then the user's own)."""
    message = tracker.latest_message or {}
    codes: List[Text] = []
    for entity in message.get("entities") or []:
        if entity.get("entity") == US_STATE:
            code = _valid_code(entity.get("value"))
            if code and code not in codes:
                codes.append(code)
    if codes:
        return StateChoice(tuple(codes[:MAX_STATES_PER_ANSWER]), "message")
    pending = pending_question(tracker) is not None
    candidate = candidate_place(message.get("text") or "", bare=pending)
    if candidate:
        code = _valid_code(normalize_state(candidate))
        if code:
            return StateChoice((code,), "message")
        return StateChoice(unknown=_clean_name(candidate) or "that place")
    for slot in slots:
        slot_code = _valid_code(tracker.get_slot(slot))
        if slot_code:
            return StateChoice((slot_code,), "slot")
    return StateChoice()


def remember_states(tracker: Tracker, codes: Sequence[Text]) -> List[EventType]:
    """The state just discussed; a single asked-about state becomes the user's own only if they
    haven't given one, so asking about California never moves a homeowner's scenario out of Ohio."""
    events: List[EventType] = [SlotSet(STATE_DISCUSSED, codes[-1])]
    if len(codes) == 1 and not _valid_code(tracker.get_slot(US_STATE)):
        events.append(SlotSet(US_STATE, codes[0]))
    return events


def is_followup(tracker: Tracker) -> bool:
    """"what about Ohio?", "and in NY", "same question for Florida" (not a new question)."""
    text = (tracker.latest_message or {}).get("text") or ""
    if _FOLLOWUP.search(text):
        return True
    return len(text.split()) <= 4 and not _TOPIC_WORDS.search(text)


# --- shared rendering ------------------------------------------------------------------------------
def _utter_rules(dispatcher: CollectingDispatcher, law: StateLaw) -> None:
    values = answers.state_rule_vars(law)
    dispatcher.utter_message(response=f"utter_state_rules_header_{answers.CATEGORY_SUFFIX[law.recourse_category]}", **values)
    dispatcher.utter_message(response="utter_state_rules_details", **values)
    if law.confidence != "high":
        dispatcher.utter_message(response="utter_state_rules_caveat", **values)
    if law.unconfirmed:
        dispatcher.utter_message(response="utter_state_rules_unconfirmed", **values)


def _utter_timeline(dispatcher: CollectingDispatcher, law: StateLaw) -> None:
    values = answers.timeline_vars(law)
    dispatcher.utter_message(response="utter_state_timeline" if values["months"] else "utter_state_timeline_no_months", **values)


def _reset_stale(tracker: Tracker) -> List[EventType]:
    """Clear a "which state?" question the user walked away from."""
    return [SlotSet(STATE_QUESTION, None)] if tracker.get_slot(STATE_QUESTION) else []


SCENARIO_FORM = "scenario_form"


def stale_inform(tracker: Tracker, domain: Dict[Text, Any]) -> Optional[List[EventType]]:
    """An `inform` routed here by a stale "which state?" question: the user is describing their
    situation, so clear the question and let the scenario form take it (None if not the case)."""
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    if intent != "inform" or pending_question(tracker) or not tracker.get_slot(STATE_QUESTION):
        return None
    if resolve_state(tracker).source == "message":
        return None  # they did name a state: answer it
    events: List[EventType] = [SlotSet(STATE_QUESTION, None)]
    if SCENARIO_FORM in (domain or {}).get("forms", {}):
        events.append(FollowupAction(SCENARIO_FORM))
    return events


def _log_unavailable(action: Text, tracker: Tracker, exc: Exception) -> None:
    logger.error("%s: knowledge DB unavailable (sender_id=%s): %s", action, tracker.sender_id, exc)


class _KnowledgeAction(Action, abc.ABC):
    """Base: a repository (injected, or the shared one from the environment), queried in a thread."""

    @abc.abstractmethod
    def name(self) -> Text:
        """Abstract, so that rasa_sdk registers only the concrete actions."""

    def __init__(self, repository: Optional[KnowledgeRepository] = None) -> None:
        self._repository = repository

    @property
    def repository(self) -> KnowledgeRepository:
        return self._repository or default_repository()

    @staticmethod
    def choose_state(
        dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Tuple[Optional[StateChoice], List[EventType]]:
        """The state(s) to answer for, or None and the events that end the turn here (the message
        belongs to the scenario form, or names a place that is not a state)."""
        handover = stale_inform(tracker, domain)
        if handover is not None:
            return None, handover
        choice = resolve_state(tracker)
        if choice.unknown:
            dispatcher.utter_message(response="utter_unknown_state", unknown_state=choice.unknown)
            return None, [] if pending_question(tracker) else _reset_stale(tracker)
        return choice, []

    async def fetch_states(self, codes: Sequence[Text]) -> List[Optional[StateLaw]]:
        repo = self.repository
        return await asyncio.to_thread(lambda: [repo.state(code) for code in codes])

    async def answer_states(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, choice: StateChoice, topic: Text, with_federal: bool
    ) -> List[EventType]:
        """Answer ``topic`` ("rules" | "timeline") for the chosen states; degrade if the DB is down."""
        events: List[EventType] = remember_states(tracker, choice.codes) + [SlotSet(STATE_QUESTION, None)]
        if topic == "timeline" and with_federal:
            dispatcher.utter_message(response="utter_federal_120_day")
        try:
            laws = await self.fetch_states(choice.codes)
        except KnowledgeUnavailable as exc:
            _log_unavailable(self.name(), tracker, exc)
            dispatcher.utter_message(response="utter_kb_unavailable")
            return events
        found = [law for law in laws if law is not None]
        if not found:  # a valid code with no record: the DB is incomplete
            _log_unavailable(self.name(), tracker, KnowledgeUnavailable(f"no record for {list(choice.codes)}"))
            dispatcher.utter_message(response="utter_kb_unavailable")
            return events
        for law in found:
            (_utter_timeline if topic == "timeline" else _utter_rules)(dispatcher, law)
        return events + [SlotSet(STATE_TOPIC, topic)]


class ActionStateRules(_KnowledgeAction):
    """The state's deficiency rules in plain words (or its timeline for a follow-up to a timeline answer)."""

    def name(self) -> Text:
        return "action_state_rules"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        choice, events = self.choose_state(dispatcher, tracker, domain)
        if choice is None:
            return events
        if not choice.codes:
            dispatcher.utter_message(response="utter_ask_which_state")
            return [SlotSet(STATE_QUESTION, "rules")]
        pending = pending_question(tracker)
        topic = "rules"
        if pending == "timeline" or (
            pending is None and tracker.get_slot(STATE_TOPIC) == "timeline" and choice.source == "message" and is_followup(tracker)
        ):
            topic = "timeline"
        return await self.answer_states(dispatcher, tracker, choice, topic, with_federal=False)


class ActionForeclosureTimeline(_KnowledgeAction):
    """The federal 120-day rule first, then the state's process and typical months."""

    def name(self) -> Text:
        return "action_foreclosure_timeline"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        choice, events = self.choose_state(dispatcher, tracker, domain)
        if choice is None:
            return events
        if not choice.codes:
            dispatcher.utter_message(response="utter_federal_120_day")
            dispatcher.utter_message(response="utter_timeline_ask_state")
            dispatcher.utter_message(response="utter_ask_which_state")
            return [SlotSet(STATE_QUESTION, "timeline")]
        already_said = pending_question(tracker) == "timeline" or (
            tracker.get_slot(STATE_TOPIC) == "timeline" and is_followup(tracker)
        )
        return await self.answer_states(dispatcher, tracker, choice, "timeline", with_federal=not already_said)


class ActionWalkawayStates(_KnowledgeAction):
    """The non-recourse and qualifying non-recourse states, one line each; where the user's state stands."""

    def name(self) -> Text:
        return "action_walkaway_states"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        choice = resolve_state(tracker, slots=(US_STATE,))  # "your state" means the user's own
        code = choice.codes[0] if choice.codes else None
        repo = self.repository

        def work():
            return repo.states("non_recourse"), repo.states("non_recourse_qualifying"), (repo.state(code) if code else None)

        try:
            full, qualifying, own = await asyncio.to_thread(work)
        except KnowledgeUnavailable as exc:
            _log_unavailable(self.name(), tracker, exc)
            dispatcher.utter_message(response="utter_kb_unavailable")
            return []
        if not full and not qualifying:
            _log_unavailable(self.name(), tracker, KnowledgeUnavailable("no non-recourse states in the DB"))
            dispatcher.utter_message(response="utter_kb_unavailable")
            return []
        dispatcher.utter_message(response="utter_walkaway_states_header")
        dispatcher.utter_message(text=answers.state_list_text(full))
        if qualifying:
            dispatcher.utter_message(response="utter_walkaway_states_qualifying_header")
            dispatcher.utter_message(text=answers.state_list_text(qualifying))
        dispatcher.utter_message(response="utter_walkaway_states_footer")
        events: List[EventType] = [SlotSet(STATE_TOPIC, "rules")] + _reset_stale(tracker)
        if own is not None:
            listed = own.non_recourse
            dispatcher.utter_message(
                response="utter_walkaway_states_yours_listed" if listed else "utter_walkaway_states_yours_not_listed",
                state_name=own.name,
            )
            if choice.source == "message":
                events = remember_states(tracker, [own.code]) + events
        return events


class ActionFaqFollowup(_KnowledgeAction):
    """After utter_faq: for state-dependent FAQ answers, one line on the user's state; else nothing."""

    def name(self) -> Text:
        return "action_faq_followup"

    @staticmethod
    def faq_key(tracker: Tracker) -> Optional[Text]:
        selector = (tracker.latest_message or {}).get("response_selector") or {}
        key = ((selector.get("faq") or {}).get("response") or {}).get("intent_response_key")
        if not isinstance(key, str):
            return None
        return key.split("/", 1)[1] if key.startswith("faq/") else key

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        stale = _reset_stale(tracker)  # an FAQ question means the user moved on from "which state?"
        key = self.faq_key(tracker)
        if key not in FAQ_RULE_KEYS and key not in FAQ_TIMELINE_KEYS:
            return stale
        choice = resolve_state(tracker, slots=(US_STATE,))  # the user's own state
        if not choice.codes:
            return stale
        code = choice.codes[0]
        try:
            law = await asyncio.to_thread(self.repository.state, code)
        except KnowledgeUnavailable as exc:  # the FAQ answer already gave the general rule
            logger.warning("%s: knowledge DB unavailable (sender_id=%s): %s", self.name(), tracker.sender_id, exc)
            return stale
        if law is None:
            return stale
        if key in FAQ_TIMELINE_KEYS:
            values = answers.timeline_vars(law)
            dispatcher.utter_message(
                response="utter_faq_state_timeline" if values["months"] else "utter_faq_state_timeline_no_months", **values
            )
        else:
            dispatcher.utter_message(
                response=f"utter_faq_state_rule_{answers.CATEGORY_SUFFIX[law.recourse_category]}",
                state_name=law.name,
                protection=law.protection_summary,
            )
        return stale + (remember_states(tracker, [law.code]) if choice.source == "message" else [])

"""The assessment, the side-by-side comparison, "what if" re-runs and forget-me.

``knowledge.assessment`` computes values from the knowledge base; ``actions.assessment_view`` puts
them in the domain's words (bot/domain/assessment.yml) for the user's channel.
"""
from __future__ import annotations

import abc
import logging
from dataclasses import dataclass
from typing import Any, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from knowledge import assessment
from knowledge.assessment import Scenario
from knowledge.assessment.compare import COMPARE_KEYS, compare
from knowledge.repository import KnowledgeRepository, KnowledgeUnavailable
from knowledge.vocabulary import states

from actions import scenario_feedback
from actions.assessment_view import View
from actions.scenario_common import default_repository, in_thread, latest_entities
from actions.scenario_labels import SLOT_LABELS, changes_text

logger = logging.getLogger(__name__)

# channels that can't render a markdown table get a list
LIST_CHANNELS = frozenset({"slack", "telegram", "facebook", "twilio", "mattermost", "rocketchat", "webexteams"})

# alternative entity value -> option key of the knowledge base
ENTITY_TO_OPTION = {"bankruptcy": "bankruptcy_ch7"}
HUD_COUNSELOR = "hud_counselor"


@dataclass(frozen=True)
class Records:
    """What one assessment reads from the knowledge base."""

    state: Any
    alternatives: list
    fico: list
    facts: list
    phone: Text


class _RepositoryAction(Action, abc.ABC):
    """Base of the scenario actions (abstract, so the SDK doesn't register it as an action)."""

    def __init__(self, repository: Optional[KnowledgeRepository] = None) -> None:
        super().__init__()
        self._repository = repository

    @abc.abstractmethod
    def name(self) -> Text:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def repository(self) -> KnowledgeRepository:
        if self._repository is None:
            self._repository = default_repository()
        return self._repository

    async def _records(self, code: Optional[str], dispatcher: CollectingDispatcher,
                       tracker: Tracker) -> Optional[Records]:
        """The records, or None after apologizing when the knowledge base can't be reached (logged
        with the conversation id)."""
        repo = self.repository

        def read() -> Records:
            counselor = repo.resource(HUD_COUNSELOR)
            return Records(
                state=repo.state(code) if code else None,
                alternatives=repo.alternatives(),
                fico=repo.fico_impacts(),
                facts=repo.facts(),
                phone=counselor.phone if counselor and counselor.phone else "",
            )

        try:
            return await in_thread(read)
        except KnowledgeUnavailable:
            logger.exception("%s: knowledge DB unavailable (sender %s)", self.name(), tracker.sender_id)
            dispatcher.utter_message(response="utter_scenario_kb_unavailable")
            return None


class ActionAssessSituation(_RepositoryAction):
    """The personal assessment, in a few short messages; a "what if" says what changed first."""

    def name(self) -> Text:
        return "action_assess_situation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.get_slot("scenario_stopped"):
            dispatcher.utter_message(response="utter_scenario_stopped")
            return [SlotSet("scenario_stopped", False)]

        slots = tracker.current_slot_values()
        scenario = Scenario.from_slots(slots)
        records = await self._records(scenario.us_state, dispatcher, tracker)
        if records is None:
            return []
        result = assessment.assess(scenario, records.state, records.alternatives, records.fico, records.facts)

        snapshot = tracker.get_slot("scenario_assessed")
        assessed = scenario.as_slots()
        understood = scenario_feedback.summary(slots)
        if understood and not isinstance(snapshot, dict):
            dispatcher.utter_message(response="utter_scenario_understood", facts=understood)
        changes = scenario.changes_from(Scenario.from_slots(snapshot)) if isinstance(snapshot, dict) else {}
        change_text = changes_text(changes, states.STATES) if changes else None
        if change_text:
            dispatcher.utter_message(response="utter_assessment_what_if", changes=change_text)
        elif snapshot == assessed and (tracker.latest_message or {}).get("intent", {}).get("name") == "inform":
            dispatcher.utter_message(response="utter_assessment_unchanged")  # not the whole report again
            return [SlotSet("scenario_assessed", assessed)]
        if records.state is not None:
            dispatcher.utter_message(response="utter_assessment_intro", state_name=records.state.name)
        else:
            dispatcher.utter_message(response="utter_assessment_intro_no_state")

        view = View(domain, tracker.get_latest_input_channel())
        first = [t for t in (view.standing(result), view.lenders(result)) if t]
        if first:
            dispatcher.utter_message(text="\n\n".join(first))
        dispatcher.utter_message(text=view.options(result))
        details = view.consequences(result)
        if details:
            dispatcher.utter_message(text=details)
        dispatcher.utter_message(text=view.closing(result, records.phone))
        if result.missing:
            missing = ", ".join(SLOT_LABELS[m] for m in result.missing)
            dispatcher.utter_message(response="utter_assessment_missing", missing=missing)
        dispatcher.utter_message(response="utter_assessment_follow_up")
        return [SlotSet("scenario_assessed", assessed)]


class ActionCompareOptions(_RepositoryAction):
    """Options side by side: a markdown table on the web, a list on Slack/Telegram."""

    def name(self) -> Text:
        return "action_compare_options"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        scenario = Scenario.from_slots(tracker.current_slot_values())
        records = await self._records(scenario.us_state, dispatcher, tracker)
        if records is None:
            return []
        result = assessment.assess(scenario, records.state, records.alternatives, records.fico, records.facts)
        rows = compare(self._keys(tracker, scenario, result), {a.key: a for a in records.alternatives},
                       result.exposures)
        if records.state is not None:
            dispatcher.utter_message(response="utter_compare_intro", state_name=records.state.name)
        else:
            dispatcher.utter_message(response="utter_compare_intro_no_state")
        channel = tracker.get_latest_input_channel()
        view = View(domain, channel)
        code = records.state.code if records.state is not None else None
        dispatcher.utter_message(text=view.comparison(rows, code, as_list=channel in LIST_CHANNELS))
        dispatcher.utter_message(response="utter_compare_footer")
        return []

    @staticmethod
    def _keys(tracker: Tracker, scenario: Scenario, result: assessment.Assessment) -> List[str]:
        named = []
        for entity in latest_entities(tracker, "alternative"):
            key = ENTITY_TO_OPTION.get(entity.get("value"), entity.get("value"))
            if key and key not in named:
                named.append(key)
        if len(named) >= 2:
            return named  # "short sale vs deed in lieu?"
        if named:
            # one option named ("how does a short sale compare?"): against the usual ones
            return named + [k for k in COMPARE_KEYS if k not in named]
        if scenario.home_value and scenario.loan_balance is not None:
            return [o.key for o in result.options[:6]]  # this user's best options
        return list(COMPARE_KEYS)


class ActionForgetMe(Action):
    """Deletes the scenario and the conversation: every slot reset and the tracker restarted here;
    the stored events are erased by the tracker store when it saves this turn
    (``bot.stores.tracker_store.ConversationStore``), on SQLite and PostgreSQL alike."""

    def name(self) -> Text:
        return "action_forget_me"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response="utter_forget_me_done")
        return [AllSlotsReset(), Restarted()]

"""The last resort when no policy is confident: never a dead end in the middle of the scenario form."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.scenario_form import count_unanswered


class ActionDefaultFallback(Action):
    """Replaces Rasa's default: like it, it forgets the message it could not handle (so nothing the
    user said before is lost); during the scenario form it repeats the open question instead of a
    generic apology, so the user knows what to answer, and counts the miss like the form does (the
    second time comes with the offer to skip the question or stop)."""

    def name(self) -> Text:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        question = f"utter_ask_{requested}"
        if tracker.active_loop_name and requested and question in domain.get("responses", {}):
            dispatcher.utter_message(response="utter_form_not_understood")
            counted = count_unanswered(dispatcher, tracker, requested)  # the way out from the second time
            dispatcher.utter_message(response=question)
            return [UserUtteranceReverted(), *counted]
        dispatcher.utter_message(response="utter_default")
        return [UserUtteranceReverted()]

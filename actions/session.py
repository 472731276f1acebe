"""Session start: carries the user's scenario into a new session and gives the disclaimer once."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

DISCLAIMER_SLOT = "disclaimer_given"


class ActionSessionStart(Action):
    """Like Rasa's default, plus the not-legal-advice line the first time a user talks to us."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[EventType]:
        carry_over = domain.get("session_config", {}).get(
            "carry_over_slots_to_new_session", True
        )
        carried = [
            SlotSet(key=name, value=value)
            for name, value in tracker.current_slot_values().items()
            if value is not None
            and name != "requested_slot"
            and (carry_over or name == DISCLAIMER_SLOT)
        ]
        events: List[EventType] = [SessionStarted(), *carried]
        if not tracker.get_slot(DISCLAIMER_SLOT):
            dispatcher.utter_message(response="utter_disclaimer")
            events.append(SlotSet(DISCLAIMER_SLOT, True))
        events.append(ActionExecuted("action_listen"))
        return events

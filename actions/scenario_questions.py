"""Questions of the scenario form that depend on what the user said: which state a place is in."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from knowledge.vocabulary import states

MAX_CHOICES = 4  # buttons for the states a place name could be in (most populous first)


class ActionAskUsState(Action):
    """`action_ask_us_state`: "Portland — which state is that in: Oregon or Maine?" with a button
    per state when the user named a place that lies in several states; else the plain question."""

    def name(self) -> Text:
        return "action_ask_us_state"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        pending = tracker.get_slot("scenario_place") or {}
        codes = [c for c in pending.get("states") or [] if c in states.STATES][:MAX_CHOICES]
        if len(codes) < 2:
            dispatcher.utter_message(response="utter_ask_us_state")
            return []
        names = [states.STATES[c] for c in codes]
        choices = ", ".join(names[:-1]) + " or " + names[-1]
        buttons = [{"title": name, "payload": f'/inform{{"us_state":"{code}"}}'} for code, name in zip(codes, names)]
        dispatcher.utter_message(response="utter_ask_state_for_place", place=pending.get("place") or "That place",
                                 choices=choices, buttons=buttons)
        return []

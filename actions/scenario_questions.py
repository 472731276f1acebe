"""Questions of the scenario form that depend on what the user said: which state a place is in, and
how much is on the second mortgage after a bare "yes"."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from knowledge.vocabulary import states

from actions.scenario_common import latest_entities, latest_intent

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


class ActionAskSecondLienBalance(Action):
    """`action_ask_second_lien_balance`: "Is any of that on a second mortgage or HELOC?", or after a
    bare "yes" to it, "About how much do you owe on it?"."""

    def name(self) -> Text:
        return "action_ask_second_lien_balance"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        asked_before = tracker.get_slot("requested_slot") == "second_lien_balance"
        if asked_before and latest_intent(tracker) == "affirm" and not latest_entities(tracker, "amount"):
            dispatcher.utter_message(response="utter_ask_second_lien_amount")
        elif tracker.get_slot("first_lien_balance") is not None:
            dispatcher.utter_message(response="utter_ask_second_lien_on_top")  # "620k on the first"
        else:
            dispatcher.utter_message(response="utter_ask_second_lien_balance")
        return []

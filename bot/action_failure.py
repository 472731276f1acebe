"""A reply instead of silence when the action server can't run a custom action.

Rasa 3.6 logs a failed custom action (action server down, timing out, answering 5xx) and carries on
with no events: the user gets no answer at all (``MessageProcessor._run_action`` in
rasa/core/processor.py). ``install()`` wraps ``RemoteAction.run`` so that such a failure gives the
domain response ``utter_action_unavailable`` ("I can't look that up right now") instead. Nothing
else changes: the action's own events are simply missing, as they would be, and the next message is
handled normally — once the action server is back, the conversation goes on where it was.

The turn then ends: the events ask Rasa to listen next (``FollowupAction("action_listen")``).
Without that, the policies predict the failed action (say ``action_default_fallback``) again and
again until Rasa's circuit breaker trips — and Rasa counts the actions since the last
``action_listen``, across user messages, so after a trip every later message of that conversation
gets no answer at all, even once the action server is back.

Forget-me is done by the tracker store (``bot.stores.tracker_store``) as soon as
``action_forget_me`` has run, even if it failed: its failure is answered with its own confirmation.

One apology per message: while the form is open, one message can run several custom actions (the
form's validation, a state answer, the next question), and each would fail; once the apology is in
the conversation after the user's message, the others stay quiet. (Not a memory of "already
apologised": Rasa throws away what a form's rejected validation returned, so the first attempt's
apology may never reach the user.)

Left to Rasa: a rejected action (``ActionExecutionRejection``: a form handing control back) and
``action_validate_slot_mappings``, whose failure Rasa already absorbs (it keeps the extracted slots
unvalidated, rasa/core/actions/action.py ``ActionExtractSlots._run_custom_action``) — apologising
there would precede even answers that need no action server.
"""
from __future__ import annotations

import functools
import logging
from typing import Any, List

logger = logging.getLogger(__name__)

UNAVAILABLE_RESPONSE = "utter_action_unavailable"
#: what to say instead when the action server can't run these (the work is done on the Rasa side)
DONE_WITHOUT_ACTION_SERVER = {"action_forget_me": "utter_forget_me_done"}


def _said_since_message(tracker: Any, text: Any) -> bool:
    """The bot already said ``text`` after the user's latest message."""
    from rasa.shared.core.events import BotUttered, UserUttered

    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and event.text == text:
            return True
    return False


def install() -> None:
    """Wrap ``RemoteAction.run`` once (idempotent)."""
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction.run, "_walkaway_fallback", False):
        return
    RemoteAction.run = _with_fallback(RemoteAction.run)


def _with_fallback(run: Any) -> Any:
    from rasa.core.actions.action import ActionExecutionRejection, create_bot_utterance
    from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_VALIDATE_SLOT_MAPPINGS
    from rasa.shared.core.events import FollowupAction
    from rasa.shared.exceptions import RasaException

    @functools.wraps(run)
    async def run_or_apologise(self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Any]:
        try:
            return await run(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except RasaException as error:
            if self.name() == ACTION_VALIDATE_SLOT_MAPPINGS:
                raise
            logger.error("custom action %s failed, answering %s: %s", self.name(), UNAVAILABLE_RESPONSE, error)
            listen = FollowupAction(ACTION_LISTEN_NAME)
            name = DONE_WITHOUT_ACTION_SERVER.get(self.name(), UNAVAILABLE_RESPONSE)
            response = await nlg.generate(name, tracker, output_channel.name())
            if not response or _said_since_message(tracker, response.get("text")):
                return [listen]
            return [create_bot_utterance(response), listen]

    run_or_apologise._walkaway_fallback = True
    return run_or_apologise

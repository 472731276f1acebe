"""Which part of a long conversation the bot keeps in front of it: the recent turns plus the state.

Rasa rebuilds the whole tracker for every message and its policies featurize all of it, so a turn's
cost grows with the conversation's length (``make bench``: turn 120 several times slower than turn
10). What the bot needs from the past is small: the slots, the active form and the last few turns
(the policies look back ``max_history: 5`` actions; the actions look back one or two turns). So the
tracker store serves a window: a *prefix* of events that recreates the state at the window's start
(every slot that isn't at its initial value, the active form, in the shape of a session start with
its slots carried over: a shape Rasa's policies and loop handling know), then the events of the last
``MIN_TURNS``..``MAX_TURNS`` user turns. Nothing is deleted: every event stays in the database, the
window only decides what is loaded.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Text

from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

MIN_TURNS = 6   # user turns kept after a cut (policies need 5 actions, actions 1-2 turns)
MAX_TURNS = 12  # cut when the window holds more user turns than this


def cut_index(events: Sequence[Event], first_real: int = 0) -> Optional[int]:
    """Where to start a new window (the index of a ``UserUttered``), or None while it's short enough.

    ``events``: the tracker's events; ``first_real``: how many of them are a loaded prefix (never cut
    inside it). The cut keeps the last ``MIN_TURNS`` user turns and never reaches back across the
    latest session start.
    """
    users = [i for i in range(first_real, len(events)) if isinstance(events[i], UserUttered)]
    if len(users) <= MAX_TURNS:
        return None
    cut = users[-MIN_TURNS]
    starts = [i for i in range(first_real, len(events)) if isinstance(events[i], SessionStarted)]
    if starts and starts[-1] >= cut:
        return None
    return cut


def state_prefix(sender_id: Text, events: Sequence[Event], slots: List[Slot]) -> List[Dict]:
    """Serialized events that recreate the state after ``events``, in the shape of Rasa's own
    session start (which its policies and loop handling know): ``action_session_start``,
    ``SessionStarted``, a ``SlotSet`` per slot off its initial value, the active form as
    ``ActiveLoop``, then ``action_listen`` (the window begins with the user's message)."""
    tracker = DialogueStateTracker.from_events(sender_id, list(events), slots=slots)
    prefix: List[Event] = [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted()]
    prefix += [SlotSet(slot.name, slot.value) for slot in tracker.slots.values() if slot.value != slot.initial_value]
    if tracker.active_loop_name:
        prefix.append(ActiveLoop(tracker.active_loop_name))
    prefix.append(ActionExecuted(ACTION_LISTEN_NAME))
    return [event.as_dict() for event in prefix]

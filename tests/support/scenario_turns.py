"""One turn of the scenario form, the way Rasa runs it, without servers.

``parse`` runs the real NLU entity readers (``bot.nlu.entity_reader``, the pipeline built once into
a temporary directory); ``extracted_slots`` runs Rasa's own
``action_extract_slots`` (the domain's slot mappings) on a real ``DialogueStateTracker``; and
``form_tracker`` builds the rasa_sdk ``Tracker`` that ``validate_scenario_form`` receives.
The intent is given by the test (the sentence classifier needs the trained model).
"""
from __future__ import annotations

import functools
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker

from bot.nlu.entity_reader import EntityReader


ROOT = Path(__file__).resolve().parents[2]
FORM = "scenario_form"


@functools.lru_cache(maxsize=None)
def _reader() -> EntityReader:
    return EntityReader(tempfile.mkdtemp(prefix="walkaway-nlu-"))


def parse(text: str) -> List[Dict[str, Any]]:
    """The entities the NLU pipeline gives ``text`` (normalized values, roles, additional_info)."""
    return _reader()(text)


@functools.lru_cache(maxsize=None)
def rasa_domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain"))


async def extracted_slots(
    text: str,
    intent: str,
    entities: List[Dict[str, Any]],
    before: Dict[str, Any],
    requested: Optional[str],
    active: bool = True,
) -> Dict[str, Any]:
    """What Rasa's action_extract_slots fills from this message (mappings of the real domain)."""
    domain = rasa_domain()
    events = [ActionExecuted("action_listen")]
    events += [SlotSet(k, v) for k, v in before.items()]
    if active:
        events += [ActiveLoop(FORM), SlotSet("requested_slot", requested)]
    parse_data = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities}
    events.append(UserUttered(text, parse_data["intent"], entities, parse_data))
    tracker = DialogueStateTracker.from_events("test-user", events, slots=domain.slots)
    found = await ActionExtractSlots(None).run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker, domain
    )
    return {e.key: e.value for e in found if isinstance(e, SlotSet)}


def form_tracker(
    text: str,
    intent: str,
    entities: List[Dict[str, Any]],
    before: Dict[str, Any],
    requested: Optional[str],
    extracted: Dict[str, Any],
    active: bool = True,
) -> Tracker:
    """The tracker Rasa sends to validate_scenario_form during a form turn: the earlier conversation,
    the user message, the slots action_extract_slots filled, and the form's own events."""
    events: List[Dict[str, Any]] = [{"event": "action", "name": "action_listen"}]
    events += [_slot(k, v) for k, v in before.items()]
    if active:
        events.append({"event": "active_loop", "name": FORM})
    events.append(_slot("requested_slot", requested))
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities}
    events.append({"event": "user", "text": text, "parse_data": message, "timestamp": time.time()})
    events += [_slot(k, v) for k, v in extracted.items()]
    # the temporary tracker of FormAction.validate_slots
    events.append(_slot("requested_slot", requested))
    events.append({"event": "action", "name": FORM})
    events += [_slot(k, v) for k, v in extracted.items()]
    slots = {"requested_slot": requested, **before, **extracted}
    return Tracker("test-user", slots, message, events, False, None, {"name": FORM} if active else {}, FORM)


def _slot(name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "timestamp": None, "name": name, "value": value}

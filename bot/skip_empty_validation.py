"""Skip the slot-validation round trip when a message fills no slot.

Rasa 3.6 runs ``action_extract_slots`` after every message and, when the domain lists
``action_validate_slot_mappings``, always calls it on the action server — with the whole tracker and
domain (about 120 KB here) — even when the message filled no slot and there is nothing to validate
(``ActionExtractSlots._execute_validation_action``, rasa/core/actions/action.py). The SDK's
``ValidationAction`` then validates the slots set since the user's message — none — and returns
nothing. ``install()`` returns Rasa's own result for that case (no events) without the call, so an
FAQ or a "thanks" costs no action-server request; a message that fills a slot is validated as before.
Measured in ``make bench`` (results/bench.md).
"""
from __future__ import annotations

import functools
from typing import Any, List


def install() -> None:
    """Wrap ``ActionExtractSlots._execute_validation_action`` once (idempotent)."""
    from rasa.core.actions.action import ActionExtractSlots

    if getattr(ActionExtractSlots._execute_validation_action, "_walkaway_skip", False):
        return
    ActionExtractSlots._execute_validation_action = _skip_when_empty(ActionExtractSlots._execute_validation_action)


def _skip_when_empty(validate: Any) -> Any:
    from rasa.shared.core.events import SlotSet

    @functools.wraps(validate)
    async def validate_candidates(self: Any, extraction_events: List[Any], *args: Any, **kwargs: Any) -> List[Any]:
        if not any(isinstance(event, SlotSet) for event in extraction_events):
            return []
        return await validate(self, extraction_events, *args, **kwargs)

    validate_candidates._walkaway_skip = True
    return validate_candidates

"""Shared by the scenario actions: the knowledge repository and what the latest message says.

What people type ("it's a rental", "I lost my job", "outside Phoenix") is read by the NLU pipeline
into normalized entities (bot/nlu/entity_normalizer.py); the actions only look at those entities.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Text, TypeVar

from rasa_sdk import Tracker

from knowledge.repository import KnowledgeRepository

logger = logging.getLogger(__name__)

T = TypeVar("T")

# --- the repository ---------------------------------------------------------------------------

_repo_lock = threading.Lock()
_default_repo: Optional[KnowledgeRepository] = None


def default_repository() -> KnowledgeRepository:
    """One repository per process (``KNOWLEDGE_DB_URL``); no DB work until a method is called."""
    global _default_repo
    with _repo_lock:
        if _default_repo is None:
            _default_repo = KnowledgeRepository.from_env()
        return _default_repo


class StateCache:
    """State records by code, kept a few minutes (required_slots runs several times per turn)."""

    def __init__(self, ttl_seconds: float = 300.0) -> None:
        self._ttl = ttl_seconds
        self._items: Dict[str, tuple] = {}
        self._lock = threading.Lock()

    def get(self, repo: KnowledgeRepository, code: str) -> Any:
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(code)
            if hit and now - hit[0] < self._ttl:
                return hit[1]
        record = repo.state(code)
        with self._lock:
            self._items[code] = (now, record)
        return record


async def in_thread(work: Callable[..., T], *args: Any) -> T:
    """Run a blocking repository call without stalling the action server's event loop."""
    return await asyncio.to_thread(work, *args)


# --- what the latest message says -------------------------------------------------------------

# Intents that ask about something else. While the form runs they are answered by their own rules
# (then the form resumes), so the form never reads their text as an answer.
INTERRUPTING_INTENTS = frozenset(
    {
        "faq",
        "ask_state_rules",
        "ask_walkaway_states",
        "ask_foreclosure_timeline",
        "compare_options",
        "help",
        "bot_challenge",
        "human_handoff",
        "out_of_scope",
        "greet",
        "goodbye",
        "thank_you",
        "restart",
        "forget_me",
        "correct_facts",
    }
)


def latest_text(tracker: Tracker) -> Text:
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> Optional[Text]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def latest_entities(tracker: Tracker, entity: Text) -> List[Dict[Text, Any]]:
    return [e for e in (tracker.latest_message or {}).get("entities") or [] if e.get("entity") == entity]


def is_payload(text: Text) -> bool:
    return text.strip().startswith("/")


def is_answer(tracker: Tracker) -> bool:
    """The latest message can be read as an answer about the user's situation."""
    return latest_intent(tracker) not in INTERRUPTING_INTENTS


def user_turn(tracker: Tracker) -> Any:
    """What tells this user message from the others: its timestamp (the tracker store may load only
    the latest turns, so counting messages wouldn't)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            return event.get("timestamp")
    return None


def previous_value(tracker: Tracker, slot: Text) -> Any:
    """The slot's value before the latest user message (what we had before this turn)."""
    events = tracker.events or []
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=None)
    if last_user is None:
        return tracker.get_slot(slot) if not events else None
    for event in reversed(events[:last_user]):
        if event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
        if event.get("event") in ("restart", "reset_slots"):
            return None
    return None

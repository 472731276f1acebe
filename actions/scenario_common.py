"""Shared by the scenario actions: the knowledge repository, and readers of free-text answers.

The readers turn what people type ("it's a rental", "I lost my job", "we want to stay") into the
contract's slot values. Amounts, months and states come from ``knowledge.vocabulary``; the
categorical answers are keyword rules here, because they are specific to the scenario questions.
"""
from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Text, TypeVar

from rasa_sdk import Tracker

from knowledge.repository import KnowledgeRepository

logger = logging.getLogger(__name__)

T = TypeVar("T")

SCENARIO_SLOTS = (
    "us_state",
    "home_value",
    "loan_balance",
    "occupancy",
    "loan_purpose",
    "payment_status",
    "months_behind",
    "hardship",
    "goal",
)

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


# --- readers of free-text answers ---------------------------------------------------------------


def _search(patterns: Any, text: Text) -> bool:
    return any(re.search(p, text) for p in patterns)


_SKIP = (
    r"^\s*(skip|pass|next)\b",
    r"\bskip (it|this|that|this one|the question)\b",
    r"\b(i )?(don'?t|do not|dont) know\b",
    r"\bno idea\b",
    r"\bnot sure\b",
    r"\b(rather|prefer) not\b",
    r"\bno clue\b",
)
_STOP = (
    r"^\s*(stop|cancel|quit|enough|exit)\b",
    r"\bstop (asking|the questions|this)\b",
    r"\bnever ?mind\b",
    r"\b(let'?s )?(do|finish) (it|this) later\b",
    r"\bnot now\b",
)


def read_control(text: Text, entities: List[Dict[Text, Any]]) -> Optional[Text]:
    """"skip" or "stop" when the user wants out of a question, else None."""
    for entity in entities:
        if entity.get("value") in ("skip", "stop"):
            return entity["value"]
    lowered = text.lower()
    if _search(_STOP, lowered):
        return "stop"
    if _search(_SKIP, lowered):
        return "skip"
    return None


_CURRENT = (
    r"\bnot (behind|late)\b",
    r"\bnever (missed|been late|late)\b",
    r"\b(haven'?t|have not|havent) (missed|been late|fallen behind)\b",
    r"\bno missed\b",
    r"\b(up to date|up-to-date|caught up|on time|current|on track)\b",
    r"\bstill pay(ing)?\b",
    r"\bpay(ing)? every month\b",
    r"\bkeep(ing)? up\b",
)
_BEHIND = (
    r"\bbehind\b",
    r"\bmissed\b",
    r"\blate\b",
    r"\bdelinquen",
    r"\b(haven'?t|have not|havent|stopped|stop|quit) (been )?pay(ing|ed)?\b",
    r"\bcan'?t (make|pay)\b",
    r"\bin default\b",
    r"\barrears\b",
    r"\bpast due\b",
    r"\bskipped\b",
)


def read_payment_status(text: Text, requested: bool = False, intent: Optional[Text] = None) -> Optional[Text]:
    lowered = text.lower()
    if _search(_CURRENT, lowered):
        return "current"
    if _search(_BEHIND, lowered):
        return "behind"
    if requested and intent == "affirm":
        return "current"  # "Are you up to date on your payments?" - "yes"
    if requested and intent == "deny":
        return "behind"
    return None


_HELOC = (r"\bheloc\b", r"\bhome[- ]equity\b", r"\bequity line\b", r"\bline of credit\b", r"\bsecond mortgage\b",
          r"\b2nd mortgage\b", r"\bsecond lien\b")
_REFI = (r"\brefi\b", r"\brefinanc", r"\bcash[- ]?out\b", r"\brefied\b")
_PURCHASE = (r"\bbought\b", r"\bbuy(ing)?\b", r"\bpurchas", r"\boriginal (loan|mortgage)\b", r"\bfirst mortgage\b",
             r"\bmortgage (i|we) got when\b", r"\bregular mortgage\b", r"\bhome loan\b")


def read_loan_purpose(text: Text, requested: bool = False) -> Optional[Text]:
    lowered = text.lower()
    if _search(_HELOC, lowered):
        return "heloc"
    if _search(_REFI, lowered):
        return "refinance"
    if requested and _search(_PURCHASE, lowered):
        return "purchase"
    if re.search(r"\b(bought|purchase loan|purchase mortgage|used it to buy|to buy the (house|home))\b", lowered):
        return "purchase"
    return None


_INVESTMENT = (r"\brental\b", r"\brent(ing|ed)? (it|the (house|home|place|condo)) out\b", r"\brent it\b",
               r"\btenants?\b", r"\brenters?\b", r"\binvestment\b", r"\blandlord\b", r"\bincome property\b",
               r"\bairbnb\b", r"\bflip\b")
_SECOND = (r"\bsecond home\b", r"\b2nd home\b", r"\bvacation (home|house|property|place)\b", r"\bcabin\b",
           r"\bbeach (house|home|condo)\b", r"\bweekend (home|place)\b", r"\blake house\b")
_PRIMARY = (r"\b(i|we) live (in it|there|in the (house|home))\b", r"\b(i|we)('m| am|'re| are) living (in it|there)\b",
            r"\bprimary (home|residence)\b", r"\bmain (home|residence)\b", r"\bowner[- ]occupied\b",
            r"\bmy (own )?home\b", r"\bwhere (i|we) live\b", r"\bour (family )?home\b", r"\blive in it\b",
            r"\bhomestead\b")


def read_occupancy(text: Text, requested: bool = False, intent: Optional[Text] = None) -> Optional[Text]:
    lowered = text.lower()
    if _search(_INVESTMENT, lowered):
        return "investment"
    if _search(_SECOND, lowered):
        return "second_home"
    if re.search(r"\b(don'?t|do not|no longer|not) liv(e|ing) (in it|there)\b|\bmoved out\b", lowered):
        return None
    if _search(_PRIMARY, lowered):
        return "primary"
    if requested and intent == "affirm":
        return "primary"  # "Do you live in the home?" - "yes"
    return None


_HARDSHIP = (
    r"\blost (my|our|his|her) (job|income|hours)\b", r"\blaid off\b", r"\blay ?off\b", r"\bfired\b",
    r"\bunemploy", r"\bout of work\b", r"\bjobless\b", r"\bfurlough", r"\bdivorc", r"\bseparat(ed|ion)\b",
    r"\bmedical\b", r"\bill(ness)?\b", r"\bsick\b", r"\bcancer\b", r"\bsurgery\b", r"\bhospital",
    r"\binjur", r"\bdisab", r"\bdied\b", r"\bpassed away\b", r"\bdeath\b", r"\bwidow",
    r"\b(rate|payment|arm) (reset|adjusted|went up|jumped|increased|doubled)\b", r"\barm reset\b",
    r"\bpay cut\b", r"\b(hours|pay|salary|income) (got |was )?(cut|reduced|dropped|fell)\b",
    r"\breduced (hours|income|pay)\b", r"\bbusiness (failed|closed|went under)\b", r"\bdeploy",
    r"\bhardship\b", r"\bcan'?t afford\b", r"\bcannot afford\b", r"\bbaby\b", r"\bdisaster\b",
    r"\bhurricane\b", r"\bflood", r"\bfire\b",
)
_NO_HARDSHIP = (
    r"\b(i|we) can (still )?afford\b", r"\bcan afford (it|the payments?)\b", r"\bno hardship\b",
    r"\bnothing (happened|like that)\b", r"\bjust (don'?t|do not) want\b", r"\bnot worth it\b",
    r"\bstrategic\b", r"\bincome is (fine|stable|ok)\b",
)


def read_hardship(text: Text, requested: bool = False) -> Optional[bool]:
    lowered = text.lower()
    if _search(_NO_HARDSHIP, lowered):
        return False
    if _search(_HARDSHIP, lowered):
        return True
    if requested and re.search(r"^\s*(no|nope|nah|not really|none|nothing)\b", lowered):
        return False
    if requested and re.search(r"^\s*(yes|yeah|yep|yup|sort of|kind of)\b", lowered):
        return True
    return None


_KEEP_STRONG = (r"\b(want|wanna|like|plan|planning|hoping|hope|need|trying|prefer|rather|wanted|wish)( to)? (keep|stay|save)\b",
                r"\bdon'?t want to (leave|lose|move|sell|give (it|the house) up)\b", r"\bkeep (it|the house|my house|the home|my home|our home|our house)\b")
_LEAVE_STRONG = (r"\b(want|wanna|like|plan|planning|hoping|hope|need|trying|prefer|rather|wanted|going|ready)( to)? "
                 r"(walk away|leave|move|sell|get out|be done|get rid|give (it|the house) back|hand (back )?the keys|let it go|stop paying)\b",
                 r"\bdon'?t want (it|the house|the home) (anymore|any more)\b", r"\bdone with (it|the house|this house)\b")
_UNDECIDED = (r"\bnot sure\b", r"\bundecided\b", r"\b(don'?t|do not) know\b", r"\bunsure\b", r"\bno idea\b",
              r"\bhaven'?t decided\b", r"\bweighing\b", r"\bopen to\b", r"\beither\b", r"\bboth\b", r"\bdepends\b",
              r"\bon the fence\b", r"\btorn\b")
_KEEP = (r"\bkeep\b", r"\bstay\b", r"\bsave (it|the house|my house|the home)\b")
_LEAVE = (r"\bwalk away\b", r"\bleave\b", r"\bmove\b", r"\bsell\b", r"\bget out\b", r"\blet it go\b", r"\bgive it (back|up)\b",
          r"\bdone\b", r"\bget rid\b", r"\brelocat", r"\bout from under\b")


def read_goal(text: Text, requested: bool = False) -> Optional[Text]:
    lowered = text.lower()
    if _search(_KEEP_STRONG, lowered):
        return "keep_home"
    if _search(_LEAVE_STRONG, lowered):
        return "leave_home"
    if not requested:
        return None
    if _search(_UNDECIDED, lowered):
        return "undecided"
    if _search(_KEEP, lowered):
        return "keep_home"
    if _search(_LEAVE, lowered):
        return "leave_home"
    return None


_ZERO_BALANCE = (r"\bnothing\b", r"\bzero\b", r"\bpaid (it )?off\b", r"\bown it (outright|free and clear)\b",
                 r"\bfree and clear\b", r"\bno (mortgage|loan)\b", r"\bdon'?t owe\b")


def read_zero_balance(text: Text) -> bool:
    return _search(_ZERO_BALANCE, text.lower())


_MONTHS_CONTEXT = (r"\bbehind\b", r"\bmissed\b", r"\blate\b", r"\bpast due\b", r"\bdelinquen", r"\bskipped\b",
                   r"\b(haven'?t|have not|havent|not) (been )?pa(id|ying)\b", r"\bpayments?\b", r"\barrears\b",
                   r"\bstopped paying\b")


def mentions_missed_payments(text: Text) -> bool:
    return _search(_MONTHS_CONTEXT, text.lower())

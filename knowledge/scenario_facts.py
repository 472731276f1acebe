"""Scenario facts from NLU entities: the one place that decides which slot an entity fills.

The NLU pipeline (``bot.nlu.entity_normalizer``) emits normalized entities; this module turns the
entities of one message into the contract's scenario slot values, so the form, the corpus test and
``make eval`` read a message the same way. Pure: no Rasa, no I/O.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional

from knowledge.vocabulary import amounts, lien_facts, lien_numbers, months, places, states

# entity name -> slot, for entities whose value is the slot value as it is
_DIRECT = {
    "us_state": "us_state",
    "payment_status": "payment_status",
    "occupancy": "occupancy",
    "loan_purpose": "loan_purpose",
    "hardship": "hardship",
    "goal": "goal",
    "lender_type": "lender_type",
    "second_lien_purpose": "second_lien_purpose",
    "acres": "lot_acres",
    "units": "dwelling_units",
}
# amount role -> slot
_AMOUNT_ROLES = {
    "home_value": "home_value",
    "loan_balance": "loan_balance",
    "first_lien": "first_lien_balance",
    "second_lien": "second_lien_balance",
}


def facts_from_entities(entities: Iterable[Mapping[str, Any]]) -> Dict[str, Any]:
    """The scenario slot values one message states, as ``{slot: value}``.

    ``entities``: Rasa entity dicts (``entity``, ``value``, optional ``role``). Amounts are dollars,
    ``months_behind`` is months. When a slot is stated twice the last mention wins (people correct
    themselves: "worth 300, well maybe 280"), as Rasa's from_entity mappings take the last value. Derived facts:
    ``loan_balance`` is the first lien plus the second when the message gives the liens but no total;
    missed months imply ``payment_status`` "behind" (0 months: "current"). A ``us_state`` with a role
    (``elsewhere``: where relatives live, or where the owners live when the message ties another place
    to the home) never counts; nor does a ``loan_year`` with a role (the second lien's). Unknown
    entities are ignored; never raises.
    """
    facts: Dict[str, Any] = {}
    for entity in entities:
        name, value = entity.get("entity"), entity.get("value")
        if value is None or name == "us_state" and entity.get("role"):
            continue
        if name in _DIRECT:
            facts[_DIRECT[name]] = value
        elif name == "amount" and entity.get("role") in _AMOUNT_ROLES:
            facts[_AMOUNT_ROLES[entity["role"]]] = value
        elif name == "months":
            facts["months_behind"] = value
        elif name == "loan_year" and not entity.get("role"):  # a HELOC's year ("second_lien") fills nothing
            facts["loan_year"] = value
    if facts.get("loan_purpose") == "heloc" and facts.get("second_lien_balance"):
        del facts["loan_purpose"]  # "heloc is like 80k": the HELOC is the second lien, not the first loan
    first = facts.pop("first_lien_balance", None)
    second = facts.get("second_lien_balance")
    if "loan_balance" not in facts and first is not None:
        facts["loan_balance"] = first + (second or 0)
    months = facts.get("months_behind")
    if isinstance(months, (int, float)) and "payment_status" not in facts:
        facts["payment_status"] = "behind" if months > 0 else "current"
    return facts


def place_question(entities: Iterable[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    """The first place that lies in several states, as ``{"place": "Portland", "states": ["OR", "ME"]}``.

    None when the message names no such place or also names its state.
    """
    found: List[Mapping[str, Any]] = list(entities)
    if any(e.get("entity") == "us_state" and not e.get("role") for e in found):
        return None
    for entity in found:
        if entity.get("entity") == "place" and not entity.get("role"):
            states = list((entity.get("additional_info") or {}).get("states") or [])
            if len(states) > 1:
                return {"place": entity.get("value"), "states": states}
    return None


# slot -> reader of a bare number that answers its question ("5" acres, "2007", "2" units)
_NUMBER_ANSWERS = {
    "lot_acres": lien_numbers.acres_answer,
    "loan_year": lien_numbers.year_answer,
    "dwelling_units": lien_numbers.units_answer,
}
def _reply_words(text: str) -> List[str]:
    """A short reply's words, lower case, without the punctuation around them."""
    return [w.strip(".,!?'\"") for w in text.lower().split()]


# a reply that says there is no second lien
_NONE_WORDS = frozenset({"none", "no", "nope", "nothing", "zero", "nah", "neither", "n/a"})
_UNSURE_WORDS = frozenset({"idea", "sure", "know", "clue", "remember", "unsure", "idk"})


def _says_none(text: str) -> bool:
    """"none" / "no, just the one mortgage" — not "no idea"."""
    words = _reply_words(text)
    return bool(words) and words[0] in _NONE_WORDS and len(words) <= 6 and not _UNSURE_WORDS & set(words)


# a short reply to "what would you like to happen with the home?"
_GOAL_WORDS = {"leave": "leave_home", "out": "leave_home", "walk": "leave_home", "sell": "leave_home",
               "gone": "leave_home", "keep": "keep_home", "stay": "keep_home"}
_NEGATIONS = frozenset({"not", "don't", "dont", "never", "no"})


def _bare_goal(text: str) -> Optional[str]:
    words = _reply_words(text)
    if not words or len(words) > 5 or _NEGATIONS & set(words):
        return None
    goals = {_GOAL_WORDS[w] for w in words if w in _GOAL_WORDS}
    return goals.pop() if len(goals) == 1 else None


# words that ask to skip a question rather than say the user doesn't know
_SKIP_WORDS = ("skip", "pass", "next")


def answer_facts(text: str, entities: Iterable[Mapping[str, Any]], asked: Optional[str]) -> Dict[str, Any]:
    """The facts of a reply to the question about ``asked``: :func:`facts_from_entities`, plus what a
    bare answer means only as that reply ("338" to "what would it sell for?" is $338,000; "48221"
    or "sacramento" to "which state?" is the state; "3" to "how many payments missed?"; "half an acre",
    "'06", "2" to the lot, loan-year and unit questions).

    A place that lies in several states comes back as ``{"place": {"place": ..., "states": [...]}}``.
    Amounts are dollars, months behind are months. Never raises.
    """
    found = list(entities)
    facts = facts_from_entities(found)
    if not asked or asked in facts or not isinstance(text, str):
        return facts
    if asked == "us_state":
        code = states.normalize(text) or states.code_answer(text) or places.zip_state(text)
        candidates = () if code else places.lookup(text)
        if code or len(candidates) == 1:
            facts["us_state"] = code or candidates[0]
        elif candidates:
            facts["place"] = {"place": text.strip().title(), "states": list(candidates)}
    elif asked == "second_lien_balance" and _says_none(text) and not any(e.get("entity") == "amount" for e in found):
        facts[asked] = 0  # "none" / "nope, nothing" to "is any of that on a second?"
    elif asked == "second_lien_purpose":
        purpose = lien_facts.bare_second_purpose(text)  # "a remodel, years later" / "the down payment"
        if purpose:
            facts[asked] = purpose
    elif asked in ("home_value", "loan_balance", "second_lien_balance"):
        bare = [e.get("value") for e in found if e.get("entity") == "amount" and not e.get("role")]
        if bare:
            facts[asked] = bare[-1]
        elif not any(e.get("entity") == "amount" for e in found):
            said = amounts.answer(text)  # "338" -> 338000; "around 250-275" -> the middle, 262500
            if said is not None:
                facts[asked] = said.value
    elif asked == "goal":
        # "not sure" / "idk" to "what would you like to happen?" is the answer, not a wish to skip it
        controls = [e for e in found if e.get("entity") == "scenario_control" and e.get("value") == "skip"]
        if controls and not any(word in text.lower().split() for word in _SKIP_WORDS):
            facts["goal"] = "undecided"
        elif not controls:
            goal = _bare_goal(text)  # "leave", "get out" (read as goodbye without the question)
            if goal:
                facts["goal"] = goal
    elif asked in _NUMBER_ANSWERS:  # "about 3" acres, "'06", "2"
        number = _NUMBER_ANSWERS[asked](text)
        if number is not None:
            facts[asked] = number
    elif asked == "months_behind":
        number = months.parse(text)
        if number is None and text.strip().isdigit():
            number = int(text.strip())
        if number is not None:
            facts["months_behind"] = number
    return facts

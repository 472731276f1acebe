"""No dead ends, proven over REST with the real servers: from every question of the scenario form,
every kind of answer either moves the conversation on or explains itself, and no question is asked a
third time in a row without the offer to skip it or stop."""
from typing import Dict, Optional

import pytest

from tests.e2e.conftest import Chat

# the form's questions, in the order a Texas homeowner who is behind hears them (Texas asks what the
# first mortgage was for: a home-equity loan there has no personal liability), with how to spot each
# question in a reply and a plain answer to it
QUESTIONS = {
    "us_state": ("Which state", "Texas"),
    "home_value": ("sell for today", "about 200k"),
    "loan_balance": ("how much do you owe", "260k"),
    "second_lien_balance": ("any of that on a second mortgage", "no, just the one mortgage"),
    "occupancy": ("live in the home", "we live there"),
    "loan_purpose": ("What was the first mortgage for", "we bought the house with it"),
    "payment_status": ("up to date on your payments", "we're behind"),
    "months_behind": ("How many monthly payments", "2"),
    "hardship": ("Has something happened", "yes, I lost my job"),
    "goal": ("what would you like to happen", "keep it if we can"),
}
FREE_WORDING = {
    "us_state": "down in the houston area",
    "home_value": "zillow says like 205",
    "loan_balance": "we still owe around 262 on it",
    "second_lien_balance": "yeah there's a heloc with about 30k on it",
    "occupancy": "yeah it's where we live with the kids",
    "loan_purpose": "just the regular mortgage we got when we bought it",
    "payment_status": "we fell behind this spring",
    "months_behind": "missed three payments so far",
    "hardship": "my hours got cut at work",
    "goal": "honestly we just want out",
}
TYPED_PAYLOAD = {
    "us_state": '/inform{"us_state":"TX"}',
    "home_value": '/inform{"amount":200000}',
    "loan_balance": '/inform{"amount":260000}',
    "second_lien_balance": '/inform{"amount":30000}',
    "months_behind": '/inform{"months":2}',
}
SKIP_OFFER = "skip this question"
NONSENSE = "purple monkey dishwasher"


def asked(reply: str) -> Optional[str]:
    """The form question the reply ends on, if any."""
    found = [(reply.rfind(marker), slot) for slot, (marker, _) in QUESTIONS.items() if marker in reply]
    return max(found)[1] if found else None


def reach(chat: Chat, slot: str) -> str:
    """Start the scenario and give plain answers until ``slot`` is asked."""
    reply = chat.say("should I walk away from my house?")
    for _ in range(len(QUESTIONS) + 1):
        current = asked(reply)
        if current == slot:
            return reply
        assert current, f"the form stopped asking before {slot}: {reply!r}"
        reply = chat.say(QUESTIONS[current][1])
    raise AssertionError(f"{slot} was never asked")


def answer_kinds(slot: str, chat: Chat) -> Dict[str, str]:
    marker = QUESTIONS[slot][0]
    asking = [r for r in chat.last if marker in (r.get("text") or "")]
    button = next((b["payload"] for r in asking for b in r.get("buttons") or []), None)
    correction = "wait, actually we're in oklahoma" if slot != "us_state" else "sorry, I meant we're in oklahoma"
    return {
        "canonical": QUESTIONS[slot][1],
        "button payload": button or TYPED_PAYLOAD[slot],
        "free wording": FREE_WORDING[slot],
        "skip": "skip",
        "I don't know": "I don't know",
        "correction": correction,
        "unrelated question": "what's a deed in lieu?",
    }


KINDS = ("canonical", "button payload", "free wording", "skip", "I don't know", "correction", "unrelated question")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("slot", list(QUESTIONS))
def test_every_answer_moves_on_or_explains(rest_servers, slot, kind):
    chat = Chat(rest_servers, "dead-end")
    reach(chat, slot)
    before = chat.slots()
    message = answer_kinds(slot, chat)[kind]
    reply = chat.say(message)
    after = chat.slots()
    now = asked(reply)
    moved_on = now != slot  # the next question, or the assessment
    if kind in ("canonical", "button payload", "free wording"):
        assert moved_on and after[slot] is not None, f"{slot}/{kind}: {message!r} -> {reply!r}"
    elif kind == "I don't know" and slot == "goal":  # not knowing what you want is an answer
        assert moved_on and after["goal"] == "undecided", reply
    elif kind in ("skip", "I don't know"):
        assert moved_on and slot in (after.get("scenario_skipped") or []), f"{slot}/{kind}: {reply!r}"
    elif kind == "correction":
        assert after["us_state"] == "OK"
        assert "Oklahoma" in reply
        assert now is not None or "underwater" in reply  # a question follows, or the assessment
    else:  # an unrelated question: answered, then the open question again
        assert "deed in lieu" in reply.lower() and now == slot
        assert {k: before[k] for k in QUESTIONS} == {k: after[k] for k in QUESTIONS}


@pytest.mark.parametrize("slot", list(QUESTIONS))
def test_a_question_is_never_asked_a_third_time_without_the_way_out(rest_servers, slot):
    chat = Chat(rest_servers, "dead-end")
    reach(chat, slot)
    first = chat.say(NONSENSE)
    second = chat.say(NONSENSE)
    assert asked(first) == slot  # asked again once, plainly...
    assert SKIP_OFFER in second  # ...and the second time with the way out
    assert '/inform{"scenario_control":"skip"}' in chat.payloads()

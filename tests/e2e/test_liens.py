"""Issue 9 end to end: second mortgages and the conditions that decide a deficiency, from the first
message to the per-lien answer, through the real servers over REST.

Each story is told the way people post it; the bot asks only what decides the answer in that state
(the HELOC's purpose in California and Arizona, the lot size in Arizona, cash-out in Texas) and
answers per lien, citing the rule.
"""
import re

from tests.e2e.conftest import Chat


def finish(chat: Chat, reply: str, answers: dict, limit: int = 14) -> str:
    """Answer the form's questions from ``answers`` (question text fragment -> reply) until the
    assessment arrives; returns everything said from then on."""
    said = reply
    for _ in range(limit):
        if "Every option, best first" in said:
            return said
        for fragment, answer in answers.items():
            if fragment.lower() in reply.lower():
                reply = chat.say(answer)
                said += "\n" + reply
                break
        else:
            raise AssertionError(f"no answer for: {reply!r}")
    raise AssertionError("the assessment never came")


COMMON = {
    "up to date on your payments": "still current, never missed one",
    "happened that makes the payments hard": "no, nothing like that",
    "what would you like to happen": "we want out honestly",
    "live in the home": "yes we live there",
    "any of that on a second mortgage": "no, just the one mortgage",
}


def test_california_first_plus_heloc(chat):
    reply = chat.say("We're in California, worth 600k, 550k on the first we bought it with, plus a 150k "
                     "HELOC from 2007 for a remodel. can we just walk away?")
    slots = chat.slots()
    assert (slots["us_state"], slots["home_value"], slots["loan_balance"], slots["second_lien_balance"]) == \
        ("CA", 600_000, 700_000, 150_000)
    said = finish(chat, reply, {**COMMON, "second mortgage or HELOC for": "a remodel, years after we bought"})
    assert "$100,000 underwater" in said
    assert re.search(r"Second mortgage / HELOC:\*\* the lender can sue you for up to \$100,000", said)
    assert "not underwater" not in said
    assert "580" in said  # the California statutes that decide it


def test_arizona_first_plus_heloc_asks_what_the_heloc_was_for(chat):
    reply = chat.say("should I walk away? house in mesa arizona worth about 420k. we owe 380 on the "
                     "mortgage we bought it with and another 90k on a heloc")
    assert chat.slots()["loan_balance"] == 470_000
    said = finish(chat, reply, {
        **COMMON,
        "second mortgage or HELOC for": "we took it out later for a pool",
        "how big is the lot": "regular suburban lot, maybe a quarter acre",
    })
    assert "What was the second mortgage or HELOC for" in said
    assert re.search(r"Second mortgage / HELOC:\*\* the lender can sue you for up to \$50,000", said)
    assert "First mortgage:** a sale at about $420,000 would pay it in full" in said


def test_arizona_large_lot(chat):
    reply = chat.say("thinking of walking away. arizona home on 5 acres, worth 400k, owe 500k on "
                     "the loan we bought it with")
    said = finish(chat, reply, COMMON)
    assert chat.slots()["lot_acres"] == 5
    assert "Very unlikely" not in said and "protected —" not in said
    assert "2.5 acres or less" in said and "33-814(G)" in said
    assert re.search(r"could seek up to about \$100,000", said)


def test_texas_home_equity_loan_is_asked_and_protected(chat):
    reply = chat.say("texas, house worth 300k, we owe 340k, can I just stop paying?")
    said = finish(chat, reply, {**COMMON, "What was the first mortgage for":
                                "it's a cash out refi we did in 2019, home equity loan"})
    assert chat.slots()["loan_purpose"] == "cash_out"
    assert "§50(a)(6)" in said and "protected —" in said
    assert "Texas allows a deficiency" not in said


def test_hawaii_rental(chat):
    reply = chat.say("own a rental condo in honolulu, worth 500k, owe 600k, thinking of letting it go")
    said = finish(chat, reply, {**COMMON, "second mortgage or HELOC": "no, just the one loan",
                                "What was the first mortgage for": "bought it with it"})
    assert chat.slots()["occupancy"] == "investment"
    assert "a trustee's sale bars a deficiency" not in said
    assert "667-38" in said and "you live in the home" in said
    assert re.search(r"could seek up to about \$100,000", said)

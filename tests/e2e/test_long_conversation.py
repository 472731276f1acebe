"""A long conversation over REST: the tracker store serves only its latest turns plus the state
(bot.stores.window), and the bot behaves as if it had the whole conversation in front of it."""
from bot.stores import window
from tests.e2e.test_no_dead_ends import QUESTIONS, asked

FAQS = ["what is a deficiency judgment?", "thanks", "how long does foreclosure stay on my credit?",
        "ok", "what is a short sale?", "thank you", "can I rent instead?", "cool",
        "what is a deed in lieu?", "thanks!", "will I owe taxes on forgiven debt?", "got it",
        "what's a HUD counselor?", "thanks again", "is a loan modification worth trying?"]


def test_after_many_turns_nothing_is_forgotten_or_asked_again(chat):
    assert len(FAQS) > window.MAX_TURNS  # more turns than the window holds
    reply = chat.say("should I walk away from my house?")
    for _ in range(3):  # state, value and balance, in the form's order
        reply = chat.say(QUESTIONS[asked(reply)][1])
    pending = asked(reply)
    assert pending not in (None, "us_state", "home_value", "loan_balance")

    for question in FAQS:  # a long detour while the form waits
        chat.say(question)
    slots = chat.slots()
    assert (slots["us_state"], slots["home_value"], slots["loan_balance"]) == ("TX", 200000.0, 260000.0)

    reply = chat.say("what about texas, can they come after me?")
    assert "Texas" in reply
    follow_up = chat.say("and what about california?")  # a follow-up reads the previous answer
    assert "California" in follow_up

    reply = chat.say("ok let's get back to my situation")
    for _ in range(len(QUESTIONS)):
        current = asked(reply)
        if current is None:
            break
        assert current not in ("us_state", "home_value", "loan_balance"), reply  # never asked again
        reply = chat.say(QUESTIONS[current][1])
    assert "$60,000 underwater" in reply

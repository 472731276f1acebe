"""Issue 8 end to end: homeowners' messages the way they post them, through the real servers over REST.

Each test is one kind of message the scenario used to break on (places, amounts, negation, facts
for another question, plain answers read as questions, a whole story, a question mid-form), in
words of our own forum-style corpus.
"""
import pytest

from tests.e2e.conftest import Chat


def start(chat: Chat) -> str:
    reply = chat.say("can you look at my situation? thinking about walking away")
    assert "Which state" in reply
    return reply


@pytest.mark.parametrize("answer,code,name", [
    ("we're a bit outside of tucson", "AZ", "Arizona"),
    ("I live just north of Houston", "TX", "Texas"),
    ("out in the inland empire", "CA", "California"),
    ("our zip code is 30303", "GA", "Georgia"),
    ("we moved down to fl back in 2017", "FL", "Florida"),
])
def test_a_place_instead_of_a_state(chat, answer, code, name):
    start(chat)
    reply = chat.say(answer)
    assert chat.slots()["us_state"] == code
    assert name in reply and "Which state" not in reply and "couldn't match" not in reply


def test_a_place_in_several_states_gets_a_short_question(chat):
    start(chat)
    reply = chat.say("portland")
    assert "Oregon or Maine" in reply
    reply = chat.say("oregon")
    assert chat.slots()["us_state"] == "OR"
    assert "sell for" in reply  # on to the next question


def test_amounts_without_units_are_thousands_and_said_back(chat):
    start(chat)
    chat.say("nevada")
    reply = chat.say("we owe like 412 and redfin says maybe 365")
    slots = chat.slots()
    assert (slots["loan_balance"], slots["home_value"]) == (412_000, 365_000)
    assert "$412,000" in reply and "$365,000" in reply and "thousands" in reply


@pytest.mark.parametrize("answer,slot,value", [
    ("payoff's about 1.2 mil", "loan_balance", 1_200_000),
    ("maybe half a million", "home_value", 500_000),
    ("zillow has it somewhere between 300 and 350", "home_value", 325_000),
])
def test_amounts_in_words_ranges_and_mil(chat, answer, slot, value):
    start(chat)
    chat.say("ohio")
    if slot == "loan_balance":
        chat.say("worth 900k")
    chat.say(answer)
    assert chat.slots()[slot] == value


def test_negated_and_contrasted_words_never_give_their_value(chat):
    chat.say("should I walk away? we're in san diego, worth 450k, owe 520k, we live there")
    reply = chat.say("just the original loan from when we bought it, no heloc or second or anything")
    slots = chat.slots()
    assert slots["loan_purpose"] == "purchase"
    assert slots["second_lien_balance"] in (None, 0)
    for _ in range(3):  # answer what is asked until the hardship question
        if "happened" in reply:
            break
        reply = chat.say("we're current, never missed one")
    reply = chat.say("honestly no real hardship, it's just turned into a lousy investment")
    slots = chat.slots()
    assert slots["hardship"] is False
    assert slots["occupancy"] == "primary"


def test_facts_for_another_question_are_kept_and_said_back(chat):
    start(chat)
    reply = chat.say("owe 390k, worth maybe 330k, house is in fresno")
    slots = chat.slots()
    assert (slots["us_state"], slots["loan_balance"], slots["home_value"]) == ("CA", 390_000, 330_000)
    assert "Fresno" in reply and "$390,000" in reply
    assert "second mortgage or HELOC" in reply  # the next open question
    reply = chat.say("we're behind")
    assert chat.slots()["payment_status"] == "behind"
    assert "behind" in reply and "second mortgage or HELOC" in reply  # heard, then the open question again


def test_a_plain_answer_is_not_read_as_a_question(chat):
    chat.say("should we walk away? ohio, worth 150k, owe 190k, we live there, current on payments")
    reply = chat.say("no hardship")
    assert "happen with the home" in reply
    reply = chat.say("I want to keep the house")
    assert chat.slots()["goal"] == "keep_home"
    assert "underwater" in reply  # the assessment, not an FAQ and the question again


def test_a_whole_story_without_asking_keeps_its_facts(chat):
    reply = chat.say("got a rental townhouse in boise worth 310k, we owe 395k on it, bought it with the loan, "
                     "payments are current, no hardship, want to unload it")
    slots = chat.slots()
    assert (slots["us_state"], slots["home_value"], slots["loan_balance"]) == ("ID", 310_000, 395_000)
    assert (slots["occupancy"], slots["payment_status"], slots["hardship"], slots["goal"]) == (
        "investment", "current", False, "leave_home")
    assert "Idaho" in reply and "$395,000" in reply
    assert "second mortgage or HELOC" in reply  # the one thing the story didn't say
    reply = chat.say("nope, no heloc or anything")
    assert chat.slots()["second_lien_balance"] == 0
    assert "underwater" in reply  # nothing left to ask: the assessment


def test_a_question_in_the_middle_is_answered_and_the_form_goes_on(chat):
    start(chat)
    reply = chat.say("since we're in washington state they can't come after us, right?")
    assert "Washington" in reply
    assert chat.slots()["us_state"] == "WA"
    assert "sell for" in reply  # the next question follows the answer


def test_before_the_assessment_the_bot_says_what_it_understood(chat):
    chat.say("I'm in Texas, it's worth 200k, I owe 260k, 2 months behind, it's our home, bought it with the "
             "loan, no heloc")
    chat.say("yes I lost my job")
    reply = chat.say("we'd rather walk away")
    assert "Here's what I understood" in reply
    assert "Texas" in reply and "$260,000" in reply
    fix = chat.say("/correct_facts")
    assert "what's different" in fix
    what_if = chat.say("actually we owe 280k")
    assert "$280,000" in what_if and chat.slots()["loan_balance"] == 280_000

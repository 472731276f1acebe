"""FactStatementResolver: a plain statement of the homeowner's facts becomes `inform`; questions stay."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.fact_intent import FactStatementResolver, is_question, is_reported_claim
from tests.support.scenario_turns import parse


def resolve(text: str, intent: str) -> str:
    message = Message({"text": text, "entities": parse(text)})
    message.set("intent", {"name": intent, "confidence": 0.7})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.7}, {"name": "inform", "confidence": 0.2}])
    FactStatementResolver({}).process([message])
    assert message.get("intent_ranking")[0]["name"] == message.get("intent")["name"]
    return message.get("intent")["name"]


@pytest.mark.parametrize("text,intent", [
    ("I want to keep the house", "faq"),
    ("got a rental townhouse in boise worth 310k, we owe 395k, payments current, no hardship, want to unload it", "faq"),
    ("hi, we're outside of tucson and owe like 412", "greet"),
    ("we're in the bay area", "faq"),
    ("we're 3 months behind", "out_of_scope"),
    ("thanks, it's a rental btw", "thank_you"),
    ("wait, actually we're in oklahoma", "correct_facts"),  # the correction itself, not its announcement
    ("sorry, we're in oklahoma not texas", "ask_state_rules"),  # a statement about us, not a law question
    ("skip", "faq"),  # the classifier hears "skip payments"; the reader hears "skip this question"
    ("I don't know", "deny"),
    ("got a rental in boise worth 310k, we owe 395k, payments are current, no hardship", "inform"),  # unsure
    ("yes, I lost my job", "affirm"),
])
def test_statements_of_facts_become_inform(text, intent):
    assert resolve(text, intent) == "inform"


@pytest.mark.parametrize("text,intent", [
    ("since we're in California they can't come after us, right?", "ask_state_rules"),
    ("can I keep the house if I file chapter 13", "faq"),
    ("we're behind what happens now", "faq"),
    ("what is a short sale", "faq"),          # no facts at all
    ("Texas deficiency law", "ask_state_rules"),  # names a state, says nothing about the user
    ("thanks a lot", "thank_you"),
    ("I want to keep the house", "assess_situation"),  # an intent that starts the assessment anyway
    ("start over, we're in texas", "restart"),
    ("list the consequences of leaving my home and not paying", "faq"),
    ("after they sell the house do I still owe whatever's left", "faq"),
    ("refinancing when your home is worth less than the loan", "faq"),
    ("what's the weather in boston", "out_of_scope"),
    ("book a hotel in vegas", "out_of_scope"),   # a place alone doesn't make small talk a statement
    ("can chapter 13 help me keep my home", "faq"),
    ('/faq{"goal": "keep_home"}', "faq"),     # a payload is never rewritten
])
def test_questions_and_other_messages_keep_their_intent(text, intent):
    assert resolve(text, intent) == intent


@pytest.mark.parametrize("text,asks", [
    ("how long does foreclosure take in ohio", True),
    ("should we just walk", True),
    ("ok so what happens to my credit", True),
    ("is it worth it", True),
    ("we bought it when prices were high", False),
    ("we don't know how we'll pay next month", False),
    ("keep it", False),
    ("what's the payoff process", True),
    ("tell me about short sales in ohio", True),
    ("if we can we'd keep it", False),
    ("did a cashout in 2021 to pay for the wedding", False),
    ("does the bank have to sell it first", True),
])
def test_is_question(text, asks):
    assert is_question(text) is asks


def test_an_unsure_inform_of_facts_becomes_confident():
    text = "got a rental in boise worth 310k, we owe 395k, payments are current, no hardship"
    message = Message({"text": text, "entities": parse(text)})
    message.set("intent", {"name": "inform", "confidence": 0.31})  # below the fallback threshold
    message.set("intent_ranking", [{"name": "inform", "confidence": 0.31}, {"name": "faq", "confidence": 0.3}])
    FactStatementResolver({}).process([message])
    assert message.get("intent") == {"name": "inform", "confidence": 0.9}
    assert [r["name"] for r in message.get("intent_ranking")] == ["inform", "faq"]


@pytest.mark.parametrize("text,claim", [
    ("a company I never heard of says I owe on a home equity line from 2006", True),
    ("got a letter saying i owe 38k on a second from 2005", True),
    ("collector keeps saying we owe 40k on the old heloc", True),
    ("the bank says we owe 310k", False),  # the user's own payoff figure
    ("my wife says we owe 300k", False),
    ("we owe 300k, zillow says its worth 250", False),
])
def test_someone_elses_claim_is_not_the_users_fact(text, claim):
    assert is_reported_claim(text) is claim

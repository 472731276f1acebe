"""Rasa 3.6 component: a statement of the homeowner's facts is ``inform``, whatever it sounds like.

config.yml, after the intent classifier and before FallbackClassifier::

    - name: bot.nlu.fact_intent.FactStatementResolver

Why: the sentence classifier judges a message by its topic. "I want to keep the house" is close to
the FAQ about walking away, and a whole story ("rental condo in Honolulu worth 400k, owe 520k, want
to dump it") close to the FAQ about protecting credit; answered as FAQs, their facts would go
nowhere; a long story of facts can also leave the classifier unsure, and the fallback would drop it.
When the entity extractor found scenario facts (``knowledge.scenario_facts``) or a skip/stop in a
message that asks nothing (no question mark, no clause opening like "what", "can I", "list") and
speaks of the user (not only of "you"), and the classifier chose anything but ``keep_intents``, the
intent becomes ``inform`` with a confidence above the fallback threshold. Questions are left alone:
"since we're in California they can't come after us, right?" stays a state-law question.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from knowledge.scenario_facts import facts_from_entities, place_question

PREDICTED_CONFIDENCE_KEY = "confidence"

# Word classes of a question or a request (lower case, as tokens of [a-z']+)
_ASK = frozenset("what what's whats how how's hows why when where which who".split())
_AUX = frozenset(
    "should shall can could would will is isn't are aren't am do does did don't doesn't may might must "
    "can't won't".split()
)
_REQUEST = frozenset("list tell explain describe show give compare walk".split())
_SUBJECT = frozenset("i we they you he she it".split())
# an auxiliary opens a question ("can chapter 13 help", "does the bank"), but "did" only when its
# subject follows: "did a cash-out in 2021" leaves out the "we" of a statement
_PAST_AUX = frozenset({"did"})
_AUX_SUBJECT = _SUBJECT | frozenset("the my our your there this that".split())
# after a wh-word mid-clause, these make it a question ("behind now what happens", "not sure how long")
_AFTER_ASK = _SUBJECT | _AUX | frozenset("happens happen if about long much many my our the".split())
_FIRST_PERSON = frozenset("i i'm i've i'd me my mine we we're we've we'd us our ours".split())
_SECOND_PERSON = frozenset("you you're your yours".split())
_CLAUSES = re.compile(r"[.!;,\n]+|\b(?:so|but|and|then|also|anyway|btw)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z']+")


def is_question(text: Text) -> bool:
    """True when the text asks or requests something: a question mark; a clause opening with a
    wh-word, a request verb ("list the consequences...") or an auxiliary; a wh-word followed by a
    subject or verb ("we're behind what happens now"); or an auxiliary followed by its subject
    ("after they sell it do I still owe")."""
    if "?" in text:
        return True
    for clause in _CLAUSES.split(text.lower()):
        words = _WORD.findall(clause)
        if words and (words[0] in _ASK | _REQUEST or words[0] in _AUX - _PAST_AUX
                      or words[0] in _PAST_AUX and words[1:2] and words[1] in _AUX_SUBJECT):
            return True
        for first, second in zip(words, words[1:]):
            if (first in _ASK and second in _AFTER_ASK) or (first in _AUX and second in _SUBJECT):
                return True
    return False


def is_about_the_user(text: Text) -> bool:
    """True when the text speaks of "I" or "we" ("we're in oklahoma", "my house")."""
    return bool(set(_WORD.findall(text.lower())) & _FIRST_PERSON)


def is_about_someone_else(text: Text) -> bool:
    """True for a general question in the second person ("refinancing when your home is worth less"):
    it speaks of "you" and never of "I" or "we", so its facts are not the user's own."""
    words = set(_WORD.findall(text.lower()))
    return bool(words & _SECOND_PERSON) and not is_about_the_user(text)


# "a company I never heard of says I owe...": someone else's claim about the user, not a fact they state
_CLAIM_VERBS = frozenset("says said saying claims claimed claiming insists alleges wants demanding demands".split())
_US = frozenset("i we".split())
# (not the bank or servicer: "the bank says we owe 310k" is the user's payoff figure)
_OUTSIDERS = frozenset("company companies collector collectors agency letter letters someone somebody firm "
                       "attorney lawyer investor".split())


def is_reported_claim(text: Text) -> bool:
    """True when someone other than the user claims something they owe ("a collector says I owe 40k
    on an old heloc"): the amount is the claim being asked about, not a fact of the user's situation."""
    words = _WORD.findall(text.lower())
    for i, word in enumerate(words):
        if word in _CLAIM_VERBS and _OUTSIDERS & set(words[max(i - 6, 0):i]) and _US & set(words[i + 1:i + 4]):
            return True
    return False


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class FactStatementResolver(GraphComponent, IntentClassifier):
    """Turns any other reading of a plain statement of facts (an FAQ, small talk, an unsure inform)
    into a confident ``inform``."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # intents a statement of facts keeps: requests that also start or serve the assessment
            # (every other reading of a plain statement of facts - an FAQ, small talk, a yes/no, an
            # unsure "inform" - becomes a confident inform)
            "keep_intents": ["assess_situation", "compare_options", "ask_walkaway_states", "help",
                             "human_handoff", "bot_challenge", "restart", "forget_me"],
            # intents that name a state on their own: only a statement about "I"/"we" is a fact
            # ("wait, actually we're in oklahoma"; not "Texas deficiency law")
            "first_person_only": ["ask_state_rules", "ask_foreclosure_timeline"],
            # intents a place alone doesn't override ("book a hotel in vegas", "hi from ohio")
            "place_is_not_enough": ["out_of_scope", "greet", "goodbye", "thank_you"],
            "to_intent": "inform",
            # confidence given to the new intent (above FallbackClassifier's threshold)
            "confidence": 0.9,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = {**self.get_default_config(), **(config or {})}
        self._keep = frozenset(self._config["keep_intents"])
        self._place_not_enough = frozenset(self._config["place_is_not_enough"])
        self._first_person_only = frozenset(self._config["first_person_only"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "FactStatementResolver":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if self._is_statement_of_facts(message):
                self._set_intent(message)
        return messages

    def _is_statement_of_facts(self, message: Message) -> bool:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        text = message.get(TEXT)
        if intent in self._keep or not isinstance(text, str) or text.startswith("/"):
            return False
        entities = message.get(ENTITIES) or []
        facts = facts_from_entities(entities)
        control = any(e.get("entity") == "scenario_control" for e in entities)  # "skip", "rather not say"
        place = "us_state" in facts or place_question(entities) is not None
        if intent in self._place_not_enough:
            facts.pop("us_state", None)
            place = False
        if not facts and not control and not place:
            return False
        if intent in self._first_person_only and not is_about_the_user(text):
            return False
        return not is_question(text) and not is_about_someone_else(text) and not is_reported_claim(text)

    def _set_intent(self, message: Message) -> None:
        name = self._config["to_intent"]
        ranking = [dict(r) for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
        chosen = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: float(self._config["confidence"])}
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen] + ranking, add_to_output=True)

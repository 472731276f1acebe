"""Rasa 3.6 component: a statement of the homeowner's facts is ``inform``, whatever it sounds like.

config.yml, after the intent classifier and before FallbackClassifier::

    - name: bot.nlu.fact_intent.FactStatementResolver

Why: the sentence classifier judges a message by its topic. "I want to keep the house" is close to
the FAQ about walking away, and a whole story ("rental condo in Honolulu worth 400k, owe 520k, want
to dump it") close to the FAQ about protecting credit; answered as FAQs, their facts would go
nowhere. When the entity extractor found scenario facts (``knowledge.scenario_facts``) in a message
that asks nothing (no question mark, no clause opening like "what", "can I", "should we"), and the
classifier chose one of ``from_intents``, the intent becomes ``inform``. Questions are left alone:
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

# words that open a question when they start a clause ("what", "can", "should"...)
_OPENERS = frozenset(
    "what whats how hows why when where which who whom whose should shall can could would will is isn't "
    "are aren't am do does did don't doesn't may might must".split()
)
# ... and that ask even mid-clause when a subject or verb follows ("behind now what happens")
_MID_OPENERS = frozenset({"what", "whats", "how", "hows", "why"})
_FOLLOWERS = frozenset(
    "i we they you it my our the happens happen should can could do does is are will would "
    "if about long much many".split()
)
_CLAUSES = re.compile(r"[.!;,\n]+|\b(?:so|but|and|then|also|anyway|btw)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z']+")


def is_question(text: Text) -> bool:
    """True when the text asks something: a question mark, or a clause that opens like a question."""
    if "?" in text:
        return True
    for clause in _CLAUSES.split(text.lower()):
        words = _WORD.findall(clause)
        if words and words[0] in _OPENERS:
            return True
        for first, second in zip(words, words[1:]):
            if first in _MID_OPENERS and second in _FOLLOWERS:
                return True
    return False


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class FactStatementResolver(GraphComponent, IntentClassifier):
    """Turns the classifier's FAQ / small-talk reading of a plain statement of facts into ``inform``."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # intents a statement of facts is mistaken for
            "from_intents": ["faq", "out_of_scope", "greet", "goodbye", "thank_you"],
            "to_intent": "inform",
            # confidence given to the new intent (above FallbackClassifier's threshold)
            "confidence": 0.9,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = {**self.get_default_config(), **(config or {})}
        self._from = frozenset(self._config["from_intents"])

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
        if intent not in self._from or not isinstance(text, str) or text.startswith("/"):
            return False
        entities = message.get(ENTITIES) or []
        facts = facts_from_entities(entities)
        if not facts and place_question(entities) is None:
            return False
        return not is_question(text)

    def _set_intent(self, message: Message) -> None:
        name = self._config["to_intent"]
        ranking = [dict(r) for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
        chosen = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: float(self._config["confidence"])}
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen] + ranking, add_to_output=True)

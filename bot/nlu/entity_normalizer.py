"""Rasa 3.6 entity extractor: us_state, amount (with role), months, alternative -- with normalized values.

config.yml (after SpacyNLP and SpacyTokenizer)::

    - name: bot.nlu.entity_normalizer.WalkawayEntityExtractor

Entities it sets (each with ``start``, ``end``, ``extractor``, ``confidence`` 1.0, like Duckling):

* ``{"entity": "us_state", "value": "TX"}`` -- spans proposed by the project spaCy pipeline's
  entity_ruler (``ent_id_`` = code), kept only where ``knowledge.vocabulary.states`` says they are a
  state in this sentence ("in OK", "Tulsa, OK" yes; "ok", "I have a VA loan" no).  State mentions
  the ruler cannot propose (lower-case whole answers such as "pa", a spaCy model without the ruler)
  come from ``states.find`` directly, so both paths give the same result.
* ``{"entity": "amount", "value": 350000, "role": "home_value"}`` -- dollars as a JSON number (an
  int when whole); ``role`` only when the sentence says which ("worth" / "owe"), else no role key.
* ``{"entity": "months", "value": 3}`` and ``{"entity": "alternative", "value": "short_sale"}``.

The spaCy doc SpacyNLP puts on the message is lower-cased (``case_sensitive: false``), which would
lose "OK" vs "ok"; like Rasa's SpacyEntityExtractor this component runs the (tiny, rule-only)
pipeline itself on the original text.  It never raises on a message: any text (huge, emoji, control
characters, other scripts) gives entities or none; only the first ``max_chars`` characters are read.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_ROLE,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from knowledge.vocabulary import Mention, alternatives, amounts, months, states

logger = logging.getLogger(__name__)

US_STATE = "us_state"
AMOUNT = "amount"
MONTHS = "months"
ALTERNATIVE = "alternative"
ALL_ENTITIES = (US_STATE, AMOUNT, MONTHS, ALTERNATIVE)
STATE_LABEL = "US_STATE"  # label of the entity_ruler patterns (bot.nlu.spacy_pipeline.LABEL)


def _json_number(value: Any) -> Any:
    """350000.0 -> 350000 (an int in JSON); 1234.5 stays a float."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False, model_from="SpacyNLP"
)
class WalkawayEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Rule-based extractor of the contract's entities with normalized values (not trainable)."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpacyNLP]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # which of us_state, amount, months, alternative to extract
            "entities": list(ALL_ENTITIES),
            # only this many characters of a message are read (a chat message is far shorter)
            "max_chars": 5000,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = {**self.get_default_config(), **(config or {})}
        wanted = self._config.get("entities") or []
        unknown = set(wanted) - set(ALL_ENTITIES)
        if unknown:
            raise ValueError(f"WalkawayEntityExtractor: unknown entities {sorted(unknown)}; known: {ALL_ENTITIES}")
        self._wanted = tuple(e for e in ALL_ENTITIES if e in wanted)
        self._max_chars = max(1, int(self._config.get("max_chars") or 5000))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "WalkawayEntityExtractor":
        return cls(config)

    def process(self, messages: List[Message], model: Optional[SpacyModel] = None) -> List[Message]:
        """Add the entities to each message (appended to those of earlier extractors)."""
        nlp = model.model if model is not None else None
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text.strip():
                continue
            extracted = self.extract(text, nlp)
            if extracted:
                message.set(ENTITIES, message.get(ENTITIES, []) + extracted, add_to_output=True)
        return messages

    # ------------------------------------------------------------------------------------------

    def extract(self, text: Text, nlp: Any = None) -> List[Dict[Text, Any]]:
        """The entity dicts for one text (never raises)."""
        text = text[: self._max_chars]
        entities: List[Dict[Text, Any]] = []
        for name in self._wanted:
            try:
                entities.extend(getattr(self, f"_{name}")(text, nlp))
            except Exception:  # a vocabulary bug must not cost the user the whole message
                logger.exception("WalkawayEntityExtractor: %s extraction failed on a message", name)
        entities.sort(key=lambda e: (e[ENTITY_ATTRIBUTE_START], e[ENTITY_ATTRIBUTE_END]))
        return self.add_extractor_name(entities)

    @staticmethod
    def _entity(entity: Text, m: Mention, value: Any) -> Dict[Text, Any]:
        out = {
            ENTITY_ATTRIBUTE_TYPE: entity,
            ENTITY_ATTRIBUTE_START: m.start,
            ENTITY_ATTRIBUTE_END: m.end,
            ENTITY_ATTRIBUTE_VALUE: value,
            ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
        }
        if m.role:
            out[ENTITY_ATTRIBUTE_ROLE] = m.role
        return out

    def _us_state(self, text: Text, nlp: Any) -> List[Dict[Text, Any]]:
        mentions = states.find(text)  # the decision: which spans are states in this sentence
        chosen: List[Mention] = []
        if nlp is not None and mentions:  # no state in the text: nothing the ruler could add
            try:
                doc = nlp(text)
                ents = [e for e in doc.ents if e.label_ == STATE_LABEL]
            except Exception:
                logger.exception("WalkawayEntityExtractor: spaCy pipeline failed on a message")
                ents = []
            for ent in ents:
                # keep the ruler's candidate when the vocabulary accepts it here, with the same code
                for m in mentions:
                    if m.start < ent.end_char and ent.start_char < m.end and m.value == ent.ent_id_:
                        if m not in chosen:
                            chosen.append(m)
        for m in mentions:  # what the ruler could not propose
            if all(m.end <= c.start or m.start >= c.end for c in chosen):
                chosen.append(m)
        chosen.sort(key=lambda m: m.start)
        return [self._entity(US_STATE, m, m.value) for m in chosen]

    def _amount(self, text: Text, nlp: Any) -> List[Dict[Text, Any]]:
        return [self._entity(AMOUNT, m, _json_number(m.value)) for m in amounts.find(text)]

    def _months(self, text: Text, nlp: Any) -> List[Dict[Text, Any]]:
        return [self._entity(MONTHS, m, int(m.value)) for m in months.find(text)]

    def _alternative(self, text: Text, nlp: Any) -> List[Dict[Text, Any]]:
        return [self._entity(ALTERNATIVE, m, m.value) for m in alternatives.find(text)]

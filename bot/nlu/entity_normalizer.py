"""Rasa 3.6 entity extractor: us_state, amount (with role), months, alternative -- with normalized values.

config.yml (after SpacyNLP and SpacyTokenizer)::

    - name: bot.nlu.entity_normalizer.WalkawayEntityExtractor

Entities it sets (each with ``start``, ``end``, ``extractor``, ``confidence`` 1.0, like Duckling):

* ``{"entity": "us_state", "value": "TX"}`` -- spans proposed by the project spaCy pipeline's
  entity_ruler (``ent_id_`` = code), kept only where ``knowledge.vocabulary.states`` says they are a
  state in this sentence ("in OK", "Tulsa, OK" yes; "ok", "I have a VA loan" no).  State mentions
  the ruler cannot propose (lower-case whole answers such as "pa", a spaCy model without the ruler)
  come from ``states.find`` directly, so both paths give the same result.  Also from places
  (``bot.nlu.place_patterns`` spans, decided by ``knowledge.vocabulary.places``): a city, region or
  ZIP code in one state gives its state with ``additional_info: {"place": "Phoenix"}``; role
  ``elsewhere`` where the owners live or moved when the message ties another place to the home
  ("we live in ohio" beside "a house in cape coral"): it then fills no slot.
* ``{"entity": "place", "value": "Portland", "additional_info": {"states": ["OR", "ME"]}}`` -- a
  place in several states, when the message does not say which.
* ``{"entity": "amount", "value": 350000, "role": "home_value"}`` -- dollars as a JSON number (an
  int when whole); ``role`` only when the sentence says which ("worth" / "owe"), else no role key.
* ``{"entity": "months", "value": 3}`` and ``{"entity": "alternative", "value": "short_sale"}``.
* ``payment_status``, ``occupancy``, ``loan_purpose``, ``hardship`` (JSON bool), ``goal``,
  ``scenario_control``, and ``amount`` 0 with role ``loan_balance`` ("it's paid off") or
  ``second_lien`` ("no heloc") -- ``FACT`` spans of the pipeline's fact ruler, negation and
  hypotheticals decided by NegEx (:mod:`bot.nlu.fact_patterns`); none without a spaCy pipeline.
* per-lien conditions: ``lender_type`` (institution / seller / private) and ``second_lien_purpose``
  (purchase / other) from the fact ruler; ``loan_year`` (int; role ``second_lien`` for a HELOC's
  year), ``acres`` (float) and ``units`` (int) from the lien spans (:mod:`bot.nlu.lien_patterns`).

The spaCy doc SpacyNLP puts on the message is lower-cased (``case_sensitive: false``), which would
lose "OK" vs "ok"; like Rasa's SpacyEntityExtractor this component runs the (tiny, rule-only)
pipeline itself on the original text.  It never raises on a message: any text (huge, emoji, control
characters, other scripts) gives entities or none; only the first ``max_chars`` characters are read.
"""

from __future__ import annotations

import logging
from functools import partialmethod
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

from bot.nlu import fact_patterns  # also registers negspacy's "negex" factory for spacy.load
from bot.nlu import lien_patterns, place_patterns
from knowledge.vocabulary import Mention, alternatives, amounts, months, places, states

logger = logging.getLogger(__name__)

US_STATE = "us_state"
PLACE = "place"
AMOUNT = "amount"
MONTHS = "months"
ALTERNATIVE = "alternative"
PAYMENT_STATUS = "payment_status"
OCCUPANCY = "occupancy"
LOAN_PURPOSE = "loan_purpose"
HARDSHIP = "hardship"
GOAL = "goal"
SCENARIO_CONTROL = "scenario_control"
LENDER_TYPE = "lender_type"
SECOND_LIEN_PURPOSE = "second_lien_purpose"
LOAN_YEAR = "loan_year"
ACRES = "acres"
UNITS = "units"
ALL_ENTITIES = (US_STATE, PLACE, AMOUNT, MONTHS, ALTERNATIVE, PAYMENT_STATUS, OCCUPANCY, LOAN_PURPOSE, HARDSHIP, GOAL,
                SCENARIO_CONTROL, LENDER_TYPE, SECOND_LIEN_PURPOSE, LOAN_YEAR, ACRES, UNITS)
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
        self._last_doc: tuple = (None, None, None)  # (text, nlp, doc) of the latest text
        self._last_locations: tuple = (None, None, [])  # (text, nlp, locations): for us_state and place
        self._fact_readings: tuple = (None, [])  # (doc, readings) of the latest doc
        self._lien_readings: tuple = (None, [])  # (doc, readings) of the lien spans of the latest doc

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

    def _doc(self, text: Text, nlp: Any) -> Any:
        """The pipeline's doc of ``text``, kept for the next caller; None without a pipeline or on error."""
        if nlp is None:
            return None
        if self._last_doc[0] != text or self._last_doc[1] is not nlp:
            try:
                doc = nlp(text)
            except Exception:
                logger.exception("WalkawayEntityExtractor: spaCy pipeline failed on a message")
                doc = None
            self._last_doc = (text, nlp, doc)
        return self._last_doc[2]

    def _us_state(self, text: Text, nlp: Any) -> List[Dict[Text, Any]]:
        return [self._location(US_STATE, loc) for loc in self._locations(text, nlp) if loc.state]

    def _place(self, text: Text, nlp: Any) -> List[Dict[Text, Any]]:
        return [self._location(PLACE, loc) for loc in self._locations(text, nlp) if not loc.state]

    def _location(self, entity: Text, loc: places.Location) -> Dict[Text, Any]:
        if entity == US_STATE:
            out = self._entity(US_STATE, Mention(loc.start, loc.end, loc.text, loc.state, loc.role), loc.state)
            if loc.place:
                out["additional_info"] = {"place": loc.place}
            return out
        out = self._entity(PLACE, Mention(loc.start, loc.end, loc.text, loc.place, loc.role), loc.place)
        out["additional_info"] = {"states": list(loc.states)}
        return out

    def _locations(self, text: Text, nlp: Any) -> List[places.Location]:
        """States and places of ``text`` (``knowledge.vocabulary.places.resolve``), once per text."""
        if self._last_locations[0] == text and self._last_locations[1] is nlp:
            return self._last_locations[2]
        mentions = states.find(text)  # the decision: which spans are states in this sentence
        chosen: List[Mention] = []
        doc = self._doc(text, nlp)
        if doc is not None:
            ents = [e for e in doc.ents if e.label_ == STATE_LABEL]
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
        candidates = place_patterns.candidates(doc) if doc is not None else []
        self._last_locations = (text, nlp, places.resolve(text, candidates, chosen))
        return self._last_locations[2]

    def _amount(self, text: Text, nlp: Any) -> List[Dict[Text, Any]]:
        out = []
        for m in amounts.find(text):
            entity = self._entity(AMOUNT, m, _json_number(m.value))
            if m.info:  # {"range": [low, high]} / {"implied": "thousands"}: said back by the bot
                entity["additional_info"] = {
                    k: [_json_number(x) for x in v] if isinstance(v, list) else v for k, v in m.info.items()
                }
            out.append(entity)
        return out + self._facts(text, nlp, AMOUNT)  # $0: "it's paid off", "no heloc"

    def _months(self, text: Text, nlp: Any) -> List[Dict[Text, Any]]:
        return [self._entity(MONTHS, m, int(m.value)) for m in months.find(text)]

    def _alternative(self, text: Text, nlp: Any) -> List[Dict[Text, Any]]:
        return [self._entity(ALTERNATIVE, m, m.value) for m in alternatives.find(text)]

    def _facts(self, text: Text, nlp: Any, entity: Text) -> List[Dict[Text, Any]]:
        """The ``entity`` readings of the pipeline's FACT spans (the doc of :meth:`_doc`, read once per
        doc for every fact entity)."""
        doc = self._doc(text, nlp)
        if doc is None:
            return []
        if self._fact_readings[0] is not doc:
            self._fact_readings = (doc, fact_patterns.read(doc))
        return [self._entity(name, m, m.value) for name, m in self._fact_readings[1] if name == entity]

    def _liens(self, text: Text, nlp: Any, entity: Text) -> List[Dict[Text, Any]]:
        """The ``entity`` readings of the pipeline's lien spans (years, acres, units), read once per doc."""
        doc = self._doc(text, nlp)
        if doc is None:
            return []
        if self._lien_readings[0] is not doc:
            self._lien_readings = (doc, lien_patterns.read(doc, nlp))
        return [self._entity(name, m, m.value) for name, m in self._lien_readings[1] if name == entity]

    _payment_status = partialmethod(_facts, entity=PAYMENT_STATUS)
    _occupancy = partialmethod(_facts, entity=OCCUPANCY)
    _loan_purpose = partialmethod(_facts, entity=LOAN_PURPOSE)
    _hardship = partialmethod(_facts, entity=HARDSHIP)
    _goal = partialmethod(_facts, entity=GOAL)
    _scenario_control = partialmethod(_facts, entity=SCENARIO_CONTROL)
    _lender_type = partialmethod(_facts, entity=LENDER_TYPE)
    _second_lien_purpose = partialmethod(_facts, entity=SECOND_LIEN_PURPOSE)
    _loan_year = partialmethod(_liens, entity=LOAN_YEAR)
    _acres = partialmethod(_liens, entity=ACRES)
    _units = partialmethod(_liens, entity=UNITS)

"""The project's NLU entity path outside a trained model: for evaluations and tests.

:class:`EntityReader` builds the project spaCy pipeline into a folder and creates SpacyNLP,
SpacyTokenizer and WalkawayEntityExtractor the way Rasa's graph creates them, so a text gets exactly
the entities ``/model/parse`` would give it (the intent needs the trained model).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import spacy_pipeline
from bot.nlu.entity_normalizer import WalkawayEntityExtractor


class EntityReader:
    """``reader(text)`` -> the entity dicts of ``text``; ``reader(text, ["us_state"])`` with an
    extractor configured for those entities only. Builds the pipeline into ``workdir`` (a few seconds)."""

    def __init__(self, workdir: "str | Path") -> None:
        workdir = Path(workdir)
        self.pipeline_dir = spacy_pipeline.write(workdir / "spacy-walkaway")
        self._storage = LocalModelStorage(workdir / "storage")
        self._context = ExecutionContext(GraphSchema({}), "entity-reader")
        self._nlp = self._make(SpacyNLP, {"model": str(self.pipeline_dir)}, "nlp")
        self._model = self._nlp.provide()
        self._tokenizer = self._make(SpacyTokenizer, {}, "tok")
        self._extractors: Dict[Tuple[str, ...], WalkawayEntityExtractor] = {}

    def _make(self, cls, config: Dict[str, Any], name: str):
        return cls.create({**cls.get_default_config(), **config}, self._storage, Resource(name), self._context)

    def __call__(self, text: str, entities: Optional[Sequence[str]] = None) -> List[Dict[str, Any]]:
        key = tuple(entities or ())
        if key not in self._extractors:
            self._extractors[key] = self._make(WalkawayEntityExtractor, {"entities": list(key)} if key else {}, "ents")
        messages = [Message({"text": text})]
        self._nlp.process(messages, self._model)
        self._tokenizer.process(messages)
        self._extractors[key].process(messages, self._model)
        return messages[0].get("entities", [])

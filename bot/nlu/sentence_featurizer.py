"""Rasa component: a dense sentence feature from all-MiniLM-L6-v2 for each message's text.

Pipeline entry (bot/config.yml)::

    - name: bot.nlu.sentence_featurizer.SentenceEncoderFeaturizer
      model_path: build/minilm-tf

The model (converted by ``python -m bot.nlu.encoder build/minilm-tf``) is loaded once per
process and path and shared by every instance of the component: on first use while
training, right when a trained model is loaded for inference (so that the first user
message does not pay for it).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.encoder import DEFAULT_BATCH_SIZE, MAX_TOKENS, SentenceEncoder

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]

_ENCODERS: dict[tuple[str, int, int], SentenceEncoder] = {}
_ENCODERS_LOCK = threading.Lock()


def resolve_model_path(model_path: str) -> Path:
    """``model_path`` as given if absolute or present from the working directory,
    otherwise relative to the repository root (so tests and tools run from anywhere)."""
    path = Path(model_path)
    if path.is_absolute() or path.exists():
        return path
    return REPO_ROOT / path


def shared_encoder(
    model_path: str, max_tokens: int = MAX_TOKENS, batch_size: int = DEFAULT_BATCH_SIZE
) -> SentenceEncoder:
    """The process-wide encoder for ``model_path`` (loaded on first use)."""
    path = resolve_model_path(model_path).resolve()
    key = (str(path), max_tokens, batch_size)
    with _ENCODERS_LOCK:
        encoder = _ENCODERS.get(key)
        if encoder is None:
            logger.debug("Loading sentence encoder from %s", path)
            encoder = SentenceEncoder(
                path, max_tokens=max_tokens, batch_size=batch_size
            )
            _ENCODERS[key] = encoder
        return encoder


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the mean-pooled, L2-normalized MiniLM embedding of TEXT as a sentence feature."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "model_path": "build/minilm-tf",
            "max_tokens": MAX_TOKENS,
            "batch_size": DEFAULT_BATCH_SIZE,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["tensorflow", "transformers"]

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, {**self.get_default_config(), **config})
        self._encoder: SentenceEncoder | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        return cls(config, execution_context.node_name)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SentenceEncoderFeaturizer:
        """Used by the inference graph only: loads and traces the encoder right away,
        so the first user message doesn't wait for it (~10 s). Training stays lazy."""
        component = cls.create(config, model_storage, resource, execution_context)
        component.encoder.encode(["warm up"])
        return component

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if not config.get("model_path"):
            raise InvalidConfigException(f"{cls.__name__} needs a 'model_path'.")
        for key in ("max_tokens", "batch_size"):
            value = config.get(key)
            if not isinstance(value, int) or value < 1:
                raise InvalidConfigException(
                    f"{cls.__name__}: '{key}' must be a positive integer, got {value!r}."
                )
        if config["max_tokens"] > 512:
            raise InvalidConfigException(
                f"{cls.__name__}: the model has 512 positions; max_tokens "
                f"{config['max_tokens']} is too large."
            )

    @property
    def encoder(self) -> SentenceEncoder:
        if self._encoder is None:
            self._encoder = shared_encoder(
                self._config["model_path"],
                self._config["max_tokens"],
                self._config["batch_size"],
            )
        return self._encoder

    def _featurize(self, messages: list[Message]) -> None:
        todo = [m for m in messages if isinstance(m.get(TEXT), str)]
        if not todo:
            return
        vectors = self.encoder.encode([m.get(TEXT) for m in todo])
        for message, vector in zip(todo, vectors):
            message.add_features(
                Features(
                    vector[np.newaxis, :],
                    FEATURE_TYPE_SENTENCE,
                    TEXT,
                    self._identifier,
                )
            )

    def process(self, messages: list[Message]) -> list[Message]:
        """Featurizes incoming messages (all at once, in batches)."""
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes the training examples in place (batched)."""
        self._featurize(training_data.training_examples)
        return training_data


__all__ = ["SentenceEncoderFeaturizer", "resolve_model_path", "shared_encoder"]

"""Rasa component: intent + retrieval-intent (FAQ) classifier over dense sentence features.

One scikit-learn logistic regression is trained over labels that are the intent name for
regular intents and the full ``<retrieval_intent>/<key>`` (the message's
``intent_response_key``) for retrieval-intent examples such as ``faq/short_sale``.

At inference the message gets what Rasa's ``DIETClassifier`` + ``ResponseSelector`` pair
would give it, so ``utter_faq`` (``ActionRetrieveResponse``), the processor's
``full_retrieval_intent_name`` and ``rasa test nlu`` (response_selection_report.json) work
unchanged:

- ``intent``: ``{"name", "confidence"}``; a retrieval intent's confidence is the sum of the
  probabilities of its keys;
- ``intent_ranking``: top ``ranking_length`` intents (keys aggregated the same way);
- ``response_selector``: ``{"all_retrieval_intents": [...], "<retrieval_intent>":
  {"response": {"responses", "confidence", "intent_response_key", "utter_action"},
  "ranking": [{"confidence", "intent_response_key"}, ...]}}`` with the confidences
  normalized over that retrieval intent's keys, like a ResponseSelector trained with
  ``retrieval_intent: <retrieval_intent>``.
"""

from __future__ import annotations

import logging
import warnings
from collections import defaultdict
from typing import Any

import numpy as np
import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.exceptions import InvalidConfigException, RasaException
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.nlu.training_data.util import intent_response_key_to_template_key

logger = logging.getLogger(__name__)

# Rasa's recipe validator warns when retrieval-intent examples exist but no
# ResponseSelector is configured. This component serves them, so the warning is wrong
# for pipelines that use it (the module is imported before the validator runs).
warnings.filterwarnings(
    "ignore",
    message="You have defined training data with examples for training a response selector",
)

MODEL_FILE = "classifier.skops"
META_FILE = "labels.json"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class EmbeddingIntentClassifier(IntentClassifier, GraphComponent):
    """Logistic regression over sentence embeddings; also fills ``response_selector``."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "skops"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # inverse regularization strength of the logistic regression
            "C": 20.0,
            # "balanced" re-weights labels by inverse frequency; null for none
            "class_weight": "balanced",
            "max_iter": 2000,
            "random_state": 42,
            # how many intents / responses to list in the rankings (0 = all)
            "ranking_length": 10,
            # names (aliases) of the featurizers whose dense sentence features are
            # used; empty = all of them
            "featurizers": [],
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        clf: Any | None = None,
        labels: list[str] | None = None,
        retrieval_intents: list[str] | None = None,
        responses: dict[str, list[dict[str, Any]]] | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.clf = clf
        # labels[i] is the label of clf's probability column i
        self.labels: list[str] = list(labels or [])
        self.retrieval_intents: list[str] = sorted(retrieval_intents or [])
        self.responses: dict[str, list[dict[str, Any]]] = responses or {}

    # ------------------------------------------------------------------ creation

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EmbeddingIntentClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        full = {**cls.get_default_config(), **config}
        if not isinstance(full["C"], (int, float)) or full["C"] <= 0:
            raise InvalidConfigException(f"{cls.__name__}: 'C' must be > 0.")
        if full["class_weight"] not in (None, "balanced"):
            raise InvalidConfigException(
                f"{cls.__name__}: 'class_weight' must be 'balanced' or null."
            )
        if not isinstance(full["ranking_length"], int) or full["ranking_length"] < 0:
            raise InvalidConfigException(
                f"{cls.__name__}: 'ranking_length' must be an integer >= 0."
            )

    # ------------------------------------------------------------------ features

    def _features(self, message: Message) -> np.ndarray | None:
        _, sentence = message.get_dense_features(TEXT, self.config["featurizers"])
        if sentence is None:
            return None
        return np.asarray(sentence.features, dtype=np.float64).reshape(-1)

    @staticmethod
    def label_of(message: Message) -> str | None:
        """Training label: ``faq/<key>`` for retrieval-intent examples, else the intent."""
        return message.get(INTENT_RESPONSE_KEY) or message.get(INTENT)

    # ------------------------------------------------------------------ training

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        rows, y = [], []
        for example in training_data.intent_examples:
            label = self.label_of(example)
            vector = self._features(example)
            if not label or vector is None:
                continue
            rows.append(vector)
            y.append(label)

        self.retrieval_intents = sorted(training_data.retrieval_intents)
        self.responses = {
            name: variations
            for name, variations in training_data.responses.items()
            if any(name.startswith(f"utter_{ri}/") for ri in self.retrieval_intents)
        }
        labels = sorted(set(y))
        if not labels:
            rasa.shared.utils.io.raise_warning(
                f"{self.__class__.__name__}: no featurized intent examples; the "
                f"classifier is not trained and will predict no intent."
            )
            return self._resource

        if len(labels) == 1:
            # A logistic regression needs two classes; one label is always predicted.
            self.clf = None
        else:
            clf = LogisticRegression(
                C=float(self.config["C"]),
                class_weight=self.config["class_weight"],
                max_iter=int(self.config["max_iter"]),
                random_state=self.config["random_state"],
                solver="lbfgs",
                multi_class="multinomial",
            )
            clf.fit(np.vstack(rows), np.asarray(y))
            self.clf = clf
            labels = [str(c) for c in clf.classes_]
        self.labels = labels
        self.persist()
        return self._resource

    # ------------------------------------------------------------------ inference

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Probability of each label in ``self.labels`` for each row of ``vectors``."""
        if self.clf is None:
            return np.ones((len(vectors), len(self.labels)))
        return self.clf.predict_proba(vectors)

    def _group_of(self, label: str) -> str:
        """The intent a label belongs to: ``faq`` for ``faq/<key>``, else the label."""
        prefix, sep, _ = label.partition("/")
        if sep and prefix in self.retrieval_intents:
            return prefix
        return label

    def _ranked(self, scores: dict[str, float]) -> list[tuple]:
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        length = self.config["ranking_length"]
        return ranked[:length] if length > 0 else ranked

    def _selector_prediction(self, scores: dict[str, float]) -> dict[str, Any]:
        """A ResponseSelector-shaped prediction over one retrieval intent's keys."""
        total = sum(scores.values())
        if total > 0:
            conditional = {key: p / total for key, p in scores.items()}
        else:
            conditional = {key: 1.0 / len(scores) for key in scores}
        best_key, best_confidence = self._ranked(conditional)[0]
        utter_action = intent_response_key_to_template_key(best_key)
        responses = self.responses.get(utter_action) or [{TEXT: best_key}]
        return {
            RESPONSE_SELECTOR_PREDICTION_KEY: {
                RESPONSE_SELECTOR_RESPONSES_KEY: responses,
                PREDICTED_CONFIDENCE_KEY: float(best_confidence),
                INTENT_RESPONSE_KEY: best_key,
                RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter_action,
            },
            RESPONSE_SELECTOR_RANKING_KEY: [
                {PREDICTED_CONFIDENCE_KEY: float(p), INTENT_RESPONSE_KEY: key}
                for key, p in self._ranked(conditional)
            ],
        }

    def _annotate(self, message: Message, probs: np.ndarray) -> None:
        by_intent: dict[str, float] = defaultdict(float)
        by_retrieval: dict[str, dict[str, float]] = defaultdict(dict)
        for label, p in zip(self.labels, probs):
            group = self._group_of(label)
            by_intent[group] += float(p)
            if group != label:
                by_retrieval[group][label] = float(p)

        ranking = [
            {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: p}
            for name, p in self._ranked(by_intent)
        ]
        message.set(INTENT, dict(ranking[0]), add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

        if not by_retrieval:
            return
        selector = dict(message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {})
        selector[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = list(self.retrieval_intents)
        for retrieval_intent, scores in sorted(by_retrieval.items()):
            selector[retrieval_intent] = self._selector_prediction(scores)
        message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selector, add_to_output=True)

    @staticmethod
    def _no_prediction(message: Message) -> None:
        message.set(
            INTENT,
            {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0},
            add_to_output=True,
        )
        message.set(INTENT_RANKING_KEY, [], add_to_output=True)

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets intent, intent_ranking and response_selector on each message."""
        featurized = []
        for message in messages:
            vector = self._features(message) if self.labels else None
            if vector is None:
                self._no_prediction(message)
            else:
                featurized.append((message, vector))
        if not featurized:
            return messages
        probs = self.probabilities(np.vstack([v for _, v in featurized]))
        for (message, _), row in zip(featurized, probs):
            self._annotate(message, row)
        return messages

    # ------------------------------------------------------------------ persistence

    def persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as model_dir:
            rasa.shared.utils.io.dump_obj_as_json_to_file(
                model_dir / META_FILE,
                {
                    "labels": self.labels,
                    "retrieval_intents": self.retrieval_intents,
                    "responses": self.responses,
                },
            )
            if self.clf is not None:
                sio.dump(self.clf, model_dir / MODEL_FILE)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EmbeddingIntentClassifier:
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as model_dir:
                meta = rasa.shared.utils.io.read_json_file(model_dir / META_FILE)
                clf = None
                model_file = model_dir / MODEL_FILE
                if model_file.exists():
                    untrusted = sio.get_untrusted_types(file=model_file)
                    if untrusted:
                        raise RasaException(
                            f"{model_file} holds unexpected types {untrusted}; "
                            f"refusing to load it."
                        )
                    clf = sio.load(model_file, trusted=False)
        except ValueError as exc:
            # the resource does not exist: training saw no data (see train())
            logger.debug("No trained %s in the model (%s).", cls.__name__, exc)
            return cls.create(config, model_storage, resource, execution_context)
        return cls(
            config,
            model_storage,
            resource,
            clf=clf,
            labels=meta["labels"],
            retrieval_intents=meta["retrieval_intents"],
            responses=meta["responses"],
        )

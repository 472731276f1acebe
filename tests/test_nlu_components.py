"""Tests of the NLU components: encoder conversion, sentence featurizer, embedding classifier.

Everything runs the real converted all-MiniLM-L6-v2 (build/minilm-tf, built here when
missing), real Rasa TrainingData, model storage, actions and a real trained Rasa model.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import safetensors.numpy
from rasa.core.actions.action import ActionRetrieveResponse
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import encoder as encoder_module
from bot.nlu.embedding_classifier import EmbeddingIntentClassifier
from bot.nlu.sentence_featurizer import SentenceEncoderFeaturizer, shared_encoder

REPO_ROOT = Path(__file__).resolve().parents[1]
ENCODER_DIR = REPO_ROOT / "build" / "minilm-tf"

NLU_YAML = """
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hi
    - hello there
    - hey
    - good morning
    - hiya, anybody around?
    - good evening bot
    - howdy
    - hey there, quick question
- intent: ask_foreclosure_timeline
  examples: |
    - how long does foreclosure take in Ohio
    - how many months until the bank takes my house
    - how long can I stay after I stop paying
    - what's the foreclosure timeline in Florida
    - when will they kick me out if I stop paying
    - how much time do I have before the auction
    - how fast is foreclosure in Texas
    - how long is the foreclosure process where I live
- intent: faq/short_sale
  examples: |
    - what is a short sale
    - how does a short sale work
    - can I sell my house for less than I owe
    - explain a short sale to me
    - is selling short a good idea
    - what happens in a short sale
    - can I sell the home if I'm underwater
    - do I need the bank's ok to sell for less than the loan
- intent: faq/deed_in_lieu
  examples: |
    - what is a deed in lieu
    - how does a deed in lieu of foreclosure work
    - can I just give the house back to the bank
    - what's a DIL
    - can I hand the keys back to my lender
    - is deed in lieu better than foreclosure
    - sign the house over to the bank instead of foreclosure
    - what does deed in lieu mean
- intent: faq/credit_impact
  examples: |
    - how does foreclosure affect my credit
    - how long does a foreclosure stay on my credit report
    - what will walking away do to my credit score
    - how many points will my score drop
    - does defaulting hurt my credit
    - will my credit be ruined after foreclosure
    - how bad is a foreclosure for my FICO
    - how long until my credit recovers
responses:
  utter_faq/short_sale:
  - text: "A short sale is a sale for less than you owe, with the lender's approval."
  utter_faq/deed_in_lieu:
  - text: "A deed in lieu hands the house to the lender instead of a foreclosure."
  utter_faq/credit_impact:
  - text: "A foreclosure stays on your credit report for seven years."
"""

DOMAIN_YAML = """
version: "3.1"
intents:
  - greet
  - ask_foreclosure_timeline
  - faq
responses:
  utter_greet:
  - text: "Hi!"
  utter_faq/short_sale:
  - text: "A short sale is a sale for less than you owe, with the lender's approval."
  utter_faq/deed_in_lieu:
  - text: "A deed in lieu hands the house to the lender instead of a foreclosure."
  utter_faq/credit_impact:
  - text: "A foreclosure stays on your credit report for seven years."
"""

ROBUSTNESS_TEXTS = [
    "",
    "   ",
    "\n\t",
    "🏠💸😭",
    "¿Puedo perder mi casa si dejo de pagar?",
    "x" * 10_000,
    "how long does foreclosure take " * 400,  # ~12,000 characters, > 256 tokens
    '<script>alert(1)</script> {"intent": "greet"}',
    "/greet",
]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def encoder_dir() -> Path:
    """The converted encoder (normally built by the Makefile; built here if missing)."""
    if not encoder_module.is_built(ENCODER_DIR):
        encoder_module.build(ENCODER_DIR)
    return ENCODER_DIR


@pytest.fixture(scope="session")
def encoder(encoder_dir):
    return shared_encoder(str(encoder_dir))


def _context(node_name: str) -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), node_name=node_name)


def _training_data() -> TrainingData:
    return RasaYAMLReader().reads(NLU_YAML)


@pytest.fixture(scope="module")
def featurizer(encoder_dir) -> SentenceEncoderFeaturizer:
    return SentenceEncoderFeaturizer.create(
        {"model_path": str(encoder_dir)},
        None,  # not trainable: uses no model storage
        None,
        _context("sentence_featurizer"),
    )


@pytest.fixture(scope="module")
def storage_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("model_storage")


@pytest.fixture(scope="module")
def trained(featurizer, storage_dir) -> EmbeddingIntentClassifier:
    storage = LocalModelStorage(storage_dir)
    training_data = featurizer.process_training_data(_training_data())
    classifier = EmbeddingIntentClassifier.create(
        {}, storage, Resource("embedding_classifier"), _context("embedding_classifier")
    )
    classifier.train(training_data)
    return classifier


def _parse(featurizer, classifier, texts: list[str]) -> list[Message]:
    messages = [Message(data={TEXT: t}) for t in texts]
    featurizer.process(messages)
    classifier.process(messages)
    return messages


# ---------------------------------------------------------------- encoder


def _reference_embedding(weights: dict[str, np.ndarray], ids: list[int]) -> np.ndarray:
    """all-MiniLM-L6-v2 forward pass in plain numpy from the original safetensors
    weights (BERT: 6 layers, 12 heads, hidden 384), mean-pooled and normalized."""
    from scipy.special import erf

    def norm(x, g, b):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * weights[g] + weights[b]

    ids = np.asarray(ids)
    n = len(ids)
    x = (
        weights["embeddings.word_embeddings.weight"][ids]
        + weights["embeddings.position_embeddings.weight"][:n]
        + weights["embeddings.token_type_embeddings.weight"][0]
    )
    x = norm(x, "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias")
    for layer in range(6):
        p = f"encoder.layer.{layer}."

        def dense(h, name, p=p):
            return h @ weights[p + name + ".weight"].T + weights[p + name + ".bias"]

        def heads(h):
            return h.reshape(n, 12, 32).transpose(1, 0, 2)

        q = heads(dense(x, "attention.self.query"))
        k = heads(dense(x, "attention.self.key"))
        v = heads(dense(x, "attention.self.value"))
        att = q @ k.transpose(0, 2, 1) / np.sqrt(32)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(1, 0, 2).reshape(n, 384)
        x = norm(
            x + dense(ctx, "attention.output.dense"),
            p + "attention.output.LayerNorm.weight",
            p + "attention.output.LayerNorm.bias",
        )
        h = dense(x, "intermediate.dense")
        h = 0.5 * h * (1 + erf(h / np.sqrt(2)))
        x = norm(
            x + dense(h, "output.dense"),
            p + "output.LayerNorm.weight",
            p + "output.LayerNorm.bias",
        )
    e = x.mean(0)
    return e / np.linalg.norm(e)


def test_converted_encoder_reproduces_the_original_weights(encoder):
    weights = safetensors.numpy.load_file(
        str(encoder_module.source_folder() / "model.safetensors")
    )
    texts = ["hi", "Can my lender sue me in Florida if I walk away?", "", "🏠💸"]
    embeddings = encoder.encode(texts)
    for text, embedding in zip(texts, embeddings):
        expected = _reference_embedding(weights, encoder.tokenize([text])[0])
        np.testing.assert_allclose(embedding, expected, atol=1e-4)


def test_encoder_embeddings_are_normalized_and_batch_independent(encoder):
    texts = [
        "short sale",
        "what is a deed in lieu of foreclosure and is it better?",
        "hi",
    ]
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert together.shape == (3, 384) and together.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(together, alone, atol=1e-5)
    assert encoder.encode([]).shape == (0, 384)


def test_encoder_truncates_long_texts_at_256_tokens(encoder):
    ids = encoder.tokenize(["mortgage " * 1000])[0]
    assert len(ids) == 256
    assert ids[0] == encoder._tokenizer.cls_token_id
    assert ids[-1] == encoder._tokenizer.sep_token_id


def test_encoder_similarity_follows_meaning(encoder):
    a, b, c = encoder.encode(
        [
            "how long does foreclosure take",
            "how many months until they take my house",
            "what's the weather like today",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.2


def test_build_is_idempotent(encoder_dir):
    before = (encoder_dir / "tf_model.h5").stat().st_mtime_ns
    assert encoder_module.main([str(encoder_dir)]) == 0
    assert (encoder_dir / "tf_model.h5").stat().st_mtime_ns == before


def test_missing_encoder_is_reported_with_the_build_command(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m bot.nlu.encoder"):
        encoder_module.SentenceEncoder(tmp_path / "nothing-here")


# ---------------------------------------------------------------- featurizer


def test_featurizer_adds_one_dense_sentence_feature(featurizer):
    messages = [
        Message(data={TEXT: "what is a short sale"}),
        Message(data={"intent": "greet"}),
    ]
    featurizer.process(messages)
    features = messages[0].features
    assert len(features) == 1
    (feature,) = features
    assert feature.type == FEATURE_TYPE_SENTENCE
    assert feature.attribute == TEXT
    assert feature.origin == "sentence_featurizer"
    assert feature.features.shape == (1, 384)
    assert abs(np.linalg.norm(feature.features) - 1.0) < 1e-5
    sequence, sentence = messages[0].get_dense_features(TEXT)
    assert sequence is None and sentence is not None
    assert messages[1].features == []  # no text, nothing to featurize


def test_featurizer_shares_one_encoder_per_process(featurizer, encoder_dir):
    other = SentenceEncoderFeaturizer.create(
        {"model_path": str(encoder_dir)}, None, None, _context("other")
    )
    assert other.encoder is featurizer.encoder


@pytest.mark.parametrize(
    "config",
    [{"model_path": ""}, {"max_tokens": 0}, {"max_tokens": 1024}, {"batch_size": "8"}],
)
def test_featurizer_rejects_bad_config(config):
    with pytest.raises(InvalidConfigException):
        SentenceEncoderFeaturizer.create(
            {"model_path": "build/minilm-tf", **config}, None, None, _context("f")
        )


# ---------------------------------------------------------------- classifier


def test_classifier_labels_are_intents_and_faq_keys(trained):
    assert trained.labels == [
        "ask_foreclosure_timeline",
        "faq/credit_impact",
        "faq/deed_in_lieu",
        "faq/short_sale",
        "greet",
    ]
    assert trained.retrieval_intents == ["faq"]
    assert set(trained.responses) == {
        "utter_faq/short_sale",
        "utter_faq/deed_in_lieu",
        "utter_faq/credit_impact",
    }


@pytest.mark.parametrize(
    "text, intent, key",
    [
        ("hello!", "greet", None),
        (
            "how long until the foreclosure is over in Georgia",
            "ask_foreclosure_timeline",
            None,
        ),
        (
            "can I sell my home for less than the mortgage balance",
            "faq",
            "faq/short_sale",
        ),
        ("could I just give the keys back to the bank", "faq", "faq/deed_in_lieu"),
        (
            "will my credit score tank if I get foreclosed on",
            "faq",
            "faq/credit_impact",
        ),
    ],
)
def test_classifier_predicts_unseen_phrasings(featurizer, trained, text, intent, key):
    (message,) = _parse(featurizer, trained, [text])
    assert message.get("intent")["name"] == intent
    if key:
        assert (
            message.get("response_selector")["faq"]["response"]["intent_response_key"]
            == key
        )


def test_faq_prediction_has_the_response_selector_shape(featurizer, trained):
    (message,) = _parse(
        featurizer, trained, ["what's a short sale and how does it work?"]
    )
    vector = message.get_dense_features(TEXT)[1].features.reshape(1, -1)
    probs = dict(zip(trained.labels, trained.probabilities(vector)[0]))
    faq_total = sum(p for label, p in probs.items() if label.startswith("faq/"))

    intent = message.get("intent")
    assert intent == {"name": "faq", "confidence": pytest.approx(faq_total)}
    ranking = message.get("intent_ranking")
    assert ranking[0]["name"] == "faq"
    assert {r["name"] for r in ranking} == {"faq", "greet", "ask_foreclosure_timeline"}
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)

    selector = message.get("response_selector")
    assert set(selector) == {"all_retrieval_intents", "faq"}
    assert selector["all_retrieval_intents"] == ["faq"]
    response = selector["faq"]["response"]
    assert set(response) == {
        "responses",
        "confidence",
        "intent_response_key",
        "utter_action",
    }
    assert response["intent_response_key"] == "faq/short_sale"
    assert response["utter_action"] == "utter_faq/short_sale"
    assert response["responses"] == [
        {
            "text": "A short sale is a sale for less than you owe, with the lender's approval."
        }
    ]
    assert response["confidence"] == pytest.approx(probs["faq/short_sale"] / faq_total)
    faq_ranking = selector["faq"]["ranking"]
    assert [set(r) for r in faq_ranking] == [{"confidence", "intent_response_key"}] * 3
    assert faq_ranking[0] == {
        "confidence": response["confidence"],
        "intent_response_key": "faq/short_sale",
    }
    assert sum(r["confidence"] for r in faq_ranking) == pytest.approx(1.0)
    # everything that goes into the parse result must be JSON-serializable
    json.dumps(message.as_dict(only_output_properties=True))


def test_ranking_is_cut_at_ranking_length(featurizer, tmp_path):
    storage = LocalModelStorage(tmp_path)
    classifier = EmbeddingIntentClassifier.create(
        {"ranking_length": 2}, storage, Resource("short"), _context("short")
    )
    classifier.train(featurizer.process_training_data(_training_data()))
    (message,) = _parse(featurizer, classifier, ["what is a deed in lieu"])
    assert len(message.get("intent_ranking")) == 2
    assert len(message.get("response_selector")["faq"]["ranking"]) == 2


async def test_utter_faq_answers_with_the_predicted_key(featurizer, trained):
    """ActionRetrieveResponse (utter_faq) reads our response_selector output."""
    (message,) = _parse(
        featurizer, trained, ["can I give my house back to the lender?"]
    )
    parse_data = message.as_dict(only_output_properties=True)
    domain = Domain.from_yaml(DOMAIN_YAML)
    tracker = DialogueStateTracker.from_events(
        "test",
        [UserUttered(parse_data[TEXT], parse_data["intent"], parse_data=parse_data)],
    )
    events = await ActionRetrieveResponse("utter_faq").run(
        CollectingOutputChannel(),
        TemplatedNaturalLanguageGenerator(domain.responses),
        tracker,
        domain,
    )
    assert len(events) == 1 and isinstance(events[0], BotUttered)
    assert events[0].text == (
        "A deed in lieu hands the house to the lender instead of a foreclosure."
    )


@pytest.mark.parametrize("text", ROBUSTNESS_TEXTS, ids=lambda t: repr(t[:20]))
def test_odd_inputs_get_a_valid_prediction(featurizer, trained, text):
    (message,) = _parse(featurizer, trained, [text])
    intent = message.get("intent")
    assert intent["name"] in {"greet", "ask_foreclosure_timeline", "faq"}
    assert 0.0 <= intent["confidence"] <= 1.0
    assert message.get("response_selector")["faq"]["response"][
        "intent_response_key"
    ].startswith("faq/")


def test_message_without_text_gets_no_intent(featurizer, trained):
    message = Message(data={"intent": "greet"})  # e.g. a story turn without text
    featurizer.process([message])
    trained.process([message])
    assert message.get("intent") == {"name": None, "confidence": 0.0}
    assert message.get("intent_ranking") == []


def test_persisted_classifier_loads_and_predicts_the_same(
    featurizer, trained, storage_dir
):
    texts = ["what is a deed in lieu", "hey", "how long does foreclosure take in Iowa"]
    before = [
        m.as_dict(only_output_properties=True)
        for m in _parse(featurizer, trained, texts)
    ]
    loaded = EmbeddingIntentClassifier.load(
        {},
        LocalModelStorage(storage_dir),
        Resource("embedding_classifier"),
        _context("embedding_classifier"),
    )
    after = [
        m.as_dict(only_output_properties=True)
        for m in _parse(featurizer, loaded, texts)
    ]
    assert after == before
    assert loaded.labels == trained.labels and loaded.responses == trained.responses


def test_untrained_classifier_predicts_nothing(featurizer, tmp_path):
    storage = LocalModelStorage(tmp_path)
    classifier = EmbeddingIntentClassifier.create(
        {}, storage, Resource("empty"), _context("e")
    )
    classifier.train(TrainingData())
    loaded = EmbeddingIntentClassifier.load(
        {}, storage, Resource("empty"), _context("e")
    )
    for component in (classifier, loaded):
        (message,) = _parse(featurizer, component, ["hello"])
        assert message.get("intent") == {"name": None, "confidence": 0.0}


def test_single_label_is_always_predicted(featurizer, tmp_path):
    data = featurizer.process_training_data(
        RasaYAMLReader().reads(
            'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n    - hello\n'
        )
    )
    classifier = EmbeddingIntentClassifier.create(
        {}, LocalModelStorage(tmp_path), Resource("one"), _context("one")
    )
    classifier.train(data)
    (message,) = _parse(featurizer, classifier, ["what is a short sale"])
    assert message.get("intent") == {"name": "greet", "confidence": 1.0}
    assert message.get("response_selector") is None


@pytest.mark.parametrize(
    "config", [{"C": 0}, {"class_weight": "auto"}, {"ranking_length": -1}]
)
def test_classifier_rejects_bad_config(config):
    with pytest.raises(InvalidConfigException):
        EmbeddingIntentClassifier.validate_config(config)


# ---------------------------------------------------------------- a real Rasa model


@pytest.fixture(scope="module")
def trained_model(tmp_path_factory, encoder_dir) -> Path:
    """`rasa train nlu` with the components named by module path, as in bot/config.yml."""
    from rasa.model_training import train_nlu

    root = tmp_path_factory.mktemp("rasa_model")
    (root / "nlu.yml").write_text(NLU_YAML)
    (root / "domain.yml").write_text(DOMAIN_YAML)
    (root / "config.yml").write_text(
        f"""
recipe: default.v1
language: en
assistant_id: test
pipeline:
  - name: WhitespaceTokenizer
  - name: bot.nlu.sentence_featurizer.SentenceEncoderFeaturizer
    model_path: {encoder_dir}
  - name: bot.nlu.embedding_classifier.EmbeddingIntentClassifier
  - name: FallbackClassifier
    threshold: 0.3
policies: []
"""
    )
    model = train_nlu(
        str(root / "config.yml"),
        str(root / "nlu.yml"),
        str(root / "models"),
        fixed_model_name="nlu",
        domain=str(root / "domain.yml"),
    )
    assert model
    return Path(model)


async def test_trained_model_parses_like_a_response_selector(trained_model):
    from rasa.core.agent import Agent

    agent = Agent.load(str(trained_model))
    parse = await agent.parse_message("how does selling short work?")
    assert parse["intent"]["name"] == "faq"
    # the processor derives this from response_selector; TED and stories rely on it
    assert parse["intent"]["full_retrieval_intent_name"] == "faq/short_sale"
    assert (
        parse["response_selector"]["faq"]["response"]["utter_action"]
        == "utter_faq/short_sale"
    )
    for text in ROBUSTNESS_TEXTS[:6]:
        result = await agent.parse_message(text)
        assert result["intent"]["name"] in {
            "greet",
            "ask_foreclosure_timeline",
            "faq",
            "nlu_fallback",
        }


async def test_rasa_test_nlu_scores_faq_keys(trained_model):
    """The response-selection evaluation of `rasa test nlu` sees our FAQ keys."""
    from rasa.core.agent import Agent
    from rasa.nlu.test import get_eval_data

    agent = Agent.load(str(trained_model))
    test_data = RasaYAMLReader().reads(
        """
version: "3.1"
nlu:
- intent: faq/short_sale
  examples: |
    - what's a short sale?
- intent: faq/credit_impact
  examples: |
    - does foreclosure wreck my credit score
- intent: greet
  examples: |
    - hello hello
"""
    )
    intents, responses, _ = await get_eval_data(agent.processor, test_data)
    assert [(r.intent_target, r.intent_prediction) for r in intents] == [
        ("faq", "faq"),
        ("faq", "faq"),
        ("greet", "greet"),
    ]
    assert [
        (r.intent_response_key_target, r.intent_response_key_prediction)
        for r in responses
    ][:2] == [
        ("faq/short_sale", "faq/short_sale"),
        ("faq/credit_impact", "faq/credit_impact"),
    ]

"""The real WalkawayEntityExtractor on the real project spaCy pipeline (built by bot.nlu.spacy_pipeline)."""

import json
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import fact_patterns, spacy_pipeline
from bot.nlu.entity_normalizer import ALL_ENTITIES, WalkawayEntityExtractor
from knowledge.vocabulary import states


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory):
    return spacy_pipeline.write(tmp_path_factory.mktemp("spacy") / "spacy-walkaway")


@pytest.fixture(scope="module")
def components(pipeline_dir, tmp_path_factory):
    """SpacyNLP -> SpacyTokenizer -> WalkawayEntityExtractor, created the way Rasa's graph creates them."""
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    context = ExecutionContext(GraphSchema({}), "test")

    def make(cls, config, name):
        return cls.create({**cls.get_default_config(), **config}, storage, Resource(name), context)

    nlp = make(SpacyNLP, {"model": str(pipeline_dir)}, "nlp")
    tokenizer = make(SpacyTokenizer, {}, "tok")
    extractor = make(WalkawayEntityExtractor, {}, "ents")
    return nlp, tokenizer, extractor


def run(components, text, extractor=None):
    nlp, tokenizer, default_extractor = components
    model = nlp.provide()
    messages = [Message({"text": text})]
    nlp.process(messages, model)
    tokenizer.process(messages)
    (extractor or default_extractor).process(messages, model)
    return messages[0].get("entities", [])


def simple(entities):
    out = []
    for e in entities:
        item = (e["entity"], e["value"])
        if "role" in e:
            item += (e["role"],)
        out.append(item)
    return out


def test_the_example_sentence(components):
    text = "I'm in Texas, it's worth 200k, I owe 260k, 2 months behind"
    ents = run(components, text)
    assert simple(ents) == [
        ("us_state", "TX"),
        ("amount", 200000, "home_value"),
        ("amount", 260000, "loan_balance"),
        ("months", 2),
        ("payment_status", "behind"),
    ]
    for e in ents:
        assert e["extractor"] == "WalkawayEntityExtractor" and e["confidence"] == 1.0
        assert text[e["start"]:e["end"]] in ("Texas", "200k", "260k", "2 months", "behind")
    # JSON numbers: 200000 not 200000.0, months an integer
    assert json.loads(json.dumps(ents))[1]["value"] == 200000 and type(ents[1]["value"]) is int
    assert type(ents[3]["value"]) is int


@pytest.mark.parametrize(
    "text,expected",
    [
        ("I live in Ohio", [("us_state", "OH")]),
        ("hi", []),
        ("ok", []),
        ("OK", []),
        ("Is it OK to walk away?", [("alternative", "foreclosure")]),
        ("Tulsa, OK", [("us_state", "OK")]),
        ("I have a VA loan in Virginia", [("us_state", "VA")]),
        ("tx", [("us_state", "TX")]),
        ("pa", [("us_state", "PA")]),
        ("Washington DC", [("us_state", "DC")]),
        ("I moved from Kansas to Arkansas", [("us_state", "KS"), ("us_state", "AR")]),
        ("about 190000", [("amount", 190000)]),
        ("$1.2 million", [("amount", 1200000)]),
        ("three hundred fifty thousand is what I owe", [("amount", 350000, "loan_balance")]),
        ("I make $5,000 a month", [("amount", 5000)]),
        ("Zillow says 310k, payoff is $287,400.50",
         [("amount", 310000, "home_value"), ("amount", 287400.5, "loan_balance")]),
        ("we bought in 2021 for 400k", [("loan_year", 2021), ("amount", 400000)]),
        ("missed two payments", [("payment_status", "behind"), ("months", 2)]),
        ("six months", [("months", 6)]),
        ("short sale vs deed in lieu?", [("alternative", "short_sale"), ("alternative", "deed_in_lieu")]),
        ("can I get a mod or should I let it foreclose",
         [("alternative", "loan_modification"), ("alternative", "foreclosure")]),
        ("I'm in N. Carolina, 3 months late, thinking about chapter 7",
         [("us_state", "NC"), ("months", 3), ("payment_status", "behind"), ("alternative", "bankruptcy")]),
    ],
)
def test_sentences(components, text, expected):
    assert simple(run(components, text)) == expected


def test_entities_are_appended_to_earlier_ones(components):
    nlp, tokenizer, extractor = components
    model = nlp.provide()
    earlier = {"entity": "other", "value": "x", "start": 0, "end": 1}
    message = Message({"text": "I live in Utah", "entities": [earlier]})
    nlp.process([message], model)
    tokenizer.process([message])
    extractor.process([message], model)
    assert [e["entity"] for e in message.get("entities")] == ["other", "us_state"]


def test_config_selects_entities(components):
    only_states = WalkawayEntityExtractor({"entities": ["us_state"]})
    ents = run(components, "I'm in Texas and owe 300k, short sale?", only_states)
    assert simple(ents) == [("us_state", "TX")]
    with pytest.raises(ValueError):
        WalkawayEntityExtractor({"entities": ["zip_code"]})


def test_works_without_a_spacy_model():
    message = Message({"text": "I'm in Texas and owe 300k"})
    WalkawayEntityExtractor({}).process([message])
    assert simple(message.get("entities")) == [("us_state", "TX"), ("amount", 300000, "loan_balance")]


def test_ruler_proposes_what_the_vocabulary_accepts(pipeline_dir):
    """Every state the vocabulary finds in a sentence is also an entity_ruler span with that code."""
    import spacy

    nlp = spacy.load(pipeline_dir)
    sentences = []
    for code in states.STATES:
        spellings = states.variants(code)
        sentences += [f"I live in {s} now" for s in spellings["names"]]
        sentences += [f"I moved to {s.upper()}." for s in spellings["names"]]
        sentences += [f"I moved to {s}..." for s in spellings["names"]]
        sentences += [f"({s}, I think)" for s in spellings["names"]]
        sentences += [f"I'm from {w}" for w in spellings["words"]]
        sentences += [f"I live in {code}", f"Springfield, {code} 12345", f"from {code.lower()}"]
    missing = []
    for text in sentences:
        doc = nlp(text)
        ents = [(e.start_char, e.end_char, e.ent_id_) for e in doc.ents if e.label_ == spacy_pipeline.LABEL]
        for m in states.find(text):
            if not any(s < m.end and m.start < e and cid == m.value for s, e, cid in ents):
                missing.append((text, m.text))
    assert missing == []


def test_ruler_keeps_ordinary_words_out_of_doc_ents(pipeline_dir):
    import spacy

    nlp = spacy.load(pipeline_dir)
    doc = nlp("hi, I'm in over my head, ok? I miss my house and me and my wife are ill")
    assert [e.text for e in doc.ents] == []
    doc = nlp("Kansas City is where I live")  # the city hides the state; "where I live" is a fact
    assert [e.label_ for e in doc.ents if e.label_ != fact_patterns.FACT_LABEL] == [spacy_pipeline.NOT_LABEL]


def test_build_is_idempotent_and_careful(tmp_path):
    target = tmp_path / "spacy-walkaway"
    spacy_pipeline.write(target)
    first = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    spacy_pipeline.write(target)
    second = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert first == second and any(str(p).endswith("patterns.jsonl") for p in first)
    meta = json.loads((target / "meta.json").read_text())
    assert meta["name"] == "walkaway" and meta["lang"] == "en"
    other = tmp_path / "precious"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        spacy_pipeline.write(other)
    assert (other / "notes.txt").read_text() == "keep me"
    assert spacy_pipeline.main([]) == 2


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x02\x7f", "🏠💸😭 I owe 💯k", "Привет, я живу в Техасе", "東京に住んでいます 300万円",
        "مرحبا 300k", "\u202e\u200b\ufeff Texas", "$" * 1000, "9" * 5000, "k" * 10000, "a " * 20000,
        "I'm in Texas and owe 300k. " * 2000, "İstanbul ǅ ß ﬁ Texas", "\n\n\t", ".",
    ],
)
def test_never_crashes_on_odd_text(components, text):
    ents = run(components, text)
    for e in ents:
        assert 0 <= e["start"] < e["end"] <= len(text)
    json.dumps(ents)


def test_extractor_reads_only_the_start_of_a_huge_message(components):
    nlp, _, extractor = components
    text = "I'm in Texas and owe 300k. " * 80000  # 2 MB: more than spaCy's max_length
    message = Message({"text": text})
    extractor.process([message], nlp.provide())
    ents = message.get("entities")
    assert ents and max(e["end"] for e in ents) <= extractor.get_default_config()["max_chars"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_random_text_never_crashes(components, text):
    if not text.strip():
        return
    for e in run(components, text):
        assert e["entity"] in ALL_ENTITIES
        assert text[e["start"]:e["end"]]


def test_in_a_trained_rasa_model(pipeline_dir, tmp_path):
    """The component as configured in config.yml, through rasa train nlu and Agent.parse_message."""
    import asyncio

    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    (tmp_path / "config.yml").write_text(textwrap.dedent(f"""\
        recipe: default.v1
        language: en
        assistant_id: entity-test
        pipeline:
          - name: SpacyNLP
            model: {pipeline_dir}
          - name: SpacyTokenizer
          - name: bot.nlu.entity_normalizer.WalkawayEntityExtractor
          - name: KeywordIntentClassifier
        policies: []
        """))
    (tmp_path / "nlu.yml").write_text(textwrap.dedent("""\
        version: "3.1"
        nlu:
        - intent: inform
          examples: |
            - I live in Texas
            - I owe 300k
        - intent: greet
          examples: |
            - hello
            - hi there
        """))
    model = train_nlu(str(tmp_path / "config.yml"), str(tmp_path / "nlu.yml"), str(tmp_path / "models"),
                      fixed_model_name="entities")
    agent = Agent.load(model)
    result = asyncio.run(agent.parse_message("Portland, OR: worth 240k, I owe 300k, missed two payments. OK?"))
    assert simple(result["entities"]) == [
        ("us_state", "OR"),
        ("amount", 240000, "home_value"),
        ("amount", 300000, "loan_balance"),
        ("payment_status", "behind"),
        ("months", 2),
    ]

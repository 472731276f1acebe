"""FAQ answers (bot/domain/faq.yml) and FAQ training data (data/nlu/faq.yml).

Checks the content users see: every FAQ key of the conversation contract has an answer,
each answer states the facts it must (shared/reference/domain-facts.md), ends with a next
step and fits a chat bubble; and the training / held-out examples are sufficient, separate
and free of state names (a question naming a state is `ask_state_rules`, not an FAQ).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Dict, List

import pytest
import yaml
from rasa.shared.core.domain import Domain

from knowledge.vocabulary import states

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT.parent / "shared" / "reference" / "walk-away-guide.txt"

# The 21 keys of shared/spec/conversation-contract.md (public names, fixed).
CONTRACT_FAQ_KEYS = [
    "walk_away_meaning",
    "strategic_default",
    "walk_away_consequences",
    "deficiency_judgment",
    "credit_impact",
    "protect_credit",
    "refinance",
    "loan_modification",
    "short_sale",
    "deed_in_lieu",
    "walk_away_process",
    "need_lawyer",
    "remove_from_mortgage",
    "get_out_of_mortgage",
    "undo_mortgage",
    "skip_payments",
    "underwater_meaning",
    "forbearance",
    "bankruptcy",
    "tax_consequences",
    "new_mortgage_wait",
]

# Keys added for issue 10 (the questions asked right after "should I walk away?"), listed in
# README.md under "FAQ keys". Each has sources in knowledge/data/faq_sources.yaml.
NEW_FAQ_KEYS = [
    "modification_while_current",
    "zombie_second_mortgage",
    "buy_and_bail",
    "foreclosure_rescue_scams",
    "deficiency_collection",
    "tenants_in_foreclosure",
    "credit_report_dispute",
    "cash_for_keys",
    "costs_until_sale",
    "form_1099a_vs_1099c",
    "credit_counseling",
]
FAQ_KEYS = CONTRACT_FAQ_KEYS + NEW_FAQ_KEYS
FAQ_SOURCES = ROOT / "knowledge" / "data" / "faq_sources.yaml"
FAQ_REVIEW_DATE = dt.date(2026, 11, 30)

# Regular intents of the contract: the only targets a `/intent` button may use.
CONTRACT_INTENTS = {
    "greet", "goodbye", "affirm", "deny", "thank_you", "bot_challenge", "help",
    "out_of_scope", "inform", "assess_situation", "ask_state_rules",
    "ask_walkaway_states", "ask_foreclosure_timeline", "compare_options",
    "human_handoff", "restart", "forget_me",
}

# Facts each answer must state (regexes, case-insensitive, matched on the text with the
# markdown emphasis removed). Sources: shared/reference/domain-facts.md.
RANGE = r"\s*[–-]\s*"
REQUIRED_FACTS: Dict[str, List[str]] = {
    "walk_away_meaning": [
        r"jingle mail", r"keys", r"(legal )?owner", r"foreclosure sale|deed in lieu",
        r"property tax",
    ],
    "strategic_default": [
        r"\blegal\b", r"afford", r"not a crime|isn't a crime", r"deficiency judgment",
        r"7 years",
    ],
    "walk_away_consequences": [
        r"7 years", r"deficiency judgment", r"difference", r"1099-C", r"still the owner",
        r"property taxes", r"HOA", r"state",
    ],
    "deficiency_judgment": [
        r"difference|shortfall", r"deficiency judgment", r"court", r"garnish",
        r"\bbar\b|forbid|prohibit", r"fair market value", r"state",
    ],
    "credit_impact": [
        r"FICO", r"2011",
        rf"680 down to about 575{RANGE}595", rf"720 down to about 570{RANGE}590",
        rf"780 down to about 620{RANGE}640", r"7 years", r"10",
    ],
    "protect_credit": [
        r"refinance", r"loan modification", r"forbearance", r"short sale",
        r"deed in lieu", r"sell",
    ],
    "refinance": [
        r"current on your payments", r"underwater", r"HARP", r"ended",
        r"FHA Streamline", r"VA IRRRL",
    ],
    "loan_modification": [
        r"permanent", r"hardship", r"trial plan", r"servicer",
    ],
    "short_sale": [
        r"less than you owe", r"approve", r"waiver of the deficiency in writing",
        r"California", r"4 years",
    ],
    "deed_in_lieu": [
        r"sign the house over", r"agree", r"waiver of any deficiency", r"4 years",
        r"FHA.*3 years",
    ],
    "walk_away_process": [
        r"15 days", r"30 days", r"more than 120 days", r"foreclosure", r"auction|sale",
        r"still own the home", r"property taxes", r"HOA",
    ],
    "need_lawyer": [
        r"real-estate|real estate", r"bankruptcy attorney", r"lawyer referral",
        r"state bar", r"deficiency",
    ],
    "remove_from_mortgage": [
        r"refinance", r"sell", r"release of liability", r"quitclaim|divorce",
        r"both .*liable|liable",
    ],
    "get_out_of_mortgage": [
        r"paid off", r"sell", r"short sale", r"deed in lieu", r"foreclosure",
    ],
    "undo_mortgage": [
        r"right of rescission", r"(3|three) business days", r"refinance",
        r"home-equity|HELOC", r"new lender", r"principal residence",
        r"not\W+(?:\w+\W+){0,3}purchase loans",
    ],
    "skip_payments": [
        r"grace period", r"15 days", r"late fee", r"30 days", r"Regulation X",
        r"12 CFR 1024\.41\(f\)", r"more than 120 days",
    ],
    "underwater_meaning": [
        r"owe more", r"upside down", r"negative equity",
    ],
    "forbearance": [
        r"temporary", r"hardship", r"not forgiven", r"pay it back|repay",
    ],
    "bankruptcy": [
        r"automatic stay", r"Chapter 7", r"Chapter 13", r"deficiency", r"foreclos",
    ],
    "tax_consequences": [
        r"1099-C", r"taxable income", r"exclusion", r"principal residence", r"2025",
        r"uncertain", r"insolvency", r"non-recourse", r"treated as a sale",
    ],
    "new_mortgage_wait": [
        r"Fannie Mae", r"7 years after a foreclosure", r"4 years after a short sale or deed in lieu",
        r"2 with extenuating circumstances", r"FHA: 3 years", r"VA: about 2 years",
        r"USDA: 3 years", r"unconfirmed",
    ],
    # issue 10
    "modification_while_current": [
        r"don't have to fall behind", r"imminent default", r"Regulation X", r"12 CFR 1024\.41",
        r"complete application", r"120 days", r"late fees", r"credit",
    ],
    "zombie_second_mortgage": [
        r"second mortgage|HELOC", r"validation in writing", r"FDCPA", r"Regulation F",
        r"don't confirm or pay", r"statute of limitations", r"varies by state",
        r"time-barred", r"not sue", r"CFPB",
    ],
    "buy_and_bail": [
        r"lying on the loan application", r"mortgage fraud", r"occupancy", r"Lenders check",
        r"honest route", r"waiting period", r"7 years after a foreclosure", r"FHA 3 years",
    ],
    "foreclosure_rescue_scams": [
        r"MARS rule", r"Regulation O, 12 CFR 1015", r"upfront fee", r"can't charge",
        r"Red flags", r"stop paying", r"sign over the deed", r"HUD-approved housing counselors",
        r"free",
    ],
    "deficiency_collection": [
        r"deficiency judgment", r"wage garnishment", r"25%", r"bank levies", r"judgment liens",
        r"exemptions", r"homestead", r"retirement", r"bankruptcy", r"state",
    ],
    "tenants_in_foreclosure": [
        r"Protecting Tenants at Foreclosure Act", r"90 days' notice", r"lease", r"except",
        r"main home", r"bona fide", r"landlord", r"security deposit", r"state",
    ],
    "credit_report_dispute": [
        r"\$0 balance", r"not as still owing", r"Fair Credit Reporting Act", r"FCRA",
        r"dispute", r"credit bureau", r"30 days", r"furnisher", r"7 years",
    ],
    "cash_for_keys": [
        r"cash for keys", r"move out by an agreed date", r"broom-clean", r"offer, not a right",
        r"new owner", r"amounts vary", r"in writing",
    ],
    "costs_until_sale": [
        r"still the owner", r"property taxes", r"insurance", r"HOA", r"lien", r"upkeep",
        r"vacant", r"deficiency waiver covers only the mortgage", r"state",
    ],
    "form_1099a_vs_1099c": [
        r"1099-A", r"Acquisition or Abandonment", r"fair market value", r"as a sale",
        r"1099-C", r"Cancellation of Debt", r"taxable income", r"same year", r"Publication 4681",
    ],
    "credit_counseling": [
        r"credit counseling", r"nonprofit", r"debt management plan", r"doesn't cover your mortgage",
        r"HUD-approved housing counselor", r"NFCC", r"bankruptcy",
    ],
}

# Answers whose truth depends on the user's state: they must say so and offer the check.
STATE_DEPENDENT = {
    "strategic_default", "walk_away_consequences", "deficiency_judgment", "short_sale",
    "deed_in_lieu", "walk_away_process", "skip_payments", "tax_consequences",
    "deficiency_collection", "costs_until_sale",
}
STATE_CHECK_PAYLOADS = {"/ask_state_rules", "/ask_foreclosure_timeline"}

MAX_PARAGRAPH_CHARS = 700
MAX_ANSWER_CHARS = 1000
MIN_TRAINING_EXAMPLES = 20
MIN_HELDOUT_EXAMPLES = 5
MIN_HELDOUT_EXAMPLES_NEW_KEYS = 6  # issue 10


def _plain(text: str) -> str:
    """The answer without markdown emphasis, so facts match across `**bold**`."""
    return re.sub(r"\*+", "", text)


def _normalize(example: str) -> str:
    return re.sub(r"\W+", " ", example.lower()).strip()


def _faq_examples(path: Path) -> Dict[str, List[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples: Dict[str, List[str]] = {}
    for block in data["nlu"]:
        intent = block["intent"]
        if not intent.startswith("faq/"):
            continue
        lines = [line.strip() for line in block["examples"].splitlines() if line.strip()]
        assert all(line.startswith("- ") for line in lines), intent
        examples.setdefault(intent.split("/", 1)[1], []).extend(line[2:].strip() for line in lines)
    return examples


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain"))


@pytest.fixture(scope="module")
def answers(domain: Domain) -> Dict[str, dict]:
    return {
        name.split("/", 1)[1]: variations[0]
        for name, variations in domain.responses.items()
        if name.startswith("utter_faq/")
    }


@pytest.fixture(scope="module")
def training() -> Dict[str, List[str]]:
    return _faq_examples(ROOT / "data" / "nlu" / "faq.yml")


@pytest.fixture(scope="module")
def heldout() -> Dict[str, List[str]]:
    return _faq_examples(ROOT / "tests" / "nlu" / "heldout_faq.yml")


def test_every_contract_key_has_exactly_one_answer(domain: Domain, answers: Dict[str, dict]) -> None:
    assert sorted(answers) == sorted(FAQ_KEYS)
    assert "faq" in domain.intents
    for key in FAQ_KEYS:
        variations = domain.responses[f"utter_faq/{key}"]
        assert len(variations) == 1, key
        assert variations[0].get("text", "").strip(), key


def test_required_facts_table_covers_every_key() -> None:
    assert sorted(REQUIRED_FACTS) == sorted(FAQ_KEYS)


@pytest.mark.parametrize("key", FAQ_KEYS)
def test_answer_states_the_required_facts(answers: Dict[str, dict], key: str) -> None:
    text = _plain(answers[key]["text"])
    missing = [p for p in REQUIRED_FACTS[key] if not re.search(p, text, re.IGNORECASE | re.DOTALL)]
    assert not missing, f"faq/{key} lacks {missing}"


@pytest.mark.parametrize("key", FAQ_KEYS)
def test_answer_ends_with_a_next_step(answers: Dict[str, dict], key: str) -> None:
    text = answers[key]["text"].strip()
    last_paragraph = text.split("\n\n")[-1]
    offers = re.search(r"\b(want|tell me|I'll|I can|shall I|would you like)\b", last_paragraph, re.I)
    assert text.endswith("?") or offers, f"faq/{key} ends without a question or offer"


@pytest.mark.parametrize("key", FAQ_KEYS)
def test_buttons_target_contract_intents(answers: Dict[str, dict], key: str) -> None:
    for button in answers[key].get("buttons", []):
        assert button["title"].strip() and len(button["title"]) <= 30, button
        payload = button["payload"]
        if payload.startswith("/"):
            assert payload[1:] in CONTRACT_INTENTS, f"faq/{key}: unknown intent in {payload}"
        else:
            # A typed-question payload goes through NLU like a user message.
            assert payload.endswith("?"), payload


@pytest.mark.parametrize("key", FAQ_KEYS)
def test_answer_fits_chat_bubbles(answers: Dict[str, dict], key: str) -> None:
    text = answers[key]["text"]
    assert len(text) <= MAX_ANSWER_CHARS, f"faq/{key} is {len(text)} characters"
    for paragraph in text.split("\n\n"):
        assert paragraph.strip(), f"faq/{key} has an empty paragraph"
        assert len(paragraph) <= MAX_PARAGRAPH_CHARS, f"faq/{key}: {paragraph[:60]}..."
    assert text.count("**") % 2 == 0, f"faq/{key} has unbalanced bold markers"
    # The session start gives the disclaimer once; answers don't repeat it.
    assert "legal advice" not in text.lower()


@pytest.mark.parametrize("key", sorted(STATE_DEPENDENT))
def test_state_dependent_answers_offer_the_state_check(answers: Dict[str, dict], key: str) -> None:
    answer = answers[key]
    assert re.search(r"\bstate\b|\bstate's\b", answer["text"], re.I), key
    payloads = {b["payload"] for b in answer.get("buttons", [])}
    assert payloads & STATE_CHECK_PAYLOADS, f"faq/{key} offers no state check button"


def test_answers_do_not_copy_the_guide(answers: Dict[str, dict]) -> None:
    if not GUIDE.exists():
        pytest.skip(f"{GUIDE} not available")
    guide_words = re.findall(r"[a-z0-9']+", GUIDE.read_text(encoding="utf-8").lower())
    shingles = {" ".join(guide_words[i : i + 8]) for i in range(len(guide_words) - 7)}
    for key, answer in answers.items():
        words = re.findall(r"[a-z0-9']+", _plain(answer["text"]).lower())
        copied = [" ".join(words[i : i + 8]) for i in range(len(words) - 7)
                  if " ".join(words[i : i + 8]) in shingles]
        assert not copied, f"faq/{key} copies the guide: {copied[0]!r}"


def test_every_key_has_enough_training_examples(training: Dict[str, List[str]]) -> None:
    assert sorted(training) == sorted(FAQ_KEYS)
    for key, examples in training.items():
        assert len(examples) >= MIN_TRAINING_EXAMPLES, f"faq/{key}: {len(examples)} examples"


def test_every_key_has_enough_heldout_examples(heldout: Dict[str, List[str]]) -> None:
    assert sorted(heldout) == sorted(FAQ_KEYS)
    for key, examples in heldout.items():
        assert len(examples) >= MIN_HELDOUT_EXAMPLES, f"faq/{key}: {len(examples)} held out"


def test_no_heldout_example_is_in_the_training_data(
    training: Dict[str, List[str]], heldout: Dict[str, List[str]]
) -> None:
    trained = {_normalize(e) for examples in training.values() for e in examples}
    # also against every other training file, so no held-out FAQ text leaks in elsewhere
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    trained.add(_normalize(line.strip()[2:]))
    leaked = [e for examples in heldout.values() for e in examples if _normalize(e) in trained]
    assert not leaked, leaked


def test_training_examples_are_unique_across_keys(training: Dict[str, List[str]]) -> None:
    seen: Dict[str, str] = {}
    for key, examples in training.items():
        for example in examples:
            norm = _normalize(example)
            assert norm not in seen, f"{example!r} in faq/{key} and faq/{seen[norm]}"
            seen[norm] = key


def test_faq_examples_name_no_state(
    training: Dict[str, List[str]], heldout: Dict[str, List[str]]
) -> None:
    names = sorted(states.STATES.values(), key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.I)
    found = [
        (key, e)
        for source in (training, heldout)
        for key, examples in source.items()
        for e in examples
        if pattern.search(e)
    ]
    assert not found, f"state names belong to ask_state_rules, not FAQ: {found}"


def test_faq_rule_answers_then_follows_up() -> None:
    data = yaml.safe_load((ROOT / "data" / "stories" / "faq.yml").read_text(encoding="utf-8"))
    rules = data["rules"]
    assert len(rules) == 1
    assert rules[0]["steps"] == [
        {"intent": "faq"},
        {"action": "utter_faq"},
        {"action": "action_faq_followup"},
    ]


def test_test_stories_cover_every_key() -> None:
    data = yaml.safe_load((ROOT / "tests" / "stories" / "test_faq.yml").read_text(encoding="utf-8"))
    covered = set()
    for story in data["stories"]:
        steps = story["steps"]
        for i, step in enumerate(steps):
            if str(step.get("intent", "")).startswith("faq/"):
                assert step.get("user", "").strip(), story["story"]
                assert steps[i + 1] == {"action": "utter_faq"}, story["story"]
                assert steps[i + 2] == {"action": "action_faq_followup"}, story["story"]
                covered.add(step["intent"].split("/", 1)[1])
    assert covered == set(FAQ_KEYS)


def test_new_keys_have_enough_heldout_examples(heldout: Dict[str, List[str]]) -> None:
    for key in NEW_FAQ_KEYS:
        assert len(heldout.get(key, [])) >= MIN_HELDOUT_EXAMPLES_NEW_KEYS, f"faq/{key} held out"


def test_new_keys_are_listed_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [key for key in FAQ_KEYS if f"faq/{key}" not in readme]
    assert not missing, f"README.md's FAQ key list lacks {missing}"


@pytest.fixture(scope="module")
def faq_sources() -> Dict[str, dict]:
    data = yaml.safe_load(FAQ_SOURCES.read_text(encoding="utf-8"))
    return data["faq_sources"]


def test_faq_sources_cover_only_known_keys(faq_sources: Dict[str, dict]) -> None:
    assert set(faq_sources) <= set(FAQ_KEYS), set(faq_sources) - set(FAQ_KEYS)


@pytest.mark.parametrize("key", NEW_FAQ_KEYS)
def test_new_key_has_sources_and_review_date(faq_sources: Dict[str, dict], key: str) -> None:
    record = faq_sources.get(key)
    assert record, f"faq/{key} has no entry in {FAQ_SOURCES.name}"
    sources = record.get("sources") or []
    assert sources and all(re.match(r"https?://\S+$", str(url)) for url in sources), key
    assert len(set(sources)) == len(sources), f"faq/{key} lists a source twice"
    laws = record.get("laws") or []
    assert laws and all(str(law).strip() for law in laws), f"faq/{key} names no statute or rule"
    assert record.get("last_reviewed") == FAQ_REVIEW_DATE, f"faq/{key}: {record.get('last_reviewed')}"
    uncertain = record.get("uncertain")
    assert isinstance(uncertain, list) and all(str(u).strip() for u in uncertain), f"faq/{key}: uncertain"

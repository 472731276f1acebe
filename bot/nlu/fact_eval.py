"""Fact-level precision and recall of the scenario readers (``python -m bot.nlu.evaluate facts``).

Every message of the corpus ``tests/corpus/scenario_messages.yml`` (forum-style posts, each with the
scenario facts it states) goes through the real entity path: the project spaCy pipeline, built now
into a temporary folder, then Rasa's SpacyNLP -> SpacyTokenizer -> WalkawayEntityExtractor. The
entities become facts with ``knowledge.scenario_facts`` and are scored per slot: a predicted fact is
right only when slot and value both match (amounts to the dollar, ``place`` = the candidate states
in order). Messages marked ``asked`` (a bare answer such as "338" to the form's question) are read as
the reply to that question (``answer_facts``) and scored in a separate table. Writes
``results/scenario-facts.md``.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = REPO_ROOT / "tests" / "corpus" / "scenario_messages.yml"
TARGET = 0.97

# the contract's scenario slots the corpus annotates, plus ``place`` (candidate states)
SLOTS: Tuple[str, ...] = (
    "us_state",
    "place",
    "home_value",
    "loan_balance",
    "second_lien_balance",
    "payment_status",
    "months_behind",
    "occupancy",
    "loan_purpose",
    "hardship",
    "goal",
    "second_lien_purpose",
    "lender_type",
    "loan_year",
    "lot_acres",
    "dwelling_units",
)

Facts = Dict[str, Any]


def load_corpus(path: Path = CORPUS) -> List[Dict[str, Any]]:
    """The corpus items: ``[{"text": str, "facts": {slot: value}, "asked": slot (optional)}]``.

    Raises ValueError when the file is not a list of items with a ``text`` and a ``facts`` mapping.
    """
    items = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected a list of items")
    for n, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not isinstance(
            item.get("facts"), dict
        ):
            raise ValueError(f"{path}: item {n} needs a `text` string and a `facts` mapping: {item!r}")
    return items


def message_facts(text: str, entities: Iterable[Mapping[str, Any]], asked: Optional[str] = None) -> Facts:
    """The facts of one message, as the form reads it: ``knowledge.scenario_facts.answer_facts``
    (the reply to the question about ``asked``, or a message on its own when None), with ``place``
    as the candidate states (a list of USPS codes) of a place that lies in several states."""
    from knowledge.scenario_facts import answer_facts, place_question

    found = list(entities)
    facts = answer_facts(text, found, asked)
    question = facts.pop("place", None) or place_question(found)
    if question:
        facts["place"] = list(question["states"])
    return facts


def same(expected: Any, predicted: Any) -> bool:
    """True when a predicted value equals the expected one (bool is not a number; lists in order)."""
    if isinstance(expected, bool) or isinstance(predicted, bool):
        return isinstance(expected, bool) and isinstance(predicted, bool) and expected == predicted
    if isinstance(expected, (list, tuple)) or isinstance(predicted, (list, tuple)):
        return isinstance(predicted, (list, tuple)) and list(expected) == list(predicted)
    return expected == predicted


def differences(expected: Facts, predicted: Facts) -> Dict[str, Tuple[Any, Any]]:
    """``{slot: (expected or None, predicted or None)}`` for every scored slot where they differ."""
    out = {}
    for slot in SLOTS:
        if slot not in expected and slot not in predicted:
            continue
        if slot in expected and slot in predicted and same(expected[slot], predicted[slot]):
            continue
        out[slot] = (expected.get(slot), predicted.get(slot))
    return out


@dataclass
class Score:
    """Fact counts of one slot: right (tp), predicted but wrong or unstated (fp), stated but missed (fn)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> Optional[float]:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> Optional[float]:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> Optional[float]:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


def score(pairs: Iterable[Tuple[Facts, Facts]]) -> Dict[str, Score]:
    """Per-slot counts over ``(expected, predicted)`` fact pairs, plus ``"all"`` (micro total).

    A wrong value counts once as a false positive and once as a false negative.
    """
    scores = {slot: Score() for slot in SLOTS}
    for expected, predicted in pairs:
        for slot in SLOTS:
            if slot in expected and slot in predicted and same(expected[slot], predicted[slot]):
                scores[slot].tp += 1
                continue
            if slot in predicted:
                scores[slot].fp += 1
            if slot in expected:
                scores[slot].fn += 1
    scores["all"] = Score(*(sum(getattr(s, k) for s in scores.values()) for k in ("tp", "fp", "fn")))
    return scores


def _num(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def table(scores: Mapping[str, Score]) -> List[str]:
    """Markdown table: slot, facts stated, facts predicted, right, precision, recall, F1."""
    lines = [
        "| slot | stated | predicted | right | precision | recall | F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for slot, s in scores.items():
        if not (s.tp + s.fp + s.fn):
            continue
        name = f"**{slot}**" if slot == "all" else slot
        lines.append(
            f"| {name} | {s.tp + s.fn} | {s.tp + s.fp} | {s.tp} | {_num(s.precision)} "
            f"| {_num(s.recall)} | {_num(s.f1)} |"
        )
    return lines


def mix(items: Sequence[Mapping[str, Any]]) -> str:
    """One line on the corpus: size, short answers / sentences / stories, questions, asked items."""
    words = [len(i["text"].split()) for i in items]
    short = sum(n <= 4 for n in words)
    story = sum(n >= 20 for n in words)
    return (
        f"{len(items)} messages: {short} short answers (<= 4 words), {len(items) - short - story} "
        f"sentences, {story} stories (>= 20 words); {sum(not i['facts'] for i in items)} state no "
        f"fact, {sum('asked' in i for i in items)} answer a question (`asked`)."
    )


def _cell(value: Any) -> str:
    return "—" if value is None else str(value).replace("|", "/")


def report(items: Sequence[Mapping[str, Any]], predicted: Sequence[Facts], corpus: Path) -> List[str]:
    """The markdown lines of results/scenario-facts.md."""
    standalone = [(i["facts"], p) for i, p in zip(items, predicted) if "asked" not in i]
    answers = [(i["facts"], p) for i, p in zip(items, predicted) if "asked" in i]
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        shown = corpus.resolve().relative_to(REPO_ROOT)
    except ValueError:
        shown = corpus
    lines = [
        "# Scenario facts: precision and recall per slot",
        "",
        f"Generated by `python -m bot.nlu.evaluate facts` (part of `make eval`) on {now} from `{shown}`.",
        mix(items),
        "",
        "Each message runs through the project spaCy pipeline and Rasa's SpacyNLP -> SpacyTokenizer -> "
        "WalkawayEntityExtractor; `knowledge.scenario_facts` turns the entities (and, for a reply, the "
        "question asked) into facts. A predicted "
        "fact is right only if slot and value match (amounts to the dollar; `place` = the candidate "
        "states in order); a wrong value counts as one false positive and one false negative. "
        f"Target: precision and recall >= {TARGET} for every slot.",
        "",
        f"## Messages that stand alone ({len(standalone)})",
        "",
        *table(score(standalone)),
        "",
        f"## Answers to a question (`asked`, {len(answers)}), read as the reply to it",
        "",
        *table(score(answers)),
    ]
    wrong = [(i, p, differences(i["facts"], p)) for i, p in zip(items, predicted)]
    wrong = [w for w in wrong if w[2]]
    lines += ["", f"## Wrong messages ({len(wrong)} of {len(items)})", ""]
    if wrong:
        lines += ["| message | asked | slot | expected | predicted |", "|---|---|---|---|---|"]
        for item, _, diff in wrong:
            for n, (slot, (exp, got)) in enumerate(diff.items()):
                text = _cell(item["text"]) if n == 0 else "″"
                asked = _cell(item.get("asked")) if n == 0 else ""
                lines.append(f"| {text} | {asked} | {slot} | {_cell(exp)} | {_cell(got)} |")
    return lines


def run(args) -> int:
    """``facts`` sub-command: scores the corpus, writes ``<out>/scenario-facts.md``, prints the tables."""
    corpus = Path(args.corpus)
    items = load_corpus(corpus)
    from bot.nlu.entity_reader import EntityReader

    with tempfile.TemporaryDirectory(prefix="fact-eval.") as work:
        read = EntityReader(work)
        predicted = [message_facts(item["text"], read(item["text"]), item.get("asked")) for item in items]
    lines = report(items, predicted, corpus)
    out = Path(args.out) / "scenario-facts.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    wrong_at = next(n for n, line in enumerate(lines) if line.startswith("## Wrong messages"))
    print("\n".join(lines[3:wrong_at + 1]))
    print(f"-> {out}")
    return 0


def add_parser(sub) -> None:
    """Registers the ``facts`` sub-command on ``evaluate.py``'s sub-parsers."""
    p = sub.add_parser("facts", help="scenario facts precision/recall per slot over the corpus")
    p.add_argument("--corpus", default=str(CORPUS), help="scenario corpus YAML")
    p.add_argument("--out", default="results", help="report folder")

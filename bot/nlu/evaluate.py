"""Held-out NLU comparison (``make eval``).

``python -m bot.nlu.evaluate eval``
    For bot/config.yml (sentence encoder + logistic regression) and bot/config-diet.yml
    (DIET + ResponseSelector): ``rasa train nlu`` on data/nlu, ``rasa test nlu`` on all
    tests/nlu/heldout_*.yml merged, then results/nlu-eval.md with accuracy and macro F1 over
    one label per message (the intent, or ``faq/<key>`` for FAQ questions), per-label F1,
    NLU training time, in-process parse latency (p50/p95 through rasa's Agent) and how a
    FallbackClassifier threshold would split right and wrong predictions.

``python -m bot.nlu.evaluate facts``
    Scenario facts precision/recall per slot over tests/corpus/scenario_messages.yml
    -> results/scenario-facts.md (bot/nlu/fact_eval.py).

Work files (models, rasa test output) go to build/nlu-eval/.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from bot.nlu import fact_eval

REPO_ROOT = Path(__file__).resolve().parents[2]

PIPELINES = {"embedding": "bot/config.yml", "diet": "bot/config-diet.yml"}
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


@dataclass
class Prediction:
    text: str
    label: str  # intent, or faq/<key>
    confidence: float  # intent confidence before the FallbackClassifier
    gap: float  # top-1 minus top-2 intent confidence
    seconds: float


@dataclass
class PipelineResult:
    name: str
    config: str
    train_seconds: float | None  # None: model reused (--skip-train)
    rows: list[tuple[str, str, str]]  # (text, target, predicted) from rasa test nlu
    predictions: list[Prediction] = field(default_factory=list)


# ---------------------------------------------------------------- helpers


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


def _rasa(*args: str, log: Path) -> None:
    """Runs ``rasa <args>`` from the repo root; output to ``log``; raises on failure."""
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "rasa", *args]
    print("$ rasa " + " ".join(args), flush=True)
    with log.open("w") as out:
        done = subprocess.run(
            cmd,
            cwd=REPO_ROOT,
            env=_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise SystemExit(f"rasa {args[0]} {args[1]} failed (log: {log}):\n{tail}")


def heldout_files(heldout_dir: Path) -> list[Path]:
    files = sorted(heldout_dir.glob("heldout_*.yml"))
    if not files:
        raise SystemExit(f"no {heldout_dir}/heldout_*.yml files")
    return files


def merge_heldout(files: Sequence[Path], folder: Path):
    """Copies the held-out files into one folder (``rasa test nlu --nlu <folder>`` merges
    them) and returns their merged TrainingData."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return TrainingData().merge(*[load_data(str(f)) for f in files])


def label_of_example(message) -> str:
    from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY

    return message.get(INTENT_RESPONSE_KEY) or message.get(INTENT)


def label_of_parse(parse: dict) -> tuple[str, float, float]:
    """(label, confidence, top-2 gap) of a parse result, ignoring the FallbackClassifier."""
    from rasa.nlu.classifiers import fallback_classifier

    if fallback_classifier.is_fallback_classifier_prediction(parse):
        parse = fallback_classifier.undo_fallback_prediction(parse)
    intent = parse.get("intent") or {}
    name = intent.get("name") or ""
    confidence = float(intent.get("confidence") or 0.0)
    ranking = parse.get("intent_ranking") or []
    second = float(ranking[1]["confidence"]) if len(ranking) > 1 else 0.0
    if name in (parse.get("response_selector") or {}).get("all_retrieval_intents", []):
        key = parse["response_selector"].get(name, {}).get("response", {})
        name = key.get("intent_response_key") or name
    return name, confidence, confidence - second


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def load_agent(model: Path):
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # no per-message debug lines
    logging.getLogger("rasa").setLevel(logging.WARNING)
    return Agent.load(str(model))


def parse_all(agent, texts: Sequence[str]) -> list[Prediction]:
    """Parses every text in-process through rasa's Agent (after one warm-up parse)."""

    async def run() -> list[Prediction]:
        await agent.parse_message("hello")  # warm-up: first-call tracing, caches
        out = []
        for text in texts:
            start = time.perf_counter()
            parse = await agent.parse_message(text)
            seconds = time.perf_counter() - start
            label, confidence, gap = label_of_parse(parse)
            out.append(Prediction(text, label, confidence, gap, seconds))
        return out

    return asyncio.run(run())


def scores(rows: Sequence[tuple[str, str, str]]):
    from sklearn.metrics import classification_report

    targets = [t for _, t, _ in rows]
    predicted = [p for _, _, p in rows]
    # macro average over the held-out labels (a prediction outside them is just wrong)
    report = classification_report(
        targets,
        predicted,
        labels=sorted(set(targets)),
        output_dict=True,
        zero_division=0,
    )
    accuracy = sum(t == p for t, p in zip(targets, predicted)) / len(rows)
    return accuracy, report


def _seconds(value: float | None) -> str:
    return "reused" if value is None else f"{value:.0f} s"


def latency_ms(predictions: Sequence[Prediction]) -> tuple[float, float]:
    ms = [p.seconds * 1000 for p in predictions]
    return percentile(ms, 50), percentile(ms, 95)


# ---------------------------------------------------------------- eval


def run_pipeline(
    name: str, config: str, args, merged: Path, texts: list[str]
) -> PipelineResult:
    from bot.nlu.report import joined_labels

    work = Path(args.work)
    model_name = f"nlu-{name}"
    model = work / "models" / f"{model_name}.tar.gz"
    train_seconds: float | None = None
    if not (args.skip_train and model.exists()):
        start = time.perf_counter()
        _rasa(
            *["train", "nlu", "--config", config, "--domain", args.domain],
            *["--nlu", args.data, "--out", str(work / "models")],
            *["--fixed-model-name", model_name],
            log=work / f"train-{name}.log",
        )
        train_seconds = time.perf_counter() - start
    test_dir = work / f"test-{name}"
    _rasa(
        *["test", "nlu", "--model", str(model), "--nlu", str(merged)],
        *["--domain", args.domain, "--out", str(test_dir), "--successes", "--no-plot"],
        log=work / f"test-{name}.log",
    )
    rows = joined_labels(test_dir)
    result = PipelineResult(name, config, train_seconds, rows)
    result.predictions = parse_all(load_agent(model), texts)
    return result


def threshold_table(
    predictions: Sequence[Prediction], targets: dict[str, str]
) -> list[str]:
    right = [p for p in predictions if targets.get(p.text) == p.label]
    wrong = [p for p in predictions if targets.get(p.text) != p.label]
    lines = [
        "| threshold | right answers sent to fallback | wrong answers caught |",
        "|---|---|---|",
    ]
    for t in THRESHOLDS:
        lost = sum(p.confidence < t for p in right)
        caught = sum(p.confidence < t for p in wrong)
        lines.append(f"| {t} | {lost}/{len(right)} | {caught}/{len(wrong)} |")
    lines += [
        "",
        "| ambiguity_threshold (top-1 − top-2 <) | right answers sent to fallback | wrong answers caught |",
        "|---|---|---|",
    ]
    for t in (0.05, 0.1, 0.15, 0.2):
        lost = sum(p.gap < t for p in right)
        caught = sum(p.gap < t for p in wrong)
        lines.append(f"| {t} | {lost}/{len(right)} | {caught}/{len(wrong)} |")
    return lines


def write_eval(
    results: list[PipelineResult], args, n_train: int, n_labels: int, files
) -> Path:
    out = Path(args.out) / "nlu-eval.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    held_out = ", ".join(
        f"`{f.relative_to(REPO_ROOT) if f.is_absolute() else f}`" for f in files
    )
    lines = [
        "# NLU evaluation on held-out messages",
        "",
        (
            f"Generated by `make eval` (`python -m bot.nlu.evaluate eval`) on {now}, "
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"{os.cpu_count()} CPUs."
        ),
        (
            f"Training data: `{args.data}` ({n_train} examples, {n_labels} labels). "
            f"Held-out data: {held_out} ({len(results[0].rows)} messages, never in the "
            "training data)."
        ),
        (
            "Label = the intent, or `faq/<key>` for FAQ questions (the intent `faq` alone is "
            "not enough to answer). Scores come from `rasa test nlu` without the "
            "FallbackClassifier (Rasa undoes fallback predictions when testing); macro F1 "
            "averages the held-out labels. Latency: `Agent.parse_message` in-process, one "
            "message at a time, after one warm-up parse."
        ),
        "",
        "| pipeline | config | accuracy | macro F1 | parse p50 | parse p95 | `rasa train nlu` |",
        "|---|---|---|---|---|---|---|",
    ]
    reports = {}
    for r in results:
        accuracy, report = scores(r.rows)
        reports[r.name] = report
        p50, p95 = latency_ms(r.predictions)
        lines.append(
            f"| {r.name} | `{r.config}` | {accuracy:.3f} | {report['macro avg']['f1-score']:.3f} "
            f"| {p50:.0f} ms | {p95:.0f} ms | {_seconds(r.train_seconds)} |"
        )
    labels = sorted({t for r in results for _, t, _ in r.rows})
    lines += [
        "",
        "## F1 per label",
        "",
        "| label | support | " + " | ".join(r.name for r in results) + " |",
    ]
    lines.append("|---|---|" + "---|" * len(results))
    for label in labels:
        support = int(reports[results[0].name].get(label, {}).get("support", 0))
        cells = [
            f"{reports[r.name].get(label, {}).get('f1-score', 0.0):.2f}"
            for r in results
        ]
        lines.append(f"| {label} | {support} | " + " | ".join(cells) + " |")

    for r in results:
        targets = {text: target for text, target, _ in r.rows}
        lines += [
            "",
            f"## FallbackClassifier thresholds ({r.name})",
            "",
            (
                "Share of held-out messages whose intent confidence (or top-1 − top-2 gap) "
                "falls below the threshold, split by whether the prediction was right."
            ),
            "",
            *threshold_table(r.predictions, targets),
        ]
    first = results[0]
    errors = [(t, e, p) for t, e, p in first.rows if e != p]
    if errors:
        lines += [
            "",
            f"## Misclassified ({first.name})",
            "",
            "| message | expected | predicted |",
            "|---|---|---|",
        ]
        lines += [f"| {t.replace('|', '/')} | {e} | {p} |" for t, e, p in errors]
    out.write_text("\n".join(lines) + "\n")
    return out


def pipelines(specs: Sequence[str] | None) -> list[tuple[str, str]]:
    if not specs:
        return list(PIPELINES.items())
    out = []
    for spec in specs:
        name, sep, config = spec.partition("=")
        if not sep or not name or not config:
            raise SystemExit(f"--pipeline expects NAME=CONFIG, got {spec!r}")
        out.append((name, config))
    return out


def cmd_eval(args) -> int:
    from rasa.shared.nlu.training_data.loading import load_data

    os.chdir(REPO_ROOT)
    files = heldout_files(Path(args.heldout))
    merged_path = Path(args.work) / "heldout"
    merged = merge_heldout(files, merged_path)
    texts = [m.get("text") for m in merged.intent_examples]
    train = load_data(args.data)
    n_labels = len({label_of_example(m) for m in train.intent_examples})
    results = []
    for name, config in pipelines(args.pipeline):
        results.append(run_pipeline(name, config, args, merged_path, texts))
        accuracy, report = scores(results[-1].rows)
        print(
            f"{name}: accuracy {accuracy:.3f}, macro F1 {report['macro avg']['f1-score']:.3f}, "
            f"training {_seconds(results[-1].train_seconds)}",
            flush=True,
        )
    out = write_eval(results, args, len(train.intent_examples), n_labels, files)
    print(f"-> {out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.nlu.evaluate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("eval")
    ev.add_argument("--heldout", default="tests/nlu", help="folder with heldout_*.yml")
    ev.add_argument("--out", default="results", help="report folder")
    ev.add_argument("--work", default="build/nlu-eval", help="models and rasa test output")
    ev.add_argument("--data", default="data/nlu")
    ev.add_argument("--domain", default="bot/domain")
    ev.add_argument(
        "--skip-train",
        action="store_true",
        help="reuse the models already in --work (to re-run only tests and the report)",
    )
    ev.add_argument(
        "--pipeline",
        action="append",
        metavar="NAME=CONFIG",
        help="pipelines to compare (repeatable); default: "
        + " ".join(f"{k}={v}" for k, v in PIPELINES.items()),
    )
    fact_eval.add_parser(sub)
    args = parser.parse_args(argv)
    return {"eval": cmd_eval, "facts": fact_eval.run}[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

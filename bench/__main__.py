"""``python -m bench [--quick]``: the end-to-end benchmark (see bench/__init__.py).

Phases: train the reference (timed), time this bot's training from scratch, serve and drive the
reference, serve and drive this bot, profile this bot's turns, write results/bench.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from bench import harness, report
from bench.procs import ROOT, free_port, log, peak_mb, serve
from bench.reference import Bot, prepare_reference, prepare_this_bot, with_action_port


@dataclass
class Settings:
    side_reps: int          # sequential repetitions of the 13 messages
    mix_reps: int           # sequential repetitions of the scripted mix
    levels: Sequence[int]   # concurrent conversations
    long_turns: int         # turns of the one long conversation
    profile_turns: int      # profiled turns of this bot


FULL = Settings(side_reps=4, mix_reps=2, levels=(1, 10, 50), long_turns=120, profile_turns=50)
QUICK = Settings(side_reps=2, mix_reps=1, levels=(1, 10), long_turns=40, profile_turns=30)


def _stop_on_sigterm() -> None:
    # turn SIGTERM into SystemExit so every `finally` ends the servers it started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def measure(bot: Bot, settings: Settings, work: Path, logs: Path, tag: str) -> Dict[str, Any]:
    """Serve ``bot`` with its action server and run every phase of the harness against it."""
    actions_port, rasa_port = free_port(), free_port()
    env = with_action_port(bot, actions_port, work)
    result: Dict[str, Any] = {"name": bot.name, "train_s": bot.train_seconds}
    log(f"{bot.name}: starting the action server and the Rasa server ...")
    with serve(f"{bot.name} action server", bot.actions_cmd(actions_port), bot.folder, env,
               actions_port, "/health", logs / f"{tag}-actions.log", timeout=180) as actions:
        with serve(f"{bot.name} Rasa server", bot.rasa_cmd(rasa_port), bot.folder, env,
                   rasa_port, "/", logs / f"{tag}-rasa.log", timeout=400) as rasa:
            log(f"{bot.name}: up (Rasa server answered after {rasa.startup_seconds:.0f} s)")
            result["startup_s"] = {"rasa": rasa.startup_seconds,
                                   "actions": actions.startup_seconds}
            client = harness.Client(rasa.url)

            log(f"{bot.name}: warm-up (the scripted mix once)")
            harness.run(client.sequential(harness.MIX, 1, "warm"))

            log(f"{bot.name}: sequential, the 13 messages x {settings.side_reps}")
            convs = harness.run(client.sequential([harness.SIDE_BY_SIDE], settings.side_reps, "seq"))
            turns = [t for c in convs for t in c.turns]
            result["side_by_side"] = harness.summary_ms(turns)
            result["per_message_ms"] = harness.by_message(convs, harness.SIDE_BY_SIDE)
            _say(bot, "sequential", result["side_by_side"])

            log(f"{bot.name}: sequential, the scripted mix x {settings.mix_reps}")
            convs = harness.run(client.sequential(harness.MIX, settings.mix_reps, "mix"))
            result["mix"] = harness.summary_ms([t for c in convs for t in c.turns])
            result["checks"] = harness.scenario_checks(convs[-len(harness.MIX):])
            result["sample_replies"] = {t.text: t.reply[:300] for t in convs[-1].turns}
            _say(bot, "mix", result["mix"])

            result["concurrency"] = []
            for level in settings.levels:
                conversations = max(level, 3)
                log(f"{bot.name}: {level} concurrent conversation(s), {conversations} x 13 turns")
                entry = harness.run(client.concurrent(harness.SIDE_BY_SIDE, level, conversations))
                result["concurrency"].append(entry)
                log(f"  {entry['turns_per_s']:.1f} turns/s, p95 {report.ms(entry['p95_ms'])}, "
                    f"{entry['errors']} errors")

            log(f"{bot.name}: one conversation of {settings.long_turns} turns ('hi'/'thanks')")

            def progress(n: int, turn: harness.Turn) -> None:
                if n % 20 == 0:
                    log(f"  turn {n}: {turn.seconds * 1000:.0f} ms")

            long_turns = harness.run(client.long(settings.long_turns, progress))
            n = len(long_turns)
            result["long"] = {
                "ms": [t.seconds * 1000 for t in long_turns],
                "errors": sum(not t.ok for t in long_turns),
                "first10_ms": harness.window_mean_ms(long_turns, 1, 10),
                "last10_ms": harness.window_mean_ms(long_turns, n - 9, n),
            }
            log(f"  turns 1-10 {report.ms(result['long']['first10_ms'])}, turns {n - 9}-{n} "
                f"{report.ms(result['long']['last10_ms'])}")
    rasa_mb, actions_mb = peak_mb(rasa), peak_mb(actions)
    result["rss_mb"] = {
        "rasa": rasa_mb,
        "actions": actions_mb,
        "total": None if rasa_mb is None or actions_mb is None else rasa_mb + actions_mb,
    }
    log(f"{bot.name}: servers stopped; peak RSS Rasa {report.mb(rasa_mb)}, "
        f"actions {report.mb(actions_mb)}")
    return result


def _say(bot: Bot, what: str, summary: Dict[str, Any]) -> None:
    log(f"  {what}: p50 {report.ms(summary['p50_ms'])}, p95 {report.ms(summary['p95_ms'])}, "
        f"p99 {report.ms(summary['p99_ms'])}, {summary['errors']} errors of {summary['turns']}")


def profile(bot: Bot, settings: Settings, work: Path, logs: Path, out: Path) -> Dict[str, Any]:
    """This bot's Rasa server in-process (bench/profile_server.py), driven one turn at a time: a
    warm-up, the same turns timed part by part without the profiler, then again under cProfile."""
    warm = list(harness.SIDE_BY_SIDE)
    scripts: List[List[str]] = [list(harness.SIDE_BY_SIDE), list(harness.SCENARIO)]
    rest = settings.profile_turns - sum(len(s) for s in scripts)
    if rest > 0:
        scripts.append(harness.long_conversation(rest))
    turns = sum(len(s) for s in scripts)
    actions_port, rasa_port = free_port(), free_port()
    profile_dir = work / "profile"
    env = {**with_action_port(bot, actions_port, work), "BENCH_PROFILE_OUT": str(profile_dir),
           "BENCH_PROFILE_SKIP": str(len(warm)), "BENCH_TIMED_TURNS": str(turns)}
    cmd = [sys.executable, "-m", "bench.profile_server", *bot.rasa_cmd(rasa_port)[2:]]
    log(f"profile: this bot's Rasa server in-process; {len(warm)} warm-up turns, {turns} timed "
        f"turns, {turns} turns under cProfile")
    with serve("action server (profile)", bot.actions_cmd(actions_port), bot.folder, env,
               actions_port, "/health", logs / "profile-actions.log", timeout=180):
        with serve("profiled Rasa server", cmd, ROOT, env, rasa_port, "/",
                   logs / "profile-rasa.log", timeout=400) as rasa:
            client = harness.Client(rasa.url)
            harness.run(client.sequential([warm], 1, "pwarm"))
            log("profile: timed turns (no profiler)")
            timed = harness.run(client.sequential(scripts, 1, "ptimed"))
            log("profile: turns under cProfile")
            profiled = harness.run(client.sequential(scripts, 1, "pprof"))
    convs = timed + profiled
    errors = sum(not t.ok for c in convs for t in c.turns)
    breakdown = json.loads((profile_dir / "breakdown.json").read_text())
    breakdown["client_ms"] = {
        phase: harness.summary_ms([t for c in group for t in c.turns])["mean_ms"]
        for phase, group in (("timed", timed), ("profiled", profiled))
    }
    pstats_path = out / "bench-profile.pstats"
    shutil.copyfile(profile_dir / "profile.pstats", pstats_path)
    log(f"profile: {breakdown['profiled']['turns']} turns profiled ({errors} errors in all "
        f"{2 * turns} driven) -> {pstats_path}")
    return {"breakdown": breakdown, "pstats": pstats_path, "pstats_name": pstats_path.name,
            "skip": len(warm), "top": 20}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="fewer turns, concurrency 1 and 10, no timing of this bot's training")
    parser.add_argument("--train-time", action="store_true",
                        help="with --quick: still time this bot's training")
    parser.add_argument("--reference", type=Path, metavar="DIR",
                        help="reuse a trained `rasa init` project in DIR (no training, no time)")
    parser.add_argument("--no-profile", action="store_true", help="skip the profile")
    parser.add_argument("--out", type=Path, default=ROOT / "results", help="report folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    _stop_on_sigterm()
    os.chdir(ROOT)
    started = time.monotonic()
    out = args.out.resolve()
    logs = out / "bench-logs"
    logs.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="walkaway-bench-"))
    load_before = os.getloadavg()
    log(f"work folder {work}, logs in {logs}; load average {load_before[0]:.2f} "
        f"(other work on the machine skews every figure)")
    try:
        reference = prepare_reference(work, logs, args.reference)
        this_bot = prepare_this_bot(work, logs, time_training=not args.quick or args.train_time)
        results = {
            report.REF: measure(reference, settings, work, logs, "reference"),
            report.THIS: measure(this_bot, settings, work, logs, "walkaway"),
        }
        prof = None if args.no_profile else profile(this_bot, settings, work, logs, out)
        import rasa

        meta = {
            "command": "python -m bench" + (" --quick" if args.quick else ""),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "rasa": rasa.__version__,
            "quick": args.quick,
            "total_s": time.monotonic() - started,
            "load_before": load_before,
            "load_after": os.getloadavg(),
        }
        (out / "bench.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1,
                                                   default=str))
        path = report.write(results, meta, out, prof)
        log(f"done in {meta['total_s'] / 60:.1f} min -> {path} (and bench.png, bench.json)")
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m bench.profile_server <rasa run arguments>``: this bot's Rasa server, in this process,
timing the parts of each turn. Drive it one turn at a time:

- the first BENCH_PROFILE_SKIP turns are a warm-up (nothing recorded);
- the next BENCH_TIMED_TURNS turns are timed without the profiler;
- every later turn is timed with cProfile on around it (``MessageProcessor.handle_message``).

The timers (wall clock, so awaited I/O counts) cover the whole turn, the NLU parse, policy
prediction, each action run and each action-server HTTP request (with the size of the JSON it
sends, counted in the profiled phase only), and the tracker store's retrieve and save. After every
recorded turn it writes BENCH_PROFILE_OUT/breakdown.json (and profile.pstats once profiling).
"""
from __future__ import annotations

import cProfile
import functools
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict

OUT = Path(os.environ.get("BENCH_PROFILE_OUT", "results/profile"))
SKIP = int(os.environ.get("BENCH_PROFILE_SKIP", "0"))
TIMED = int(os.environ.get("BENCH_TIMED_TURNS", "0"))

PROFILER = cProfile.Profile()
STATE: Dict[str, Any] = {"turn": 0, "in_turn": False, "profiling": False, "phase": None}
# per phase ("timed", "profiled"): turns, label -> [calls, seconds], and extra counters
PHASES: Dict[str, Dict[str, Any]] = {
    phase: {"turns": 0, "timers": defaultdict(lambda: [0, 0.0]), "counters": defaultdict(float)}
    for phase in ("timed", "profiled")
}
TURN = "turn (MessageProcessor.handle_message)"


def _record(label: str, seconds: float) -> None:
    if STATE["phase"] is not None:
        timer = PHASES[STATE["phase"]]["timers"][label]
        timer[0] += 1
        timer[1] += seconds


def _count(label: str, value: float) -> None:
    if STATE["phase"] is not None:
        PHASES[STATE["phase"]]["counters"][label] += value


def _paused(fn):
    """Run ``fn`` with the profiler off (bookkeeping that must not show in the profile)."""
    if STATE["phase"] is None:
        return None
    if not STATE["profiling"]:
        return fn()
    PROFILER.disable()
    try:
        return fn()
    finally:
        PROFILER.enable()


def _timed_async(cls, name: str, label: str, measure=None) -> None:
    original = getattr(cls, name)

    @functools.wraps(original)
    async def wrapper(self, *args, **kwargs):
        if measure is not None and STATE["profiling"]:
            # sizes only in the profiled phase, so the timed phase's wall times stay clean
            _paused(lambda: measure(self, args, kwargs))
        started = time.perf_counter()
        try:
            return await original(self, *args, **kwargs)
        finally:
            _record(label, time.perf_counter() - started)

    setattr(cls, name, wrapper)


def _timed_sync(cls, name: str, label: str) -> None:
    original = getattr(cls, name)

    @functools.wraps(original)
    def wrapper(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            _record(label, time.perf_counter() - started)

    setattr(cls, name, wrapper)


def _payload_size(_self, _args, kwargs) -> None:
    payload = kwargs.get("json")
    if payload is not None:
        _count("action request bytes", len(json.dumps(payload)))
        tracker = payload.get("tracker") if isinstance(payload, dict) else None
        if isinstance(tracker, dict):
            _count("action request events", len(tracker.get("events") or []))


def _tracker_events(_self, args, _kwargs) -> None:
    if args:
        _count("events in saved tracker", len(getattr(args[0], "events", []) or []))


def _write() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    if PHASES["profiled"]["turns"]:
        PROFILER.dump_stats(str(OUT / "profile.pstats"))  # also disables the profiler
    (OUT / "breakdown.json").write_text(json.dumps({
        phase: {
            "turns": data["turns"],
            "timers": {k: {"calls": v[0], "seconds": v[1]} for k, v in data["timers"].items()},
            "counters": dict(data["counters"]),
        }
        for phase, data in PHASES.items()
    }, indent=1))


def install() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    original = MessageProcessor.handle_message

    @functools.wraps(original)
    async def handle_message(self, message):
        if STATE["in_turn"]:  # not driven one at a time: record nothing for this one
            return await original(self, message)
        STATE["turn"] += 1
        n = STATE["turn"]
        phase = None if n <= SKIP else ("timed" if n <= SKIP + TIMED else "profiled")
        STATE.update(in_turn=True, phase=phase, profiling=phase == "profiled")
        started = time.perf_counter()
        if phase == "profiled":
            PROFILER.enable()
        try:
            return await original(self, message)
        finally:
            if phase == "profiled":
                PROFILER.disable()
            if phase is not None:
                _record(TURN, time.perf_counter() - started)
                PHASES[phase]["turns"] += 1
                STATE.update(phase=None, profiling=False)
                _write()
            STATE["in_turn"] = False

    MessageProcessor.handle_message = handle_message
    _timed_async(MessageProcessor, "parse_message", "NLU parse (parse_message)")
    _timed_sync(MessageProcessor, "_predict_next_with_tracker", "policy prediction")
    _timed_async(MessageProcessor, "run_action_extract_slots",
                 "action_extract_slots (run_action_extract_slots)")
    _timed_async(MessageProcessor, "_run_action", "action runs (_run_action)")
    _timed_async(EndpointConfig, "request", "action server HTTP (EndpointConfig.request)",
                 _payload_size)
    _timed_sync(RemoteAction, "_validate_action_result",
                "action response JSON-schema check (RemoteAction._validate_action_result)")
    _timed_sync(DialogueStateTracker, "current_state",
                "tracker to JSON (DialogueStateTracker.current_state)")
    for store in (SQLTrackerStore, InMemoryTrackerStore):
        _timed_async(store, "retrieve", "tracker store retrieve")
        _timed_async(store, "save", "tracker store save", _tracker_events)


def main() -> None:
    install()
    sys.argv = ["rasa", "run", *sys.argv[1:]]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()

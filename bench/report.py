"""results/bench.md (every figure, this bot / reference ratios, the issue's targets, the profile)
and results/bench.png (latency by turn number, throughput by concurrency)."""
from __future__ import annotations

import math
import pstats
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from bench.harness import SCENARIO, SIDE_BY_SIDE

REF, THIS = "reference", "this"


# ---------------------------------------------------------------- formatting


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def ms(value: Optional[float]) -> str:
    if _nan(value):
        return "n/a"
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.1f} ms"


def secs(value: Optional[float]) -> str:
    if _nan(value):
        return "n/a"
    return f"{value / 60:.1f} min ({value:.0f} s)" if value >= 120 else f"{value:.0f} s"


def mb(value: Optional[float]) -> str:
    if _nan(value):
        return "n/a"
    return f"{value / 1024:.2f} GB" if value >= 1024 else f"{value:.0f} MB"


def rate(value: Optional[float]) -> str:
    return "n/a" if _nan(value) else f"{value:.1f} turns/s"


def ratio(this: Optional[float], ref: Optional[float]) -> Optional[float]:
    if _nan(this) or _nan(ref) or not ref:
        return None
    return this / ref


def rx(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


# ---------------------------------------------------------------- figures


def _conc(result: Dict[str, Any], level: int) -> Dict[str, Any]:
    for entry in result.get("concurrency", []):
        if entry["concurrency"] == level:
            return entry
    return {}


def figure_rows(results: Dict[str, Dict[str, Any]]) -> List[Tuple[str, str, str, str]]:
    """(figure, reference, this bot, ratio) rows."""
    ref, this = results[REF], results[THIS]
    rows: List[Tuple[str, str, str, str]] = []

    def add(name: str, key_fn, fmt) -> None:
        a, b = key_fn(ref), key_fn(this)
        rows.append((name, fmt(a), fmt(b), rx(ratio(b, a))))

    n_side = this["side_by_side"]["turns"]
    n_mix = this["mix"]["turns"]
    for q in ("p50", "p95", "p99"):
        add(f"turn latency {q} — the 13 messages, sequential ({n_side} turns)",
            lambda r, q=q: r["side_by_side"][f"{q}_ms"], ms)
    for q in ("p50", "p95", "p99"):
        add(f"turn latency {q} — scripted mix incl. full scenario, sequential ({n_mix} turns)",
            lambda r, q=q: r["mix"][f"{q}_ms"], ms)
    levels = [e["concurrency"] for e in this.get("concurrency", [])]
    for level in levels:
        add(f"throughput, {level} concurrent conversation{'s' if level > 1 else ''}",
            lambda r, l=level: _conc(r, l).get("turns_per_s"), rate)
    for level in levels:
        add(f"turn latency p50 at {level} concurrent", lambda r, l=level: _conc(r, l).get("p50_ms"),
            ms)
        add(f"turn latency p95 at {level} concurrent", lambda r, l=level: _conc(r, l).get("p95_ms"),
            ms)
    for level in levels:
        a, b = _conc(ref, level), _conc(this, level)
        rows.append((f"errors at {level} concurrent (of turns)",
                     f"{a.get('errors', 'n/a')} / {a.get('turns', 'n/a')}",
                     f"{b.get('errors', 'n/a')} / {b.get('turns', 'n/a')}", ""))
    n_long = len(this["long"]["ms"])
    last = f"{n_long - 9}-{n_long}"
    add("long conversation ('hi'/'thanks'): mean of turns 1-10", lambda r: r["long"]["first10_ms"],
        ms)
    add(f"long conversation: mean of turns {last}", lambda r: r["long"]["last10_ms"], ms)
    rows.append((f"long conversation: growth, turns {last} / turns 1-10",
                 rx(ratio(ref["long"]["last10_ms"], ref["long"]["first10_ms"])),
                 rx(ratio(this["long"]["last10_ms"], this["long"]["first10_ms"])), ""))
    add("long conversation: turn 10", lambda r: r["long"]["ms"][9], ms)
    add(f"long conversation: turn {n_long}", lambda r: r["long"]["ms"][-1], ms)
    add("peak RSS, Rasa server (process tree)", lambda r: r["rss_mb"]["rasa"], mb)
    add("peak RSS, action server (process tree)", lambda r: r["rss_mb"]["actions"], mb)
    add("peak RSS, both servers", lambda r: r["rss_mb"]["total"], mb)
    add("Rasa server start-up (model load) until it answers", lambda r: r["startup_s"]["rasa"],
        secs)
    add("training from scratch (`rasa train`, empty cache)", lambda r: r.get("train_s"), secs)
    return rows


def target_rows(results: Dict[str, Dict[str, Any]]) -> List[Tuple[str, str, str]]:
    ref, this = results[REF], results[THIS]
    out: List[Tuple[str, str, str]] = []

    def verdict(ok: Optional[bool]) -> str:
        return "n/a" if ok is None else ("yes" if ok else "**no**")

    p50 = ratio(this["side_by_side"]["p50_ms"], ref["side_by_side"]["p50_ms"])
    out.append(("p50 turn latency ≤ 1.5× the reference (stretch ≤ 1.0×)", rx(p50),
                verdict(None if p50 is None else p50 <= 1.5)
                + ("" if p50 is None or p50 > 1.0 else " (stretch met)")))
    top = max((e["concurrency"] for e in this.get("concurrency", [])), default=None)
    if top is not None:
        thr = ratio(_conc(this, top).get("turns_per_s"), _conc(ref, top).get("turns_per_s"))
        errors = _conc(this, top).get("errors")
        ok = None if thr is None else (thr >= 0.6 and errors == 0)
        out.append((f"throughput at {top} concurrent ≥ 0.6× the reference, 0 errors",
                    f"{rx(thr)}, {errors} errors", verdict(ok)))
    growth = ratio(this["long"]["last10_ms"], this["long"]["first10_ms"])
    n_long = len(this["long"]["ms"])
    out.append((f"turn {n_long} latency ≤ 1.3× turn 10 (means of turns {n_long - 9}-{n_long} and "
                "1-10)", rx(growth), verdict(None if growth is None else growth <= 1.3)))
    rss = ratio(this["rss_mb"]["total"], ref["rss_mb"]["total"])
    out.append(("peak RSS ≤ 1.2× the reference (both servers)", rx(rss),
                verdict(None if rss is None else rss <= 1.2)))
    train = this.get("train_s")
    out.append(("full training from scratch ≤ 3 minutes", secs(train),
                verdict(None if train is None else train <= 180)))
    return out


# ---------------------------------------------------------------- profile


def _where(key: Tuple[str, int, str]) -> str:
    filename, line, func = key
    if filename == "~":
        return func
    for marker in ("site-packages/", "lib/python3.10/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    else:
        root = str(Path(__file__).resolve().parents[1]) + "/"
        filename = filename.replace(root, "")
    return f"{filename}:{line}({func})"


def profile_rows(pstats_path: Path, turns: int, top: int, sort: str) -> List[str]:
    stats = pstats.Stats(str(pstats_path))
    entries = []
    for key, (cc, nc, tt, ct, _callers) in stats.stats.items():
        if "/bench/" in key[0]:
            continue  # the profiling wrappers themselves
        entries.append((key, cc, nc, tt, ct))
    entries.sort(key=lambda e: e[4] if sort == "cumulative" else e[3], reverse=True)
    lines = ["| # | cumulative | per turn | own time | calls | function |", "|---|---|---|---|---|---|"]
    for i, (key, cc, nc, tt, ct) in enumerate(entries[:top], 1):
        calls = f"{nc}" if nc == cc else f"{nc}/{cc}"
        where = _where(key).replace("|", "\\|")
        lines.append(f"| {i} | {ct:.2f} s | {ct / max(turns, 1) * 1000:.1f} ms | {tt:.2f} s | "
                     f"{calls} | `{where}` |")
    return lines


BREAKDOWN_ORDER = [
    "turn (MessageProcessor.handle_message)",
    "NLU parse (parse_message)",
    "policy prediction",
    "action_extract_slots (run_action_extract_slots)",
    "action runs (_run_action)",
    "action server HTTP (EndpointConfig.request)",
    "action response JSON-schema check (RemoteAction._validate_action_result)",
    "tracker to JSON (DialogueStateTracker.current_state)",
    "tracker store retrieve",
    "tracker store save",
]


def breakdown_rows(breakdown: Dict[str, Any]) -> List[str]:
    """Per turn: calls and wall time of each part, without the profiler and under it."""
    phases = [p for p in ("timed", "profiled") if breakdown.get(p, {}).get("turns")]
    heads = {"timed": "without profiler", "profiled": "under cProfile"}
    lines = ["| part of a turn | calls per turn | "
             + " | ".join(f"wall time per turn, {heads[p]}" for p in phases) + " |",
             "|---|---|" + "---|" * len(phases)]
    client = breakdown.get("client_ms", {})
    if client:
        lines.append("| whole turn as the REST client sees it (mean) | 1.0 | "
                     + " | ".join(ms(client.get(p)) for p in phases) + " |")
    labels = [l for l in BREAKDOWN_ORDER if any(l in breakdown[p]["timers"] for p in phases)]
    labels += sorted({l for p in phases for l in breakdown[p]["timers"]} - set(labels))
    for label in labels:
        first = breakdown[phases[0]]
        calls = first["timers"].get(label, {}).get("calls", 0) / first["turns"]
        cells = [f"{breakdown[p]['timers'].get(label, {}).get('seconds', 0) / breakdown[p]['turns'] * 1000:.1f} ms"
                 for p in phases]
        lines.append(f"| {label} | {calls:.1f} | " + " | ".join(cells) + " |")
    data = breakdown[phases[-1]]  # the sizes are counted in the profiled phase
    counters, timers = data["counters"], data["timers"]
    requests = timers.get("action server HTTP (EndpointConfig.request)", {}).get("calls", 0)
    saves = timers.get("tracker store save", {}).get("calls", 0)
    blank = " | ".join("" for _ in phases)
    if requests:
        lines.append(f"| JSON sent to the action server per request (mean) | "
                     f"{counters.get('action request bytes', 0) / requests / 1024:.1f} KB, "
                     f"{counters.get('action request events', 0) / requests:.0f} events | {blank} |")
    if saves:
        lines.append(f"| events in the tracker at each save (mean) | "
                     f"{counters.get('events in saved tracker', 0) / saves:.0f} | {blank} |")
    return lines


# ---------------------------------------------------------------- plot


def plot(results: Dict[str, Dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8))
    names = {REF: "rasa init bot", THIS: "this bot"}
    for key, colour in ((REF, "tab:gray"), (THIS, "tab:blue")):
        series = results[key]["long"]["ms"]
        left.plot(range(1, len(series) + 1), series, label=names[key], color=colour, lw=1.2)
    left.set_xlabel("turn number in one conversation ('hi' / 'thanks' alternating)")
    left.set_ylabel("turn latency (ms)")
    left.set_title("Latency by turn number")
    left.set_ylim(bottom=0)
    left.grid(alpha=0.3)
    left.legend()

    levels = [e["concurrency"] for e in results[THIS].get("concurrency", [])]
    width = 0.38
    xs = range(len(levels))
    for offset, (key, colour) in zip((-width / 2, width / 2), ((REF, "tab:gray"), (THIS, "tab:blue"))):
        values = [_conc(results[key], l).get("turns_per_s", 0) for l in levels]
        bars = right.bar([x + offset for x in xs], values, width, label=names[key], color=colour)
        for bar, level in zip(bars, levels):
            p95 = _conc(results[key], level).get("p95_ms")
            right.annotate(f"p95 {ms(p95)}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                           ha="center", va="bottom", fontsize=7)
    right.set_xticks(list(xs))
    right.set_xticklabels([str(l) for l in levels])
    right.set_xlabel("concurrent conversations")
    right.set_ylabel("throughput (turns/s)")
    right.set_title("Throughput by concurrency (label: p95 turn latency)")
    right.grid(alpha=0.3, axis="y")
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ---------------------------------------------------------------- markdown


def write(results: Dict[str, Dict[str, Any]], meta: Dict[str, Any], out: Path,
          profile: Optional[Dict[str, Any]]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    png = out / "bench.png"
    plot(results, png)
    ref, this = results[REF], results[THIS]
    md: List[str] = [
        "# Benchmark: this bot against the `rasa init` bot",
        "",
        f"`{meta['command']}` on {meta['date']}: {meta['cpus']} CPUs, Python {meta['python']}, "
        f"Rasa {meta['rasa']}{', **quick mode** (fewer turns)' if meta['quick'] else ''}; "
        f"the whole run took {meta['total_s'] / 60:.1f} min. Load average (1 min) before the run "
        f"{meta['load_before'][0]:.2f}, after {meta['load_after'][0]:.2f}: other work on the "
        "machine slows both bots and skews the figures.",
        "",
        "Both bots run in the same run, same virtualenv, each with its own action server "
        "(`rasa run actions`) and the tracker store it ships with (this bot: SQLite via "
        "endpoints.yml; the reference: in-memory), over the REST channel. Latency is timed by the "
        "client: request sent to all replies received. Each server first gets one warm-up pass of "
        "the scripted mix (not counted). Every conversation has its own sender. Ratios are this bot "
        "/ reference (above 1× is slower or bigger, except throughput where below 1× is worse).",
        "",
        "| figure | `rasa init` bot | this bot | ratio |",
        "|---|---|---|---|",
    ]
    md += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in figure_rows(results)]
    md += ["", "## Targets (issue 11)", "", "| target | this run | met |", "|---|---|---|"]
    md += [f"| {a} | {b} | {c} |" for a, b, c in target_rows(results)]
    md += ["", "## Per message (sequential, median over the repetitions)", "",
           "| message | `rasa init` bot | this bot | ratio |", "|---|---|---|---|"]
    for text in SIDE_BY_SIDE:
        a, b = ref["per_message_ms"].get(text), this["per_message_ms"].get(text)
        md.append(f"| {text} | {ms(a)} | {ms(b)} | {rx(ratio(b, a))} |")
    md += ["", "Scripted mix = the 13 messages above as one conversation, then this full "
           "scenario as another:", ""]
    md += [f"{i}. {t}" for i, t in enumerate(SCENARIO, 1)]
    md += ["", "Checks that this bot's scenario went where it should (last repetition):", ""]
    md += [f"- {name}: {'yes' if ok else '**no**'}" for name, ok in this["checks"].items()]
    for level in [e["concurrency"] for e in this.get("concurrency", [])]:
        for key, label in ((REF, "`rasa init` bot"), (THIS, "this bot")):
            samples = _conc(results[key], level).get("error_samples")
            if samples:
                md.append(f"- errors at {level} concurrent ({label}), e.g.: "
                          + "; ".join(f"`{s}`" for s in samples))
    md += ["", "Concurrency: N conversations (the 13 messages each, distinct senders) run at "
           "once, each sending its next message when the previous reply arrives; throughput = "
           "answered turns / wall time. With 1 concurrent conversation, 3 run one after another.",
           "", f"![latency by turn number and throughput by concurrency]({png.name})", ""]
    if profile:
        turns = profile["breakdown"]["profiled"]["turns"]
        md += [
            "## Profile of this bot's turns",
            "",
            f"This bot's Rasa server run in-process by `python -m bench.profile_server`, driven "
            f"one turn at a time over REST: {profile['skip']} warm-up turns, then {turns} turns "
            "(the 13 messages, the scenario, then 'hi'/'thanks') timed part by part without the "
            "profiler, then the same turns again (new senders) with cProfile on around "
            "`MessageProcessor.handle_message` only. cProfile slows "
            "Python code down, so read the shares, not the absolute times. The profile covers the "
            "Rasa server's event-loop thread; time spent waiting on the action server shows in the "
            "wall-clock breakdown below, not in the profile. Raw profile: "
            f"`{profile['pstats_name']}` (`python -m pstats {profile['pstats_name']}`).",
            "",
            "Wall-clock breakdown per turn, mean over the turns (nested, so rows do not add up: "
            "action runs include their HTTP request, the JSON-schema check of the response and "
            "the tracker's serialization; the turn includes everything but the REST channel "
            "and Sanic):",
            "",
        ]
        md += breakdown_rows(profile["breakdown"])
        md += ["", f"Top {profile['top']} by cumulative time:", ""]
        md += profile_rows(profile["pstats"], turns, profile["top"], "cumulative")
        md += ["", "Top 15 by own time (excluding callees):", ""]
        md += profile_rows(profile["pstats"], turns, 15, "tottime")
        md.append("")
    path = out / "bench.md"
    path.write_text("\n".join(md))
    return path

"""``python -m bench.scale``: throughput and p95 of 1 vs 2 Rasa replicas behind nginx, at 50 and 100
concurrent conversations, on PostgreSQL + Redis -> results/bench-scale.md (+ bench-scale.json).

Each set-up is a ``deploy.cluster.Cluster`` on free ports (2 action servers in both, so only the
number of Rasa replicas changes) with a fresh tracker database (``walkaway_bench_scale``, dropped
and re-created) and its own knowledge database (``walkaway_bench_knowledge``); the lock store is
Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379/1). The load is bench/harness.py's:
N conversations at once, each the 13 scripted messages, each sending its next message when the
previous reply arrived; throughput = answered turns / wall time, latency timed by the client.
Every replica first gets one warm-up conversation directly (not counted). Process logs, nginx's
access log and configuration: results/bench-scale-logs/<n>-replicas/.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from bench import harness
from bench.procs import ROOT, free_port, log
from bench.report import ms, rate, ratio, rx

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
TRACKER_DB, KNOWLEDGE_DB = "walkaway_bench_scale", "walkaway_bench_knowledge"


def _database(name: str) -> str:
    from sqlalchemy.engine import make_url

    return str(make_url(POSTGRES).set(database=name))


def fresh_tracker_database() -> str:
    """Drop (ending its sessions) and re-create the bench's tracker database; its URL."""
    from sqlalchemy import create_engine, text

    engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT", future=True)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = :name"), {"name": TRACKER_DB})
            connection.execute(text(f'DROP DATABASE IF EXISTS "{TRACKER_DB}"'))
            connection.execute(text(f'CREATE DATABASE "{TRACKER_DB}"'))
    finally:
        engine.dispose()
    return _database(TRACKER_DB)


def upstream_counts(access_log: Path, ports: Sequence[int]) -> Dict[int, int]:
    """REST requests nginx passed to each Rasa replica so far (from its access log)."""
    text = access_log.read_text(errors="replace") if access_log.exists() else ""
    return {p: len(re.findall(rf"/webhooks/rest/webhook .*upstream=127\.0\.0\.1:{p}\b", text)) for p in ports}


def measure(replicas: int, levels: Sequence[int], work: Path, build_knowledge: bool) -> Dict[str, Any]:
    """Start a cluster with ``replicas`` Rasa replicas, warm it up, run each load level; results."""
    from deploy.cluster import Cluster

    state = work / f"{replicas}-replicas"
    state.mkdir(parents=True, exist_ok=True)
    credentials = state / "credentials.yml"
    credentials.write_text("rest: {}\n")
    cluster = Cluster(
        rasa_replicas=replicas, action_replicas=2, port=free_port(), actions_port=free_port(),
        rasa_ports=[free_port() for _ in range(replicas)], action_ports=[free_port(), free_port()],
        tracker_store_url=fresh_tracker_database(), lock_store_url=REDIS,
        knowledge_db_url=_database(KNOWLEDGE_DB), state_dir=state, credentials=credentials,
        build_knowledge=build_knowledge, say=lambda message: log(f"  {message}"))
    log(f"{replicas} replica(s): starting the cluster (state and logs in {state})")
    started = time.monotonic()
    result: Dict[str, Any] = {"replicas": replicas, "action_servers": 2, "levels": []}
    with cluster:
        result["startup_s"] = time.monotonic() - started
        for i, url in enumerate(cluster.replica_urls):
            log(f"{replicas} replica(s): warm-up of rasa-{i} (13 messages, directly)")
            harness.run(harness.Client(url).sequential([harness.SIDE_BY_SIDE], 1, f"warm{i}"))
        access_log = state / "nginx-access.log"
        client = harness.Client(cluster.rasa_url, timeout=600)
        for level in levels:
            log(f"{replicas} replica(s): {level} concurrent conversations x {len(harness.SIDE_BY_SIDE)} turns")
            before = upstream_counts(access_log, cluster.rasa_ports)
            load_before = os.getloadavg()[0]
            entry = harness.run(client.concurrent(harness.SIDE_BY_SIDE, level, level))
            after = upstream_counts(access_log, cluster.rasa_ports)
            entry["per_replica"] = [after[p] - before[p] for p in cluster.rasa_ports]
            entry["load_before"], entry["load_after"] = load_before, os.getloadavg()[0]
            result["levels"].append(entry)
            log(f"  {rate(entry['turns_per_s'])}, p50 {ms(entry['p50_ms'])}, p95 {ms(entry['p95_ms'])}, "
                f"{entry['errors']} errors; turns per replica {entry['per_replica']}")
    return result


def _level(result: Dict[str, Any], level: int) -> Dict[str, Any]:
    return next((e for e in result["levels"] if e["concurrency"] == level), {})


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def write(results: List[Dict[str, Any]], meta: Dict[str, Any], out: Path) -> Path:
    """results/bench-scale.md and bench-scale.json."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench-scale.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    cpus = meta["cpus"]
    md = [
        "# Benchmark: 1 vs 2 Rasa replicas behind nginx (PostgreSQL + Redis)", "",
        f"`python -m bench.scale` on {meta['date']}: **{cpus} CPU cores** ({meta['cpu_model']}), "
        f"Python {meta['python']}, Rasa {meta['rasa']}; the run took {meta['total_s'] / 60:.1f} min. "
        f"Load average (1 min) before the run {meta['load_before']:.2f}, after {meta['load_after']:.2f}: "
        "other work on the machine takes CPU from the bot and skews every figure.", "",
        "Set-up (`deploy/cluster.py`, the same as `make scale-up` on free ports): nginx hashing each "
        "REST conversation to one Rasa replica (`rasa run`, one Sanic worker each), the tracker store "
        "in PostgreSQL, Rasa's ticket lock in Redis, 2 action servers behind nginx in both set-ups "
        "(only the number of Rasa replicas changes), the knowledge base in PostgreSQL. Load: N "
        f"conversations at once, each the {len(harness.SIDE_BY_SIDE)} scripted messages of "
        "bench/harness.py (FAQ, state-law questions, the start of a scenario), each sending its next "
        "message when the previous reply arrived. Throughput = answered turns / wall time; latency "
        "timed by the client (request sent to all replies received). Each replica got one warm-up "
        "conversation first (not counted).", "",
        "| Rasa replicas | concurrent conversations | turns | errors | throughput | p50 | p95 | p99 "
        "| turns per replica | load avg before → after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for e in result["levels"]:
            md.append(f"| {result['replicas']} | {e['concurrency']} | {e['turns']} | {e['errors']} | "
                      f"{rate(e['turns_per_s'])} | {ms(e['p50_ms'])} | {ms(e['p95_ms'])} | "
                      f"{ms(e['p99_ms'])} | {' / '.join(map(str, e['per_replica']))} | "
                      f"{e['load_before']:.1f} → {e['load_after']:.1f} |")
    by_replicas = {r["replicas"]: r for r in results}
    if 1 in by_replicas and 2 in by_replicas:
        md += ["", "| concurrent conversations | throughput, 2 replicas / 1 | p95, 2 replicas / 1 |",
               "|---|---|---|"]
        for level in meta["levels"]:
            one, two = _level(by_replicas[1], level), _level(by_replicas[2], level)
            md.append(f"| {level} | {rx(ratio(two.get('turns_per_s'), one.get('turns_per_s')))} | "
                      f"{rx(ratio(two.get('p95_ms'), one.get('p95_ms')))} |")
    md += ["", "Start-up until every process answered (model load): " + ", ".join(
        f"{r['replicas']} replica(s) {r['startup_s']:.0f} s" for r in results) + ".", "",
        "## Reading the figures", ""]
    if 1 in by_replicas and 2 in by_replicas:
        gains = ", ".join(
            f"{rx(ratio(_level(by_replicas[2], l).get('turns_per_s'), _level(by_replicas[1], l).get('turns_per_s')))}"
            f" at {l}" for l in meta["levels"])
        md.append(f"Throughput with 2 replicas relative to 1 in this run: {gains} concurrent conversations.")
    md.append("")
    if cpus <= 2:
        md.append(
            f"This machine has {cpus} cores. Every process of both set-ups runs on them: the Rasa "
            "replicas (a turn is CPU-bound: NLU, policies, and the synchronous tracker-store and "
            "lock-store calls, all on one event loop per replica), the action servers, nginx, "
            "PostgreSQL, Redis and the load generator. One replica leaves part of the second core "
            "idle while it waits for the action server and the databases, and a second replica can "
            "use only that part: 2 replicas cannot be expected to double throughput on 2 cores. "
            "What scaling out buys on one machine like this is mainly that a crashed replica costs "
            "no conversation (tests/scale); more throughput needs a core (or more) per replica, "
            "e.g. replicas on separate machines.")
    else:
        md.append(
            f"This machine has {cpus} cores, so each replica can have a core of its own; the gain "
            "from the second replica is limited by what the action servers, nginx, PostgreSQL, "
            "Redis and the load generator need on the same machine.")
    md += ["", "Turns per replica: nginx hashes each conversation id to a replica, so the split follows "
           "the hash of the ids, not the replicas' load (with few conversations it can be uneven).", ""]
    path = out / "bench-scale.md"
    path.write_text("\n".join(md))
    return path


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", type=int, nargs="+", default=[50, 100],
                        help="concurrent conversations (default: 50 100)")
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2],
                        help="Rasa replica counts to compare (default: 1 2)")
    parser.add_argument("--out", type=Path, default=ROOT / "results", help="report folder")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    started, load_before = time.monotonic(), os.getloadavg()[0]
    log(f"{os.cpu_count()} CPU cores, load average {load_before:.2f}; replicas {args.replicas}, "
        f"concurrency {args.levels}")
    results = []
    work = args.out.resolve() / "bench-scale-logs"
    for i, replicas in enumerate(args.replicas):
        results.append(measure(replicas, args.levels, work, build_knowledge=i == 0))
    import rasa

    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cpus": os.cpu_count(),
            "cpu_model": cpu_model(), "python": platform.python_version(), "rasa": rasa.__version__,
            "levels": args.levels, "total_s": time.monotonic() - started,
            "load_before": load_before, "load_after": os.getloadavg()[0]}
    path = write(results, meta, args.out.resolve())
    log(f"done in {meta['total_s'] / 60:.1f} min -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

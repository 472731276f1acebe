"""Command line: ``python -m knowledge build|check|show CODE|list [--non-recourse|--recourse CAT]``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from knowledge.settings import DATA_DIR


def _cmd_build(args: argparse.Namespace) -> int:
    from knowledge.loader import DataProblems, build

    try:
        summary = build(args.url, args.data_dir, strict=not args.allow_problems)
    except DataProblems as exc:
        print(exc, file=sys.stderr)
        print("not built: fix the data (or pass --allow-problems while the files are being written)", file=sys.stderr)
        return 1
    print(
        f"built {summary.url}: {summary.states} jurisdictions, {summary.alternatives} alternatives, "
        f"{summary.resources} help resources, {summary.facts} facts"
    )
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from knowledge.check import check, format_problems

    problems = check(args.data_dir)
    if problems:
        print(f"{len(problems)} problem(s) in {args.data_dir}:\n{format_problems(problems)}", file=sys.stderr)
        return 1
    print(f"{args.data_dir}: all data files are valid")
    return 0


def _repo(args: argparse.Namespace):
    from knowledge.repository import KnowledgeRepository

    return KnowledgeRepository(url=args.url) if args.url else KnowledgeRepository.from_env()


def _cmd_show(args: argparse.Namespace) -> int:
    from knowledge.answers import state_detail_lines

    law = _repo(args).state(args.code)
    if law is None:
        print(f"no record for {args.code!r}", file=sys.stderr)
        return 1
    print(f"{law.name} ({law.code}) — {law.recourse_category}, {law.foreclosure_process} foreclosure, confidence {law.confidence}")
    for line in state_detail_lines(law):
        print(line)
    print(f"protections ({len(law.protections)}):" if law.protections else "protections: none")
    for p in law.protections:
        print(f"  {p.key}: {p.effect} after {p.route} ({p.lender} lender) — {p.statute}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    recourse = "non_recourse_any" if args.non_recourse else args.recourse
    for law in _repo(args).states(recourse):
        print(f"{law.code}  {law.name:<22} {law.recourse_category:<24} {law.foreclosure_process:<12} {law.confidence}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from knowledge.repository import KnowledgeUnavailable

    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    parser.add_argument("--url", help="SQLAlchemy URL (default: KNOWLEDGE_DB_URL or sqlite:///build/knowledge.sqlite3)")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="data directory (default: knowledge/data)")
    sub = parser.add_subparsers(dest="command", required=True)
    build_p = sub.add_parser("build", help="(re)build the knowledge DB from the data files")
    build_p.add_argument("--allow-problems", action="store_true", help="load whatever can be read even if check fails")
    sub.add_parser("check", help="validate the data files; exit 1 on problems")
    show_p = sub.add_parser("show", help="show one jurisdiction, e.g. show TX")
    show_p.add_argument("code")
    list_p = sub.add_parser("list", help="list jurisdictions")
    group = list_p.add_mutually_exclusive_group()
    group.add_argument("--non-recourse", action="store_true", help="non-recourse and qualifying non-recourse only")
    group.add_argument("--recourse", help="one recourse_category value")
    args = parser.parse_args(argv)
    handlers = {"build": _cmd_build, "check": _cmd_check, "show": _cmd_show, "list": _cmd_list}
    try:
        return handlers[args.command](args)
    except KnowledgeUnavailable as exc:
        print(f"knowledge DB unavailable: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

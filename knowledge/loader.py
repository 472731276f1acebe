"""Build the knowledge DB from the data files (any SQLAlchemy URL).

Idempotent: every build drops and re-creates the knowledge tables in one transaction, then inserts
all records, so running it twice gives the same database.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from knowledge import models
from knowledge.check import (
    ALTERNATIVE_FIELDS,
    FACT_FIELDS,
    FICO_FIELDS,
    RESOURCE_FIELDS,
    STATE_FIELDS,
    check,
    format_problems,
    load_yaml,
)
from knowledge.schema import jsonable
from knowledge.settings import DATA_DIR, knowledge_db_url, resolve_db_url

logger = logging.getLogger(__name__)


class DataProblems(ValueError):
    """The data files failed ``knowledge.check``; ``problems`` lists why."""

    def __init__(self, problems: list[str]):
        super().__init__("knowledge data has problems:\n" + format_problems(problems))
        self.problems = problems


@dataclass(frozen=True)
class BuildSummary:
    url: str
    states: int
    alternatives: int
    resources: int
    facts: int


def make_engine(url: str | None = None) -> Engine:
    """A ``future=True`` engine; in-memory SQLite shares one connection across threads (StaticPool)."""
    url = resolve_db_url(url) if url else knowledge_db_url()
    if url in ("sqlite://", "sqlite:///:memory:"):
        return create_engine(
            url, future=True, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    if url.startswith("sqlite"):
        return create_engine(url, future=True, connect_args={"check_same_thread": False})
    return create_engine(url, future=True, pool_pre_ping=True)


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _row_values(record: dict, fields: dict) -> dict:
    values = {name: record.get(name) for name in fields}
    if "last_reviewed" in values:
        values["last_reviewed"] = _date(values["last_reviewed"])
    return values


def _state_values(record: dict) -> dict:
    """Column values of one state file; protections go to JSON with ISO dates (absent or not a
    list: [], which only a non-strict build lets through)."""
    values = _row_values(record, STATE_FIELDS)
    protections = values["protections"]
    values["protections"] = jsonable(protections) if isinstance(protections, list) else []
    return values


def read_data(data_dir: Path | str = DATA_DIR) -> dict[str, list[dict]]:
    """All records of the data directory, as plain dicts (no validation: run ``check`` for that)."""
    data_dir = Path(data_dir)
    states = []
    for path in sorted((data_dir / "states").glob("*.y*ml")):
        record, problem = load_yaml(path)
        if problem:
            raise DataProblems([problem])
        states.append(record)
    alternatives, problem = load_yaml(data_dir / "alternatives.yaml")
    if problem:
        raise DataProblems([problem])
    resources, problem = load_yaml(data_dir / "resources.yaml")
    if problem:
        raise DataProblems([problem])
    return {
        "states": states,
        "fico_impacts": alternatives.get("fico_impacts", []),
        "facts": alternatives.get("facts", []),
        "alternatives": alternatives.get("alternatives", []),
        "resources": resources.get("resources", []),
    }


def build(
    target: Engine | str | None = None, data_dir: Path | str = DATA_DIR, *, strict: bool = True
) -> BuildSummary:
    """(Re)build the knowledge tables at ``target`` (engine, URL, or KNOWLEDGE_DB_URL) from ``data_dir``.

    With ``strict`` (default) the data must pass ``knowledge.check`` first, else ``DataProblems``.
    Without it, any records that can be read are loaded (useful while the state files are written).
    """
    if strict:
        problems = check(data_dir)
        if problems:
            raise DataProblems(problems)
    data = read_data(data_dir)
    engine = target if isinstance(target, Engine) else make_engine(target)
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)

    with engine.begin() as connection:
        models.metadata.drop_all(connection)
        models.metadata.create_all(connection)
        with Session(bind=connection, future=True) as session:
            session.add_all(models.StateRow(**_state_values(r)) for r in data["states"])
            session.add_all(models.FicoImpactRow(**_row_values(r, FICO_FIELDS)) for r in data["fico_impacts"])
            session.add_all(models.FactRow(**_row_values(r, FACT_FIELDS)) for r in data["facts"])
            session.add_all(
                models.AlternativeRow(position=i, **_row_values(r, ALTERNATIVE_FIELDS))
                for i, r in enumerate(data["alternatives"])
            )
            session.add_all(
                models.ResourceRow(position=i, **_row_values(r, RESOURCE_FIELDS))
                for i, r in enumerate(data["resources"])
            )
            session.add(
                models.BuildInfoRow(
                    id=1,
                    built_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    state_count=len(data["states"]),
                    alternative_count=len(data["alternatives"]),
                    resource_count=len(data["resources"]),
                )
            )
            session.flush()
    summary = BuildSummary(
        url=url.render_as_string(hide_password=True),
        states=len(data["states"]),
        alternatives=len(data["alternatives"]),
        resources=len(data["resources"]),
        facts=len(data["facts"]),
    )
    logger.info("knowledge DB built: %s", summary)
    return summary

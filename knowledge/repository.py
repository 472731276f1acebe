"""Read access to the knowledge DB. ``KnowledgeRepository`` owns all SQL of the project.

Nothing touches the database at import or construction: the engine is created on first use and
every public method opens and closes its own Session. Results are frozen dataclasses, never ORM
objects. Database errors (and a missing SQLite file) surface as ``KnowledgeUnavailable``.
``StateLaw`` is generated from ``knowledge.schema.STATE_FIELDS``; its ``protections`` are
``Protection`` records (also buildable without a DB by ``protection_from_mapping``).
"""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, make_dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from knowledge import models
from knowledge.schema import (
    NON_RECOURSE_CATEGORIES,
    RECOURSE_CATEGORIES,
    STATE_FIELDS,
    Protection,
    protection_from_mapping,
    python_type,
)

T = TypeVar("T")

__all__ = [
    "Alternative", "Fact", "FicoImpact", "HelpResource", "KnowledgeRepository", "KnowledgeUnavailable",
    "NON_RECOURSE_CATEGORIES", "Protection", "StateLaw", "WaitingPeriod", "protection_from_mapping",
]


class KnowledgeUnavailable(RuntimeError):
    """The knowledge DB cannot be reached or read (wraps the SQLAlchemyError in ``__cause__``)."""


def _non_recourse(self) -> bool:
    """The state bars deficiencies on typical (or qualifying) home loans."""
    return self.recourse_category in NON_RECOURSE_CATEGORIES


def _protection(self, key: str) -> Protection | None:
    """The protection with this key ("trustee_sale_bar"), or None."""
    return next((p for p in self.protections if p.key == key), None)


# One field per entry of knowledge.schema.STATE_FIELDS (lists as tuples, dates as datetime.date,
# protections as a tuple of Protection), so the record follows the schema.
StateLaw = make_dataclass(
    "StateLaw",
    [(name, python_type(field)) for name, field in STATE_FIELDS.items()],
    namespace={
        "__module__": __name__,
        "__doc__": "One jurisdiction's foreclosure and deficiency law (fields: knowledge.schema.STATE_FIELDS).",
        "non_recourse": property(_non_recourse),
        "protection": _protection,
    },
    frozen=True,
)


@dataclass(frozen=True)
class WaitingPeriod:
    agency: str  # fannie_mae | freddie_mac | fha | va | usda
    years: float | None
    with_ec_years: float | None
    summary: str
    uncertain: bool


@dataclass(frozen=True)
class FicoImpact:
    event: str
    label: str
    ranges: tuple[tuple[int, int, int], ...]  # (start score, low, high)
    recovery_years: tuple[tuple[int, float, float], ...]  # (start score, min years, max years)
    sources: tuple[str, ...]
    last_reviewed: dt.date

    def range_for(self, start_score: int) -> tuple[int, int] | None:
        for start, low, high in self.ranges:
            if start == start_score:
                return low, high
        return None


@dataclass(frozen=True)
class Alternative:
    key: str
    name: str
    entity_value: str | None
    keeps_home: bool | None
    summary: str
    requires_current: bool | None
    requires_hardship: bool | None
    requires_lender_approval: bool
    requires_equity: bool | None
    eligibility_summary: str
    deficiency_effect: str
    deficiency_summary: str
    fico_event: str | None
    fico: FicoImpact | None
    credit_summary: str
    credit_report_years: float | None
    credit_report_summary: str
    waiting_periods: tuple[WaitingPeriod, ...]
    tax_summary: str
    tax_uncertain: bool
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    uncertain: tuple[str, ...]
    sources: tuple[str, ...]
    last_reviewed: dt.date

    def waiting_period(self, agency: str) -> WaitingPeriod | None:
        return next((w for w in self.waiting_periods if w.agency == agency), None)


@dataclass(frozen=True)
class Fact:
    key: str
    statement: str
    status: str  # confirmed | uncertain | single_source
    note: str
    sources: tuple[str, ...]
    last_reviewed: dt.date

    @property
    def uncertain(self) -> bool:
        return self.status != "confirmed"


@dataclass(frozen=True)
class HelpResource:
    key: str
    name: str
    kind: str
    description: str
    phone: str | None
    url: str | None
    cost: str
    when_to_use: str
    uncertain: tuple[str, ...]
    sources: tuple[str, ...]
    last_reviewed: dt.date


def _state(row: models.StateRow) -> StateLaw:
    values = {}
    for name, field in STATE_FIELDS.items():
        value = getattr(row, name)
        if field.kind == "protection_list":
            value = tuple(protection_from_mapping(p) for p in value or ())
        elif field.kind.endswith("_list"):
            value = tuple(value or ())
        values[name] = value
    return StateLaw(**values)


def _fico(row: models.FicoImpactRow) -> FicoImpact:
    return FicoImpact(
        event=row.event,
        label=row.label,
        ranges=tuple(sorted((int(k), int(v[0]), int(v[1])) for k, v in row.ranges.items())),
        recovery_years=tuple(sorted((int(k), float(v[0]), float(v[1])) for k, v in row.recovery_years.items())),
        sources=tuple(row.sources),
        last_reviewed=row.last_reviewed,
    )


_AGENCY_ORDER = ("fannie_mae", "freddie_mac", "fha", "va", "usda")


def _alternative(row: models.AlternativeRow, fico: FicoImpact | None) -> Alternative:
    periods = tuple(
        WaitingPeriod(agency=agency, **row.waiting_periods[agency])
        for agency in sorted(row.waiting_periods, key=lambda a: (_AGENCY_ORDER + (a,)).index(a))
    )
    skip = {"fico", "waiting_periods", "pros", "cons", "uncertain", "sources"}
    values = {f: getattr(row, f) for f in Alternative.__dataclass_fields__ if f not in skip}
    return Alternative(
        **values,
        fico=fico,
        waiting_periods=periods,
        pros=tuple(row.pros),
        cons=tuple(row.cons),
        uncertain=tuple(row.uncertain),
        sources=tuple(row.sources),
    )


def _resource(row: models.ResourceRow) -> HelpResource:
    values = {f: getattr(row, f) for f in HelpResource.__dataclass_fields__}
    values["uncertain"] = tuple(values["uncertain"])
    values["sources"] = tuple(values["sources"])
    return HelpResource(**values)


def _fact(row: models.FactRow) -> Fact:
    values = {f: getattr(row, f) for f in Fact.__dataclass_fields__}
    values["sources"] = tuple(values["sources"])
    return Fact(**values)


class KnowledgeRepository:
    """All queries against the knowledge DB. Thread-safe: a new Session per call."""

    def __init__(self, engine: Engine | None = None, *, url: str | None = None):
        """Use ``engine``, or an engine for ``url`` created on first use; neither: KNOWLEDGE_DB_URL."""
        self._engine = engine
        self._url = url
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls) -> "KnowledgeRepository":
        """Repository for KNOWLEDGE_DB_URL (default sqlite:///build/knowledge.sqlite3), read on first use."""
        return cls()

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                from knowledge.loader import make_engine
                from knowledge.settings import knowledge_db_url

                url = self._url or knowledge_db_url()
                self._check_sqlite_file(url)
                self._engine = make_engine(url)
            return self._engine

    @staticmethod
    def _check_sqlite_file(url: str) -> None:
        """Refuse to open a SQLite file that does not exist (SQLite would silently create an empty one)."""
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        database = parsed.database
        if parsed.get_backend_name() == "sqlite" and database and database != ":memory:":
            if not database.startswith("file:") and not Path(database).is_file():
                raise KnowledgeUnavailable(
                    f"knowledge DB file {database} does not exist; run `python -m knowledge build`"
                )

    def _run(self, work: Callable[[Session], T]) -> T:
        try:
            with Session(self.engine, future=True) as session:
                return work(session)
        except (SQLAlchemyError, ImportError) as exc:  # ImportError: the URL's DB driver is not installed
            raise KnowledgeUnavailable(f"knowledge DB query failed: {exc.__class__.__name__}: {exc}") from exc

    def _get(self, model: type, key: str, convert: Callable[[Any], T]) -> T | None:
        """One row by primary key, converted to its dataclass (None if absent)."""

        def work(session: Session) -> T | None:
            row = session.get(model, key)
            return convert(row) if row is not None else None

        return self._run(work)

    def _all(self, query: Any, convert: Callable[[Any], T]) -> list[T]:
        return self._run(lambda session: [convert(row) for row in session.execute(query).scalars()])

    # -- states ---------------------------------------------------------------------------------
    def state(self, code: str) -> StateLaw | None:
        """The record for a USPS code ("TX", "dc"); None for anything else."""
        if not isinstance(code, str) or not code.strip():
            return None
        key = code.strip().upper()
        if len(key) != 2 or not key.isalpha():
            return None
        return self._get(models.StateRow, key, _state)

    def states(self, recourse: str | Iterable[str] | None = None) -> list[StateLaw]:
        """All jurisdictions by name, or those in the given recourse category/categories.

        ``recourse`` is a recourse_category value, a list of them, or "non_recourse_any"
        (non_recourse + non_recourse_qualifying).
        """
        categories: tuple[str, ...] | None
        if recourse is None:
            categories = None
        elif recourse == "non_recourse_any":
            categories = NON_RECOURSE_CATEGORIES
        else:
            categories = (recourse,) if isinstance(recourse, str) else tuple(recourse)
            unknown = [c for c in categories if c not in RECOURSE_CATEGORIES]
            if unknown:
                raise ValueError(f"unknown recourse category {unknown}; use one of {RECOURSE_CATEGORIES}")

        def work(session: Session) -> list[StateLaw]:
            query = select(models.StateRow).order_by(models.StateRow.name)
            if categories is not None:
                query = query.where(models.StateRow.recourse_category.in_(categories))
            return [_state(row) for row in session.execute(query).scalars()]

        return self._run(work)

    # -- alternatives -----------------------------------------------------------------------------
    def alternatives(self, entity_value: str | None = None) -> list[Alternative]:
        """All alternatives in file order, or those for one ``alternative`` entity value
        (e.g. "bankruptcy" gives Chapter 7 and Chapter 13)."""

        def work(session: Session) -> list[Alternative]:
            query = select(models.AlternativeRow).order_by(models.AlternativeRow.position)
            if entity_value is not None:
                query = query.where(models.AlternativeRow.entity_value == entity_value)
            fico = {r.event: _fico(r) for r in session.execute(select(models.FicoImpactRow)).scalars()}
            return [_alternative(r, fico.get(r.fico_event)) for r in session.execute(query).scalars()]

        return self._run(work)

    def alternative(self, key: str) -> Alternative | None:
        """One alternative by key (refinance, short_sale, bankruptcy_ch7, foreclosure, ...)."""

        def work(session: Session) -> Alternative | None:
            row = session.get(models.AlternativeRow, key)
            if row is None:
                return None
            fico_row = session.get(models.FicoImpactRow, row.fico_event) if row.fico_event else None
            return _alternative(row, _fico(fico_row) if fico_row else None)

        return self._run(work)

    def fico_impacts(self) -> list[FicoImpact]:
        return self._all(select(models.FicoImpactRow).order_by(models.FicoImpactRow.event), _fico)

    # -- facts and resources --------------------------------------------------------------------------
    def fact(self, key: str) -> Fact | None:
        """A single fact with its status, e.g. fact("qpri_exclusion").status == "uncertain"."""
        return self._get(models.FactRow, key, _fact)

    def facts(self) -> list[Fact]:
        return self._all(select(models.FactRow).order_by(models.FactRow.key), _fact)

    def resources(self) -> list[HelpResource]:
        """Help resources in file order (HUD counselor first)."""
        return self._all(select(models.ResourceRow).order_by(models.ResourceRow.position), _resource)

    def resource(self, key: str) -> HelpResource | None:
        return self._get(models.ResourceRow, key, _resource)

    def build_info(self) -> dict[str, Any] | None:
        """When the DB was built and from how many records (None if never built)."""

        def work(session: Session) -> dict[str, Any] | None:
            row = session.get(models.BuildInfoRow, 1)
            if row is None:
                return None
            return {
                "built_at": row.built_at,
                "states": row.state_count,
                "alternatives": row.alternative_count,
                "resources": row.resource_count,
            }

        return self._run(work)

"""Fixtures for the knowledge tests: a copy of the data files in a temp directory, and a real
in-memory knowledge DB built from it by the real loader.

Every test of the repository runs on SQLite and on PostgreSQL (the scaled set-up's knowledge base).

The copy is the real data with fixed ``protections`` for CA and TX, so tests of the loader and the
repository can assert on them whatever the real files say.
"""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from knowledge.loader import build, make_engine
from knowledge.repository import KnowledgeRepository
from knowledge.settings import DATA_DIR
from tests.support.services import fresh_postgres_database

ENGINES = ["sqlite", "postgresql"]  # the embedded default and the scaled set-up

ANY_CONDITIONS = {
    "occupancy": "any",
    "lien_position": "any",
    "loan_purpose": "any",
    "lender_type": "any",
    "max_units": None,
    "max_acres": None,
    "loan_date_from": None,
    "loan_date_before": None,
    "unchecked": [],
}

CA_URL = "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CCP&sectionNum="


def protection(key: str, effect: str, route: str, lender: str = "foreclosing", **overrides) -> dict:
    """A complete protections entry (every key of SCHEMA.md); ``conditions`` merges into "any"."""
    conditions = {**ANY_CONDITIONS, **overrides.pop("conditions", {})}
    entry = {
        "key": key,
        "name": f"the {key.replace('_', ' ')}",
        "effect": effect,
        "route": route,
        "lender": lender,
        "conditions": conditions,
        "statute": f"Test Code §{key}",
        "summary": f"The {key.replace('_', ' ')} applies.",
        "sources": ["https://example.org/statute"],
        "decisions": [],
        "uncertain": [],
    }
    entry.update(overrides)
    return entry


FIXED_PROTECTIONS = {
    "CA": [
        protection(
            "purchase_money",
            "barred",
            "any",
            "any",
            conditions={"occupancy": ["primary"], "loan_purpose": ["purchase"], "max_units": 4},
            statute="Cal. Civ. Proc. Code §580b(a)(3)",
            sources=[CA_URL + "580b."],
        ),
        protection(
            "trustee_sale_bar",
            "barred",
            "nonjudicial",
            statute="Cal. Civ. Proc. Code §580d",
            sources=[CA_URL + "580d."],
            decisions=["Roseleaf v. Chierighino, 59 Cal. 2d 35 (1963)"],
        ),
        protection(
            "short_sale_bar",
            "barred",
            "short_sale",
            conditions={"max_units": 4, "loan_date_from": "2011-01-01", "unchecked": ["the lender approved the sale"]},
            sources=[CA_URL + "580e."],
            uncertain=["whether a junior lender that consented is covered"],
        ),
        protection("fair_value_cap", "capped", "judicial", conditions={"max_acres": 2.5}, sources=[CA_URL + "580a."]),
    ],
    "TX": [protection("fair_value_cap", "capped", "any", sources=["https://statutes.capitol.texas.gov/"])],
}


def write_fixture_data(target: Path) -> Path:
    """Copy the real data to ``target`` with the fixed CA and TX protections above."""
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.md"))
    for code, protections in FIXED_PROTECTIONS.items():
        path = target / "states" / f"{code}.yaml"
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        record["protections"] = protections
        path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def make_protection():
    """``protection(key, effect, route, lender="foreclosing", **overrides)`` -> a complete entry."""
    return protection


@pytest.fixture(scope="session")
def kb_data_dir(tmp_path_factory) -> Path:
    """The fixture data directory (read-only for tests; copy it to edit)."""
    return write_fixture_data(tmp_path_factory.mktemp("kb") / "data")


@pytest.fixture
def data_copy(kb_data_dir, tmp_path) -> Path:
    """A private, editable copy of the fixture data directory."""
    target = tmp_path / "data"
    shutil.copytree(kb_data_dir, target)
    return target


@contextmanager
def empty_database(engine_name: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty knowledge DB on SQLite (a file) or PostgreSQL (a fresh database)."""
    if engine_name == "postgresql":
        with fresh_postgres_database("walkaway_kb_test") as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'kb.sqlite3'}"


@pytest.fixture(scope="session", params=ENGINES)
def kb_engine(request, kb_data_dir, tmp_path_factory):
    """The fixture data built into each database engine the knowledge base runs on."""
    with empty_database(request.param, tmp_path_factory.mktemp("kb-db")) as url:
        engine = make_engine(url)
        build(engine, kb_data_dir)  # strict: the fixture data must pass knowledge.check
        yield engine
        engine.dispose()


@pytest.fixture(params=ENGINES)
def empty_kb_url(request, tmp_path) -> Iterator[str]:
    """A URL where no knowledge base has been built yet, on each engine."""
    with empty_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def repo(kb_engine) -> KnowledgeRepository:
    return KnowledgeRepository(kb_engine)

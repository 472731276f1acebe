"""Fixtures for the knowledge tests: a real in-memory knowledge DB built by the real loader."""
from __future__ import annotations

import pytest

from knowledge.loader import build, make_engine
from knowledge.repository import KnowledgeRepository


@pytest.fixture(scope="session")
def kb_engine():
    engine = make_engine("sqlite://")
    build(engine)  # strict: the real data files must pass knowledge.check
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def repo(kb_engine) -> KnowledgeRepository:
    return KnowledgeRepository(kb_engine)

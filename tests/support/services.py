"""PostgreSQL and Redis for the tests that need them (the scaled set-up's engines).

Where the service answers, the fixtures hand out a fresh PostgreSQL database (dropped afterwards) or a
Redis URL. Where it doesn't, the test is skipped with the reason — unless ``WALKAWAY_REQUIRE_SERVICES=1``
(set by ``.ci/run``, which starts both), and then the missing service fails the test instead.
Addresses: ``TEST_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``, a
maintenance database to create the test databases from) and ``TEST_REDIS_URL``
(default ``redis://127.0.0.1:6379/15``).
"""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def services_required() -> bool:
    return os.environ.get("WALKAWAY_REQUIRE_SERVICES") == "1"


def unavailable(reason: str) -> None:
    """Skip (or, where the services are promised, fail) the calling test."""
    if services_required():
        pytest.fail(f"{reason} (WALKAWAY_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def _admin_engine():
    from sqlalchemy import create_engine

    return create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)


def postgres_available() -> bool:
    from sqlalchemy import text

    try:
        engine = _admin_engine()
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@contextmanager
def fresh_postgres_database(prefix: str = "walkaway_test") -> Iterator[str]:
    """A new, empty PostgreSQL database; yields its URL and drops it (with any open sessions) after."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    if not postgres_available():
        unavailable(f"PostgreSQL does not answer at {POSTGRES_ADMIN_URL}")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = _admin_engine()
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield str(make_url(POSTGRES_ADMIN_URL).set(database=name))
    finally:
        with engine.connect() as connection:
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        engine.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def redis_url() -> str:
    """The test Redis database (flushed before the test)."""
    import redis

    client = redis.StrictRedis.from_url(REDIS_URL, socket_timeout=2)
    try:
        client.flushdb()
    except Exception as error:
        unavailable(f"Redis does not answer at {REDIS_URL}: {error}")
    finally:
        client.close()
    return REDIS_URL

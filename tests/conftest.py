"""Fixtures shared by every suite: PostgreSQL and Redis for the scaled set-up's tests."""
from tests.support.services import postgres_url, redis_url  # noqa: F401  (pytest fixtures)

"""Settings of the knowledge package, read from the environment.

``load_dotenv()`` runs once, lazily, the first time a setting is read (never at import).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlalchemy.engine import make_url

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"
DEFAULT_DB_URL = "sqlite:///build/knowledge.sqlite3"
ENV_DB_URL = "KNOWLEDGE_DB_URL"

_dotenv_lock = threading.Lock()
_dotenv_loaded = False


def load_env() -> None:
    """Load ``.env`` (repo root or the current directory) into os.environ once; existing variables win."""
    global _dotenv_loaded
    with _dotenv_lock:
        if _dotenv_loaded:
            return
        from dotenv import find_dotenv, load_dotenv

        root_env = REPO_ROOT / ".env"
        load_dotenv(root_env if root_env.is_file() else find_dotenv(usecwd=True) or None, override=False)
        _dotenv_loaded = True


def resolve_db_url(url: str) -> str:
    """Make a relative SQLite file path absolute against the repo root; other URLs are returned unchanged."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return url
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return url
    path = Path(database)
    if path.is_absolute():
        return url
    return str(parsed.set(database=str(REPO_ROOT / path)))


def knowledge_db_url() -> str:
    """The SQLAlchemy URL of the knowledge DB: ``KNOWLEDGE_DB_URL`` or ``sqlite:///build/knowledge.sqlite3``."""
    load_env()
    return resolve_db_url(os.environ.get(ENV_DB_URL) or DEFAULT_DB_URL)

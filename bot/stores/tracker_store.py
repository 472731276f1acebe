"""The conversation store: Rasa's SQL tracker store on any SQLAlchemy URL, which forgets on request.

endpoints.yml::

    tracker_store:
      type: bot.stores.tracker_store.ConversationStore
      url: ${TRACKER_STORE_URL}     # sqlite:///build/tracker.sqlite3 or postgresql://user@host/db

Why a subclass: when the user asks to be forgotten (the action ``action_forget_me`` ran in this
turn), the conversation must leave the database, on SQLite and PostgreSQL alike. Rasa saves the
tracker after the action has run, so the action server can't delete it (Rasa would write it back).
The store is the one place that sees the turn's events as it saves them: it deletes every stored
event of the sender in the same transaction instead, and the next message starts a new conversation.

On a SQLite file it also keeps its connections (SQLAlchemy 1.4 opens a new one per session for
files) and uses write-ahead logging with ``synchronous=NORMAL``: a turn's save no longer waits for
several fsyncs, and readers don't block the writer. The trade: a power cut (not a crash of the
process) may lose the last turns; the scaled set-up's PostgreSQL keeps its own guarantees.
"""
from __future__ import annotations

import logging
from typing import Any, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from knowledge.settings import resolve_db_url

logger = logging.getLogger(__name__)

FORGET_ME_ACTION = "action_forget_me"
DEFAULT_URL = "sqlite:///build/tracker.sqlite3"


def asked_to_forget(tracker: DialogueStateTracker) -> bool:
    """Whether ``action_forget_me`` ran in the turn being saved (since the last user message)."""
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted) and event.action_name == FORGET_ME_ACTION:
            return True
        if event.type_name == "user":
            return False
    return False


def _tune_sqlite(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")  # ms; another process (a test, a script) may be writing
    cursor.close()


class ConversationStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose ``host`` is a full SQLAlchemy URL, and which erases on forget-me.

    ``host``: the URL from endpoints.yml (empty: ``sqlite:///build/tracker.sqlite3``; a relative
    SQLite path is taken from the repository root). Other keyword arguments are Rasa's.
    """

    def __init__(self, domain: Optional[Domain] = None, host: Optional[Text] = None, **kwargs: Any) -> None:
        url = resolve_db_url((host or "").strip() or DEFAULT_URL)
        super().__init__(domain=domain, host=url, **kwargs)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            self._pool_sqlite_file(url)

    def _pool_sqlite_file(self, url: Text) -> None:
        """Replace Rasa's engine (a new connection per session) with a pooled, WAL-mode one."""
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool,
                                       connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", _tune_sqlite)
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the turn's new events, or — after forget-me — delete everything of this sender."""
        if asked_to_forget(tracker):
            deleted = self.erase(tracker.sender_id)
            logger.info("forget-me: erased a conversation (%s stored events)", deleted)
            return
        await super().save(tracker)

    def erase(self, sender_id: Text) -> int:
        """Delete every stored event of ``sender_id``, in all sessions; returns how many rows went."""
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
            return int(deleted or 0)

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

It also serves long conversations as a window (``bot.stores.window``): the state plus the last
turns, so a turn costs the same at message 120 as at message 10. A small table,
``conversation_windows``, remembers per sender where the window starts and the prefix that recreates
the state there; the ``events`` table keeps every event, as Rasa writes it.

On a SQLite file it also keeps its connections (SQLAlchemy 1.4 opens a new one per session for
files) and uses write-ahead logging with ``synchronous=NORMAL``: a turn's save no longer waits for
several fsyncs, and readers don't block the writer. The trade: a power cut (not a crash of the
process) may lose the last turns; the scaled set-up's PostgreSQL keeps its own guarantees.
"""
from __future__ import annotations

import itertools
import json
import logging
from typing import Any, Iterator, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stores import window
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


class SQLWindow(SQLTrackerStore.Base):  # type: ignore[misc,valid-type]
    """Where a sender's window starts: after event ``event_id`` of the session that started at
    ``session_start`` (a timestamp, None before any session start), with ``prefix`` (JSON events)."""

    __tablename__ = "conversation_windows"
    sender_id = sa.Column(sa.String(255), primary_key=True)
    event_id = sa.Column(sa.Integer, nullable=False)
    session_start = sa.Column(sa.Float)
    prefix = sa.Column(sa.Text, nullable=False)


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

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The latest session of ``sender_id`` as the bot needs it: the window's prefix, then the
        events after the window's start (all of the session while it is short). None if unknown."""
        with self.session_scope() as session:
            start = self._window(session, sender_id)
            rows = self._session_rows(session, sender_id, start).all()
            events = (json.loads(start.prefix) if start else []) + [json.loads(row.data) for row in rows]
        if not self.domain or not rows:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the turn's new events and move the window on when it has grown; or — after
        forget-me — delete everything of this sender."""
        if asked_to_forget(tracker):
            deleted = self.erase(tracker.sender_id)
            logger.info("forget-me: erased a conversation (%s stored events)", deleted)
            return
        await super().save(tracker)
        self._move_window(tracker)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """The tracker's events not stored yet (it holds the prefix, then the stored window)."""
        start = self._window(session, tracker.sender_id)
        stored = self._session_rows(session, tracker.sender_id, start).count()
        if start:
            stored += len(json.loads(start.prefix))
        return itertools.islice(tracker.events, stored, len(tracker.events))

    def _session_start(self, session: Any, sender_id: Text) -> Optional[float]:
        return (
            session.query(sa.func.max(self.SQLEvent.timestamp))
            .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name == SessionStarted.type_name)
            .scalar()
        )

    def _window(self, session: Any, sender_id: Text) -> Optional[SQLWindow]:
        """The sender's window start, if it belongs to the current session."""
        start = session.get(SQLWindow, sender_id)
        if start is None or start.session_start != self._session_start(session, sender_id):
            return None
        return start

    def _session_rows(self, session: Any, sender_id: Text, start: Optional[SQLWindow]) -> Any:
        query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
        return query.filter(self.SQLEvent.id > start.event_id) if start else query

    def _move_window(self, tracker: DialogueStateTracker) -> None:
        """Start the window later when it holds more than ``window.MAX_TURNS`` user turns."""
        events = list(tracker.events)
        if window.cut_index(events) is None:
            return  # too few user turns for any cut, whatever the prefix: no query needed
        with self.session_scope() as session:
            start = self._window(session, tracker.sender_id)
            prefix_length = len(json.loads(start.prefix)) if start else 0
            cut = window.cut_index(events, prefix_length)
            if cut is None or cut <= prefix_length:
                return
            # the events from cut-1 on are the newest stored rows of this sender, in order
            before_cut = (
                session.query(self.SQLEvent.id)
                .filter(self.SQLEvent.sender_id == tracker.sender_id)
                .order_by(self.SQLEvent.id.desc())
                .offset(len(events) - cut)
                .limit(1)
                .scalar()
            )
            if before_cut is None:
                return
            prefix = window.state_prefix(tracker.sender_id, events[:cut], self.domain.slots)
            session.merge(SQLWindow(sender_id=tracker.sender_id, event_id=before_cut,
                                    session_start=self._session_start(session, tracker.sender_id),
                                    prefix=json.dumps(prefix)))
            session.commit()

    def erase(self, sender_id: Text) -> int:
        """Delete every stored event of ``sender_id``, in all sessions, and its window; returns how
        many events went."""
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.query(SQLWindow).filter(SQLWindow.sender_id == sender_id).delete(synchronize_session=False)
            session.commit()
            return int(deleted or 0)

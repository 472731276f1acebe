"""The scaled set-up for the tests in this folder, and a load driver that talks to it over REST.

``cluster`` (one per test module): 2 Rasa replicas + 2 action servers behind nginx, on free ports,
on fresh PostgreSQL databases (tracker store, knowledge base) and the test Redis database. Skipped
(failed with WALKAWAY_REQUIRE_SERVICES=1) when nginx, PostgreSQL or Redis is missing.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Dict, List, Optional, Sequence

import aiohttp
import pytest

from tests.support.servers import MODEL, free_port
from tests.support.services import REDIS_URL, fresh_postgres_database, unavailable

TOKEN = "scale-test-token"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "scale: the scaled set-up (nginx, Rasa replicas, PostgreSQL, Redis); minutes")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A running ``deploy.cluster.Cluster`` (2 + 2 replicas), stopped after the module."""
    from deploy import prerequisites
    from deploy.cluster import Cluster

    if prerequisites.nginx_binary() is None:
        unavailable("nginx is not installed (apt-get install nginx)")
    problem = prerequisites.redis_problem(REDIS_URL)
    if problem:
        unavailable(f"Redis does not answer at {REDIS_URL}: {problem}")
    if not MODEL.exists():
        raise FileNotFoundError(f"{MODEL} is missing: run `make train` first")
    state = tmp_path_factory.mktemp("scale")
    credentials = state / "credentials.yml"
    credentials.write_text("rest: {}\n")
    with fresh_postgres_database("walkaway_scale") as tracker, \
            fresh_postgres_database("walkaway_scale_kb") as knowledge:
        running = Cluster(
            rasa_replicas=2, action_replicas=2, port=free_port(), actions_port=free_port(),
            rasa_ports=[free_port(), free_port()], action_ports=[free_port(), free_port()],
            tracker_store_url=tracker, lock_store_url=REDIS_URL, knowledge_db_url=knowledge,
            state_dir=state, credentials=credentials, api_token=TOKEN, install=False,
            say=lambda message: print(f"[cluster] {message}", flush=True))
        running.start()
        try:
            yield running
        finally:
            running.stop()


# ---------------------------------------------------------------------- load driver


@dataclass
class Turn:
    """One message as the user experienced it: the replies of the attempt that worked (``ok``),
    and the error of every failed attempt (HTTP status or exception), in order."""

    text: str
    ok: bool = False
    replies: List[Dict] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def reply(self) -> str:
        return "\n".join(str(r.get("text") or "") for r in self.replies)


@dataclass
class Conversation:
    sender: str
    texts: Sequence[str]
    turns: List[Turn] = field(default_factory=list)


class Load:
    """Conversations driven concurrently over REST, each sending its next message when the previous
    reply arrived; a failed message is sent again (``retries`` times, after ``pause`` s), as a
    user would. ``done`` counts answered turns (for timing a fault during the load)."""

    def __init__(self, url: str, retries: int = 1, pause: float = 1.0, timeout: float = 180) -> None:
        self.webhook = f"{url}/webhooks/rest/webhook"
        self.retries, self.pause = retries, pause
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.done = 0

    async def _post(self, session: aiohttp.ClientSession, sender: str, text: str) -> List[Dict]:
        async with session.post(self.webhook, json={"sender": sender, "message": text}) as response:
            body = await response.text()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}: {body[:120]}")
            replies = json.loads(body)
            if not isinstance(replies, list) or not replies:
                raise RuntimeError(f"no reply: {body[:120]}")
            return replies

    async def _converse(self, session: aiohttp.ClientSession, conversation: Conversation) -> None:
        for text in conversation.texts:
            turn = Turn(text)
            started = time.monotonic()
            for _attempt in range(self.retries + 1):
                try:
                    turn.replies = await self._post(session, conversation.sender, text)
                    turn.ok = True
                    break
                except Exception as error:  # noqa: BLE001 - the user sees an error and retries
                    turn.errors.append(f"{type(error).__name__}: {error}"[:160])
                    await asyncio.sleep(self.pause)
            turn.seconds = time.monotonic() - started
            conversation.turns.append(turn)
            self.done += 1
            if not turn.ok:
                return  # the user gives up

    async def _run(self, conversations: Sequence[Conversation],
                   during: Optional[Callable[["Load"], Awaitable[None]]]) -> None:
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(timeout=self.timeout, connector=connector) as session:
            jobs = [asyncio.create_task(self._converse(session, c)) for c in conversations]
            if during is not None:
                jobs.append(asyncio.create_task(during(self)))
            await asyncio.gather(*jobs)

    def run(self, conversations: Sequence[Conversation],
            during: Optional[Callable[["Load"], Awaitable[None]]] = None) -> float:
        """Drive every conversation to its end (``during(load)`` runs alongside); wall seconds."""
        started = time.monotonic()
        asyncio.run(self._run(conversations, during))
        return time.monotonic() - started


def after_turns(count: int, action: Callable[[], object], record: Dict) -> Callable[[Load], Awaitable[None]]:
    """A ``during`` hook: once ``count`` turns are answered, run ``action`` (in a thread) and note
    in ``record`` the turn count and time at that moment and its result."""
    async def hook(load: Load) -> None:
        while load.done < count:
            await asyncio.sleep(0.05)
        record.update(at_turn=load.done, at=time.monotonic())
        record["result"] = await asyncio.get_running_loop().run_in_executor(None, action)
    return hook


def stored_events(database_url: str) -> Dict[str, List[Dict]]:
    """Every event in the tracker store, by sender, in stored order (``type_name`` added to each)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT sender_id, type_name, data FROM events ORDER BY id")).fetchall()
    finally:
        engine.dispose()
    out: Dict[str, List[Dict]] = {}
    for sender, type_name, data in rows:
        out.setdefault(sender, []).append({**json.loads(data), "type_name": type_name})
    return out


def user_texts(events: Sequence[Dict]) -> List[str]:
    return [e.get("text") for e in events if e["type_name"] == "user"]


def bot_texts_by_turn(events: Sequence[Dict]) -> List[List[str]]:
    """The bot's messages of each user turn as a REST client receives them (the session start's
    messages count to the first turn; Rasa's REST channel sends a text's paragraphs, split on
    blank lines, as separate messages unless it has buttons; images and custom payloads are
    messages without text)."""
    turns: List[List[str]] = []
    current: List[str] = []
    seen_user = False
    for event in events:
        if event["type_name"] == "user":
            if seen_user:
                turns.append(current)
                current = []
            seen_user = True
        elif event["type_name"] == "bot":
            data, text = event.get("data") or {}, event.get("text")
            if data.get("buttons") or data.get("quick_replies"):
                current.append(text or "")
            elif text:
                current.extend(text.strip().split("\n\n"))
            current.extend("" for key in ("custom", "image", "attachment") if data.get(key))
    turns.append(current)
    return turns

"""The lock store chosen by LOCK_STORE_URL (bot.stores.lock_store.UrlLockStore)."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from bot.stores.lock_store import RedisUrlLockStore, UrlLockStore


def test_no_url_is_the_in_memory_lock_store():
    assert isinstance(LockStore.create(EndpointConfig(url="", type="bot.stores.lock_store.UrlLockStore")),
                      InMemoryLockStore)


def test_endpoints_yml_reads_the_url_from_the_environment(monkeypatch, redis_url):
    monkeypatch.setenv("LOCK_STORE_URL", redis_url)
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("TRACKER_STORE_URL", "sqlite:///build/tracker.sqlite3")
    store = LockStore.create(read_endpoint_config("endpoints.yml", "lock_store"))
    assert isinstance(store, RedisUrlLockStore)
    assert store.red.connection_pool.connection_kwargs["db"] == 15


def test_other_schemes_are_refused():
    with pytest.raises(ValueError, match="redis://"):
        UrlLockStore(EndpointConfig(url="postgresql://localhost/x"))


async def test_two_servers_sharing_redis_serve_one_conversation_in_turn(redis_url):
    """Two lock stores on the same Redis (two Rasa replicas): the second waits for the first's turn."""
    first, second = (UrlLockStore(EndpointConfig(url=redis_url)) for _ in range(2))
    order = []

    async def handle(store, name, hold):
        async with store.lock("conversation-1", wait_time_in_seconds=0.05):
            order.append(f"{name} in")
            await asyncio.sleep(hold)
            order.append(f"{name} out")

    task = asyncio.create_task(handle(first, "first", 0.5))
    await asyncio.sleep(0.1)
    await handle(second, "second", 0)
    await task
    assert order == ["first in", "first out", "second in", "second out"]
    assert second.get_lock("conversation-1") is None  # cleaned up after the last turn

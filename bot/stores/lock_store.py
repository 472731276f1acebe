"""The lock store from one URL: Rasa's in-memory lock store, or its Redis ticket lock.

endpoints.yml::

    lock_store:
      type: bot.stores.lock_store.UrlLockStore
      url: ${LOCK_STORE_URL}        # empty: in memory (one server); redis://host:6379/1: Redis

Why: Rasa picks the lock store by ``type`` and wants Redis as separate host/port/db/password keys,
so switching between the embedded and the scaled set-up would mean editing endpoints.yml. With one
URL the environment alone decides. Several Rasa replicas need the Redis lock *and* a load balancer
that sends one conversation to one replica (Rasa 3.6's ticket lock isn't atomic across processes;
RasaHQ/rasa#9213).
"""
from __future__ import annotations

from typing import Any, Optional, Text

from rasa.core.lock_store import (
    DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX,
    InMemoryLockStore,
    LockStore,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig


class RedisUrlLockStore(RedisLockStore):
    """Rasa's ``RedisLockStore`` connected from a ``redis://`` / ``rediss://`` URL."""

    def __init__(self, url: Text, key_prefix: Optional[Text] = None, socket_timeout: float = 10.0) -> None:
        import redis

        self.red = redis.StrictRedis.from_url(url, socket_timeout=socket_timeout)
        self.key_prefix = DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        if key_prefix:
            self._set_key_prefix(key_prefix)
        LockStore.__init__(self)


class UrlLockStore(LockStore):
    """Factory Rasa instantiates from endpoints.yml; returns the lock store the URL names.

    ``endpoint_config.url``: empty → ``InMemoryLockStore``; ``redis://…`` → ``RedisUrlLockStore``
    (``key_prefix`` and ``socket_timeout`` from the same section are passed on).
    Raises ``ValueError`` for any other scheme.
    """

    def __new__(cls, endpoint_config: Optional[EndpointConfig] = None, **_: Any) -> LockStore:  # type: ignore[misc]
        url = ((endpoint_config.url if endpoint_config else None) or "").strip()
        if not url:
            return InMemoryLockStore()
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"LOCK_STORE_URL must be empty or a redis:// URL, not {url.split(':')[0]}://…")
        kwargs = endpoint_config.kwargs if endpoint_config else {}
        return RedisUrlLockStore(
            url, key_prefix=kwargs.get("key_prefix"), socket_timeout=float(kwargs.get("socket_timeout", 10))
        )

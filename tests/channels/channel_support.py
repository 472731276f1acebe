"""Helpers for the channel tests: free ports, fake Slack / Telegram API servers, polling."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import requests

from aiohttp import web

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
RASA = str(Path(sys.executable).with_name("rasa"))

# environment variables that configure channels: never inherited by the test servers
CHANNEL_ENV = (
    "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "SLACK_USE_THREADS",
    "SLACK_CHANNEL", "SLACK_CONVERSATION_GRANULARITY", "TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_SECRET_TOKEN", "TELEGRAM_API_URL", "TELEGRAM_REGISTER_WEBHOOK", "WEB_ORIGINS",
    "RASA_AUTH_TOKEN",
)

# secrets of the test environment (the fixtures start `rasa run` with them)
SLACK_SECRET = "test-signing-secret"
SLACK_TOKEN = "xoxb-test-token"
TELEGRAM_TOKEN = "123456:TEST-token_abc"
TELEGRAM_SECRET = "test-telegram-secret_0123456789"
AUTH_TOKEN = "test-api-token"
ALLOWED_ORIGIN = "http://allowed.example"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate: Callable[[], Any], timeout: float = 20.0, interval: float = 0.1) -> Any:
    """Poll ``predicate`` until it returns something truthy; return it (or the last falsy value)."""
    deadline = time.monotonic() + timeout
    result = predicate()
    while not result and time.monotonic() < deadline:
        time.sleep(interval)
        result = predicate()
    return result


@dataclass
class Recorded:
    path: str
    method: str  # API method name (chat.postMessage, sendMessage, ...)
    headers: Dict[str, str]
    data: Dict[str, Any]


@dataclass
class FakeAPIServer:
    """A real aiohttp server on 127.0.0.1 in its own thread, recording the calls it receives."""

    port: int = field(default_factory=free_port)
    calls: List[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._runner: Optional[web.AppRunner] = None
        self._thread: Optional[threading.Thread] = None
        self._lock = threading.Lock()

    # subclasses: return (api method name, json response) for a request
    async def handle(self, request: web.Request) -> web.Response:  # pragma: no cover
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def record(self, call: Recorded) -> None:
        with self._lock:
            self.calls.append(call)

    def calls_for(self, method: str, **match: Any) -> List[Recorded]:
        with self._lock:
            calls = list(self.calls)
        return [
            c
            for c in calls
            if c.method == method and all(str(c.data.get(k)) == str(v) for k, v in match.items())
        ]

    def start(self) -> "FakeAPIServer":
        started = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", self.handle)
            self._runner = web.AppRunner(app)
            loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", self.port)
            loop.run_until_complete(site.start())
            started.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, daemon=True, name=type(self).__name__)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError(f"{type(self).__name__} did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop = None
            self._thread = None


class FakeSlackAPI(FakeAPIServer):
    """Slack Web API stand-in: answers every method under /api/ with ok=true."""

    async def handle(self, request: web.Request) -> web.Response:
        method = request.path.rsplit("/", 1)[-1]
        if request.content_type == "application/json":
            data = await request.json()
        else:
            data = dict(await request.post())
        self.record(Recorded(request.path, method, dict(request.headers), data))
        return web.json_response({"ok": True, "channel": data.get("channel"), "ts": f"{time.time():.6f}"})


class FakeTelegramAPI(FakeAPIServer):
    """Telegram Bot API stand-in: /bot<token>/<method>."""

    bot_username = "walkaway_test_bot"

    async def handle(self, request: web.Request) -> web.Response:
        method = request.path.rsplit("/", 1)[-1]
        if request.content_type == "application/json":
            data = await request.json()
        else:
            data = dict(await request.post())
        self.record(Recorded(request.path, method, dict(request.headers), data))
        if method == "getMe":
            result: Any = {"id": 123, "is_bot": True, "first_name": "Walkaway", "username": self.bot_username}
        elif method in {"sendMessage", "sendPhoto"}:
            result = {
                "message_id": len(self.calls),
                "date": int(time.time()),
                "chat": {"id": int(data.get("chat_id", 0)), "type": "private"},
                "text": data.get("text", ""),
            }
        else:
            result = True
        return web.json_response({"ok": True, "result": result})


def slack_signature(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def slack_headers(secret: str, body: bytes, timestamp: Optional[int] = None, **extra: str) -> Dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": slack_signature(secret, ts, body),
    }
    headers.update(extra)
    return headers


def slack_event(text: str, *, channel: str, user: str, ts: str, event_type: str = "message",
                channel_type: str = "im", thread_ts: Optional[str] = None,
                bot_user: str = "UBOT", event_id: Optional[str] = None) -> bytes:
    event: Dict[str, Any] = {
        "type": event_type,
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "channel_type": channel_type,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    if event_type == "app_mention":
        event.pop("channel_type")
    payload = {
        "token": "legacy-unused",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": event_id or f"Ev{channel}{ts.replace('.', '')}{event_type}",
        "event_time": int(time.time()),
        "authorizations": [{"user_id": bot_user, "is_bot": True}],
        "event": event,
    }
    return json.dumps(payload).encode()


@dataclass
class RasaServer:
    url: str
    port: int
    process: subprocess.Popen
    log: Path
    credentials: Path
    env: Dict[str, str]

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def start_rasa(
    model: Path,
    tmp: Path,
    env_overrides: Dict[str, str],
    timeout: float = 300,
    endpoints: Optional[Path] = None,
) -> RasaServer:
    """Start `rasa run` through bot.credentials; "{port}" in an env value becomes the chosen port.

    ``endpoints``: an endpoints.yml; by default an empty one (no action server, in-memory tracker).
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in CHANNEL_ENV}
    env.update({k: v.replace("{port}", str(port)) for k, v in env_overrides.items()})
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    if endpoints is None:
        endpoints = tmp / "endpoints.yml"
        endpoints.write_text("{}\n")
    credentials = tmp / "credentials.yml"
    log = tmp / "rasa.log"
    command = [
        PYTHON, "-m", "bot.credentials", "--out", str(credentials), "--exec", "--",
        "-m", str(model), "-i", "127.0.0.1", "-p", str(port), "--endpoints", str(endpoints),
    ]
    handle = open(log, "wb")
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT)
    server = RasaServer(f"http://127.0.0.1:{port}", port, process, log, credentials, env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"rasa run exited with {process.returncode}:\n{server.log_tail()}")
        try:
            if requests.get(server.url + "/", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(1)
    process.terminate()
    raise RuntimeError(f"rasa run not ready after {timeout} s:\n{server.log_tail()}")


def stop_rasa(server: RasaServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(10)

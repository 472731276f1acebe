"""The webchat socket.io channel in a real Sanic server, spoken to by a real socket.io client.

Regression test for the reply loss of Rasa 3.6.21's socket.io channel with session persistence:
Rasa calls ``AsyncServer.enter_room`` without ``await``; since python-socketio 5.10 it is a
coroutine, so the socket never joins the session room and every ``bot_uttered`` is lost.
``CoroutineEnterRoomServer`` makes ``enter_room`` a coroutine whatever python-socketio is installed,
so ``test_reply_reaches_the_session_room`` fails if the fix in bot/channels/webchat.py is removed.
"""

from __future__ import annotations

import asyncio
import inspect
import uuid
from typing import Any, List

import aiohttp
import pytest
import socketio
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.channels.webchat import WebchatInput
from channel_support import free_port

# several Sanic apps in one process: Sanic 21.12's TouchUp rewrites class methods once per
# process unless test_mode keeps the originals
Sanic.test_mode = True


class CoroutineEnterRoomServer(socketio.AsyncServer):
    """python-socketio >= 5.10 behaviour on any version: enter/leave_room are coroutines."""

    async def enter_room(self, sid, room, namespace=None):  # type: ignore[override]
        result = super().enter_room(sid, room, namespace=namespace)
        if inspect.isawaitable(result):
            await result

    async def leave_room(self, sid, room, namespace=None):  # type: ignore[override]
        result = super().leave_room(sid, room, namespace=namespace)
        if inspect.isawaitable(result):
            await result


async def echo(message: UserMessage) -> None:
    await message.output_channel.send_text_with_buttons(
        message.sender_id,
        f"echo from {message.sender_id}: {message.text}\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        [{"title": "Again", "payload": "/again"}],
    )


class Server:
    def __init__(self, channel: Any) -> None:
        self.channel = channel
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = Sanic(f"webchat_test_{uuid.uuid4().hex[:8]}")
        self.app.blueprint(channel.blueprint(echo), url_prefix=f"/webhooks/{channel.url_prefix()}")

    async def __aenter__(self) -> "Server":
        self.server = await self.app.create_server(
            host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False
        )
        await self.server.startup()
        await self.server.before_start()
        await self.server.start_serving()
        await self.server.after_start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.server.before_stop()
        self.server.close()
        await self.server.wait_closed()
        await self.server.after_stop()


async def talk(url: str, session_id: Any, text: str, wait: float = 5.0) -> tuple:
    """Connect, request a session, send ``text``; return (confirmed id, bot messages)."""
    client = socketio.AsyncClient(reconnection=False)
    received: List[dict] = []
    confirmed: "asyncio.Future[str]" = asyncio.get_running_loop().create_future()
    got_reply = asyncio.Event()

    @client.on("session_confirm")
    async def on_confirm(data: Any) -> None:
        if not confirmed.done():
            confirmed.set_result(data)

    @client.on("bot_uttered")
    async def on_bot(data: dict) -> None:
        received.append(data)
        got_reply.set()

    await client.connect(url, socketio_path="/socket.io", transports=["websocket"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        sid = await asyncio.wait_for(confirmed, 5)
        await client.emit("user_uttered", {"message": text, "session_id": sid})
        try:
            await asyncio.wait_for(got_reply.wait(), wait)
        except asyncio.TimeoutError:
            pass
    finally:
        await client.disconnect()
    return sid, received


@pytest.mark.asyncio
@pytest.mark.parametrize("server_class", [socketio.AsyncServer, CoroutineEnterRoomServer])
async def test_reply_reaches_the_session_room(server_class):
    channel = WebchatInput(session_persistence=True)
    channel.server_class = server_class
    async with Server(channel) as server:
        session_id, replies = await talk(server.url, None, "hello")
    assert len(session_id) == 32
    assert replies, "bot_uttered lost: the socket did not join the session room"
    # one message per reply: markdown (incl. the table) is not split on blank lines
    assert replies == [
        {
            "text": f"echo from {session_id}: hello\n\n| a | b |\n|---|---|\n| 1 | 2 |",
            "quick_replies": [{"content_type": "text", "title": "Again", "payload": "/again"}],
        }
    ]


@pytest.mark.asyncio
async def test_session_survives_reconnect_and_rejects_foreign_ids():
    channel = WebchatInput(session_persistence=True)
    channel.server_class = CoroutineEnterRoomServer
    async with Server(channel) as server:
        first, _ = await talk(server.url, None, "one")
        again, replies = await talk(server.url, first, "two")
        assert again == first
        assert replies[0]["text"].startswith(f"echo from {first}: two")
        # short / guessable ids are replaced by a fresh server-made one
        other, replies = await talk(server.url, "alice", "three")
        assert other != "alice" and len(other) == 32
        assert replies[0]["text"].startswith(f"echo from {other}: three")


@pytest.mark.asyncio
async def test_origin_check_same_origin_or_configured_only():
    async def handshake(url: str, origin: str) -> int:
        async with aiohttp.ClientSession() as http:
            async with http.get(
                f"{url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin}
            ) as response:
                return response.status

    async with Server(WebchatInput()) as server:
        assert await handshake(server.url, server.url) == 200
        assert await handshake(server.url, "http://evil.example") == 400
    async with Server(WebchatInput(cors_allowed_origins=["https://site.example"])) as server:
        assert await handshake(server.url, "https://site.example") == 200
        assert await handshake(server.url, server.url) == 200  # the page's own origin still works
        assert await handshake(server.url, "http://evil.example") == 400

"""Website widget channel: Rasa's socket.io channel, fixed, plus the chat page itself.

credentials.yml::

    bot.channels.webchat.WebchatInput:
      session_persistence: true
      cors_allowed_origins: []        # origins allowed to connect besides the page's own (WEB_ORIGINS)

Routes (registered under /webhooks/webchat/ by Rasa):
- ``GET /webhooks/webchat/``: the chat page for browsers (Accept: text/html), ``{"status": "ok"}`` otherwise
- ``GET /webhooks/webchat/static/<file>``: the widget's assets (bot/web/ and whitelisted files of node_modules)
- socket.io on ``/socket.io`` (protocol: Rasa's ``session_request``/``session_confirm``/``user_uttered``/``bot_uttered``)

Differences from ``rasa.core.channels.socketio.SocketIOInput`` (Rasa 3.6.21):
- ``AsyncServer.enter_room`` is awaited when it is a coroutine (python-socketio >= 5.10). Rasa calls it
  without ``await``, so with session persistence the socket never joins the session room and every
  reply is lost (RasaHQ/rasa#13027).
- Engine.IO's origin check is on: the page's own origin plus the configured origins (WEB_ORIGINS).
  Rasa passes ``cors_allowed_origins=[]``, which accepts websockets from any site.
- A reply is sent as one message (Rasa splits text on blank lines, which breaks markdown lists and
  tables into separate bubbles); buttons are sent as ``quick_replies`` with it.
- Session ids are only accepted in the server's own format (32 hex chars), so a page cannot pick a
  short guessable id.
"""

from __future__ import annotations

import inspect
import json
import logging
import re
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import rasa.core.channels.channel
import rasa.shared.utils.io
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.clean_input import cleaned

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
WEB_DIR = REPO_ROOT / "bot" / "web"
NODE_MODULES = REPO_ROOT / "node_modules"

# Files the page may load: name in the URL -> file on disk. Nothing else is served.
STATIC_FILES: Dict[str, Path] = {
    "widget.js": WEB_DIR / "widget.js",
    "widget.css": WEB_DIR / "widget.css",
    "favicon.svg": WEB_DIR / "favicon.svg",
    "socket.io.min.js": NODE_MODULES / "socket.io-client" / "dist" / "socket.io.min.js",
    "marked.umd.js": NODE_MODULES / "marked" / "lib" / "marked.umd.js",
    "purify.min.js": NODE_MODULES / "dompurify" / "dist" / "purify.min.js",
}
MIME_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


async def maybe_await(result: Any) -> Any:
    """Await ``result`` if it is awaitable (python-socketio >= 5.10 made enter_room a coroutine)."""
    if inspect.isawaitable(result):
        return await result
    return result


class WebchatOutput(SocketIOOutput):
    """socket.io output that keeps a reply (markdown) in one message."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"text": text.strip()})

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        **kwargs: Any,
    ) -> None:
        await self._send_message(
            recipient_id,
            {
                "text": text.strip(),
                "quick_replies": [
                    {
                        "content_type": "text",
                        "title": button["title"],
                        "payload": button["payload"],
                    }
                    for button in buttons
                ],
            },
        )


class WebchatInput(SocketIOInput):
    """The website widget's channel (socket.io + the page that talks to it)."""

    # the socket.io server class; a test swaps in a variant to check both enter_room flavours
    server_class = AsyncServer

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        origins = credentials.get("cors_allowed_origins") or []
        if isinstance(origins, str):
            origins = [o.strip() for o in origins.split(",") if o.strip()]
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            bool(credentials.get("session_persistence", True)),
            credentials.get("socketio_path", "/socket.io"),
            credentials.get("jwt_key"),
            credentials.get("jwt_method", "HS256"),
            credentials.get("metadata_key", "metadata"),
            cors_allowed_origins=list(origins),
        )

    def __init__(
        self,
        user_message_evt: Text = "user_uttered",
        bot_message_evt: Text = "bot_uttered",
        namespace: Optional[Text] = None,
        session_persistence: bool = True,
        socketio_path: Optional[Text] = "/socket.io",
        jwt_key: Optional[Text] = None,
        jwt_method: Optional[Text] = "HS256",
        metadata_key: Optional[Text] = "metadata",
        cors_allowed_origins: Optional[List[Text]] = None,
    ) -> None:
        super().__init__(
            user_message_evt,
            bot_message_evt,
            namespace,
            session_persistence,
            socketio_path,
            jwt_key,
            jwt_method,
            metadata_key,
        )
        self.cors_allowed_origins = list(cors_allowed_origins or [])

    def get_output_channel(self) -> Optional[OutputChannel]:
        if self.sio is None:
            return super().get_output_channel()
        return WebchatOutput(self.sio, self.bot_message_evt)

    # --- the page -------------------------------------------------------------------------

    def _page(self) -> str:
        config = {
            "socketPath": self.socketio_path,
            "staticBase": f"/webhooks/{self.url_prefix()}/static/",
        }
        template = (WEB_DIR / "index.html").read_text(encoding="utf-8")
        # JSON inside <script type="application/json">: "</" must not close the element
        config_json = json.dumps(config).replace("</", "<\\/")
        return template.replace("{{CONFIG_JSON}}", config_json).replace(
            "{{STATIC}}", config["staticBase"]
        )

    @staticmethod
    def _security_headers() -> Dict[str, str]:
        return {
            "Content-Security-Policy": (
                "default-src 'self'; script-src 'self'; style-src 'self'; "
                "img-src 'self' data:; connect-src 'self' ws: wss:; "
                "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
            ),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        }

    @staticmethod
    def _allow_extra_origins(sio: AsyncServer, origins: List[Text]) -> None:
        """Accept the configured origins in addition to the page's own origin.

        Engine.IO accepts either "same origin" (None) or a fixed list; a list alone would lock out
        the page served by this very server, so the same-origin computation is extended.
        """
        eio = sio.eio
        same_origin = getattr(eio, "_cors_allowed_origins", None)
        if same_origin is None:  # a python-engineio without the hook: the list alone
            eio.cors_allowed_origins = list(origins)
            return

        def allowed(environ: Dict[str, Any]) -> List[str]:
            return list(same_origin(environ) or []) + list(origins)

        eio._cors_allowed_origins = allowed

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        on_new_message = cleaned(on_new_message)
        # None = engineio's default: only the page's own origin may connect
        sio = self.server_class(async_mode="sanic", cors_allowed_origins=None)
        if self.cors_allowed_origins:
            self._allow_extra_origins(sio, self.cors_allowed_origins)
        webchat = SocketBlueprint(sio, self.socketio_path, "webchat_webhook", __name__)
        self.sio = sio

        @webchat.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            if "text/html" not in request.headers.get("accept", ""):
                return response.json({"status": "ok"})
            return response.html(self._page(), headers=self._security_headers())

        @webchat.route("/health", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webchat.route("/static/<name>", methods=["GET"], name="static_file")
        async def static_file(_: Request, name: str) -> HTTPResponse:
            path = STATIC_FILES.get(name)
            if path is None or not path.is_file():
                return response.text("not found", status=404)
            return await response.file(
                path,
                mime_type=MIME_TYPES.get(path.suffix, "application/octet-stream"),
                headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
            )

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            if self.jwt_key:
                token = (auth or {}).get("token")
                payload = (
                    rasa.core.channels.channel.decode_bearer_token(
                        token, self.jwt_key, self.jwt_algorithm
                    )
                    if token
                    else None
                )
                return bool(payload)
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            logger.debug(f"User {sid} disconnected from the webchat socket.")

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            requested = (data or {}).get("session_id")
            if isinstance(requested, str) and SESSION_ID.match(requested):
                session_id = requested
            else:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                # the fix: Rasa 3.6.21 does not await this coroutine (python-socketio >= 5.10)
                async with sio.session(sid, namespace=self.namespace) as session:
                    previous = session.get("session_id")
                    session["session_id"] = session_id
                if previous and previous != session_id:
                    await maybe_await(sio.leave_room(sid, previous, namespace=self.namespace))
                await maybe_await(sio.enter_room(sid, session_id, namespace=self.namespace))
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Dict) -> None:
            if not isinstance(data, dict):
                return
            output_channel = WebchatOutput(sio, self.bot_message_evt)
            if self.session_persistence:
                session = await sio.get_session(sid, namespace=self.namespace)
                session_id = session.get("session_id")
                if not session_id or data.get("session_id") not in (None, session_id):
                    rasa.shared.utils.io.raise_warning(
                        "A webchat message without a confirmed session was ignored; the client "
                        "must send `session_request` first."
                    )
                    return
                sender_id = session_id
            else:
                sender_id = sid

            text = data.get("message", "")
            if not isinstance(text, str) or not text.strip():
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            if not isinstance(metadata, dict):
                metadata = {}
            message = UserMessage(
                text[:2000],
                output_channel,
                sender_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            await on_new_message(message)

        return webchat


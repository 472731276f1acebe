"""Telegram channel: Rasa's Telegram connector made safe to run offline and authenticated.

credentials.yml (written by bot/credentials.py when TELEGRAM_TOKEN and TELEGRAM_WEBHOOK_URL are set)::

    bot.channels.telegram_channel.WalkawayTelegramInput:
      access_token: "123456:ABC..."          # TELEGRAM_TOKEN
      webhook_url: https://host/webhooks/telegram/webhook   # TELEGRAM_WEBHOOK_URL
      secret_token: ...                      # TELEGRAM_SECRET_TOKEN (derived from the token if unset)
      api_url: https://api.telegram.org      # TELEGRAM_API_URL; tests point it at a local fake Bot API

Differences from ``rasa.core.channels.telegram`` (Rasa 3.6.21):
- Every update must carry ``X-Telegram-Bot-Api-Secret-Token`` equal to the secret token registered
  with ``setWebhook``; anything else gets 403. Rasa checks nothing (its ``verify`` is the public bot
  name, fetched with a ``getMe`` round trip on every update).
- No network at start-up: ``setWebhook`` (with the secret token) runs in the background after the
  server started; a failure is logged and the server keeps serving. ``POST /webhooks/telegram/set_webhook``
  (secret header required) retries it.
- Bot API errors (unreachable, rejected) are logged, never raised: the webhook always answers 200 to an
  authenticated update so Telegram does not re-deliver it; a re-delivered ``update_id`` is ignored.
- ``/start`` greets and shows what the bot can do (``/greet`` then ``/help``); ``/cmd@BotName`` works.
- Replies use parse_mode HTML converted from the bot's markdown (tables become lists); buttons become
  an inline keyboard, one button per row; payloads longer than Telegram's 64-byte callback_data limit
  are kept server-side and resolved when the button is pressed.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections import OrderedDict
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import aiohttp
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.clean_input import cleaned
from bot.channels.formatting import TELEGRAM_MAX_MESSAGE, chunk_text, to_telegram_html

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit for callback_data
START_MESSAGES = ("/greet", "/help")
API_ERRORS = (TelegramAPIError, aiohttp.ClientError, asyncio.TimeoutError, OSError)


def derive_secret_token(access_token: str) -> str:
    """A webhook secret derived from the bot token (only Telegram and we know the token)."""
    return hashlib.sha256(f"walkaway-telegram-webhook:{access_token}".encode()).hexdigest()


class _Bounded(OrderedDict):
    def __init__(self, max_size: int) -> None:
        super().__init__()
        self.max_size = max_size

    def put(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.max_size:
            self.popitem(last=False)


class WalkawayTelegramOutput(TelegramOutput):
    """Telegram output: HTML text, inline keyboards, errors logged instead of raised."""

    def __init__(self, access_token: Optional[Text], api_url: Optional[Text] = None) -> None:
        super().__init__(access_token)
        self.server = TelegramAPIServer.from_base(api_url or DEFAULT_API_URL)
        self.timeout = 20
        # callback_data -> button payload, for payloads over the 64-byte limit
        self.long_payloads: _Bounded = _Bounded(5000)

    def callback_data(self, payload: str) -> str:
        if len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
            return payload
        key = "#" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:20]
        self.long_payloads.put(key, payload)
        return key

    async def _send_html(
        self, recipient_id: Text, text: Text, reply_markup: Optional[Any] = None
    ) -> None:
        parts = chunk_text(to_telegram_html(text), TELEGRAM_MAX_MESSAGE) or [" "]
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            try:
                await self.send_message(
                    recipient_id,
                    part,
                    parse_mode="HTML",
                    disable_web_page_preview=True,
                    reply_markup=reply_markup if last else None,
                )
            except API_ERRORS as error:
                logger.error(f"Telegram sendMessage failed, reply lost: {error!r}")
                return

    async def close_session(self) -> None:
        """Close the HTTP session (aiogram 2's ``close()`` is deprecated: it becomes an API call)."""
        session = getattr(self, "_session", None)
        if session is not None and not session.closed:
            await session.close()

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_html(recipient_id, text)

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        button_type: Optional[Text] = "inline",
        **kwargs: Any,
    ) -> None:
        markup = InlineKeyboardMarkup()
        for button in buttons:
            markup.row(
                InlineKeyboardButton(
                    str(button["title"]), callback_data=self.callback_data(str(button["payload"]))
                )
            )
        await self._send_html(recipient_id, text, reply_markup=markup)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        try:
            await self.send_photo(recipient_id, image)
        except API_ERRORS as error:
            logger.error(f"Telegram sendPhoto failed: {error!r}")

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        try:
            await super().send_custom_json(recipient_id, json_message, **kwargs)
        except API_ERRORS as error:
            logger.error(f"Telegram custom message failed: {error!r}")


class WalkawayTelegramInput(TelegramInput):
    """Telegram webhook authenticated by the secret token; no network needed to start."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            secret_token=credentials.get("secret_token"),
            api_url=credentials.get("api_url") or DEFAULT_API_URL,
            register_webhook=str(credentials.get("register_webhook", "true")).lower()
            not in {"0", "false", "no", "off"},
        )

    def __init__(
        self,
        access_token: Optional[Text],
        verify: Optional[Text],
        webhook_url: Optional[Text],
        debug_mode: bool = False,
        secret_token: Optional[Text] = None,
        api_url: Text = DEFAULT_API_URL,
        register_webhook: bool = True,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=debug_mode)
        self.secret_token = secret_token or derive_secret_token(access_token or "")
        self.api_url = api_url
        self.register_webhook = register_webhook
        self._seen_updates: _Bounded = _Bounded(10000)
        self._output: Optional[WalkawayTelegramOutput] = None

    def get_output_channel(self) -> WalkawayTelegramOutput:
        """The output channel; unlike Rasa's, creating it touches no network."""
        if self._output is None:
            self._output = WalkawayTelegramOutput(self.access_token, self.api_url)
        return self._output

    async def set_webhook(self) -> bool:
        """Register the webhook URL and secret token with Telegram; log (not raise) failures."""
        out = self.get_output_channel()
        try:
            ok = await out.request(
                "setWebhook",
                {
                    "url": self.webhook_url,
                    "secret_token": self.secret_token,
                    "allowed_updates": json.dumps(["message", "edited_message", "callback_query"]),
                },
            )
        except API_ERRORS as error:
            logger.error(
                f"Telegram setWebhook failed ({error!r}); the server keeps running. Retry with "
                f"POST /webhooks/telegram/set_webhook (secret header) once the Bot API is reachable."
            )
            return False
        logger.info("Telegram webhook registered." if ok else "Telegram refused the webhook.")
        return bool(ok)

    def _authentic(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "")
        return bool(given) and hmac.compare_digest(given.encode(), self.secret_token.encode())

    @staticmethod
    def _strip_bot_name(text: str) -> str:
        # "/help@WalkawayBot" (groups) -> "/help"
        if text.startswith("/"):
            command, _, rest = text.partition(" ")
            command = command.split("@", 1)[0]
            return f"{command} {rest}".strip()
        return text

    def _texts_for(self, update: Update) -> Optional[tuple]:
        """(chat id, [texts]) for an update, or None when there is nothing to answer."""
        out = self.get_output_channel()
        if update.callback_query is not None:
            query = update.callback_query
            data = query.data or ""
            if data.startswith("#"):
                payload = out.long_payloads.get(data)
                if payload is None and query.message and query.message.reply_markup:
                    # unknown after a restart: fall back to the pressed button's title
                    for row in query.message.reply_markup.inline_keyboard:
                        for button in row:
                            if button.callback_data == data:
                                payload = button.text
                data = payload or ""
            if not data or query.message is None:
                return None
            return query.message.chat.id, [data]
        message = update.message or update.edited_message
        if message is None or message.chat is None:
            return None
        if message.text:
            text = self._strip_bot_name(message.text.strip())
        elif message.location is not None:
            text = json.dumps({"lng": message.location.longitude, "lat": message.location.latitude})
        else:
            return None
        if text.split(" ", 1)[0] == "/start":
            return message.chat.id, list(START_MESSAGES)
        if text == "/restart":
            return message.chat.id, ["/restart", *START_MESSAGES]
        return message.chat.id, [text]

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        on_new_message = cleaned(on_new_message)
        telegram_webhook = Blueprint("telegram_webhook", __name__)
        out_channel = self.get_output_channel()

        @telegram_webhook.listener("after_server_start")
        async def register(app: Any, loop: Any) -> None:
            if self.register_webhook and self.webhook_url:
                task = loop.create_task(self.set_webhook())
                app.ctx.telegram_set_webhook_task = task

        @telegram_webhook.listener("before_server_stop")
        async def close_session(app: Any, loop: Any) -> None:
            await out_channel.close_session()

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/set_webhook", methods=["POST"])
        async def set_webhook(request: Request) -> HTTPResponse:
            if not self._authentic(request):
                return response.text("forbidden", status=HTTPStatus.FORBIDDEN)
            ok = await self.set_webhook()
            return response.json({"ok": ok}, status=200 if ok else 502)

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self._authentic(request):
                logger.warning("Telegram webhook call without a valid secret token rejected.")
                return response.text("forbidden", status=HTTPStatus.FORBIDDEN)
            try:
                body = request.json
                if isinstance(body, str):
                    body = json.loads(body)
                update = Update(**body)
            except Exception:
                return response.text("bad update", status=HTTPStatus.BAD_REQUEST)

            if update.update_id is not None:
                if update.update_id in self._seen_updates:
                    return response.text("success")
                self._seen_updates.put(update.update_id, True)

            if update.callback_query is not None:
                try:  # stop the button's spinner; best effort
                    await out_channel.answer_callback_query(update.callback_query.id)
                except API_ERRORS as error:
                    logger.debug(f"answerCallbackQuery failed: {error!r}")

            found = self._texts_for(update)
            if found is None:
                return response.text("success")
            chat_id, texts = found
            metadata = self.get_metadata(request)
            for text in texts:
                try:
                    await on_new_message(
                        UserMessage(
                            text[:2000],
                            out_channel,
                            str(chat_id),
                            input_channel=self.name(),
                            metadata=metadata,
                        )
                    )
                except Exception as error:
                    logger.exception(f"Exception when handling a Telegram message: {error}")
            return response.text("success")

        return telegram_webhook


__all__ = ["WalkawayTelegramInput", "WalkawayTelegramOutput", "derive_secret_token"]

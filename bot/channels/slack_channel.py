"""Slack channel: Rasa's Slack connector with the fixes and options Walkaway needs.

credentials.yml (written by bot/credentials.py when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set)::

    bot.channels.slack_channel.WalkawaySlackInput:
      slack_token: xoxb-...
      slack_signing_secret: ...
      api_url: https://slack.com/api/        # SLACK_API_URL; tests point it at a local fake Web API
      use_threads: false                     # SLACK_USE_THREADS
      conversation_granularity: sender       # SLACK_CONVERSATION_GRANULARITY: sender | channel | thread

Webhook (Events API request URL and Interactivity request URL): ``POST /webhooks/slack/webhook``.

Differences from ``rasa.core.channels.slack`` (Rasa 3.6.21):
- The Web API base URL is configurable (``api_url``).
- ``as_user`` is not sent (new Slack apps reject it: ``invalid_arguments``); replies are mrkdwn
  converted from the bot's markdown (tables become lists); buttons use Block Kit with an mrkdwn section.
- Duplicate deliveries are answered once: a message is identified by channel + ts (or the event id /
  trigger id), so Slack's retries (``X-Slack-Retry-Num``, whatever the reason) and the ``message`` +
  ``app_mention`` pair Slack sends for one mention produce one answer. A retry of a message this server
  never saw (it was down) is processed.
- A reply inside a thread stays in that thread even when ``use_threads`` is off.
- ``url_verification`` is answered with ``{"challenge": ...}`` (Rasa answers a bare JSON string).
- Errors of the Slack API are logged, never raised into Rasa's message handling.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.clean_input import cleaned
from bot.channels.formatting import SLACK_MAX_TEXT, chunk_text, to_slack_mrkdwn

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
MAX_BUTTONS = 25  # elements of one Block Kit actions block


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


class WalkawaySlackBot(SlackBot):
    """Slack output: mrkdwn text, Block Kit buttons, configurable API base URL."""

    def __init__(
        self,
        token: Text,
        slack_channel: Optional[Text] = None,
        thread_id: Optional[Text] = None,
        proxy: Optional[Text] = None,
        api_url: Optional[Text] = None,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        base_url = api_url or DEFAULT_API_URL
        if not base_url.endswith("/"):
            base_url += "/"
        self.client = AsyncWebClient(token, base_url=base_url, proxy=proxy)

    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        kwargs.pop("as_user", None)
        kwargs.pop("type", None)
        if self.thread_id:
            kwargs["thread_ts"] = self.thread_id
        try:
            await self.client.chat_postMessage(channel=channel, **kwargs)
        except SlackApiError as error:
            logger.error(f"Slack rejected chat.postMessage: {error.response.get('error')}")
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            logger.error(f"Slack API unreachable, reply lost: {error!r}")

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        recipient = self.slack_channel or recipient_id
        for part in chunk_text(to_slack_mrkdwn(text), SLACK_MAX_TEXT):
            await self._post_message(channel=recipient, text=part, mrkdwn=True)

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        **kwargs: Any,
    ) -> None:
        recipient = self.slack_channel or recipient_id
        parts = chunk_text(to_slack_mrkdwn(text), SLACK_MAX_TEXT) or [" "]
        for part in parts[:-1]:
            await self._post_message(channel=recipient, text=part, mrkdwn=True)
        elements = [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": str(button["title"])[:75], "emoji": True},
                "value": str(button["payload"])[:2000],
                "action_id": f"walkaway_button_{index}",
            }
            for index, button in enumerate(buttons[:MAX_BUTTONS])
        ]
        blocks = [
            {"type": "section", "text": {"type": "mrkdwn", "text": parts[-1]}},
            {"type": "actions", "elements": elements},
        ]
        await self._post_message(channel=recipient, text=parts[-1], blocks=blocks)


class _SeenEvents:
    """Keys of Slack deliveries already handled (in memory, bounded, expiring)."""

    def __init__(self, ttl_seconds: float = 3600.0, max_size: int = 10000) -> None:
        self.ttl = ttl_seconds
        self.max_size = max_size
        self._seen: "OrderedDict[str, float]" = OrderedDict()

    def add(self, key: str) -> bool:
        """Remember ``key``; False if it was already seen (a duplicate)."""
        now = time.monotonic()
        while self._seen and (
            len(self._seen) > self.max_size or next(iter(self._seen.values())) < now - self.ttl
        ):
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


class WalkawaySlackInput(SlackInput):
    """Slack input: signed events only, one answer per message, configurable API URL."""

    @classmethod
    def name(cls) -> Text:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("slack_token"),
            credentials.get("slack_channel"),
            credentials.get("proxy"),
            credentials.get("slack_retry_reason_header", "x-slack-retry-reason"),
            credentials.get("slack_retry_number_header", "x-slack-retry-num"),
            credentials.get("errors_ignore_retry", None),
            _bool(credentials.get("use_threads", False)),
            credentials.get("slack_signing_secret", ""),
            credentials.get("conversation_granularity", "sender"),
            api_url=credentials.get("api_url") or DEFAULT_API_URL,
        )

    def __init__(self, *args: Any, api_url: Text = DEFAULT_API_URL, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = api_url
        self._seen = _SeenEvents()

    def get_output_channel(
        self, channel: Optional[Text] = None, thread_id: Optional[Text] = None
    ) -> OutputChannel:
        channel = channel or self.slack_channel
        return WalkawaySlackBot(self.slack_token, channel, thread_id, self.proxy, self.api_url)

    def get_metadata(self, request: Request) -> Dict[Text, Any]:
        metadata = super().get_metadata(request)
        if request.headers.get("content-type") == "application/json":
            body = request.json or {}
            event = body.get("event", {}) or {}
            metadata["in_thread"] = bool(event.get("thread_ts"))
            metadata["delivery_key"] = (
                f"msg:{event.get('channel')}:{event.get('ts')}"
                if event.get("channel") and event.get("ts")
                else f"event:{body.get('event_id')}"
            )
        elif request.headers.get("content-type") == "application/x-www-form-urlencoded":
            payload = json.loads(request.form["payload"][0])
            message = payload.get("message", {}) or {}
            metadata["in_thread"] = bool(message.get("thread_ts"))
            action = (payload.get("actions") or [{}])[0]
            metadata["delivery_key"] = (
                f"action:{payload.get('trigger_id') or action.get('action_ts')}"
            )
        return metadata

    async def process_message(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: Text,
        sender_id: Optional[Text],
        metadata: Optional[Dict],
    ) -> Any:
        metadata = metadata or {}
        key = metadata.pop("delivery_key", None)
        retry = request.headers.get(self.retry_num_header)
        if key and not self._seen.add(key):
            logger.info(
                f"Slack delivery {key} already handled (retry {retry or '-'}); not answering again."
            )
            return response.text("", status=HTTPStatus.OK, headers={"X-Slack-No-Retry": "1"})

        in_thread = metadata.pop("in_thread", False)
        thread_id = metadata.get("thread_id") if (self.use_threads or in_thread) else None
        try:
            user_message = UserMessage(
                text,
                self.get_output_channel(metadata.get("out_channel"), thread_id),
                sender_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            # answer Slack within its 3 s deadline; the reply is posted by the background task
            task: asyncio.Task = asyncio.create_task(on_new_message(user_message))
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)
        except Exception as error:  # never let one bad event break the webhook
            logger.exception(f"Exception when trying to handle a Slack message: {error}")
        return response.text("")

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        slack_webhook = super().blueprint(cleaned(on_new_message))

        @slack_webhook.middleware("request")
        async def url_verification(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            if request.headers.get("content-type") != "application/json":
                return None
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                return None
            if not isinstance(body, dict) or body.get("type") != "url_verification":
                return None
            if not self.is_request_from_slack_authentic(request):
                return response.text(
                    "Message is not properly signed with a valid X-Slack-Signature header",
                    status=HTTPStatus.BAD_REQUEST,
                )
            return response.json({"challenge": body.get("challenge", "")})

        return slack_webhook


__all__ = ["WalkawaySlackBot", "WalkawaySlackInput"]

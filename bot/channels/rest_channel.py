"""Rasa's REST channel (``/webhooks/rest/webhook``), with the text cleaned and a lenient body.

Same name, URL and JSON as Rasa's ``rest`` channel. Differences: the text and the sender id pass
through ``clean_input.cleaned``, and a body that isn't valid UTF-8 (bad bytes replaced) or holds a raw
control character inside a string (JSON allows them only escaped) is still read: Sanic would answer
400 "Failed when parsing body as json", and the user would see an error instead of a reply.
"""
from __future__ import annotations

import json
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request

from bot.channels.clean_input import cleaned, decode_body


class WalkawayRestInput(RestInput):
    """``rest`` channel whose messages are cleaned before Rasa handles them."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(cleaned(on_new_message))

        @webhook.middleware("request")
        async def lenient_json(request: Request) -> Optional[Any]:
            if request.method != "POST" or not request.body or request.parsed_json is not None:
                return None
            try:
                request.parsed_json = json.loads(request.body)
            except ValueError:  # invalid UTF-8, or a raw control character inside a string
                try:
                    request.parsed_json = json.loads(decode_body(request.body), strict=False)
                except ValueError:
                    return None  # not JSON at all: Rasa's own 400
            return None

        return webhook

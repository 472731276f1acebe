"""Text every channel cleans before Rasa sees it: no NUL or other control characters, valid Unicode.

Why: a message is stored by the tracker store, and PostgreSQL refuses a NUL character in a text
column (psycopg2: "A string literal cannot contain NUL (0x00) characters"); a lone UTF-16 surrogate
(JSON "\\ud800") can't be encoded as UTF-8 at all. Either would fail the turn *after* the user wrote,
so the user would get no answer. Cleaning at the channel keeps tabs and line breaks, drops the other
control characters and replaces what isn't valid Unicode with U+FFFD, so the message still gets a
reply (the NLU reads the rest) and nothing invalid reaches a store.
"""
from __future__ import annotations

import functools
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage

_CONTROL = {code: None for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)}


def clean_text(text: Optional[str]) -> Optional[str]:
    """``text`` without control characters (tab, LF and CR kept) and with lone surrogates as U+FFFD.

    A valid surrogate pair (an emoji sent as "\\ud83d\\ude00") becomes the character it stands for.
    ``None`` stays ``None``.
    """
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").translate(_CONTROL)


def clean_sender(sender_id: Optional[str]) -> Optional[str]:
    """A sender id with each control character and lone surrogate replaced by U+FFFD, not dropped:
    "a\\x00b" must not become "ab", somebody else's conversation."""
    if sender_id is None:
        return None
    text = str(sender_id).encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return "".join("\ufffd" if ord(c) in _CONTROL or c in "\t\n\r" else c for c in text)


def decode_body(body: bytes) -> str:
    """A request body as text; bytes that aren't UTF-8 become U+FFFD instead of an error."""
    return body.decode("utf-8", "replace")


def cleaned(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    """Wrap a channel's ``on_new_message`` so the text and the sender id are cleaned first."""

    @functools.wraps(on_new_message)
    async def handle(message: UserMessage) -> Any:
        message.text = clean_text(message.text)
        message.sender_id = clean_sender(message.sender_id)
        return await on_new_message(message)

    return handle

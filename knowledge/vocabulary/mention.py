"""The one result type of every ``find`` in :mod:`knowledge.vocabulary`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional


@dataclass(frozen=True)
class Mention:
    """A piece of text that means something: ``text == source[start:end]``.

    ``value`` is the normalized value (a USPS code, dollars as float, months as int, an
    alternative key); ``role`` is an amount's ("home_value", "loan_balance", "first_lien",
    "second_lien") or ``"elsewhere"`` for a state or place that is not the home's (where the owners
    live or moved, when the message ties another place to the home); ``info`` is what the bot may say back about how the value was
    read, a JSON-able mapping or None: ``{"range": [low, high]}`` (the value is the middle),
    ``{"implied": "thousands"}`` ("owe like 338" read as $338,000).
    """

    start: int
    end: int
    text: str
    value: Any
    role: Optional[str] = None
    info: Optional[Mapping[str, Any]] = field(default=None, hash=False)

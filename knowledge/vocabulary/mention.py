"""The one result type of every ``find`` in :mod:`knowledge.vocabulary`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional


@dataclass(frozen=True)
class Mention:
    """A piece of text that means something: ``text == source[start:end]``.

    ``value`` is the normalized value (a USPS code, dollars as float, months as int, an
    alternative key); ``role`` is only used for amounts ("home_value" / "loan_balance").
    """

    start: int
    end: int
    text: str
    value: Any
    role: Optional[str] = None

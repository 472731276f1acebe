"""Fill a domain response's text inside the action server.

Most replies are sent with ``dispatcher.utter_message(response=..., **variables)`` and filled by
Rasa. A few messages are built from several pieces (one line per lien, one per option): the
action reads those pieces' texts from the domain it receives with every call and fills them here,
so the words still live in the domain and the channel variant (``channel: slack``) is honoured.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional, Text


class _Keep(dict):
    """Leaves an unknown ``{name}`` as it is, as Rasa does with a missing variable."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def template(domain: Mapping[Text, Any], name: Text, channel: Optional[Text] = None) -> Text:
    """The text of response ``name`` for ``channel`` (its channel variant, else the first variant
    without one). Raises KeyError when the domain has no such response."""
    variants = (domain.get("responses") or {})[name]
    chosen = next((v for v in variants if channel and v.get("channel") == channel), None)
    chosen = chosen or next((v for v in variants if not v.get("channel")), variants[0])
    return chosen.get("text", "")


def render(domain: Mapping[Text, Any], response: Text, channel: Optional[Text] = None, **variables: Any) -> Text:
    """Response ``response`` filled with ``variables``."""
    return template(domain, response, channel).format_map(_Keep(variables))

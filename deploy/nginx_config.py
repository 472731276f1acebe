"""Fill in the nginx template (``deploy/nginx/walkaway.conf.template``) without envsubst.

The official nginx image substitutes the template's placeholders from the environment; the local
scaled set-up renders the same file with :func:`render`, so both run one configuration. Only the
four placeholders below are replaced: every other ``$name`` in the file is an nginx variable
(``$request_body``, ``$host``, ...) that nginx itself must see.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Sequence

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "walkaway.conf.template"

#: The template's placeholders, written ``${NAME}`` in the file.
PLACEHOLDERS = ("RASA_SERVERS", "ACTION_SERVERS", "LISTEN_PORT", "ACTIONS_LISTEN_PORT")

_PLACEHOLDER = re.compile(r"\$\{(" + "|".join(PLACEHOLDERS) + r")\}")

#: Passive health check per upstream server: one failed attempt marks the replica down for 10 s,
#: so the conversations hashed to a dead replica move to a live one after one refused connection.
SERVER_OPTIONS = "max_fails=1 fail_timeout=10s"


def render(values: Dict[str, str], template: Path = TEMPLATE) -> str:
    """The template with its placeholders replaced by ``values`` (extra keys are ignored).

    Raises KeyError naming every placeholder of the template that has no value, rather than
    leaving a literal ``${...}`` that nginx would only reject at start-up.
    """
    text = Path(template).read_text(encoding="utf-8")
    used = sorted({match.group(1) for match in _PLACEHOLDER.finditer(text)}, key=PLACEHOLDERS.index)
    missing = [name for name in used if name not in values]
    if missing:
        raise KeyError(f"no value for the nginx template placeholder(s): {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), text)


def servers_line(addresses: Sequence[str]) -> str:
    """The ``server host:port ...;`` entries of an upstream block, on one line.

    One line, so the value also fits in an environment variable for the nginx image's envsubst.
    Raises ValueError for an empty list (nginx refuses an upstream without servers) or an address
    without a numeric port (nginx would silently default to port 80).
    """
    if isinstance(addresses, str) or not addresses:
        raise ValueError("at least one host:port address is needed")
    entries = []
    for address in addresses:
        host, _, port = address.strip().rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"not a host:port address: {address!r}")
        entries.append(f"server {host}:{port} {SERVER_OPTIONS};")
    return " ".join(entries)

"""One real action server + Rasa server pair (REST channel and HTTP API) for the e2e modules, and a
conversation with it."""
import uuid
from typing import Dict, List

import pytest

from tests.support.servers import running_servers

TOKEN = "scenario-e2e-token"


@pytest.fixture(scope="session")
def rest_servers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scenario-e2e")
    credentials = tmp / "credentials.yml"
    credentials.write_text("rest: {}\n")
    with running_servers(tmp, credentials, extra_args=("--enable-api", "--auth-token", TOKEN)) as running:
        yield running


class Chat:
    """One user's conversation over REST: ``say`` returns the replies' text (never empty)."""

    def __init__(self, servers, prefix: str = "chat"):
        self.servers = servers
        self.sender = f"{prefix}-{uuid.uuid4()}"
        self.last: List[Dict] = []

    def say(self, text: str) -> str:
        self.last = self.servers.say(self.sender, text)
        reply = "\n".join(r.get("text", "") for r in self.last)
        assert reply.strip(), f"no reply to {text!r}"
        return reply

    def slots(self) -> dict:
        return self.servers.slots(self.sender, TOKEN)

    def payloads(self) -> List[str]:
        """The payloads of the buttons in the latest replies."""
        return [b["payload"] for r in self.last for b in r.get("buttons") or []]


@pytest.fixture
def chat(rest_servers):
    return Chat(rest_servers)

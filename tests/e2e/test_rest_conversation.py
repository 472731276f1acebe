"""End to end: the real action server and Rasa server, spoken to over the REST channel."""
import json
import sqlite3
import urllib.request
import uuid

import pytest

from tests.support.servers import running_servers

TOKEN = "e2e-token"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rest-e2e")
    credentials = tmp / "credentials.yml"
    credentials.write_text("rest: {}\n")
    with running_servers(tmp, credentials, extra_args=("--enable-api", "--auth-token", TOKEN)) as running:
        yield running


def say(servers, sender: str, text: str) -> str:
    request = urllib.request.Request(
        f"{servers.rasa_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        replies = json.load(response)
    return "\n".join(reply.get("text", "") for reply in replies)


def test_first_reply_greets_and_says_it_is_not_legal_advice(servers):
    reply = say(servers, f"e2e-{uuid.uuid4()}", "hi")
    assert "not legal" in reply
    assert "walking away" in reply.lower()


def test_faq_answer_over_rest(servers):
    reply = say(servers, f"e2e-{uuid.uuid4()}", "can the bank sue me for what's left after foreclosure?")
    assert "shortfall" in reply.lower() or "difference" in reply.lower()


def test_state_question_answered_from_the_knowledge_base(servers):
    sender = f"e2e-{uuid.uuid4()}"
    reply = say(servers, sender, "is arizona a non recourse state?")
    assert "Arizona" in reply
    assert "33-814" in reply  # the statute comes from the knowledge base
    follow_up = say(servers, sender, "what about texas?")
    assert "Texas" in follow_up


def slots(servers, sender: str) -> dict:
    url = f"{servers.rasa_url}/conversations/{sender}/tracker?token={TOKEN}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)["slots"]


def test_restart_clears_what_the_user_said(servers):
    sender = f"e2e-{uuid.uuid4()}"
    say(servers, sender, "I live in Ohio")
    assert slots(servers, sender)["us_state"] == "OH"
    reply = say(servers, sender, "start over")
    assert "start fresh" in reply
    assert slots(servers, sender)["us_state"] is None


def test_nonsense_gets_a_friendly_reply_not_silence(servers):
    reply = say(servers, f"e2e-{uuid.uuid4()}", "qwpoeiru zxmcnv ,,,, ??")
    assert reply.strip()


def test_conversation_is_stored_in_the_sql_tracker_store(servers):
    sender = f"e2e-{uuid.uuid4()}"
    say(servers, sender, "hello")
    with sqlite3.connect(servers.log_dir / "tracker.sqlite3") as db:
        (count,) = db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()
    assert count > 0

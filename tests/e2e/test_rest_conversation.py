"""End to end: the real action server and Rasa server, spoken to over the REST channel."""
import json
import sqlite3
import time
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


def stored_events(servers, sender: str) -> int:
    with sqlite3.connect(servers.log_dir / "tracker.sqlite3") as db:
        (count,) = db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()
    return count


def test_full_scenario_assessment_what_if_compare_and_forget_me(servers):
    sender = f"e2e-{uuid.uuid4()}"
    reply = say(servers, sender, "I'm in Texas, it's worth 200k, I owe 260k and I'm 2 months behind")
    for question in ("Which state", "sell for today", "how much do you owe"):
        assert question not in reply  # facts given at once are not asked again
    known = slots(servers, sender)
    assert (known["us_state"], known["home_value"], known["loan_balance"], known["months_behind"]) == (
        "TX", 200000.0, 260000.0, 2.0)
    answers = iter(["it's my home, I live there", "we bought it with a regular mortgage",
                    "yes, I lost my job", "I'd like to keep it if I can"])
    for _ in range(6):  # answer whatever is still asked, until the assessment arrives
        if "underwater" in reply:
            break
        reply = say(servers, sender, next(answers))
    assert "$60,000 underwater" in reply
    assert "130%" in reply  # loan-to-value
    assert "Tex. Prop. Code" in reply  # the statute, from the knowledge base
    assert "800-569-4287" in reply and "not legal advice" in reply
    assert reply.index("Loan modification") < reply.index("Foreclosure (walking away)")

    what_if = say(servers, sender, "what if it's worth 300k")
    assert "$300,000" in what_if and "underwater" not in what_if.split("\n")[1]
    table = say(servers, sender, "compare short sale vs deed in lieu")
    assert "| Short sale |" in table and "| Deed in lieu" in table

    assert stored_events(servers, sender) > 0
    gone = say(servers, sender, "delete everything I told you")
    assert "deleted" in gone
    assert slots(servers, sender)["home_value"] is None
    deadline = time.monotonic() + 30
    while stored_events(servers, sender) and time.monotonic() < deadline:
        time.sleep(1)
    assert stored_events(servers, sender) == 0

"""NUL characters, control characters and invalid UTF-8 are cleaned in the channel layer: the user
gets an answer and nothing invalid reaches the tracker store (PostgreSQL refuses NUL in text)."""
from __future__ import annotations

import json
import urllib.request
import uuid

import pytest
from sqlalchemy import create_engine, text

from bot.channels.clean_input import clean_sender, clean_text, decode_body
from bot.credentials import REST
from tests.support.servers import running_servers


@pytest.mark.parametrize("raw, expected", [
    ("hi\x00 there", "hi there"),
    ("line one\nline two\ttab\r", "line one\nline two\ttab\r"),
    ("bell\x07 and escape\x1b[31m", "bell and escape[31m"),
    ("lone \ud800 surrogate", "lone \ufffd surrogate"),
    ("pair \ud83d\ude00 joined", "pair \U0001F600 joined"),
    ("I owe 300k 🏠 in Texas", "I owe 300k 🏠 in Texas"),
    ("", ""),
    (None, None),
])
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


def test_sender_ids_keep_their_length():
    assert clean_sender("vic\x00tim") == "vic\ufffdtim"
    assert clean_sender("a\nb\ud800") == "a\ufffdb\ufffd"
    assert clean_sender("user-17") == "user-17" and clean_sender(None) is None


def test_invalid_utf8_bytes_become_replacement_characters():
    assert decode_body(b'{"message": "caf\xe9 in ohio"}') == '{"message": "caf\ufffd in ohio"}'


def post(url: str, body: bytes) -> list:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def postgres_servers(tmp_path_factory):
    from tests.support.services import fresh_postgres_database

    with fresh_postgres_database() as url:
        tmp = tmp_path_factory.mktemp("clean-input")
        credentials = tmp / "credentials.yml"
        credentials.write_text(f"{REST}:\n")
        with running_servers(tmp, credentials, extra_env={"TRACKER_STORE_URL": url}) as servers:
            yield servers, url


def stored_user_texts(url: str, sender: str) -> list:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
                {"s": sender},
            ).all()
    finally:
        engine.dispose()
    return [json.loads(data)["text"] for (data,) in rows]


def test_nul_and_invalid_utf8_get_answers_and_are_stored_clean_in_postgresql(postgres_servers):
    servers, url = postgres_servers
    webhook = f"{servers.rasa_url}/webhooks/rest/webhook"
    sender = f"nul-{uuid.uuid4()}"

    replies = post(webhook, json.dumps({"sender": sender, "message": "is texas a\x00 recourse state?"}).encode())
    assert any("Texas" in r.get("text", "") for r in replies)

    body = json.dumps({"sender": sender, "message": "I live in Ohio XX"}).encode().replace(b"XX", b"\xff\xfe")
    replies = post(webhook, body)
    assert replies and all(r.get("text", "").strip() for r in replies if "text" in r)

    lone = b'{"sender": "%s", "message": "what about \\ud800 california?"}' % sender.encode()
    replies = post(webhook, lone)
    assert any("California" in r.get("text", "") for r in replies)

    raw = b'{"sender": "%s", "message": "what about\x00 oregon?"}' % sender.encode()  # a raw NUL: not valid JSON
    replies = post(webhook, raw)
    assert any("Oregon" in r.get("text", "") for r in replies)

    assert stored_user_texts(url, sender) == [
        "is texas a recourse state?", "I live in Ohio \ufffd\ufffd", "what about \ufffd california?",
        "what about oregon?"]

    # a NUL in the sender id is replaced, not dropped: "a\x00b" is not the conversation "ab"
    replies = post(webhook, json.dumps({"sender": sender + "\x00", "message": "hi"}).encode())
    assert replies and replies[0]["recipient_id"] == sender + "\ufffd"
    assert stored_user_texts(url, sender + "\ufffd") == ["hi"]
    assert len(stored_user_texts(url, sender)) == 4
    assert "\x00" not in servers.rasa_log()

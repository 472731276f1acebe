"""Slack: signed Events API payloads posted to a running `rasa run`; replies land on a fake Web API."""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlencode

import pytest
import requests

from channel_support import AUTH_TOKEN, SLACK_SECRET, SLACK_TOKEN, slack_event, slack_headers, wait_until


def _ids() -> tuple:
    suffix = uuid.uuid4().hex[:8].upper()
    return f"D{suffix}", f"U{suffix}", f"{int(time.time())}.{uuid.uuid4().int % 10**6:06d}"


def post(server, body: bytes, headers: dict) -> requests.Response:
    return requests.post(f"{server.url}/webhooks/slack/webhook", data=body, headers=headers, timeout=10)


def replies(fake_slack, channel: str, expected: int = 1, timeout: float = 20.0) -> list:
    wait_until(lambda: len(fake_slack.calls_for("chat.postMessage", channel=channel)) >= expected, timeout)
    return fake_slack.calls_for("chat.postMessage", channel=channel)


def no_replies(fake_slack, channel: str, wait: float = 3.0) -> bool:
    time.sleep(wait)
    return fake_slack.calls_for("chat.postMessage", channel=channel) == []


def test_signed_direct_message_gets_mrkdwn_reply(rasa_server, fake_slack):
    channel, user, ts = _ids()
    body = slack_event("what can you do", channel=channel, user=user, ts=ts)
    response = post(rasa_server, body, slack_headers(SLACK_SECRET, body))
    assert response.status_code == 200

    calls = replies(fake_slack, channel)
    assert len(calls) == 1
    call = calls[0]
    assert call.headers["Authorization"] == f"Bearer {SLACK_TOKEN}"
    text = call.data["text"]
    assert text.startswith("Here's what I can do:")
    assert "• *Explain* walking away &amp; deficiency judgments" in text
    assert "• *Compare* options &lt;side by side&gt;" in text
    assert "<https://www.hud.gov/counseling|HUD counselors>" in text
    assert "as_user" not in call.data
    assert "thread_ts" not in call.data


def test_table_reply_is_a_list_in_one_message(rasa_server, fake_slack):
    channel, user, ts = _ids()
    body = slack_event("compare please", channel=channel, user=user, ts=ts)
    assert post(rasa_server, body, slack_headers(SLACK_SECRET, body)).status_code == 200
    calls = replies(fake_slack, channel)
    time.sleep(1)
    calls = fake_slack.calls_for("chat.postMessage", channel=channel)
    assert len(calls) == 1
    text = calls[0].data["text"]
    assert "|" not in text
    assert text.startswith("*Options side by side*")
    assert "*loan modification*\n• credit impact: small if current\n• keeps home: yes" in text


def test_buttons_become_block_kit_actions_and_a_click_is_answered(rasa_server, fake_slack):
    channel, user, ts = _ids()
    body = slack_event("hello", channel=channel, user=user, ts=ts)
    assert post(rasa_server, body, slack_headers(SLACK_SECRET, body)).status_code == 200
    call = replies(fake_slack, channel)[0]
    blocks = call.data["blocks"]
    assert blocks[0] == {"type": "section", "text": {"type": "mrkdwn", "text": "Hello from the fixture bot! Pick one:"}}
    buttons = blocks[1]["elements"]
    assert [b["value"] for b in buttons][0] == "/ask_table"
    assert buttons[0]["text"]["text"] == "Compare options"

    # the user clicks "Compare options": Slack posts a form-encoded block_actions payload
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "channel": {"id": channel},
        "trigger_id": f"trig-{uuid.uuid4().hex}",
        "message": {"ts": call.data.get("ts", ts)},
        "actions": [{"type": "button", "value": "/ask_table", "action_ts": str(time.time())}],
    }
    form = urlencode({"payload": json.dumps(payload)}).encode()
    headers = slack_headers(SLACK_SECRET, form)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    assert post(rasa_server, form, headers).status_code == 200
    calls = replies(fake_slack, channel, expected=2)
    assert calls[1].data["text"].startswith("*Options side by side*")


@pytest.mark.parametrize(
    "tamper",
    ["wrong_secret", "stale_timestamp", "no_signature", "body_changed"],
)
def test_unsigned_or_stale_requests_are_rejected_without_reply(rasa_server, fake_slack, tamper):
    channel, user, ts = _ids()
    body = slack_event("hello", channel=channel, user=user, ts=ts)
    if tamper == "wrong_secret":
        headers = slack_headers("not-the-secret", body)
    elif tamper == "stale_timestamp":
        headers = slack_headers(SLACK_SECRET, body, timestamp=int(time.time()) - 6 * 60)
    elif tamper == "no_signature":
        headers = {"Content-Type": "application/json"}
    else:
        headers = slack_headers(SLACK_SECRET, body)
        body = body.replace(b"hello", b"hellO")
    response = post(rasa_server, body, headers)
    assert response.status_code == 400
    assert no_replies(fake_slack, channel)


def test_retries_do_not_duplicate_answers(rasa_server, fake_slack):
    channel, user, ts = _ids()
    body = slack_event("what can you do", channel=channel, user=user, ts=ts)
    assert post(rasa_server, body, slack_headers(SLACK_SECRET, body)).status_code == 200
    for number, reason in [("1", "http_timeout"), ("2", "http_error"), ("3", "unknown_error")]:
        retry = post(
            rasa_server,
            body,
            slack_headers(SLACK_SECRET, body, **{"X-Slack-Retry-Num": number, "X-Slack-Retry-Reason": reason}),
        )
        assert retry.status_code == 200
        assert retry.headers.get("X-Slack-No-Retry") == "1"
    replies(fake_slack, channel)
    time.sleep(3)
    assert len(fake_slack.calls_for("chat.postMessage", channel=channel)) == 1


def test_retry_of_a_delivery_never_seen_is_answered(rasa_server, fake_slack):
    channel, user, ts = _ids()
    body = slack_event("what can you do", channel=channel, user=user, ts=ts)
    headers = slack_headers(SLACK_SECRET, body, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"})
    assert post(rasa_server, body, headers).status_code == 200
    assert len(replies(fake_slack, channel)) == 1


def test_channel_message_without_mention_is_ignored(rasa_server, fake_slack):
    _, user, ts = _ids()
    channel = "C" + uuid.uuid4().hex[:8].upper()
    body = slack_event("hello everyone", channel=channel, user=user, ts=ts, channel_type="channel")
    response = post(rasa_server, body, slack_headers(SLACK_SECRET, body))
    assert response.status_code == 200 and response.text == "channel not supported."
    assert no_replies(fake_slack, channel)


def test_mention_in_channel_is_answered_once_and_mention_is_stripped(rasa_server, fake_slack):
    _, user, ts = _ids()
    channel = "C" + uuid.uuid4().hex[:8].upper()
    # one mention arrives twice: as app_mention and as a channel message event
    mention = slack_event("<@UBOT> what can you do", channel=channel, user=user, ts=ts, event_type="app_mention")
    message = slack_event("<@UBOT> what can you do", channel=channel, user=user, ts=ts, channel_type="channel")
    assert post(rasa_server, mention, slack_headers(SLACK_SECRET, mention)).status_code == 200
    assert post(rasa_server, message, slack_headers(SLACK_SECRET, message)).status_code == 200
    calls = replies(fake_slack, channel)
    time.sleep(2)
    calls = fake_slack.calls_for("chat.postMessage", channel=channel)
    assert len(calls) == 1
    assert calls[0].data["text"].startswith("Here's what I can do:")
    assert "thread_ts" not in calls[0].data  # top-level mention, use_threads off: reply in channel
    # the bot's own mention is removed before NLU (conversation id = the user, granularity sender)
    tracker = requests.get(
        f"{rasa_server.url}/conversations/{user}/tracker", params={"token": AUTH_TOKEN}, timeout=10
    ).json()
    assert tracker["latest_message"]["text"] == "what can you do"
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == ["what can you do"]


def test_mention_inside_a_thread_is_answered_in_that_thread(rasa_server, fake_slack):
    _, user, ts = _ids()
    channel = "C" + uuid.uuid4().hex[:8].upper()
    parent = f"{int(time.time()) - 100}.000100"
    body = slack_event("<@UBOT> hello", channel=channel, user=user, ts=ts, event_type="app_mention", thread_ts=parent)
    assert post(rasa_server, body, slack_headers(SLACK_SECRET, body)).status_code == 200
    call = replies(fake_slack, channel)[0]
    assert call.data["thread_ts"] == parent


def test_bot_messages_are_not_answered(rasa_server, fake_slack):
    channel, user, ts = _ids()
    event = json.loads(slack_event("hello", channel=channel, user=user, ts=ts))
    event["event"]["bot_id"] = "B1"
    body = json.dumps(event).encode()
    response = post(rasa_server, body, slack_headers(SLACK_SECRET, body))
    assert response.status_code == 200 and response.text == "Bot message delivered."
    assert no_replies(fake_slack, channel)


def test_url_verification_challenge(rasa_server):
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"}).encode()
    response = post(rasa_server, body, slack_headers(SLACK_SECRET, body))
    assert response.status_code == 200
    assert response.json() == {"challenge": "abc123"}
    assert post(rasa_server, body, slack_headers("wrong", body)).status_code == 400

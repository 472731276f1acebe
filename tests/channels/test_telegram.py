"""Telegram: updates posted to a running `rasa run`; replies land on a fake Bot API server."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import requests
from rasa.core.channels.channel import UserMessage

from bot.channels.telegram_channel import WalkawayTelegramInput, derive_secret_token
from channel_support import TELEGRAM_SECRET, TELEGRAM_TOKEN, free_port, wait_until

_update_ids = iter(range(int(time.time()) % 100000 * 1000, 10**12))


def new_chat() -> int:
    return 10**9 + uuid.uuid4().int % 10**8


def message_update(chat: int, text: str) -> dict:
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": next(_update_ids) % 10**6,
            "from": {"id": chat, "is_bot": False, "first_name": "Pat"},
            "chat": {"id": chat, "type": "private", "first_name": "Pat"},
            "date": int(time.time()),
            "text": text,
        },
    }


def callback_update(chat: int, data: str, keyboard: list) -> dict:
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"cb{uuid.uuid4().hex[:10]}",
            "from": {"id": chat, "is_bot": False, "first_name": "Pat"},
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": 7,
                "chat": {"id": chat, "type": "private"},
                "date": int(time.time()),
                "text": "Hello",
                "reply_markup": {"inline_keyboard": keyboard},
            },
        },
    }


def post(server, update: dict, secret: str | None = TELEGRAM_SECRET) -> requests.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return requests.post(f"{server.url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=30)


def sent(fake, chat: int, expected: int = 1, timeout: float = 20.0) -> list:
    wait_until(lambda: len(fake.calls_for("sendMessage", chat_id=chat)) >= expected, timeout)
    return fake.calls_for("sendMessage", chat_id=chat)


def test_webhook_registered_in_background_with_secret_token(rasa_server, fake_telegram):
    calls = wait_until(lambda: fake_telegram.calls_for("setWebhook"), 20)
    assert calls, "setWebhook was not called after start-up"
    data = calls[0].data
    assert data["url"] == "https://bot.example/webhooks/telegram/webhook"
    assert data["secret_token"] == TELEGRAM_SECRET
    assert json.loads(data["allowed_updates"]) == ["message", "edited_message", "callback_query"]
    assert calls[0].path == f"/bot{TELEGRAM_TOKEN}/setWebhook"
    # the per-update getMe round trip of Rasa's connector is gone
    assert fake_telegram.calls_for("getMe") == []


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"])
def test_update_without_the_secret_token_is_rejected(rasa_server, fake_telegram, secret):
    chat = new_chat()
    response = post(rasa_server, message_update(chat, "hello"), secret=secret)
    assert response.status_code == 403
    time.sleep(2)
    assert fake_telegram.calls_for("sendMessage", chat_id=chat) == []


def test_start_greets_and_shows_what_the_bot_can_do(rasa_server, fake_telegram):
    chat = new_chat()
    response = post(rasa_server, message_update(chat, "/start"))
    assert response.status_code == 200 and response.text == "success"
    greet, help_ = sent(fake_telegram, chat, expected=2)[:2]

    assert greet.data["text"] == "Hello from the fixture bot! Pick one:"
    assert greet.data["parse_mode"] == "HTML"
    keyboard = json.loads(greet.data["reply_markup"])["inline_keyboard"]
    assert keyboard[0] == [{"text": "Compare options", "callback_data": "/ask_table"}]
    long_button = keyboard[1][0]
    assert long_button["text"].startswith("What happens if I walk away")
    # the payload is longer than Telegram's 64-byte callback_data limit: kept server-side
    assert long_button["callback_data"].startswith("#") and len(long_button["callback_data"]) <= 64

    text = help_.data["text"]
    assert help_.data["parse_mode"] == "HTML"
    assert "• <b>Explain</b> walking away &amp; deficiency judgments" in text
    assert "• <b>Compare</b> options &lt;side by side&gt;" in text
    assert '<a href="https://www.hud.gov/counseling">HUD counselors</a>' in text


def test_table_reply_is_an_html_list(rasa_server, fake_telegram):
    chat = new_chat()
    assert post(rasa_server, message_update(chat, "compare")).status_code == 200
    (reply,) = sent(fake_telegram, chat)
    text = reply.data["text"]
    assert "|" not in text
    assert text.startswith("<b>Options side by side</b>")
    assert "<b>short sale</b>\n• credit impact: large\n• keeps home: no" in text


def test_inline_keyboard_buttons_work(rasa_server, fake_telegram):
    chat = new_chat()
    assert post(rasa_server, message_update(chat, "/start")).status_code == 200
    greet = sent(fake_telegram, chat, expected=2)[0]
    keyboard = json.loads(greet.data["reply_markup"])["inline_keyboard"]

    short, long_ = keyboard[0][0]["callback_data"], keyboard[1][0]["callback_data"]
    assert post(rasa_server, callback_update(chat, short, keyboard)).status_code == 200
    assert sent(fake_telegram, chat, expected=3)[2].data["text"].startswith("<b>Options side by side</b>")
    assert post(rasa_server, callback_update(chat, long_, keyboard)).status_code == 200
    assert sent(fake_telegram, chat, expected=4)[3].data["text"] == (
        "Walking away means you stop paying and let the lender foreclose; it is <i>not</i> a quick fix."
    )
    assert len(fake_telegram.calls_for("answerCallbackQuery")) >= 2


def test_redelivered_update_is_answered_once(rasa_server, fake_telegram):
    chat = new_chat()
    update = message_update(chat, "bye")
    assert post(rasa_server, update).status_code == 200
    assert post(rasa_server, update).status_code == 200
    sent(fake_telegram, chat)
    time.sleep(2)
    calls = fake_telegram.calls_for("sendMessage", chat_id=chat)
    assert [c.data["text"] for c in calls] == ["Goodbye from the fixture bot."]


def test_group_command_addressed_to_the_bot(rasa_server, fake_telegram):
    chat = new_chat()
    assert post(rasa_server, message_update(chat, "/help@walkaway_test_bot")).status_code == 200
    assert sent(fake_telegram, chat)[0].data["text"].startswith("Here's what I can do:")


def test_unreachable_bot_api_is_logged_and_the_server_keeps_serving(rasa_server, fake_telegram):
    chat = new_chat()
    fake_telegram.stop()
    try:
        response = post(rasa_server, message_update(chat, "hello"))
        assert response.status_code == 200 and response.text == "success"
        assert requests.get(f"{rasa_server.url}/webhooks/telegram/", timeout=5).json() == {"status": "ok"}
    finally:
        fake_telegram.start()
    assert "Telegram sendMessage failed, reply lost" in rasa_server.log.read_text(errors="replace")
    assert post(rasa_server, message_update(chat, "bye")).status_code == 200
    assert sent(fake_telegram, chat)[-1].data["text"] == "Goodbye from the fixture bot."


@pytest.mark.asyncio
async def test_channel_needs_no_network_to_start():
    closed = f"http://127.0.0.1:{free_port()}"
    channel = WalkawayTelegramInput.from_credentials(
        {"access_token": "42:abc", "webhook_url": "https://x.example/webhooks/telegram/webhook", "api_url": closed}
    )

    async def handler(_: UserMessage) -> None:  # pragma: no cover - never called here
        raise AssertionError

    blueprint = channel.blueprint(handler)  # Rasa's connector calls setWebhook here
    assert blueprint.name == "telegram_webhook"
    assert await channel.set_webhook() is False  # logged, not raised
    await channel.get_output_channel().close_session()
    # without a configured secret, one is derived from the bot token (never empty or guessable)
    assert channel.secret_token == derive_secret_token("42:abc") != derive_secret_token("43:abc")

"""The website widget in real headless Chromium against a running `rasa run`.

Needs Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH) and the npm assets (`npm ci`);
the Python `playwright` package drives it (no browser download).
"""

from __future__ import annotations

from typing import Iterator, List

import pytest
import requests

from browser_support import RESULTS, TIMEOUT, Chat
from channel_support import ALLOWED_ORIGIN, AUTH_TOKEN


@pytest.fixture
def chat(browser, rasa_server) -> Iterator[Chat]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    chat = Chat(page, f"{rasa_server.url}/webhooks/webchat/")
    yield chat
    context.close()


def tracker_user_texts(rasa_server, session_id: str) -> List[str]:
    tracker = requests.get(
        f"{rasa_server.url}/conversations/{session_id}/tracker", params={"token": AUTH_TOKEN}, timeout=10
    ).json()
    return [e["text"] for e in tracker["events"] if e["event"] == "user"]


def test_page_loads_with_welcome_suggestions_and_disclaimer(chat, rasa_server):
    response = requests.get(chat.url, headers={"Accept": "text/html"}, timeout=10)
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert requests.get(chat.url, timeout=10).json() == {"status": "ok"}  # health for non-browsers

    chat.open()
    page = chat.page
    assert page.title().startswith("Walkaway")
    assert page.locator("#wa-welcome").is_visible()
    suggestions = page.locator("#wa-suggestions button")
    assert suggestions.count() == 5 and suggestions.first.is_visible()
    disclaimer = page.locator("#wa-disclaimer")
    assert disclaimer.is_visible()
    assert "not legal, tax or financial advice" in disclaimer.inner_text()
    assert len(chat.session_id()) == 32
    assert chat.errors == []


def test_question_gets_answer_rendered_as_markdown(chat):
    chat.open()
    answer = chat.ask("what can you do")
    assert answer.inner_text().startswith("Here's what I can do:")
    assert answer.locator("li").count() == 3
    assert answer.locator("strong").first.inner_text() == "Explain"
    assert "options <side by side>" in answer.inner_text()  # raw HTML is shown, not interpreted
    link = answer.locator("a")
    assert link.get_attribute("href") == "https://www.hud.gov/counseling"
    assert link.get_attribute("target") == "_blank"
    assert chat.user_bubbles().last.inner_text() == "what can you do"
    assert chat.page.locator("#wa-suggestions").is_hidden()
    assert chat.page.locator("#wa-suggest-intro").is_hidden()
    assert chat.errors == []


def test_suggested_question_is_sent(chat):
    chat.open()
    chat.page.click("#wa-suggestions button >> text=What happens if I walk away from my mortgage?")
    answer = chat.wait_bot(1)
    assert answer.inner_text().startswith("Walking away means you stop paying")
    assert answer.locator("em").inner_text() == "not"


def test_button_click_and_markdown_table(chat, rasa_server):
    chat.open()
    greeting = chat.ask("hello")
    assert greeting.inner_text() == "Hello from the fixture bot! Pick one:"
    buttons = chat.page.locator("#wa-messages .wa-bot .wa-buttons").last.locator("button")
    assert buttons.count() == 2
    buttons.first.click()
    table_answer = chat.wait_bot(2)
    assert chat.user_bubbles().last.inner_text() == "Compare options"
    table = table_answer.locator(".wa-table-wrap table")
    assert table.count() == 1
    assert table.locator("th").all_inner_texts()[1:] == ["credit impact", "keeps home"]
    assert table.locator("tbody tr").first.locator("td").all_inner_texts() == [
        "loan modification", "small if current", "yes",
    ]
    assert buttons.first.is_disabled() and "wa-chosen" in buttons.first.get_attribute("class")
    # the payload, not the title, reached Rasa
    assert tracker_user_texts(rasa_server, chat.session_id()) == ["hello", "/ask_table"]
    RESULTS.mkdir(exist_ok=True)
    chat.page.screenshot(path=str(RESULTS / "webchat.png"), full_page=True)
    assert chat.errors == []


def test_reload_keeps_the_conversation(chat, rasa_server):
    chat.open()
    chat.ask("hello")
    chat.page.locator("#wa-messages .wa-buttons button").first.click()
    chat.wait_bot(2)
    session_id = chat.session_id()
    shown = chat.page.locator("#wa-messages .wa-msg").all_inner_texts()

    chat.page.reload()
    chat.wait_online()
    assert chat.session_id() == session_id
    assert chat.page.locator("#wa-messages .wa-msg").all_inner_texts() == shown
    assert chat.page.locator("#wa-messages .wa-buttons button").first.is_disabled()
    assert chat.page.locator("#wa-messages table").count() == 1

    # the server continues the same conversation after the reload (the lost-reply bug shows here)
    answer = chat.ask("bye")
    assert answer.inner_text() == "Goodbye from the fixture bot."
    assert tracker_user_texts(rasa_server, session_id) == ["hello", "/ask_table", "bye"]


def test_new_chat_starts_a_new_session(chat):
    chat.open()
    chat.ask("hello")
    first = chat.session_id()
    chat.page.click("#wa-reset")
    chat.page.wait_for_function(
        "old => { const s = JSON.parse(localStorage.getItem('walkaway.chat.v1') || 'null');"
        " return s && s.sessionId && s.sessionId !== old; }",
        arg=first,
        timeout=TIMEOUT,
    )
    assert chat.page.locator("#wa-messages .wa-msg").count() == 0
    assert chat.page.locator("#wa-suggestions").is_visible()
    assert chat.ask("bye").inner_text() == "Goodbye from the fixture bot."


def test_mobile_layout(browser, rasa_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        chat = Chat(context.new_page(), f"{rasa_server.url}/webhooks/webchat/").open()
        chat.ask("compare")
        page = chat.page
        # nothing wider than the screen: the table scrolls inside its own box
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.locator("#wa-disclaimer").is_visible()
        assert page.locator("#wa-input").is_visible() and page.locator("#wa-send").is_visible()
        box = page.locator("#wa-disclaimer").bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844 + 1
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / "webchat-mobile.png"))
    finally:
        context.close()


def test_socket_from_a_foreign_origin_is_refused(rasa_server):
    def handshake(origin: str) -> int:
        return requests.get(
            f"{rasa_server.url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin}, timeout=10
        ).status_code

    assert handshake(ALLOWED_ORIGIN) == 200
    assert handshake(rasa_server.url) == 200
    assert handshake("http://evil.example") == 400

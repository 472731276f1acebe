"""Smoke test of the website widget with the real assistant (models/walkaway.tar.gz + action server).

Checks the whole path a visitor takes: page,
socket, Rasa, the action server (session start disclaimer) and the real FAQ answer.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import yaml

from browser_support import RESULTS, Chat
from channel_support import AUTH_TOKEN, free_port, start_rasa, stop_rasa, wait_until

REPO = Path(__file__).resolve().parents[2]
MODEL = Path(os.environ.get("WALKAWAY_MODEL", REPO / "models" / "walkaway.tar.gz"))

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason=f"{MODEL} not trained yet (make train)")


def plain(markdown: str) -> str:
    """The visible text of a markdown reply, for comparing with the rendered page."""
    text = re.sub(r"(?m)^\s*(?:[-*+]|\d+\.)\s+", "", markdown)  # list markers render as bullets
    text = re.sub(r"[*_`#]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def domain_texts(response: str) -> list:
    texts = []
    for path in (REPO / "bot" / "domain").glob("*.yml"):
        data = yaml.safe_load(path.read_text()) or {}
        for variant in (data.get("responses") or {}).get(response, []):
            texts.append(plain(variant.get("text", "")))
    return texts


@pytest.fixture(scope="module")
def real_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("real")
    actions_port = free_port()
    env = {
        **os.environ,
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "TRACKER_STORE_URL": f"sqlite:///{tmp / 'tracker.sqlite3'}",
        "LOCK_STORE_URL": "",
    }
    rasa = str(Path(sys.executable).with_name("rasa"))
    with open(tmp / "actions.log", "wb") as log:
        actions = subprocess.Popen(
            [rasa, "run", "actions", "--actions", "actions", "--port", str(actions_port)],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        ready = wait_until(lambda: _ok(f"http://127.0.0.1:{actions_port}/health"), 180, 1)
        assert ready, (tmp / "actions.log").read_text(errors="replace")[-3000:]
        server = start_rasa(
            MODEL.resolve(), tmp,
            {k: env[k] for k in ("ACTION_SERVER_URL", "TRACKER_STORE_URL", "LOCK_STORE_URL")}
            | {"RASA_AUTH_TOKEN": AUTH_TOKEN},
            endpoints=REPO / "endpoints.yml",
        )
        yield server
        stop_rasa(server)
    finally:
        actions.terminate()
        actions.wait(30)


def _ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def test_suggested_question_gets_the_real_faq_answer(browser, real_server):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        chat = Chat(context.new_page(), f"{real_server.url}/webhooks/webchat/").open()
        chat.page.click("#wa-suggestions button >> text=What happens if I walk away from my mortgage?")
        expected = domain_texts("utter_faq/walk_away_consequences")
        assert expected, "utter_faq/walk_away_consequences missing from bot/domain"

        def answered():
            shown = [plain(t) for t in chat.bot_bubbles().all_inner_texts()]
            return any(e[:60] in s for s in shown for e in expected)

        assert wait_until(answered, 60), chat.bot_bubbles().all_inner_texts()
        shown = " ".join(chat.bot_bubbles().all_inner_texts())
        disclaimer = domain_texts("utter_disclaimer")
        assert any(d[:50] in plain(shown) for d in disclaimer)  # said once at session start
        RESULTS.mkdir(exist_ok=True)
        chat.page.screenshot(path=str(RESULTS / "webchat-real.png"), full_page=True)
    finally:
        context.close()

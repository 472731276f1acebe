"""Headless Chromium (Debian's package) driven by Playwright, and a page object for the widget."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List

import pytest

from channel_support import REPO

RESULTS = REPO / "results"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TIMEOUT = 20_000  # ms


@contextmanager
def launch_browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium", pytrace=False)
    if not (REPO / "node_modules" / "socket.io-client").exists():
        pytest.fail("node_modules missing: run `npm ci` at the repository root", pytrace=False)
    # pip package `playwright`; it drives the system Chromium, no browser download
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class Chat:
    """The widget page: open, ask, wait for answers, read the stored session."""

    def __init__(self, page, url: str) -> None:
        self.page = page
        self.url = url
        self.errors: List[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self) -> "Chat":
        self.page.goto(self.url)
        self.wait_online()
        return self

    def wait_online(self) -> None:
        self.page.wait_for_selector('#wa-status[data-state="online"]', timeout=TIMEOUT)

    def bot_bubbles(self):
        return self.page.locator("#wa-messages .wa-bot .wa-bubble")

    def user_bubbles(self):
        return self.page.locator("#wa-messages .wa-user .wa-bubble")

    def ask(self, text: str):
        before = self.bot_bubbles().count()
        self.page.fill("#wa-input", text)
        self.page.press("#wa-input", "Enter")
        return self.wait_bot(before + 1)

    def wait_bot(self, count: int):
        self.page.wait_for_function(
            "n => document.querySelectorAll('#wa-messages .wa-bot .wa-bubble').length >= n",
            arg=count,
            timeout=TIMEOUT,
        )
        return self.bot_bubbles().nth(count - 1)

    def session_id(self) -> str:
        return self.page.evaluate("JSON.parse(localStorage.getItem('walkaway.chat.v1')).sessionId")

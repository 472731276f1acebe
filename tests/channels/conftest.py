"""Session fixtures: a trained model, fake Slack/Telegram APIs and one real `rasa run`.

The server is started the way `make run` starts it: ``python -m bot.credentials --exec -- ...``
writes credentials.yml from the environment and execs ``rasa run``.

Model: ``CHANNELS_TEST_MODEL`` if set, else the tiny keyword/rules bot in tests/channels/fixture_bot,
trained once (about 15 s, no TensorFlow training) and cached in build/test-models/ by content hash.
The channel tests check channel behaviour (transport, auth, formatting), so they use that bot's
known responses rather than the real assistant's wording.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import Iterator

import pytest

from channel_support import (
    ALLOWED_ORIGIN,
    AUTH_TOKEN,
    SLACK_SECRET,
    SLACK_TOKEN,
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    RASA,
    FakeSlackAPI,
    FakeTelegramAPI,
    RasaServer,
    start_rasa,
    stop_rasa,
)

REPO = Path(__file__).resolve().parents[2]
FIXTURE_BOT = Path(__file__).resolve().parent / "fixture_bot"



def _fixture_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(FIXTURE_BOT.rglob("*.yml")):
        digest.update(path.relative_to(FIXTURE_BOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@pytest.fixture(scope="session")
def channel_model() -> Path:
    if os.environ.get("CHANNELS_TEST_MODEL"):
        return Path(os.environ["CHANNELS_TEST_MODEL"]).resolve()
    out = REPO / "build" / "test-models"
    name = f"channels-fixture-{_fixture_hash()}"
    model = out / f"{name}.tar.gz"
    if not model.exists():
        subprocess.run(
            [RASA, "train", "--config", str(FIXTURE_BOT / "config.yml"),
             "--domain", str(FIXTURE_BOT / "domain.yml"), "--data", str(FIXTURE_BOT / "data"),
             "--out", str(out), "--fixed-model-name", name],
            cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900,
        )
    return model


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlackAPI]:
    server = FakeSlackAPI().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeTelegramAPI]:
    server = FakeTelegramAPI().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def rasa_server(channel_model, fake_slack, fake_telegram, tmp_path_factory) -> Iterator[RasaServer]:
    env = {
        "SLACK_BOT_TOKEN": SLACK_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_API_URL": fake_slack.url + "/api/",
        "SLACK_USE_THREADS": "false",
        "SLACK_CHANNEL": "",
        "SLACK_CONVERSATION_GRANULARITY": "sender",
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_URL": "https://bot.example/webhooks/telegram/webhook",
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": fake_telegram.url,
        "TELEGRAM_REGISTER_WEBHOOK": "true",
        "RASA_AUTH_TOKEN": AUTH_TOKEN,
        # an embedding site; the page served by the server itself stays allowed
        "WEB_ORIGINS": ALLOWED_ORIGIN,
    }
    server = start_rasa(channel_model, tmp_path_factory.mktemp("rasa"), env)
    yield server
    stop_rasa(server)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download).

    Module scope: Playwright's sync API keeps an event loop running in this thread while the
    browser is open, which would stop the asyncio tests of other modules.
    """
    from browser_support import launch_browser

    with launch_browser() as browser:
        yield browser

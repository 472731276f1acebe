"""bot/credentials.py: credentials.yml and `rasa run` flags from the environment."""

import stat

import yaml

from bot.credentials import REST, SLACK, TELEGRAM, WEBCHAT, build_credentials, rasa_run_args, write_credentials


def test_rest_and_webchat_always_and_no_secrets_without_env(tmp_path):
    credentials = write_credentials({}, tmp_path / "credentials.yml")
    assert set(credentials) == {REST, WEBCHAT}
    written = yaml.safe_load((tmp_path / "credentials.yml").read_text())
    assert written == credentials
    assert written[WEBCHAT]["session_persistence"] is True
    assert written[WEBCHAT]["cors_allowed_origins"] == []
    assert stat.S_IMODE((tmp_path / "credentials.yml").stat().st_mode) == 0o600


def test_slack_only_with_token_and_signing_secret():
    assert SLACK not in build_credentials({"SLACK_BOT_TOKEN": "xoxb-1"})
    assert SLACK not in build_credentials({"SLACK_SIGNING_SECRET": "s"})
    slack = build_credentials(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_USE_THREADS": "true"}
    )[SLACK]
    assert slack["slack_token"] == "xoxb-1" and slack["slack_signing_secret"] == "s"
    assert slack["api_url"] == "https://slack.com/api/"
    assert slack["use_threads"] is True
    assert "slack_channel" not in slack


def test_telegram_only_with_token_and_webhook_url():
    assert TELEGRAM not in build_credentials({"TELEGRAM_TOKEN": "1:a"})
    telegram = build_credentials(
        {"TELEGRAM_TOKEN": "1:a", "TELEGRAM_WEBHOOK_URL": "https://x/webhooks/telegram/webhook",
         "TELEGRAM_SECRET_TOKEN": "sec", "TELEGRAM_API_URL": "http://127.0.0.1:1"}
    )[TELEGRAM]
    assert telegram == {
        "access_token": "1:a",
        "webhook_url": "https://x/webhooks/telegram/webhook",
        "api_url": "http://127.0.0.1:1",
        "register_webhook": True,
        "secret_token": "sec",
    }


def test_run_args_api_only_with_auth_token_and_cors_only_with_origins(tmp_path):
    path = tmp_path / "c.yml"
    assert rasa_run_args({}, path) == ["--credentials", str(path)]
    args = rasa_run_args(
        {"RASA_AUTH_TOKEN": "t0k", "WEB_ORIGINS": "https://a.example/, https://b.example"}, path
    )
    assert args == [
        "--credentials", str(path),
        "--cors", "https://a.example", "https://b.example",
        "--enable-api", "--auth-token", "t0k",
    ]
    webchat = build_credentials({"WEB_ORIGINS": "https://a.example"})[WEBCHAT]
    assert webchat["cors_allowed_origins"] == ["https://a.example"]

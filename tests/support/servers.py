"""Starts the real action server and Rasa server as subprocesses for end-to-end tests."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "walkaway.tar.gz"
RASA = Path(sys.executable).with_name("rasa")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


class Servers:
    """Addresses of a running action server + Rasa server pair."""

    def __init__(self, rasa_url: str, actions_url: str, log_dir: Path) -> None:
        self.rasa_url = rasa_url
        self.actions_url = actions_url
        self.log_dir = log_dir

    def rasa_log(self) -> str:
        return (self.log_dir / "rasa.log").read_text(errors="replace")

    def say(self, sender: str, text: str) -> List[Dict[str, Any]]:
        """The bot's replies to one message over the REST channel."""
        request = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)

    def slots(self, sender: str, token: str) -> Dict[str, Any]:
        """The conversation's slots (the HTTP API must be on with ``token``)."""
        url = f"{self.rasa_url}/conversations/{sender}/tracker?token={token}&include_events=NONE"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.load(response)["slots"]


@contextmanager
def running_servers(
    tmp_dir: Path,
    credentials: Path,
    extra_env: Optional[Dict[str, str]] = None,
    extra_args: tuple = (),
) -> Iterator[Servers]:
    """Run `rasa run actions` and `rasa run` with the trained model until the block ends."""
    if not MODEL.exists():
        raise FileNotFoundError(f"{MODEL} is missing: run `make train` first")
    rasa_port, actions_port = free_port(), free_port()
    env = {
        **os.environ,
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "TRACKER_DB_DIALECT": "sqlite",
        "TRACKER_DB": str(tmp_dir / "tracker.sqlite3"),
        "RASA_TELEMETRY_ENABLED": "false",
        **(extra_env or {}),
    }
    with open(tmp_dir / "actions.log", "wb") as actions_log, open(
        tmp_dir / "rasa.log", "wb"
    ) as rasa_log:
        actions = subprocess.Popen(
            [str(RASA), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
            cwd=ROOT, env=env, stdout=actions_log, stderr=subprocess.STDOUT,
        )
        rasa = subprocess.Popen(
            [
                str(RASA), "run", "--model", str(MODEL), "--endpoints", "endpoints.yml",
                "--credentials", str(credentials), "--port", str(rasa_port),
                "--interface", "127.0.0.1", *extra_args,
            ],
            cwd=ROOT, env=env, stdout=rasa_log, stderr=subprocess.STDOUT,
        )
        try:
            wait_for(f"http://127.0.0.1:{actions_port}/health", 120, actions)
            wait_for(f"http://127.0.0.1:{rasa_port}/", 300, rasa)
            yield Servers(
                f"http://127.0.0.1:{rasa_port}",
                f"http://127.0.0.1:{actions_port}",
                tmp_dir,
            )
        finally:
            for process in (rasa, actions):
                process.terminate()
            for process in (rasa, actions):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()

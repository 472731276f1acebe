"""Starts the real action server and Rasa server as subprocesses for end-to-end tests.

``running_servers`` yields a ``Servers``: the two addresses, the logs, and (for the fault tests) a
way to stop and start again either process of the pair on the same port with the same environment
(so the same tracker store): ``stop_action_server`` / ``start_action_server``, ``kill_rasa`` /
``start_rasa``. Restarted processes append to the same log files.
"""
from __future__ import annotations

import json
import os
import signal
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
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def _stop(process: Optional[subprocess.Popen], sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    """Send ``sig`` to a process we started and wait for it (SIGKILL if it outlives ``timeout``)."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


class _Pair:
    """The two processes of a pair, their fixed ports and environment, restartable one by one."""

    def __init__(self, tmp_dir: Path, credentials: Path, env: Dict[str, str], extra_args: tuple,
                 rasa_port: int, actions_port: int) -> None:
        self.tmp_dir = tmp_dir
        self.credentials = credentials
        self.env = env
        self.extra_args = extra_args
        self.rasa_port = rasa_port
        self.actions_port = actions_port
        self.rasa: Optional[subprocess.Popen] = None
        self.actions: Optional[subprocess.Popen] = None

    def _log(self, name: str):
        log = open(self.tmp_dir / name, "ab")
        log.write(f"\n----- [servers.py] starting at {time.strftime('%H:%M:%S')} -----\n".encode())
        log.flush()
        return log

    def spawn_actions(self) -> None:
        with self._log("actions.log") as log:
            self.actions = subprocess.Popen(
                [str(RASA), "run", "actions", "--actions", "actions", "--port", str(self.actions_port)],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )

    def spawn_rasa(self) -> None:
        with self._log("rasa.log") as log:
            self.rasa = subprocess.Popen(
                [
                    str(RASA), "run", "--model", str(MODEL), "--endpoints", "endpoints.yml",
                    "--credentials", str(self.credentials), "--port", str(self.rasa_port),
                    "--interface", "127.0.0.1", *self.extra_args,
                ],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )

    def wait_actions(self) -> None:
        wait_for(f"http://127.0.0.1:{self.actions_port}/health", 120, self.actions)

    def wait_rasa(self) -> None:
        wait_for(f"http://127.0.0.1:{self.rasa_port}/", 300, self.rasa)

    def stop_all(self) -> None:
        for process in (self.rasa, self.actions):
            if process is not None and process.poll() is None:
                process.terminate()
        for process in (self.rasa, self.actions):
            if process is None:
                continue
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


class Servers:
    """Addresses of a running action server + Rasa server pair."""

    def __init__(self, rasa_url: str, actions_url: str, log_dir: Path, pair: Optional[_Pair] = None) -> None:
        self.rasa_url = rasa_url
        self.actions_url = actions_url
        self.log_dir = log_dir
        self._pair = pair

    def rasa_log(self) -> str:
        return (self.log_dir / "rasa.log").read_text(errors="replace")

    def actions_log(self) -> str:
        return (self.log_dir / "actions.log").read_text(errors="replace")

    @property
    def env(self) -> Dict[str, str]:
        """The environment both processes run with (TRACKER_STORE_URL etc.)."""
        return dict(self._controls().env)

    def say(self, sender: str, text: str, timeout: float = 60) -> List[Dict[str, Any]]:
        """The bot's replies to one message over the REST channel."""
        request = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)

    def slots(self, sender: str, token: str) -> Dict[str, Any]:
        """The conversation's slots (the HTTP API must be on with ``token``)."""
        return self.tracker(sender, token, include_events="NONE")["slots"]

    def tracker(self, sender: str, token: str, include_events: str = "ALL") -> Dict[str, Any]:
        """The conversation's tracker as the HTTP API gives it (``include_events``: ALL, AFTER_RESTART,
        APPLIED, NONE)."""
        url = f"{self.rasa_url}/conversations/{sender}/tracker?token={token}&include_events={include_events}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.load(response)

    # --- faults: one process of the pair down and back, same port, same environment -------------

    def _controls(self) -> _Pair:
        if self._pair is None:
            raise RuntimeError("only a pair started by running_servers can be stopped and restarted")
        return self._pair

    def stop_action_server(self, kill: bool = True) -> None:
        """Stop the action server (SIGKILL, like a crash, or SIGTERM) and wait until it is gone."""
        pair = self._controls()
        _stop(pair.actions, signal.SIGKILL if kill else signal.SIGTERM)

    def start_action_server(self) -> None:
        """Start the action server again on its port; returns once /health answers."""
        pair = self._controls()
        if pair.actions is not None and pair.actions.poll() is None:
            raise RuntimeError("the action server is still running")
        pair.spawn_actions()
        pair.wait_actions()

    def kill_rasa(self) -> None:
        """SIGKILL the Rasa server (no clean shutdown) and wait until it is gone."""
        _stop(self._controls().rasa, signal.SIGKILL)

    def stop_rasa(self) -> None:
        """Stop the Rasa server cleanly (SIGTERM)."""
        _stop(self._controls().rasa, signal.SIGTERM)

    def start_rasa(self, wait: bool = True) -> None:
        """Start the Rasa server again on its port with the same store; returns once it answers
        (``wait=False``: at once; then ``wait_until_ready``, e.g. to restart several servers at once)."""
        pair = self._controls()
        if pair.rasa is not None and pair.rasa.poll() is None:
            raise RuntimeError("the Rasa server is still running")
        pair.spawn_rasa()
        if wait:
            pair.wait_rasa()

    def wait_until_ready(self) -> None:
        """Wait until both servers of the pair answer (after ``running_servers(wait=False)`` or
        ``start_rasa(wait=False)``)."""
        pair = self._controls()
        pair.wait_actions()
        pair.wait_rasa()

    def action_server_running(self) -> bool:
        pair = self._controls()
        return pair.actions is not None and pair.actions.poll() is None

    def rasa_running(self) -> bool:
        pair = self._controls()
        return pair.rasa is not None and pair.rasa.poll() is None


@contextmanager
def running_servers(
    tmp_dir: Path,
    credentials: Path,
    extra_env: Optional[Dict[str, str]] = None,
    extra_args: tuple = (),
    wait: bool = True,
) -> Iterator[Servers]:
    """Run `rasa run actions` and `rasa run` with the trained model until the block ends.

    ``wait=False`` yields as soon as both processes are spawned (start several pairs at once, then
    call ``wait_until_ready`` on each)."""
    if not MODEL.exists():
        raise FileNotFoundError(f"{MODEL} is missing: run `make train` first")
    rasa_port, actions_port = free_port(), free_port()
    env = {
        **os.environ,
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "TRACKER_STORE_URL": f"sqlite:///{tmp_dir / 'tracker.sqlite3'}",
        "LOCK_STORE_URL": "",
        "RASA_TELEMETRY_ENABLED": "false",
        **(extra_env or {}),
    }
    pair = _Pair(tmp_dir, credentials, env, extra_args, rasa_port, actions_port)
    try:
        pair.spawn_actions()
        pair.spawn_rasa()
        if wait:
            pair.wait_actions()
            pair.wait_rasa()
        yield Servers(
            f"http://127.0.0.1:{rasa_port}",
            f"http://127.0.0.1:{actions_port}",
            tmp_dir,
            pair,
        )
    finally:
        pair.stop_all()

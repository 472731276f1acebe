"""Server processes for the benchmark: each in its own process group (so the whole tree is ended,
even on errors), peak RSS of each process tree sampled from /proc, and timed commands."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence

from tests.support.servers import free_port, wait_for

ROOT = Path(__file__).resolve().parents[1]
RASA = Path(sys.executable).with_name("rasa")

__all__ = ["ROOT", "RASA", "free_port", "base_env", "Server", "serve", "run_timed", "log"]

_STARTED = time.monotonic()


def log(message: str) -> None:
    """One progress line on stdout, with the time since the run started."""
    elapsed = time.monotonic() - _STARTED
    print(f"[bench {int(elapsed // 60):2d}:{int(elapsed % 60):02d}] {message}", flush=True)


def base_env(**extra: str) -> Dict[str, str]:
    """The environment the Makefile exports (when run outside make), plus ``extra``."""
    env = dict(os.environ)
    defaults = {
        "RASA_TELEMETRY_ENABLED": "false",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONWARNINGS": "ignore::DeprecationWarning,ignore::PendingDeprecationWarning",
        "KNOWLEDGE_DB_URL": f"sqlite:///{ROOT / 'build' / 'knowledge.sqlite3'}",
    }
    for key, value in defaults.items():
        env.setdefault(key, value)
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env.update(extra)
    return env


# ------------------------------------------------------------------ memory


def _children_map() -> Dict[int, List[int]]:
    children: Dict[int, List[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: the ppid follows the last ')'
        fields = stat[stat.rfind(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def _tree(root: int) -> List[int]:
    children = _children_map()
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return pids


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class RssMonitor:
    """Samples the summed RSS of a process tree every ``interval`` seconds; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self.processes = 1
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.available = Path("/proc/self/status").exists()

    def start(self) -> "RssMonitor":
        if self.available:
            self._thread.start()
        return self

    def sample(self) -> None:
        pids = _tree(self.pid)
        total = sum(_status_kb(pid, "VmRSS") for pid in pids)
        if total > self.peak_kb:
            self.peak_kb = total
            self.processes = len(pids)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.sample()
            except Exception:  # noqa: BLE001 - a vanished process must not stop sampling
                pass
            self._stop.wait(self.interval)

    def stop(self) -> None:
        if self.available:
            try:
                self.sample()
            except Exception:  # noqa: BLE001
                pass
            self._stop.set()
            self._thread.join(timeout=5)


# ------------------------------------------------------------------ processes


def _terminate_group(process: subprocess.Popen, timeout: float = 30) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    # anything left in the group (children of the server) goes too
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Server:
    """A running server: its URL, process and RSS monitor."""

    def __init__(self, name: str, url: str, process: subprocess.Popen, log_path: Path) -> None:
        self.name = name
        self.url = url
        self.process = process
        self.log_path = log_path
        self.rss = RssMonitor(process.pid).start()


@contextmanager
def serve(
    name: str,
    cmd: Sequence[str],
    cwd: Path,
    env: Dict[str, str],
    port: int,
    health_path: str,
    log_path: Path,
    timeout: float = 300,
) -> Iterator[Server]:
    """Start ``cmd`` in its own process group, wait until ``health_path`` answers 200, and end the
    whole group when the block ends (also on errors and Ctrl-C)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as out:
        process = subprocess.Popen(
            list(cmd), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(name, f"http://127.0.0.1:{port}", process, log_path)
    try:
        started = time.monotonic()
        try:
            wait_for(f"{server.url}{health_path}", timeout, process)
        except Exception:
            log(f"{name} did not start; last lines of {log_path}:\n{_tail(log_path)}")
            raise
        server.startup_seconds = time.monotonic() - started
        yield server
    finally:
        server.rss.stop()
        _terminate_group(process)


def run_timed(label: str, cmd: Sequence[str], cwd: Path, env: Dict[str, str], log_path: Path,
              heartbeat: float = 30.0) -> float:
    """Run ``cmd`` to completion (its own process group, ended on errors); seconds it took."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as out:
        process = subprocess.Popen(
            list(cmd), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    started = time.monotonic()
    try:
        while True:
            try:
                process.wait(timeout=heartbeat)
                break
            except subprocess.TimeoutExpired:
                log(f"  {label}: {time.monotonic() - started:.0f} s ...")
    finally:
        _terminate_group(process, timeout=10)
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise RuntimeError(f"{label} failed ({process.returncode}); last lines of {log_path}:\n"
                           f"{_tail(log_path)}")
    return seconds


def peak_mb(server: Optional[Server]) -> Optional[float]:
    if server is None or not server.rss.available:
        return None
    return server.rss.peak_kb / 1024

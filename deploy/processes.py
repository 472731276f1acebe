"""Background processes of the local scaled set-up: started detached, tracked by pid files.

Each process runs in its own session (so it outlives ``python -m deploy.cluster up`` and its whole
process group can be ended at once), writes stdout+stderr to ``<state_dir>/<name>.log`` and has its
pid in ``<state_dir>/<name>.pid``. ``stop`` works from the pid file alone, so ``down`` can end what
an earlier ``up`` started; before signalling a pid it checks that the process's command line still
names the expected program (a recycled pid is left alone).
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence


class StartError(RuntimeError):
    """A process exited, or its health URL did not answer 200 in time (message: the log's tail)."""


@dataclass
class Managed:
    """One process of the set-up.

    ``name``: file stem of its pid and log files (``rasa-0``, ``actions-1``, ``nginx``);
    ``command``: argv; ``health_url``: answers HTTP 200 once the process serves;
    ``marker``: a word that must occur in ``/proc/<pid>/cmdline`` for the pid to be ours.
    """

    name: str
    command: List[str]
    health_url: str
    marker: str
    env: Dict[str, str] = field(default_factory=dict)
    process: Optional[subprocess.Popen] = None  # only in the Python process that started it

    def pid_file(self, state_dir: Path) -> Path:
        return state_dir / f"{self.name}.pid"

    def log_file(self, state_dir: Path) -> Path:
        return state_dir / f"{self.name}.log"


def read_pid(path: Path) -> Optional[int]:
    """The pid in ``path``, or None when the file is missing or not a number."""
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def alive(pid: Optional[int], marker: Optional[str] = None) -> bool:
    """Whether ``pid`` runs (not a zombie) and, with ``marker``, its command line contains it."""
    if not pid:
        return False
    try:
        with open(f"/proc/{pid}/stat") as handle:
            stat = handle.read()
        if stat[stat.rfind(")") + 2 :].split()[0] == "Z":
            return False
        if marker is not None:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                if marker.encode() not in handle.read():
                    return False
        return True
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)  # no /proc (not Linux): existence only
            return marker is None
        except OSError:
            return False


def start(proc: Managed, cwd: Path, state_dir: Path) -> int:
    """Start ``proc`` detached (new session, stdin closed, output appended to its log); its pid.

    The pid file is written at once. Raises OSError when the program can't be executed.
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(proc.log_file(state_dir), "ab") as log:
        log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(proc.command)}\n".encode())
        log.flush()
        proc.process = subprocess.Popen(
            proc.command, cwd=cwd, env=proc.env, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
    proc.pid_file(state_dir).write_text(f"{proc.process.pid}\n")
    return proc.process.pid


def tail(path: Path, lines: int = 25) -> str:
    """The last ``lines`` lines of a text file ('' when it can't be read)."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def answers(url: str, timeout: float = 3.0) -> bool:
    """Whether GET ``url`` returns HTTP 200 within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError, ValueError):
        return False


def wait_healthy(procs: Sequence[Managed], state_dir: Path, timeout: float, progress=None) -> None:
    """Wait until every process's health URL answers 200 (polled every second, all in parallel).

    ``timeout``: seconds for all of them; ``progress(name, seconds)`` is called as each comes up.
    Raises StartError naming the process (with its log's tail) when one exits or the time runs out.
    """
    started = time.monotonic()
    waiting = list(procs)
    while waiting:
        for proc in list(waiting):
            pid = proc.process.pid if proc.process else read_pid(proc.pid_file(state_dir))
            exited = proc.process.poll() is not None if proc.process else not alive(pid)
            if exited:
                raise StartError(f"{proc.name} exited before {proc.health_url} answered; last lines of "
                                 f"{proc.log_file(state_dir)}:\n{tail(proc.log_file(state_dir))}")
            if answers(proc.health_url):
                waiting.remove(proc)
                if progress:
                    progress(proc.name, time.monotonic() - started)
        if waiting and time.monotonic() - started > timeout:
            names = ", ".join(p.name for p in waiting)
            logs = "\n".join(f"--- {p.log_file(state_dir)}:\n{tail(p.log_file(state_dir), 10)}"
                             for p in waiting)
            raise StartError(f"{names} did not answer within {timeout:.0f} s\n{logs}")
        if waiting:
            time.sleep(1)


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)  # the process leads its own session, so its group id is its pid
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass


def kill(proc: Managed, state_dir: Path) -> Optional[int]:
    """SIGKILL ``proc``'s process group at once, like a crash; the pid it had (None: not running).

    The pid file stays (``status`` then shows the process as dead).
    """
    pid = proc.process.pid if proc.process else read_pid(proc.pid_file(state_dir))
    if not alive(pid, proc.marker):
        return None
    _signal_group(pid, signal.SIGKILL)
    _reap(proc, pid, 10)
    return pid


def stop(proc: Managed, state_dir: Path, grace: float = 15.0) -> bool:
    """End ``proc``: SIGTERM to its process group, SIGKILL after ``grace`` seconds; removes the pid file.

    Idempotent: a missing pid file or a pid that no longer names the program is a no-op.
    Returns whether something was running.
    """
    pid = proc.process.pid if proc.process else read_pid(proc.pid_file(state_dir))
    was_running = alive(pid, proc.marker)
    if was_running:
        _signal_group(pid, signal.SIGTERM)
        if not _reap(proc, pid, grace):
            _signal_group(pid, signal.SIGKILL)
            _reap(proc, pid, 10)
    proc.pid_file(state_dir).unlink(missing_ok=True)
    proc.process = None
    return was_running


def _reap(proc: Managed, pid: int, timeout: float) -> bool:
    """Wait up to ``timeout`` s for ``pid`` to end (reaping it when it is our child); ended?"""
    if proc.process is not None:
        try:
            proc.process.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.2)
    return not alive(pid)

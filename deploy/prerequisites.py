"""What the scaled set-up needs before it starts: nginx, PostgreSQL, Redis, the databases, the
knowledge base in PostgreSQL and Rasa's credentials file.

Missing programs or services are installed from Debian's packages (``apt-get``) and started when
this runs as root on the machine they are meant to run on (the URL's host is 127.0.0.1/localhost);
otherwise :class:`Missing` says exactly what to run.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}

Say = Callable[[str], None]


class Missing(RuntimeError):
    """A program or service is missing and can't be set up from here; the message says what to run."""


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _apt_install(packages: Sequence[str], say: Say) -> None:
    """``apt-get install -y -qq PACKAGES`` (``apt-get update -qq`` first if the install fails).

    Raises Missing when apt-get itself fails.
    """
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-qq", *packages]
    say(f"installing {' '.join(packages)} from Debian's packages: {' '.join(command)}")
    if subprocess.run(command, env=env).returncode == 0:
        return
    subprocess.run(["apt-get", "update", "-qq"], env=env)
    if subprocess.run(command, env=env).returncode != 0:
        raise Missing(f"`{' '.join(command)}` failed; install {' '.join(packages)} and retry")


def nginx_binary() -> Optional[str]:
    """Path of the nginx program (PATH, then /usr/sbin), or None."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def ensure_nginx(say: Say, install: bool = True) -> str:
    """The nginx program, installed with apt-get when missing and running as root.

    Raises Missing (with the command to run) when it is missing otherwise.
    """
    found = nginx_binary()
    if found:
        return found
    if install and _is_root():
        _apt_install(["nginx"], say)
        found = nginx_binary()
        if found:
            return found
    raise Missing("nginx is not installed. Run:  sudo apt-get update && sudo apt-get install -y nginx")


def nginx_command(binary: str, conf: Path, prefix: Path, error_log: Path) -> List[str]:
    """argv running nginx with ``conf`` and ``prefix``; with ``-e error_log`` where nginx has the
    flag (1.19.5+), so it never touches /var/log/nginx (older ones only warn when they can't)."""
    command = [binary, "-c", str(conf), "-p", str(prefix)]
    try:
        banner = subprocess.run([binary, "-v"], capture_output=True, text=True, timeout=10).stderr
        version = tuple(int(part) for part in banner.split("/")[-1].strip().split(".")[:3])
    except (OSError, ValueError, subprocess.SubprocessError):
        version = (0,)
    return command + (["-e", str(error_log)] if version >= (1, 19, 5) else [])


# ------------------------------------------------------------------ PostgreSQL


def _maintenance_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return str(make_url(url).set(database="postgres"))


def postgres_problem(url: str) -> Optional[str]:
    """None when the PostgreSQL server of ``url`` answers (its maintenance database), else the error."""
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(_maintenance_url(url), future=True, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        finally:
            engine.dispose()
        return None
    except Exception as error:  # noqa: BLE001 - any failure is reported as text
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def redis_problem(url: str) -> Optional[str]:
    """None when Redis at ``url`` answers PING, else the error."""
    import redis

    try:
        client = redis.StrictRedis.from_url(url, socket_timeout=3, socket_connect_timeout=3)
        try:
            client.ping()
        finally:
            client.close()
        return None
    except Exception as error:  # noqa: BLE001
        return f"{type(error).__name__}: {error}"


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


def _start_service(names: Sequence[str], say: Say) -> None:
    for name in names:
        if shutil.which("service") and subprocess.run(["service", name, "start"]).returncode == 0:
            say(f"started the {name} service")
            return


def _wait(check: Callable[[], Optional[str]], seconds: float) -> Optional[str]:
    deadline = time.monotonic() + seconds
    problem = check()
    while problem and time.monotonic() < deadline:
        time.sleep(1)
        problem = check()
    return problem


def ensure_postgres(url: str, say: Say, install: bool = True) -> None:
    """Make sure PostgreSQL answers at ``url``: install (apt-get) and start it when it runs here.

    Raises Missing with the commands to run when it still doesn't answer.
    """
    problem = postgres_problem(url)
    if problem is None:
        return
    say(f"PostgreSQL does not answer at {url}: {problem}")
    local = _host(url) in LOCAL_HOSTS
    if install and local and _is_root():
        if not list(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
            _apt_install(["postgresql"], say)
        _start_service(["postgresql"], say)
        problem = _wait(lambda: postgres_problem(url), 30)
        if problem is None:
            return
    hint = (
        "  sudo apt-get update && sudo apt-get install -y postgresql && sudo service postgresql start\n"
        "and let the postgres user connect from 127.0.0.1 without a password (local development only):\n"
        "  add `host all postgres 127.0.0.1/32 trust` above the other `host` lines of "
        "/etc/postgresql/*/main/pg_hba.conf, then: sudo service postgresql reload\n"
        "or put the password in the URLs (TRACKER_STORE_URL, KNOWLEDGE_DB_URL)."
        if local else "or point TRACKER_STORE_URL / KNOWLEDGE_DB_URL at a PostgreSQL server that answers."
    )
    raise Missing(f"PostgreSQL does not answer at {url} ({problem}). Run:\n{hint}")


def ensure_redis(url: str, say: Say, install: bool = True) -> None:
    """Make sure Redis answers at ``url``: install (apt-get) and start it when it runs here.

    Raises Missing with the commands to run when it still doesn't answer.
    """
    problem = redis_problem(url)
    if problem is None:
        return
    say(f"Redis does not answer at {url}: {problem}")
    local = _host(url) in LOCAL_HOSTS
    if install and local and _is_root():
        if not shutil.which("redis-server"):
            _apt_install(["redis-server"], say)
        _start_service(["redis-server", "redis"], say)
        if redis_problem(url) and shutil.which("redis-server"):
            subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1"])
        problem = _wait(lambda: redis_problem(url), 15)
        if problem is None:
            return
    hint = ("  sudo apt-get update && sudo apt-get install -y redis-server && sudo service redis-server start"
            if local else "  or point LOCK_STORE_URL at a Redis server that answers.")
    raise Missing(f"Redis does not answer at {url} ({problem}). Run:\n{hint}")


def create_database(url: str, say: Say) -> bool:
    """``CREATE DATABASE`` the database named in ``url`` unless it exists; whether it was created."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    engine = create_engine(_maintenance_url(url), isolation_level="AUTOCOMMIT", future=True)
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_catalog.pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists:
                return False
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    say(f"created the PostgreSQL database {name}")
    return True


def build_knowledge(url: str, env: Dict[str, str], log: Path, say: Say) -> None:
    """``python -m knowledge build`` into ``url`` (output appended to ``log``).

    Raises RuntimeError with the log's tail when the build fails.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        result = subprocess.run([sys.executable, "-m", "knowledge", "build"], cwd=ROOT,
                                env={**env, "KNOWLEDGE_DB_URL": url}, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        lines = log.read_text(errors="replace").splitlines()[-15:]
        raise RuntimeError("`python -m knowledge build` failed:\n" + "\n".join(lines))
    say(f"knowledge base built in {_redact(url)}")


def ensure_credentials(path: Path, env: Dict[str, str], say: Say) -> None:
    """Write Rasa's credentials file with ``python -m bot.credentials --out PATH`` unless it exists.

    Raises RuntimeError when that fails.
    """
    if path.exists():
        return
    result = subprocess.run([sys.executable, "-m", "bot.credentials", "--out", str(path)], cwd=ROOT,
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"python -m bot.credentials failed:\n{result.stdout}{result.stderr}")
    say(f"wrote {path} (python -m bot.credentials)")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return url.split("@")[-1]


def free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether nothing listens on ``host:port`` (so a server can bind it)."""
    import socket

    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
            return True
        except OSError:
            return False


def busy_ports(ports: List[int]) -> List[int]:
    """The ports of ``ports`` already in use on this machine."""
    return [port for port in ports if not free(port) or not free(port, "0.0.0.0")]

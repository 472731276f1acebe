"""The scaled set-up on one machine: N Rasa replicas and M action servers behind nginx, on PostgreSQL
(tracker store, knowledge base) and Redis (lock store).

    python -m deploy.cluster up        # start everything, wait until it answers, print the URLs, exit
    python -m deploy.cluster status    # which processes run and answer
    python -m deploy.cluster down      # stop everything `up` started (idempotent)

Processes (default ports; state under build/scale/: <name>.pid, <name>.log, nginx.conf):

    client ──> nginx :8080 ──hash(conversation)──> rasa-0 :5006, rasa-1 :5007 (`rasa run`, 1 worker)
                                                      │ tracker store: PostgreSQL  lock store: Redis
               nginx :5050 <──── action calls ────────┘
                 └──round robin──> actions-0 :5056, actions-1 :5057 (`rasa run actions`)

Settings (environment): SCALE_PORT (8080), SCALE_RASA_REPLICAS (2), SCALE_ACTION_REPLICAS (2),
SCALE_RASA_BASE_PORT (5006), SCALE_ACTIONS_BASE_PORT (5056), TRACKER_STORE_URL, LOCK_STORE_URL,
KNOWLEDGE_DB_URL, ACTION_SERVER_URL, TICKET_LOCK_LIFETIME, RASA_AUTH_TOKEN (turns the HTTP API on).
The embedded defaults the Makefile exports (a SQLite TRACKER_STORE_URL or KNOWLEDGE_DB_URL, an
empty LOCK_STORE_URL, an ACTION_SERVER_URL on ACTIONS_PORT) can't serve replicas: they are ignored
and the scaled defaults below are used instead.

From Python (tests, the benchmark)::

    with Cluster(rasa_replicas=2, port=free_port(), ..., state_dir=tmp) as cluster:
        post(cluster.rasa_url + "/webhooks/rest/webhook", ...); cluster.kill_rasa(0)
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence
from urllib.parse import urlsplit

from deploy import prerequisites as pre
from deploy.processes import Managed, StartError, alive, answers, kill, read_pid, start, stop, wait_healthy

ROOT = pre.ROOT
RASA = str(Path(sys.executable).with_name("rasa"))
DEFAULT_STATE = ROOT / "build" / "scale"
DEFAULT_TRACKER = "postgresql://postgres@127.0.0.1:5432/walkaway"
DEFAULT_LOCK = "redis://127.0.0.1:6379/1"
DEFAULT_KNOWLEDGE = "postgresql://postgres@127.0.0.1:5432/walkaway_knowledge"
#: Seconds a Rasa ticket lock lives. A replica that dies mid-turn leaves its ticket in Redis; the
#: conversation's next message (on the other replica) waits until it expires. Longer than the
#: slowest turn under load (a live turn must never lose its lock), well under nginx's 120 s timeout.
DEFAULT_LOCK_LIFETIME = 30
ENV_DEFAULTS = {
    "RASA_TELEMETRY_ENABLED": "false", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore::DeprecationWarning,ignore::PendingDeprecationWarning",
}


class Cluster:
    """Rasa replicas + action servers + nginx, started and stopped as one.

    Ports are TCP ports on 127.0.0.1 (nginx listens on all interfaces: ``port`` for the channels,
    ``actions_port`` for the action calls). URLs are SQLAlchemy URLs (PostgreSQL) and a redis://
    URL; the databases are created when missing. ``state_dir`` holds pid/log files and nginx's
    configuration. ``api_token`` turns Rasa's HTTP API on. ``lock_lifetime`` in seconds.
    ``start()`` raises ``prerequisites.Missing`` (something to install), ``StartError`` (a
    process did not come up; everything started is stopped again) or ``FileNotFoundError`` (model).
    """

    def __init__(self, rasa_replicas: int = 2, action_replicas: int = 2, port: int = 8080,
                 actions_port: int = 5050, rasa_ports: Optional[Sequence[int]] = None,
                 action_ports: Optional[Sequence[int]] = None,
                 tracker_store_url: str = DEFAULT_TRACKER, lock_store_url: str = DEFAULT_LOCK,
                 knowledge_db_url: str = DEFAULT_KNOWLEDGE, lock_lifetime: float = DEFAULT_LOCK_LIFETIME,
                 state_dir: Path = DEFAULT_STATE, credentials: Path = ROOT / "build" / "credentials.yml",
                 model: Path = ROOT / "models" / "walkaway.tar.gz", api_token: Optional[str] = None,
                 env: Optional[Mapping[str, str]] = None, build_knowledge: bool = True,
                 install: bool = True, say=print) -> None:
        self.port, self.actions_port = port, actions_port
        self.rasa_ports = list(rasa_ports or range(5006, 5006 + rasa_replicas))[:rasa_replicas]
        self.action_ports = list(action_ports or range(5056, 5056 + action_replicas))[:action_replicas]
        self.tracker_store_url, self.lock_store_url = tracker_store_url, lock_store_url
        self.knowledge_db_url = knowledge_db_url
        self.state_dir, self.credentials, self.model = Path(state_dir), Path(credentials), Path(model)
        self.build_knowledge, self.install, self.say = build_knowledge, install, say
        self.env = {**ENV_DEFAULTS, **(env if env is not None else os.environ),
                    "RASA_TELEMETRY_ENABLED": "false", "SANIC_WORKERS": "1",
                    "TRACKER_STORE_URL": tracker_store_url, "LOCK_STORE_URL": lock_store_url,
                    "KNOWLEDGE_DB_URL": knowledge_db_url, "ACTION_SERVER_URL": self.actions_url,
                    "TICKET_LOCK_LIFETIME": str(int(lock_lifetime))}
        if api_token:
            self.env["RASA_AUTH_TOKEN"] = api_token
        self.nginx_conf = self.state_dir / "nginx.conf"
        self.actions = [self._action_proc(i, p) for i, p in enumerate(self.action_ports)]
        self.rasa = [self._rasa_proc(i, p) for i, p in enumerate(self.rasa_ports)]
        self.nginx = Managed("nginx", [], f"http://127.0.0.1:{actions_port}/health", str(self.nginx_conf))

    # ------------------------------------------------------------------ addresses

    @property
    def rasa_url(self) -> str:
        """nginx's channel side: ``{rasa_url}/webhooks/rest/webhook`` etc."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def actions_url(self) -> str:
        """nginx's action side, as Rasa calls it (ACTION_SERVER_URL)."""
        return f"http://127.0.0.1:{self.actions_port}/webhook"

    @property
    def replica_urls(self) -> List[str]:
        """Each Rasa replica directly, bypassing nginx (warm-up, diagnostics)."""
        return [f"http://127.0.0.1:{p}" for p in self.rasa_ports]

    @property
    def processes(self) -> List[Managed]:
        return [*self.actions, *self.rasa, self.nginx]

    def _action_proc(self, i: int, port: int) -> Managed:
        env = {**self.env, "SANIC_HOST": "127.0.0.1"}
        return Managed(f"actions-{i}", [RASA, "run", "actions", "--actions", "actions", "--port", str(port)],
                       f"http://127.0.0.1:{port}/health", f"--port\0{port}\0", env)

    def _rasa_proc(self, i: int, port: int) -> Managed:
        from bot.credentials import rasa_run_args  # --credentials, --cors, --enable-api/--auth-token

        command = [RASA, "run", "--model", str(self.model), "--endpoints", "endpoints.yml",
                   *rasa_run_args(self.env, self.credentials), "--port", str(port),
                   "--interface", "127.0.0.1"]
        return Managed(f"rasa-{i}", command, f"http://127.0.0.1:{port}/", f"--port\0{port}\0", self.env)

    # ------------------------------------------------------------------ start / stop

    def prepare(self) -> None:
        """Check (and where allowed install/start) nginx, PostgreSQL, Redis; create the databases,
        build the knowledge base, write the credentials file; refuse busy ports."""
        if not self.model.exists():
            raise FileNotFoundError(f"{self.model} is missing: run `make train` first")
        self.nginx.command = pre.nginx_command(pre.ensure_nginx(self.say, self.install), self.nginx_conf,
                                               self.state_dir, self.state_dir / "nginx-error.log")
        for url in dict.fromkeys([self.tracker_store_url, self.knowledge_db_url]):
            pre.ensure_postgres(url, self.say, self.install)
            pre.create_database(url, self.say)
        pre.ensure_redis(self.lock_store_url, self.say, self.install)
        busy = pre.busy_ports([self.port, self.actions_port, *self.rasa_ports, *self.action_ports])
        if busy:
            raise StartError(f"port(s) {', '.join(map(str, busy))} already in use "
                             "(`python -m deploy.cluster status`, or set SCALE_PORT / the base ports)")
        if self.build_knowledge:
            pre.build_knowledge(self.knowledge_db_url, self.env, self.state_dir / "knowledge-build.log", self.say)
        pre.ensure_credentials(self.credentials, self.env, self.say)

    def write_nginx_conf(self) -> Path:
        """Render deploy/nginx/walkaway.conf.template and nginx's own top-level conf into state_dir."""
        from deploy.nginx_config import render, servers_line

        state = self.state_dir
        (state / "nginx-temp").mkdir(parents=True, exist_ok=True)
        (state / "walkaway.conf").write_text(render({
            "RASA_SERVERS": servers_line([f"127.0.0.1:{p}" for p in self.rasa_ports]),
            "ACTION_SERVERS": servers_line([f"127.0.0.1:{p}" for p in self.action_ports]),
            "LISTEN_PORT": str(self.port), "ACTIONS_LISTEN_PORT": str(self.actions_port)}))
        user = ""
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            import grp
            import pwd

            # root master: workers as the same user, so they can use the temp folders under build/
            user = f"user {pwd.getpwuid(0).pw_name} {grp.getgrgid(0).gr_name};\n"
        temp = "\n".join(f"    {kind}_temp_path {state}/nginx-temp/{kind};"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        self.nginx_conf.write_text(
            "# Written by deploy/cluster.py for the local scaled set-up (rewritten by every start).\n"
            f"{user}daemon off;\nworker_processes 1;\npid {state}/nginx.pid;\n"
            f"error_log {state}/nginx-error.log warn;\nevents {{ worker_connections 4096; }}\n"
            f"http {{\n{temp}\n    include {state}/walkaway.conf;\n"
            f"    access_log {state}/nginx-access.log walkaway;\n}}\n")
        return self.nginx_conf

    def start(self, prepare: bool = True, timeout: float = 600) -> "Cluster":
        """Prepare, then start every process and wait (``timeout`` s) until each answers."""
        import subprocess

        self.state_dir.mkdir(parents=True, exist_ok=True)
        if prepare:
            self.prepare()
        elif not self.nginx.command:
            self.nginx.command = pre.nginx_command(pre.nginx_binary() or "nginx", self.nginx_conf,
                                                   self.state_dir, self.state_dir / "nginx-error.log")
        self.write_nginx_conf()
        check = subprocess.run([*self.nginx.command, "-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise StartError(f"nginx rejects {self.nginx_conf}:\n{check.stderr}")
        self._write_manifest()
        try:
            for proc in [*self.actions, *self.rasa]:
                start(proc, ROOT, self.state_dir)
            self.say(f"started {len(self.rasa)} Rasa replica(s) and {len(self.actions)} action server(s); "
                     f"waiting until they answer (loading the model takes a minute or two) ...")
            progress = lambda name, s: self.say(f"  {name} answers ({s:.0f} s)")  # noqa: E731
            wait_healthy(self.actions, self.state_dir, 180, progress)
            start(self.nginx, ROOT, self.state_dir)  # after the action servers: none is marked down
            wait_healthy([self.nginx], self.state_dir, 30, progress)
            wait_healthy(self.rasa, self.state_dir, timeout, progress)
            if not answers(self.rasa_url + "/"):
                raise StartError(f"nginx does not reach the Rasa replicas at {self.rasa_url}/")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> List[str]:
        """Stop nginx, the Rasa replicas, then the action servers; names of those that were running."""
        stopped = [p.name for p in [self.nginx, *self.rasa, *self.actions] if stop(p, self.state_dir)]
        (self.state_dir / "cluster.json").unlink(missing_ok=True)
        return stopped

    def kill_rasa(self, i: int) -> Optional[int]:
        """SIGKILL Rasa replica ``i`` (a crash: no clean shutdown); its pid, or None if not running."""
        return kill(self.rasa[i], self.state_dir)

    def kill_actions(self, i: int) -> Optional[int]:
        """SIGKILL action server ``i``; its pid, or None if it was not running."""
        return kill(self.actions[i], self.state_dir)

    def restart_actions(self, i: int, timeout: float = 180) -> None:
        """Start action server ``i`` again (after ``kill_actions``) and wait until it answers."""
        start(self.actions[i], ROOT, self.state_dir)
        wait_healthy([self.actions[i]], self.state_dir, timeout)

    def restart_rasa(self, i: int, timeout: float = 600) -> None:
        """Start Rasa replica ``i`` again (after ``kill_rasa``) and wait until it answers."""
        start(self.rasa[i], ROOT, self.state_dir)
        wait_healthy([self.rasa[i]], self.state_dir, timeout)

    def status(self) -> List[Dict[str, object]]:
        """Per process: name, pid, running (bool), answering (its health URL gives 200), url."""
        rows = []
        for proc in self.processes:
            pid = read_pid(proc.pid_file(self.state_dir))
            running = alive(pid, proc.marker)
            rows.append({"name": proc.name, "pid": pid, "running": running,
                         "answering": running and answers(proc.health_url, 2), "url": proc.health_url})
        return rows

    def log(self, name: str) -> str:
        """The text of ``<state_dir>/<name>.log`` ('' if missing), e.g. ``log("rasa-0")``."""
        path = self.state_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ------------------------------------------------------------------ state on disk

    def _write_manifest(self) -> None:
        """state_dir/cluster.json (mode 0600: the URLs may hold passwords): what from_state needs."""
        manifest = {"port": self.port, "actions_port": self.actions_port, "rasa_ports": self.rasa_ports,
                    "action_ports": self.action_ports, "nginx": self.nginx.command,
                    "tracker_store_url": self.tracker_store_url, "lock_store_url": self.lock_store_url,
                    "knowledge_db_url": self.knowledge_db_url,
                    "lock_lifetime": int(self.env["TICKET_LOCK_LIFETIME"]),
                    "credentials": str(self.credentials), "model": str(self.model)}
        path = self.state_dir / "cluster.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(manifest, handle, indent=1)

    @classmethod
    def from_state(cls, state_dir: Path = DEFAULT_STATE, say=print) -> Optional["Cluster"]:
        """The cluster an earlier ``start()`` left in ``state_dir`` (status, stop, kill, restart;
        the HTTP API token comes from RASA_AUTH_TOKEN), or None when nothing was started there."""
        try:
            m = json.loads((Path(state_dir) / "cluster.json").read_text())
        except (OSError, ValueError):
            return None
        cluster = cls(len(m["rasa_ports"]), len(m["action_ports"]), m["port"], m["actions_port"],
                      m["rasa_ports"], m["action_ports"], m["tracker_store_url"], m["lock_store_url"],
                      m["knowledge_db_url"], m["lock_lifetime"], state_dir, Path(m["credentials"]),
                      Path(m["model"]), api_token=os.environ.get("RASA_AUTH_TOKEN"), say=say)
        cluster.nginx.command = m["nginx"]
        return cluster

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, **overrides) -> "Cluster":
        """A cluster configured from the environment (see the module docstring); ``overrides``
        are constructor arguments (``say`` also prints the notes about ignored settings)."""
        say = overrides.get("say", print)

        def scaled(name: str, default: str, usable) -> str:
            value = (environ.get(name) or "").strip()
            if value and not usable(value):
                say(f"{name}={pre._redact(value)} is the embedded set-up's; using {pre._redact(default)}")
            return value if value and usable(value) else default

        sqlite = lambda url: not url.startswith("sqlite")  # noqa: E731
        embedded_actions = str(environ.get("ACTIONS_PORT") or 5055)
        action_url = scaled("ACTION_SERVER_URL", f"http://127.0.0.1:{environ.get('SCALE_ACTIONS_PORT', 5050)}/webhook",
                            lambda url: str(urlsplit(url).port) != embedded_actions)
        rasa_base = int(environ.get("SCALE_RASA_BASE_PORT", 5006))
        actions_base = int(environ.get("SCALE_ACTIONS_BASE_PORT", 5056))
        settings = dict(
            rasa_replicas=int(environ.get("SCALE_RASA_REPLICAS", 2)),
            action_replicas=int(environ.get("SCALE_ACTION_REPLICAS", 2)),
            port=int(environ.get("SCALE_PORT", 8080)), actions_port=urlsplit(action_url).port or 80,
            tracker_store_url=scaled("TRACKER_STORE_URL", DEFAULT_TRACKER, sqlite),
            lock_store_url=scaled("LOCK_STORE_URL", DEFAULT_LOCK, lambda url: True),
            knowledge_db_url=scaled("KNOWLEDGE_DB_URL", DEFAULT_KNOWLEDGE, sqlite),
            lock_lifetime=float(environ.get("TICKET_LOCK_LIFETIME") or DEFAULT_LOCK_LIFETIME),
            api_token=environ.get("RASA_AUTH_TOKEN") or None, env=environ)
        settings.update(overrides)
        n, m = settings["rasa_replicas"], settings["action_replicas"]
        settings.setdefault("rasa_ports", range(rasa_base, rasa_base + n))
        settings.setdefault("action_ports", range(actions_base, actions_base + m))
        return cls(**settings)


def _restart_dead(cluster: "Cluster", rows: List[Dict[str, object]], say) -> int:
    """``up`` on a cluster that is partly down: start again the replicas whose process is gone (the
    others keep serving); anything else needs `make scale-down` then `make scale-up`."""
    dead = [str(r["name"]) for r in rows if not r["running"]]
    if any(not name.startswith(("rasa-", "actions-")) for name in dead) or not dead:
        stuck = ", ".join(str(r["name"]) for r in rows if not r["answering"])
        say(f"partly up ({stuck} not answering): `make scale-down`, then `make scale-up`")
        return 1
    for name in dead:
        say(f"{name} is down: starting it again ...")
        kind, index = name.split("-")
        try:
            (cluster.restart_rasa if kind == "rasa" else cluster.restart_actions)(int(index))
        except (StartError, RuntimeError, TimeoutError) as error:
            say(f"could not start {name}: {error}; see {cluster.state_dir / (name + '.log')}")
            return 1
    say(f"up again at http://127.0.0.1:{cluster.port}")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--rasa", type=int, help="Rasa replicas (SCALE_RASA_REPLICAS, default 2)")
    parser.add_argument("--actions", type=int, help="action servers (SCALE_ACTION_REPLICAS, default 2)")
    args = parser.parse_args(argv)
    say = lambda message: print(f"[scale] {message}", flush=True)  # noqa: E731
    existing = Cluster.from_state(DEFAULT_STATE, say)
    if args.command == "down":
        stopped = existing.stop() if existing else []
        say(f"stopped {', '.join(stopped)}" if stopped else "nothing was running")
        return 0
    if args.command == "status":
        if existing is None:
            say("not running (no build/scale/cluster.json)")
            return 1
        rows = existing.status()
        for row in rows:
            state = "answers" if row["answering"] else ("running, not answering" if row["running"] else "DOWN")
            say(f"{row['name']:<10} pid {row['pid'] or '-':<8} {state:<22} {row['url']}")
        return 0 if all(r["answering"] for r in rows) else 1
    rows = existing.status() if existing is not None else []
    if any(r["running"] for r in rows):
        if all(r["answering"] for r in rows):
            say(f"already up at http://127.0.0.1:{existing.port} (`make scale-down` stops it)")
            return 0
        return _restart_dead(existing, rows, say)
    overrides = {k: v for k, v in (("rasa_replicas", args.rasa), ("action_replicas", args.actions)) if v}
    cluster = Cluster.from_env(os.environ, say=say, **overrides)
    try:
        cluster.start()
    except pre.Missing as missing:
        say(str(missing))
        return 2
    except (StartError, FileNotFoundError, RuntimeError) as error:
        say(f"could not start: {error}")
        return 1
    say(f"up. Chat: {cluster.rasa_url}/webhooks/webchat/   REST: {cluster.rasa_url}/webhooks/rest/webhook")
    say(f"Rasa replicas: {', '.join(cluster.replica_urls)}; action servers behind {cluster.actions_url}")
    say(f"tracker store {pre._redact(cluster.tracker_store_url)}, lock store {cluster.lock_store_url}, "
        f"knowledge base {pre._redact(cluster.knowledge_db_url)}")
    say(f"pids and logs in {cluster.state_dir}; stop with `make scale-down` (python -m deploy.cluster down)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

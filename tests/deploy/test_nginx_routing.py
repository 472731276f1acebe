"""The nginx template in a real nginx, with small Python HTTP servers standing in for the replicas.

Checks what the scaled set-up relies on: one conversation always reaches the same Rasa replica
(REST sender, Telegram chat, Slack channel), different conversations spread over the replicas, a
replica that refuses connections is skipped without losing the message, a request that already
reached a dying Rasa replica is not replayed (the user gets one error), action calls are retried,
and Socket.IO gets the websocket upgrade headers and a sticky replica.

Skipped when nginx is not installed (``apt-get install -y nginx``), unless
``WALKAWAY_REQUIRE_SERVICES=1``: then it fails.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import pytest

from deploy.nginx_config import render, servers_line
from tests.support.services import unavailable

REST = "/webhooks/rest/webhook"
TELEGRAM = "/webhooks/telegram/webhook"
SLACK = "/webhooks/slack/webhook"


def nginx_binary() -> Optional[str]:
    found = shutil.which("nginx")
    if found:
        return found
    return next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Upstream:
    """A stand-in replica: answers every request with its name and records what it received."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.received: List[Tuple[str, str, Dict[str, str], bytes]] = []
        self.drop_connections = False  # True: read the request, then close without answering
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep the test output clean
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                upstream.received.append((self.command, self.path, dict(self.headers.items()), body))
                if upstream.drop_connections:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                payload = json.dumps({"upstream": upstream.name}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Close the listening socket: from now on connections are refused."""
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()

    def bodies(self) -> List[bytes]:
        return [body for _, _, _, body in self.received]


TOP_LEVEL = """\
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/walkaway.conf;
    access_log {dir}/access.log walkaway;
}}
"""


def write_config(directory: Path, rasa: List[str], actions: List[str], ports: Tuple[int, int]) -> Path:
    """The rendered template plus a top-level nginx.conf that keeps every path in ``directory``."""
    (directory / "walkaway.conf").write_text(
        render(
            {
                "RASA_SERVERS": servers_line(rasa),
                "ACTION_SERVERS": servers_line(actions),
                "LISTEN_PORT": str(ports[0]),
                "ACTIONS_LISTEN_PORT": str(ports[1]),
            }
        )
    )
    conf = directory / "nginx.conf"
    conf.write_text(TOP_LEVEL.format(dir=directory))
    return conf


def nginx_command(binary: str, directory: Path, conf: Path, *extra: str) -> List[str]:
    return [binary, "-p", str(directory), "-c", str(conf), "-e", str(directory / "error.log"), *extra]


def scratch_dir() -> Path:
    # nginx workers run as an unprivileged user when the master is root: their temp paths must be
    # reachable, which pytest's 0700 tmp_path is not.
    directory = Path(tempfile.mkdtemp(prefix="walkaway-nginx-"))
    directory.chmod(0o755)
    return directory


@pytest.fixture
def nginx() -> str:
    binary = nginx_binary()
    if binary is None:
        unavailable("nginx is not installed (apt-get install -y nginx)")
    return binary


class Cluster:
    def __init__(self, rasa: List[Upstream], actions: List[Upstream], port: int, actions_port: int) -> None:
        self.rasa = rasa
        self.actions = actions
        self.port = port
        self.actions_port = actions_port

    def request(
        self, path: str, body: Optional[bytes] = None, headers: Optional[Dict[str, str]] = None,
        method: str = "POST", port: Optional[int] = None,
    ) -> Tuple[int, Optional[str]]:
        """(status, name of the upstream that answered or None)."""
        connection = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=15)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        if response.status == 200:
            return response.status, json.loads(data)["upstream"]
        return response.status, None

    def post_json(self, path: str, payload: object, **dumps) -> str:
        body = json.dumps(payload, **dumps).encode()
        status, upstream = self.request(path, body, {"Content-Type": "application/json"})
        assert status == 200, f"{path} answered {status}"
        return upstream


@pytest.fixture
def cluster(nginx: str) -> Iterator[Cluster]:
    rasa = [Upstream("rasa-a"), Upstream("rasa-b")]
    actions = [Upstream("actions-a"), Upstream("actions-b")]
    directory = scratch_dir()
    port, actions_port = free_port(), free_port()
    conf = write_config(directory, [u.address for u in rasa], [u.address for u in actions], (port, actions_port))
    process = subprocess.Popen(
        nginx_command(nginx, directory, conf, "-g", "daemon off;"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                log = (directory / "error.log").read_text(errors="replace") if (directory / "error.log").exists() else ""
                pytest.fail(f"nginx exited with {process.returncode}: {process.stderr.read().decode()} {log}")
            try:
                for p in (port, actions_port):
                    socket.create_connection(("127.0.0.1", p), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("nginx did not listen within 10 s")
                time.sleep(0.05)
        yield Cluster(rasa, actions, port, actions_port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for upstream in rasa + actions:
            upstream.stop()
        shutil.rmtree(directory, ignore_errors=True)


def test_rendered_template_passes_nginx_config_test(nginx: str) -> None:
    directory = scratch_dir()
    try:
        conf = write_config(directory, ["127.0.0.1:5006", "127.0.0.1:5007"], ["127.0.0.1:5056", "127.0.0.1:5057"],
                            (free_port(), free_port()))
        result = subprocess.run(nginx_command(nginx, directory, conf, "-t"), capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert "test is successful" in result.stderr
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_rest_sender_always_reaches_the_same_replica_and_senders_spread(cluster: Cluster) -> None:
    senders = [f"user-{i}" for i in range(16)]
    seen: Dict[str, set] = {s: set() for s in senders}
    for turn in range(3):
        for sender in senders:
            # the key order, the spacing and the text vary between turns; the replica must not
            payload = {"sender": sender, "message": f"turn {turn}"}
            if turn == 1:
                payload = {"message": "sender", "sender": sender}
            separators = (",", ":") if turn == 2 else (", ", " : ")
            seen[sender].add(cluster.post_json(REST, payload, separators=separators))
    assert all(len(replicas) == 1 for replicas in seen.values()), seen
    by_replica = {next(iter(r)) for r in seen.values()}
    assert by_replica == {"rasa-a", "rasa-b"}, "16 senders all hashed to one replica: the body is not read"

    # a numeric sender is a key too
    numeric = {n: {cluster.post_json(REST, {"sender": n, "message": m}) for m in ("a", "b")} for n in range(1, 17)}
    assert all(len(replicas) == 1 for replicas in numeric.values()), numeric
    assert {next(iter(r)) for r in numeric.values()} == {"rasa-a", "rasa-b"}

    # invalid UTF-8 and a NUL (the Rasa channel cleans them) do not change the routing either
    raw = b'{"sender": "%s", "message": "caf\xe9 \x00 \xff"}'
    for sender in (senders[0], senders[1]):
        status, upstream = cluster.request(REST, raw % sender.encode(), {"Content-Type": "application/json"})
        assert (status, {upstream}) == (200, seen[sender])

    # a message quoting another sender's key does not move the conversation
    on_a = next(s for s, r in seen.items() if r == {"rasa-a"})
    on_b = next(s for s, r in seen.items() if r == {"rasa-b"})
    assert cluster.post_json(REST, {"message": f'"sender": "{on_a}"', "sender": on_b}) == "rasa-b"
    assert cluster.post_json(REST, {"message": f'"sender": "{on_b}"', "sender": on_a}) == "rasa-a"


def telegram_message(chat_id: int, text: str, update_id: int) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": {"id": 777, "is_bot": False, "first_name": "Pat"},
            "sender_chat": {"id": 999, "type": "channel"},
            "chat": {"type": "private", "first_name": "Pat", "id": chat_id},
            "date": 1700000000,
            "text": text,
        },
    }


def telegram_button(chat_id: int, update_id: int) -> dict:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": "cb",
            "from": {"id": 777, "is_bot": False, "first_name": "Pat"},
            "message": {"message_id": 1, "chat": {"id": chat_id, "type": "private"}, "date": 1700000000},
            "data": "/affirm",
        },
    }


def test_telegram_chat_keeps_its_replica(cluster: Cluster) -> None:
    chats = [1001 + i for i in range(8)] + [-100200300 - i for i in range(4)]
    placement: Dict[int, set] = {}
    for n, chat in enumerate(chats):
        placement[chat] = {
            cluster.post_json(TELEGRAM, telegram_message(chat, "hello", 10 * n)),
            cluster.post_json(TELEGRAM, telegram_message(chat, "I owe 300000", 10 * n + 1)),
            cluster.post_json(TELEGRAM, telegram_button(chat, 10 * n + 2)),
        }
    assert all(len(replicas) == 1 for replicas in placement.values()), placement
    assert {next(iter(r)) for r in placement.values()} == {"rasa-a", "rasa-b"}


def slack_event(channel: str, user: str, text: str) -> dict:
    return {
        "token": "t",
        "team_id": "T1",
        "event": {
            "type": "message",
            "user": user,
            "text": text,
            "blocks": [{"type": "rich_text", "elements": [{"type": "text", "text": text}]}],
            "ts": "1700000000.000100",
            "channel": channel,
            "channel_type": "im",
        },
        "type": "event_callback",
        "event_id": "Ev1",
    }


def slack_button(channel: str, user: str, compact: bool) -> bytes:
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "channel": {"name": "directmessage", "id": channel},
        "actions": [{"action_id": "a", "value": "/affirm"}],
    }
    text = json.dumps(payload, separators=(",", ":") if compact else (", ", ": "))
    return urllib.parse.urlencode({"payload": text}).encode()


def test_slack_channel_keeps_its_replica_for_events_and_buttons(cluster: Cluster) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    placement: Dict[str, set] = {}
    for i in range(12):
        channel = f"D0{i:02d}ABC"
        replicas = {
            cluster.post_json(SLACK, slack_event(channel, "U1", "hello")),
            cluster.post_json(SLACK, slack_event(channel, "U2", "what about my state?")),
        }
        for compact in (True, False):
            status, upstream = cluster.request(SLACK, slack_button(channel, "U1", compact), form)
            assert status == 200
            replicas.add(upstream)
        placement[channel] = replicas
    assert all(len(replicas) == 1 for replicas in placement.values()), placement
    assert {next(iter(r)) for r in placement.values()} == {"rasa-a", "rasa-b"}


def sender_on(cluster: Cluster, replica: str) -> str:
    for i in range(50):
        sender = f"probe-{i}"
        if cluster.post_json(REST, {"sender": sender, "message": "hi"}) == replica:
            return sender
    raise AssertionError(f"no sender hashed to {replica}")


def test_a_replica_refusing_connections_is_skipped_without_losing_the_message(cluster: Cluster) -> None:
    sender = sender_on(cluster, "rasa-a")
    cluster.rasa[0].stop()
    message = {"sender": sender, "message": "still there?"}
    assert cluster.post_json(REST, message) == "rasa-b"
    assert json.dumps(message).encode() in cluster.rasa[1].bodies()
    assert cluster.post_json(REST, {"sender": sender, "message": "and now?"}) == "rasa-b"


def test_a_message_that_reached_a_dying_replica_is_not_replayed(cluster: Cluster) -> None:
    sender = sender_on(cluster, "rasa-a")
    cluster.rasa[0].drop_connections = True
    body = json.dumps({"sender": sender, "message": "half-processed turn"}).encode()
    status, _ = cluster.request(REST, body, {"Content-Type": "application/json"})
    assert status == 502  # the one error the user sees, and can resend
    assert body in cluster.rasa[0].bodies()
    assert body not in cluster.rasa[1].bodies(), "nginx replayed a POST that had reached a replica"
    # max_fails=1: the failed replica is out for 10 s, the conversation continues on the other
    assert cluster.post_json(REST, {"sender": sender, "message": "resent"}) == "rasa-b"


def test_action_calls_survive_a_dead_or_dying_action_server(cluster: Cluster) -> None:
    call = json.dumps({"next_action": "action_state_rules", "tracker": {"sender_id": "x"}}).encode()
    headers = {"Content-Type": "application/json"}
    answered = [cluster.request("/webhook", call, headers, port=cluster.actions_port) for _ in range(4)]
    assert {upstream for _, upstream in answered} == {"actions-a", "actions-b"}  # round robin

    cluster.actions[0].drop_connections = True  # dies mid-call: retried on the other (non_idempotent)
    for _ in range(4):
        assert cluster.request("/webhook", call, headers, port=cluster.actions_port) == (200, "actions-b")
    assert cluster.actions[0].received, "the dying action server was never tried"

    cluster.actions[0].stop()  # gone: connections refused
    for _ in range(4):
        assert cluster.request("/webhook", call, headers, port=cluster.actions_port) == (200, "actions-b")


def test_socketio_gets_websocket_headers_and_one_replica(cluster: Cluster) -> None:
    status, first = cluster.request(
        "/socket.io/?EIO=4&transport=websocket", method="GET",
        headers={"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                 "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="},
    )
    assert status == 200
    replica = next(u for u in cluster.rasa if u.name == first)
    _, _, headers, _ = replica.received[-1]
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered.get("upgrade") == "websocket"
    assert lowered.get("connection", "").lower() == "upgrade"

    # long-polling: every request of the session, whatever its query, reaches the same replica
    for t in range(10):
        status, upstream = cluster.request(f"/socket.io/?EIO=4&transport=polling&t=N{t}&sid=s{t}", method="GET")
        assert (status, upstream) == (200, first)
    _, _, headers, _ = replica.received[-1]
    assert {k.lower(): v for k, v in headers.items()}.get("connection") == "close"


def test_oversized_body_is_refused_not_routed_without_its_key(cluster: Cluster) -> None:
    body = json.dumps({"sender": "big", "message": "x" * 200_000}).encode()
    status, _ = cluster.request(REST, body, {"Content-Type": "application/json"})
    assert status == 413
    assert not any(u.received for u in cluster.rasa)

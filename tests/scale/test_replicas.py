"""Through nginx with 2 Rasa replicas and 2 action servers on PostgreSQL + Redis (issue 12).

1. 100 conversations x 10 turns at once: afterwards every tracker in PostgreSQL holds exactly its own
   user messages in order (each text is unique to its conversation and turn), and the bot messages
   stored for each turn are exactly the replies that conversation received: nothing lost,
   duplicated or crossed, and both replicas served.
2. An action server is killed during a load of state-law questions: every question is still answered
   with that state's rules (through the other action server), without a single error.
3. A Rasa replica is killed (SIGKILL) during a load: every conversation finishes on the other one,
   each user sees at most one error, which resending fixes; the state each user gave in the first
   turn is still in the tracker; the stored messages are the sent ones in order (a message whose
   reply was lost may be stored twice: nginx can't know whether the dead replica saved it).

The tests share one cluster and run in this order (the last one leaves one Rasa replica); each
checks only its own conversations. Timing on 2 cores: ~2 min start-up, then ~1-2 min per test.
"""
from __future__ import annotations

import json
import time
import urllib.request
from typing import Dict, List, Sequence, Tuple

import pytest

from tests.scale.conftest import (TOKEN, Conversation, Load, after_turns, bot_texts_by_turn,
                                  stored_events, user_texts)

pytestmark = pytest.mark.scale

STATES: List[Tuple[str, str]] = [
    ("Ohio", "OH"), ("Texas", "TX"), ("Arizona", "AZ"), ("California", "CA"), ("Florida", "FL"),
    ("Nevada", "NV"), ("Oregon", "OR"), ("Georgia", "GA"), ("Michigan", "MI"), ("Colorado", "CO"),
    ("Illinois", "IL"), ("Pennsylvania", "PA"), ("North Carolina", "NC"), ("Minnesota", "MN"),
    ("Utah", "UT"), ("Iowa", "IA"), ("Alaska", "AK"), ("Montana", "MT"),
]
FAQ = [
    "what is a short sale?",
    "how bad will a foreclosure hurt my credit?",
    "can the bank sue me for what's left after foreclosure?",
    "what is a deed in lieu of foreclosure?",
    "which states are non recourse?",
    "what does it mean to walk away from a mortgage?",
]
UNAVAILABLE = "can't look that up"


def state(i: int) -> Tuple[str, str]:
    return STATES[i % len(STATES)]


def tagged(prefix: str, c: int, m: int, text: str) -> str:
    """A realistic message made unique to conversation ``c``, turn ``m`` by a tag. (The tag is
    noise to the NLU: with it, a few short messages fall below the fallback threshold, e.g.
    "I live in Montana (msg b17x0)". Any reply will do where the tests don't check the answer.)"""
    return f"{text} (msg {prefix}{c}x{m})"


def mixed_script(prefix: str, c: int, turns: int) -> List[str]:
    """Turn 0 gives the user's state; then FAQ and other states' questions, varied by ``c``."""
    home, other = state(c)[0], state(c * 7 + 3)[0]
    pool = [f"what about {other}?", *FAQ, f"is {other} a non recourse state?",
            f"how long does foreclosure take in {home}?"]
    rest = [pool[(c + k) % len(pool)] for k in range(turns - 1)]
    return [tagged(prefix, c, m, text) for m, text in enumerate([f"I live in {home}", *rest])]


def state_then_faq(prefix: str, c: int, turns: int) -> List[str]:
    """"I live in <state>" (untagged, so it is always understood), then FAQ questions only (no other
    state is named: while the form asks for the home's value, "what about Texas?" may be taken
    as a change of the user's state)."""
    faq = [tagged(prefix, c, k + 1, FAQ[(c + k) % len(FAQ)]) for k in range(turns - 1)]
    return [f"I live in {state(c)[0]}", *faq]


def conversations(prefix: str, count: int, script) -> List[Conversation]:
    return [Conversation(f"scale-{prefix}-{c}-{int(time.time())}", script(c)) for c in range(count)]


def summary(convs: Sequence[Conversation], wall: float) -> str:
    seconds = sorted(t.seconds for c in convs for t in c.turns if t.ok)
    p95 = seconds[int(0.95 * (len(seconds) - 1))] if seconds else float("nan")
    return (f"{len(seconds)} turns in {wall:.0f} s ({len(seconds) / wall:.1f} turns/s), "
            f"p95 {p95:.1f} s, failed attempts {sum(len(t.errors) for c in convs for t in c.turns)}")


def upstream_counts(cluster) -> Dict[int, int]:
    """REST requests nginx passed to each Rasa replica port (from its access log)."""
    counts = {port: 0 for port in cluster.rasa_ports}
    lines = cluster.log("nginx-access").splitlines()
    for line in lines:
        if "/webhooks/rest/webhook" in line:
            for port in counts:
                if f"upstream=127.0.0.1:{port}" in line:
                    counts[port] += 1
    return counts


def slots(cluster, sender: str) -> Dict:
    url = f"{cluster.rasa_url}/conversations/{sender}/tracker?token={TOKEN}&include_events=NONE"
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)["slots"]


def test_100_concurrent_conversations_each_tracker_holds_exactly_its_own_events(cluster):
    convs = conversations("a", 100, lambda c: mixed_script("a", c, 10))
    wall = Load(cluster.rasa_url, retries=0).run(convs)
    print(f"\n100 x 10 through nginx: {summary(convs, wall)}")

    failed = [(c.sender, t.text, t.errors) for c in convs for t in c.turns if not t.ok]
    assert not failed, f"{len(failed)} turns failed, e.g. {failed[:3]}"
    assert all(len(c.turns) == 10 for c in convs)
    stored = stored_events(cluster.tracker_store_url)
    for conv in convs:
        events = stored.get(conv.sender, [])
        assert user_texts(events) == list(conv.texts), f"{conv.sender}: user messages differ"
        received = [[str(r.get("text") or "") for r in t.replies] for t in conv.turns]
        assert bot_texts_by_turn(events) == received, f"{conv.sender}: stored bot messages differ"
    served = upstream_counts(cluster)
    assert all(served.values()), f"a replica got no conversation: {served}"


def test_killing_an_action_server_keeps_actions_answering(cluster):
    asked: Dict[str, List[str]] = {}  # message -> the state it asks about

    def script(c: int) -> List[str]:
        texts = []
        for m in range(6):
            name = state(c + 5 * m)[0]
            texts.append(tagged("c", c, m, f"what about {name}, can they sue me there?"))
            asked[texts[-1]] = name
        return texts

    convs = conversations("c", 40, script)
    record: Dict = {}
    load = Load(cluster.rasa_url, retries=0)
    try:
        wall = load.run(convs, during=after_turns(70, lambda: cluster.kill_actions(0), record))
        print(f"\naction server killed after turn {record['at_turn']} of 240: {summary(convs, wall)}")
        assert record["result"], "actions-0 was not running when it was to be killed"
        assert record["at_turn"] < 120, "the kill came too late to test anything"
        for conv in convs:
            assert len(conv.turns) == 6, f"{conv.sender} stopped at {conv.turns[-1]}"
            for turn in conv.turns:
                assert turn.ok, f"{conv.sender} {turn.text!r}: {turn.errors}"
                assert UNAVAILABLE not in turn.reply, f"{turn.text!r} got the fallback: {turn.reply[:200]}"
                assert asked[turn.text] in turn.reply, f"{turn.text!r} not answered: {turn.reply[:200]}"
        assert not cluster.status()[0]["running"]  # actions-0 stayed down
    finally:
        cluster.restart_actions(0)


def test_killing_a_rasa_replica_every_conversation_continues_with_its_slots(cluster):
    before = upstream_counts(cluster)
    convs = conversations("b", 100, lambda c: state_then_faq("b", c, 6))
    record: Dict = {}
    load = Load(cluster.rasa_url, retries=1, pause=1.0)
    wall = load.run(convs, during=after_turns(200, lambda: cluster.kill_rasa(0), record))
    retried = [(c.sender, t.text, t.errors) for c in convs for t in c.turns if t.errors]
    print(f"\nRasa replica rasa-0 killed after turn {record['at_turn']} of 600: {summary(convs, wall)}; "
          f"{len(retried)} messages needed a retry, e.g. {retried[:2]}")
    assert record["result"], "rasa-0 was not running when it was to be killed"
    after = upstream_counts(cluster)
    assert after[cluster.rasa_ports[0]] > before[cluster.rasa_ports[0]], "rasa-0 got no traffic"

    for conv in convs:
        assert [t.ok for t in conv.turns] == [True] * 6, f"{conv.sender} did not finish: {conv.turns[-1]}"
        errors = [t for t in conv.turns if t.errors]
        assert len(errors) <= 1, f"{conv.sender} saw {len(errors)} errors: {[t.errors for t in errors]}"
        assert all(len(t.errors) <= 1 for t in conv.turns), f"{conv.sender}: one retry did not help"

    stored = stored_events(cluster.tracker_store_url)
    duplicates = 0
    for c, conv in enumerate(convs):
        assert slots(cluster, conv.sender)["us_state"] == state(c)[1], f"{conv.sender} lost its state"
        texts = user_texts(stored.get(conv.sender, []))
        resent = {t.text for t in conv.turns if t.errors}
        collapsed = [t for i, t in enumerate(texts) if not (i and t == texts[i - 1] and t in resent)]
        duplicates += len(texts) - len(collapsed)
        assert collapsed == list(conv.texts), f"{conv.sender}: stored {texts}"
    print(f"messages stored twice (reply lost with the replica, then resent): {duplicates}")
    assert duplicates <= len(retried)


def test_scale_up_again_restarts_only_the_dead_replica(cluster):
    """After the kill above, `make scale-up` (deploy.cluster's `up`) starts rasa-0 again and leaves
    the running processes alone; conversations are then served by both replicas again."""
    from deploy.cluster import _restart_dead

    rows = cluster.status()
    assert [r["name"] for r in rows if not r["running"]] == ["rasa-0"]
    pids = {r["name"]: r["pid"] for r in rows if r["running"]}
    said: List[str] = []
    assert _restart_dead(cluster, rows, said.append) == 0, said
    rows = cluster.status()
    assert all(r["answering"] for r in rows), rows
    assert {r["name"]: r["pid"] for r in rows if r["name"] != "rasa-0"} == pids  # the others untouched

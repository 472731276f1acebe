"""Issue 12, faults: the real action server and Rasa server (real model, REST channel, HTTP API) when a
process dies, and under parallel load.

1. The action server dies mid-scenario: a message that needs a custom action gets the domain's
   ``utter_action_unavailable`` reply (once, never silence); an FAQ still gets its answer; once the
   action server is back on the same port, state questions are answered again, the slots collected
   before the outage are all there and the form goes on with its next question.
2. The Rasa server is SIGKILLed mid-scenario and started again with the same tracker store, on SQLite
   and on PostgreSQL: the stored conversation (every event) and every collected slot come back, and
   the answer to the pending question continues the form without asking again for a fact given.
3. 50 conversations x 10 turns in parallel on one server (SQLite, and PostgreSQL): afterwards the
   tracker store's ``events`` table, read directly with SQLAlchemy, holds for each sender exactly its
   own user messages in order (none lost, crossed or duplicated), followed by exactly the replies that
   sender received; every request got a non-empty reply.

Servers are shared: one SQLite pair and one PostgreSQL pair for the module, started (and, for 2,
restarted) at the same time. PostgreSQL comes from ``tests.support.services`` (skipped where it
doesn't answer, failed under ``WALKAWAY_REQUIRE_SERVICES=1``).
"""
from __future__ import annotations

import functools
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from tests.support.servers import ROOT, Servers, running_servers
from tests.support.services import POSTGRES_ADMIN_URL, fresh_postgres_database, postgres_available, unavailable

TOKEN = "faults-e2e-token"
API = ("--enable-api", "--auth-token", TOKEN)
STORES = ("sqlite", "postgresql")


# --- the domain's own texts -----------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def domain_responses() -> Dict[str, str]:
    """The (first) text of every response in bot/domain/*.yml, by name."""
    found: Dict[str, str] = {}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        for name, variants in ((yaml.safe_load(path.read_text()) or {}).get("responses") or {}).items():
            found[name] = variants[0].get("text") or ""
    return found


def domain_response(name: str) -> str:
    if name not in domain_responses():
        pytest.fail(f"bot/domain has no response {name}")
    return domain_responses()[name]


def paragraphs(texts: List[str]) -> List[str]:
    """The chat bubbles the REST channel makes of these texts (Rasa splits a text at blank lines)."""
    return [part.strip() for text in texts if text for part in text.strip().split("\n\n") if part.strip()]


def texts_of(replies: List[Dict[str, Any]]) -> List[str]:
    return [reply.get("text") or "" for reply in replies]


# --- servers --------------------------------------------------------------------------------------

class Stores:
    """The module's server pairs by store name, or why a store has none."""

    def __init__(self) -> None:
        self.servers: Dict[str, Servers] = {}
        self.missing: Dict[str, str] = {}

    def get(self, store: str) -> Servers:
        if store not in self.servers:
            unavailable(self.missing.get(store, f"no {store} servers"))
        return self.servers[store]


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """A SQLite pair and a PostgreSQL pair (fresh database), both starting at once."""
    result = Stores()
    with ExitStack() as stack:
        for store in STORES:
            tmp = tmp_path_factory.mktemp(f"faults-{store}")
            credentials = tmp / "credentials.yml"
            credentials.write_text("rest: {}\n")
            env: Dict[str, str] = {}
            if store == "postgresql":
                if not postgres_available():
                    result.missing[store] = f"PostgreSQL does not answer at {POSTGRES_ADMIN_URL}"
                    continue
                env["TRACKER_STORE_URL"] = stack.enter_context(fresh_postgres_database("walkaway_faults"))
            result.servers[store] = stack.enter_context(
                running_servers(tmp, credentials, extra_env=env, extra_args=API, wait=False)
            )
        for servers in result.servers.values():
            servers.wait_until_ready()
        yield result


@pytest.fixture(scope="module")
def sqlite_servers(stores) -> Servers:
    return stores.get("sqlite")


class Chat:
    """One conversation: ``say`` returns the reply (never empty); ``replies`` holds every reply so far."""

    def __init__(self, servers: Servers, prefix: str) -> None:
        self.servers = servers
        self.sender = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.replies: List[List[str]] = []

    def say(self, text: str) -> str:
        replies = texts_of(self.servers.say(self.sender, text))
        self.replies.append(replies)
        reply = "\n".join(replies)
        assert reply.strip(), f"silence: no reply to {text!r}"
        return reply

    def slots(self) -> Dict[str, Any]:
        return self.servers.slots(self.sender, TOKEN)

    def events(self) -> List[Dict[str, Any]]:
        return self.servers.tracker(self.sender, TOKEN)["events"]


def new_log(path: Path, since: int) -> str:
    return path.read_bytes()[since:].decode(errors="replace")


# --- the scenario form ----------------------------------------------------------------------------

# The form's questions (a piece of each) -> a homeowner's answer and the slot it fills.
ANSWERS = {
    "second mortgage or HELOC": ("no second mortgage, just the one loan", "second_lien_balance"),
    "live in the home": ("it's my home, I live there", "occupancy"),
    "first mortgage for": ("we bought it with a regular mortgage", "loan_purpose"),
    "makes the payments hard": ("yes, I lost my job", "hardship"),
    "up to date on your payments": ("we're 2 months behind", "payment_status"),
    "what would you like to happen": ("I'd like to keep it if I can", "goal"),
}

# Facts the user states: once given, the form must never ask for them again.
FACT_SLOTS = ("us_state", "home_value", "loan_balance", "payment_status", "months_behind",
              "second_lien_balance", "occupancy", "loan_purpose", "hardship", "goal")
# The questions that ask for them (besides the domain's utter_ask_<slot>).
ASKED_FOR = {
    "us_state": ["Which state"],
    "home_value": ["sell for today"],
    "loan_balance": ["how much do you owe"],
    "second_lien_balance": ["second mortgage or HELOC"],
    "occupancy": ["live in the home"],
    "loan_purpose": ["first mortgage for"],
    "payment_status": ["up to date on your payments"],
    "months_behind": ["payments have you missed"],
    "hardship": ["makes the payments hard"],
}


def pending_question(reply: str):
    """(question piece, answer, slot) for the form question the reply ends with."""
    last = reply.strip().split("\n")[-1]
    for piece, (answer, slot) in ANSWERS.items():
        if piece in last:
            return piece, answer, slot
    raise AssertionError(f"the reply doesn't end with a form question I know: {last!r}")


def assert_not_asked_again(reply: str, slots: Dict[str, Any]) -> None:
    for slot in FACT_SLOTS:
        if slots.get(slot) is None:
            continue
        questions = list(ASKED_FOR.get(slot, []))
        if domain_responses().get(f"utter_ask_{slot}"):
            questions.append(domain_responses()[f"utter_ask_{slot}"])
        for question in questions:
            assert question not in reply, f"asked again for {slot} ({slots[slot]!r} given): {reply!r}"


# --- 1. the action server down mid-conversation ------------------------------------------------------

STATE_KEEPING = ("state_discussed", "state_topic", "state_question", "scenario_retry")  # change with each question


def test_action_server_down_gets_a_clear_reply_and_the_conversation_goes_on(sqlite_servers):
    servers = sqlite_servers
    unavailable_text = domain_response("utter_action_unavailable")
    faq_answer = paragraphs([domain_response("utter_faq/deficiency_judgment")])
    chat = Chat(servers, "actions-down")

    reply = chat.say("I'm in Texas, it's worth 200k and I owe 260k")
    assert "Texas" in reply and "$260,000" in reply
    reply = chat.say("is texas a recourse state?")  # answered by action_state_rules
    assert "Tex. Prop. Code" in reply, reply
    before = chat.slots()
    assert (before["us_state"], before["home_value"], before["loan_balance"]) == ("TX", 200000.0, 260000.0)
    piece, answer, slot = pending_question(reply)

    repeated = []  # replies that apologise more than once (checked at the end, after the recovery)
    servers.stop_action_server()  # SIGKILL: as if it crashed
    try:
        rules = chat.say("what are the deficiency rules in Arizona?")
        assert unavailable_text in chat.replies[-1], f"no 'can't look that up' reply: {rules!r}"
        assert "A.R.S." not in rules
        if chat.replies[-1].count(unavailable_text) > 1:
            repeated.append(chat.replies[-1])

        faq = chat.say("what is a deficiency judgment")  # the answer is in the domain
        for part in faq_answer:
            assert part in paragraphs(chat.replies[-1]), f"FAQ answer missing {part[:60]!r}: {faq!r}"
        if chat.replies[-1].count(unavailable_text) > 1:
            repeated.append(chat.replies[-1])

        # a message only the (custom) fallback answers, in another conversation: it must not loop
        # until Rasa's circuit breaker trips, which would silence that conversation for good
        lost = Chat(servers, "actions-down-fallback")
        for text in ("asdf qwerty zzz", "hello?", "asdf qwerty zzz"):
            lost.say(text)  # never silence
        gone = Chat(servers, "actions-down-forget")
        gone.say("I live in Ohio")
        assert "deleted" in gone.say("delete everything I told you")  # the store erases it anyway
    finally:
        servers.start_action_server()  # same port, same environment

    assert "short sale" in lost.say("what is a short sale?").lower()  # the outage left no trace

    reply = chat.say("what are the deficiency rules in Arizona?")
    assert "Arizona" in reply and "33-814" in reply, reply
    assert unavailable_text not in reply
    after = chat.slots()
    for name, value in before.items():
        if name not in STATE_KEEPING:
            assert after[name] == value, f"slot {name}: {value!r} before the outage, {after[name]!r} after"
    assert after["state_discussed"] == "AZ"

    assert piece in reply.strip().split("\n")[-1]  # the form asks its open question again
    reply = chat.say(answer)
    assert chat.slots()[slot] is not None, f"{answer!r} did not fill {slot}: {reply!r}"
    assert unavailable_text not in reply
    assert_not_asked_again(reply, chat.slots())
    assert piece not in reply.strip().split("\n")[-1]  # on to the next question

    assert not repeated, "one message, the same apology several times:\n" + "\n".join(
        f"{texts.count(unavailable_text)} x in {texts!r}" for texts in repeated)


# --- 2. the Rasa server killed mid-scenario ----------------------------------------------------------

SCENARIO = [
    "I'm in Texas, it's worth 200k, I owe 260k and I'm 2 months behind",
    "no second mortgage, just the one loan",
    "it's my home, I live there",
]
EXPECTED_BEFORE_KILL = {"us_state": "TX", "home_value": 200000.0, "loan_balance": 260000.0,
                        "payment_status": "behind", "months_behind": 2.0, "second_lien_balance": 0.0,
                        "occupancy": "primary"}


@pytest.fixture(scope="module")
def restarted(stores):
    """Every pair: a scenario half answered, then the Rasa server SIGKILLed and started again (all
    pairs at once). Returns, per store, the chat and what the API showed just before the kill."""
    before: Dict[str, Dict[str, Any]] = {}
    for store, servers in stores.servers.items():
        chat = Chat(servers, f"restart-{store}")
        reply = ""
        for text in SCENARIO:
            reply = chat.say(text)
        before[store] = {"chat": chat, "reply": reply, "slots": chat.slots(), "events": chat.events(),
                         "log_at_kill": (servers.log_dir / "rasa.log").stat().st_size}
    for servers in stores.servers.values():
        servers.kill_rasa()
    for servers in stores.servers.values():
        servers.start_rasa(wait=False)
    for servers in stores.servers.values():
        servers.wait_until_ready()
    return before


@pytest.mark.parametrize("store", STORES)
def test_rasa_killed_mid_scenario_comes_back_with_every_slot(stores, restarted, store):
    servers = stores.get(store)
    saved = restarted[store]
    chat: Chat = saved["chat"]
    slots = saved["slots"]
    for name, value in EXPECTED_BEFORE_KILL.items():
        assert slots[name] == value, f"the scenario didn't fill {name} before the kill: {slots!r}"

    assert chat.slots() == slots, "the slots after the restart differ from those before the kill"
    assert chat.events() == saved["events"], "the stored conversation differs after the restart"

    piece, answer, slot = pending_question(saved["reply"])
    assert slots["requested_slot"] == slot
    reply = chat.say(answer)
    after = chat.slots()
    assert after[slot] is not None, f"{answer!r} did not fill {slot} after the restart: {reply!r}"
    for name, value in EXPECTED_BEFORE_KILL.items():
        assert after[name] == value, f"{name} lost after the restart: {after!r}"
    assert_not_asked_again(reply, after)
    assert after["requested_slot"] not in (None, slot) or "underwater" in reply, reply
    assert "Traceback" not in new_log(servers.log_dir / "rasa.log", saved["log_at_kill"])


# --- 3. 50 conversations x 10 turns in parallel -------------------------------------------------------

CONVERSATIONS = 50
STATES = ["Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
          "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky",
          "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
          "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico",
          "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
          "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
          "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "Washington DC"]


def turns(n: int) -> List[str]:
    """Ten messages of reader n (1..50): FAQ and state questions, thanks; each names the reader or a
    state of its own, so no two messages of the whole run are the same."""
    own, other = STATES[n - 1], STATES[(n + 17) % len(STATES)]
    return [
        f"hello, reader {n} here",
        f"reader {n} here, what is a deficiency judgment?",
        f"is {own} a recourse state?",
        f"how long does foreclosure take in {own}?",
        f"thanks, that helps a lot - reader {n}",
        f"how does a short sale work? asking for reader {n}",
        f"what about {other}?",
        f"which states are non-recourse? asking for reader {n}",
        f"can I just walk away? (reader {n})",
        f"ok that's all for now, goodbye from reader {n}",
    ]


def stored_events(url: str, prefix: str) -> Dict[str, List[tuple]]:
    """(type_name, data) of every stored event whose sender starts with ``prefix``, by sender, in the
    order the store holds them (by id)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT sender_id, type_name, timestamp, data FROM events "
                     "WHERE sender_id LIKE :prefix ORDER BY id"),
                {"prefix": f"{prefix}%"},
            ).all()
    finally:
        engine.dispose()
    events: Dict[str, List[tuple]] = {}
    for sender, type_name, timestamp, data in rows:
        events.setdefault(sender, []).append((type_name, timestamp, json.loads(data)))
    return events


def turns_in_store(events: List[tuple]) -> List[Dict[str, Any]]:
    """The stored conversation cut into turns: each user message and the bot texts after it (those
    of the session start, before the first message, belong to the first turn)."""
    cut: List[Dict[str, Any]] = []
    early: List[str] = []
    for type_name, _, data in events:
        if type_name == "user":
            cut.append({"text": data.get("text"), "bot": early if not cut else []})
            early = []
        elif type_name == "bot" and data.get("text"):
            (cut[-1]["bot"] if cut else early).append(data["text"])
    return cut


def run_conversations(servers: Servers, prefix: str) -> Dict[str, Any]:
    """50 conversations of 10 turns at once on one server (each conversation waits for each reply)."""
    log = servers.log_dir / "rasa.log"
    log_start = log.stat().st_size

    def conversation(n: int) -> List[List[str]]:
        sender = f"{prefix}{n:02d}"
        return [texts_of(servers.say(sender, message, timeout=300)) for message in turns(n)]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        numbers = range(1, CONVERSATIONS + 1)
        replies = dict(zip(numbers, pool.map(conversation, numbers)))
    return {"replies": replies, "seconds": time.monotonic() - started, "log": new_log(log, log_start)}


@pytest.fixture(scope="module")
def parallel_load(stores):
    """The load on every pair at the same time (one Rasa server uses about one core)."""
    prefix = f"parallel-{uuid.uuid4().hex[:8]}"
    with ThreadPoolExecutor(max_workers=len(stores.servers)) as pool:
        runs = {store: pool.submit(run_conversations, servers, f"{prefix}-{store}-")
                for store, servers in stores.servers.items()}
        return {store: {"prefix": f"{prefix}-{store}-", **run.result()} for store, run in runs.items()}


@pytest.mark.parametrize("store", STORES)
def test_50_parallel_conversations_each_keep_exactly_their_own_events(stores, parallel_load, store):
    servers = stores.get(store)
    run = parallel_load[store]
    prefix, replies = run["prefix"], run["replies"]
    print(f"\n{store}: {CONVERSATIONS} x 10 messages in {run['seconds']:.1f} s")

    silent = [(n, turns(n)[t]) for n, got in replies.items() for t, texts in enumerate(got)
              if not "".join(texts).strip()]
    assert not silent, f"{len(silent)} requests got no reply, e.g. {silent[:3]}"

    stored = stored_events(servers.env["TRACKER_STORE_URL"], prefix)
    assert sorted(stored) == [f"{prefix}{n:02d}" for n in range(1, CONVERSATIONS + 1)]
    for n in range(1, CONVERSATIONS + 1):
        sender = f"{prefix}{n:02d}"
        cut = turns_in_store(stored[sender])
        assert [turn["text"] for turn in cut] == turns(n), f"{sender}: stored user messages differ"
        for t, (turn, got) in enumerate(zip(cut, replies[n])):
            assert paragraphs(turn["bot"]) == paragraphs(got), (
                f"{sender} turn {t + 1}: the stored bot messages are not the reply it got")
        stamps = [timestamp for _, timestamp, _ in stored[sender]]
        assert stamps == sorted(stamps), f"{sender}: events stored out of order"
    assert "Traceback" not in run["log"]

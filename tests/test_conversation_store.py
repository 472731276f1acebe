"""The project's tracker store (bot.stores.tracker_store.ConversationStore) on SQLite and PostgreSQL:
conversations are kept, and forget-me erases one — events and slots — in the save of that turn."""
from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, AllSlotsReset, BotUttered, Restarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stores.tracker_store import ConversationStore, asked_to_forget


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load("bot/domain")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path, domain) -> ConversationStore:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    conversation_store = ConversationStore(domain=domain, host=url)
    yield conversation_store
    conversation_store.engine.dispose()


def turn(text: str, *events) -> list:
    return [UserUttered(text, {"name": "inform", "confidence": 1.0}), *events, ActionExecuted("action_listen")]


async def say(store: ConversationStore, domain: Domain, sender: str, *turns: list) -> DialogueStateTracker:
    """Play ``turns`` into the sender's stored conversation the way Rasa does: load, update, save."""
    for events in turns:
        tracker = await store.get_or_create_tracker(sender)
        for event in events:
            tracker.update(event, domain)
        await store.save(tracker)
    return await store.retrieve(sender)


async def test_conversation_and_slots_come_back_from_the_store(store, domain):
    tracker = await say(store, domain, "kept", turn("I live in Ohio", SlotSet("us_state", "OH")),
                        turn("it's worth 250k", SlotSet("home_value", 250000.0)))
    assert tracker.get_slot("us_state") == "OH" and tracker.get_slot("home_value") == 250000.0
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["I live in Ohio", "it's worth 250k"]


async def test_forget_me_erases_the_conversation_and_the_next_message_starts_clean(store, domain):
    await say(store, domain, "other", turn("I'm in Texas", SlotSet("us_state", "TX")))
    await say(store, domain, "me", turn("I live in Ohio", SlotSet("us_state", "OH")),
              turn("we owe 300k", SlotSet("loan_balance", 300000.0)))
    forget = turn("delete everything I told you", ActionExecuted("action_forget_me"),
                  BotUttered("Done: I've deleted everything."), AllSlotsReset(), Restarted())
    assert await say(store, domain, "me", forget) is None  # nothing of "me" is left
    assert "me" not in await store.keys()

    again = await say(store, domain, "me", turn("hello"))
    assert again.get_slot("us_state") is None and again.get_slot("loan_balance") is None
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["hello"]
    assert not any(isinstance(e, BotUttered) and "deleted" in (e.text or "") for e in again.events)

    kept = await store.retrieve("other")  # other conversations are untouched
    assert kept.get_slot("us_state") == "TX"


async def test_only_a_forget_me_in_the_current_turn_erases(domain):
    tracker = DialogueStateTracker.from_events(
        "x", turn("forget me", ActionExecuted("action_forget_me")) + turn("hi again"), slots=domain.slots)
    assert not asked_to_forget(tracker)  # that was an earlier turn, already erased when it was saved
    tracker.update(ActionExecuted("action_forget_me"))
    assert asked_to_forget(tracker)


def test_an_empty_url_means_the_repository_sqlite_file(monkeypatch, tmp_path, domain):
    import knowledge.settings as settings

    monkeypatch.setattr(settings, "REPO_ROOT", tmp_path)
    (tmp_path / "build").mkdir()
    store = ConversationStore(domain=domain, host="")
    try:
        assert store.engine.url.database == str(tmp_path / "build" / "tracker.sqlite3")
    finally:
        store.engine.dispose()


def test_a_sqlite_file_is_pooled_in_write_ahead_mode(tmp_path, domain):
    from sqlalchemy import text

    store = ConversationStore(domain=domain, host=f"sqlite:///{tmp_path / 'tracker.sqlite3'}")
    try:
        with store.session_scope() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert type(store.engine.pool).__name__ == "QueuePool"
    finally:
        store.engine.dispose()


async def test_a_long_conversation_is_served_as_a_window_with_the_same_state(store, domain):
    from rasa.shared.core.events import ActiveLoop

    from bot.stores import window

    turns = [turn(f"message {i}", *([SlotSet("home_value", 1000.0 * i)] if i % 7 == 0 else [])) for i in range(40)]
    turns[3] = turn("I live in Ohio", SlotSet("us_state", "OH"))
    turns[33] = turn("assess me", ActionExecuted("scenario_form"), ActiveLoop("scenario_form"),
                     SlotSet("requested_slot", "loan_balance"))
    for i in range(34, 40):  # the form runs on every turn after it started
        turns[i] = turn(f"message {i}", ActionExecuted("scenario_form"), SlotSet("requested_slot", "loan_balance"),
                        *([SlotSet("home_value", 1000.0 * i)] if i % 7 == 0 else []))
    tracker = await say(store, domain, "long", *turns)

    full = await store.retrieve_full_tracker("long")
    users = [e.text for e in tracker.events if isinstance(e, UserUttered)]
    assert window.MIN_TURNS <= len(users) <= window.MAX_TURNS  # only the latest turns are loaded ...
    assert users == [e.text for e in full.events if isinstance(e, UserUttered)][-len(users):]
    assert tracker.current_slot_values() == full.current_slot_values()  # ... with the same state
    assert tracker.get_slot("us_state") == "OH" and tracker.get_slot("home_value") == 35000.0
    assert tracker.active_loop_name == full.active_loop_name == "scenario_form"
    # the window starts the way a Rasa session does, so the policies can featurize it
    # (tests/e2e/test_long_conversation.py drives the real policies through a window cut mid-form)
    from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer

    states = MaxHistoryTrackerFeaturizer(max_history=5).prediction_states([tracker], domain)
    assert states[0] and states[0][-1].get("active_loop") == {"name": "scenario_form"}
    # every event is stored once, in order: the window is only what is loaded
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == [
        "I live in Ohio" if i == 3 else "assess me" if i == 33 else f"message {i}" for i in range(40)]

    forget = turn("forget me", ActionExecuted("action_forget_me"), Restarted())
    assert await say(store, domain, "long", forget) is None
    assert await say(store, domain, "long", turn("hi")) is not None
    assert (await store.retrieve("long")).get_slot("us_state") is None

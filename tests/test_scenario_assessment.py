"""action_assess_situation, action_compare_options, action_forget_me with real Trackers, a real
CollectingDispatcher and the real knowledge base (in-memory SQLite built by the real loader)."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.scenario_assessment import ActionAssessSituation, ActionCompareOptions, ActionForgetMe
from knowledge.loader import build, make_engine
from knowledge.repository import KnowledgeRepository

OREGON = {"us_state": "OR", "home_value": 420_000.0, "loan_balance": 510_000.0, "payment_status": "current",
          "months_behind": 0.0, "loan_purpose": "purchase", "occupancy": "primary", "hardship": False,
          "goal": "leave_home"}


@pytest.fixture(scope="module")
def repo():
    engine = make_engine("sqlite://")
    build(engine)
    yield KnowledgeRepository(engine)
    engine.dispose()


def make_tracker(slots: Dict[str, Any], text: str = "", intent: str = "inform", channel: str = "socketio",
                 entities: Optional[List[Dict[str, Any]]] = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent}, "entities": entities or []}
    events = [{"event": "slot", "name": k, "value": v} for k, v in slots.items()]
    events.append({"event": "user", "text": text, "parse_data": message, "input_channel": channel})
    return Tracker("u1", dict(slots), message, events, False, None, {}, "action_listen")


async def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return events, dispatcher.messages


async def test_assessment_for_oregon(repo):
    events, messages = await run(ActionAssessSituation(repo), make_tracker(OREGON))
    responses = [m["response"] for m in messages if m.get("response")]
    # first what we understood (with a button to fix it), then the assessment
    assert responses[:2] == ["utter_scenario_understood", "utter_assessment_intro"]
    assert messages[0]["facts"].startswith("state: Oregon")
    assert messages[1]["state_name"] == "Oregon"
    assert responses[-1] == "utter_assessment_follow_up"
    text = "\n".join(m["text"] for m in messages if m.get("text"))
    assert "$90,000 underwater" in text and "121%" in text
    assert "Short sale" in text and "800-569-4287" in text and "ORS 86.797" in text
    assert text.index("Short sale") < text.index("Foreclosure (walking away)")
    assert "An Oregon real-estate attorney" in text
    assert "redemption" not in text  # only deficiency-related open questions are mentioned
    assert 4 <= len(messages) <= 8  # a few short messages
    assert events == [{"event": "slot", "timestamp": None, "name": "scenario_assessed",
                       "value": dict(OREGON, second_lien_balance=None)}]


async def test_what_if_says_what_changed_and_reruns(repo):
    slots = dict(OREGON, us_state="AZ", scenario_assessed=OREGON)
    _, messages = await run(ActionAssessSituation(repo), make_tracker(slots, "what if I lived in Arizona"))
    assert messages[0]["response"] == "utter_assessment_what_if"
    assert messages[0]["changes"] == "state Arizona instead of Oregon"
    assert messages[1]["state_name"] == "Arizona"


async def test_the_same_facts_again_say_so_and_new_ones_are_not_called_the_same(repo):
    assessed = dict(OREGON, second_lien_balance=None)
    _, messages = await run(ActionAssessSituation(repo), make_tracker(dict(OREGON, scenario_assessed=assessed),
                                                                      "we're in oregon", "inform"))
    assert messages[0]["response"] == "utter_assessment_unchanged"
    # a second lien given after the assessment, or a number given after it was skipped, is news
    for slots in (dict(OREGON, second_lien_balance=60_000.0), dict(OREGON)):
        before = dict(assessed, home_value=None) if "second_lien_balance" not in slots else assessed
        _, messages = await run(ActionAssessSituation(repo), make_tracker(dict(slots, scenario_assessed=before),
                                                                          "ok found it", "inform"))
        assert "utter_assessment_unchanged" not in [m.get("response") for m in messages]


async def test_assessment_with_skipped_numbers_says_what_is_missing(repo):
    slots = {"us_state": "TX", "goal": "undecided"}
    _, messages = await run(ActionAssessSituation(repo), make_tracker(slots))
    missing = next(m for m in messages if m.get("response") == "utter_assessment_missing")
    assert missing["missing"] == "home value, amount owed"


async def test_stopped_form_does_not_assess(repo):
    events, messages = await run(ActionAssessSituation(repo), make_tracker({"us_state": "TX", "scenario_stopped": True}))
    assert [m["response"] for m in messages] == ["utter_scenario_stopped"]
    assert events[0]["name"] == "scenario_stopped" and events[0]["value"] is False


async def test_knowledge_base_down_is_said_not_raised(tmp_path):
    missing = KnowledgeRepository(url=f"sqlite:///{tmp_path}/nope.sqlite3")
    events, messages = await run(ActionAssessSituation(missing), make_tracker(OREGON))
    assert events == [] and [m["response"] for m in messages] == ["utter_scenario_kb_unavailable"]
    events, messages = await run(ActionCompareOptions(missing), make_tracker(OREGON))
    assert [m["response"] for m in messages] == ["utter_scenario_kb_unavailable"]


@pytest.mark.parametrize("channel", ["socketio", "rest"])
async def test_compare_renders_a_table_on_the_web(repo, channel):
    _, messages = await run(ActionCompareOptions(repo), make_tracker(OREGON, "compare my options", "compare_options", channel))
    assert messages[0]["response"] == "utter_compare_intro" and messages[0]["state_name"] == "Oregon"
    table = messages[1]["text"]
    assert table.startswith("| ") and "|---|" in table
    assert "barred in OR" in table
    assert messages[-1]["response"] == "utter_compare_footer"


@pytest.mark.parametrize("channel", ["slack", "telegram"])
async def test_compare_renders_a_list_on_slack_and_telegram(repo, channel):
    _, messages = await run(ActionCompareOptions(repo), make_tracker(OREGON, "compare", "compare_options", channel))
    listing = messages[1]["text"]
    assert "|" not in listing and "• deficiency risk" in listing


async def test_compare_the_two_options_named(repo):
    entities = [{"entity": "alternative", "value": "short_sale"}, {"entity": "alternative", "value": "deed_in_lieu"}]
    tracker = make_tracker({}, "short sale vs deed in lieu?", "compare_options", entities=entities)
    _, messages = await run(ActionCompareOptions(repo), tracker)
    assert messages[0]["response"] == "utter_compare_intro_no_state"
    rows = [line for line in messages[1]["text"].splitlines()[2:]]
    assert len(rows) == 2 and rows[0].startswith("| Short sale") and "Deed in lieu" in rows[1]


async def test_forget_me_resets_everything_and_restarts(monkeypatch):
    monkeypatch.setenv("TRACKER_DB_DIALECT", "postgresql")  # no SQLite store: nothing to erase here
    events, messages = await run(ActionForgetMe(), make_tracker(OREGON, "delete everything", "forget_me"))
    assert [m["response"] for m in messages] == ["utter_forget_me_done"]
    assert [e["event"] for e in events] == ["reset_slots", "restart"]


async def test_forget_me_deletes_the_stored_conversation(tmp_path, monkeypatch):
    from sqlalchemy import create_engine, text

    from actions.scenario_assessment import ConversationEraser

    db = tmp_path / "tracker.sqlite3"
    engine = create_engine(f"sqlite:///{db}", future=True)
    with engine.begin() as c:
        c.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), type_name VARCHAR(255), data TEXT)"))
        for sender in ("u1", "u1", "other"):
            c.execute(text("INSERT INTO events (sender_id, type_name, data) VALUES (:s, 'user', '{}')"), {"s": sender})
    monkeypatch.setenv("TRACKER_DB_DIALECT", "sqlite")
    monkeypatch.setenv("TRACKER_DB", str(db))
    monkeypatch.setattr(ConversationEraser, "delays_seconds", (0.0,))
    await run(ActionForgetMe(), make_tracker(OREGON, "forget me", "forget_me"))
    await asyncio.gather(*list(ConversationEraser._tasks))
    with engine.connect() as c:
        left = [r[0] for r in c.execute(text("SELECT sender_id FROM events"))]
    engine.dispose()
    assert left == ["other"]

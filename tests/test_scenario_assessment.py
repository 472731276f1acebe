"""action_assess_situation, action_compare_options, action_forget_me with real Trackers, a real
CollectingDispatcher, the real knowledge base (in-memory SQLite built by the real loader) and the real
domain (the merged responses of bot/domain/*.yml), which the actions read their words from."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.response_text import render
from actions.scenario_assessment import ActionAssessSituation, ActionCompareOptions, ActionForgetMe
from knowledge.loader import build, make_engine
from knowledge.repository import KnowledgeRepository

ROOT = Path(__file__).resolve().parents[1]
OREGON = {"us_state": "OR", "home_value": 420_000.0, "loan_balance": 510_000.0, "payment_status": "current",
          "months_behind": 0.0, "loan_purpose": "purchase", "occupancy": "primary", "hardship": False,
          "goal": "leave_home"}
HOME = {"occupancy": "primary", "payment_status": "current", "months_behind": 0.0, "hardship": False,
        "goal": "leave_home"}
CA_HELOC = dict(HOME, us_state="CA", home_value=600_000.0, loan_balance=700_000.0, second_lien_balance=150_000.0,
                loan_purpose="purchase", second_lien_purpose="other")
AZ_5_ACRES = dict(HOME, us_state="AZ", home_value=300_000.0, loan_balance=400_000.0, loan_purpose="purchase",
                  lot_acres=5.0)
HI_RENTAL = dict(HOME, us_state="HI", home_value=500_000.0, loan_balance=600_000.0, loan_purpose="purchase",
                 occupancy="investment", payment_status="behind", months_behind=2.0)
TX_CASH_OUT = dict(HOME, us_state="TX", home_value=300_000.0, loan_balance=360_000.0, loan_purpose="cash_out")


@pytest.fixture(scope="module")
def repo():
    engine = make_engine("sqlite://")
    build(engine)
    yield KnowledgeRepository(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def domain() -> Dict[str, Any]:
    """The domain the action server receives: every response of bot/domain/*.yml."""
    responses: Dict[str, Any] = {}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        responses.update((yaml.safe_load(path.read_text()) or {}).get("responses") or {})
    return {"responses": responses}


def make_tracker(slots: Dict[str, Any], text: str = "", intent: str = "inform", channel: str = "socketio",
                 entities: Optional[List[Dict[str, Any]]] = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent}, "entities": entities or []}
    events = [{"event": "slot", "name": k, "value": v} for k, v in slots.items()]
    events.append({"event": "user", "text": text, "parse_data": message, "input_channel": channel})
    return Tracker("u1", dict(slots), message, events, False, None, {}, "action_listen")


async def run(action, tracker, domain):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    return events, dispatcher.messages


def said(messages, domain, channel: str = "socketio") -> List[str]:
    """Every message as the user sees it: texts as sent, responses filled the way Rasa fills them."""
    out = []
    for m in messages:
        if m.get("response"):
            variables = {k: v for k, v in m.items() if k not in ("text", "response", "template")}
            out.append(render(domain, m["response"], channel, **variables))
        else:
            out.append(m["text"])
    return out


def assert_all_filled(messages, domain, channel: str = "socketio") -> str:
    for m in messages:  # every sentence comes from a response: sent texts carry no unfilled variable
        if m.get("text"):
            assert "{" not in m["text"] and "}" not in m["text"], m["text"]
    texts = said(messages, domain, channel)
    for text in texts:
        assert text and not re.search(r"\{\w+\}", text), text
    return "\n".join(texts)


async def assessment_text(repo, domain, slots, channel: str = "socketio") -> str:
    _, messages = await run(ActionAssessSituation(repo), make_tracker(slots, channel=channel), domain)
    return assert_all_filled(messages, domain, channel)


async def test_assessment_for_oregon(repo, domain):
    events, messages = await run(ActionAssessSituation(repo), make_tracker(OREGON), domain)
    responses = [m["response"] for m in messages if m.get("response")]
    # first what we understood (with a button to fix it), then the assessment
    assert responses[:2] == ["utter_scenario_understood", "utter_assessment_intro"]
    assert messages[0]["facts"].startswith("state: Oregon")
    assert messages[1]["state_name"] == "Oregon"
    assert responses[-1] == "utter_assessment_follow_up"
    text = assert_all_filled(messages, domain)
    assert "$90,000 underwater" in text and "121%" in text
    assert "Short sale" in text and "800-569-4287" in text and "ORS 86.797" in text
    assert text.index("Short sale") < text.index("Foreclosure (walking away)")
    assert "An Oregon real-estate attorney" in text
    assert "redemption" not in text.split("_Sources:")[0]  # only deficiency-related open questions
    assert 4 <= len(messages) <= 8  # a few short messages
    assert events == [{"event": "slot", "timestamp": None, "name": "scenario_assessed",
                       "value": dict(OREGON, second_lien_balance=None, second_lien_purpose=None, lot_acres=None,
                                     loan_year=None, lender_type=None, dwelling_units=None)}]


async def test_california_first_and_heloc_the_heloc_lender_can_sue(repo, domain):
    text = await assessment_text(repo, domain, CA_HELOC)
    assert "$100,000 underwater" in text and "loan-to-value 117%" in text
    assert "$550,000 on the first mortgage and $150,000 on the second" in text
    assert "**First mortgage:** a sale at about $600,000 would pay it in full" in text
    heloc = next(line for line in text.splitlines() if line.startswith("• **Second mortgage / HELOC:**"))
    assert "can sue you for up to $100,000" in heloc
    assert "only if it is a loan used to buy the home" in text  # why §580b doesn't cover it
    assert "§580b(a)(3)" in text and "§580d" in text and "Roseleaf" in text
    assert "Second mortgage / HELOC: protected (Cal. Civ. Proc. Code §580e)" in text  # a short sale
    assert "Taxes (second mortgage / HELOC)" in text


async def test_arizona_on_five_acres_is_not_covered(repo, domain):
    text = await assessment_text(repo, domain, AZ_5_ACRES)
    assert "could seek up to about $100,000, limited to the debt minus the home's fair value (A.R.S. §33-814(A))" in text
    assert "must act within 3 months of the sale" in text
    assert "Not covered here: the bar after a trustee's sale (A.R.S. §33-814(G))" in text
    assert "only if the lot is 2.5 acres or less, and from what you told me that's not the case" in text


async def test_arizona_lot_size_unknown_says_what_it_depends_on(repo, domain):
    text = await assessment_text(repo, domain, dict(AZ_5_ACRES, lot_acres=None))
    assert "**only if the lot is 2.5 acres or less**" in text
    assert "(this assumes a home of no more than" not in text  # a depends line states its own conditions


async def test_hawaii_rental_is_protected_only_if_you_live_there(repo, domain):
    text = await assessment_text(repo, domain, HI_RENTAL)
    assert "the lender could seek up to about $100,000" in text
    assert "Haw. Rev. Stat. §667-38" in text and "only if you live in the home" in text
    assert "protects only a principal residence" in text  # the 120-day rule
    assert "the main-home exclusion doesn't cover a second home or rental" in text


async def test_texas_cash_out_is_protected_by_the_constitution(repo, domain):
    text = await assessment_text(repo, domain, TX_CASH_OUT)
    assert "**Your mortgage:** protected — " in text and "§50(a)(6)" in text
    assert "In a short sale the lenders approve:** Your mortgage: protected (Tex. Const. art. XVI, §50(a)(6)(C))" in text
    assert "can confirm your loans meet the conditions above" in text
    assert "no cancelled-debt income" in text


@pytest.mark.parametrize("lender", [None, "institution"])
async def test_conditions_we_do_not_ask_are_said_once_per_line_and_never_dropped(repo, domain, lender):
    # North Carolina's §45-21.38A bar depends on loan features the bot states but doesn't ask
    text = await assessment_text(repo, domain, dict(HOME, us_state="NC", home_value=300_000.0, loan_balance=400_000.0,
                                                    loan_purpose="refinance", lender_type=lender, loan_year=2010.0))
    lines = [line for line in text.splitlines() if line.startswith(("• **Your mortgage:**", "**If the lender went"))]
    assert len(lines) == 2
    for line in lines:
        assert line.count('"rate spread" home loan') == 1 and "§45-21.38A" in line


@pytest.mark.parametrize("slots", [OREGON, CA_HELOC, AZ_5_ACRES, HI_RENTAL, TX_CASH_OUT,
                                   dict(HOME, us_state="NV", home_value=300_000.0, loan_balance=400_000.0,
                                        loan_purpose="purchase", payment_status="behind", months_behind=5.0,
                                        hardship=True),
                                   dict(HOME, us_state="NY", home_value=500_000.0, loan_balance=300_000.0),
                                   dict(HOME, us_state="CA", loan_balance=300_000.0), {"goal": "undecided"}])
@pytest.mark.parametrize("channel", ["socketio", "slack"])
async def test_every_message_is_a_filled_response(repo, domain, slots, channel):
    text = await assessment_text(repo, domain, slots, channel)
    assert "**Every option, best first for you:**" in text and "800-569-4287" in text


async def test_what_if_says_what_changed_and_reruns(repo, domain):
    slots = dict(OREGON, us_state="AZ", scenario_assessed=OREGON)
    _, messages = await run(ActionAssessSituation(repo), make_tracker(slots, "what if I lived in Arizona"), domain)
    assert messages[0]["response"] == "utter_assessment_what_if"
    assert messages[0]["changes"] == "state Arizona instead of Oregon"
    assert messages[1]["state_name"] == "Arizona"
    assert "Here's how it looks with state Arizona instead of Oregon:" in assert_all_filled(messages, domain)


async def test_the_same_facts_again_say_so_and_new_ones_are_not_called_the_same(repo, domain):
    events, _ = await run(ActionAssessSituation(repo), make_tracker(OREGON), domain)
    assessed = events[0]["value"]
    _, messages = await run(ActionAssessSituation(repo), make_tracker(dict(OREGON, scenario_assessed=assessed),
                                                                      "we're in oregon", "inform"), domain)
    assert messages[0]["response"] == "utter_assessment_unchanged"
    # a second lien given after the assessment, or a number given after it was skipped, is news
    for slots in (dict(OREGON, second_lien_balance=60_000.0), dict(OREGON)):
        before = dict(assessed, home_value=None) if "second_lien_balance" not in slots else assessed
        _, messages = await run(ActionAssessSituation(repo), make_tracker(dict(slots, scenario_assessed=before),
                                                                          "ok found it", "inform"), domain)
        assert "utter_assessment_unchanged" not in [m.get("response") for m in messages]


async def test_assessment_with_skipped_numbers_says_what_is_missing(repo, domain):
    slots = {"us_state": "TX", "goal": "undecided"}
    _, messages = await run(ActionAssessSituation(repo), make_tracker(slots), domain)
    missing = next(m for m in messages if m.get("response") == "utter_assessment_missing")
    assert missing["missing"] == "home value, amount owed"
    text = assert_all_filled(messages, domain)
    assert "Where you stand" not in text and "Could the lender come after you" not in text


async def test_stopped_form_does_not_assess(repo, domain):
    events, messages = await run(ActionAssessSituation(repo), make_tracker({"us_state": "TX", "scenario_stopped": True}),
                                 domain)
    assert [m["response"] for m in messages] == ["utter_scenario_stopped"]
    assert events[0]["name"] == "scenario_stopped" and events[0]["value"] is False


async def test_knowledge_base_down_is_said_not_raised(tmp_path, domain):
    missing = KnowledgeRepository(url=f"sqlite:///{tmp_path}/nope.sqlite3")
    events, messages = await run(ActionAssessSituation(missing), make_tracker(OREGON), domain)
    assert events == [] and [m["response"] for m in messages] == ["utter_scenario_kb_unavailable"]
    events, messages = await run(ActionCompareOptions(missing), make_tracker(OREGON), domain)
    assert [m["response"] for m in messages] == ["utter_scenario_kb_unavailable"]


@pytest.mark.parametrize("channel", ["socketio", "rest"])
async def test_compare_renders_a_table_on_the_web(repo, domain, channel):
    tracker = make_tracker(OREGON, "compare my options", "compare_options", channel)
    _, messages = await run(ActionCompareOptions(repo), tracker, domain)
    assert messages[0]["response"] == "utter_compare_intro" and messages[0]["state_name"] == "Oregon"
    table = messages[1]["text"]
    lines = table.splitlines()
    assert lines[0] == domain["responses"]["utter_compare_headers"][0]["text"] and lines[1] == "|" + "---|" * 7
    assert all(line.startswith("| ") and line.count("|") == 8 for line in lines[2:])
    foreclosure = next(line for line in lines if line.startswith("| Foreclosure"))
    assert "barred in OR" in foreclosure and "720 → 570–590" in foreclosure
    assert messages[-1]["response"] == "utter_compare_footer"
    assert_all_filled(messages, domain, channel)


@pytest.mark.parametrize("channel", ["slack", "telegram"])
async def test_compare_renders_a_list_on_slack_and_telegram(repo, domain, channel):
    tracker = make_tracker(CA_HELOC, "compare", "compare_options", channel)
    _, messages = await run(ActionCompareOptions(repo), tracker, domain)
    listing = messages[1]["text"]
    assert "|" not in listing and "• deficiency risk" in listing
    items = {item.splitlines()[0]: item for item in listing.split("\n\n")}
    assert "barred in CA" in items["*Short sale*"]  # §580e covers both lenders
    assert "get a written waiver" in items["*Deed in lieu of foreclosure*"]  # the HELOC isn't covered
    assert_all_filled(messages, domain, channel)


async def test_compare_the_two_options_named(repo, domain):
    entities = [{"entity": "alternative", "value": "short_sale"}, {"entity": "alternative", "value": "deed_in_lieu"}]
    tracker = make_tracker({}, "short sale vs deed in lieu?", "compare_options", entities=entities)
    _, messages = await run(ActionCompareOptions(repo), tracker, domain)
    assert messages[0]["response"] == "utter_compare_intro_no_state"
    rows = [line for line in messages[1]["text"].splitlines()[2:]]
    assert len(rows) == 2 and rows[0].startswith("| Short sale") and "Deed in lieu" in rows[1]
    assert all("depends on state" in row for row in rows)


async def test_compare_one_option_named_against_the_usual_ones(repo, domain):
    entities = [{"entity": "alternative", "value": "bankruptcy"}]
    tracker = make_tracker(TX_CASH_OUT, "how does bankruptcy compare?", "compare_options", entities=entities)
    _, messages = await run(ActionCompareOptions(repo), tracker, domain)
    names = [line.split("|")[1].strip() for line in messages[1]["text"].splitlines()[2:]]
    assert names == ["Chapter 7 bankruptcy", "Loan modification", "Short sale", "Deed in lieu of foreclosure",
                     "Foreclosure (walking away)"]


async def test_forget_me_resets_everything_and_restarts(domain):
    """The action resets and restarts; erasing the stored events is the tracker store's job
    (tests/test_conversation_store.py)."""
    events, messages = await run(ActionForgetMe(), make_tracker(OREGON, "delete everything", "forget_me"), domain)
    assert [m["response"] for m in messages] == ["utter_forget_me_done"]
    assert [e["event"] for e in events] == ["reset_slots", "restart"]

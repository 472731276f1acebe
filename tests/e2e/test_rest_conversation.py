"""End to end: the real action server and Rasa server, spoken to over the REST channel."""
import sqlite3
import uuid

from tests.e2e.conftest import TOKEN


def say(rest_servers, sender: str, text: str) -> str:
    return "\n".join(reply.get("text", "") for reply in rest_servers.say(sender, text))


def test_first_reply_greets_and_says_it_is_not_legal_advice(rest_servers):
    reply = say(rest_servers, f"e2e-{uuid.uuid4()}", "hi")
    assert "not legal" in reply
    assert "walking away" in reply.lower()


def test_faq_answer_over_rest(rest_servers):
    reply = say(rest_servers, f"e2e-{uuid.uuid4()}", "can the bank sue me for what's left after foreclosure?")
    assert "shortfall" in reply.lower() or "difference" in reply.lower()


def test_state_question_answered_from_the_knowledge_base(rest_servers):
    sender = f"e2e-{uuid.uuid4()}"
    reply = say(rest_servers, sender, "is arizona a non recourse state?")
    assert "Arizona" in reply
    assert "33-814" in reply  # the statute comes from the knowledge base
    follow_up = say(rest_servers, sender, "what about texas?")
    assert "Texas" in follow_up


def test_restart_clears_what_the_user_said(rest_servers):
    sender = f"e2e-{uuid.uuid4()}"
    say(rest_servers, sender, "I live in Ohio")
    assert rest_servers.slots(sender, TOKEN)["us_state"] == "OH"
    reply = say(rest_servers, sender, "start over")
    assert "start fresh" in reply
    assert rest_servers.slots(sender, TOKEN)["us_state"] is None


def test_nonsense_gets_a_friendly_reply_not_silence(rest_servers):
    reply = say(rest_servers, f"e2e-{uuid.uuid4()}", "qwpoeiru zxmcnv ,,,, ??")
    assert reply.strip()


def test_conversation_is_stored_in_the_sql_tracker_store(rest_servers):
    sender = f"e2e-{uuid.uuid4()}"
    say(rest_servers, sender, "hello")
    with sqlite3.connect(rest_servers.log_dir / "tracker.sqlite3") as db:
        (count,) = db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()
    assert count > 0


def stored_events(rest_servers, sender: str) -> int:
    with sqlite3.connect(rest_servers.log_dir / "tracker.sqlite3") as db:
        (count,) = db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()
    return count


def test_full_scenario_assessment_what_if_compare_and_forget_me(rest_servers):
    sender = f"e2e-{uuid.uuid4()}"
    reply = say(rest_servers, sender, "I'm in Texas, it's worth 200k, I owe 260k and I'm 2 months behind")
    for question in ("Which state", "sell for today", "how much do you owe"):
        assert question not in reply  # facts given at once are not asked again
    known = rest_servers.slots(sender, TOKEN)
    assert (known["us_state"], known["home_value"], known["loan_balance"], known["months_behind"]) == (
        "TX", 200000.0, 260000.0, 2.0)
    answers = iter(["no second mortgage, just the one loan", "it's my home, I live there",
                    "we bought it with a regular mortgage",
                    "yes, I lost my job", "I'd like to keep it if I can"])
    for _ in range(7):  # answer whatever is still asked, until the assessment arrives
        if "underwater" in reply:
            break
        reply = say(rest_servers, sender, next(answers))
    assert "$60,000 underwater" in reply
    assert "130%" in reply  # loan-to-value
    assert "Tex. Prop. Code" in reply  # the statute, from the knowledge base
    assert "800-569-4287" in reply and "not legal advice" in reply
    assert reply.index("Loan modification") < reply.index("Foreclosure (walking away)")

    what_if = say(rest_servers, sender, "what if it's worth 300k")
    assert "$300,000" in what_if and "underwater" not in what_if.split("\n")[1]
    table = say(rest_servers, sender, "compare short sale vs deed in lieu")
    assert "| Short sale |" in table and "| Deed in lieu" in table

    assert stored_events(rest_servers, sender) > 0
    gone = say(rest_servers, sender, "delete everything I told you")
    assert "deleted" in gone
    assert stored_events(rest_servers, sender) == 0  # erased by the tracker store as the turn was saved
    assert rest_servers.slots(sender, TOKEN)["home_value"] is None
    again = say(rest_servers, sender, "what about my situation?")
    assert "$60,000" not in again
    slots = rest_servers.slots(sender, TOKEN)
    assert (slots["us_state"], slots["home_value"], slots["loan_balance"]) == (None, None, None)

"""How the Rasa server calls the action server, with the project's changes installed
(bot.action_failure, bot.skip_empty_validation): against a real HTTP server that counts the calls."""
from __future__ import annotations

import pytest
from aiohttp import web
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, FollowupAction, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot.nlu import action_response_check
from tests.support.servers import free_port


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load("bot/domain")


@pytest.fixture(autouse=True)
def installed():
    action_response_check.install()


@pytest.fixture
async def action_server():
    """A stand-in action server that records which actions were called and answers with no events."""
    calls = []

    async def webhook(request: web.Request) -> web.Response:
        calls.append((await request.json())["next_action"])
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield EndpointConfig(f"http://127.0.0.1:{port}/webhook"), calls
    await runner.cleanup()


def tracker_after(domain: Domain, text: str, entities: list) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen"),
              UserUttered(text, {"name": "inform", "confidence": 1.0}, entities)]
    return DialogueStateTracker.from_events("u", events, slots=domain.slots)


async def extract(domain, endpoint, tracker):
    action = ActionExtractSlots(endpoint)
    return await action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses),
                            tracker, domain)


async def test_a_message_that_fills_no_slot_costs_no_validation_call(domain, action_server):
    endpoint, calls = action_server
    assert await extract(domain, endpoint, tracker_after(domain, "thanks!", [])) == []
    assert calls == []


async def test_a_message_that_fills_a_slot_is_validated_on_the_action_server(domain, action_server):
    endpoint, calls = action_server
    entity = {"entity": "us_state", "value": "TX", "start": 10, "end": 15}
    events = await extract(domain, endpoint, tracker_after(domain, "I live in Texas", [entity]))
    assert calls == ["action_validate_slot_mappings"]
    assert [(e.key, e.value) for e in events] == [("us_state", "TX")]


async def test_an_unreachable_action_server_gives_the_unavailable_reply(domain):
    endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")  # nothing listens there
    tracker = tracker_after(domain, "what about texas?", [])
    events = await RemoteAction("action_state_rules", endpoint).run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker, domain)
    expected = domain.responses["utter_action_unavailable"][0]["text"]
    assert [type(e) for e in events] == [BotUttered, FollowupAction]
    assert events[0].text == expected
    assert events[1].action_name == "action_listen"  # the turn ends: no retry loop up to the circuit breaker


async def test_forget_me_is_confirmed_even_without_the_action_server(domain):
    """The tracker store erases the conversation once action_forget_me has run, failed or not."""
    endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")
    events = await RemoteAction("action_forget_me", endpoint).run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses),
        tracker_after(domain, "delete everything", []), domain)
    assert events[0].text == domain.responses["utter_forget_me_done"][0]["text"]


async def test_slot_validation_failures_are_left_to_rasa(domain):
    """Rasa itself keeps the extracted slots when action_validate_slot_mappings can't run; no apology."""
    endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")
    with pytest.raises(RasaException):
        await RemoteAction("action_validate_slot_mappings", endpoint).run(
            CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses),
            tracker_after(domain, "hi", []), domain)
    entity = {"entity": "us_state", "value": "TX", "start": 10, "end": 15}
    events = await extract(domain, endpoint, tracker_after(domain, "I live in Texas", [entity]))
    assert [(e.key, e.value) for e in events] == [("us_state", "TX")]


async def test_one_apology_per_message_however_many_actions_fail(domain):
    endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    tracker = tracker_after(domain, "what about texas?", [])
    said = []
    for name in ("validate_scenario_form", "action_state_rules", "action_ask_second_lien_balance"):
        events = await RemoteAction(name, endpoint).run(CollectingOutputChannel(), nlg, tracker, domain)
        said += [e for e in events if isinstance(e, BotUttered)]
        for event in events:  # what Rasa does with an action's events
            tracker.update(event)
    assert len(said) == 1
    tracker.update(UserUttered("and arizona?", {"name": "inform", "confidence": 1.0}))
    events = await RemoteAction("action_state_rules", endpoint).run(CollectingOutputChannel(), nlg, tracker, domain)
    assert len([e for e in events if isinstance(e, BotUttered)]) == 1

"""The compiled check of action-server responses accepts and rejects exactly what Rasa's own does."""
from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.nlu import action_response_check

GOOD = {"events": [{"event": "slot", "name": "us_state", "value": "TX"}],
        "responses": [{"text": "hi", "buttons": []}]}
BAD = {"events": "not a list", "responses": []}


@pytest.fixture(autouse=True)
def restore():
    original = RemoteAction._validate_action_result
    yield
    RemoteAction._validate_action_result = original


def _rasa_verdict(result) -> bool:
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
        return True
    except jsonschema.ValidationError:
        return False


@pytest.mark.parametrize("result", [GOOD, BAD, {}, {"events": [{"event": 3}]}, {"responses": [{"text": 5}]}])
def test_same_verdict_as_rasas_validation(result):
    action_response_check.install()
    action = RemoteAction("action_test", None)
    if _rasa_verdict(result):
        assert action._validate_action_result(result) is True
    else:
        with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
            action._validate_action_result(result)


def test_the_validator_is_built_once_and_install_is_idempotent():
    action_response_check.install()
    action_response_check.install()
    assert action_response_check.response_validator() is action_response_check.response_validator()
    assert RemoteAction._validate_action_result is action_response_check._validate_action_result

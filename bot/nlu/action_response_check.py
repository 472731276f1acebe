"""Rasa 3.6 component: checks the action server's responses with one compiled JSON-schema validator.

config.yml, after the last featurizer (it passes messages on unchanged)::

    - name: bot.nlu.action_response_check.ActionResponseCheck

Why: ``RemoteAction._validate_action_result`` (rasa/core/actions/action.py) calls
``jsonschema.validate(result, schema)`` on every custom-action response, and ``validate`` first
checks the schema itself against the JSON-schema meta-schema — every time. With jsonschema 4.17
that meta-check was about 44% of a turn's time in ``make bench``'s profile (results/bench.md):
this bot runs two or three custom actions per turn (slot validation, the form, the assessment).
The schema never changes, so the check can be done once: this component, loaded with the model in
the Rasa server, replaces that method with one that validates against a validator built once from
the same schema, raising the same ``ValidationError`` with the same message. It adds nothing to
messages. Rasa has no setting for this; the component's presence in config.yml is the switch.

Being the one component loaded in the Rasa server with the model, it also installs the other two
changes to how Rasa calls the action server: ``bot.action_failure`` (a reply instead of silence when
the action server is down) and ``bot.skip_empty_validation`` (no slot-validation call when a message
fills no slot).
"""
from __future__ import annotations

import functools
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@functools.lru_cache(maxsize=None)
def response_validator() -> Any:
    """The validator of Rasa's action-server response format, built (and its schema checked) once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
    """Rasa's ``RemoteAction._validate_action_result``, with the validator built once."""
    from jsonschema import exceptions
    from rasa.shared.constants import DOCS_BASE_URL

    error = exceptions.best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Replace the method and install the other two changes (all idempotent)."""
    from rasa.core.actions.action import RemoteAction

    from bot import action_failure, skip_empty_validation

    RemoteAction._validate_action_result = _validate_action_result
    action_failure.install()
    skip_empty_validation.install()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class ActionResponseCheck(GraphComponent):
    """Installs the compiled response check when the model is loaded; leaves messages alone."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ActionResponseCheck":
        install()
        return cls()

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "ActionResponseCheck":
        install()
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

"""Rasa 3.6 component: bounds and cleans a message's text before any other NLU component sees it.

config.yml -- the FIRST entry of the pipeline, before SpacyNLP::

    pipeline:
      - name: bot.nlu.text_limit.TextLimiter      # first: cap length, drop control chars
      - name: SpacyNLP
        ...

Why it can run before SpacyNLP: ``DefaultV1Recipe`` chains every MESSAGE_TOKENIZER /
MESSAGE_FEATURIZER component's ``process`` (and ``process_training_data``) node in pipeline order,
starting from ``nlu_message_converter``. SpacyNLP is registered as MODEL_LOADER + MESSAGE_FEATURIZER:
its model is loaded by a separate ``provide_SpacyNLP<i>`` node (no inputs), but its
``run_SpacyNLP<i>`` node takes the messages from the node before it. A non-trainable component
registered as MESSAGE_FEATURIZER placed first therefore gets ``run_TextLimiter0``
(needs: nlu_message_converter) and SpacyNLP's run node needs it. It is not a ``Tokenizer`` nor a
``Featurizer`` subclass, so the recipe validator's one-tokenizer / featurizer-compatibility checks
ignore it, and it adds no features.

What it does to ``message.get("text")`` (the text every later component, the RegexMessageHandler and
the action server's ``tracker.latest_message["text"]`` see; the tracker's ``UserUttered.text`` keeps
the original):

* drops control characters (Unicode Cc other than tab/newline/carriage return, e.g. NUL, ESC, DEL,
  C1) and lone surrogates (Cs: "\\ud800" in JSON decodes to one and can't be encoded to UTF-8);
* splits runs of more than ``max_symbol_run`` punctuation/symbol characters with spaces: spaCy's
  tokenizer peels prefixes/suffixes one at a time, so "$" * 2000 takes seconds (quadratic) while
  the same text in runs of 20 takes milliseconds; emoji runs behave the same. Payloads such as
  ``/inform{"home_value": 5}`` never have such runs, so buttons and typed intents are untouched;
* keeps at most ``max_chars`` characters (cut at a word boundary near the limit when there is one).
  spaCy refuses texts over 1,000,000 characters and the encoder reads 256 tokens anyway;
* disarms typed payloads of the intents in ``blocked_intents`` (default: Rasa's built-in ``back``,
  ``session_start`` and ``nlu_fallback``, and ``faq``): "/back" typed by a user would run
  ``action_back`` through RulePolicy's default rule and silently undo everything said before;
  "/session_start" ends the form silently; "/faq" carries no answer key, so nothing would answer. No button of ours sends them, so the leading "/" is dropped and the words go through
  NLU like any other text (the RegexMessageHandler only unpacks texts starting with "/").
  Other payloads ("/restart", button payloads such as ``/inform{"occupancy": "primary"}``) are
  left to the RegexMessageHandler; typed entities in them are the actions' job to validate.

It never raises on a message and never makes a non-empty text empty unless it held only control
characters. Training examples get the same treatment (``process_training_data``).
"""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

DEFAULT_MAX_CHARS = 2000
DEFAULT_MAX_SYMBOL_RUN = 20
DEFAULT_BLOCKED_INTENTS = ("back", "session_start", "nlu_fallback", "faq")
_KEEP_CONTROLS = {"\t", "\n", "\r"}
_WORD_BOUNDARY_WINDOW = 100  # how far back from max_chars we look for a space to cut at


def _drop_control_characters(text: Text) -> Text:
    if text.isprintable():  # fast path: the usual message
        return text
    return "".join(
        ch
        for ch in text
        if ch in _KEEP_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cs")
    )


def _disarm_payload(text: Text, blocked_intents: Sequence[Text]) -> Text:
    """'/back' -> 'back' for the blocked intents (same intent parsing as Rasa's regex message)."""
    stripped = text.strip()
    if not stripped.startswith("/") or not blocked_intents:
        return text
    intent = re.split(r"[{@]", stripped[1:], maxsplit=1)[0].strip()
    if intent in blocked_intents:
        return stripped.lstrip("/").strip()
    return text


def clean_text(
    text: Text,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_symbol_run: int = DEFAULT_MAX_SYMBOL_RUN,
    blocked_intents: Sequence[Text] = DEFAULT_BLOCKED_INTENTS,
) -> Text:
    """The bounded, cleaned text (pure function; ``TextLimiter`` applies it to messages)."""
    # A first, generous cut so the work below is bounded even for a multi-megabyte message.
    text = text[: max_chars * 4]
    text = _drop_control_characters(text)
    run = re.compile(r"[^\w\s]{%d,}" % (max_symbol_run + 1))
    text = run.sub(
        lambda m: " ".join(m.group(0)[i : i + max_symbol_run] for i in range(0, len(m.group(0)), max_symbol_run)),
        text,
    )
    if len(text) > max_chars:
        cut = text.rfind(" ", max_chars - _WORD_BOUNDARY_WINDOW, max_chars + 1)
        text = text[: cut if cut > 0 else max_chars].rstrip()
    return _disarm_payload(text, blocked_intents)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TextLimiter(GraphComponent):
    """Caps the message length and strips control characters (first in the pipeline)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # characters of a message the NLU reads (a chat message is far shorter)
            "max_chars": DEFAULT_MAX_CHARS,
            # longer runs of punctuation/symbols/emoji are split with spaces (spaCy is quadratic on them)
            "max_symbol_run": DEFAULT_MAX_SYMBOL_RUN,
            # typed "/<intent>" payloads of these intents lose their "/" (read as plain text)
            "blocked_intents": list(DEFAULT_BLOCKED_INTENTS),
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = {**self.get_default_config(), **(config or {})}
        self.validate_config(self._config)
        self._max_chars = int(self._config["max_chars"])
        self._max_symbol_run = int(self._config["max_symbol_run"])
        self._blocked_intents = tuple(self._config["blocked_intents"])

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        for key, minimum in (("max_chars", 100), ("max_symbol_run", 2)):
            value = config.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                raise InvalidConfigException(
                    f"{cls.__name__}: '{key}' must be an integer >= {minimum}, got {value!r}."
                )
        blocked = config.get("blocked_intents")
        if not isinstance(blocked, (list, tuple)) or not all(isinstance(i, str) for i in blocked):
            raise InvalidConfigException(
                f"{cls.__name__}: 'blocked_intents' must be a list of intent names, got {blocked!r}."
            )

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TextLimiter":
        return cls(config)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TextLimiter":
        return cls(config)

    def _clean(self, message: Message) -> None:
        text: Optional[Any] = message.get(TEXT)
        if not isinstance(text, str) or not text:
            return
        cleaned = clean_text(text, self._max_chars, self._max_symbol_run, self._blocked_intents)
        if cleaned != text:
            if len(text) > self._max_chars:
                logger.debug("TextLimiter: message of %d characters cut to %d", len(text), len(cleaned))
            message.set(TEXT, cleaned)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._clean(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._clean(example)
        return training_data

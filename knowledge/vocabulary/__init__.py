"""Pure-Python vocabulary of the walkaway domain: US states and places, dollar amounts, months behind, alternatives.

Importable by both the Rasa side (``bot``) and the action server (``actions``); it imports neither
Rasa nor spaCy.  Every ``find`` returns :class:`Mention` objects with character offsets into the
text it was given; every function accepts any string (and returns ``None`` / ``[]`` for non-strings).
"""

from knowledge.vocabulary.mention import Mention
from knowledge.vocabulary import alternatives, amounts, months, places, states
from knowledge.vocabulary import facts  # phrase data of the scenario facts (built into spaCy)

__all__ = ["Mention", "alternatives", "amounts", "facts", "months", "places", "states"]

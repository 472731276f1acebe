"""U.S. place names in the project's spaCy pipeline: a ``span_ruler`` named ``place_ruler``.

:func:`add_place_ruler` (called by ``bot.nlu.spacy_pipeline.build``) adds one phrase pattern per
spelling of every city, town, county and region of :mod:`knowledge.vocabulary.places`, matched on
``LOWER`` (case is judged later, by the vocabulary).  Pattern ``id`` = the state codes, most
populous first, joined by "|" ("OR|ME"); ``label`` = the kind of name (:data:`LABELS`), which says
what context the name needs in a sentence.

The spans go to ``doc.spans["us_places"]``, not ``doc.ents``: a place may contain a state name
("Virginia Beach", "Kansas City") or lie inside one ("York" in "New York"), and ``doc.ents`` cannot
overlap; the state entity_ruler keeps ``doc.ents`` to itself.  :func:`candidates` reads the spans
back for :func:`knowledge.vocabulary.places.resolve`, which decides which ones count.

Whether a name is an everyday English word ("mobile", "buffalo") is judged with spaCy's English
lexeme probabilities (``spacy-lookups-data``), read at build time only.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from knowledge.vocabulary import places

RULER_NAME = "place_ruler"
SPANS_KEY = "us_places"
LABELS: Dict[str, str] = {
    places.NAME: "US_PLACE",
    places.CONTEXT: "US_PLACE_CONTEXT",
    places.WORD: "US_PLACE_WORD",
    places.QUALIFIED: "US_PLACE_QUALIFIED",
}
_KIND_OF_LABEL = {label: kind for kind, label in LABELS.items()}


def _lexeme_logprob() -> Callable[[str], Optional[float]]:
    """spaCy's English ``lexeme_prob`` table (case-sensitive log-probabilities), as a plain dict's get."""
    from spacy.util import load_language_data, registry

    return load_language_data(registry.lookups.get("en")["lexeme_prob"]).get


def patterns(nlp: Language) -> List[Dict[str, str]]:
    """Phrase patterns ``{"label", "id", "pattern"}``, one per distinct token sequence, stable order."""
    out: List[Dict[str, str]] = []
    seen: Set[Tuple[str, ...]] = set()
    for entry in places.entries(_lexeme_logprob()):
        for form in (entry.text, entry.text.lower()):  # the tokenizer treats "St." and "st." apart
            tokens = tuple(t.lower_ for t in nlp.make_doc(form))
            if tokens not in seen:
                seen.add(tokens)
                out.append({"label": LABELS[entry.kind], "id": "|".join(entry.states), "pattern": form})
    return out


def add_place_ruler(nlp: Language) -> None:
    """Add the ``place_ruler`` span_ruler with every place pattern to ``nlp``, first in the pipe:
    loading phrase patterns runs the components before the ruler on each of them (none, so)."""
    ruler = nlp.add_pipe("span_ruler", name=RULER_NAME, first=True, config={
        "spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER", "validate": True, "overwrite": True})
    ruler.add_patterns(patterns(nlp))


def candidates(doc: Doc) -> List[places.Candidate]:
    """The place spans the ruler put on ``doc`` ([] for a pipeline without the ruler)."""
    spans = doc.spans[SPANS_KEY] if SPANS_KEY in doc.spans else []
    return [places.Candidate(s.start_char, s.end_char, tuple(s.id_.split("|")), _KIND_OF_LABEL[s.label_])
            for s in spans if s.label_ in _KIND_OF_LABEL and s.id_]

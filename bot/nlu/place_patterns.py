"""U.S. place names in the project's spaCy pipeline: a ``span_ruler`` and a misspelling finder.

:func:`add_place_ruler` (called by ``bot.nlu.spacy_pipeline.build``) adds

* ``place_ruler`` (first in the pipe): one phrase pattern per spelling of every city, town, county
  and region of :mod:`knowledge.vocabulary.places`, matched on ``LOWER`` (case is judged later, by
  the vocabulary), and an ``ORTH`` token pattern for region aliases matched only as written
  ("NoVA").  Pattern ``id`` = the state codes, most populous first, joined by "|" ("OR|ME");
  ``label`` = the kind of name (:data:`LABELS`), which says what context the name needs.  A town
  one typo from a much bigger city gets that city's states too (``place_typos.with_lookalikes``);
* ``place_typos`` (after the state ruler): words and word pairs no ruler matched that misspell a
  well-known city ("pheonix", "san deigo"; :mod:`knowledge.vocabulary.place_typos`), as spans
  labelled :data:`TYPO_LABEL` with the city's states as ``id`` and its name as ``kb_id``.  Its data
  (the names and the English words near them) is computed at build time and saved with the
  pipeline; at run time it costs a few microseconds per word.

The spans go to ``doc.spans["us_places"]``, not ``doc.ents``: a place may contain a state name
("Virginia Beach", "Kansas City") or lie inside one ("York" in "New York"), and ``doc.ents`` cannot
overlap; the state entity_ruler keeps ``doc.ents`` to itself.  :func:`candidates` reads the spans
back for :func:`knowledge.vocabulary.places.resolve`, which decides which ones count.

Whether a name is an everyday English word ("mobile", "buffalo") is judged with spaCy's English
lexeme probabilities (``spacy-lookups-data``), read at build time only; so is the dictionary that
keeps English words from being read as misspellings (WordNet lemmas, the lemma tables and the
frequent lexemes of ``spacy-lookups-data``).  Importing this module registers the
:data:`TYPO_FACTORY` factory, which ``spacy.load`` of the built pipeline needs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, Iterable, List, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from knowledge.vocabulary import place_typos, places

RULER_NAME = "place_ruler"
TYPO_NAME = "place_typos"
TYPO_FACTORY = "walkaway_place_typos"
SPANS_KEY = "us_places"
LABELS: Dict[str, str] = {
    places.NAME: "US_PLACE",
    places.CONTEXT: "US_PLACE_CONTEXT",
    places.CITY_WORD: "US_PLACE_CITY_WORD",
    places.WORD: "US_PLACE_WORD",
    places.QUALIFIED: "US_PLACE_QUALIFIED",
}
#: Label of a misspelled well-known city; read as a ``context`` name.
TYPO_LABEL = "US_PLACE_TYPO"
_KIND_OF_LABEL = {**{label: kind for kind, label in LABELS.items()}, TYPO_LABEL: places.CONTEXT}


def _lexeme_probs() -> Dict[str, float]:
    """spaCy's English ``lexeme_prob`` table: case-sensitive form -> natural-log probability."""
    from spacy.util import load_language_data, registry

    return load_language_data(registry.lookups.get("en")["lexeme_prob"])


def english_words(probs: Dict[str, float]) -> Set[str]:
    """Lower-case English words: WordNet lemmas, the lemma tables' forms, and the lexemes of ``probs``
    at least as frequent as ``places.COMMON_LOGPROB`` (build time; needs spacy-lookups-data)."""
    import spacy_lookups_data
    from spacy.util import load_language_data

    tables = spacy_lookups_data.en
    words: Set[str] = {w for w, p in probs.items() if p >= places.COMMON_LOGPROB}
    for forms in load_language_data(tables["lemma_index"]).values():
        words.update(forms)
    for form, lemma in load_language_data(tables["lemma_lookup"]).items():
        words.update((form, lemma))
    for exceptions in load_language_data(tables["lemma_exc"]).values():
        for form, lemmas in exceptions.items():
            words.update([form, *lemmas])
    return {w for w in words if re.fullmatch(r"[a-z]+", w)}


def patterns(nlp: Language, entries: Iterable[places.Entry]) -> List[Dict[str, Any]]:
    """Ruler patterns ``{"label", "id", "pattern"}``, one per distinct token sequence, stable order:
    phrase patterns (strings, matched on LOWER), then ORTH token patterns for as-written aliases."""
    out: List[Dict[str, Any]] = []
    seen: Set[Tuple[str, ...]] = set()
    written = []
    for entry in entries:
        if entry.as_written:
            written.append(entry)
            continue
        for form in (entry.text, entry.text.lower()):  # the tokenizer treats "St." and "st." apart
            tokens = tuple(t.lower_ for t in nlp.make_doc(form))
            if tokens not in seen:
                seen.add(tokens)
                out.append({"label": LABELS[entry.kind], "id": "|".join(entry.states), "pattern": form})
    for entry in written:
        tokens = [{"ORTH": t.text} for t in nlp.make_doc(entry.text)]
        out.append({"label": LABELS[entry.kind], "id": "|".join(entry.states), "pattern": tokens})
    return out


def add_place_ruler(nlp: Language) -> None:
    """Add ``place_ruler`` first in the pipe (loading phrase patterns runs the components before the
    ruler on each of them: none, so) and ``place_typos`` last (after the state ruler); build time."""
    probs = _lexeme_probs()
    entries = places.entries(probs.get)
    typos = place_typos.Typos.build(place_typos.targets(entries), english_words(probs))
    ruler = nlp.add_pipe("span_ruler", name=RULER_NAME, first=True, config={
        "spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER", "validate": True, "overwrite": True})
    ruler.add_patterns(patterns(nlp, place_typos.with_lookalikes(entries, typos)))
    nlp.add_pipe(TYPO_FACTORY, name=TYPO_NAME).typos = typos


@Language.factory(TYPO_FACTORY)
def make_typo_finder(nlp, name):  # no annotations: spaCy validates them, and they are strings here
    """spaCy factory of :class:`TypoFinder` (its data comes from :func:`add_place_ruler` or disk)."""
    return TypoFinder()


class TypoFinder:
    """Pipeline component: adds misspelled well-known cities to ``doc.spans[SPANS_KEY]``."""

    FILE = "typos.json"

    def __init__(self) -> None:
        self.typos = place_typos.Typos(())

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
        taken = {i for s in spans + list(doc.ents) for i in range(s.start, s.end)}
        found: List[Span] = []
        i = 0
        while i < len(doc):
            match = None
            for n in (2, 1):  # "san deigo" before "deigo"
                words = doc[i:i + n]
                if len(words) == n and not taken & set(range(i, i + n)) and all(t.is_alpha for t in words):
                    match = self.typos.closest(tuple(t.lower_ for t in words))
                    if match:
                        target = match[0]
                        found.append(Span(doc, i, i + n, label=TYPO_LABEL, kb_id=target.name,
                                          span_id="|".join(target.states)))
                        i += n
                        break
            if not match:
                i += 1
        if found:
            doc.spans[SPANS_KEY] = spans + found
        return doc

    def to_disk(self, path: "str | Path", exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / self.FILE).write_text(json.dumps(self.typos.to_dict(), sort_keys=True), encoding="utf-8")

    def from_disk(self, path: "str | Path", exclude: Iterable[str] = ()) -> "TypoFinder":
        self.typos = place_typos.Typos.from_dict(json.loads((Path(path) / self.FILE).read_text(encoding="utf-8")))
        return self


def candidates(doc: Doc) -> List[places.Candidate]:
    """The place spans of ``doc`` ([] for a pipeline without the ruler); misspellings carry the
    city's name to say back."""
    spans = doc.spans[SPANS_KEY] if SPANS_KEY in doc.spans else []
    return [places.Candidate(s.start_char, s.end_char, tuple(s.id_.split("|")), _KIND_OF_LABEL[s.label_],
                             s.kb_id_ if s.label_ == TYPO_LABEL else None)
            for s in spans if s.label_ in _KIND_OF_LABEL and s.id_]

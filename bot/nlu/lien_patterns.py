"""Years, acres and dwelling units in the project spaCy pipeline: a ``span_ruler`` and its reader.

:func:`add_to` (called by ``bot.nlu.spacy_pipeline.build`` after ``fact_patterns.add_to``) adds
``lien_ruler`` after the fact ruler: the phrases of ``knowledge.vocabulary.lien_facts.SPAN_FACTS``
as token patterns (the same phrase syntax and lemma table as the fact ruler), label ``LIEN`` and
pattern id = ``Fact.key``, into ``doc.spans["lien_facts"]``.  A span group, not ``doc.ents``: "we
live in the duplex" is an occupancy fact and 2 units, "a HELOC from 2007 for a remodel" a purpose
and a year.

:func:`read` gives ``(entity, Mention)`` pairs.  Spans of one entity that overlap keep the longest
("home equity loan from 2006" is the second lien's year, not "loan from 2006" the first's).  Negation
and hypotheticals are the fact pipeline's own negspacy components: their matchers (the termsets of
``knowledge.vocabulary.facts``) and their rule, applied to these spans ("not a duplex", "if we
refinanced in 2027" give nothing).  A value the phrase leaves to the words ("a 6-unit building") is
read by ``knowledge.vocabulary.lien_numbers``; a span whose number is out of range gives nothing.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.nlu import fact_patterns
from knowledge.vocabulary import Mention, facts, lien_facts, lien_numbers

RULER = "lien_ruler"
SPANS_KEY = "lien_facts"
LABEL = "LIEN"

_READERS = {"loan_year": lien_numbers.year, "acres": lien_numbers.acres, "units": lien_numbers.units}


def patterns(nlp: Language, table: Dict[str, str]) -> List[Dict[str, Any]]:
    """The lien_ruler's patterns, deterministic order, no duplicates."""
    return fact_patterns.ruler_patterns(
        nlp, table, [(LABEL, fact.key, phrase) for fact in lien_facts.SPAN_FACTS for phrase in fact.phrases])


def add_to(nlp: Language, table: Dict[str, str]) -> None:
    """Add the lien_ruler after the fact ruler (build time; ``table``: the lookup lemmatizer's)."""
    ruler = nlp.add_pipe("span_ruler", name=RULER, after=fact_patterns.RULER,
                         config={"spans_key": SPANS_KEY, "validate": True, "overwrite": True})
    ruler.add_patterns(patterns(nlp, table))


def _negated(nlp: Any, name: str, doc: Doc, spans: List[Span]) -> List[bool]:
    """negspacy's NegEx decision for ``spans`` (its ``negex`` loop, over a span group instead of
    ``doc.ents``), with the matcher of the pipeline's component ``name``; all False without it."""
    if nlp is None or name not in nlp.pipe_names:
        return [False] * len(spans)
    negex = nlp.get_pipe(name)
    preceding, following, terminating = negex.process_negations(doc)
    bounds = negex.termination_boundaries(doc, terminating)
    out = []
    for span in spans:
        start, end = next(((b, e) for b, e in bounds if b <= span.start < e), (0, len(doc)))
        out.append(any(start <= p[1] < end and p[1] < span.start for p in preceding)
                   or any(start <= f[1] < end and f[2] > span.end for f in following))
    return out


def _value(reading: facts.Reading, span: Span) -> Optional[Any]:
    if reading.value != lien_facts.NUMBER:
        return reading.value
    return _READERS[reading.entity](span.text)


def read(doc: Doc, nlp: Any = None) -> List[Tuple[str, Mention]]:
    """``(entity, Mention)`` for the lien spans of a doc processed by the pipeline, left to right
    (none for a pipeline without the ruler).  ``nlp``: the pipeline, whose negspacy components decide
    negation; without it no span counts as negated."""
    if SPANS_KEY not in doc.spans:
        return []
    by_entity: Dict[str, List[Span]] = {}
    for span in doc.spans[SPANS_KEY]:
        fact = facts.by_key(span.id_)
        if fact is not None and fact.said is not None:
            by_entity.setdefault(fact.said.entity, []).append(span)
    kept = sorted((s for spans in by_entity.values() for s in filter_spans(spans)), key=lambda s: (s.start, s.end))
    negated = _negated(nlp, fact_patterns.NEGATED, doc, kept)
    hypothetical = _negated(nlp, fact_patterns.HYPOTHETICAL, doc, kept)
    out: List[Tuple[str, Mention]] = []
    for span, neg, hyp in zip(kept, negated, hypothetical):
        fact = facts.by_key(span.id_)
        reading = fact.negated if neg else fact.said
        if hyp or reading is None:
            continue
        value = _value(reading, span)
        if value is not None:
            out.append((reading.entity, Mention(span.start_char, span.end_char, span.text, value, reading.role)))
    return out

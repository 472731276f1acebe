"""Scenario facts in the project spaCy pipeline: lemmas, a fact entity_ruler and NegEx (negspacy).

:func:`add_to` (called by ``bot.nlu.spacy_pipeline.build``) appends, after the state/place ruler:

* ``sentencizer`` -- sentence starts (``^`` phrases, NegEx scopes end at a sentence end);
* ``lemmatizer`` (lookup mode) -- its table is spacy-lookups-data's English ``lemma_lookup`` plus
  :data:`knowledge.vocabulary.facts.LEMMA_EXTRA`, with title- and upper-case keys added so "Lost my
  job" has the lemma "lose" like "lost my job" (the table is case-sensitive).  The table is saved
  with the pipeline: spacy-lookups-data is needed to build, not to run;
* ``fact_ruler`` -- an entity_ruler with label ``FACT`` (pattern id = ``Fact.key``, e.g.
  "occupancy=investment") and ``NOT_FACT`` for the longer phrases that hide a fact word ("a bad
  investment").  A fact span replaces a state or place span it overlaps: those spans are only
  candidates ("ca" of "can't" is a CA candidate; the extractor takes states from
  ``knowledge.vocabulary.states``), and no fact phrase contains a place name;
* ``negex`` and ``hypothetical`` -- two negspacy ``negex`` components on ``FACT`` spans with the
  termsets of :mod:`knowledge.vocabulary.facts`; they set ``Span._.negex`` / ``Span._.hypothetical``.

:func:`read` turns a processed doc into ``(entity, Mention)`` pairs.  Importing this module
registers negspacy's ``negex`` factory, which ``spacy.load`` of the built pipeline needs.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Set, Tuple

import negspacy.negation  # noqa: F401  (registers the "negex" factory)
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.tokens import Doc

from knowledge.vocabulary import Mention, facts, lien_facts

FACT_LABEL = "FACT"
NOT_FACT_LABEL = "NOT_FACT"
NEGATED = "negex"
HYPOTHETICAL = "hypothetical"
RULER = "fact_ruler"


def lemma_table() -> Dict[str, str]:
    """Form -> lemma for the lookup lemmatizer, case-extended (see the module doc); build time only.

    Raises ImportError when spacy-lookups-data is not installed.
    """
    import spacy_lookups_data
    from spacy.util import load_language_data

    data: Dict[str, str] = dict(load_language_data(spacy_lookups_data.en["lemma_lookup"]))
    data.update(facts.LEMMA_EXTRA)
    table = dict(data)
    for form, lemma in sorted(data.items()):
        for variant in (form.title(), form.upper()):
            table.setdefault(variant, lemma)
    for lemma in sorted(set(data.values())):
        for variant in (lemma.title(), lemma.upper()):
            table.setdefault(variant, lemma)
    return table


def _word_patterns(nlp: Language, word: str, table: Dict[str, str], lemmas: Set[str]) -> List[Dict[str, Any]]:
    """Token patterns for one phrase word (syntax: knowledge.vocabulary.facts)."""
    optional = len(word) > 1 and word.endswith("?")
    word = word[:-1] if optional else word
    sent_start = None if not word.lstrip("!").startswith("^") else not word.startswith("!")
    word = word.lstrip("!^") if sent_start is not None else word
    exact = word.startswith("=")
    word = word[1:] if exact else word
    if word.startswith("<") and word.endswith(">"):
        out = [dict(facts.word_classes()[word[1:-1]])]
    else:
        out = []
        for token in nlp.make_doc(word):
            # the word's own lemma ("rent" -> "rend") and, when it is a lemma itself, its inflections
            form = token.text.lower()
            forms = sorted({table.get(form, form)} | ({form} & lemmas))
            if exact or forms == [form] and form not in lemmas:
                out.append({"LOWER": form})
            else:
                out.append({"LEMMA": forms[0]} if len(forms) == 1 else {"LEMMA": {"IN": forms}})
    if sent_start is not None:
        out[0]["IS_SENT_START"] = sent_start
    if optional:
        for pattern in out:
            pattern["OP"] = "?"
    return out


def ruler_patterns(nlp: Language, table: Dict[str, str], labelled: Iterable[Tuple[str, str, str]]
                   ) -> List[Dict[str, Any]]:
    """Ruler patterns of ``(label, id, phrase)`` triples, deterministic order, no duplicates.
    KeyError on an unknown <class>."""
    lemmas = set(table.values())
    out: List[Dict[str, Any]] = []
    seen: Set[Tuple[str, str, str]] = set()
    for label, pid, phrase in labelled:
        tokens = [p for word in phrase.split() for p in _word_patterns(nlp, word, table, lemmas)]
        key = (label, pid, json.dumps(tokens, sort_keys=True))
        if key not in seen:
            seen.add(key)
            out.append({"label": label, "id": pid, "pattern": tokens})
    return out


def patterns(nlp: Language, table: Dict[str, str]) -> List[Dict[str, Any]]:
    """The fact_ruler's patterns (``facts.all_facts()`` and the NOT_FACTS of both phrase modules)."""
    labelled = [(FACT_LABEL, fact.key, phrase) for fact in facts.all_facts() for phrase in fact.phrases]
    labelled += [(NOT_FACT_LABEL, "", phrase) for phrase in facts.NOT_FACTS + lien_facts.NOT_FACTS]
    return ruler_patterns(nlp, table, labelled)


def _negex_config(termset: Dict[str, Tuple[str, ...]], extension: str) -> Dict[str, Any]:
    return {
        "neg_termset": {kind: list(terms) for kind, terms in termset.items()},
        "ent_types": [FACT_LABEL],
        "extension_name": extension,
        "chunk_prefix": [],
    }


def add_to(nlp: Language) -> Dict[str, str]:
    """Append the fact components to ``nlp`` (build time; needs spacy-lookups-data); returns the lemma
    table, for the patterns of later rulers (``bot.nlu.lien_patterns``)."""
    nlp.add_pipe("sentencizer")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    table = lemma_table()
    lookups = Lookups()
    lookups.add_table("lemma_lookup", table)
    lemmatizer.initialize(lookups=lookups)
    ruler = nlp.add_pipe("entity_ruler", name=RULER, config={"validate": True, "overwrite_ents": True})
    ruler.add_patterns(patterns(nlp, table))
    nlp.add_pipe("negex", name=NEGATED, config=_negex_config(facts.NEGATION_TERMSET, NEGATED))
    nlp.add_pipe("negex", name=HYPOTHETICAL, config=_negex_config(facts.HYPOTHETICAL_TERMSET, HYPOTHETICAL))
    return table


def read(doc: Doc) -> List[Tuple[str, Mention]]:
    """``(entity, Mention)`` for each ``FACT`` span of a doc processed by the pipeline, left to right.

    A hypothetical span gives nothing; a negated one gives its Fact's ``negated`` reading (or
    nothing), an asserted one its ``said`` and ``also`` readings; a denied hardship is dropped when
    the message also names one.  ``Mention.value`` is the entity value, ``Mention.role`` the amount
    role or None.
    """
    out: List[Tuple[str, Mention]] = []
    for ent in doc.ents:
        if ent.label_ != FACT_LABEL:
            continue
        fact = facts.by_key(ent.ent_id_)
        if fact is None or getattr(ent._, HYPOTHETICAL, False):
            continue
        readings = [fact.negated] if getattr(ent._, NEGATED, False) else [fact.said, *fact.also]
        for reading in readings:
            if reading is not None:
                mention = Mention(ent.start_char, ent.end_char, ent.text, reading.value, reading.role)
                out.append((reading.entity, mention))
    if any(name == "hardship" and m.value is True for name, m in out):
        # a hardship named beats a denial in the same message ("mom's medical bills ..., no job loss
        # or anything like that"); the slot takes the last reading, so the denial must not come out
        out = [(name, m) for name, m in out if not (name == "hardship" and m.value is False)]
    return out

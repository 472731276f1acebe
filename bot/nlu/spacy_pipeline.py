"""The project's spaCy pipeline: ``spacy.blank("en")`` + an ``entity_ruler`` for US states.

    python -m bot.nlu.spacy_pipeline build/spacy-walkaway

writes it with ``nlp.to_disk`` (idempotent: the same input gives the same files; an existing build
is replaced).  Nothing is downloaded: the pipeline has no statistical model and no vectors.

Patterns come from :mod:`knowledge.vocabulary.states` (pattern ``id`` = USPS code, label
``US_STATE``):

* names and safe variants ("Texas", "N. Carolina", "Calif.", "Washington DC"): token patterns on
  ``LOWER``, from the spaCy tokenization of the variant in several casings and places in a sentence
  (so "Calif." is matched whether the tokenizer keeps the period or not);
* word-like abbreviations ("Mass", "Penn", "Jersey"): ``ORTH`` in title and upper case;
* USPS codes: ``ORTH`` upper case; the unambiguous ones also lower/title case ("tx").

Lower-case words that are only states as a whole answer ("pa", "jersey", "mass") have no pattern
(they would put "in", "miss", "me" into ``doc.ents`` of ordinary sentences); the entity extractor
gets those from ``knowledge.vocabulary.states.find``.

Phrases that contain a state name without meaning it ("Kansas City", "Washington Mutual") are
labelled ``NOT_US_STATE`` so the longer match hides the state.  The ruler only *proposes* spans: the
decision whether a span is a state in its sentence (context for "OK", "IN", "VA"...) is
``knowledge.vocabulary.states`` (see ``bot.nlu.entity_normalizer``).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Sequence, Set, Tuple

import spacy
from spacy.language import Language

from bot.nlu import fact_patterns, lien_patterns, place_patterns
from knowledge.vocabulary import states

LABEL = "US_STATE"
NOT_LABEL = "NOT_US_STATE"
PIPELINE_NAME = "walkaway"
PIPELINE_VERSION = "1.0.0"


def _casings(text: str) -> List[str]:
    forms = [text, text.lower(), text.upper(), text.title()]
    out: List[str] = []
    for f in forms:
        if f not in out:
            out.append(f)
    return out


# Places a spelling can stand in a message; the tokenizer splits "Calif." differently before "now",
# before a period, before "..", before a comma...
_FRAMES = ("{}", "in {} now", "in {}.", "in {}..", "in {},", "in {}?", "in {}!", "({})")


def _token_sequences(nlp: Language, text: str) -> Set[Tuple[str, ...]]:
    """Lower-cased texts of the tokens that cover ``text`` in every casing and frame."""
    seqs: Set[Tuple[str, ...]] = set()
    for form in _casings(text):
        for frame in _FRAMES:
            start = frame.index("{}")
            end = start + len(form)
            doc = nlp.make_doc(frame.format(form))
            toks = tuple(t.text.lower() for t in doc
                         if not t.is_space and t.idx < end and t.idx + len(t.text) > start)
            if toks:
                seqs.add(toks)
    return seqs


def _token_pattern(token: str) -> Dict:
    if token.startswith("..") and not token.strip("."):
        return {"TEXT": {"REGEX": r"^\.{2,}$"}}  # "Pa...." : an abbreviation's period glued to an ellipsis
    return {"LOWER": token}


def patterns(nlp: Language) -> List[Dict]:
    """All entity_ruler patterns, deterministic order."""
    out: List[Dict] = []
    seen: Set[Tuple[str, str, Tuple]] = set()

    def add(label: str, pid: str, pattern: List[Dict[str, str]]) -> None:
        key = (label, pid, json.dumps(pattern, sort_keys=True))
        if key not in seen:
            seen.add(key)
            out.append({"label": label, "id": pid, "pattern": pattern})

    for code in sorted(states.STATES):
        spellings = states.variants(code)
        for name in spellings["names"]:
            for seq in sorted(_token_sequences(nlp, name)):
                add(LABEL, code, [_token_pattern(t) for t in seq])
        for word in spellings["words"]:
            for form in (word, word.upper()):
                add(LABEL, code, [{"ORTH": form}])
                add(LABEL, code, [{"ORTH": form}, {"ORTH": "."}])
        add(LABEL, code, [{"ORTH": code}])
        if not states.is_ambiguous(code):
            add(LABEL, code, [{"ORTH": code.lower()}])
            add(LABEL, code, [{"ORTH": code.title()}])
    for phrase in states.NOT_STATE_PHRASES:
        for seq in sorted(_token_sequences(nlp, phrase)):
            add(NOT_LABEL, "", [_token_pattern(t) for t in seq])
    return out


def build() -> Language:
    """The pipeline in memory."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True, "overwrite_ents": True})
    ruler.add_patterns(patterns(nlp))
    place_patterns.add_place_ruler(nlp)  # US places -> doc.spans["us_places"] (bot.nlu.place_patterns)
    table = fact_patterns.add_to(nlp)  # scenario facts: lemmas, fact ruler, NegEx (bot.nlu.fact_patterns)
    lien_patterns.add_to(nlp, table)  # years, acres, units -> doc.spans["lien_facts"] (bot.nlu.lien_patterns)
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = PIPELINE_VERSION
    nlp.meta["description"] = "Walkaway: blank English tokenizer + entity_ruler for US states (no model download)"
    return nlp


def write(path: "str | Path", nlp: "Language | None" = None) -> Path:
    """Write the pipeline (built now unless given) to ``path``, replacing an earlier build there."""
    target = Path(path)
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / "meta.json").exists())):
        raise FileExistsError(f"{target} exists and is not a spaCy pipeline directory; not overwriting it")
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp = nlp if nlp is not None else build()
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=str(target.parent)))
    try:
        nlp.to_disk(tmp)
        if target.exists():
            shutil.rmtree(target)
        tmp.chmod(0o755)  # mkdtemp makes it private
        tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print("usage: python -m bot.nlu.spacy_pipeline OUTPUT_DIR   (e.g. build/spacy-walkaway)", file=sys.stderr)
        return 2
    nlp = build()
    target = write(argv[0], nlp)
    n = len(nlp.get_pipe("entity_ruler").patterns)
    print(f"wrote spaCy pipeline to {target} ({n} state patterns)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

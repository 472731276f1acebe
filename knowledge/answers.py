"""Turn knowledge records into the variables of the bot's domain responses.

The sentences themselves live in the domain (bot/domain/state_law.yml); this module only shapes
knowledge into short values (a shortened rule, "2 to 4 months", a list of sources) and builds the
generated lists (one line per state). Pure functions, no I/O.
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

from knowledge.repository import StateLaw

MAX_SOURCES = 3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(])")

# response-name suffixes per recourse category (utter_state_rules_header_<suffix> etc.)
CATEGORY_SUFFIX = {
    "recourse": "recourse",
    "recourse_limited": "recourse_limited",
    "non_recourse": "non_recourse",
    "non_recourse_qualifying": "non_recourse_qualifying",
}


def first_sentence(text: str, max_chars: int = 220) -> str:
    """The first sentence of ``text``, cut at a word boundary to at most ``max_chars``."""
    text = " ".join((text or "").split())
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(sentence) <= max_chars:
        return sentence
    cut = sentence[: max_chars - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _number(value: float) -> str:
    """Whole months read better: 5.9 -> "6"; 2.5 stays "2.5"."""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    if abs(value * 2 - round(value * 2)) < 1e-9:
        return f"{value:g}"
    return str(max(1, round(value)))


def months_phrase(low: float | None, high: float | None) -> str | None:
    """"2 to 4 months", "about 5 months", "at least 3 months", or None when the record has no figure."""
    if low is None and high is None:
        return None
    if high is None:
        return f"at least {_number(low)} months"
    if low is None:
        return f"up to {_number(high)} months"
    lo, hi = _number(low), _number(high)
    if lo == hi:
        return f"about {lo} month{'' if lo == '1' else 's'}"
    return f"{lo} to {hi} months"


def join_list(items: Sequence[str], limit: int | None = None) -> str:
    items = list(items)[:limit] if limit else list(items)
    return "; ".join(items)


def state_rule_vars(law: StateLaw) -> dict[str, str]:
    """Variables for utter_state_rules_header_* / utter_state_rules_details / caveat responses."""
    return {
        "state_name": law.name,
        "state_code": law.code,
        "protection": law.protection_summary,
        "fair_value": law.fair_value_summary,
        "deadline": law.deficiency_deadline_summary,
        "redemption": law.redemption_summary,
        "process": law.process_summary,
        "timeline": law.timeline_summary,
        "statutes": join_list(law.key_statutes) or "no statute on record",
        "sources": ", ".join(law.sources[:MAX_SOURCES]),
        "last_reviewed": law.last_reviewed.isoformat(),
        "confidence_note": law.confidence_note,
        "unconfirmed": join_list(law.unconfirmed),
    }


def timeline_vars(law: StateLaw) -> dict[str, str]:
    """Variables for utter_state_timeline / utter_state_timeline_no_months."""
    return {
        "state_name": law.name,
        "months": months_phrase(law.timeline_months_min, law.timeline_months_max) or "",
        "process": law.process_summary,
        "timeline": law.timeline_summary,
        "redemption": law.redemption_summary,
    }


def state_list_text(laws: Iterable[StateLaw]) -> str:
    """One line per state: "• Arizona (AZ): <first sentence of its protection rule>"."""
    return "\n".join(f"• {law.name} ({law.code}): {first_sentence(law.protection_summary)}" for law in laws)


def state_detail_lines(law: StateLaw) -> list[str]:
    """Plain lines for the command line (python -m knowledge show TX)."""
    lines = [
        f"Protection: {law.protection_summary}",
        f"Fair-value limit: {law.fair_value_summary}",
        f"Deadline: {law.deficiency_deadline_summary}",
        f"Redemption: {law.redemption_summary}",
        f"Process: {law.process_summary}",
        f"Timeline: {law.timeline_summary}"
        + (f" ({months_phrase(law.timeline_months_min, law.timeline_months_max)})" if law.timeline_months_min is not None or law.timeline_months_max is not None else ""),
        f"Statutes: {join_list(law.key_statutes)}",
        f"Confidence: {law.confidence} — {law.confidence_note}",
    ]
    if law.unconfirmed:
        lines.append(f"Unconfirmed: {join_list(law.unconfirmed)}")
    lines += [f"Source: {url}" for url in law.sources]
    lines.append(f"Last reviewed: {law.last_reviewed.isoformat()}")
    return lines

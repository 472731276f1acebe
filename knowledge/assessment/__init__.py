"""The personal assessment, one job per module:

- ``scenario``: what the homeowner told us and the liens it implies;
- ``equity``: how far underwater on all liens;
- ``conditions`` and ``deficiency``: per lien and per way of losing the home, whether that lender
  could still claim a deficiency, how much, and under which protection;
- ``options``: every option ranked, each with its reason;
- ``consequences``: credit, the federal 120-day rule and taxes;
- ``compare``: options side by side.

Records come from ``knowledge.repository`` and are passed in; nothing here does I/O or knows Rasa.
Results are values and keys; the words are the domain's responses.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

from knowledge.assessment.consequences import consequences
from knowledge.assessment.deficiency import deciding_slots, exposures
from knowledge.assessment.equity import Equity, equity
from knowledge.assessment.options import rank, situation
from knowledge.assessment.scenario import (
    GOALS,
    LENDER_TYPES,
    LOAN_PURPOSES,
    OCCUPANCIES,
    PAYMENT_STATUSES,
    SECOND_LIEN_PURPOSES,
    Scenario,
)

__all__ = [
    "Assessment", "Scenario", "assess", "deciding_slots", "GOALS", "LENDER_TYPES", "LOAN_PURPOSES",
    "OCCUPANCIES", "PAYMENT_STATUSES", "SECOND_LIEN_PURPOSES",
]

# what the assessment needs before it can say anything personal
ESSENTIAL = ("us_state", "home_value", "loan_balance")


@dataclass(frozen=True)
class Assessment:
    scenario: Scenario
    state: Any  # the StateLaw record, or None
    equity: Optional[Equity]
    exposures: tuple  # LienExposure per lien (empty without a state or an amount owed)
    options: tuple  # RankedOption, best first
    consequences: tuple  # Consequence
    missing: tuple  # ESSENTIAL slots not known
    facts: dict  # the knowledge base's Fact records by key, for the words that quote them


def assess(scenario: Scenario, state: Any, alternatives: Iterable[Any], fico: Iterable[Any],
           facts: Iterable[Any]) -> Assessment:
    """The whole assessment. ``state``: the ``StateLaw`` for ``scenario.us_state`` (or None);
    ``alternatives``, ``fico``, ``facts``: the repository's records."""
    alternatives = {a.key: a for a in alternatives}
    facts = {f.key: f for f in facts}
    owed = scenario.total_owed
    eq = equity(scenario.home_value, owed) if scenario.home_value and owed is not None else None
    found = exposures(state, scenario) if state is not None else ()
    ranked = rank(alternatives.values(), situation(scenario, eq, found, state.name if state else None),
                  scenario.home_value)
    return Assessment(
        scenario=scenario,
        state=state,
        equity=eq,
        exposures=found,
        options=tuple(ranked),
        consequences=consequences(scenario, found, [o.key for o in ranked], alternatives, list(fico), facts),
        missing=tuple(slot for slot in ESSENTIAL if getattr(scenario, slot) is None),
        facts=facts,
    )

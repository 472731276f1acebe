"""Options side by side: the facts of each option for the comparison table, per this user's liens.

Cells are values, not sentences: the action renders them with the domain's words (a table on the
web, a list on Slack and Telegram). Pure: no Rasa, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from knowledge.assessment.consequences import START_SCORE
from knowledge.assessment.deficiency import BARRED, LienExposure

COMPARE_KEYS = ("loan_modification", "short_sale", "deed_in_lieu", "bankruptcy_ch7", "foreclosure")
# how an option settles what is owed (the Alternative record's ``deficiency_effect``)
NO_DEFICIENCY = ("not_applicable", "paid_by_seller")


@dataclass(frozen=True)
class ComparisonRow:
    """``deficiency``: none | discharged | waiver | barred | partly_barred | possible | unknown;
    ``score``: (low, high) FICO range from a 720 start or None; years are None when not applicable."""

    key: str
    name: str
    deficiency: str
    score: Optional[tuple]
    report_years: Optional[float]
    wait_years: Optional[float]
    lender_approval: bool
    keeps_home: Optional[bool]


def _loan_rule(protection: Any) -> bool:
    """A protection of the loan itself, whoever forecloses and however (e.g. purchase money)."""
    return protection is not None and protection.route == "any" and protection.lender == "any"


def _deficiency(record: Any, exposures: Sequence[LienExposure]) -> str:
    effect = record.deficiency_effect
    if effect in NO_DEFICIENCY:
        return "none"
    if effect == "discharged":
        return "discharged"
    if not exposures:
        return "unknown"
    if record.key == "short_sale":
        barred = [e.short_sale.status == BARRED or e.short_sale.claim == 0 for e in exposures]
    elif record.key == "foreclosure":
        barred = [e.likely.status == BARRED or e.likely.claim == 0 for e in exposures]
    else:
        # a deed in lieu (or cash for keys) is no foreclosure sale: a bar tied to the sale (a trustee's-
        # sale bar) doesn't reach it; only a rule on the loan itself (route and lender "any") does
        barred = [e.shortfall == 0 or (e.likely.status == BARRED and _loan_rule(e.likely.protection))
                  for e in exposures]
    if all(barred):
        return "barred"
    if effect == "waiver_needed":
        return "waiver"
    return "partly_barred" if any(barred) else "possible"


def compare(keys: Sequence[str], alternatives: Mapping[str, Any], exposures: Sequence[LienExposure]) -> list:
    """Rows for the option ``keys`` that exist in ``alternatives`` (records keyed by ``key``)."""
    rows = []
    for key in keys:
        record = alternatives.get(key)
        if record is None:
            continue
        wait = record.waiting_period("fannie_mae")
        rows.append(ComparisonRow(
            key=key,
            name=record.name,
            deficiency=_deficiency(record, exposures),
            score=record.fico.range_for(START_SCORE) if record.fico else None,
            report_years=record.credit_report_years,
            wait_years=wait.years if wait else None,
            lender_approval=record.requires_lender_approval,
            keeps_home=record.keeps_home,
        ))
    return rows

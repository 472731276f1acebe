"""Credit, tax and timing consequences for this homeowner, from the knowledge base only.

Score ranges are FICO's (``FicoImpact`` records), years on the report and waiting periods come
from the ``Alternative`` records, the 120-day rule and the tax rules from ``Fact`` records. Each
consequence is a key (worded by the domain response ``utter_consequence_<key>``) and its
variables. Pure: no Rasa, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

from knowledge.assessment.deficiency import BARRED, LienExposure
from knowledge.assessment.scenario import Scenario

START_SCORE = 720  # FICO's middle sample profile; the figures quoted are for this start
LATE_90_MONTHS = 3
FORECLOSURE_WAIT_DAYS = 120  # 12 CFR 1024.41(f): the fact record `federal_120_day_rule` is quoted
DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class Consequence:
    key: str
    variables: dict = field(default_factory=dict)


def _credit(alternative: Any, key: str) -> Optional[Consequence]:
    if alternative is None or alternative.fico is None:
        return None
    score = alternative.fico.range_for(START_SCORE)
    wait = alternative.waiting_period("fannie_mae")
    if score is None or wait is None:
        return None
    return Consequence(key, {
        "label": alternative.fico.label.lower(),
        "start": START_SCORE, "low": score[0], "high": score[1],
        "report_years": alternative.credit_report_years, "wait_years": wait.years,
        "wait_ec_years": wait.with_ec_years,
    })


def _late(scenario: Scenario, fico: Sequence[Any]) -> Optional[Consequence]:
    if not scenario.is_behind:
        return None
    event = "late_90" if (scenario.months_behind or 0) >= LATE_90_MONTHS else "late_30"
    record = next((f for f in fico if f.event == event), None)
    score = record.range_for(START_SCORE) if record else None
    if score is None:
        return None
    return Consequence("credit_late", {"days": 90 if event == "late_90" else 30, "start": START_SCORE,
                                       "low": score[0], "high": score[1]})


def _foreclosure_clock(scenario: Scenario, facts: Mapping[str, Any]) -> Optional[Consequence]:
    """The federal 120-day rule protects a principal residence only (12 CFR 1024.30(c)(2)), and binds
    servicers of RESPA's "federally related" loans, which a seller or a private person who rarely
    lends may not make (12 CFR 1024.2(b)): said as "may not apply"."""
    rule = facts.get("federal_120_day_rule")
    if rule is None or not scenario.is_behind:
        return None
    if not scenario.lives_there:
        return Consequence("clock_not_primary", {"rule": rule.statement})
    if scenario.lender_type in ("seller", "private"):
        return Consequence("clock_private_lender", {"rule": rule.statement})
    past = (scenario.months_behind or 0) * DAYS_PER_MONTH > FORECLOSURE_WAIT_DAYS
    return Consequence("clock_past" if past else "clock_before", {"rule": rule.statement})


def _taxes(scenario: Scenario, exposures: Sequence[LienExposure], facts: Mapping[str, Any]) -> list:
    """Per lien with a shortfall: a loan the borrower was never personally liable for (a loan-type
    protection) is a sale for the full debt; a recourse loan cut off only by a foreclosure-route
    bar may still bring a 1099-C (IRS clarification of 29 April 2014); a debt the lender could
    pursue and forgives may be income."""
    found = []
    for exposure in exposures:
        outcome = exposure.likely
        if not exposure.shortfall:
            continue
        protection = outcome.protection
        if outcome.status == BARRED and protection is not None and protection.route == "any" \
                and protection.lender == "any":
            key, fact = "tax_nonrecourse", facts.get("tax_nonrecourse_disposition")
        elif outcome.status == BARRED:
            key, fact = "tax_route_bar", facts.get("tax_trustee_sale_recourse")
        else:
            key, fact = ("tax_forgiven_primary" if scenario.lives_there else "tax_forgiven_other"), facts.get("qpri_exclusion")
        if fact is not None:
            found.append(Consequence(key, {"position": exposure.lien.position, "amount": exposure.shortfall,
                                           "fact": fact.statement, "note": fact.note}))
    return found


def consequences(scenario: Scenario, exposures: Sequence[LienExposure], option_keys: Sequence[str],
                 alternatives: Mapping[str, Any], fico: Sequence[Any], facts: Mapping[str, Any]) -> tuple:
    """The consequences worth telling this user, in reading order. ``alternatives`` and ``facts``
    are keyed by their ``key``; ``fico`` is the list of ``FicoImpact`` records."""
    found = []
    if "foreclosure" in option_keys:
        found.append(_credit(alternatives.get("foreclosure"), "credit_foreclosure"))
    if {"short_sale", "deed_in_lieu"} & set(option_keys):
        found.append(_credit(alternatives.get("short_sale"), "credit_short_sale"))
    found.append(_late(scenario, fico))
    found.append(_foreclosure_clock(scenario, facts))
    found.extend(_taxes(scenario, exposures, facts))
    return tuple(item for item in found if item is not None)

"""Every option, ranked for this homeowner, each with the reason that places it.

All options of the knowledge base (keep-home ones and exits) are ranked for every user: how well
each fits the situation (underwater or not, behind or current, a hardship, the deficiency each
lender could still claim) plus the goal, which decides the order, never which options appear.
Walking away is never first, and a normal sale beats it when there is equity. A reason is a key
(the domain response ``utter_reason_<key>`` words it) and its variables. Pure: no Rasa, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Optional, Sequence

from knowledge.assessment.deficiency import BARRED, LienExposure
from knowledge.assessment.equity import Equity
from knowledge.assessment.scenario import Scenario

GOAL_WEIGHT = 30  # what the user wants outweighs any single situational fit
SMALL_GAP = 0.05  # a shortfall of up to 5% of the value can often be paid at closing


@dataclass(frozen=True)
class RankedOption:
    """``reason``: the key of ``utter_reason_<reason>``; ``variables``: what it needs."""

    key: str
    name: str
    reason: str
    score: int
    keeps_home: Optional[bool]
    variables: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Situation:
    """What the ranking looks at, derived once from the scenario, equity and exposures."""

    underwater: Optional[bool]
    gap: float
    equity: float
    ltv: Optional[int]
    behind: bool
    hardship: bool
    primary: bool
    rental: bool
    goal: str
    exposed: float  # dollars lenders could still claim after a foreclosure on the usual route
    protected: bool  # every lien is barred on the usual route
    short_sale_barred: bool  # every lien is barred after a short sale
    state_name: Optional[str]
    liens: int = 1  # how many loans are secured by the home


def situation(scenario: Scenario, eq: Optional[Equity], exposures: Sequence[LienExposure],
              state_name: Optional[str]) -> Situation:
    exposed = sum(e.likely.claim or 0.0 for e in exposures if e.likely.status != BARRED)
    return Situation(
        underwater=None if eq is None else eq.is_underwater,
        gap=eq.underwater if eq else 0.0,
        equity=eq.equity if eq else 0.0,
        ltv=eq.ltv_percent if eq else None,
        behind=scenario.is_behind,
        hardship=bool(scenario.hardship),
        primary=scenario.lives_there,
        rental=scenario.occupancy == "investment",
        goal=scenario.goal or "undecided",
        exposed=exposed,
        protected=bool(exposures) and all(e.likely.status == BARRED or e.shortfall == 0 for e in exposures),
        short_sale_barred=bool(exposures) and all(e.short_sale.status == BARRED or e.shortfall == 0
                                                  for e in exposures),
        state_name=state_name,
        liens=max(len(scenario.liens()), 1),
    )


def _fit(key: str, s: Situation, home_value: Optional[float]) -> tuple:
    """(score 0-60, reason key, variables) for one option in this situation."""
    state = {"state_name": s.state_name or "your state"}
    if key == "loan_modification":
        if s.hardship:
            return (55, "mod_hardship_behind", {}) if s.behind else (50, "mod_hardship_current", {})
        return (40, "mod_behind", {}) if s.behind else (15, "mod_no_hardship", {})
    if key == "forbearance":
        return (45, "forbearance_hardship", {}) if s.hardship else (10, "forbearance_no_hardship", {})
    if key == "repayment_plan":
        if s.behind:
            return (35, "repayment_hardship", {}) if s.hardship else (45, "repayment_behind", {})
        return (5, "repayment_current", {})
    if key == "refinance":
        if s.behind:
            return 5, "refinance_behind", {}
        if s.underwater is False:
            return (50 if (s.ltv or 100) <= 80 else 35), "refinance_equity", {"ltv": s.ltv}
        return 10, "refinance_underwater", {}
    if key == "keep_paying":
        if s.behind:
            return 10, "keep_paying_behind", {}
        if s.underwater is False and not s.hardship:
            return 50, "keep_paying_equity", {}
        return (30, "keep_paying_hardship", {}) if s.hardship else (50, "keep_paying_current", {})
    if key == "rent_out":
        if s.rental:
            return 35, "rent_out_already", {}
        return (30, "rent_out_primary", {}) if not s.behind else (10, "rent_out_behind", {})
    if key == "sell":
        if s.underwater is False:
            return 60, "sell_equity", {"equity": s.equity}
        if s.underwater and home_value and s.gap <= SMALL_GAP * home_value and not s.behind:
            return 45, "sell_small_gap", {"gap": s.gap}
        return 20, "sell_gap", {"gap": s.gap}
    if key in ("short_sale", "deed_in_lieu"):
        if s.underwater is False:
            return 5, f"{key}_not_needed", {}
        if key == "short_sale" and s.short_sale_barred:
            return 55, "short_sale_barred", state
        if s.protected:  # a foreclosure leaves nothing to claim here; a sale the lenders approve may
            return 35, f"{key}_riskier", state
        base = 50 if key == "short_sale" else 45
        return base, f"{key}_waiver" + ("" if s.liens > 1 else "_one"), state
    if key == "cash_for_keys":
        return (25 if s.behind else 20), "cash_for_keys", {}
    if key == "bankruptcy_ch7":
        if s.exposed > 0:
            return (35 if s.behind and s.hardship else 20), "ch7_exposed", {"amount": s.exposed}
        return 5, "ch7_not_needed", {}
    if key == "bankruptcy_ch13":
        return (40 if s.hardship else 30, "ch13_behind", {}) if s.behind else (5, "ch13_current", {})
    if key == "foreclosure":
        if s.underwater is False:
            return 0, "foreclosure_equity", {"equity": s.equity}
        if s.protected:
            return 25, "foreclosure_protected", state
        if s.exposed > 0:
            return 5, "foreclosure_exposed", {**state, "amount": s.exposed}
        return 10, "foreclosure_general", {}
    return 10, "general", {}


def _goal_bonus(keeps_home: Optional[bool], goal: str) -> int:
    if goal == "keep_home":
        return GOAL_WEIGHT if keeps_home else 0
    if goal == "leave_home":
        return GOAL_WEIGHT if keeps_home is False else GOAL_WEIGHT // 3 if keeps_home is None else 0
    return 0


def rank(alternatives: Iterable[Any], s: Situation, home_value: Optional[float] = None) -> list:
    """All options of ``alternatives`` (repository ``Alternative`` records), best first."""
    ranked = []
    for record in alternatives:
        score, reason, variables = _fit(record.key, s, home_value)
        score += _goal_bonus(record.keeps_home, s.goal)
        ranked.append(RankedOption(record.key, record.name, reason, score, record.keeps_home, variables))
    ranked.sort(key=lambda o: (-o.score, o.key))
    if ranked and ranked[0].key == "foreclosure" and len(ranked) > 1:
        ranked[0], ranked[1] = ranked[1], ranked[0]  # walking away is never the first advice
    return ranked

"""Per-lien exposure: could each lender come after the borrower, for how much, under which rule?

For every lien and every way the home can be lost — the state's usual foreclosure route, the other
route, a lender-approved short sale — the state's protections (SCHEMA.md "Protections") are
checked one by one with their own conditions:

- the lien being foreclosed is covered by protections for that route or for any route;
- a second lien wiped out by the first lender's sale (a "sold-out junior") did not sell anything,
  so only protections that follow the loan itself (``lender: any``, e.g. purchase money) cover it —
  a trustee's-sale bar does not (Roseleaf v. Chierighino, 59 Cal. 2d 35 (1963); RCW 61.24.100(1));
- a short sale is not a foreclosure: only short-sale bars cover it (both lenders consent); where
  none applies, what is left depends on the written waiver each lender signs;
- a protection that bars only after a step nobody can count on (the lender missing a deadline,
  choosing a procedure, a borrower's filing: ``effect: conditional``) never decides the answer, and
  one with further facts we don't ask (``unchecked``) bars only "if" those hold.

Amounts: if the home brings ``home_value``, the first lender's shortfall is what it is owed minus
the price; a sold-out junior can claim its balance minus any surplus left after the first is paid.
Pure: no Rasa, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

from knowledge.assessment.conditions import match
from knowledge.assessment.scenario import Lien, Scenario

# outcome statuses
BARRED = "barred"  # a protection whose conditions are all met bars a deficiency
DEPENDS = "depends"  # a protection would bar it if conditions we weren't told are met (in a short
# sale without a statutory bar: if the lender signs a waiver)
CAPPED = "capped"  # allowed, limited to the debt minus the home's fair value
ALLOWED = "allowed"  # the lender can pursue what is left unpaid

NONJUDICIAL, JUDICIAL, SHORT_SALE = "nonjudicial", "judicial", "short_sale"
# slots the form may ask because they decide a protection (occupancy is always asked)
DECIDING_SLOTS = ("loan_purpose", "second_lien_purpose", "lot_acres", "loan_year", "lender_type")


@dataclass(frozen=True)
class Outcome:
    """One lender, one way of losing the home. ``claim``: the most it could seek in dollars if the
    home brings its value (0 when barred; None when the amounts aren't known). For DEPENDS,
    ``fallback`` is the status when the open conditions are not met and ``protection`` the rule
    that would bar it."""

    route: str
    status: str
    claim: Optional[float]
    sold_out: bool = False
    protection: Any = None
    open_slots: tuple = ()
    assumed: tuple = ()
    fallback: Optional[str] = None
    # barred-effect protections on this route that the user's own facts rule out:
    # ((protection, failed slots), ...) — said, so a caveat that flips the answer is never hidden
    excluded: tuple = ()

    @property
    def lender_can_pursue(self) -> bool:
        return self.status in (CAPPED, ALLOWED, DEPENDS) and (self.claim is None or self.claim > 0)


@dataclass(frozen=True)
class LienExposure:
    """Outcomes of one lien: ``likely`` (the state's usual route), ``other`` (None where the state
    has only court foreclosure) and ``short_sale``. ``shortfall``: dollars of this lien left unpaid
    if the home brings its value (None when the value isn't known)."""

    lien: Lien
    shortfall: Optional[float]
    likely: Outcome
    other: Optional[Outcome]
    short_sale: Outcome


def routes(state: Any) -> tuple:
    """(likely route, other route or None) from the state's ``foreclosure_process``."""
    if state.foreclosure_process in ("nonjudicial", "both"):
        return NONJUDICIAL, JUDICIAL
    return JUDICIAL, None


def claims(scenario: Scenario) -> dict:
    """position -> the most that lender could claim in dollars if the home brings its value, or
    None per lien when the home value isn't known."""
    liens = scenario.liens()
    value = scenario.home_value
    if value is None:
        return {lien.position: None for lien in liens}
    first = next((lien.balance for lien in liens if lien.position == "first"), 0.0)
    result = {}
    for lien in liens:
        if lien.position == "first":
            result["first"] = max(lien.balance - value, 0.0)
        else:
            surplus = max(value - first, 0.0)
            result["second"] = max(lien.balance - surplus, 0.0)
    return result


def _covering(protections: Iterable[Any], lien: Lien, route: str) -> list:
    """The protections that can reach this lien on this route, before checking conditions."""
    sold_out = lien.position == "second" and route != SHORT_SALE
    found = []
    for protection in protections:
        if protection.effect not in (BARRED, CAPPED):
            ok = False
        elif route == SHORT_SALE:
            ok = protection.route == SHORT_SALE
        elif sold_out:
            ok = protection.lender == "any" and protection.route in (route, "any")
        else:
            ok = protection.route in (route, "any")
        if ok:
            found.append(protection)
    return found


def outcome(state: Any, scenario: Scenario, lien: Lien, route: str, claim: Optional[float]) -> Outcome:
    """The outcome for ``lien`` when the home is lost by ``route``."""
    sold_out = lien.position == "second" and route != SHORT_SALE
    barred_open, capped = None, None
    assumed, excluded = [], []
    for protection in _covering(state.protections, lien, route):
        result = match(protection, lien, scenario)
        if result.covers is False:
            if protection.effect == BARRED and set(result.failed) - {"lien_position"}:
                excluded.append((protection, tuple(s for s in result.failed if s != "lien_position")))
            continue
        assumed.extend(result.assumed)
        if protection.effect == BARRED:
            if result.covers and not protection.unchecked:
                return Outcome(route, BARRED, 0.0 if claim is not None else None, sold_out, protection,
                               assumed=tuple(dict.fromkeys(result.assumed)))
            barred_open = barred_open or (protection, result)
        elif result.covers and capped is None:
            capped = protection
    fallback = CAPPED if capped is not None else ALLOWED
    if barred_open is None and route == SHORT_SALE and capped is None:
        # no statutory bar: the lender may still waive the rest in the short-sale agreement
        return Outcome(route, DEPENDS, claim, False, capped, ("waiver",), tuple(dict.fromkeys(assumed)), fallback,
                       tuple(excluded))
    if barred_open is not None:
        protection, result = barred_open
        return Outcome(route, DEPENDS, claim, sold_out, protection, result.open_slots,
                       tuple(dict.fromkeys(assumed)), fallback, tuple(excluded))
    return Outcome(route, fallback, claim, sold_out, capped, assumed=tuple(dict.fromkeys(assumed)),
                   excluded=tuple(excluded))


def exposures(state: Any, scenario: Scenario) -> tuple:
    """A :class:`LienExposure` per lien of ``scenario`` in ``state`` (a repository ``StateLaw``)."""
    likely, other = routes(state)
    amounts = claims(scenario)
    result = []
    for lien in scenario.liens():
        claim = amounts.get(lien.position)
        result.append(LienExposure(
            lien=lien,
            shortfall=claim,
            likely=outcome(state, scenario, lien, likely, claim),
            other=outcome(state, scenario, lien, other, claim) if other else None,
            short_sale=outcome(state, scenario, lien, SHORT_SALE, claim),
        ))
    return tuple(result)


def deciding_slots(state: Any, scenario: Scenario) -> tuple:
    """The facts worth asking: open conditions of a protection that would bar a lien's claim on the
    state's usual route, for a lien that may have something to claim. Ordered as DECIDING_SLOTS."""
    wanted = set()
    for exposure in exposures(state, scenario):
        if exposure.likely.status == DEPENDS and exposure.likely.claim != 0:
            wanted.update(exposure.likely.open_slots)
    return tuple(slot for slot in DECIDING_SLOTS if slot in wanted)

"""Does one protection cover one lien? Three answers: yes, no, or "depends on what we weren't told".

A protection (``knowledge.repository.Protection``, SCHEMA.md "Protections") carries its own
conditions: occupancy, lien position, loan purpose, lender type, units, acreage and loan dates.
Each is checked against the scenario; a fact the user hasn't given leaves the condition open and
names the slot that would settle it, so the form can ask exactly the questions that decide the
answer. Pure: no Rasa, no I/O.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from knowledge.assessment.scenario import Lien, Scenario

# A home is taken to have one dwelling unit unless the user says otherwise (stated in the answer).
ASSUMED_UNITS = 1
# An acreage limit this large is assumed met when the lot size isn't known (most homes sit on well
# under an acre, stated in the answer); a smaller one (Arizona's 2.5 acres) is asked.
ASSUMED_LOT_LIMIT = 10.0
# A second mortgage or HELOC is taken to come from a bank, credit union or mortgage company.
ASSUMED_SECOND_LENDER = "institution"


@dataclass(frozen=True)
class Match:
    """``covers``: True, False or None (open). ``open_slots``: the scenario slots whose answer
    would settle an open condition; ``assumed``: facts we assumed (e.g. one dwelling unit);
    ``failed``: the slots whose known values rule the protection out."""

    covers: Optional[bool]
    open_slots: tuple = ()
    assumed: tuple = ()
    failed: tuple = ()


def _purpose_slot(lien: Lien) -> str:
    return "loan_purpose" if lien.position == "first" else "second_lien_purpose"


def _date_check(year: Optional[int], start: Optional[dt.date], end: Optional[dt.date]) -> Optional[bool]:
    """Whether a loan made in ``year`` falls in [start, end); None when the year straddles a bound."""
    if start is None and end is None:
        return True
    if year is None:
        return None
    first_day, last_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
    results = []
    if start is not None:
        results.append(True if first_day >= start else False if last_day < start else None)
    if end is not None:
        results.append(True if last_day < end else False if first_day >= end else None)
    if False in results:
        return False
    return None if None in results else True


def match(protection: Any, lien: Lien, scenario: Scenario) -> Match:
    """Check every condition of ``protection`` for ``lien`` of ``scenario``."""
    open_slots, assumed, failed = [], [], []
    verdicts = []

    def verdict(ok: Optional[bool], slot: str) -> None:
        verdicts.append(ok)
        if ok is False:
            failed.append(slot)

    def check(allowed: Optional[tuple], value: Optional[str], slot: str) -> None:
        if allowed is None:
            return
        if value is None:
            open_slots.append(slot)
            verdicts.append(None)
        else:
            verdict(value in allowed, slot)

    check(protection.lien_position, lien.position, "lien_position")
    check(protection.occupancy, scenario.occupancy, "occupancy")
    check(protection.loan_purpose, lien.purpose, _purpose_slot(lien))
    lender = lien.lender_type
    if lender is None and lien.position == "second" and protection.lender_type is not None:
        # seconds and HELOCs come from banks and credit unions (assumed, so not the user's own fact)
        assumed.append("second_lien_lender")
        verdicts.append(ASSUMED_SECOND_LENDER in protection.lender_type)
    else:
        check(protection.lender_type, lender, "lender_type")
    if protection.max_units is not None:
        units = scenario.dwelling_units
        if units is None:
            assumed.append("dwelling_units")
            units = ASSUMED_UNITS
        verdict(units <= protection.max_units, "dwelling_units")
    if protection.max_acres is not None:
        if scenario.lot_acres is None and protection.max_acres >= ASSUMED_LOT_LIMIT:
            assumed.append("lot_acres")
        elif scenario.lot_acres is None:
            open_slots.append("lot_acres")
            verdicts.append(None)
        else:
            verdict(scenario.lot_acres <= protection.max_acres, "lot_acres")
    if protection.loan_date_from is not None or protection.loan_date_before is not None:
        dated = _date_check(lien.year, protection.loan_date_from, protection.loan_date_before)
        year_slot = "loan_year" if lien.position == "first" else "second_lien_year"
        if dated is None:
            open_slots.append(year_slot)
        verdict(dated, year_slot)

    if False in verdicts:
        return Match(False, failed=tuple(failed))
    if None in verdicts:
        return Match(None, tuple(dict.fromkeys(open_slots)), tuple(assumed))
    return Match(True, (), tuple(assumed))

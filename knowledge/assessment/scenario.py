"""What the homeowner told us, as a :class:`Scenario`, and the liens on the home it implies.

Slot names and values are the conversation contract's (shared/spec/conversation-contract.md);
``None`` means not known (yet). Amounts are dollars. Pure: no Rasa, no I/O.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any, Mapping, Optional, Sequence

PAYMENT_STATUSES = ("current", "behind")
LOAN_PURPOSES = ("purchase", "refinance", "cash_out", "heloc")
SECOND_LIEN_PURPOSES = ("purchase", "other")
OCCUPANCIES = ("primary", "second_home", "investment")
GOALS = ("keep_home", "leave_home", "undecided")
LENDER_TYPES = ("institution", "seller", "private")

# a second lien's purpose in the terms of a protection's ``loan_purpose`` condition
_SECOND_PURPOSE_AS_LOAN = {"purchase": "purchase", "other": "heloc"}


def finite_number(value: Any) -> Optional[float]:
    """``value`` as a finite float (numbers or numeric strings), else None; booleans are not numbers."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _dollars(value: Any) -> Optional[float]:
    """An amount of dollars; a negative one is not an amount (None)."""
    number = finite_number(value)
    return number if number is None or number >= 0 else None


def _flag(value: Any) -> Optional[bool]:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text in ("true", "yes", "1") else False if text in ("false", "no", "0") else None


def _choice(value: Any, allowed: Sequence[str]) -> Optional[str]:
    return value if isinstance(value, str) and value in allowed else None


@dataclass(frozen=True)
class Lien:
    """One loan secured by the home. ``purpose`` is in a protection's terms (purchase, refinance,
    cash_out, heloc); ``year`` is the year it was made; None = not known."""

    position: str  # "first" | "second"
    balance: float  # dollars
    purpose: Optional[str] = None
    lender_type: Optional[str] = None
    year: Optional[int] = None


@dataclass(frozen=True)
class Scenario:
    """The scenario slots. ``loan_balance`` is all mortgage debt on the home (every lien added up);
    ``second_lien_balance`` is the part of it on a second mortgage or HELOC (0: none)."""

    us_state: Optional[str] = None
    home_value: Optional[float] = None
    loan_balance: Optional[float] = None
    second_lien_balance: Optional[float] = None
    second_lien_purpose: Optional[str] = None
    payment_status: Optional[str] = None
    months_behind: Optional[float] = None
    loan_purpose: Optional[str] = None
    occupancy: Optional[str] = None
    hardship: Optional[bool] = None
    goal: Optional[str] = None
    lot_acres: Optional[float] = None
    loan_year: Optional[float] = None
    lender_type: Optional[str] = None
    dwelling_units: Optional[float] = None

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> "Scenario":
        """Build from Rasa slot values; strings for numbers and booleans are tolerated, anything
        out of the contract's values becomes None. Never raises."""
        state = slots.get("us_state")
        return cls(
            us_state=state.upper() if isinstance(state, str) and state else None,
            home_value=_dollars(slots.get("home_value")),
            loan_balance=_dollars(slots.get("loan_balance")),
            second_lien_balance=_dollars(slots.get("second_lien_balance")),
            second_lien_purpose=_choice(slots.get("second_lien_purpose"), SECOND_LIEN_PURPOSES),
            payment_status=_choice(slots.get("payment_status"), PAYMENT_STATUSES),
            months_behind=finite_number(slots.get("months_behind")),
            loan_purpose=_choice(slots.get("loan_purpose"), LOAN_PURPOSES),
            occupancy=_choice(slots.get("occupancy"), OCCUPANCIES),
            hardship=_flag(slots.get("hardship")),
            goal=_choice(slots.get("goal"), GOALS),
            lot_acres=finite_number(slots.get("lot_acres")),
            loan_year=finite_number(slots.get("loan_year")),
            lender_type=_choice(slots.get("lender_type"), LENDER_TYPES),
            dwelling_units=finite_number(slots.get("dwelling_units")),
        )

    def as_slots(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def with_changes(self, **changes: Any) -> "Scenario":
        return replace(self, **changes)

    @property
    def is_behind(self) -> bool:
        return self.payment_status == "behind" or (self.months_behind or 0) > 0

    @property
    def lives_there(self) -> bool:
        """The home is (or may be, when not told) the borrower's principal residence."""
        return self.occupancy in (None, "primary")

    def changes_from(self, other: "Scenario") -> dict:
        """{slot: (old, new)} for every slot that differs from ``other``."""
        return {
            f.name: (getattr(other, f.name), getattr(self, f.name))
            for f in fields(self)
            if getattr(other, f.name) != getattr(self, f.name)
        }

    def liens(self) -> tuple:
        """The liens implied by the amounts: the first mortgage (the total minus any second) and a
        second when ``second_lien_balance`` > 0. Empty when nothing owed is known. A second larger
        than the total means the total was the first alone, so they are added."""
        total = self.loan_balance
        second = self.second_lien_balance or 0.0
        if total is None:
            return ()
        first = total - second if second < total else total
        year = int(self.loan_year) if self.loan_year is not None else None
        liens = [Lien("first", max(first, 0.0), self.loan_purpose, self.lender_type, year)]
        if second > 0:
            purpose = _SECOND_PURPOSE_AS_LOAN.get(self.second_lien_purpose or "")
            # a piggyback used to buy the home was made when the home was bought, with the first
            liens.append(Lien("second", second, purpose, None, year if purpose == "purchase" else None))
        return tuple(liens)

    @property
    def total_owed(self) -> Optional[float]:
        """All mortgage debt on the home, dollars (None when not known)."""
        liens = self.liens()
        return sum(lien.balance for lien in liens) if liens else None

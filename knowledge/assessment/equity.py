"""Where the homeowner stands: equity or the underwater amount on all liens together."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Equity:
    """Dollars, and loan-to-value in whole percent, over every lien on the home."""

    home_value: float
    owed: float
    underwater: float  # owed - home_value when > 0, else 0
    equity: float  # home_value - owed when > 0, else 0
    ltv_percent: int

    @property
    def is_underwater(self) -> bool:
        return self.underwater > 0


def equity(home_value: float, owed: float) -> Equity:
    """Equity of a home worth ``home_value`` dollars with ``owed`` dollars of liens on it (all of
    them: a first mortgage plus a HELOC is what a sale must pay off).

    Raises ValueError when ``home_value`` is not > 0 or ``owed`` is negative.
    """
    if home_value is None or home_value <= 0:
        raise ValueError("home_value must be a positive number of dollars")
    if owed is None or owed < 0:
        raise ValueError("owed must be zero or a positive number of dollars")
    gap = float(owed) - float(home_value)
    return Equity(
        home_value=float(home_value),
        owed=float(owed),
        underwater=max(gap, 0.0),
        equity=max(-gap, 0.0),
        ltv_percent=round(float(owed) / float(home_value) * 100),
    )

"""Short labels for the scenario's slots and values, used wherever a fact is said back.

Labels, not sentences: the sentences around them are domain responses (utter_scenario_noted,
utter_assessment_what_if, utter_condition_*).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping, Optional

from knowledge.vocabulary.amounts import format_usd

SLOT_LABELS = {
    "us_state": "state",
    "home_value": "home value",
    "loan_balance": "amount owed",
    "second_lien_balance": "second mortgage / HELOC",
    "second_lien_purpose": "second loan was for",
    "payment_status": "payments",
    "months_behind": "months behind",
    "loan_purpose": "loan type",
    "occupancy": "occupancy",
    "hardship": "hardship",
    "goal": "goal",
    "lot_acres": "lot",
    "loan_year": "loan year",
    "lender_type": "lender",
    "dwelling_units": "units",
}

VALUE_LABELS = {
    ("payment_status", "current"): "current",
    ("payment_status", "behind"): "behind",
    ("loan_purpose", "purchase"): "purchase loan",
    ("loan_purpose", "refinance"): "refinance",
    ("loan_purpose", "cash_out"): "cash-out refinance",
    ("loan_purpose", "heloc"): "HELOC / home-equity loan",
    ("second_lien_purpose", "purchase"): "buying the home",
    ("second_lien_purpose", "other"): "later borrowing",
    ("occupancy", "primary"): "your home",
    ("occupancy", "second_home"): "second home",
    ("occupancy", "investment"): "rental / investment",
    ("goal", "keep_home"): "keep the home",
    ("goal", "leave_home"): "leave the home",
    ("goal", "undecided"): "undecided",
    ("lender_type", "institution"): "bank, credit union or mortgage company",
    ("lender_type", "seller"): "the seller (seller financing)",
    ("lender_type", "private"): "a private lender",
}

# a protection's loan_purpose / lender_type values, as the condition phrases name them
PURPOSE_PHRASES = {
    "purchase": "a loan used to buy the home",
    "refinance": "a rate-and-term refinance",
    "cash_out": "a cash-out refinance",
    "heloc": "a HELOC or home-equity loan",
}
LENDER_PHRASES = {
    "institution": "a bank, credit union or mortgage company",
    "seller": "the seller (seller financing)",
    "private": "a private lender",
}
AMOUNT_SLOTS = ("home_value", "loan_balance", "second_lien_balance")


def _number(value: float) -> str:
    return f"{float(value):g}"


def describe_value(slot: str, value: Any, state_names: Optional[Mapping[str, str]] = None) -> str:
    """A slot value as said back: "$350,000", "3 months", "Arizona", "rental / investment"."""
    if value is None:
        return "unknown"
    if slot in AMOUNT_SLOTS:
        return format_usd(float(value))
    if slot == "months_behind":
        return f"{_number(value)} month" + ("" if float(value) == 1 else "s")
    if slot == "lot_acres":
        return f"{_number(value)} acre" + ("" if float(value) == 1 else "s")
    if slot in ("loan_year", "dwelling_units"):
        return _number(value)
    if slot == "hardship":
        return "yes" if value else "no"
    if slot == "us_state":
        return (state_names or {}).get(value, value)
    return VALUE_LABELS.get((slot, value), str(value))


def changes_text(changes: Mapping[str, tuple], state_names: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """"state Arizona instead of Texas, home value $400,000 instead of $300,000" (None if nothing)."""
    parts = [
        f"{SLOT_LABELS.get(slot, slot)} {describe_value(slot, new, state_names)} instead of "
        f"{describe_value(slot, old, state_names)}"
        for slot, (old, new) in changes.items()
        if old is not None and new is not None
    ]
    return ", ".join(parts) if parts else None


def either(phrases: Iterable[str]) -> str:
    """"a, b or c"."""
    items = list(phrases)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def dates_phrase(start: Optional[dt.date], end: Optional[dt.date]) -> str:
    """"on or after October 1, 2009" / "before January 1, 2013" / both."""
    def day(d: dt.date) -> str:
        return f"{d:%B} {d.day}, {d.year}"
    parts = []
    if start:
        parts.append(f"on or after {day(start)}")
    if end:
        parts.append(f"before {day(end)}")
    return " and ".join(parts)

"""The per-lien deficiency answer against a table of legal scenarios written from statutes and
decisions (tests/knowledge/legal_scenarios.yaml), not from the code: each row names the statute or
decision that decides it. The engine reads the real state files' protections."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from knowledge.assessment import Scenario
from knowledge.assessment.deficiency import SHORT_SALE, claims, outcome
from knowledge.schema import protection_from_mapping
from knowledge.settings import DATA_DIR

ROWS = yaml.safe_load((Path(__file__).parent / "legal_scenarios.yaml").read_text(encoding="utf-8"))


def _state(code: str) -> SimpleNamespace:
    data = yaml.safe_load((DATA_DIR / "states" / f"{code}.yaml").read_text(encoding="utf-8"))
    data["protections"] = tuple(protection_from_mapping(p) for p in data.get("protections") or ())
    return SimpleNamespace(**data)


def _scenario(row: dict) -> Scenario:
    first, second = row["first"], row.get("second") or {}
    return Scenario(
        us_state=row["state"],
        home_value=float(row["home_value"]),
        loan_balance=float(first["balance"] + second.get("balance", 0)),
        second_lien_balance=float(second.get("balance", 0)),
        second_lien_purpose=(None if not second else "purchase" if second.get("purpose") == "purchase" else "other"),
        loan_purpose=first.get("purpose"),
        occupancy=row["occupancy"],
        lot_acres=row.get("acres"),
        loan_year=first.get("year"),
        lender_type=first.get("lender_type"),
        dwelling_units=row.get("units", 1),
    )


def test_the_table_is_big_enough_and_cites_the_law():
    assert len(ROWS) >= 60
    named = {"CA", "AZ", "OR", "WA", "NV", "MN", "TX", "HI", "NC", "FL", "GA"}
    states = {row["state"] for row in ROWS}
    assert named <= states and len(states - named) >= 15
    assert all(row.get("cite") and row.get("why") for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_each_lien_gets_the_answer_the_law_gives(row):
    state = _state(row["state"])
    scenario = _scenario(row)
    amounts = claims(scenario)
    route = row["route"]
    for lien in scenario.liens():
        result = outcome(state, scenario, lien, SHORT_SALE if route == "short_sale" else route, amounts[lien.position])
        expected = row["expect"][lien.position]
        assert result.status == expected, (
            f"{lien.position}: got {result.status} under "
            f"{result.protection.key if result.protection else 'no protection'}; the table says {expected} "
            f"({row['cite']})"
        )
        if "claim" in row and lien.position in row["claim"]:
            assert result.claim == pytest.approx(row["claim"][lien.position])

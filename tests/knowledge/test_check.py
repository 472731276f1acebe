"""knowledge.check on the real data files and on broken copies of the fixture data (conftest.py)."""
from __future__ import annotations

import shutil
import subprocess
import sys

import yaml

from knowledge.__main__ import main as cli
from knowledge.check import check
from knowledge.schema import PROTECTION_EFFECTS
from knowledge.settings import REPO_ROOT

EFFECTS = ", ".join(PROTECTION_EFFECTS)


def _edit(path, change):
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_real_data_passes():
    assert check() == []


def test_copy_passes(data_copy):
    assert check(data_copy) == []


def test_missing_field(data_copy):
    _edit(data_copy / "states" / "TX.yaml", lambda r: r.pop("redemption_summary"))
    assert check(data_copy) == ["states/TX.yaml: missing field 'redemption_summary'"]


def test_bad_enum_and_types(data_copy):
    def change(r):
        r["recourse_category"] = "walkaway"
        r["max_units"] = "four"
        r["heloc_protected"] = "maybe"

    _edit(data_copy / "states" / "OR.yaml", change)
    problems = check(data_copy)
    assert any("OR.yaml: field 'recourse_category' must be one of" in p for p in problems)
    assert any("OR.yaml: field 'max_units'" in p for p in problems)
    assert any("OR.yaml: field 'heloc_protected'" in p for p in problems)
    assert len(problems) == 3


def test_fifty_files(data_copy):
    (data_copy / "states" / "WY.yaml").unlink()
    problems = check(data_copy)
    assert "states: expected exactly 51 files (50 states and DC), found 50" in problems
    assert "states: no file for WY" in problems


def test_no_source_and_no_review_date(data_copy):
    _edit(data_copy / "states" / "FL.yaml", lambda r: r.update(sources=[]))
    _edit(data_copy / "states" / "NY.yaml", lambda r: r.pop("last_reviewed"))
    _edit(data_copy / "states" / "CA.yaml", lambda r: r.update(sources=["see Nolo"]))
    problems = check(data_copy)
    assert "states/FL.yaml: field 'sources' must be a non-empty list of source URLs" in problems
    assert "states/NY.yaml: missing field 'last_reviewed'" in problems
    assert any(p.startswith("states/CA.yaml: field 'sources' has entries that are not http(s) URLs") for p in problems)


def test_code_must_match_file_name_and_state(data_copy):
    shutil.copy(data_copy / "states" / "TX.yaml", data_copy / "states" / "XX.yaml")
    _edit(data_copy / "states" / "OH.yaml", lambda r: r.update(code="OK"))
    problems = check(data_copy)
    assert "states/XX.yaml: 'XX' is not a USPS code of a state or DC" in problems
    assert "states/XX.yaml: code 'TX' does not match the file name" in problems
    assert "states/OH.yaml: code 'OK' does not match the file name" in problems


def test_inconsistent_and_unreadable_records(data_copy):
    _edit(data_copy / "states" / "CA.yaml", lambda r: r.update(deficiency_allowed="yes"))
    _edit(data_copy / "states" / "NJ.yaml", lambda r: r.update(timeline_months_min=9, timeline_months_max=3, extra=1))
    (data_copy / "states" / "GA.yaml").write_text("code: GA\nname: [unclosed\n", encoding="utf-8")
    problems = check(data_copy)
    assert any("CA.yaml: recourse_category non_recourse contradicts deficiency_allowed 'yes'" in p for p in problems)
    assert any("NJ.yaml: timeline_months_min 9 is greater than" in p for p in problems)
    assert "states/NJ.yaml: unknown field 'extra'" in problems
    assert any(p.startswith("states/GA.yaml: cannot read YAML") for p in problems)


def test_alternatives_and_resources_are_checked(data_copy):
    def break_alternatives(data):
        data["alternatives"][0].pop("sources")
        data["alternatives"][4]["deficiency_effect"] = "gone"
        data["alternatives"][4]["waiting_periods"]["freddie"] = {"years": 4}
        data["facts"][0]["status"] = "maybe"

    def break_resources(data):
        data["resources"][0]["kind"] = "hotline"
        data["resources"][1]["last_reviewed"] = "yesterday"

    _edit(data_copy / "alternatives.yaml", break_alternatives)
    _edit(data_copy / "resources.yaml", break_resources)
    problems = check(data_copy)
    assert "alternatives.yaml: alternatives[0] (refinance): missing field 'sources'" in problems
    assert any("(short_sale): field 'deficiency_effect' must be one of" in p for p in problems)
    assert any("waiting_periods has unknown agency 'freddie'" in p for p in problems)
    assert any("facts[0] (qpri_exclusion): field 'status'" in p for p in problems)
    assert any("resources[0] (hud_counselor): field 'kind'" in p for p in problems)
    assert any("resources[1] (cfpb): field 'last_reviewed' must be a date" in p for p in problems)


def test_missing_files(tmp_path):
    problems = check(tmp_path)
    assert problems == [
        f"{tmp_path / 'states'}: directory of state files is missing",
        "alternatives.yaml: file is missing",
        "resources.yaml: file is missing",
    ]


# -- protections ------------------------------------------------------------------------------------
def _edit_protections(data_copy, code, change):
    _edit(data_copy / "states" / f"{code}.yaml", lambda r: change(r["protections"]))


def test_protections_required(data_copy):
    _edit(data_copy / "states" / "AL.yaml", lambda r: r.pop("protections"))
    _edit(data_copy / "states" / "TX.yaml", lambda r: r.update(protections={"fair_value_cap": "yes"}))
    assert check(data_copy) == [
        "states/AL.yaml: missing field 'protections'",
        "states/TX.yaml: field 'protections' must be a list of protections (may be empty)",
    ]


def test_protection_without_conditions_or_sources(data_copy, capsys):
    def change(protections):
        protections[0].pop("conditions")
        protections[1]["sources"] = []
        protections[2].pop("sources")

    _edit_protections(data_copy, "CA", change)
    assert check(data_copy) == [
        "states/CA.yaml: protections[0] (purchase_money): missing field 'conditions'",
        "states/CA.yaml: protections[1] (trustee_sale_bar): field 'sources' must be a non-empty list of source URLs",
        "states/CA.yaml: protections[2] (short_sale_bar): missing field 'sources'",
    ]
    assert cli(["--data-dir", str(data_copy), "check"]) == 1
    assert "protections[0] (purchase_money): missing field 'conditions'" in capsys.readouterr().err


def test_python_m_knowledge_check_rejects_a_protection_without_conditions(data_copy):
    _edit_protections(data_copy, "TX", lambda ps: ps[0].pop("conditions"))
    run = subprocess.run(
        [sys.executable, "-m", "knowledge", "--data-dir", str(data_copy), "check"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1
    assert "states/TX.yaml: protections[0] (fair_value_cap): missing field 'conditions'" in run.stderr


def test_protection_fields_and_conditions(data_copy):
    def change(protections):
        first, second, third, fourth = protections
        first["effect"] = "reduced"
        first["statute"] = ""
        first["extra"] = 1
        second["conditions"].pop("lender_type")
        second["conditions"]["occupancy"] = ["renter"]
        second["conditions"]["lien_position"] = []
        second["conditions"]["color"] = "red"
        third["summary"] = "  "
        third["conditions"]["loan_date_before"] = "2010-12-31"
        fourth["key"] = "purchase_money"
        fourth["route"] = "trustee"
        fourth["decisions"] = None

    _edit_protections(data_copy, "CA", change)
    problems = check(data_copy)
    at = "states/CA.yaml: protections"
    assert problems == [
        f"{at}[0] (purchase_money): unknown field 'extra'",
        f"{at}[0] (purchase_money): field 'effect' must be one of {EFFECTS} (got 'reduced')",
        f"{at}[0] (purchase_money): field 'statute' must be a non-empty string",
        f"{at}[1] (trustee_sale_bar): conditions: missing field 'lender_type'",
        f"{at}[1] (trustee_sale_bar): conditions: unknown field 'color'",
        f"{at}[1] (trustee_sale_bar): conditions: field 'occupancy' must be 'any' or a list of primary, second_home, "
        "investment without repeats (got ['renter'])",
        f"{at}[1] (trustee_sale_bar): conditions: field 'lien_position' must be 'any' or a list of first, second "
        "without repeats (got [])",
        f"{at}[2] (short_sale_bar): field 'summary' must be a non-empty string",
        f"{at}[2] (short_sale_bar): conditions: loan_date_from 2011-01-01 is not before loan_date_before 2010-12-31",
        f"{at}[3] (purchase_money): field 'route' must be one of nonjudicial, judicial, any, short_sale (got 'trustee')",
        f"{at}[3] (purchase_money): field 'decisions' is null",
        f"{at}[3] (purchase_money): duplicate key 'purchase_money'",
    ]


def test_condition_values_that_pass(data_copy, make_protection):
    conditions = {
        "occupancy": ["primary", "second_home"], "lien_position": ["first"],
        "loan_purpose": ["purchase", "refinance"], "lender_type": ["seller"], "max_units": 2, "max_acres": 2.5,
        "loan_date_from": "1990-01-01", "loan_date_before": "2020-06-30", "unchecked": ["same lender, same day"],
    }
    _edit_protections(data_copy, "TX", lambda ps: ps.append(make_protection("seller_bar", "barred", "any", "any", conditions=conditions)))
    assert check(data_copy) == []


def test_cross_checks_with_the_summary_flags(data_copy, make_protection):
    at = "states/{}.yaml: "
    # CA: trustee's-sale flag without a nonjudicial bar, fair-value flag without a cap
    _edit_protections(data_copy, "CA", lambda ps: [ps.remove(p) for p in ps[:] if p["key"] in ("trustee_sale_bar", "fair_value_cap")])
    # TX: fair_value_limit true, empty list
    _edit_protections(data_copy, "TX", lambda ps: ps.clear())
    # IA: deficiency "limited", empty list; AL: "yes" and no fair-value cap, empty list is fine
    _edit_protections(data_copy, "IA", lambda ps: ps.clear())
    _edit_protections(data_copy, "AL", lambda ps: ps.clear())
    # NV: deficiency "no" with only a cap
    _edit(
        data_copy / "states" / "NV.yaml",
        lambda r: r.update(deficiency_allowed="no", protections=[make_protection("fair_value_cap", "capped", "any")]),
    )
    assert check(data_copy) == [
        at.format("CA") + "nonjudicial_sale_bars_deficiency is true but no barred protection has route nonjudicial",
        at.format("CA") + "fair_value_limit is true but no protection has effect capped",
        at.format("IA") + "protections is empty, allowed only where deficiency_allowed is 'yes' and fair_value_limit is false",
        at.format("NV") + "deficiency_allowed is 'no' but no protection has effect barred",
        at.format("TX") + "fair_value_limit is true but no protection has effect capped",
        at.format("TX") + "protections is empty, allowed only where deficiency_allowed is 'yes' and fair_value_limit is false",
    ]


def test_cross_checks_wait_for_valid_protections(data_copy):
    _edit_protections(data_copy, "TX", lambda ps: ps[0].update(effect="capped!"))
    assert check(data_copy) == [
        f"states/TX.yaml: protections[0] (fair_value_cap): field 'effect' must be one of {EFFECTS} (got 'capped!')"
    ]

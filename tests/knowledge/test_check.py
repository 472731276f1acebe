"""knowledge.check on the real data files and on broken copies."""
from __future__ import annotations

import shutil

import pytest
import yaml

from knowledge.check import check
from knowledge.settings import DATA_DIR


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.md"))
    return target


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

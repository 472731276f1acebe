"""KnowledgeRepository over an in-memory SQLite DB built by the real loader from the fixture data
(the real data files plus fixed/placeholder protections, see conftest.py)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest
import yaml

from knowledge import check, models, schema, settings
from knowledge.__main__ import main as cli
from knowledge.loader import DataProblems, build, make_engine
from knowledge.repository import (
    Alternative,
    HelpResource,
    KnowledgeRepository,
    KnowledgeUnavailable,
    Protection,
    StateLaw,
    protection_from_mapping,
)
from knowledge.vocabulary import states as vocab

NON_RECOURSE = {"CA", "AZ", "AK", "WA", "OR", "MN", "MT", "ND"}


def test_every_jurisdiction_loads(repo):
    laws = repo.states()
    assert [law.code for law in laws] == sorted(vocab.STATES, key=vocab.name)
    assert len(laws) == 51
    for law in laws:
        assert isinstance(law, StateLaw)
        assert law.name == vocab.name(law.code)
        assert law.sources and all(url.startswith("http") for url in law.sources)
        assert isinstance(law.last_reviewed, dt.date)
        assert isinstance(law.key_statutes, tuple) and isinstance(law.unconfirmed, tuple)


def test_state_lookup_normalizes_and_rejects(repo):
    assert repo.state("tx").code == "TX"
    assert repo.state(" dc ").name == "District of Columbia"
    for bad in ("", "Narnia", "XX", "T", None, "1A"):
        assert repo.state(bad) is None


@pytest.mark.parametrize("code", sorted(NON_RECOURSE))
def test_non_recourse_states(repo, code):
    law = repo.state(code)
    assert law.recourse_category == "non_recourse"
    assert law.non_recourse
    assert law.deficiency_allowed in ("limited", "no")


def test_non_recourse_conditions(repo):
    ca, az, ak, wa, orr, mn, mt, nd = (repo.state(c) for c in ("CA", "AZ", "AK", "WA", "OR", "MN", "MT", "ND"))
    # California: 580d (trustee's sale), 580b (purchase money, owner-occupied 1-4 units), 580e (short sale)
    assert ca.nonjudicial_sale_bars_deficiency and ca.purchase_money_protected and ca.short_sale_bars_deficiency
    assert ca.max_units == 4 and ca.owner_occupied_required
    # Arizona: trustee's sale of a 1-2 family dwelling on 2.5 acres or less
    assert az.nonjudicial_sale_bars_deficiency and az.acreage_limit == 2.5 and az.max_units == 2
    # Alaska, Washington: a trustee's sale ends liability; a court foreclosure may not
    assert ak.nonjudicial_sale_bars_deficiency and not ak.purchase_money_protected and ak.confidence == "medium"
    assert wa.nonjudicial_sale_bars_deficiency and not wa.purchase_money_protected
    # Oregon: trustee's sale, and court foreclosure of residential 1-4 units
    assert orr.nonjudicial_sale_bars_deficiency and orr.max_units == 4
    # Minnesota: foreclosure by advertisement with the 6-month redemption period
    assert mn.nonjudicial_sale_bars_deficiency and mn.redemption_months == 6
    # Montana: Small Tract Financing Act (up to 40 acres) and purchase-money mortgages
    assert mt.nonjudicial_sale_bars_deficiency and mt.purchase_money_protected and mt.acreage_limit == 40
    # North Dakota: judicial, owner-occupied homestead of up to 4 units on up to 40 acres
    assert nd.foreclosure_process == "judicial" and not nd.nonjudicial_sale_bars_deficiency
    assert nd.owner_occupied_required and nd.max_units == 4 and nd.acreage_limit == 40


@pytest.mark.parametrize(
    "code, deadline_months, process",
    [("TX", 24, "nonjudicial"), ("FL", 12, "judicial"), ("NY", 3, "judicial")],
)
def test_recourse_states_with_fair_value_limit_and_deadline(repo, code, deadline_months, process):
    law = repo.state(code)
    assert law.recourse_category in ("recourse", "recourse_limited")
    assert not law.non_recourse
    assert law.deficiency_allowed == "yes"
    assert law.fair_value_limit is True and "fair market value" in law.fair_value_summary
    assert law.deficiency_deadline_months == deadline_months
    assert law.foreclosure_process == process


def test_states_filter_by_recourse(repo):
    assert {law.code for law in repo.states("non_recourse")} == NON_RECOURSE
    assert {law.code for law in repo.states("non_recourse_any")} == NON_RECOURSE | {"NV"}
    recourse = {law.code for law in repo.states(["recourse", "recourse_limited"])}
    assert {"TX", "FL", "NY"} <= recourse and not recourse & NON_RECOURSE
    assert len(recourse) + len(repo.states("non_recourse_any")) == 51
    with pytest.raises(ValueError):
        repo.states("walkaway")


def test_alternatives(repo):
    alternatives = repo.alternatives()
    assert [a.key for a in alternatives] == [
        "refinance", "loan_modification", "forbearance", "repayment_plan", "short_sale", "deed_in_lieu",
        "cash_for_keys", "bankruptcy_ch7", "bankruptcy_ch13", "rent_out", "keep_paying", "sell", "foreclosure",
    ]
    for alt in alternatives:
        assert isinstance(alt, Alternative) and alt.sources and alt.last_reviewed >= dt.date(2026, 11, 28)
    assert [a.key for a in repo.alternatives(entity_value="bankruptcy")] == ["bankruptcy_ch7", "bankruptcy_ch13"]
    assert repo.alternative("nope") is None

    foreclosure = repo.alternative("foreclosure")
    assert foreclosure.deficiency_effect == "state_law" and foreclosure.credit_report_years == 7
    assert foreclosure.fico.range_for(780) == (620, 640) and foreclosure.fico.range_for(680) == (575, 595)
    fannie = foreclosure.waiting_period("fannie_mae")
    assert (fannie.years, fannie.with_ec_years) == (7, 3)
    assert foreclosure.waiting_period("fha").years == 3
    assert [w.agency for w in foreclosure.waiting_periods] == ["fannie_mae", "freddie_mac", "fha", "va", "usda"]
    assert foreclosure.tax_uncertain

    short_sale = repo.alternative("short_sale")
    assert short_sale.requires_lender_approval and short_sale.deficiency_effect == "waiver_needed"
    assert (short_sale.waiting_period("fannie_mae").years, short_sale.waiting_period("fannie_mae").with_ec_years) == (4, 2)
    assert repo.alternative("refinance").requires_current is True
    assert repo.alternative("refinance").waiting_periods == ()
    assert repo.alternative("bankruptcy_ch7").credit_report_years == 10
    assert repo.alternative("bankruptcy_ch7").fico.range_for(720) == (525, 545)


def test_uncertain_facts_are_flagged(repo):
    qpri = repo.fact("qpri_exclusion")
    assert qpri.status == "uncertain" and qpri.uncertain and "2026" in qpri.statement
    assert repo.fact("federal_120_day_rule").status == "confirmed"
    assert repo.fact("missing") is None
    assert {f.key for f in repo.facts()} >= {"qpri_exclusion", "federal_120_day_rule"}


def test_resources(repo):
    resources = repo.resources()
    assert all(isinstance(r, HelpResource) and r.sources for r in resources)
    hud = resources[0]
    assert hud.key == "hud_counselor" and hud.phone == "800-569-4287" and hud.cost == "free"
    assert hud.uncertain  # single-source phone number is flagged
    assert repo.resource("cfpb").phone == "855-411-2372"
    assert repo.resource("lawyer_referral").kind == "legal"


def test_build_is_idempotent(empty_kb_url, kb_data_dir):
    url = empty_kb_url
    first = build(url, kb_data_dir)
    second = build(url, kb_data_dir)
    assert first == second and first.states == 51
    repo = KnowledgeRepository(url=url)
    assert len(repo.states()) == 51 and repo.build_info()["states"] == 51


def test_strict_build_refuses_broken_data(tmp_path):
    (tmp_path / "states").mkdir()
    with pytest.raises(DataProblems) as info:
        build(make_engine("sqlite://"), tmp_path)
    assert any("expected exactly 51" in p for p in info.value.problems)


def test_missing_db_file_is_unavailable_and_not_created(tmp_path, monkeypatch):
    path = tmp_path / "absent.sqlite3"
    monkeypatch.setenv("KNOWLEDGE_DB_URL", f"sqlite:///{path}")
    repo = KnowledgeRepository.from_env()  # no DB work at construction
    with pytest.raises(KnowledgeUnavailable):
        repo.state("TX")
    assert not path.exists()


def test_db_without_tables_is_unavailable(tmp_path):
    path = tmp_path / "empty.sqlite3"
    sqlite3.connect(path).close()
    repo = KnowledgeRepository(url=f"sqlite:///{path}")
    with pytest.raises(KnowledgeUnavailable) as info:
        repo.states()
    assert info.value.__cause__ is not None


def test_settings_resolve_relative_sqlite_against_repo_root(monkeypatch):
    monkeypatch.delenv("KNOWLEDGE_DB_URL", raising=False)
    assert settings.knowledge_db_url() == f"sqlite:///{settings.REPO_ROOT / 'build' / 'knowledge.sqlite3'}"
    monkeypatch.setenv("KNOWLEDGE_DB_URL", "sqlite:///var/kb.db")
    assert settings.knowledge_db_url() == f"sqlite:///{settings.REPO_ROOT / 'var' / 'kb.db'}"
    monkeypatch.setenv("KNOWLEDGE_DB_URL", "postgresql://kb@db.example/kb")
    assert settings.knowledge_db_url() == "postgresql://kb@db.example/kb"


def test_cli(tmp_path, capsys, kb_data_dir, empty_kb_url):
    url = empty_kb_url
    assert cli(["--url", url, "show", "TX"]) == 2  # not built yet
    assert cli(["--url", url, "--data-dir", str(kb_data_dir), "build"]) == 0
    assert cli(["--url", url, "list", "--non-recourse"]) == 0
    listed = capsys.readouterr().out
    assert "CA  California" in listed and "NV  Nevada" in listed and "TX  Texas" not in listed
    assert cli(["--url", url, "show", "tx"]) == 0
    assert "Texas (TX)" in capsys.readouterr().out
    assert cli(["--url", url, "show", "Narnia"]) == 1
    assert cli(["--data-dir", str(kb_data_dir), "check"]) == 0
    assert cli(["--data-dir", str(tmp_path), "check"]) == 1


# -- the schema, written once ---------------------------------------------------------------------
def test_checker_table_columns_and_dataclass_follow_the_schema():
    names = list(schema.STATE_FIELDS)
    assert "protections" in names and check.STATE_FIELDS is schema.STATE_FIELDS
    assert check.RECOURSE_CATEGORIES == schema.RECOURSE_CATEGORIES
    assert [f.name for f in dataclasses.fields(StateLaw)] == names
    table = models.StateRow.__table__
    assert table.name == "state_law" and [c.name for c in table.primary_key] == ["code"]
    assert [c.name for c in table.columns] == names
    for name, field in schema.STATE_FIELDS.items():
        assert table.columns[name].nullable is field.nullable, name
        assert field.doc
    assert table.columns["recourse_category"].index and table.columns["name"].unique


def test_state_law_is_frozen_with_tuples_and_dates(repo):
    law = repo.state("OR")
    with pytest.raises(dataclasses.FrozenInstanceError):
        law.name = "Oregano"
    assert law.non_recourse and isinstance(law.last_reviewed, dt.date) and type(law.last_reviewed) is dt.date
    assert isinstance(law.protections, tuple) and all(isinstance(p, Protection) for p in law.protections)
    assert law == repo.state("OR") and hash(law.protections)


# -- protections ----------------------------------------------------------------------------------------
def test_protections_round_trip(repo):
    ca = repo.state("CA")
    assert [p.key for p in ca.protections] == ["purchase_money", "trustee_sale_bar", "short_sale_bar", "fair_value_cap"]
    pm = ca.protection("purchase_money")
    assert (pm.effect, pm.route, pm.lender) == ("barred", "any", "any")
    assert pm.occupancy == ("primary",) and pm.loan_purpose == ("purchase",) and pm.max_units == 4
    assert pm.lien_position is None and pm.lender_type is None and pm.max_acres is None
    assert pm.statute == "Cal. Civ. Proc. Code §580b(a)(3)" and pm.sources[0].endswith("580b.")
    bar = ca.protection("trustee_sale_bar")
    assert (bar.route, bar.lender, bar.occupancy) == ("nonjudicial", "foreclosing", None)
    assert bar.decisions == ("Roseleaf v. Chierighino, 59 Cal. 2d 35 (1963)",) and bar.uncertain == ()
    short = ca.protection("short_sale_bar")
    assert short.loan_date_from == dt.date(2011, 1, 1) and short.loan_date_before is None
    assert short.unchecked == ("the lender approved the sale",) and short.uncertain
    assert ca.protection("fair_value_cap").max_acres == 2.5 and ca.protection("nope") is None
    assert [(p.key, p.effect) for p in repo.state("TX").protections] == [("fair_value_cap", "capped")]


def test_every_state_has_consistent_protections(repo):
    for law in repo.states():
        barred = [p for p in law.protections if p.effect == "barred"]
        if law.nonjudicial_sale_bars_deficiency:
            assert any(p.route == "nonjudicial" for p in barred), law.code
        if law.fair_value_limit:
            assert any(p.effect == "capped" for p in law.protections), law.code
        if not law.protections:
            assert law.deficiency_allowed == "yes" and not law.fair_value_limit, law.code


def test_non_strict_build_loads_states_without_protections(data_copy):
    data = data_copy
    path = data / "states" / "AZ.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record.pop("protections")
    path.write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")
    engine = make_engine("sqlite://")
    with pytest.raises(DataProblems) as info:
        build(engine, data)
    assert info.value.problems == ["states/AZ.yaml: missing field 'protections'"]
    build(engine, data, strict=False)
    assert KnowledgeRepository(engine).state("AZ").protections == ()


def test_protection_from_mapping_flattens_conditions():
    p = protection_from_mapping(
        {
            "key": "purchase_money", "name": "the purchase-money rule", "effect": "barred", "route": "any",
            "lender": "any", "statute": "§580b", "summary": "s", "sources": ["https://example.org"],
            "decisions": [], "uncertain": ["u"],
            "conditions": {
                "occupancy": ["primary"], "lien_position": "any", "loan_purpose": ["purchase", "heloc"],
                "lender_type": "any", "max_units": 4, "max_acres": 40, "loan_date_from": dt.date(1990, 1, 1),
                "loan_date_before": "2020-01-01", "unchecked": ["same lender"],
            },
        }
    )
    assert p == Protection(
        key="purchase_money", name="the purchase-money rule", effect="barred", route="any", lender="any",
        occupancy=("primary",), lien_position=None, loan_purpose=("purchase", "heloc"), lender_type=None,
        max_units=4, max_acres=40.0, loan_date_from=dt.date(1990, 1, 1), loan_date_before=dt.date(2020, 1, 1),
        unchecked=("same lender",), statute="§580b", summary="s", sources=("https://example.org",),
        decisions=(), uncertain=("u",),
    )
    assert isinstance(p.max_acres, float)


def test_protection_from_mapping_defaults_and_errors():
    p = protection_from_mapping({"key": "bar", "name": "the bar", "effect": "barred", "route": "nonjudicial", "lender": "foreclosing"})
    assert (p.occupancy, p.max_units, p.loan_date_from, p.unchecked, p.sources, p.statute) == (None, None, None, (), (), "")
    base = {"key": "bar", "name": "the bar", "effect": "barred", "route": "any", "lender": "any"}
    for bad in (
        {k: v for k, v in base.items() if k != "route"},
        {**base, "effect": "reduced"},
        {**base, "extra": 1},
        {**base, "conditions": {"occupancy": ["renter"]}},
        {**base, "conditions": {"occupancy": "primary"}},
        {**base, "conditions": {"colour": "red"}},
        {**base, "conditions": {"loan_date_from": "soon"}},
    ):
        with pytest.raises(ValueError):
            protection_from_mapping(bad)

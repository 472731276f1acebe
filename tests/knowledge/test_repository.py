"""KnowledgeRepository over an in-memory SQLite DB built by the real loader from the real data files."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from knowledge import settings
from knowledge.__main__ import main as cli
from knowledge.loader import DataProblems, build, make_engine
from knowledge.repository import (
    Alternative,
    HelpResource,
    KnowledgeRepository,
    KnowledgeUnavailable,
    StateLaw,
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
        "cash_for_keys", "bankruptcy_ch7", "bankruptcy_ch13", "rent_out", "sell", "foreclosure",
    ]
    for alt in alternatives:
        assert isinstance(alt, Alternative) and alt.sources and alt.last_reviewed == dt.date(2026, 11, 28)
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


def test_build_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    first = build(url)
    second = build(url)
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


def test_cli(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert cli(["--url", url, "show", "TX"]) == 2  # not built yet
    assert cli(["--url", url, "build"]) == 0
    assert cli(["--url", url, "list", "--non-recourse"]) == 0
    listed = capsys.readouterr().out
    assert "CA  California" in listed and "NV  Nevada" in listed and "TX  Texas" not in listed
    assert cli(["--url", url, "show", "tx"]) == 0
    assert "Texas (TX)" in capsys.readouterr().out
    assert cli(["--url", url, "show", "Narnia"]) == 1
    assert cli(["check"]) == 0
    assert cli(["--data-dir", str(tmp_path), "check"]) == 1

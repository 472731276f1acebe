"""knowledge.assessment over the real knowledge base (in-memory SQLite built by the real loader)."""
from __future__ import annotations

import itertools

import pytest

from knowledge import assessment as a
from knowledge.assessment import Scenario
from knowledge.loader import build, make_engine
from knowledge.repository import KnowledgeRepository


@pytest.fixture(scope="module")
def repo():
    engine = make_engine("sqlite://")
    build(engine)
    yield KnowledgeRepository(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def alternatives(repo):
    return repo.alternatives()


@pytest.fixture(scope="module")
def fico(repo):
    return repo.fico_impacts()


def run(repo, alternatives, fico, **slots) -> a.Assessment:
    scenario = Scenario(**slots)
    return a.assess(scenario, repo.state(scenario.us_state), alternatives, fico)


def keys(result: a.Assessment) -> list:
    return [o.key for o in result.options]


# --- equity ------------------------------------------------------------------------------------


def test_equity_underwater_dollars_and_ltv():
    eq = a.equity(420_000, 510_000)
    assert eq.is_underwater
    assert eq.underwater == 90_000
    assert eq.equity == 0
    assert eq.ltv_percent == 121


def test_equity_with_equity_and_paid_off_home():
    eq = a.equity(400_000, 300_000)
    assert not eq.is_underwater and eq.equity == 100_000 and eq.ltv_percent == 75
    assert a.equity(250_000, 0).ltv_percent == 0


@pytest.mark.parametrize("value,balance", [(0, 100), (-1, 100), (100, -5)])
def test_equity_rejects_impossible_numbers(value, balance):
    with pytest.raises(ValueError):
        a.equity(value, balance)


# --- scenarios across states ---------------------------------------------------------------------


def test_oregon_purchase_loan_leaving_is_protected(repo, alternatives, fico):
    r = run(repo, alternatives, fico, us_state="OR", home_value=420_000, loan_balance=510_000,
            payment_status="current", months_behind=0, loan_purpose="purchase", occupancy="primary",
            hardship=False, goal="leave_home")
    assert r.state_name == "Oregon"
    assert r.equity.underwater == 90_000 and r.equity.ltv_percent == 121
    assert r.exposure.status == a.BARRED
    assert not r.exposure.lender_can_pursue
    assert "ORS 86.797" in r.exposure.statutes
    assert keys(r)[0] == "short_sale"
    assert keys(r)[-1] == "foreclosure"
    text = a.deficiency_text(r.exposure)
    assert "$90,000" in text and "Very unlikely" in text
    assert any("non-recourse" in line for line in r.consequences)  # the tax note for a barred deficiency
    assert "800-569-4287" in a.next_steps_text(r)
    assert "Oregon real-estate attorney" in a.next_steps_text(r)
    assert r.reviewed and r.reviewed.startswith("20")


def test_texas_purchase_loan_behind_with_hardship_keeping_home(repo, alternatives, fico):
    r = run(repo, alternatives, fico, us_state="TX", home_value=200_000, loan_balance=260_000,
            payment_status="behind", months_behind=2, loan_purpose="purchase", occupancy="primary",
            hardship=True, goal="keep_home")
    assert r.equity.underwater == 60_000 and r.equity.ltv_percent == 130
    assert r.exposure.status == a.CAPPED  # recourse, capped by fair market value
    assert r.exposure.lender_can_pursue
    assert r.exposure.deadline_months == 24
    details = "\n".join(a.deficiency_details(r.exposure))
    assert "Deadline" in details and "Cap" in details
    assert keys(r)[0] == "loan_modification"
    assert "foreclosure" == keys(r)[-1]
    assert any("1099-C" in line for line in r.consequences)
    assert any("30+ days late" in line for line in r.consequences)
    assert any("bankruptcy attorney" in s for s in r.next_steps)


def test_texas_home_equity_loan_is_protected_only_when_lived_in(repo, alternatives, fico):
    base = dict(us_state="TX", home_value=200_000, loan_balance=260_000, payment_status="current",
                months_behind=0, loan_purpose="heloc", hardship=False, goal="leave_home")
    lived_in = run(repo, alternatives, fico, occupancy="primary", **base)
    rental = run(repo, alternatives, fico, occupancy="investment", **base)
    assert lived_in.exposure.status == a.BARRED
    assert rental.exposure.status == a.CAPPED
    assert any("only to a home you live in" in c for c in rental.exposure.caveats)


def test_washington_bars_deficiency_after_the_usual_trustee_sale(repo, alternatives, fico):
    r = run(repo, alternatives, fico, us_state="WA", home_value=300_000, loan_balance=380_000,
            payment_status="current", months_behind=0, loan_purpose="refinance", occupancy="primary",
            hardship=False, goal="undecided")
    assert r.exposure.status == a.BARRED_USUAL
    assert any("court foreclosure" in c for c in r.exposure.caveats)
    assert keys(r)[0] != "foreclosure" and keys(r)[-1] == "foreclosure"
    # judicial foreclosure asked about explicitly: the trustee's-sale bar doesn't help
    judicial = a.deficiency_exposure(repo.state("WA"), r.scenario, process="judicial")
    assert judicial.lender_can_pursue


def test_ohio_recourse_without_cap_states_the_dollars(repo, alternatives, fico):
    r = run(repo, alternatives, fico, us_state="OH", home_value=150_000, loan_balance=190_000,
            payment_status="behind", months_behind=5, loan_purpose="purchase", occupancy="primary",
            hardship=True, goal="leave_home")
    assert r.exposure.status == a.ALLOWED
    assert "$40,000" in r.exposure.headline and "$150,000" in r.exposure.headline
    assert keys(r)[0] in ("short_sale", "deed_in_lieu")
    assert "bankruptcy_ch7" in keys(r)  # behind + hardship + exposure
    assert any("past the 120 days" in line for line in r.consequences)  # 5 months behind
    assert any("90+ days late" in line for line in r.consequences)


def test_florida_not_underwater_selling_beats_walking_away(repo, alternatives, fico):
    r = run(repo, alternatives, fico, us_state="FL", home_value=400_000, loan_balance=300_000,
            payment_status="current", months_behind=0, occupancy="primary", hardship=False,
            goal="leave_home")
    assert not r.equity.is_underwater and r.equity.equity == 100_000
    assert r.exposure.status == a.NO_SHORTFALL
    assert keys(r)[0] == "sell_market"
    assert keys(r).index("sell_market") < keys(r).index("foreclosure")
    assert a.tax_note(r.scenario, r.exposure) is None  # nothing forgiven, no tax note
    assert "not underwater" in a.standing_text(r.equity)


def test_nevada_protection_needs_a_purchase_loan_on_the_home_you_live_in(repo, alternatives, fico):
    base = dict(us_state="NV", home_value=350_000, loan_balance=420_000, payment_status="current",
                months_behind=0, hardship=False, goal="leave_home")
    home = run(repo, alternatives, fico, loan_purpose="purchase", occupancy="primary", **base)
    second = run(repo, alternatives, fico, loan_purpose="purchase", occupancy="second_home", **base)
    refi = run(repo, alternatives, fico, loan_purpose="refinance", occupancy="primary", **base)
    assert home.exposure.status == a.BARRED
    assert second.exposure.status == a.CAPPED
    assert refi.exposure.status == a.CAPPED
    assert any("second home or rental" in line for line in second.consequences)  # tax note for non-residence


def test_california_heloc_after_a_trustee_sale(repo, alternatives, fico):
    r = run(repo, alternatives, fico, us_state="CA", home_value=600_000, loan_balance=700_000,
            payment_status="current", months_behind=0, loan_purpose="heloc", occupancy="primary",
            hardship=False, goal="leave_home")
    assert r.exposure.status == a.BARRED_USUAL


def test_unknown_loan_purpose_is_flagged_where_it_matters(repo):
    scenario = Scenario(us_state="CA", home_value=600_000, loan_balance=700_000, occupancy="primary")
    exposure = a.deficiency_exposure(repo.state("CA"), scenario)
    assert exposure.loan_purpose_matters
    assert any("what the loan was used for" in c for c in exposure.caveats)


def test_loan_purpose_matters_only_where_the_rule_depends_on_it(repo):
    assert a.loan_purpose_matters(repo.state("TX"), "primary")
    assert a.loan_purpose_matters(repo.state("CA"), "primary")
    assert not a.loan_purpose_matters(repo.state("CA"), "investment")
    assert not a.loan_purpose_matters(repo.state("OH"), "primary")
    assert not a.loan_purpose_matters(repo.state("WA"), "primary")


def test_walking_away_is_never_first(repo, alternatives, fico):
    states = [repo.state(c) for c in ("OR", "TX", "FL", "WA", "OH")]
    for state, value, status, hardship, goal, occupancy in itertools.product(
        states, (150_000, 400_000), ("current", "behind"), (True, False), a.GOALS, a.OCCUPANCIES
    ):
        scenario = Scenario(us_state=state.code, home_value=value, loan_balance=300_000,
                            payment_status=status, months_behind=3 if status == "behind" else 0,
                            loan_purpose="purchase", occupancy=occupancy, hardship=hardship, goal=goal)
        result = a.assess(scenario, state, alternatives, fico)
        order = keys(result)
        assert order[0] != "foreclosure", scenario
        assert order[-1] == "foreclosure", scenario
        assert len(order) >= 2
        if value > 300_000:
            assert order.index("sell_market") < order.index("foreclosure")
        for option in result.options:
            assert option.reason and len(option.reason) < 200


def test_credit_figures_come_from_the_knowledge_base(repo, alternatives, fico):
    r = run(repo, alternatives, fico, us_state="OR", home_value=420_000, loan_balance=510_000,
            payment_status="current", months_behind=0, loan_purpose="purchase", occupancy="primary",
            hardship=False, goal="leave_home")
    foreclosure = next(f for f in fico if f.event == "foreclosure")
    low, high = foreclosure.range_for(720)
    credit = next(line for line in r.consequences if line.startswith("Credit"))
    assert f"{low}–{high}" in credit
    fannie = repo.alternative("foreclosure").waiting_period("fannie_mae").years
    assert f"{fannie:g} years" in credit


def test_without_state_or_numbers_the_assessment_says_what_is_missing(alternatives, fico):
    result = a.assess(Scenario(goal="leave_home"), None, alternatives, fico)
    assert result.exposure is None and result.equity is None
    assert set(result.missing) == {"us_state", "home_value", "loan_balance"}
    assert keys(result)[-1] == "foreclosure"
    assert any("Tell me your state" in s for s in result.next_steps)


def test_comparison_table_and_list(repo, alternatives, fico):
    scenario = Scenario(us_state="OR", home_value=420_000, loan_balance=510_000, loan_purpose="purchase",
                        occupancy="primary")
    exposure = a.deficiency_exposure(repo.state("OR"), scenario)
    rows = a.compare(a.COMPARE_KEYS, exposure, scenario, alternatives, fico)
    assert [r.key for r in rows] == list(a.COMPARE_KEYS)
    walk = rows[-1]
    assert walk.deficiency_risk == "barred in OR" and walk.fannie_wait == "7 yrs" and walk.on_report == "7 yrs"
    short = rows[1]
    assert short.fannie_wait == "4 yrs" and short.lender_approval == "yes" and short.keeps_home == "no"
    table = a.comparison_table(rows)
    assert table.splitlines()[0].startswith("|") and len(table.splitlines()) == 2 + len(rows)
    listing = a.comparison_list(rows)
    assert "|" not in listing and "Short sale" in listing
    # in a recourse state the same options carry the risk
    tx = a.deficiency_exposure(repo.state("TX"), Scenario(us_state="TX", home_value=200_000, loan_balance=260_000,
                                                         loan_purpose="purchase", occupancy="primary"))
    tx_rows = {r.key: r for r in a.compare(a.COMPARE_KEYS, tx, None, alternatives, fico)}
    assert tx_rows["foreclosure"].deficiency_risk == "capped at debt − value"
    assert tx_rows["short_sale"].deficiency_risk == "get a written waiver"
    # California bars a deficiency after a lender-approved short sale by statute (CCP 580e)
    ca = a.deficiency_exposure(repo.state("CA"), Scenario(us_state="CA", home_value=500_000, loan_balance=600_000,
                                                         loan_purpose="purchase", occupancy="primary"))
    ca_rows = {r.key: r for r in a.compare(a.COMPARE_KEYS, ca, None, alternatives, fico)}
    assert ca_rows["short_sale"].deficiency_risk == "barred in CA"
    assert ca_rows["deed_in_lieu"].deficiency_risk == "get a written waiver"


def test_what_if_changes_are_described():
    before = Scenario(us_state="TX", home_value=300_000, loan_balance=350_000)
    after = before.with_changes(us_state="AZ", home_value=400_000)
    changes = after.changes_from(before)
    assert set(changes) == {"us_state", "home_value"}
    text = a.changes_text(changes, {"TX": "Texas", "AZ": "Arizona"})
    assert "Arizona instead of Texas" in text and "$400,000 instead of $300,000" in text


def test_scenario_from_slots_normalizes_types():
    s = Scenario.from_slots({"us_state": "tx", "home_value": "250000", "loan_balance": 300000,
                             "hardship": "true", "goal": "bogus", "payment_status": "behind", "months_behind": 2})
    assert s.us_state == "TX" and s.home_value == 250_000.0 and s.hardship is True and s.goal is None
    assert s.is_behind

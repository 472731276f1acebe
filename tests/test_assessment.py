"""knowledge.assessment (scenario, equity, conditions, deficiency, options, consequences, compare) over
the real knowledge base: the repository's own state records and protections, built in memory by the
real loader. Nothing is stubbed; every expected value is the one the law (or the record) gives."""
from __future__ import annotations

import itertools
import string
from pathlib import Path

import pytest
import yaml

from knowledge import assessment as a
from knowledge.assessment import Scenario, deciding_slots
from knowledge.assessment.compare import COMPARE_KEYS, compare
from knowledge.assessment.conditions import match
from knowledge.assessment.deficiency import (
    ALLOWED, BARRED, CAPPED, DEPENDS, JUDICIAL, NONJUDICIAL, SHORT_SALE, claims, exposures,
)
from knowledge.assessment.equity import equity
from knowledge.assessment.options import rank, situation
from knowledge.assessment.scenario import Lien
from knowledge.loader import build, make_engine
from knowledge.repository import KnowledgeRepository

ROOT = Path(__file__).resolve().parents[1]
HOME = dict(occupancy="primary", payment_status="current", hardship=False)
# "worth 600k, 550k on the first (bought with it) plus a 150k HELOC", in California
CA_HELOC = dict(HOME, us_state="CA", home_value=600_000.0, loan_balance=700_000.0, second_lien_balance=150_000.0,
                loan_purpose="purchase", second_lien_purpose="other")
UNDER = dict(HOME, home_value=300_000.0, loan_balance=400_000.0)  # $100,000 underwater
CA_CASH_OUT = dict(HOME, us_state="CA", home_value=400_000.0, loan_balance=500_000.0, loan_purpose="cash_out")
TX_CASH_OUT = dict(HOME, us_state="TX", home_value=300_000.0, loan_balance=360_000.0, loan_purpose="cash_out")
HI_RENTAL = dict(us_state="HI", home_value=500_000.0, loan_balance=600_000.0, loan_purpose="purchase",
                 occupancy="investment")
NY_EQUITY = dict(HOME, us_state="NY", home_value=400_000.0, loan_balance=300_000.0)


@pytest.fixture(scope="module")
def repo():
    engine = make_engine("sqlite://")
    build(engine)
    yield KnowledgeRepository(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def kb(repo):
    return dict(alternatives=repo.alternatives(), fico=repo.fico_impacts(), facts=repo.facts())


@pytest.fixture(scope="module")
def responses():
    return {k: v for path in sorted((ROOT / "bot" / "domain").glob("*.yml"))
            for k, v in ((yaml.safe_load(path.read_text()) or {}).get("responses") or {}).items()}


def assess(repo, kb, **slots) -> a.Assessment:
    scenario = Scenario(**slots)
    state = repo.state(scenario.us_state) if scenario.us_state else None
    return a.assess(scenario, state, kb["alternatives"], kb["fico"], kb["facts"])


def lien_exposures(repo, **slots):
    return {e.lien.position: e for e in exposures(repo.state(slots["us_state"]), Scenario(**slots))}


# --- scenario -----------------------------------------------------------------------------------
def test_from_slots_reads_strings_and_drops_what_is_out_of_the_contract():
    s = Scenario.from_slots({"us_state": "ca", "home_value": "600000", "loan_balance": "700000.0",
                             "second_lien_balance": 150000, "hardship": "yes", "occupancy": "vacation",
                             "payment_status": 3, "goal": "keep_home", "months_behind": "nan", "loan_year": "2009",
                             "lot_acres": True, "lender_type": "seller", "dwelling_units": "many"})
    assert (s.us_state, s.home_value, s.loan_balance, s.second_lien_balance) == ("CA", 600_000, 700_000, 150_000)
    assert s.hardship is True and s.goal == "keep_home" and s.lender_type == "seller" and s.loan_year == 2009
    assert s.occupancy is s.payment_status is s.months_behind is s.lot_acres is s.dwelling_units is None
    assert Scenario.from_slots({"hardship": "no", "us_state": ""}).hardship is False
    assert Scenario.from_slots({}) == Scenario()
    assert Scenario.from_slots(s.as_slots()) == s


@pytest.mark.parametrize("total,second,expected", [
    (700_000, 150_000, [("first", 550_000), ("second", 150_000)]),
    (100_000, 150_000, [("first", 100_000), ("second", 150_000)]),  # the total was the first alone
    (100_000, 100_000, [("first", 100_000), ("second", 100_000)]),
    (500_000, 0, [("first", 500_000)]),
    (500_000, None, [("first", 500_000)]),
    (None, 50_000, []),
])
def test_liens_from_the_total_and_the_second(total, second, expected):
    s = Scenario(loan_balance=total, second_lien_balance=second)
    assert [(lien.position, lien.balance) for lien in s.liens()] == expected
    assert s.total_owed == (sum(b for _, b in expected) if expected else None)


def test_each_lien_carries_its_own_facts_and_a_piggyback_shares_the_first_year():
    base = dict(loan_balance=400_000, second_lien_balance=80_000, loan_purpose="purchase", lender_type="private",
                loan_year=2006.0)
    first, second = Scenario(**base, second_lien_purpose="purchase").liens()
    assert first == Lien("first", 320_000, "purchase", "private", 2006)
    assert second == Lien("second", 80_000, "purchase", None, 2006)  # an 80/20 made when the home was bought
    heloc = Scenario(**base, second_lien_purpose="other").liens()[1]
    assert heloc.purpose == "heloc" and heloc.year is None  # a later HELOC: its year isn't the first's
    assert Scenario(**base).liens()[1].purpose is None  # not told


# --- equity ----------------------------------------------------------------------------------------
def test_equity_counts_every_lien_and_rejects_impossible_numbers(repo, kb):
    result = assess(repo, kb, **CA_HELOC)
    assert result.equity == equity(600_000, 700_000)
    assert result.equity.underwater == 100_000 and result.equity.equity == 0 and result.equity.ltv_percent == 117
    eq = equity(400_000, 300_000)
    assert not eq.is_underwater and eq.equity == 100_000 and eq.ltv_percent == 75
    for value, owed in [(0, 100), (-1, 100), (100, -5), (None, 100)]:
        with pytest.raises(ValueError):
            equity(value, owed)


def test_missing_numbers_or_state_are_named_and_nothing_is_guessed(repo, kb):
    result = assess(repo, kb, us_state="TX", goal="undecided")
    assert result.missing == ("home_value", "loan_balance")
    assert result.equity is None and result.exposures == ()
    no_state = assess(repo, kb, home_value=300_000, loan_balance=350_000)
    assert no_state.missing == ("us_state",) and no_state.state is None and no_state.exposures == ()
    assert len(no_state.options) == len(kb["alternatives"])


# --- conditions --------------------------------------------------------------------------------------
def test_a_condition_not_told_is_open_and_names_its_slot(repo):
    rule = repo.state("NV").protection("purchase_money_bar")  # primary, purchase, institution, 1 unit, from 10/2009
    first = Lien("first", 400_000, "purchase")
    told = Scenario(occupancy="primary")
    assert match(rule, first, told) == a.conditions.Match(None, ("lender_type", "loan_year"), ("dwelling_units",))
    assert match(rule, first, Scenario()).open_slots == ("occupancy", "lender_type", "loan_year")
    assert match(rule, Lien("first", 1, None, "institution", 2012), told).open_slots == ("loan_purpose",)
    assert match(rule, Lien("first", 1, "purchase", "institution", 2012), told).covers is True
    seller = match(rule, Lien("first", 1, "purchase", "seller", 2012), told)
    assert seller.covers is False and seller.failed == ("lender_type",)
    # one dwelling unit is assumed (max_units 1 here) unless the user says otherwise
    duplex = match(rule, Lien("first", 1, "purchase", "institution", 2012), told.with_changes(dwelling_units=2))
    assert duplex.covers is False and duplex.failed == ("dwelling_units",)


def test_large_acreage_limits_are_assumed_met_but_arizonas_is_asked(repo):
    montana = repo.state("MT").protection("trustee_sale_bar")  # 40 acres
    lien = Lien("first", 1, "purchase")
    assert match(montana, lien, Scenario()).covers is True and "lot_acres" in match(montana, lien, Scenario()).assumed
    assert match(montana, lien, Scenario(lot_acres=50)).failed == ("lot_acres",)
    arizona = repo.state("AZ").protection("trustee_sale_bar")  # 2.5 acres
    assert match(arizona, lien, Scenario()).open_slots == ("lot_acres",)
    assert match(arizona, lien, Scenario(lot_acres=2)).covers is True
    assert match(arizona, lien, Scenario(lot_acres=5)).failed == ("lot_acres",)
    # every acreage limit in the knowledge base: >= 10 acres assumed, smaller ones asked
    limits = [p for s in repo.states() for p in s.protections if p.max_acres is not None and p.effect == BARRED]
    assert {p.max_acres >= 10 for p in limits} == {True, False}
    for rule in limits:
        result = match(rule, Lien("first", 1, "purchase", "institution", 2015), Scenario(occupancy="primary"))
        assert ("lot_acres" in result.open_slots) is (rule.max_acres < 10)


@pytest.mark.parametrize("year,covers,open_slots", [(2009, None, ("loan_year",)), (2012, True, ()), (2006, False, ())])
def test_loan_dates_by_year(repo, year, covers, open_slots):
    rule = repo.state("NV").protection("purchase_money_bar")
    assert rule.loan_date_from.isoformat() == "2009-10-01"
    result = match(rule, Lien("first", 1, "purchase", "institution", year), Scenario(occupancy="primary"))
    assert (result.covers, result.open_slots) == (covers, open_slots)
    assert result.failed == (() if covers is not False else ("loan_year",))


def test_a_second_lien_is_dated_by_its_own_year(repo):
    rule = repo.state("NV").protection("junior_purchase_money_bar")  # from June 10, 2011
    s = Scenario(occupancy="primary")
    assert match(rule, Lien("second", 1, "purchase", None, 2011), s).open_slots == ("second_lien_year",)
    assert match(rule, Lien("second", 1, "purchase", None, 2013), s).assumed == ("second_lien_lender", "dwelling_units")
    assert match(rule, Lien("first", 1, "purchase", "institution", 2013), s).failed == ("lien_position",)


# --- deficiency, per lien ----------------------------------------------------------------------------
def test_california_first_and_heloc_the_heloc_is_a_sold_out_junior(repo):
    found = lien_exposures(repo, **CA_HELOC)
    first, heloc = found["first"], found["second"]
    assert first.shortfall == 0 and first.likely.status == BARRED
    assert heloc.shortfall == 100_000  # 150k minus the 50k left after the first is paid
    assert heloc.likely.route == NONJUDICIAL and heloc.likely.sold_out
    assert heloc.likely.status == ALLOWED and heloc.likely.claim == 100_000 and heloc.likely.lender_can_pursue
    assert heloc.likely.protection is None  # §580d protects only the lender whose deed of trust was sold
    excluded = {p.key: failed for p, failed in heloc.likely.excluded}
    assert excluded["purchase_money"] == ("second_lien_purpose",)
    assert "trustee_sale_bar" not in excluded
    assert heloc.short_sale.status == BARRED and heloc.short_sale.protection.statute.endswith("§580e")
    # not told what the HELOC was for: it depends on that, and falls back to a full claim
    unknown = lien_exposures(repo, **dict(CA_HELOC, second_lien_purpose=None))["second"].likely
    assert (unknown.status, unknown.open_slots, unknown.fallback) == (DEPENDS, ("second_lien_purpose",), ALLOWED)
    # an 80/20 piggyback used to buy the home is purchase money: barred even for a sold-out junior
    piggy = lien_exposures(repo, **dict(CA_HELOC, second_lien_purpose="purchase"))["second"].likely
    assert piggy.status == BARRED and piggy.protection.key == "purchase_money" and piggy.claim == 0


@pytest.mark.parametrize("value,first,second", [(600_000, 0, 100_000), (650_000, 0, 50_000), (800_000, 0, 0),
                                                (500_000, 50_000, 150_000)])
def test_a_sold_out_junior_claims_its_balance_minus_any_surplus(value, first, second):
    s = Scenario(home_value=value, loan_balance=700_000, second_lien_balance=150_000)
    assert claims(s) == {"first": first, "second": second}
    assert claims(Scenario(loan_balance=700_000, second_lien_balance=150_000)) == {"first": None, "second": None}


def test_arizona_five_acres_is_capped_not_barred_and_says_why(repo):
    likely = lien_exposures(repo, **UNDER, us_state="AZ", loan_purpose="purchase", lot_acres=5.0)["first"].likely
    assert likely.status == CAPPED and likely.claim == 100_000
    assert likely.protection.statute == "A.R.S. §33-814(A)"
    excluded = {p.statute: failed for p, failed in likely.excluded}
    assert excluded["A.R.S. §33-814(G)"] == ("lot_acres",)
    small = lien_exposures(repo, **UNDER, us_state="AZ", loan_purpose="purchase", lot_acres=1.0)["first"].likely
    assert small.status == BARRED and small.claim == 0


def test_hawaii_rental_is_not_barred_and_the_owner_occupant_bar_is_excluded(repo):
    rental = lien_exposures(repo, **HI_RENTAL)["first"]
    assert rental.likely.status == ALLOWED and rental.likely.claim == 100_000
    [(rule, failed)] = rental.likely.excluded
    assert rule.statute == "Haw. Rev. Stat. §667-38" and failed == ("occupancy",)
    home = lien_exposures(repo, **dict(HI_RENTAL, occupancy="primary"))["first"]
    assert home.likely.status == BARRED and home.other.route == JUDICIAL and home.other.status == ALLOWED


def test_texas_cash_out_is_barred_every_way_including_a_short_sale(repo):
    tx = lien_exposures(repo, **TX_CASH_OUT)["first"]
    for outcome in (tx.likely, tx.other, tx.short_sale):
        assert outcome.status == BARRED and "§50(a)(6)" in outcome.protection.statute and outcome.claim == 0
    assert tx.short_sale.route == SHORT_SALE
    purchase = lien_exposures(repo, **dict(TX_CASH_OUT, loan_purpose="purchase"))["first"]
    assert purchase.likely.status == CAPPED and purchase.likely.claim == 60_000


def test_nevada_purchase_loan_depends_on_date_and_lender(repo):
    base = dict(UNDER, us_state="NV", loan_purpose="purchase")
    told = lien_exposures(repo, **base, loan_year=2012, lender_type="institution")["first"]
    assert told.likely.status == BARRED and told.likely.protection.key == "purchase_money_bar"
    assert lien_exposures(repo, **base, loan_year=2006, lender_type="institution")["first"].likely.status == CAPPED
    open_ = lien_exposures(repo, **base)["first"].likely
    assert open_.status == DEPENDS and open_.fallback == CAPPED and set(open_.open_slots) == {"loan_year", "lender_type"}


def test_a_short_sale_without_a_statutory_bar_depends_on_the_waiver(repo):
    # Nevada's short-sale rule is conditional (on what the agreement says): it never decides
    for slots in (dict(UNDER, us_state="NY"), dict(UNDER, us_state="NV", loan_purpose="purchase", loan_year=2012,
                                                   lender_type="institution", dwelling_units=1)):
        short = lien_exposures(repo, **slots)["first"].short_sale
        assert (short.status, short.open_slots, short.fallback, short.protection) == (DEPENDS, ("waiver",), ALLOWED, None)
        assert short.claim == 100_000


def test_conditional_protections_never_decide(repo):
    states = repo.states()
    assert any(p.effect == "conditional" for s in states for p in s.protections)
    for state, purpose, occupancy in itertools.product(states, ("purchase", "cash_out", None), ("primary", "investment")):
        scenario = Scenario(us_state=state.code, home_value=200_000, loan_balance=300_000, second_lien_balance=50_000,
                            loan_purpose=purpose, occupancy=occupancy, loan_year=2012, lender_type="institution")
        for e in exposures(state, scenario):
            for outcome in filter(None, (e.likely, e.other, e.short_sale)):
                rules = [outcome.protection] + [p for p, _ in outcome.excluded]
                assert all(p is None or p.effect in (BARRED, CAPPED) for p in rules), (state.code, outcome)


# --- deciding slots -----------------------------------------------------------------------------------
@pytest.mark.parametrize("slots,expected", [
    (dict(us_state="AZ", loan_purpose="purchase"), ("lot_acres",)),
    (dict(us_state="AZ", loan_purpose="purchase", home_value=None), ("lot_acres",)),  # amount unknown: still asked
    (dict(us_state="NV", loan_purpose="purchase"), ("loan_year", "lender_type")),
    (dict(us_state="TX"), ("loan_purpose",)),
    (dict(us_state="NC", loan_purpose="purchase"), ("lender_type",)),
    (dict(us_state="CA", loan_purpose="purchase", loan_balance=400_000.0, second_lien_balance=100_000.0),
     ("second_lien_purpose",)),
    (dict(us_state="NY"), ()),
    (dict(us_state="AZ", loan_purpose="purchase", home_value=500_000.0), ()),  # not underwater
    # the HELOC is paid in full by a sale at 720k: nothing to claim, nothing to ask
    (dict(us_state="CA", loan_purpose="purchase", home_value=720_000.0, loan_balance=700_000.0,
          second_lien_balance=150_000.0), ()),
])
def test_deciding_slots(repo, slots, expected):
    slots = dict(UNDER, **slots)
    assert deciding_slots(repo.state(slots["us_state"]), Scenario(**slots)) == expected


# --- options ----------------------------------------------------------------------------------------
SITUATIONS = [
    dict(CA_HELOC),
    TX_CASH_OUT,
    dict(HI_RENTAL, payment_status="behind", months_behind=4.0, hardship=True),
    NY_EQUITY,
    dict(HOME, us_state="OR", home_value=420_000.0, loan_balance=430_000.0, loan_purpose="purchase"),
    dict(us_state="FL"),
]


@pytest.mark.parametrize("slots", SITUATIONS)
def test_every_option_for_every_goal_and_the_goal_orders_them(repo, kb, responses, slots):
    every = sorted(alt.key for alt in kb["alternatives"])
    orders = {}
    for goal in ("keep_home", "leave_home", "undecided"):
        options = assess(repo, kb, **dict(slots, goal=goal)).options
        assert sorted(o.key for o in options) == every
        assert options[0].key != "foreclosure"
        for option in options:  # the reason is a response, and it gets every variable it names
            text = responses[f"utter_reason_{option.reason}"][0]["text"]
            assert {f for _, f, _, _ in string.Formatter().parse(text) if f} <= set(option.variables)
        orders[goal] = [o.key for o in options]
    assert len({tuple(order) for order in orders.values()}) == 3
    keeps = {alt.key: alt.keeps_home for alt in kb["alternatives"]}
    assert keeps[orders["keep_home"][0]] is True and keeps[orders["leave_home"][0]] is False


def test_walking_away_is_never_first_even_when_it_scores_best(repo, kb):
    # protected, behind, wants to leave: walking away outscores a refinance, yet is put second
    scenario = Scenario(**dict(TX_CASH_OUT, payment_status="behind", goal="leave_home"))
    state = repo.state("TX")
    s = situation(scenario, equity(300_000, 360_000), exposures(state, scenario), state.name)
    records = [repo.alternative("foreclosure"), repo.alternative("refinance")]
    ranked = rank(records, s, scenario.home_value)
    assert ranked[1].key == "foreclosure" and ranked[1].score > ranked[0].score


def test_with_equity_a_normal_sale_beats_walking_away(repo, kb):
    for goal in ("keep_home", "leave_home", "undecided"):
        options = assess(repo, kb, **dict(NY_EQUITY, goal=goal)).options
        keys = [o.key for o in options]
        assert keys.index("sell") < keys.index("foreclosure")
        by_key = {o.key: o for o in options}
        assert by_key["sell"].reason == "sell_equity" and by_key["sell"].variables == {"equity": 100_000}
        assert by_key["foreclosure"].reason == "foreclosure_equity"


def test_the_reasons_follow_the_deficiency(repo, kb):
    tx = {o.key: o for o in assess(repo, kb, **dict(TX_CASH_OUT, goal="leave_home")).options}
    assert tx["foreclosure"].reason == "foreclosure_protected" and tx["short_sale"].reason == "short_sale_barred"
    assert tx["bankruptcy_ch7"].reason == "ch7_not_needed"
    ca = {o.key: o for o in assess(repo, kb, **dict(CA_HELOC, goal="leave_home")).options}
    assert ca["foreclosure"].reason == "foreclosure_exposed" and ca["foreclosure"].variables["amount"] == 100_000
    assert ca["bankruptcy_ch7"].reason == "ch7_exposed"


# --- consequences -----------------------------------------------------------------------------------
def by_key(result):
    return {c.key: c.variables for c in result.consequences}


def test_credit_figures_are_the_knowledge_base_records(repo, kb):
    found = by_key(assess(repo, kb, **dict(CA_HELOC, payment_status="behind", months_behind=4.0)))
    fico = {f.event: f for f in kb["fico"]}
    foreclosure = repo.alternative("foreclosure")
    assert (found["credit_foreclosure"]["low"], found["credit_foreclosure"]["high"]) == fico["foreclosure"].range_for(720)
    assert found["credit_foreclosure"]["start"] == 720
    assert found["credit_foreclosure"]["report_years"] == foreclosure.credit_report_years
    assert found["credit_foreclosure"]["wait_years"] == foreclosure.waiting_period("fannie_mae").years
    short = repo.alternative("short_sale")
    assert (found["credit_short_sale"]["low"], found["credit_short_sale"]["high"]) == short.fico.range_for(720)
    assert (found["credit_late"]["low"], found["credit_late"]["high"]) == fico["late_90"].range_for(720)
    late_30 = by_key(assess(repo, kb, **dict(CA_HELOC, payment_status="behind", months_behind=1.0)))["credit_late"]
    assert (late_30["days"], late_30["low"], late_30["high"]) == (30, *fico["late_30"].range_for(720))
    assert "credit_late" not in by_key(assess(repo, kb, **CA_HELOC))


def test_the_120_day_rule_only_for_a_principal_residence_that_is_behind(repo, kb):
    rule = repo.fact("federal_120_day_rule").statement
    before = by_key(assess(repo, kb, **dict(CA_HELOC, payment_status="behind", months_behind=2.0)))
    assert before["clock_before"] == {"rule": rule} and "clock_past" not in before
    assert "clock_past" in by_key(assess(repo, kb, **dict(CA_HELOC, payment_status="behind", months_behind=5.0)))
    rental = by_key(assess(repo, kb, **dict(CA_HELOC, occupancy="investment", payment_status="behind",
                                            months_behind=2.0)))
    assert "clock_not_primary" in rental and "clock_before" not in rental
    assert not {"clock_before", "clock_past", "clock_not_primary"} & set(by_key(assess(repo, kb, **CA_HELOC)))


@pytest.mark.parametrize("slots,expected", [
    (dict(CA_CASH_OUT, loan_purpose="purchase"), [("tax_nonrecourse", "first")]),
    (CA_CASH_OUT, [("tax_route_bar", "first")]),  # §580d after a trustee's sale: the loan was still recourse
    (dict(CA_HELOC), [("tax_forgiven_primary", "second")]),  # the first is paid in full: no tax line
    (HI_RENTAL, [("tax_forgiven_other", "first")]),
    (NY_EQUITY, []),
])
def test_tax_consequence_per_lien(repo, kb, slots, expected):
    result = assess(repo, kb, **slots)
    taxes = [(c.key, c.variables["position"]) for c in result.consequences if c.key.startswith("tax_")]
    assert taxes == expected
    facts = {"tax_nonrecourse": "tax_nonrecourse_disposition", "tax_route_bar": "tax_trustee_sale_recourse",
             "tax_forgiven_primary": "qpri_exclusion", "tax_forgiven_other": "qpri_exclusion"}
    for c in result.consequences:
        if c.key in facts:
            assert c.variables["fact"] == repo.fact(facts[c.key]).statement


# --- compare ------------------------------------------------------------------------------------------
def deficiency_cells(repo, kb, keys=COMPARE_KEYS, **slots):
    scenario = Scenario(**slots)
    found = exposures(repo.state(scenario.us_state), scenario) if scenario.us_state else ()
    rows = compare(list(keys), {alt.key: alt for alt in kb["alternatives"]}, found)
    return {row.key: row.deficiency for row in rows}


@pytest.mark.parametrize("slots,expected", [
    (CA_HELOC, dict(loan_modification="none", short_sale="barred", deed_in_lieu="waiver", bankruptcy_ch7="discharged",
                    foreclosure="partly_barred")),
    # §580d bars a deficiency only after a trustee's sale: a deed in lieu still needs a written waiver
    (CA_CASH_OUT, dict(short_sale="barred", deed_in_lieu="waiver", foreclosure="barred")),
    # a Texas home-equity loan carries no personal liability at all
    (TX_CASH_OUT, dict(short_sale="barred", deed_in_lieu="barred", foreclosure="barred")),
    (dict(UNDER, us_state="NY"), dict(short_sale="waiver", deed_in_lieu="waiver", foreclosure="possible")),
    (dict(), dict(short_sale="unknown", deed_in_lieu="unknown", foreclosure="unknown", bankruptcy_ch7="discharged")),
])
def test_compare_deficiency_cells_follow_the_exposures(repo, kb, slots, expected):
    cells = deficiency_cells(repo, kb, **slots)
    assert {k: cells[k] for k in expected} == expected


def test_compare_rows_carry_the_records_figures(repo, kb):
    alternatives = {alt.key: alt for alt in kb["alternatives"]}
    rows = compare(["short_sale", "no_such_option", "loan_modification"], alternatives, ())
    assert [row.key for row in rows] == ["short_sale", "loan_modification"]
    short = alternatives["short_sale"]
    assert rows[0].score == short.fico.range_for(720) and rows[0].report_years == short.credit_report_years
    assert rows[0].wait_years == short.waiting_period("fannie_mae").years
    assert rows[0].lender_approval is True and rows[0].keeps_home is False
    assert rows[1].wait_years is None and rows[1].keeps_home is True


def test_the_120_day_rule_is_hedged_for_a_seller_or_private_lender(repo, kb):
    for lender in ("seller", "private"):
        found = by_key(assess(repo, kb, **dict(CA_HELOC, lender_type=lender, payment_status="behind",
                                               months_behind=2.0)))
        assert "clock_private_lender" in found and "clock_before" not in found
    bank = by_key(assess(repo, kb, **dict(CA_HELOC, lender_type="institution", payment_status="behind",
                                          months_behind=2.0)))
    assert "clock_before" in bank

"""The personal assessment: pure functions over knowledge-repository records.

Given what a homeowner told us (a :class:`Scenario`) and the records of the knowledge base (a state's
``StateLaw`` record, the ``Alternative`` records, optionally FICO ranges), compute:

- where they stand (:func:`equity`: underwater dollars, loan-to-value);
- whether the lender could come after them for the shortfall (:func:`deficiency_exposure`);
- their options, best first, each with a one-line reason (:func:`rank_options`);
- the consequences that matter for them (credit, years on the report, waiting periods, taxes);
- next steps (HUD counselor, which kind of attorney), the review date and the sources.

No Rasa imports, no I/O: records are passed in (duck-typed on the field names of
``knowledge/data/SCHEMA.md`` and ``knowledge/models.py``), so the action server, the tests and any
other caller compute exactly the same answer. Texts produced here are generated from the
knowledge base; fixed wording lives in the Rasa domain.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Optional, Sequence

HUD_COUNSELOR_PHONE = "800-569-4287"

# --- the scenario ---------------------------------------------------------------------------

SCENARIO_SLOTS = (
    "us_state",
    "home_value",
    "loan_balance",
    "payment_status",
    "months_behind",
    "loan_purpose",
    "occupancy",
    "hardship",
    "goal",
)

PAYMENT_STATUSES = ("current", "behind")
LOAN_PURPOSES = ("purchase", "refinance", "cash_out", "heloc")
OCCUPANCIES = ("primary", "second_home", "investment")
GOALS = ("keep_home", "leave_home", "undecided")


@dataclass(frozen=True)
class Scenario:
    """What the homeowner told us. ``None`` means not known (yet)."""

    us_state: Optional[str] = None
    home_value: Optional[float] = None
    loan_balance: Optional[float] = None
    payment_status: Optional[str] = None
    months_behind: Optional[float] = None
    loan_purpose: Optional[str] = None
    occupancy: Optional[str] = None
    hardship: Optional[bool] = None
    goal: Optional[str] = None

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> "Scenario":
        """Build from Rasa slot values (strings for floats/bools are tolerated)."""

        def num(value: Any) -> Optional[float]:
            if value is None or value == "":
                return None
            try:
                number = float(value)
            except (TypeError, ValueError):
                return None
            return number if math.isfinite(number) else None

        def flag(value: Any) -> Optional[bool]:
            if value is None:
                return None
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("true", "yes", "1"):
                return True
            if text in ("false", "no", "0"):
                return False
            return None

        def choice(value: Any, allowed: Sequence[str]) -> Optional[str]:
            return value if isinstance(value, str) and value in allowed else None

        state = slots.get("us_state")
        return cls(
            us_state=state.upper() if isinstance(state, str) and state else None,
            home_value=num(slots.get("home_value")),
            loan_balance=num(slots.get("loan_balance")),
            payment_status=choice(slots.get("payment_status"), PAYMENT_STATUSES),
            months_behind=num(slots.get("months_behind")),
            loan_purpose=choice(slots.get("loan_purpose"), LOAN_PURPOSES),
            occupancy=choice(slots.get("occupancy"), OCCUPANCIES),
            hardship=flag(slots.get("hardship")),
            goal=choice(slots.get("goal"), GOALS),
        )

    def as_slots(self) -> dict:
        return {name: getattr(self, name) for name in SCENARIO_SLOTS}

    def with_changes(self, **changes: Any) -> "Scenario":
        return replace(self, **changes)

    @property
    def is_behind(self) -> bool:
        return self.payment_status == "behind" or (self.months_behind or 0) > 0

    def changes_from(self, other: "Scenario") -> dict:
        """{slot: (old, new)} for every slot that differs from ``other``."""
        return {
            name: (getattr(other, name), getattr(self, name))
            for name in SCENARIO_SLOTS
            if getattr(other, name) != getattr(self, name)
        }


# --- formatting helpers -----------------------------------------------------------------------


def usd(amount: float) -> str:
    """350000 -> "$350,000" (rounded to whole dollars)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(round(amount)):,.0f}"


def _years(value: Optional[float]) -> Optional[str]:
    if value is None:
        return None
    number = float(value)
    text = f"{number:g}"
    return f"{text} year" if number == 1 else f"{text} years"


def _months(value: Optional[float]) -> str:
    number = float(value or 0)
    text = f"{number:g}"
    return f"{text} month" if number == 1 else f"{text} months"


# --- 1. equity ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Equity:
    home_value: float
    loan_balance: float
    underwater: float  # loan_balance - home_value when > 0, else 0
    equity: float  # home_value - loan_balance when > 0, else 0
    ltv_percent: float  # loan / value * 100, rounded to a whole percent

    @property
    def is_underwater(self) -> bool:
        return self.underwater > 0


def equity(home_value: float, loan_balance: float) -> Equity:
    """Underwater dollars and loan-to-value. ``home_value`` must be > 0, ``loan_balance`` >= 0."""
    if home_value is None or home_value <= 0:
        raise ValueError("home_value must be a positive number of dollars")
    if loan_balance is None or loan_balance < 0:
        raise ValueError("loan_balance must be zero or a positive number of dollars")
    gap = float(loan_balance) - float(home_value)
    return Equity(
        home_value=float(home_value),
        loan_balance=float(loan_balance),
        underwater=max(gap, 0.0),
        equity=max(-gap, 0.0),
        ltv_percent=round(float(loan_balance) / float(home_value) * 100),
    )


# --- 2. deficiency exposure -------------------------------------------------------------------

# status values of a DeficiencyExposure
NO_SHORTFALL = "no_shortfall"  # the home is worth at least what is owed
BARRED = "barred"  # state law bars a deficiency for this loan however it is foreclosed
BARRED_USUAL = "barred_usual_process"  # barred after the usual out-of-court sale; court foreclosure could differ
DEPENDS_PROCESS = "depends_on_process"  # barred after a trustee's sale, not after a court foreclosure; both used
UNCLEAR = "unclear"  # the state's rule for this kind of loan is not settled in our data
CAPPED = "capped"  # allowed, but capped at the debt minus the home's fair market value
ALLOWED = "allowed"  # allowed


@dataclass(frozen=True)
class DeficiencyExposure:
    status: str
    state_code: str
    state_name: str
    shortfall: float  # loan - value if it sold for the home's value (0 when not underwater)
    headline: str  # one sentence: can they come after you, and for how much
    rule: str  # the state's rule in plain words (protection_summary)
    statutes: tuple = ()
    fair_value_limit: bool = False
    fair_value_summary: str = ""
    deadline_months: Optional[float] = None
    deadline_summary: str = ""
    caveats: tuple = ()
    loan_purpose_matters: bool = True
    short_sale_barred: Optional[bool] = None  # a lender-approved short sale bars a deficiency by statute

    @property
    def lender_can_pursue(self) -> bool:
        return self.status in (CAPPED, ALLOWED, UNCLEAR, DEPENDS_PROCESS)


_DEFICIENCY_WORDS = ("deficien", "shortfall", "heloc", "second mortgage", "refinanc", "home-equity", "home equity",
                     "protect", "liabil", "recourse", "owner-occup", "purchase")


def _article(word: str) -> str:
    return "An" if word[:1].upper() in "AEIOU" else "A"


def _get(record: Any, name: str, default: Any = None) -> Any:
    if isinstance(record, Mapping):
        return record.get(name, default)
    return getattr(record, name, default)


def protection_applies(state: Any, occupancy: Optional[str]) -> bool:
    """False when the state's protections are limited to owner-occupied homes and this one isn't."""
    if _get(state, "owner_occupied_required") and occupancy in ("second_home", "investment"):
        return False
    return True


def _loan_protected(state: Any, loan_purpose: Optional[str]) -> Optional[bool]:
    """Whether the state's anti-deficiency law covers this kind of loan however it is foreclosed."""
    if loan_purpose == "purchase":
        return bool(_get(state, "purchase_money_protected"))
    if loan_purpose == "refinance":
        return _get(state, "refinance_protected")
    if loan_purpose == "cash_out":
        # a refinance that took cash out is new money: where even a plain refinance isn't protected it
        # isn't either; where a refinance is, protection usually stops at the new money (unclear)
        return False if _get(state, "refinance_protected") is False else None
    if loan_purpose == "heloc":
        return _get(state, "heloc_protected")
    return None


def loan_purpose_matters(state: Any, occupancy: Optional[str] = None) -> bool:
    """Whether asking what the loan was for can change the deficiency answer in this state."""
    if not protection_applies(state, occupancy):
        return False
    values = {
        bool(_get(state, "purchase_money_protected")),
        _get(state, "refinance_protected"),
        _get(state, "heloc_protected"),
    }
    return len(values) > 1


def occupancy_matters(state: Any) -> bool:
    """Whether the deficiency rule depends on the borrower living in the home."""
    return bool(_get(state, "owner_occupied_required"))


def deficiency_exposure(
    state: Any,
    scenario: Scenario,
    process: Optional[str] = None,
) -> DeficiencyExposure:
    """Can the lender seek the shortfall after a foreclosure, for this loan, in this state?

    ``process`` is "judicial" or "nonjudicial" to ask about one foreclosure route; by default the
    state's usual route (``foreclosure_process``) is assumed.
    """
    code = _get(state, "code", scenario.us_state or "")
    name = _get(state, "name", code)
    process = process or _get(state, "foreclosure_process")
    shortfall = 0.0
    if scenario.home_value and scenario.loan_balance is not None:
        shortfall = max(scenario.loan_balance - scenario.home_value, 0.0)
    common = dict(
        state_code=code,
        state_name=name,
        shortfall=shortfall,
        rule=_get(state, "protection_summary", "") or "",
        statutes=tuple(_get(state, "key_statutes", ()) or ()),
        fair_value_limit=bool(_get(state, "fair_value_limit")),
        fair_value_summary=_get(state, "fair_value_summary", "") or "",
        deadline_months=_get(state, "deficiency_deadline_months"),
        deadline_summary=_get(state, "deficiency_deadline_summary", "") or "",
        loan_purpose_matters=loan_purpose_matters(state, scenario.occupancy),
        short_sale_barred=_get(state, "short_sale_bars_deficiency"),
    )
    caveats = []
    for item in _get(state, "unconfirmed", ()) or ():
        # only the open questions about the deficiency itself (not timelines or redemption)
        if any(word in item.lower() for word in _DEFICIENCY_WORDS):
            caveats.append(f"Not confirmed: {item.rstrip('.')}.")

    if scenario.home_value and scenario.loan_balance is not None and shortfall <= 0:
        return DeficiencyExposure(
            status=NO_SHORTFALL,
            headline=(
                "There's no shortfall to chase: the home is worth at least what you owe, so a sale "
                "at market value would pay the loan off."
            ),
            caveats=(
                "A foreclosure auction often brings less than market value, so a forced sale can "
                "still leave a gap — selling it yourself avoids that.",
            ),
            **common,
        )

    amount = f" for the {usd(shortfall)}" if shortfall else " for a shortfall"
    applies = protection_applies(state, scenario.occupancy)
    loan = _loan_protected(state, scenario.loan_purpose) if applies else False
    # the trustee's-sale bar does not depend on the loan type; the schema's owner-occupancy flag is
    # applied to the loan-type protections (e.g. California: §580d any property, §580b owner-occupied)
    nonjudicial_bar = bool(_get(state, "nonjudicial_sale_bars_deficiency"))
    allowed = _get(state, "deficiency_allowed")

    if not applies:
        caveats.insert(
            0,
            f"{name}'s protection for this kind of loan applies only to a home you live in; a second "
            "home or rental isn't covered by it.",
        )
    if scenario.loan_purpose is None and common["loan_purpose_matters"] and applies:
        caveats.insert(0, "The answer depends on what the loan was used for (purchase, refinance or HELOC).")
    if scenario.loan_purpose == "heloc" and _get(state, "heloc_protected") is None and applies:
        caveats.insert(0, "Whether a HELOC or second mortgage is covered there is not settled — ask a local attorney.")
    if applies and _get(state, "max_units"):
        caveats.append(f"The protection covers homes of up to {_get(state, 'max_units')} units.")
    if applies and _get(state, "acreage_limit"):
        caveats.append(f"The protection covers parcels of up to {_get(state, 'acreage_limit'):g} acres.")

    if allowed == "no" or loan is True:
        status = BARRED
        headline = (
            f"Very unlikely: {name} law bars a deficiency judgment on this kind of loan, so the "
            f"lender can't come after you{amount} after a foreclosure."
        )
    elif nonjudicial_bar and process == "nonjudicial":
        status = BARRED_USUAL
        headline = (
            f"Very unlikely: {name} bars a deficiency after a trustee's (out-of-court) sale, the "
            f"usual way lenders foreclose there, so the lender can't come after you{amount} that way."
        )
        caveats.insert(
            0,
            "A lender can choose a slower court foreclosure instead, and then a deficiency may be "
            "possible — watch for a court summons.",
        )
    elif nonjudicial_bar and process == "both":
        status = DEPENDS_PROCESS
        headline = (
            f"It depends on how the lender forecloses: after a trustee's (out-of-court) sale {name} "
            f"bars a deficiency, but after a court foreclosure the lender may seek{amount}."
        )
    elif loan is None and applies and scenario.loan_purpose is not None and allowed == "limited":
        status = UNCLEAR
        headline = (
            f"Unclear: {name} protects some home loans, but whether yours is covered isn't settled "
            f"— the lender might be able to seek{amount}."
        )
    elif common["fair_value_limit"]:
        status = CAPPED
        headline = (
            f"Possibly: {name} allows a deficiency judgment, capped at what you owe minus the home's "
            f"fair market value — about {usd(shortfall)} if it's worth what you think."
            if shortfall
            else f"Possibly: {name} allows a deficiency judgment, capped at the debt minus the home's fair market value."
        )
    else:
        status = ALLOWED
        headline = (
            f"Yes, it's possible: {name} allows a deficiency judgment. If the home sold for "
            f"{usd(scenario.home_value)}, the lender could seek about {usd(shortfall)} — more if the "
            "auction brings less than market value."
            if shortfall and scenario.home_value
            else f"Yes, it's possible: {name} allows a deficiency judgment for the shortfall."
        )

    return DeficiencyExposure(status=status, headline=headline, caveats=tuple(caveats), **common)


def deficiency_details(exposure: DeficiencyExposure) -> list:
    """Extra sentences for a recourse answer: the rule, the cap, the deadline, the statute."""
    lines = []
    if exposure.status in (NO_SHORTFALL,):
        return lines
    if exposure.rule:
        lines.append(f"The rule: {exposure.rule}")
    if exposure.lender_can_pursue:
        if exposure.fair_value_limit and exposure.fair_value_summary:
            lines.append(f"Cap: {exposure.fair_value_summary}")
        if exposure.deadline_summary:
            lines.append(f"Deadline: {exposure.deadline_summary}")
        elif exposure.deadline_months:
            lines.append(f"Deadline: the lender must seek it within {_months(exposure.deadline_months)} of the sale.")
    if exposure.statutes:
        lines.append("Law: " + "; ".join(exposure.statutes[:3]))
    return lines


# --- 3. options -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionFacts:
    """What the comparison table shows about one option (from the Alternative record or defaults)."""

    key: str
    name: str
    keeps_home: Optional[bool]
    lender_approval: bool
    fico_event: Optional[str]
    report_years: Optional[float]
    fannie_wait_years: Optional[float]
    deficiency_effect: str  # "none" | "waiver_possible" | "state_law" | "discharged"
    summary: str = ""


# Defaults from shared/reference/domain-facts.md (§1-§3) used when the repository has no record.
_DEFAULT_OPTIONS = {
    "sell_market": OptionFacts("sell_market", "Sell the home", False, False, None, None, None, "none",
                               "sell at market value and pay the loan off"),
    "sell": OptionFacts("sell", "Sell and pay the shortfall", False, False, None, None, None, "none",
                        "sell and bring cash to closing to cover the gap"),
    "keep_paying": OptionFacts("keep_paying", "Keep paying and wait", True, False, None, None, None, "none",
                               "stay current while prices and your balance catch up"),
    "rent_out": OptionFacts("rent_out", "Keep it and rent it out", True, False, None, None, None, "none",
                            "rent covers the payment while you wait"),
    "refinance": OptionFacts("refinance", "Refinance", True, True, None, None, None, "none",
                             "replace the loan with a cheaper one"),
    "loan_modification": OptionFacts("loan_modification", "Loan modification", True, True, None, None, None,
                                     "none", "permanently change the loan's terms to lower the payment"),
    "forbearance": OptionFacts("forbearance", "Forbearance", True, True, None, None, None, "none",
                               "pause or reduce payments for a while; the skipped amount is repaid"),
    "repayment_plan": OptionFacts("repayment_plan", "Repayment plan", True, True, None, None, None, "none",
                                  "catch up by adding part of the arrears to each payment"),
    "short_sale": OptionFacts("short_sale", "Short sale", False, True, "short_sale_deficiency", 7, 4,
                              "waiver_needed", "sell for less than you owe with the lender's approval"),
    "deed_in_lieu": OptionFacts("deed_in_lieu", "Deed in lieu", False, True, "short_sale_no_deficiency", 7, 4,
                                "waiver_needed", "hand the deed to the lender instead of a foreclosure"),
    "bankruptcy_ch7": OptionFacts("bankruptcy_ch7", "Chapter 7 bankruptcy", None, False, "bankruptcy", 10, 4,
                                  "discharged", "wipes out personal liability, so no deficiency can be collected"),
    "bankruptcy_ch13": OptionFacts("bankruptcy_ch13", "Chapter 13 bankruptcy", True, False, "bankruptcy", 7, 2,
                                   "discharged", "catch up the arrears over 3-5 years under court protection"),
    "foreclosure": OptionFacts("foreclosure", "Walking away (foreclosure)", False, False, "foreclosure", 7, 7,
                               "state_law", "stop paying and let the lender foreclose"),
}

_NO_DEFICIENCY_EFFECTS = ("none", "not_applicable", "paid_by_seller")

# FICO research (24 Mar 2011): score ranges after an event, by starting score.
DEFAULT_FICO_RANGES = {
    "late_30": {"680": (600, 620), "720": (630, 650), "780": (670, 690)},
    "late_90": {"680": (600, 620), "720": (610, 630), "780": (650, 670)},
    "short_sale_no_deficiency": {"680": (610, 630), "720": (605, 625), "780": (655, 675)},
    "short_sale_deficiency": {"680": (575, 595), "720": (570, 590), "780": (620, 640)},
    "foreclosure": {"680": (575, 595), "720": (570, 590), "780": (620, 640)},
    "bankruptcy": {"680": (530, 550), "720": (525, 545), "780": (540, 560)},
}


def _fannie_wait(record: Any) -> Optional[float]:
    """Fannie Mae's waiting period in years from an Alternative record's ``waiting_periods``."""
    periods = _get(record, "waiting_periods") or {}
    if not isinstance(periods, Mapping):
        # the repository's WaitingPeriod records: (agency, years, with_ec_years, summary, uncertain)
        for period in periods:
            if _get(period, "agency") == "fannie_mae" and _get(period, "years") is not None:
                return float(_get(period, "years"))
        return None
    for key in ("fannie_mae", "fannie", "Fannie Mae", "conventional"):
        value = periods.get(key)
        if value is None:
            continue
        if isinstance(value, Mapping):
            value = value.get("years", value.get("standard"))
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            digits = "".join(ch if (ch.isdigit() or ch == ".") else " " for ch in value).split()
            if digits:
                return float(digits[0])
    return None


def option_facts(alternatives: Iterable[Any] = ()) -> dict:
    """Option key -> OptionFacts, from the repository's Alternative records over the defaults."""
    facts = dict(_DEFAULT_OPTIONS)
    for record in alternatives or ():
        key = _get(record, "key")
        if not key:
            continue
        base = facts.get(key)
        if base is None:
            base = OptionFacts(key, _get(record, "name", key), None, False, None, None, None, "state_law")
        effect = _get(record, "deficiency_effect") or base.deficiency_effect
        approval = _get(record, "requires_lender_approval")
        keeps = _get(record, "keeps_home")
        years = _get(record, "credit_report_years")
        wait = _fannie_wait(record)
        facts[key] = replace(
            base,
            name=_get(record, "name") or base.name,
            keeps_home=keeps if keeps is not None else base.keeps_home,
            lender_approval=bool(approval) if approval is not None else base.lender_approval,
            fico_event=_get(record, "fico_event") or base.fico_event,
            report_years=float(years) if years is not None else base.report_years,
            fannie_wait_years=wait if wait is not None else base.fannie_wait_years,
            deficiency_effect=effect,
            summary=_get(record, "summary") or base.summary,
        )
    return facts


@dataclass(frozen=True)
class RankedOption:
    key: str
    name: str
    reason: str
    score: int


def rank_options(
    scenario: Scenario,
    exposure: Optional[DeficiencyExposure] = None,
    alternatives: Iterable[Any] = (),
    limit: int = 5,
) -> list:
    """Options best first for this situation, each with a one-line reason.

    Rules that always hold: walking away (foreclosure) is never first; when the home is not
    underwater a normal sale ranks above walking away; options that need something the user
    doesn't have (a hardship, equity, being current) are ranked low and say why.
    """
    facts = option_facts(alternatives)
    eq = None
    if scenario.home_value and scenario.loan_balance is not None:
        eq = equity(scenario.home_value, scenario.loan_balance)
    underwater = eq is not None and eq.is_underwater
    gap = eq.underwater if eq else 0.0
    behind = scenario.is_behind
    months = scenario.months_behind or 0
    hardship = bool(scenario.hardship)
    goal = scenario.goal or "undecided"
    keep = goal == "keep_home"
    leave = goal == "leave_home"
    primary = scenario.occupancy in (None, "primary")
    protected = exposure is not None and exposure.status in (BARRED, BARRED_USUAL)
    exposed = exposure is not None and exposure.lender_can_pursue

    scored = []

    def add(key: str, score: int, reason: str) -> None:
        scored.append(RankedOption(key, facts[key].name, reason, score))

    if eq is not None and not underwater:
        add("sell_market", 90 if not keep else 40,
            f"you have about {usd(eq.equity)} in equity; a normal sale pays the loan off and leaves your credit clean.")
        if keep or goal == "undecided":
            if behind:
                add("repayment_plan", 85 if not hardship else 70,
                    "catch up the missed payments over a few months and keep the home.")
                add("loan_modification", 80 if hardship else 60,
                    "lowers the payment for good" + (" — your hardship helps you qualify." if hardship
                                                     else "; usually needs a hardship."))
                if hardship:
                    add("forbearance", 75, "a pause while you recover from the hardship; the skipped amount is repaid later.")
            else:
                add("refinance", 80 if eq.ltv_percent <= 80 else 65,
                    f"with a loan-to-value of {eq.ltv_percent}% you may qualify for a lower rate.")
                add("keep_paying", 70, "you're current and not underwater — staying put costs nothing extra.")
        add("foreclosure", 0,
            f"you'd lose your {usd(eq.equity)} of equity and take the biggest credit hit — selling beats walking away.")
        return _finish(scored, limit)

    # underwater, or value/balance unknown
    if keep or goal == "undecided":
        if behind:
            add("loan_modification", 90 if (hardship or months >= 2) else 70,
                "you're behind" + (" with a hardship" if hardship else "")
                + " — a modification can fold the arrears into the loan and lower the payment.")
            add("repayment_plan", 75 if not hardship else 60,
                "if your income is back, spread the missed payments over the next months.")
            if hardship:
                add("forbearance", 72, "a temporary pause while the hardship lasts; the missed amount is repaid later.")
            add("bankruptcy_ch13", 40 if hardship else 25,
                "Chapter 13 can stop a foreclosure sale and catch up the arrears over 3-5 years; see a bankruptcy attorney.")
        else:
            if hardship:
                add("loan_modification", 88,
                    "your hardship can qualify you even while current (\"imminent default\") — ask the servicer.")
                add("forbearance", 70, "a short pause if the hardship is temporary; the skipped amount is repaid later.")
            else:
                add("keep_paying", 85 if keep else 70,
                    "you're current: keeping the loan protects your credit while prices and your balance recover.")
                add("loan_modification", 45, "usually needs a hardship, so approval is unlikely while you can pay.")
            add("refinance", 35,
                "underwater refinance programs have ended; only an FHA or VA streamline refinance may still work.")
        if primary and not behind:
            add("rent_out", 55 if goal == "undecided" else 45,
                "if rent covers the payment, you wait for prices to recover — check your mortgage's occupancy clause.")

    if leave or goal == "undecided":
        base = 85 if leave else 60
        if underwater and gap and scenario.home_value and gap <= 0.05 * scenario.home_value and not behind:
            add("sell", base + 5,
                f"the gap is only about {usd(gap)}; paying it at closing avoids any credit damage.")
        short_sale_barred = exposure is not None and exposure.short_sale_barred is True
        add("short_sale", base,
            "you sell for what the market pays with the lender's approval"
            + (f"; {exposure.state_name} law bars collecting the rest afterwards." if short_sale_barred
               else "; get the waiver of any remaining balance in writing."))
        add("deed_in_lieu", base - 5,
            "you hand the deed back; quicker than a short sale, also needs approval"
            + (" — ask for a written deficiency waiver." if exposed or not short_sale_barred else "."))
        if primary and not behind and leave:
            add("rent_out", 50,
                "if rent covers the payment, you keep the home and wait for prices to recover.")
        if behind and exposed and hardship:
            add("bankruptcy_ch7", 45, "can wipe out a deficiency the lender could otherwise seek; see a bankruptcy attorney.")
        if not hardship:
            add("loan_modification", 30, "usually needs a hardship, so unlikely to be approved now.")

    if protected:
        reason = (f"no deficiency in {exposure.state_name}, but it stays on your credit report 7 years and you "
                  "remain the owner — taxes, insurance, HOA dues — until the sale.")
    elif exposed:
        reason = (f"you could still owe the shortfall in {exposure.state_name}, it stays on your credit report "
                  "7 years and you remain the owner until the sale.")
    else:
        reason = "the biggest credit hit and a 7-year wait for a new Fannie Mae loan; you remain the owner until the sale."
    add("foreclosure", 10 if (protected and leave and not primary) else 5, reason)
    return _finish(scored, limit)


def _finish(scored: list, limit: int) -> list:
    best = {}
    for option in scored:
        if option.key not in best or option.score > best[option.key].score:
            best[option.key] = option
    ordered = sorted(best.values(), key=lambda o: (-o.score, o.key))
    # walking away is never first, and it always appears (as the reference point), last
    walk = [o for o in ordered if o.key == "foreclosure"]
    others = [o for o in ordered if o.key != "foreclosure"]
    keep = others[: max(limit - len(walk), 1)]
    return keep + walk


# --- 4. consequences ------------------------------------------------------------------------


def fico_range(event: Optional[str], start: str = "720", fico: Optional[Mapping] = None) -> Optional[tuple]:
    """(low, high) score after ``event`` from a ``start`` of 680, 720 or 780."""
    if not event:
        return None
    table = dict(DEFAULT_FICO_RANGES)
    table.update(fico_table(fico))
    ranges = table.get(event)
    if not isinstance(ranges, Mapping):
        return None
    value = ranges.get(str(start))
    return (int(value[0]), int(value[1])) if value else None


def fico_table(fico: Any) -> dict:
    """event -> {"680": (lo, hi), ...} from a mapping or from FicoImpact records (``event``, ``ranges``)."""
    if not fico:
        return {}
    if isinstance(fico, Mapping):
        return {str(k): {str(s): v for s, v in r.items()} for k, r in fico.items() if isinstance(r, Mapping)}
    table = {}
    for record in fico:
        event, ranges = _get(record, "event"), _get(record, "ranges")
        if not event:
            continue
        if isinstance(ranges, Mapping):
            table[event] = {str(s): v for s, v in ranges.items()}
        elif ranges:
            # the repository's FicoImpact: ((start, low, high), ...)
            table[event] = {str(start): (low, high) for start, low, high in ranges}
    return table


def consequences(
    scenario: Scenario,
    exposure: Optional[DeficiencyExposure],
    options: Sequence[RankedOption],
    alternatives: Iterable[Any] = (),
    fico: Optional[Mapping] = None,
) -> list:
    """Sentences on credit, time on the report, waiting periods and taxes — only for options listed."""
    facts = option_facts(alternatives)
    keys = [o.key for o in options]
    lines = []
    losing = [k for k in keys if k in ("short_sale", "deed_in_lieu", "foreclosure")]
    if "foreclosure" in losing:
        rng = fico_range("foreclosure", "720", fico)
        f = facts["foreclosure"]
        lines.append(
            f"Credit: a foreclosure typically takes a 720 score to about {rng[0]}–{rng[1]}"
            f" and stays on your report {_years(f.report_years) or '7 years'}; Fannie Mae's wait for a new "
            f"loan is {_years(f.fannie_wait_years) or '7 years'} (3 with documented extenuating circumstances)."
            if rng else "Credit: a foreclosure stays on your report 7 years."
        )
    if "short_sale" in losing or "deed_in_lieu" in losing:
        rng = fico_range("short_sale_no_deficiency", "720", fico)
        f = facts["short_sale"]
        lines.append(
            f"A short sale or deed in lieu without a remaining balance typically takes a 720 score to about "
            f"{rng[0]}–{rng[1]}; Fannie Mae's wait is {_years(f.fannie_wait_years) or '4 years'} (2 with extenuating "
            "circumstances), and FHA's is 3."
            if rng else "A short sale or deed in lieu: Fannie Mae's wait is 4 years."
        )
    if scenario.is_behind:
        event = "late_90" if (scenario.months_behind or 0) >= 3 else "late_30"
        rng = fico_range(event, "720", fico)
        if rng:
            lines.append(
                f"Already being behind counts: {'90' if event == 'late_90' else '30'}+ days late typically "
                f"takes a 720 score to {rng[0]}–{rng[1]}, and late payments stay on the report 7 years."
            )
    if scenario.is_behind and (scenario.months_behind or 0) * 30 > 120:
        lines.append("You're past the 120 days after which the servicer may start a foreclosure — act soon.")
    elif scenario.is_behind:
        lines.append(
            "The servicer can't start a foreclosure until you're more than 120 days behind; a complete "
            "loss-mitigation application before then pauses it."
        )
    tax = tax_note(scenario, exposure)
    if tax:
        lines.append(tax)
    return lines


def tax_note(scenario: Scenario, exposure: Optional[DeficiencyExposure]) -> Optional[str]:
    """Taxes on forgiven debt — only when there is a shortfall that could be forgiven."""
    if exposure is None or exposure.status == NO_SHORTFALL or not exposure.shortfall:
        return None
    if exposure.status in (BARRED, BARRED_USUAL):
        return (
            "Taxes: with a non-recourse loan a foreclosure is treated as a sale for the amount owed, so "
            "there is usually no cancelled-debt income; ask a tax professional about any gain."
        )
    principal = scenario.occupancy in (None, "primary")
    text = (
        f"Taxes: if the lender forgives the {usd(exposure.shortfall)} shortfall, it may send a 1099-C and the "
        "forgiven amount can count as income."
    )
    if principal:
        text += (
            " The principal-residence exclusion lapsed for debt forgiven after 2025 unless arranged in "
            "writing before 2026 — check irs.gov (Form 982) or a tax professional; insolvency or bankruptcy "
            "can still exclude it."
        )
    else:
        text += " The principal-residence exclusion doesn't cover a second home or rental; insolvency or bankruptcy may."
    return text


# --- 5. next steps, review date and sources ---------------------------------------------------


def next_steps(scenario: Scenario, exposure: Optional[DeficiencyExposure]) -> list:
    name = exposure.state_name if exposure else None
    steps = [f"A HUD-approved housing counselor is free: {HUD_COUNSELOR_PHONE}."]
    where = f"{_article(name)} {name} real-estate attorney" if name else "A real-estate attorney"
    if exposure is None:
        steps.append("Tell me your state and I'll check whether the lender could pursue a shortfall there.")
    elif exposure.status in (BARRED, BARRED_USUAL):
        steps.append(f"{where} can confirm your loan qualifies for the protection.")
    elif exposure.status == NO_SHORTFALL:
        steps.append("A local real-estate agent can tell you what the home would sell for today.")
    else:
        steps.append(
            f"{where} can tell you whether the lender is likely to pursue the shortfall and negotiate a "
            "written deficiency waiver in a short sale or deed in lieu."
        )
        if scenario.is_behind and scenario.hardship:
            steps.append("A bankruptcy attorney can say whether Chapter 7 or 13 would protect you.")
    return steps


def review_month(state: Any) -> Optional[str]:
    reviewed = _get(state, "last_reviewed")
    if reviewed is None:
        return None
    text = reviewed.isoformat() if hasattr(reviewed, "isoformat") else str(reviewed)
    return text[:7]


def sources(state: Any, options: Sequence[RankedOption] = ()) -> list:
    cited = list(_get(state, "key_statutes", ()) or ())[:2] if state is not None else []
    keys = {o.key for o in options}
    if keys & {"foreclosure", "short_sale", "deed_in_lieu"}:
        cited.append("FICO score-impact study (2011)")
        cited.append("Fannie Mae Selling Guide B3-5.3-07")
    return cited


# --- 6. everything together ---------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    scenario: Scenario
    state_name: Optional[str]
    equity: Optional[Equity]
    exposure: Optional[DeficiencyExposure]
    options: tuple
    consequences: tuple
    next_steps: tuple
    reviewed: Optional[str]
    sources: tuple
    missing: tuple = field(default=())


def assess(
    scenario: Scenario,
    state: Any = None,
    alternatives: Iterable[Any] = (),
    fico: Optional[Mapping] = None,
) -> Assessment:
    """The full assessment. ``state`` is the StateLaw record for ``scenario.us_state`` (or None)."""
    alternatives = list(alternatives or ())
    eq = None
    if scenario.home_value and scenario.loan_balance is not None and scenario.home_value > 0:
        eq = equity(scenario.home_value, scenario.loan_balance)
    exposure = deficiency_exposure(state, scenario) if state is not None else None
    options = rank_options(scenario, exposure, alternatives)
    missing = tuple(
        name for name in ("us_state", "home_value", "loan_balance") if getattr(scenario, name) is None
    )
    return Assessment(
        scenario=scenario,
        state_name=_get(state, "name") if state is not None else None,
        equity=eq,
        exposure=exposure,
        options=tuple(options),
        consequences=tuple(consequences(scenario, exposure, options, alternatives, fico)),
        next_steps=tuple(next_steps(scenario, exposure)),
        reviewed=review_month(state) if state is not None else None,
        sources=tuple(sources(state, options)),
        missing=missing,
    )


# --- 7. text (markdown) -----------------------------------------------------------------------


def standing_text(eq: Optional[Equity]) -> Optional[str]:
    if eq is None:
        return None
    if eq.is_underwater:
        return (
            f"**Where you stand:** you owe {usd(eq.loan_balance)} on a home worth about {usd(eq.home_value)} — "
            f"**{usd(eq.underwater)} underwater** (loan-to-value {eq.ltv_percent}%)."
        )
    if eq.equity == 0:
        return (
            f"**Where you stand:** you owe about what the home is worth ({usd(eq.home_value)}) — "
            "not underwater, but selling costs (agent, closing) would leave a small gap."
        )
    return (
        f"**Where you stand:** the home is worth about {usd(eq.home_value)} and you owe {usd(eq.loan_balance)} — "
        f"you are **not underwater**; you have about {usd(eq.equity)} in equity (loan-to-value {eq.ltv_percent}%)."
    )


def deficiency_text(exposure: Optional[DeficiencyExposure]) -> Optional[str]:
    if exposure is None:
        return None
    amount = f" for the {usd(exposure.shortfall)}" if exposure.shortfall else ""
    parts = [f"**Could the lender come after you{amount}?** {exposure.headline}"]
    if exposure.status != NO_SHORTFALL:
        parts.extend(deficiency_details(exposure))
    parts.extend(exposure.caveats[:1] if exposure.status != NO_SHORTFALL else exposure.caveats)
    return "\n".join(parts)


def options_text(options: Sequence[RankedOption]) -> str:
    lines = ["**Your options, best first for your situation:**"]
    for number, option in enumerate(options, start=1):
        lines.append(f"{number}. **{option.name}** — {option.reason}")
    return "\n".join(lines)


def consequences_text(assessment: Assessment) -> Optional[str]:
    if not assessment.consequences:
        return None
    return "\n".join(f"- {line}" for line in assessment.consequences)


def next_steps_text(assessment: Assessment) -> str:
    return "**Next steps:** " + " ".join(assessment.next_steps)


def sources_text(assessment: Assessment) -> Optional[str]:
    if not assessment.sources and not assessment.reviewed:
        return None
    text = "_Sources: " + "; ".join(assessment.sources) + "."
    if assessment.reviewed:
        text += f" Rules reviewed {assessment.reviewed}."
    return text + "_"


SLOT_LABELS = {
    "us_state": "state",
    "home_value": "home value",
    "loan_balance": "amount owed",
    "payment_status": "payments",
    "months_behind": "months behind",
    "loan_purpose": "loan type",
    "occupancy": "occupancy",
    "hardship": "hardship",
    "goal": "goal",
    "second_lien_balance": "of that, second mortgage / HELOC",
}

VALUE_LABELS = {
    "current": "current",
    "behind": "behind",
    "purchase": "purchase loan",
    "refinance": "refinance",
    "cash_out": "cash-out refinance",
    "heloc": "HELOC / second mortgage",
    "primary": "your home",
    "second_home": "second home",
    "investment": "rental / investment",
    "keep_home": "keep the home",
    "leave_home": "leave the home",
    "undecided": "undecided",
}


def describe_value(slot: str, value: Any, state_names: Optional[Mapping[str, str]] = None) -> str:
    if value is None:
        return "unknown"
    if slot in ("home_value", "loan_balance", "second_lien_balance"):
        return usd(float(value))
    if slot == "months_behind":
        return _months(value)
    if slot == "hardship":
        return "yes" if value else "no"
    if slot == "us_state":
        return (state_names or {}).get(value, value)
    return VALUE_LABELS.get(value, str(value))


def changes_text(changes: Mapping[str, tuple], state_names: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """"with Arizona instead of Texas, home value $400,000 instead of $300,000"."""
    parts = []
    for slot, (old, new) in changes.items():
        if old is None or new is None:
            continue
        parts.append(
            f"{SLOT_LABELS.get(slot, slot)} {describe_value(slot, new, state_names)} instead of "
            f"{describe_value(slot, old, state_names)}"
        )
    return ", ".join(parts) if parts else None


# --- 8. side by side ---------------------------------------------------------------------------

COMPARE_KEYS = ("loan_modification", "short_sale", "deed_in_lieu", "bankruptcy_ch7", "foreclosure")


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    name: str
    deficiency_risk: str
    credit_impact: str
    on_report: str
    fannie_wait: str
    lender_approval: str
    keeps_home: str


def _deficiency_cell(facts: OptionFacts, exposure: Optional[DeficiencyExposure]) -> str:
    if facts.deficiency_effect in _NO_DEFICIENCY_EFFECTS:
        return "none"
    if facts.deficiency_effect == "discharged":
        return "can be discharged"
    status = exposure.status if exposure else None
    if status == NO_SHORTFALL:
        return "none (not underwater)"
    where = f" in {exposure.state_code}" if exposure else ""
    if facts.deficiency_effect == "waiver_needed":
        if facts.key == "short_sale" and exposure is not None and exposure.short_sale_barred:
            return f"barred{where}"
        return "get a written waiver"
    if status in (BARRED, BARRED_USUAL):
        return f"barred{where}"
    if status == CAPPED:
        return "capped at debt − value"
    if status == ALLOWED:
        return "possible"
    if status == DEPENDS_PROCESS:
        return "depends on how it forecloses"
    if status == UNCLEAR:
        return "unclear for this loan"
    return "depends on state"


def compare(
    keys: Sequence[str] = COMPARE_KEYS,
    exposure: Optional[DeficiencyExposure] = None,
    scenario: Optional[Scenario] = None,
    alternatives: Iterable[Any] = (),
    fico: Optional[Mapping] = None,
) -> list:
    """Rows of the side-by-side comparison for the given option keys."""
    facts = option_facts(alternatives)
    behind = scenario.is_behind if scenario else False
    rows = []
    for key in keys:
        f = facts.get(key)
        if f is None:
            continue
        rng = fico_range(f.fico_event, "720", fico) if f.fico_event else None
        if key == "loan_modification":
            credit = "some, from late payments" if behind else "small if current"
        elif rng and (f.fico_event or "").startswith("late"):
            credit = f"late payments (720 → {rng[0]}–{rng[1]})"
        elif rng:
            credit = f"large (720 → {rng[0]}–{rng[1]})"
        else:
            credit = "none" if key in ("sell", "keep_paying", "rent_out", "sell_market") else "small"
        rows.append(
            ComparisonRow(
                key=key,
                name=f.name,
                deficiency_risk=_deficiency_cell(f, exposure),
                credit_impact=credit,
                on_report=(f"{f.report_years:g} yrs" if f.report_years and key != "loan_modification" else "—"),
                fannie_wait=(f"{f.fannie_wait_years:g} yrs" if f.fannie_wait_years else "—"),
                lender_approval="yes" if f.lender_approval else "no",
                keeps_home={True: "yes", False: "no", None: "maybe"}[f.keeps_home],
            )
        )
    return rows


COMPARE_HEADERS = ("", "deficiency risk here", "credit impact", "on report", "Fannie Mae wait",
                   "lender approval", "keeps home")


def comparison_table(rows: Sequence[ComparisonRow]) -> str:
    """A markdown table (web chat)."""
    lines = ["| " + " | ".join(COMPARE_HEADERS) + " |", "|" + "---|" * len(COMPARE_HEADERS)]
    for r in rows:
        cells = (r.name, r.deficiency_risk, r.credit_impact, r.on_report, r.fannie_wait,
                 r.lender_approval, r.keeps_home)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def comparison_list(rows: Sequence[ComparisonRow]) -> str:
    """A plain list (Slack, Telegram and other channels without tables)."""
    blocks = []
    for r in rows:
        blocks.append(
            f"*{r.name}*\n"
            f"• deficiency risk: {r.deficiency_risk}\n"
            f"• credit: {r.credit_impact}; on report: {r.on_report}\n"
            f"• Fannie Mae wait: {r.fannie_wait}; lender approval: {r.lender_approval}; keeps home: {r.keeps_home}"
        )
    return "\n\n".join(blocks)

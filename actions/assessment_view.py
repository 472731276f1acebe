"""Words for an :class:`knowledge.assessment.Assessment`: the messages of the personal assessment
and the side-by-side comparison, filled from the domain's responses (bot/domain/assessment.yml).

Each function returns message texts; the action sends them. One message per part (where you
stand and each lender, the options, the consequences, next steps and sources) keeps each chat
bubble readable.
"""
from __future__ import annotations

from typing import Any, List, Mapping, Optional, Sequence, Text

from knowledge.assessment import Assessment
from knowledge.assessment.compare import ComparisonRow
from knowledge.assessment.consequences import START_SCORE
from knowledge.assessment.deficiency import ALLOWED, BARRED, CAPPED, DEPENDS, Outcome
from knowledge.vocabulary.amounts import format_usd

from actions.response_text import render
from actions.scenario_labels import LENDER_PHRASES, PURPOSE_PHRASES, dates_phrase, either

MAX_SOURCES = 6


class View:
    """Renders for one channel with one domain's responses."""

    def __init__(self, domain: Mapping[Text, Any], channel: Optional[Text] = None) -> None:
        self.domain = domain
        self.channel = channel

    def say(self, response: Text, **variables: Any) -> Text:
        return render(self.domain, response, self.channel, **variables)

    # --- where you stand and each lender ---------------------------------------------------------

    def standing(self, result: Assessment) -> Optional[Text]:
        eq = result.equity
        if eq is None:
            return None
        liens = result.scenario.liens()
        amounts = {lien.position: format_usd(lien.balance) for lien in liens}
        common = dict(owed=format_usd(eq.owed), value=format_usd(eq.home_value), ltv=eq.ltv_percent)
        if eq.is_underwater:
            if len(liens) > 1:
                return self.say("utter_standing_underwater_liens", underwater=format_usd(eq.underwater),
                                first=amounts["first"], second=amounts["second"], **common)
            return self.say("utter_standing_underwater", underwater=format_usd(eq.underwater), **common)
        if eq.equity == 0:
            return self.say("utter_standing_even", **common)
        part = self.say("utter_standing_liens_part", **amounts) if len(liens) > 1 else ""
        return self.say("utter_standing_equity", equity=format_usd(eq.equity), liens=part, **common)

    def lenders(self, result: Assessment) -> Optional[Text]:
        """The header, a line per lien on the usual route, then the other route and a short sale."""
        if not result.exposures or result.state is None:
            return None
        state = result.state
        two = len(result.exposures) > 1
        route = self.say(f"utter_route_{result.exposures[0].likely.route}")
        lines = [self.say("utter_liens_header" if two else "utter_liens_header_one",
                          state_name=state.name, route=route)]
        notes = []
        for exposure in result.exposures:
            lines.append(self._lien_line(exposure, exposure.likely, two, result))
            if exposure.shortfall:
                notes.extend(self._notes(exposure, result))
        lines += list(dict.fromkeys(notes))
        others = [e.other for e in result.exposures if e.other is not None]
        if others:
            lines.append(self.say("utter_other_route_header", liens=self._short_lines(result, "other", two)))
        lines.append(self.say("utter_short_sale_header", liens=self._short_lines(result, "short_sale", two)))
        return "\n".join(lines)

    def _notes(self, exposure, result: Assessment) -> List[Text]:
        """Under a lien's line: the protection the user's own facts rule out (so a caveat that flips
        the answer is never hidden), what is not settled, and a sold-out junior's time limit."""
        outcome, state, notes = exposure.likely, result.state, []
        if outcome.status != BARRED and outcome.excluded:
            protection, failed = outcome.excluded[0]
            notes.append(self.say("utter_lien_not_covered", rule=protection.name, statute=protection.statute,
                                  conditions=self.conditions(protection, failed)))
        protection = outcome.protection
        if protection is not None and protection.uncertain and outcome.status in (BARRED, DEPENDS):
            notes.append(self.say("utter_lien_not_settled", state_name=state.name, rule=protection.name))
        fact = result.facts.get("sold_out_junior_time_limit")
        if outcome.sold_out and outcome.status != BARRED and fact is not None:
            notes.append(self.say("utter_sold_out_time_limit", fact=fact.statement.rstrip("."), state_name=state.name))
        return notes

    def _lien_name(self, position: Text, two: bool) -> Text:
        return self.say("utter_lien_only" if not two else f"utter_lien_{position}")

    def _lien_line(self, exposure, outcome: Outcome, two: bool, result: Assessment) -> Text:
        lien = self._lien_name(exposure.lien.position, two)
        state = result.state
        if exposure.shortfall == 0:
            return self.say("utter_lien_paid", lien=lien, value=format_usd(result.scenario.home_value))
        amount = format_usd(outcome.claim) if outcome.claim is not None else self._unknown_amount()
        protection = outcome.protection
        parts = self._protection_parts(protection, outcome) if protection is not None else {}
        if outcome.status == BARRED:
            return self.say("utter_lien_barred", lien=lien, **parts)
        if outcome.status == DEPENDS:
            name = "utter_lien_sold_out_depends" if outcome.sold_out else "utter_lien_depends"
            return self.say(name, lien=lien, amount=amount, **parts)
        if outcome.sold_out and outcome.status == ALLOWED:
            return self.say("utter_lien_sold_out", lien=lien, amount=amount, state_name=state.name)
        deadline = self._deadline(state)
        if outcome.status == CAPPED:
            return self.say("utter_lien_capped", lien=lien, amount=amount, statute=protection.statute, deadline=deadline)
        return self.say("utter_lien_allowed", lien=lien, amount=amount, deadline=deadline)

    def _unknown_amount(self) -> Text:
        return self.say("utter_amount_unknown")

    def _deadline(self, state: Any) -> Text:
        months = state.deficiency_deadline_months
        if not months:
            return ""
        return self.say("utter_deadline_part", months=_months(months))

    def _protection_parts(self, protection: Any, outcome: Outcome) -> dict:
        assumed = ""
        if "dwelling_units" in outcome.assumed and protection.max_units:
            assumed = self.say("utter_assumed_part", units=_units(protection.max_units))
        unchecked = ""
        # with no open slot the conditions are the unchecked ones themselves (``conditions``): said once
        if protection.unchecked and outcome.open_slots:
            unchecked = self.say("utter_unchecked_part", unchecked=" and ".join(u.rstrip(".") for u in protection.unchecked))
        return dict(rule=protection.name, statute=protection.statute, assumed=assumed, unchecked=unchecked,
                    conditions=self.conditions(protection, outcome.open_slots))

    def conditions(self, protection: Any, slots: Sequence[Text]) -> Text:
        """The open conditions of ``protection`` in words: "the lot is 2.5 acres or less and ..."."""
        phrases = []
        for slot in slots:
            if slot in ("loan_purpose", "second_lien_purpose"):
                phrases.append(self.say(f"utter_condition_{slot}",
                                        purposes=either(PURPOSE_PHRASES[p] for p in protection.loan_purpose)))
            elif slot == "lender_type":
                phrases.append(self.say("utter_condition_lender_type",
                                        lenders=either(LENDER_PHRASES[p] for p in protection.lender_type)))
            elif slot in ("loan_year", "second_lien_year"):
                phrases.append(self.say(f"utter_condition_{slot}",
                                        dates=dates_phrase(protection.loan_date_from, protection.loan_date_before)))
            elif slot == "lot_acres":
                phrases.append(self.say("utter_condition_lot_acres", max_acres=f"{protection.max_acres:g}"))
            elif slot == "occupancy":
                phrases.append(self.say("utter_condition_occupancy"))
            elif slot == "dwelling_units":
                phrases.append(self.say("utter_condition_dwelling_units", units=_units(protection.max_units)))
        if not slots and protection.unchecked:
            phrases.extend(u.rstrip(".") for u in protection.unchecked)
        return " and ".join(phrases)

    def _short_lines(self, result: Assessment, which: Text, two: bool) -> Text:
        parts = []
        for exposure in result.exposures:
            outcome = getattr(exposure, which)
            lien = self._lien_name(exposure.lien.position, two) + ":"
            amount = format_usd(outcome.claim) if outcome.claim is not None else self._unknown_amount()
            statute = outcome.protection.statute if outcome.protection is not None else ""
            if exposure.shortfall == 0:
                parts.append(self.say("utter_short_paid", lien=lien))
            elif outcome.status == BARRED:
                parts.append(self.say("utter_short_barred", lien=lien, statute=statute))
            elif outcome.status == DEPENDS and "waiver" in outcome.open_slots:
                parts.append(self.say("utter_short_waiver", lien=lien, amount=amount))
            elif outcome.status == DEPENDS:
                conditions = self.conditions(outcome.protection, outcome.open_slots)
                if outcome.open_slots and outcome.protection.unchecked:  # never drop the unchecked ones
                    conditions = " and ".join([conditions] + [u.rstrip(".") for u in outcome.protection.unchecked])
                parts.append(self.say("utter_short_depends", lien=lien, statute=statute, conditions=conditions))
            elif outcome.status == CAPPED:
                parts.append(self.say("utter_short_capped", lien=lien, amount=amount))
            else:
                parts.append(self.say("utter_short_allowed", lien=lien, amount=amount))
        return " · ".join(parts)

    # --- options, consequences, next steps, sources ------------------------------------------------

    def options(self, result: Assessment) -> Text:
        lines = [self.say("utter_options_header")]
        for number, option in enumerate(result.options, start=1):
            variables = {k: format_usd(v) if k in ("equity", "gap", "amount") else v
                         for k, v in option.variables.items()}
            reason = self.say(f"utter_reason_{option.reason}", **variables)
            lines.append(self.say("utter_option_line", number=number, name=option.name, reason=reason))
        return "\n".join(lines)

    def consequences(self, result: Assessment) -> Optional[Text]:
        lines = []
        for item in result.consequences:
            variables = dict(item.variables)
            if "position" in variables:
                variables["position"] = self.say(f"utter_position_{variables['position']}")
            if variables.get("amount") is not None:
                variables["amount"] = format_usd(variables["amount"])
            for key in ("report_years", "wait_years", "wait_ec_years"):
                if isinstance(variables.get(key), float):
                    variables[key] = f"{variables[key]:g}"
            lines.append("- " + self.say(f"utter_consequence_{item.key}", **variables))
        return "\n".join(lines) if lines else None

    def closing(self, result: Assessment, phone: Text) -> Text:
        state = result.state
        if state is None or not result.exposures:
            steps = [self.say("utter_next_steps_no_state", phone=phone)]
        else:
            attorney = self.say("utter_attorney", state_name=state.name,
                                article="An" if state.name[:1] in "AEIOU" else "A")
            outcomes = [e.likely for e in result.exposures if e.shortfall]
            if not outcomes:
                steps = [self.say("utter_next_steps_no_shortfall", phone=phone)]
            elif all(o.status == BARRED for o in outcomes):
                steps = [self.say("utter_next_steps_protected", phone=phone, attorney=attorney)]
            else:
                steps = [self.say("utter_next_steps_exposed", phone=phone, attorney=attorney)]
                if result.scenario.is_behind and result.scenario.hardship:
                    steps.append(self.say("utter_next_steps_bankruptcy"))
        text = " ".join(steps)
        if state is not None:
            text += "\n\n" + self.say("utter_sources", sources="; ".join(sources(result)),
                                      reviewed=state.last_reviewed.isoformat()[:7])
        return text

    # --- side by side ---------------------------------------------------------------------------

    def comparison(self, rows: Sequence[ComparisonRow], state_code: Optional[Text], as_list: bool) -> Text:
        cells = [self._cells(row, state_code) for row in rows]
        if as_list:
            return "\n\n".join(self.say("utter_compare_list_item", **c) for c in cells)
        header = self.say("utter_compare_headers")
        rule = "|" + "---|" * (header.count("|") - 1)
        body = [f"| {c['name']} | {c['deficiency']} | {c['credit']} | {c['report']} | {c['wait']} | "
                f"{c['approval']} | {c['keeps']} |" for c in cells]
        return "\n".join([header, rule] + body)

    def _cells(self, row: ComparisonRow, state_code: Optional[Text]) -> dict:
        none = self.say("utter_cell_none")
        if row.key == "loan_modification":
            credit = self.say("utter_cell_credit_modification")
        elif row.score:
            credit = self.say("utter_cell_credit_score", start=START_SCORE, low=row.score[0], high=row.score[1])
        else:
            credit = self.say("utter_cell_credit_none")
        yes_no = {True: "utter_cell_yes", False: "utter_cell_no", None: "utter_cell_maybe"}
        return dict(
            name=row.name,
            deficiency=self.say(f"utter_cell_deficiency_{row.deficiency}", state_code=state_code or ""),
            credit=credit,
            report=self.say("utter_cell_years", years=f"{row.report_years:g}")
            if row.report_years and row.key != "loan_modification" else none,
            wait=self.say("utter_cell_years", years=f"{row.wait_years:g}") if row.wait_years else none,
            approval=self.say(yes_no[bool(row.lender_approval)]),
            keeps=self.say(yes_no[row.keeps_home]),
        )


def _units(count: int) -> Text:
    return f"{count} unit" + ("" if count == 1 else "s")


def _months(months: float) -> Text:
    months = float(months)
    if months >= 12 and months % 12 == 0:
        years = int(months // 12)
        return f"{years} year" + ("" if years == 1 else "s")
    return f"{months:g} month" + ("" if months == 1 else "s")


def sources(result: Assessment) -> List[Text]:
    """The statutes and decisions that decided each lien, then the state's key statutes."""
    cited: List[Text] = []
    for exposure in result.exposures:
        if not exposure.shortfall:
            continue
        for outcome in (exposure.likely, exposure.other, exposure.short_sale):
            if outcome is None:
                continue
            deciding = [outcome.protection] if outcome.protection is not None else []
            deciding += [protection for protection, _ in outcome.excluded[:1]]
            if outcome.sold_out and outcome.status != BARRED and result.state is not None:
                # why a sold-out junior can sue: the route's bar covers only the lender that sold
                deciding += [p for p in result.state.protections
                             if p.route == outcome.route and p.lender == "foreclosing" and p.effect == BARRED]
            for protection in deciding:
                cited.append(protection.statute)
                cited.extend(protection.decisions[:2])
    if result.state is not None:
        cited.extend(result.state.key_statutes)
    return list(dict.fromkeys(cited))[:MAX_SOURCES]

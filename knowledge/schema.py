"""The state-law record and its protections, declared once (see knowledge/data/SCHEMA.md).

``STATE_FIELDS`` is the single list of a state file's fields. The checker validates against it,
``knowledge.models`` builds the ``state_law`` columns from it and ``knowledge.repository`` builds the
``StateLaw`` dataclass from it, so adding a field here adds it everywhere. The protection schema
(``PROTECTION_FIELDS``, ``CONDITION_FIELDS`` and their enums) and the ``Protection`` dataclass live
here too. Pure declarations and conversions: no I/O, no SQLAlchemy.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

# -- enums ----------------------------------------------------------------------------------------
PROCESSES = ("judicial", "nonjudicial", "both")
DEFICIENCY_ALLOWED = ("yes", "limited", "no")
RECOURSE_CATEGORIES = ("recourse", "recourse_limited", "non_recourse", "non_recourse_qualifying")
NON_RECOURSE_CATEGORIES = ("non_recourse", "non_recourse_qualifying")
CONFIDENCE = ("high", "medium", "low")

PROTECTION_EFFECTS = ("barred", "capped", "conditional")
PROTECTION_ROUTES = ("nonjudicial", "judicial", "any", "short_sale")
PROTECTION_LENDERS = ("foreclosing", "any")
OCCUPANCY = ("primary", "second_home", "investment")
LIEN_POSITIONS = ("first", "second")
LOAN_PURPOSES = ("purchase", "refinance", "cash_out", "heloc")
LENDER_TYPES = ("institution", "seller", "private")
ANY = "any"  # in a condition: the condition does not limit the protection


@dataclass(frozen=True)
class Field:
    """A field's type and meaning.

    ``kind`` is one of str | key | url | enum | bool | number | int | str_list | url_list | date |
    mapping | any_or_list (``"any"`` or a non-empty list drawn from ``choices``) | protection_list.
    """

    kind: str
    nullable: bool = False
    choices: tuple[str, ...] = ()
    doc: str = ""


def _f(kind: str, doc: str, *, nullable: bool = False, choices: tuple[str, ...] = ()) -> Field:
    return Field(kind, nullable=nullable, choices=choices, doc=doc)


STATE_FIELDS: dict[str, Field] = {
    "code": _f("str", "USPS code, same as the file name"),
    "name": _f("str", "the jurisdiction's name: 'Oregon'"),
    "foreclosure_process": _f("enum", "how home foreclosures usually go", choices=PROCESSES),
    "process_summary": _f("str", "how foreclosure works there, in a sentence"),
    "deficiency_allowed": _f("enum", "can a lender get a deficiency on a typical home loan", choices=DEFICIENCY_ALLOWED),
    "recourse_category": _f("enum", "the CSV's recourse category, normalized", choices=RECOURSE_CATEGORIES),
    "protection_summary": _f("str", "the anti-deficiency rule in plain words"),
    "nonjudicial_sale_bars_deficiency": _f("bool", "a trustee's sale ends personal liability"),
    "purchase_money_protected": _f("bool", "a loan used to buy the home is protected however foreclosed"),
    "refinance_protected": _f("bool", "a refinance is protected (null: depends/unclear)", nullable=True),
    "heloc_protected": _f("bool", "a HELOC / second mortgage is protected (null: depends/unclear)", nullable=True),
    "owner_occupied_required": _f("bool", "the protection applies only to a home the borrower lives in"),
    "short_sale_bars_deficiency": _f("bool", "a lender-approved short sale bars a deficiency", nullable=True),
    "acreage_limit": _f("number", "protection only for parcels up to this many acres", nullable=True),
    "max_units": _f("int", "protection only for dwellings of up to this many units", nullable=True),
    "fair_value_limit": _f("bool", "a deficiency is capped by the home's fair market value"),
    "fair_value_summary": _f("str", "the fair-value rule in plain words"),
    "deficiency_deadline_months": _f("number", "months after the sale to seek a deficiency", nullable=True),
    "deficiency_deadline_summary": _f("str", "the deadline in plain words"),
    "redemption_months": _f("number", "post-sale redemption period (0 = none)", nullable=True),
    "redemption_summary": _f("str", "redemption in plain words"),
    "timeline_months_min": _f("number", "rough months from the start of foreclosure to the sale", nullable=True),
    "timeline_months_max": _f("number", "upper end of that range", nullable=True),
    "timeline_summary": _f("str", "the timeline in plain words"),
    "key_statutes": _f("str_list", "statute citations"),
    "sources": _f("url_list", "source URLs (at least one)"),
    "confidence": _f("enum", "confidence from the CSV", choices=CONFIDENCE),
    "confidence_note": _f("str", "what is well supported, what conflicts"),
    "unconfirmed": _f("str_list", "facts we could not confirm"),
    "last_reviewed": _f("date", "when a person last checked the record"),
    "protections": _f("protection_list", "one entry per anti-deficiency rule, with its own conditions"),
}

PROTECTION_FIELDS: dict[str, Field] = {
    "key": _f("key", "snake_case, unique in the state file"),
    "name": _f("str", "short lower-case label the bot can say"),
    "effect": _f("enum", "barred: no deficiency; capped: limited by fair value; conditional: only after a step nobody can count on (stated, never decides)", choices=PROTECTION_EFFECTS),
    "route": _f("enum", "after which event it applies", choices=PROTECTION_ROUTES),
    "lender": _f("enum", "foreclosing: only the lender whose lien was sold; any: every lender", choices=PROTECTION_LENDERS),
    "conditions": _f("mapping", "every key of CONDITION_FIELDS, written out"),
    "statute": _f("str", "the citation that creates it"),
    "summary": _f("str", "one plain sentence: what it protects and when"),
    "sources": _f("url_list", "URLs of the statute text or decision"),
    "decisions": _f("str_list", "court decisions that settle how it applies"),
    "uncertain": _f("str_list", "what about it is not settled"),
}

CONDITION_FIELDS: dict[str, Field] = {
    "occupancy": _f("any_or_list", "who must live there", choices=OCCUPANCY),
    "lien_position": _f("any_or_list", "which lien it can cover", choices=LIEN_POSITIONS),
    "loan_purpose": _f("any_or_list", "what the loan was for", choices=LOAN_PURPOSES),
    "lender_type": _f("any_or_list", "who made the loan", choices=LENDER_TYPES),
    "max_units": _f("int", "dwelling units (null: no limit)", nullable=True),
    "max_acres": _f("number", "parcel size in acres (null: no limit)", nullable=True),
    "loan_date_from": _f("date", "the loan must be made on or after this date", nullable=True),
    "loan_date_before": _f("date", "the loan must be made before this date", nullable=True),
    "unchecked": _f("str_list", "further conditions the bot states but does not ask"),
}


# -- Python types of the record (used to build the StateLaw dataclass) ------------------------------
_PY_TYPES: dict[str, Any] = {
    "str": str,
    "key": str,
    "url": str,
    "enum": str,
    "bool": bool,
    "number": float,
    "int": int,
    "str_list": tuple[str, ...],
    "url_list": tuple[str, ...],
    "date": dt.date,
    "mapping": dict,
}


def python_type(field: Field) -> Any:
    """The annotation of a field in the returned dataclass (lists are tuples; nullable adds None)."""
    base = tuple[Protection, ...] if field.kind == "protection_list" else _PY_TYPES[field.kind]
    return base | None if field.nullable else base


def as_date(value: Any) -> dt.date | None:
    """A YAML/JSON date (``date`` or ISO string) as ``datetime.date``; None stays None.

    Raises ValueError for anything else (including a timestamp).
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date, got a timestamp {value!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")


def jsonable(value: Any) -> Any:
    """``value`` with dates as ISO strings (nested lists/mappings too), so it fits a JSON column."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


# -- protections --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Protection:
    """One anti-deficiency rule of a state with its own conditions (``None`` condition = any)."""

    key: str
    name: str
    effect: str  # "barred" | "capped" | "conditional"
    route: str  # "nonjudicial" | "judicial" | "any" | "short_sale"
    lender: str  # "foreclosing" | "any"
    occupancy: tuple[str, ...] | None
    lien_position: tuple[str, ...] | None
    loan_purpose: tuple[str, ...] | None
    lender_type: tuple[str, ...] | None
    max_units: int | None
    max_acres: float | None
    loan_date_from: dt.date | None
    loan_date_before: dt.date | None
    unchecked: tuple[str, ...]
    statute: str
    summary: str
    sources: tuple[str, ...]
    decisions: tuple[str, ...]
    uncertain: tuple[str, ...]


_REQUIRED = ("key", "name", "effect", "route", "lender")
_ENUMS = {"effect": PROTECTION_EFFECTS, "route": PROTECTION_ROUTES, "lender": PROTECTION_LENDERS}


def _any_or_tuple(name: str, value: Any) -> tuple[str, ...] | None:
    if value is None or value == ANY:
        return None
    choices = CONDITION_FIELDS[name].choices
    if isinstance(value, str) or not all(v in choices for v in value):
        raise ValueError(f"protection condition {name!r} must be 'any' or a list of {choices} (got {value!r})")
    return tuple(value)


def protection_from_mapping(data: Mapping[str, Any]) -> Protection:
    """A ``Protection`` from one ``protections:`` entry (YAML, JSON or a hand-written dict).

    ``key``, ``name``, ``effect``, ``route`` and ``lender`` are required; ``conditions`` and any of
    its keys may be left out in hand-written dicts (they then do not limit anything), as may
    statute/summary (empty) and the lists (empty). Dates may be ``date`` or ISO strings.
    Raises ValueError for a missing required key, an unknown key or an invalid enum value; it does
    not check what ``knowledge.check`` checks (non-empty statute, sources...).
    """
    unknown = set(data) - set(PROTECTION_FIELDS)
    missing = [k for k in _REQUIRED if k not in data]
    if unknown or missing:
        raise ValueError(f"protection mapping: missing {missing}, unknown {sorted(unknown)}")
    for name, choices in _ENUMS.items():
        if data[name] not in choices:
            raise ValueError(f"protection {data['key']!r}: {name} must be one of {choices} (got {data[name]!r})")
    conditions = data.get("conditions") or {}
    unknown = set(conditions) - set(CONDITION_FIELDS)
    if unknown:
        raise ValueError(f"protection {data['key']!r}: unknown conditions {sorted(unknown)}")
    max_units, max_acres = conditions.get("max_units"), conditions.get("max_acres")
    return Protection(
        key=data["key"],
        name=data["name"],
        effect=data["effect"],
        route=data["route"],
        lender=data["lender"],
        occupancy=_any_or_tuple("occupancy", conditions.get("occupancy")),
        lien_position=_any_or_tuple("lien_position", conditions.get("lien_position")),
        loan_purpose=_any_or_tuple("loan_purpose", conditions.get("loan_purpose")),
        lender_type=_any_or_tuple("lender_type", conditions.get("lender_type")),
        max_units=None if max_units is None else int(max_units),
        max_acres=None if max_acres is None else float(max_acres),
        loan_date_from=as_date(conditions.get("loan_date_from")),
        loan_date_before=as_date(conditions.get("loan_date_before")),
        unchecked=tuple(conditions.get("unchecked") or ()),
        statute=data.get("statute") or "",
        summary=data.get("summary") or "",
        sources=tuple(data.get("sources") or ()),
        decisions=tuple(data.get("decisions") or ()),
        uncertain=tuple(data.get("uncertain") or ()),
    )

"""Validate the knowledge data files against knowledge/data/SCHEMA.md (and the alternatives/resources layout).

``check(data_dir)`` returns a list of human-readable problems; an empty list means the data is valid.
Pure: reads the files, touches no database. The state fields and the protection schema come from
``knowledge.schema`` (re-exported here); each state's ``protections`` must also agree with its
summary flags (``_cross_check_protections``).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import yaml

from knowledge.schema import (  # noqa: F401  (re-exported: other modules import them from here)
    CONDITION_FIELDS,
    CONFIDENCE,
    DEFICIENCY_ALLOWED,
    PROCESSES,
    PROTECTION_FIELDS,
    RECOURSE_CATEGORIES,
    STATE_FIELDS,
    Field,
)
from knowledge.settings import DATA_DIR

# USPS codes of the 50 states and DC; used only if knowledge.vocabulary.states is unavailable.
_FALLBACK_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY "
    "NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)

DEFICIENCY_EFFECTS = ("not_applicable", "waiver_needed", "state_law", "discharged", "paid_by_seller")
AGENCIES = ("fannie_mae", "freddie_mac", "fha", "va", "usda")
FACT_STATUS = ("confirmed", "uncertain", "single_source")
RESOURCE_KINDS = ("counseling", "government", "legal", "tax")
RESOURCE_COSTS = ("free", "low_fee", "varies")
FICO_START_SCORES = ("680", "720", "780")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_URL = re.compile(r"^https?://\S+$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")

ALTERNATIVE_FIELDS: dict[str, Field] = {
    "key": Field("key"),
    "name": Field("str"),
    "entity_value": Field("key", nullable=True),
    "keeps_home": Field("bool", nullable=True),
    "summary": Field("str"),
    "requires_current": Field("bool", nullable=True),
    "requires_hardship": Field("bool", nullable=True),
    "requires_lender_approval": Field("bool"),
    "requires_equity": Field("bool", nullable=True),
    "eligibility_summary": Field("str"),
    "deficiency_effect": Field("enum", choices=DEFICIENCY_EFFECTS),
    "deficiency_summary": Field("str"),
    "fico_event": Field("key", nullable=True),
    "credit_summary": Field("str"),
    "credit_report_years": Field("number", nullable=True),
    "credit_report_summary": Field("str"),
    "waiting_periods": Field("mapping"),
    "tax_summary": Field("str"),
    "tax_uncertain": Field("bool"),
    "pros": Field("str_list"),
    "cons": Field("str_list"),
    "uncertain": Field("str_list"),
    "sources": Field("url_list"),
    "last_reviewed": Field("date"),
}

WAITING_PERIOD_FIELDS: dict[str, Field] = {
    "years": Field("number", nullable=True),
    "with_ec_years": Field("number", nullable=True),
    "summary": Field("str"),
    "uncertain": Field("bool"),
}

FICO_FIELDS: dict[str, Field] = {
    "event": Field("key"),
    "label": Field("str"),
    "ranges": Field("mapping"),
    "recovery_years": Field("mapping"),
    "sources": Field("url_list"),
    "last_reviewed": Field("date"),
}

FACT_FIELDS: dict[str, Field] = {
    "key": Field("key"),
    "statement": Field("str"),
    "status": Field("enum", choices=FACT_STATUS),
    "note": Field("str"),
    "sources": Field("url_list"),
    "last_reviewed": Field("date"),
}

RESOURCE_FIELDS: dict[str, Field] = {
    "key": Field("key"),
    "name": Field("str"),
    "kind": Field("enum", choices=RESOURCE_KINDS),
    "description": Field("str"),
    "phone": Field("str", nullable=True),
    "url": Field("url", nullable=True),
    "cost": Field("enum", choices=RESOURCE_COSTS),
    "when_to_use": Field("str"),
    "uncertain": Field("str_list"),
    "sources": Field("url_list"),
    "last_reviewed": Field("date"),
}


def expected_state_codes() -> frozenset[str]:
    """The 51 codes from the shared vocabulary (fallback: a built-in list)."""
    try:
        from knowledge.vocabulary import states as vocab

        codes = frozenset(vocab.STATES)
        if len(codes) == 51:
            return codes
    except Exception:  # vocabulary missing or broken: the fallback keeps the checker usable
        pass
    return _FALLBACK_CODES


def _state_name(code: str) -> str | None:
    try:
        from knowledge.vocabulary import states as vocab

        return vocab.name(code)
    except Exception:
        return None


def _type_problem(value: Any, spec: Field) -> str | None:
    """Why ``value`` does not fit ``spec``, or None."""
    if value is None:
        return None if spec.nullable else "is null"
    kind = spec.kind
    if kind == "str":
        return None if isinstance(value, str) and value.strip() else "must be a non-empty string"
    if kind == "key":
        return None if isinstance(value, str) and _KEY.match(value) else "must be a lower_snake_case key"
    if kind == "url":
        return None if isinstance(value, str) and _URL.match(value) else "must be an http(s) URL"
    if kind == "enum":
        return None if value in spec.choices else f"must be one of {', '.join(spec.choices)} (got {value!r})"
    if kind == "bool":
        return None if isinstance(value, bool) else f"must be true/false (got {value!r})"
    if kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        return None if ok else f"must be a number >= 0 (got {value!r})"
    if kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
        return None if ok else f"must be a whole number > 0 (got {value!r})"
    if kind == "str_list":
        ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        return None if ok else "must be a list of non-empty strings"
    if kind == "url_list":
        if not isinstance(value, list) or not value:
            return "must be a non-empty list of source URLs"
        bad = [v for v in value if not (isinstance(v, str) and _URL.match(v))]
        return f"has entries that are not http(s) URLs: {bad}" if bad else None
    if kind == "date":
        if isinstance(value, dt.datetime):
            return "must be a date YYYY-MM-DD, not a timestamp"
        if isinstance(value, dt.date):
            return None
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
                return None
            except ValueError:
                pass
        return f"must be a date YYYY-MM-DD (got {value!r})"
    if kind == "mapping":
        return None if isinstance(value, dict) else "must be a mapping"
    if kind == "any_or_list":
        ok = value == "any" or (
            isinstance(value, list) and value and len(set(value)) == len(value) and all(v in spec.choices for v in value)
        )
        return None if ok else f"must be 'any' or a list of {', '.join(spec.choices)} without repeats (got {value!r})"
    if kind == "protection_list":
        return None if isinstance(value, list) else "must be a list of protections (may be empty)"
    raise ValueError(f"unknown field kind {kind}")  # programming error


def check_record(record: Any, fields: Mapping[str, Field], where: str) -> list[str]:
    """Problems with one record: not a mapping, missing/unknown fields, wrong types."""
    if not isinstance(record, dict):
        return [f"{where}: must be a mapping of fields"]
    problems = [f"{where}: missing field '{name}'" for name in fields if name not in record]
    problems += [f"{where}: unknown field '{name}'" for name in record if name not in fields]
    for name, spec in fields.items():
        if name in record:
            why = _type_problem(record[name], spec)
            if why:
                problems.append(f"{where}: field '{name}' {why}")
    return problems


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _check_not_future(record: dict, where: str, today: dt.date) -> list[str]:
    reviewed = _as_date(record.get("last_reviewed"))
    if reviewed and reviewed > today:
        return [f"{where}: last_reviewed {reviewed} is in the future"]
    return []


def load_yaml(path: Path) -> tuple[Any, str | None]:
    """(data, problem) for one YAML file."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader), None
    except (OSError, yaml.YAMLError) as exc:
        return None, f"{path.name}: cannot read YAML ({exc.__class__.__name__}: {exc})"


def check_states(states_dir: Path, today: dt.date) -> list[str]:
    problems: list[str] = []
    if not states_dir.is_dir():
        return [f"{states_dir}: directory of state files is missing"]
    files = sorted(states_dir.glob("*.yaml")) + sorted(states_dir.glob("*.yml"))
    expected = expected_state_codes()
    found = {f.stem for f in files}
    if len(files) != len(expected):
        problems.append(f"states: expected exactly {len(expected)} files (50 states and DC), found {len(files)}")
    missing = sorted(expected - found)
    if missing:
        problems.append(f"states: no file for {', '.join(missing)}")
    for path in files:
        where = f"states/{path.name}"
        if path.stem not in expected:
            problems.append(f"{where}: '{path.stem}' is not a USPS code of a state or DC")
        record, problem = load_yaml(path)
        if problem:
            problems.append(f"states/{problem}")
            continue
        record_problems = check_record(record, STATE_FIELDS, where)
        problems += record_problems
        if not isinstance(record, dict):
            continue
        if record.get("code") != path.stem:
            problems.append(f"{where}: code {record.get('code')!r} does not match the file name")
        expected_name = _state_name(path.stem) if path.stem in expected else None
        if expected_name and record.get("name") != expected_name:
            problems.append(f"{where}: name {record.get('name')!r} should be {expected_name!r}")
        lo, hi = record.get("timeline_months_min"), record.get("timeline_months_max")
        if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo > hi:
            problems.append(f"{where}: timeline_months_min {lo} is greater than timeline_months_max {hi}")
        category, allowed = record.get("recourse_category"), record.get("deficiency_allowed")
        if category in ("non_recourse", "non_recourse_qualifying") and allowed == "yes":
            problems.append(f"{where}: recourse_category {category} contradicts deficiency_allowed 'yes'")
        if category == "recourse" and allowed == "no":
            problems.append(f"{where}: recourse_category recourse contradicts deficiency_allowed 'no'")
        problems += _check_not_future(record, where, today)
        if isinstance(record.get("protections"), list):
            problems += check_protections(record, where)
    return problems


def check_protections(record: dict, where: str) -> list[str]:
    """Problems with a state's ``protections`` list: each entry against PROTECTION_FIELDS and
    CONDITION_FIELDS, unique keys, and agreement with the record's summary fields."""
    problems: list[str] = []
    seen: set[str] = set()
    valid: list[dict] = []
    for index, item in enumerate(record["protections"]):
        label = item.get("key") if isinstance(item, dict) else None
        at = f"{where}: protections[{index}]" + (f" ({label})" if label else "")
        item_problems = check_record(item, PROTECTION_FIELDS, at)
        if isinstance(item, dict):
            if label is not None and label in seen:
                item_problems.append(f"{at}: duplicate key {label!r}")
            seen.add(label)
            conditions = item.get("conditions")
            if isinstance(conditions, dict):
                item_problems += check_record(conditions, CONDITION_FIELDS, f"{at}: conditions")
                start, before = _as_date(conditions.get("loan_date_from")), _as_date(conditions.get("loan_date_before"))
                if start and before and start >= before:
                    item_problems.append(f"{at}: conditions: loan_date_from {start} is not before loan_date_before {before}")
        problems += item_problems
        if not item_problems:
            valid.append(item)
    if len(valid) == len(record["protections"]):  # cross-checks only on a fully valid list
        problems += _cross_check_protections(record, valid, where)
    return problems


def _cross_check_protections(record: dict, protections: list[dict], where: str) -> list[str]:
    """The protections must agree with the state's summary flags (SCHEMA.md, "Protections")."""
    problems: list[str] = []
    barred = [p for p in protections if p["effect"] == "barred"]
    if record.get("nonjudicial_sale_bars_deficiency") is True and not any(p["route"] == "nonjudicial" for p in barred):
        problems.append(f"{where}: nonjudicial_sale_bars_deficiency is true but no barred protection has route nonjudicial")
    if record.get("fair_value_limit") is True and not any(p["effect"] == "capped" for p in protections):
        problems.append(f"{where}: fair_value_limit is true but no protection has effect capped")
    if record.get("deficiency_allowed") == "no" and not barred:
        problems.append(f"{where}: deficiency_allowed is 'no' but no protection has effect barred")
    if not protections and (record.get("deficiency_allowed") != "yes" or record.get("fair_value_limit") is not False):
        problems.append(
            f"{where}: protections is empty, allowed only where deficiency_allowed is 'yes' and fair_value_limit is false"
        )
    return problems


def _check_list_section(
    data: Any, section: str, fields: Mapping[str, Field], key_field: str, file: str, today: dt.date
) -> tuple[list[str], list[dict]]:
    problems: list[str] = []
    items = data.get(section) if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        return [f"{file}: '{section}' must be a non-empty list"], []
    seen: set[str] = set()
    valid: list[dict] = []  # every record that is a mapping (nested checks guard their own types)
    for index, record in enumerate(items):
        label = record.get(key_field) if isinstance(record, dict) else None
        where = f"{file}: {section}[{index}]" + (f" ({label})" if label else "")
        record_problems = check_record(record, fields, where)
        if isinstance(record, dict):
            record_problems += _check_not_future(record, where, today)
            if label in seen:
                record_problems.append(f"{where}: duplicate {key_field} {label!r}")
            seen.add(label)
        problems += record_problems
        if isinstance(record, dict):
            valid.append(record)
    return problems, valid


def check_alternatives(path: Path, today: dt.date) -> list[str]:
    data, problem = load_yaml(path)
    if problem:
        return [problem]
    file = path.name
    problems, fico = _check_list_section(data, "fico_impacts", FICO_FIELDS, "event", file, today)
    for record in fico:
        for column in ("ranges", "recovery_years"):
            value = record.get(column)
            if not isinstance(value, dict):
                continue
            if sorted(value) != sorted(FICO_START_SCORES):
                problems.append(f"{file}: fico_impacts ({record.get('event')}): {column} needs keys {FICO_START_SCORES}")
                continue
            for score, pair in value.items():
                ok = (
                    isinstance(pair, list)
                    and len(pair) == 2
                    and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pair)
                    and pair[0] <= pair[1]
                )
                if not ok:
                    problems.append(f"{file}: fico_impacts ({record.get('event')}): {column}[{score}] must be [low, high]")
    fact_problems, _ = _check_list_section(data, "facts", FACT_FIELDS, "key", file, today)
    problems += fact_problems
    alt_problems, alternatives = _check_list_section(data, "alternatives", ALTERNATIVE_FIELDS, "key", file, today)
    problems += alt_problems
    events = {r.get("event") for r in fico}
    for record in alternatives:
        where = f"{file}: alternatives ({record.get('key')})"
        event = record.get("fico_event")
        if event is not None and event not in events:
            problems.append(f"{where}: fico_event {event!r} is not in fico_impacts")
        periods = record.get("waiting_periods")
        if not isinstance(periods, dict):
            continue
        for agency, period in periods.items():
            if agency not in AGENCIES:
                problems.append(f"{where}: waiting_periods has unknown agency {agency!r} (use {', '.join(AGENCIES)})")
                continue
            problems += check_record(period, WAITING_PERIOD_FIELDS, f"{where}: waiting_periods.{agency}")
    return problems


def check_resources(path: Path, today: dt.date) -> list[str]:
    data, problem = load_yaml(path)
    if problem:
        return [problem]
    problems, _ = _check_list_section(data, "resources", RESOURCE_FIELDS, "key", path.name, today)
    return problems


def check(data_dir: Path | str = DATA_DIR, *, today: dt.date | None = None) -> list[str]:
    """All problems in the data directory (states/, alternatives.yaml, resources.yaml); [] when valid."""
    data_dir = Path(data_dir)
    today = today or dt.date.today()
    problems = check_states(data_dir / "states", today)
    for name, checker in (("alternatives.yaml", check_alternatives), ("resources.yaml", check_resources)):
        path = data_dir / name
        problems += checker(path, today) if path.is_file() else [f"{name}: file is missing"]
    return problems


def format_problems(problems: Sequence[str] | Iterable[str]) -> str:
    return "\n".join(f"- {p}" for p in problems)

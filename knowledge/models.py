"""SQLAlchemy 1.4 ORM models (2.0 style: ``registry``, ``select()``, ``future=True`` engines).

Lists and nested mappings are JSON columns. Only ``knowledge.loader`` writes these tables and only
``knowledge.repository`` reads them.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Float, Integer, String, Text
from sqlalchemy.orm import registry

from knowledge import schema

mapper_registry = registry()
Base = mapper_registry.generate_base()
metadata = mapper_registry.metadata


_COLUMN_TYPES: dict[str, Any] = {
    "str": Text,
    "bool": Boolean,
    "number": Float,
    "int": Integer,
    "date": Date,
    "str_list": JSON,
    "url_list": JSON,
    "protection_list": JSON,  # [{key, name, effect, ..., conditions: {...}}], dates as ISO strings
}


def _column_type(field: schema.Field) -> Any:
    """The SQL type of a schema field: enums are short strings, lists and protections JSON."""
    if field.kind == "enum":
        return String(max(len(c) for c in field.choices))
    return _COLUMN_TYPES[field.kind]


# Columns that need more than the schema says (the key, uniqueness, a lookup index).
_STATE_COLUMN_OVERRIDES = {
    "code": lambda f: Column(String(2), primary_key=True, doc=f.doc),
    "name": lambda f: Column(String(64), nullable=False, unique=True, doc=f.doc),
    "recourse_category": lambda f: Column(_column_type(f), nullable=False, index=True, doc=f.doc),
}


def _state_columns() -> dict[str, Column]:
    return {
        name: _STATE_COLUMN_OVERRIDES[name](field)
        if name in _STATE_COLUMN_OVERRIDES
        else Column(_column_type(field), nullable=field.nullable, doc=field.doc)
        for name, field in schema.STATE_FIELDS.items()
    }


# One jurisdiction's foreclosure and deficiency law (knowledge/data/states/<CODE>.yaml); one column
# per field of knowledge.schema.STATE_FIELDS, so the table follows the schema.
StateRow = type(
    "StateRow",
    (Base,),
    {
        "__tablename__": "state_law",
        "__doc__": "One jurisdiction's foreclosure and deficiency law; columns from knowledge.schema.STATE_FIELDS.",
        "__module__": __name__,
        **_state_columns(),
    },
)


class AlternativeRow(Base):
    """An alternative to (or outcome of) walking away (knowledge/data/alternatives.yaml)."""

    __tablename__ = "alternative"

    key = Column(String(32), primary_key=True)
    position = Column(Integer, nullable=False)
    name = Column(String(80), nullable=False)
    entity_value = Column(String(32), nullable=True, index=True)
    keeps_home = Column(Boolean, nullable=True)
    summary = Column(Text, nullable=False)
    requires_current = Column(Boolean, nullable=True)
    requires_hardship = Column(Boolean, nullable=True)
    requires_lender_approval = Column(Boolean, nullable=False)
    requires_equity = Column(Boolean, nullable=True)
    eligibility_summary = Column(Text, nullable=False)
    deficiency_effect = Column(String(24), nullable=False)
    deficiency_summary = Column(Text, nullable=False)
    fico_event = Column(String(40), nullable=True)
    credit_summary = Column(Text, nullable=False)
    credit_report_years = Column(Float, nullable=True)
    credit_report_summary = Column(Text, nullable=False)
    waiting_periods = Column(JSON, nullable=False)
    tax_summary = Column(Text, nullable=False)
    tax_uncertain = Column(Boolean, nullable=False)
    pros = Column(JSON, nullable=False)
    cons = Column(JSON, nullable=False)
    uncertain = Column(JSON, nullable=False)
    sources = Column(JSON, nullable=False)
    last_reviewed = Column(Date, nullable=False)


class FicoImpactRow(Base):
    """FICO's published score ranges after a mortgage event (FICO research, 2011)."""

    __tablename__ = "fico_impact"

    event = Column(String(40), primary_key=True)
    label = Column(String(80), nullable=False)
    ranges = Column(JSON, nullable=False)  # {"680": [575, 595], ...}
    recovery_years = Column(JSON, nullable=False)  # {"680": "3", ...}
    sources = Column(JSON, nullable=False)
    last_reviewed = Column(Date, nullable=False)


class FactRow(Base):
    """A single fact with its status (confirmed / uncertain / single_source), e.g. the QPRI tax exclusion."""

    __tablename__ = "fact"

    key = Column(String(48), primary_key=True)
    statement = Column(Text, nullable=False)
    status = Column(String(16), nullable=False)
    note = Column(Text, nullable=False)
    sources = Column(JSON, nullable=False)
    last_reviewed = Column(Date, nullable=False)


class ResourceRow(Base):
    """A place to get help (knowledge/data/resources.yaml)."""

    __tablename__ = "help_resource"

    key = Column(String(32), primary_key=True)
    position = Column(Integer, nullable=False)
    name = Column(String(120), nullable=False)
    kind = Column(String(16), nullable=False)
    description = Column(Text, nullable=False)
    phone = Column(String(40), nullable=True)
    url = Column(String(300), nullable=True)
    cost = Column(String(16), nullable=False)
    when_to_use = Column(Text, nullable=False)
    uncertain = Column(JSON, nullable=False)
    sources = Column(JSON, nullable=False)
    last_reviewed = Column(Date, nullable=False)


class BuildInfoRow(Base):
    """One row describing the build: when and from how many records."""

    __tablename__ = "build_info"

    id = Column(Integer, primary_key=True)
    built_at = Column(String(40), nullable=False)
    state_count = Column(Integer, nullable=False)
    alternative_count = Column(Integer, nullable=False)
    resource_count = Column(Integer, nullable=False)

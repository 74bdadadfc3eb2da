"""Which names an expression may use, and with which types, at each place in a criteria file.

- a measure's ``where`` sees the columns of its record table (input contract);
- conditions and formulas in items and overrides see the employee context: attributes of the
  employee, the built-in day counts, the assessment columns the sheet uses, and every measure.
"""

from __future__ import annotations

import polars as pl

from scoring.inputs.contract import DISCIPLINE_FORMS, TABLES
from scoring.rules.model import BUILTIN_MEASURES, Criteria, Measure

__all__ = ["record_schema", "record_allowed_values", "context_schema", "context_allowed_values",
           "measure_dtype", "unit_measure_schema", "rating_allowed_values", "DERIVED_COLUMNS", "SEVERITY"]

# Columns computed from a record before measures filter it.
SEVERITY = {form: rank for rank, form in enumerate(DISCIPLINE_FORMS, start=1)}
DERIVED_COLUMNS: dict[str, dict[str, pl.Expr]] = {
    "discipline": {
        "severity": pl.col("form").replace_strict(SEVERITY, default=None, return_dtype=pl.Int64)
    },
}

_ATTRIBUTES: dict[str, pl.DataType | type[pl.DataType]] = {
    "position": pl.String,
    "employment_type": pl.String,
    "duty_group": pl.String,
    "unit_id": pl.String,
    "is_leader": pl.Boolean,
}


def record_schema(table: str) -> dict[str, pl.DataType | type[pl.DataType]]:
    schema = {c.name: c.dtype for c in TABLES[table].columns}
    schema.update({name: pl.Int64 for name in DERIVED_COLUMNS.get(table, {})})
    return schema


def record_allowed_values(table: str) -> dict[str, tuple[object, ...]]:
    return {c.name: c.allowed for c in TABLES[table].columns if c.allowed}


def measure_dtype(measure: Measure) -> pl.DataType | type[pl.DataType]:
    return pl.Int64 if measure.agg in ("count", "days") else pl.Float64


def context_schema(criteria: Criteria) -> dict[str, pl.DataType | type[pl.DataType]]:
    schema: dict[str, pl.DataType | type[pl.DataType]] = dict(_ATTRIBUTES)
    schema.update({name: pl.Int64 for name in BUILTIN_MEASURES})
    schema.update({col: pl.Float64 for col in criteria.assessment_ranges})
    schema.update({m.id: measure_dtype(m) for m in criteria.measures})
    if criteria.rollup is not None:
        mean, rated, kht = criteria.rollup.names
        schema.update({mean: pl.Float64, rated: pl.Int64, kht: pl.Int64})
    schema.update({u.id: pl.Int64 if u.agg == "count" else pl.Float64
                   for u in criteria.leaders.measures})
    return schema


def unit_measure_schema(criteria: Criteria) -> dict[str, pl.DataType | type[pl.DataType]]:
    """A unit measure's condition sees each subordinate's context and final rating."""
    schema = context_schema(criteria)
    for u in criteria.leaders.measures:
        schema.pop(u.id, None)
    schema.update({"rating": pl.String, "band": pl.String, "total": pl.Float64})
    return schema


def context_allowed_values() -> dict[str, tuple[object, ...]]:
    staff = TABLES["staff"]
    return {
        "position": staff.column("position").allowed or (),
        "employment_type": staff.column("employment_type").allowed or (),
    }


def rating_allowed_values(criteria: Criteria) -> dict[str, tuple[object, ...]]:
    codes = tuple(b.code for b in criteria.ratings)
    return context_allowed_values() | {"rating": codes, "band": codes}

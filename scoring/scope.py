"""Which names an expression may use, and with which types, at each place in a criteria file.

- a measure's ``where`` sees the columns of its record table (input contract);
- conditions and formulas in items and overrides see the employee context: attributes of the
  employee, the built-in day counts, the assessment columns the sheet uses, and every measure.
"""

from __future__ import annotations

import polars as pl

from scoring.contract import TABLES
from scoring.criteria_model import BUILTIN_MEASURES, Criteria, Measure

__all__ = ["record_schema", "record_allowed_values", "context_schema", "context_allowed_values",
           "measure_dtype"]

_ATTRIBUTES: dict[str, pl.DataType | type[pl.DataType]] = {
    "position": pl.String,
    "employment_type": pl.String,
    "duty_group": pl.String,
    "unit_id": pl.String,
    "is_leader": pl.Boolean,
}


def record_schema(table: str) -> dict[str, pl.DataType | type[pl.DataType]]:
    return {c.name: c.dtype for c in TABLES[table].columns}


def record_allowed_values(table: str) -> dict[str, tuple[object, ...]]:
    return {c.name: c.allowed for c in TABLES[table].columns if c.allowed}


def measure_dtype(measure: Measure) -> pl.DataType | type[pl.DataType]:
    return pl.Int64 if measure.agg == "count" else pl.Float64


def context_schema(criteria: Criteria) -> dict[str, pl.DataType | type[pl.DataType]]:
    schema: dict[str, pl.DataType | type[pl.DataType]] = dict(_ATTRIBUTES)
    schema.update({name: pl.Int64 for name in BUILTIN_MEASURES})
    schema.update({col: pl.Float64 for col in criteria.assessment_ranges})
    schema.update({m.id: measure_dtype(m) for m in criteria.measures})
    return schema


def context_allowed_values() -> dict[str, tuple[object, ...]]:
    staff = TABLES["staff"]
    return {
        "position": staff.column("position").allowed or (),
        "employment_type": staff.column("employment_type").allowed or (),
    }

"""The input contract (v1): tables, columns, types and allowed values.

This is the single description of the inputs. The pandera schemas, the readers, the criteria
checker (which columns an expression may use) and the sample generator all derive from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

__all__ = [
    "Column",
    "Table",
    "TABLES",
    "POSITIONS",
    "EMPLOYMENT_TYPES",
    "VIOLATION_CATEGORIES",
    "VIOLATION_STATUSES",
    "VEHICLES",
    "ATTENDANCE",
    "DISCIPLINE_FORMS",
    "LEAVE_KINDS",
    "LICENCE_POINTS",
    "LEADER_POSITIONS",
]

POSITIONS = ("director", "deputy_director", "head", "deputy_head", "staff")
LEADER_POSITIONS = ("director", "deputy_director", "head", "deputy_head")
EMPLOYMENT_TYPES = ("cadre", "civil_servant", "public_employee", "worker")
VIOLATION_CATEGORIES = (
    "alcohol",
    "speeding",
    "red_light",
    "phone",
    "helmet_seatbelt",
    "wrong_way",
    "other",
)
VEHICLES = ("motorbike", "car", "other")
VIOLATION_STATUSES = ("effective", "appealed", "annulled")
ATTENDANCE = ("attended", "excused", "absent")
# Ordered from least to most severe (Decree 112/2020/NĐ-CP as amended).
DISCIPLINE_FORMS = (
    "reprimand",
    "warning",
    "salary_demotion",
    "demotion",
    "dismissal_from_post",
    "forced_resignation",
)
LEAVE_KINDS = ("maternity", "sick", "unpaid", "other")
LICENCE_POINTS = (0, 2, 4, 6, 10)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    dtype: pl.DataType | type[pl.DataType]
    required: bool = False
    allowed: tuple[object, ...] | None = None
    nullable: bool = True


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: str | None = None  # unique id column
    optional: bool = False  # the whole table may be absent
    date_column: str | None = None  # the date that places a record in a period
    open_columns: bool = False  # assessments: any further numeric column is a score

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _req(name: str, dtype: pl.DataType | type[pl.DataType],
         allowed: tuple[object, ...] | None = None) -> Column:
    return Column(name, dtype, required=True, allowed=allowed, nullable=False)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "units",
            (
                _req("unit_id", pl.String),
                _req("name", pl.String),
                Column("parent_id", pl.String),
                Column("kind", pl.String),
            ),
            key="unit_id",
        ),
        Table(
            "staff",
            (
                _req("employee_id", pl.String),
                _req("full_name", pl.String),
                _req("unit_id", pl.String),
                _req("position", pl.String, POSITIONS),
                _req("employment_type", pl.String, EMPLOYMENT_TYPES),
                Column("duty_group", pl.String),
                _req("start_date", pl.Date),
                Column("end_date", pl.Date),
                Column("email", pl.String),
            ),
            key="employee_id",
        ),
        Table(
            "assessments",
            (_req("employee_id", pl.String), _req("period", pl.String)),
            open_columns=True,
        ),
        Table(
            "violations",
            (
                _req("record_id", pl.String),
                _req("employee_id", pl.String),
                _req("violation_date", pl.Date),
                _req("category", pl.String, VIOLATION_CATEGORIES),
                Column("vehicle", pl.String, allowed=VEHICLES),
                Column("alcohol_level", pl.Int64, allowed=(1, 2, 3)),
                Column("fine_vnd", pl.Int64),
                Column("licence_points", pl.Int64, allowed=LICENCE_POINTS),
                Column("licence_revoked_months", pl.Int64),
                Column("caused_accident", pl.Boolean),
                _req("status", pl.String, VIOLATION_STATUSES),
                Column("decision_no", pl.String),
                Column("decision_date", pl.Date),
                Column("notice_no", pl.String),
                Column("notice_date", pl.Date),
            ),
            key="record_id",
            date_column="violation_date",
        ),
        Table(
            "training",
            (
                _req("record_id", pl.String),
                _req("employee_id", pl.String),
                _req("session_date", pl.Date),
                _req("topic", pl.String),
                _req("hours", pl.Float64),
                _req("attendance", pl.String, ATTENDANCE),
                Column("commitment_signed", pl.Boolean),
                Column("session_id", pl.String),
            ),
            key="record_id",
            date_column="session_date",
        ),
        Table(
            "discipline",
            (
                _req("record_id", pl.String),
                _req("employee_id", pl.String),
                _req("decision_date", pl.Date),
                _req("form", pl.String, DISCIPLINE_FORMS),
                Column("duty_related", pl.Boolean),
                Column("reason", pl.String),
            ),
            key="record_id",
            date_column="decision_date",
        ),
        Table(
            "leave",
            (
                _req("employee_id", pl.String),
                _req("start_date", pl.Date),
                _req("end_date", pl.Date),
                Column("kind", pl.String, allowed=LEAVE_KINDS),
            ),
            optional=True,
        ),
    )
}


def empty_frame(table: str) -> pl.DataFrame:
    """An empty frame with the contract's columns and types (for absent optional tables)."""
    return pl.DataFrame(schema={c.name: c.dtype for c in TABLES[table].columns})

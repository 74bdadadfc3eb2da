"""The per-employee evaluation context: roster, day counts, assessments and measures.

One row per employee in scope for the period. Every name an expression may use
(``scoring.rules.names.context_schema``) is a column here; each record measure ``m`` also gets a
text column ``m__ids`` with the ids of the records it counted, sorted and joined by ``; ``,
for explanations (text rather than a list: list columns cost many times more to join, filter
and gather, and the context is joined and filtered on every rating pass).
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import polars as pl

from scoring.engine.columns import ids_column, shows_window, window_column
from scoring.inputs.contract import TABLES
from scoring.inputs.frames import InputFrames
from scoring.periods import Period
from scoring.rules.expressions import compile_expression
from scoring.rules.model import Criteria, Measure
from scoring.rules.names import DERIVED_COLUMNS, measure_dtype, record_allowed_values, record_schema

__all__ = ["build_context", "measure_records", "window_bounds", "window_text", "UNIT_NUMBER"]

UNIT_NUMBER = "_unit_no"  # the row of the employee's unit in the units table, for integer joins


def window_bounds(window: str, period: Period) -> tuple[date, date]:
    """First and last day (both included) of a measure's window for ``period``.

    ``trailing_12_months`` is the 12 calendar months ending with the period's last month (a
    period always ends on a month's last day): for 2025-Q1, 2024-04-01 … 2025-03-31, reaching
    back across the year boundary.
    """
    if window == "year_to_date":
        return period.year_start, period.end
    if window == "trailing_12_months":
        months = period.end.year * 12 + period.end.month - 1 - 11
        return date(months // 12, months % 12 + 1, 1), period.end
    return period.start, period.end


def window_text(criteria: Criteria, measure: Measure, period: Period) -> str:
    """``m=2024-04-01..2025-03-31@decision_date`` (ids and ISO dates: the explanations word it
    per language)."""
    lo, hi = window_bounds(measure.window, period)
    placed = criteria.date_column(measure)
    return f"{measure.id}={lo.isoformat()}..{hi.isoformat()}" + (f"@{placed}" if placed else "")


def _roster(criteria: Criteria, inputs: InputFrames, period: Period) -> pl.LazyFrame:
    staff = inputs.staff.lazy()
    units = (inputs.units.lazy().with_row_index(UNIT_NUMBER)
             .select("unit_id", pl.col("name").alias("unit_name"), UNIT_NUMBER))
    emp_start = pl.max_horizontal(pl.col("start_date"), pl.lit(period.start))
    emp_end = pl.min_horizontal(pl.col("end_date").fill_null(period.end), pl.lit(period.end))
    return (
        staff.filter(
            (pl.col("start_date") <= period.end)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= period.start))
            & pl.col("employment_type").is_in(list(criteria.applies_to))
        )
        .join(units, on="unit_id", how="left")
        .with_columns(
            pl.col("duty_group").fill_null(pl.col("position")),
            pl.col("position").is_in(list(criteria.leaders.positions)).alias("is_leader"),
            emp_start.alias("_emp_start"),
            emp_end.alias("_emp_end"),
        )
        .with_columns(
            pl.lit(period.days, pl.Int64).alias("days_in_period"),
            ((pl.col("_emp_end") - pl.col("_emp_start")).dt.total_days() + 1)
            .cast(pl.Int64)
            .alias("days_employed"),
        )
    )


def _days_on_leave(roster: pl.LazyFrame, inputs: InputFrames) -> pl.LazyFrame:
    """Leave days inside each employee's employed part of the period (overlaps are not merged)."""
    spans = roster.select("employee_id", "_emp_start", "_emp_end")
    overlap = (
        pl.min_horizontal("end_date", "_emp_end") - pl.max_horizontal("start_date", "_emp_start")
    ).dt.total_days() + 1
    return (
        inputs.leave.lazy()
        .select("employee_id", "start_date", "end_date")
        .join(spans, on="employee_id", how="inner")
        .with_columns(overlap.clip(lower_bound=0).alias("_days"))
        .group_by("employee_id")
        .agg(pl.col("_days").sum().cast(pl.Int64).alias("days_on_leave"))
    )


def _where(measure: Measure) -> pl.Expr:
    """The measure's record filter; a condition that cannot be evaluated keeps nothing."""
    if not measure.where:
        return pl.lit(True)
    return _record_filter(measure.where, measure.table)


@functools.lru_cache(maxsize=4096)
def _record_filter(where: str, table: str) -> pl.Expr:
    """Compiled once per text and table (the record tables' names do not depend on criteria)."""
    return compile_expression(
        where, record_schema(table), kind="condition", allowed_values=record_allowed_values(table),
    ).fill_null(False)


def _measure_agg(measure: Measure, lo: date, hi: date) -> pl.Expr:
    """One measure's aggregate; leave days count inside the window and the employment."""
    keep = _where(measure)
    if measure.agg == "count":
        value = pl.col("employee_id").filter(keep).len().cast(pl.Int64)
    elif measure.agg == "days":  # leave days inside the window; intervals are not merged
        days = (pl.min_horizontal("end_date", pl.lit(hi), "_emp_end")
                - pl.max_horizontal("start_date", pl.lit(lo), "_emp_start"))
        value = (days.dt.total_days() + 1).clip(lower_bound=0).filter(keep).sum().cast(pl.Int64)
    else:
        col = pl.col(measure.of).cast(pl.Float64).filter(keep)  # type: ignore[arg-type]
        value = {"sum": col.sum(), "max": col.max(), "min": col.min()}[measure.agg]
        value = value.fill_null(0.0).cast(pl.Float64)
    return value.alias(measure.id)


def _record_ids(frame: pl.LazyFrame, measure: Measure) -> pl.LazyFrame:
    """The ids of the records a measure counted, sorted and joined by "; ", per employee.

    Only the kept records are grouped, already in order: a filter and a sort inside the
    aggregate would run group by group.
    """
    return (
        frame.filter(_where(measure))
        .select("employee_id", "record_id")
        .sort("employee_id", "record_id")
        .group_by("employee_id")
        .agg(pl.col("record_id").str.join("; ").alias(ids_column(measure.id)))
    )


def _in_window(inputs: InputFrames, table: str, date_column: str | None, lo: date, hi: date,
               roster_ids: pl.LazyFrame | None) -> pl.LazyFrame:
    """The records of ``table`` in [lo, hi] by ``date_column``, with the derived columns."""
    frame = inputs.table(table).lazy()
    if date_column:  # a blank placing date places the record in no window
        in_window = pl.col(date_column).is_between(lo, hi)
    else:  # leave: intervals overlapping the window
        in_window = (pl.col("start_date") <= hi) & (pl.col("end_date") >= lo)
    derived = DERIVED_COLUMNS.get(table, {})
    if derived:
        frame = frame.with_columns(expr.alias(name) for name, expr in derived.items())
    if table == "leave" and roster_ids is not None:  # leave days count only inside the employment
        frame = frame.join(roster_ids, on="employee_id", how="inner")
    return frame.filter(in_window)


def measure_records(criteria: Criteria, measure: Measure, inputs: InputFrames,
                    period: Period) -> pl.LazyFrame:
    """The records ``measure`` counts for ``period``: in its window by its placing date, kept
    by its ``where`` (the unit summary counts these, so it places records as the scores do)."""
    lo, hi = window_bounds(measure.window, period)
    frame = _in_window(inputs, measure.table, criteria.date_column(measure), lo, hi, None)
    return frame.filter(_where(measure))


def _record_measures(
    criteria: Criteria, inputs: InputFrames, period: Period, roster_ids: pl.LazyFrame
) -> tuple[list[pl.LazyFrame], list[Measure]]:
    """One pass per (table, window, placing date): every measure of it is one aggregate; the
    record ids of each measure are a part of their own.

    Each part is aligned to the roster on its own (``_aligned``): joining the ids to the
    aggregates one measure after another would copy every column gathered so far on each
    join, a cost that grows with the square of the number of measures. Employees outside the
    roster are grouped too; aligning to the roster leaves them out.
    """
    by_source: dict[tuple[str, str, str | None], list[Measure]] = {}
    for m in criteria.measures:
        by_source.setdefault((m.table, m.window, criteria.date_column(m)), []).append(m)
    parts: list[pl.LazyFrame] = []
    every: list[Measure] = []
    for (table, window, date_column), measures in by_source.items():
        lo, hi = window_bounds(window, period)
        frame = _in_window(inputs, table, date_column, lo, hi, roster_ids)
        parts.append(frame.group_by("employee_id").agg(_measure_agg(m, lo, hi) for m in measures))
        if TABLES[table].key == "record_id":
            parts += [_record_ids(frame, m) for m in measures]
        every += measures
    return parts, every


def _aligned(ids: pl.Series, part: pl.DataFrame) -> pl.DataFrame:
    """``part`` (at most one row per employee) at the rows of ``ids`` (sorted, unique), without
    the key; null where an employee has no row, and rows of other employees left out.

    Found by binary search in the sorted ids: far cheaper than a join, which hashes every
    roster id again for each part.
    """
    if ids.is_empty():
        return part.clear().drop("employee_id")
    part = part.sort("employee_id")
    key = part["employee_id"]
    at = ids.search_sorted(key, side="left").clip(upper_bound=ids.len() - 1)
    found = ids.gather(at) == key
    at, part = at.filter(found), part.filter(found)
    return pl.DataFrame([
        pl.repeat(None, ids.len(), dtype=part[name].dtype, eager=True).alias(name)
        .scatter(at, part[name])
        for name in part.columns if name != "employee_id"
    ])


def build_context(
    criteria: Criteria, inputs: InputFrames, period: Period, extra: pl.DataFrame | None = None
) -> pl.LazyFrame:
    """The context, in employee order; ``extra`` (employee_id + columns, e.g. quarterly
    results) is joined in."""
    # The roster is sorted once; every other part is aligned to it and placed beside it. Joining
    # the parts one after another would copy every column gathered so far on each join.
    roster = _roster(criteria, inputs, period).sort("employee_id").collect()
    roster_ids = roster.lazy().select("employee_id", "_emp_start", "_emp_end")
    columns = list(criteria.assessment_ranges)
    assessments = (
        inputs.assessments.lazy()
        .filter(pl.col("period") == period.label)
        .select(
            "employee_id",
            *[pl.col(c).cast(pl.Float64) if c in inputs.assessments.columns
              else pl.lit(None, pl.Float64).alias(c) for c in columns],
            pl.lit(True).alias("has_assessment"),
        )
    )
    record_parts, measures = _record_measures(criteria, inputs, period, roster_ids)
    parts = [_days_on_leave(roster.lazy(), inputs), assessments, *record_parts]
    if extra is not None:
        parts.append(extra.lazy())
    ids = roster["employee_id"]
    with ThreadPoolExecutor(max_workers=2) as pool:  # each search is on one core
        aligned = list(pool.map(lambda part: _aligned(ids, part), pl.collect_all(parts)))
    ctx = pl.concat([roster, *aligned], how="horizontal").lazy()

    fills = [
        pl.min_horizontal(pl.col("days_on_leave").fill_null(0), pl.col("days_employed"))
        .alias("days_on_leave"),
        # A sheet that reads no assessment column (a yearly roll-up) needs no assessment row.
        pl.col("has_assessment").fill_null(not columns),
    ]
    for m in measures:
        fills.append(pl.col(m.id).fill_null(pl.lit(0, measure_dtype(m))))
        if shows_window(criteria, m):
            fills.append(pl.lit(window_text(criteria, m, period)).alias(window_column(m.id)))
        if TABLES[m.table].key == "record_id":
            fills.append(pl.col(ids_column(m.id)).fill_null(pl.lit("")))
    ctx = ctx.with_columns(fills).with_columns(
        (pl.col("days_employed") - pl.col("days_on_leave")).alias("days_worked"))
    if extra is None and criteria.rollup is not None:  # scored without the parts' results
        mean, rated, kht = criteria.rollup.names
        ctx = ctx.with_columns(
            pl.lit(None, pl.Float64).alias(mean),
            pl.lit(0, pl.Int64).alias(rated),
            pl.lit(0, pl.Int64).alias(kht),
            pl.lit(None, pl.String).alias("_quarters_detail"),
        )
    return ctx

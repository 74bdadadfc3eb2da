"""Per-unit summary over each unit and all its sub-units (the scope of its head's report).

Its figures follow the criteria's measures (``Criteria.summary_measures``): the violations are
the records of the summary's violations measure, the violators and the trained people those
whose measure is above 0 (for the default count of effective violations, which is no column of
the context: those with one of its records); so a unit's report counts records as its scores do.
"""

from __future__ import annotations

import polars as pl

from scoring.engine.employee_context import measure_records
from scoring.inputs.contract import VIOLATION_CATEGORIES
from scoring.inputs.frames import InputFrames
from scoring.periods import Period
from scoring.rules.model import Criteria, Measure

__all__ = ["unit_closure", "unit_summary", "summary_tables"]


def unit_closure(units: pl.DataFrame) -> pl.DataFrame:
    """Pairs (unit_id, ancestor_id) including each unit itself, plus each unit's level.

    Walks up one level per iteration (the tree is shallow and already checked for cycles).
    """
    parents = units.select("unit_id", "parent_id")
    pairs = units.select("unit_id", pl.col("unit_id").alias("ancestor_id"))
    frontier = pairs
    for _ in range(len(units) + 1):
        frontier = (
            frontier.join(parents, left_on="ancestor_id", right_on="unit_id", how="inner")
            .filter(pl.col("parent_id").is_not_null())
            .select("unit_id", pl.col("parent_id").alias("ancestor_id"))
        )
        if frontier.is_empty():
            break
        pairs = pl.concat([pairs, frontier])
    return pairs


def summary_tables(criteria: Criteria) -> set[str]:
    """The input tables the unit summary reads besides the context: the units, and the
    records of its violation counts that are not columns of the context."""
    violations_m, violators_m, _ = criteria.summary_measures()
    return {"units", *(m.table for m in (violations_m, violators_m) if m is not None)}


def unit_summary(
    criteria: Criteria, inputs: InputFrames, period: Period, ctx: pl.LazyFrame
) -> pl.LazyFrame:
    units = inputs.units
    closure = unit_closure(units)
    levels = closure.group_by("unit_id").agg((pl.len() - 1).cast(pl.Int32).alias("level"))
    closure_lf = closure.lazy()
    violations_m, violators_m, training_m = criteria.summary_measures()
    people = _people(criteria, violators_m, training_m, inputs, period, ctx)
    # Everything is counted per unit first, then added up the tree: the closure then multiplies
    # units (a few per unit), not people or records.
    per_unit = _people_per_unit(criteria, people)
    by_unit = _up_the_tree_with_mean(per_unit, closure_lf)
    direct = per_unit.select("unit_id", pl.col("headcount").alias("direct_headcount"))
    violations = _counted_violations(criteria, violations_m, inputs, period, people)
    by_category = _violations_up_the_tree(violations, closure_lf)
    count_columns = [
        "headcount", "direct_headcount", "rated", "not_rated",
        *[f"rating_{b.code}" for b in criteria.ratings],
        "violations", *[f"violations_{c}" for c in VIOLATION_CATEGORIES], "violators", "trained",
    ]
    return (
        units.lazy()
        .select("unit_id", "name", "parent_id", "kind")
        .join(levels.lazy(), on="unit_id", how="left")
        .join(by_unit, on="unit_id", how="left")
        .join(direct, on="unit_id", how="left")
        .join(by_category, on="unit_id", how="left")
        .with_columns([pl.col(c).fill_null(0).cast(pl.UInt32) for c in count_columns])
        .with_columns(
            pl.when(pl.col("headcount") > 0)
            .then((pl.col("trained") / pl.col("headcount")).round(4))
            .otherwise(0.0)
            .alias("training_reach")
        )
        .select(
            "unit_id", "name", "parent_id", "kind", "level", *count_columns[:4],
            *count_columns[4:], "training_reach", "mean_total",
        )
        .sort("level", "unit_id")
    )


def _people(criteria: Criteria, violators_m: Measure | None, training_m: Measure | None,
            inputs: InputFrames, period: Period, ctx: pl.LazyFrame) -> pl.LazyFrame:
    """One row per person scored: unit, status, rating, total, violator and trained flags."""
    in_context = violators_m is not None and criteria.measure(violators_m.id) is violators_m
    violator = pl.col(violators_m.id) > 0 if violators_m is not None and in_context else pl.lit(False)
    people = ctx.select(
        "employee_id",
        "unit_id",
        "status",
        "rating",
        "total",
        violator.alias("_violator"),
        (pl.col(training_m.id) > 0).alias("_trained") if training_m
        else pl.lit(None, pl.Boolean).alias("_trained"),
    )
    if violators_m is not None and not in_context:  # the default count: people with a record
        counted = (measure_records(criteria, violators_m, inputs, period)
                   .select("employee_id").unique().with_columns(pl.lit(True).alias("_counted")))
        people = (people.join(counted, on="employee_id", how="left")
                  .with_columns(pl.col("_counted").fill_null(False).alias("_violator"))
                  .drop("_counted"))
    return people


def _counted_violations(criteria: Criteria, violations_m: Measure | None, inputs: InputFrames,
                        period: Period, people: pl.LazyFrame) -> pl.LazyFrame:
    """The violations the criteria count (window, placing date, where), of the people scored."""
    records = (measure_records(criteria, violations_m, inputs, period) if violations_m
               else inputs.violations.lazy().clear())
    return records.join(people.select("employee_id", "unit_id"), on="employee_id",
                        how="inner")


def _people_per_unit(criteria: Criteria, people: pl.LazyFrame) -> pl.LazyFrame:
    """Headcounts, ratings, violators, trained people and the sum of totals of each unit alone."""
    rated = pl.col("status") == "rated"
    return people.group_by("unit_id").agg(
        pl.len().cast(pl.UInt32).alias("headcount"),
        rated.sum().cast(pl.UInt32).alias("rated"),
        (~rated).sum().cast(pl.UInt32).alias("not_rated"),
        *[(pl.col("rating") == b.code).sum().cast(pl.UInt32).alias(f"rating_{b.code}")
          for b in criteria.ratings],
        pl.col("_violator").fill_null(False).sum().cast(pl.UInt32).alias("violators"),
        pl.col("_trained").fill_null(False).sum().cast(pl.UInt32).alias("trained"),
        pl.col("total").filter(rated).sum().alias("_sum_total"),
    )


def _up_the_tree_with_mean(per_unit: pl.LazyFrame, closure: pl.LazyFrame) -> pl.LazyFrame:
    """Each unit's counts over itself and its sub-units, with the mean total of the rated."""
    sums = [c for c in per_unit.collect_schema().names() if c != "unit_id"]
    return (
        per_unit.join(closure, on="unit_id", how="inner")
        .group_by("ancestor_id")
        .agg(pl.col(sums).sum())
        .with_columns(
            pl.when(pl.col("rated") > 0)
            .then((pl.col("_sum_total") / pl.col("rated")).round(2))
            .alias("mean_total")
        )
        .drop("_sum_total")
        .rename({"ancestor_id": "unit_id"})
    )


def _violations_up_the_tree(violations: pl.LazyFrame, closure: pl.LazyFrame) -> pl.LazyFrame:
    """Violations per category of each unit and its sub-units."""
    category_counts = [
        pl.len().cast(pl.UInt32).alias("violations"),
        *[(pl.col("category") == cat).sum().cast(pl.UInt32).alias(f"violations_{cat}")
          for cat in VIOLATION_CATEGORIES],
    ]
    return (
        violations.group_by("unit_id").agg(category_counts)
        .join(closure, on="unit_id", how="inner")
        .group_by("ancestor_id")
        .agg(pl.all().exclude("unit_id", "ancestor_id").sum())
        .rename({"ancestor_id": "unit_id"})
    )

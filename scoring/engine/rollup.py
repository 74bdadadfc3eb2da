"""Annual roll-up: a yearly sheet fed by the quarterly results of the same year.

Each quarter of the year is scored with the quarterly criteria in force for it (Decree
335/2025: the annual result is the average of the quarterly results). The yearly sheet sees
``quarter_mean_total`` (mean total of the quarters in which the person was rated, null below
``rollup.min_quarters``), ``quarters_rated`` and ``quarters_kht``; its explanations say which
quarters fed each result.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from scoring.inputs.frames import InputFrames
from scoring.periods import Period
from scoring.rules.model import Criteria

__all__ = ["quarterly_results", "QUARTERS_DETAIL"]

QUARTERS_DETAIL = "_quarters_detail"


def quarterly_results(
    criteria_file: Path, criteria: Criteria, inputs: InputFrames, year: Period
) -> pl.DataFrame:
    from scoring.engine.score import score
    from scoring.rules.select import resolve_criteria

    assert criteria.rollup is not None
    source = Path(criteria_file).parent / criteria.rollup.criteria
    frames = []
    for quarter in year.quarters():
        _, quarterly = resolve_criteria(source, quarter)
        s = score(quarterly, inputs, quarter).scores
        frames.append(s.select("employee_id", "period", "total", "rating", "status"))
    return summarise_quarters(pl.concat(frames), criteria.rollup.min_quarters)


def summarise_quarters(quarters: pl.DataFrame, min_quarters: int) -> pl.DataFrame:
    """One row per employee from their quarterly rows (employee_id, period, total, rating, status)."""
    from scoring.engine.score import number_text  # the engine imports this module

    rated = pl.col("status") == "rated"
    line = pl.format("{}: {} ({})", pl.col("period"), number_text(pl.col("total")).fill_null("—"),
                     pl.col("rating").fill_null("—"))
    out = (
        quarters.sort("employee_id", "period")
        .group_by("employee_id", maintain_order=True)
        .agg(
            pl.col("total").filter(rated).mean().round(2).alias("quarter_mean_total"),
            rated.sum().cast(pl.Int64).alias("quarters_rated"),
            (pl.col("rating") == "KHT").sum().cast(pl.Int64).alias("quarters_kht"),
            line.str.join("; ").alias(QUARTERS_DETAIL),
        )
    )
    return out.with_columns(
        pl.when(pl.col("quarters_rated") >= min_quarters).then(pl.col("quarter_mean_total"))
        .alias("quarter_mean_total")
    )

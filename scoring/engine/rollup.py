"""Roll-up: a sheet fed by the results of its quarters or months.

A year rolls up its quarters or its months, a quarter its months (Decree 335/2025: the annual
result is the mean of the monthly or quarterly results). Each part is scored with the criteria
in force for it; the sheet sees the mean total of the parts in which the person was rated (null
below ``rollup.min_periods``, counted in parts), how many were rated and how many rated KHT,
under the names of ``Rollup.names`` (``quarter_mean_total``, ``quarters_rated``,
``quarters_kht`` or ``month_mean_total``, ``months_rated``, ``months_kht``); its explanations
say which parts fed each result. The parts are scored by the caller (``scoring.run``), which
resolves each part's criteria once.
"""

from __future__ import annotations

import polars as pl

from scoring.engine.columns import number_text
from scoring.rules.model import Rollup

__all__ = ["summarise_parts", "QUARTERS_DETAIL"]

QUARTERS_DETAIL = "_quarters_detail"  # the parts' results as text (quarters or months)


def summarise_parts(parts: pl.DataFrame, rollup: Rollup) -> pl.DataFrame:
    """One row per employee from their rows of each part (employee_id, period, total, rating,
    status)."""
    mean, rated_name, kht = rollup.names
    rated = pl.col("status") == "rated"
    line = pl.format("{}: {} ({})", pl.col("period"), number_text(pl.col("total")).fill_null("—"),
                     pl.col("rating").fill_null("—"))
    out = (
        parts.sort("employee_id", "period")
        .group_by("employee_id", maintain_order=True)
        .agg(
            pl.col("total").filter(rated).mean().round(2).alias(mean),
            rated.sum().cast(pl.Int64).alias(rated_name),
            (pl.col("rating") == "KHT").sum().cast(pl.Int64).alias(kht),
            line.str.join("; ").alias(QUARTERS_DETAIL),
        )
    )
    return out.with_columns(
        pl.when(pl.col(rated_name) >= rollup.minimum).then(pl.col(mean)).alias(mean)
    )

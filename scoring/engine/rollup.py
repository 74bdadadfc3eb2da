"""Annual roll-up: a yearly sheet fed by the quarterly results of the same year.

Each quarter of the year is scored with the quarterly criteria in force for it (Decree
335/2025: the annual result is the average of the quarterly results). The yearly sheet sees
``quarter_mean_total`` (mean total of the quarters in which the person was rated, null below
``rollup.min_quarters``), ``quarters_rated`` and ``quarters_kht``; its explanations say which
quarters fed each result. The quarters are scored by the caller (``scoring.run``), which
resolves each quarter's criteria once.
"""

from __future__ import annotations

import polars as pl

from scoring.engine.columns import number_text

__all__ = ["summarise_quarters", "QUARTERS_DETAIL"]

QUARTERS_DETAIL = "_quarters_detail"


def summarise_quarters(quarters: pl.DataFrame, min_quarters: int) -> pl.DataFrame:
    """One row per employee from their quarterly rows (employee_id, period, total, rating, status)."""
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

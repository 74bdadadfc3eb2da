"""Leaders' accountability: unit measures over each leader's subordinates.

A leader's subordinates are everyone in the sub-units (at any depth) of the unit they belong
to, plus the people of lower position in that unit itself (a head's deputies and staff; a
director's deputy directors). So no one is their own subordinate, and subordinates always sit
lower in (unit depth, position) order — which is what makes the evaluation order well defined:
results flow bottom-up, and rating-dependent measures reach a fixed point in at most as many
passes as there are (depth, position) levels.
"""

from __future__ import annotations

import polars as pl

from scoring.criteria_model import Criteria
from scoring.expressions import compile_expression
from scoring.scope import rating_allowed_values, unit_measure_schema
from scoring.unit_summary import unit_closure

__all__ = ["POSITION_RANK", "LeaderScope", "depends_on_ratings"]

POSITION_RANK = {"staff": 0, "deputy_head": 1, "head": 2, "deputy_director": 3, "director": 4}
_RATING_NAMES = {"rating", "band", "total"}


def depends_on_ratings(criteria: Criteria) -> bool:
    schema = unit_measure_schema(criteria)
    for u in criteria.leaders.measures:
        expr = compile_expression(u.where, schema, kind="condition")
        if _RATING_NAMES & set(expr.meta.root_names()):
            return True
    return False


class LeaderScope:
    """The leaders' unit measures, recomputed pass after pass as the leaders' ratings settle.

    What does not change between passes is computed once: the unit tree, everyone's position
    rank, and the sums over the people who lead no one (their unit measures are 0, so their
    rating no longer changes after the first pass). Each pass then only aggregates the
    leaders' own rows (about one person in seven) and adds them to those sums.
    """

    def __init__(self, criteria: Criteria, people: pl.DataFrame, units: pl.DataFrame) -> None:
        self.measures = criteria.leaders.measures
        schema = unit_measure_schema(criteria)
        allowed = rating_allowed_values(criteria)
        self.flags = [
            compile_expression(u.where, schema, kind="condition", allowed_values=allowed)
            .fill_null(False).cast(pl.Int64).alias(u.id)
            for u in self.measures
        ]
        self.sums = [pl.col(u.id).sum() for u in self.measures]
        self.closure = unit_closure(units).filter(pl.col("unit_id") != pl.col("ancestor_id"))
        rank = pl.col("position").replace_strict(POSITION_RANK, return_dtype=pl.Int8).alias("_rank")
        # narrow first: filtering the whole scored frame would copy every column
        ranked = people.select("employee_id", "unit_id", "is_leader", rank, *self.flags)
        leader = pl.col("is_leader")
        self.leaders = ranked.filter(leader).select("employee_id", "unit_id", "_rank")
        self.others = self._per_unit_rank(ranked.filter(~leader))

    def _per_unit_rank(self, flagged: pl.DataFrame) -> pl.DataFrame:
        return flagged.group_by("unit_id", "_rank").agg(pl.len().alias("_n"), *self.sums)

    def values(self, leader_rows: pl.DataFrame) -> pl.DataFrame:
        """employee_id + one column per unit measure, for the leaders in their order here.

        ``leader_rows``: the leaders' current scored rows, in the order of ``self.leaders``.
        """
        measures, sums = self.measures, self.sums
        mine = self._per_unit_rank(
            leader_rows.select("unit_id", *self.flags).with_columns(self.leaders["_rank"]))
        per_unit_rank = (pl.concat([self.others, mine], how="vertical_relaxed")
                         .group_by("unit_id", "_rank").agg(pl.col("_n").sum(), *sums))
        below = (
            per_unit_rank.join(self.closure, on="unit_id", how="inner")
            .group_by("ancestor_id")
            .agg(pl.col("_n").sum(), *sums)
            .rename({"ancestor_id": "unit_id"})
        )
        same_unit = (
            self.leaders.join(per_unit_rank, on="unit_id", how="inner", suffix="_other")
            .filter(pl.col("_rank_other") < pl.col("_rank"))
            .group_by("employee_id")
            .agg(pl.col("_n").sum(), *sums)
        )
        totals = (
            self.leaders.join(below, on="unit_id", how="left", maintain_order="left")
            .join(same_unit, on="employee_id", how="left", suffix="_same", maintain_order="left")
            .select(
                "employee_id",
                (pl.col("_n").fill_null(0) + pl.col("_n_same").fill_null(0)).alias("_n"),
                *[(pl.col(u.id).fill_null(0) + pl.col(f"{u.id}_same").fill_null(0)).alias(u.id)
                  for u in measures],
            )
        )
        return totals.select(
            "employee_id",
            *[
                pl.col(u.id).cast(pl.Int64).alias(u.id) if u.agg == "count"
                else pl.when(pl.col("_n") > 0).then((pl.col(u.id) / pl.col("_n")).round(4))
                .otherwise(0.0).alias(u.id)
                for u in measures
            ],
        )

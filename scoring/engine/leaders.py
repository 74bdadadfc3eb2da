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

from scoring.engine.compiled import per_criteria
from scoring.engine.employee_context import UNIT_NUMBER
from scoring.engine.unit_summary import unit_closure
from scoring.inputs.contract import POSITIONS
from scoring.rules.expressions import compile_expression
from scoring.rules.model import Criteria
from scoring.rules.names import rating_allowed_values, unit_measure_schema

__all__ = ["POSITION_RANK", "LeaderScope"]

# seniority: staff 0 … director 4 (the contract lists positions from the most senior)
POSITION_RANK = {p: len(POSITIONS) - 1 - i for i, p in enumerate(POSITIONS)}


def _leader_flags(criteria: Criteria) -> list[pl.Expr]:
    """Each unit measure's condition, as a 0/1 column per person."""
    schema = unit_measure_schema(criteria)
    allowed = rating_allowed_values(criteria)
    return [
        compile_expression(u.where, schema, kind="condition", allowed_values=allowed)
        .fill_null(False).cast(pl.Int64).alias(u.id)
        for u in criteria.leaders.measures
    ]


class LeaderScope:
    """The leaders' unit measures, recomputed pass after pass as the leaders' ratings settle.

    What does not change between passes is computed once: the unit tree, everyone's position
    rank, and the sums over the people who lead no one (their unit measures are 0, so their
    rating no longer changes after the first pass), already added up for each leader. Each
    pass then only aggregates the leaders' own rows (about one person in seven). Units are
    numbered so that every join is on integers.
    """

    def __init__(self, criteria: Criteria, people: pl.DataFrame, units: pl.DataFrame) -> None:
        """``people``: the context's rows (their units numbered as rows of ``units``)."""
        self.measures = criteria.leaders.measures
        self.flags = per_criteria(criteria, "leader_flags", _leader_flags)
        self.names = ["_n", *(u.id for u in self.measures)]
        ids = units["unit_id"]
        numbers = pl.int_range(ids.len(), dtype=pl.UInt32, eager=True)

        def number(column: str) -> pl.Expr:
            return pl.col(column).replace_strict(ids, numbers)

        self.closure = (unit_closure(units).filter(pl.col("unit_id") != pl.col("ancestor_id"))
                        .select(number("unit_id").alias("_u"), number("ancestor_id").alias("_a")))
        rank = pl.col("position").replace_strict(POSITION_RANK, return_dtype=pl.Int8).alias("_rank")
        # narrow first: filtering the whole scored frame would copy every column
        ranked = people.select("employee_id", pl.col(UNIT_NUMBER).alias("_u"), "is_leader", rank,
                               *self.flags)
        leader = pl.col("is_leader")
        self.leaders = (ranked.filter(leader).select("employee_id", "_u", "_rank")
                        .with_row_index("_i"))
        self.fixed = self._per_leader(self._per_unit_rank(ranked.filter(~leader)))

    def _per_unit_rank(self, flagged: pl.DataFrame) -> pl.DataFrame:
        return flagged.group_by("_u", "_rank").agg(
            pl.len().cast(pl.Int64).alias("_n"), *(pl.col(u.id).sum() for u in self.measures))

    def _per_leader(self, per_unit_rank: pl.DataFrame) -> pl.DataFrame:
        """For each leader, in order: the sums over their sub-units and lower positions."""
        total = [pl.col(n).sum() for n in self.names]
        below = (per_unit_rank.join(self.closure, on="_u", how="inner")
                 .group_by("_a").agg(total).rename({"_a": "_u"}))
        same_unit = (
            self.leaders.join(per_unit_rank, on="_u", how="inner", suffix="_other")
            .filter(pl.col("_rank_other") < pl.col("_rank"))
            .group_by("_i").agg(total)
        )
        return (
            self.leaders.select("_i", "_u")
            .join(below, on="_u", how="left", maintain_order="left")
            .join(same_unit, on="_i", how="left", suffix="_same", maintain_order="left")
            .select(*[(pl.col(n).fill_null(0) + pl.col(f"{n}_same").fill_null(0)).alias(n)
                      for n in self.names])
        )

    def values(self, leader_rows: pl.DataFrame) -> pl.DataFrame:
        """employee_id + one column per unit measure, for the leaders in their order here.

        ``leader_rows``: the leaders' current scored rows, in the order of ``self.leaders``.
        """
        mine = self._per_unit_rank(leader_rows.select(*self.flags).with_columns(
            self.leaders["_u"], self.leaders["_rank"]))
        sums = self._per_leader(mine)
        n = self.fixed["_n"] + sums["_n"]
        out = [self.leaders["employee_id"]]
        for u in self.measures:
            value = self.fixed[u.id] + sums[u.id]
            if u.agg == "count":
                out.append(value.cast(pl.Int64).alias(u.id))
            else:
                share = pl.when(n > 0).then((value / n).round(4)).otherwise(0.0)
                out.append(pl.select(share.alias(u.id)).to_series())
        return pl.DataFrame(out)

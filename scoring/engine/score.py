"""The scoring engine: (criteria, input frames, period) → scores, explanations, unit summary.

Pure: no file reading, no clock, no randomness. Each step is a small function returning Polars
expressions over the evaluation context (``scoring.engine.employee_context``); ``score``
composes them into one lazy plan and collects the three result frames together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import polars as pl

from scoring.engine.columns import (
    REASON,
    base_column,
    clip_column,
    code_of,
    fired_column,
    group_column,
    item_column,
)
from scoring.engine.employee_context import build_context
from scoring.engine.explanations import ExplanationLayout, Words, explanation_layout
from scoring.engine.finite import refuse_non_finite
from scoring.engine.leaders import POSITION_RANK, LeaderScope
from scoring.engine.plan import RuleTerm, SheetPlan, plan_sheet
from scoring.engine.quotas import apply_quotas, quota_column
from scoring.engine.unit_summary import summary_tables, unit_summary
from scoring.inputs.frames import InputFrames, LentInputs
from scoring.periods import Period
from scoring.rules.model import Criteria, Group, Item

__all__ = ["ScoreResult", "score", "evaluate", "score_columns", "NO_ASSESSMENT"]

# employees per slice of the explanations: at 2.7 million staff 125,000 a slice builds them in
# 7.7-8.1 s against 9.0-9.3 s at 250,000 (a slice's parts stay in cache) and lowers the
# peak of the write by about 0.6 GB
EXPLANATION_SLICE = 125_000
# why a person is not rated, in Vietnamese and English (the explanations show one side, the
# scores' ``status_reason`` both, ``vi / en``)
NO_ASSESSMENT = ("Không có kết quả đánh giá của đơn vị trong kỳ", "no assessment for the period")
_FEW = {  # (kind of the sheet, kind rolled up) → why the sheet has no total
    ("year", "quarter"): ("Không đủ số quý được xếp loại trong năm", "too few rated quarters in the year"),
    ("year", "month"): ("Không đủ số tháng được xếp loại trong năm", "too few rated months in the year"),
    ("quarter", "month"): ("Không đủ số tháng được xếp loại trong quý",
                           "too few rated months in the quarter"),
}
MISSING_SCORE = ("Thiếu điểm đánh giá của đơn vị cho một mục", "a unit assessment score is blank")


@dataclass(frozen=True)
class ScoreResult:
    """The three result tables; the explanations as plans, one per slice of employees.

    A national run has about 22 million explanation rows: the run writes them a slice at a
    time, never holding them all (``scoring.outputs.tables.write_slices``).
    """

    scores: pl.DataFrame
    layout: ExplanationLayout
    people: pl.DataFrame  # the context columns the explanations read, in employee order
    units: pl.DataFrame

    def _plans(self, words: Words | None) -> Iterator[pl.LazyFrame]:
        for start in range(0, max(self.people.height, 1), EXPLANATION_SLICE):
            yield self.layout.frame(self.people.slice(start, EXPLANATION_SLICE).lazy(), words)

    def explanation_frames(self, words: Words | None = None) -> Iterator[pl.DataFrame]:
        """The explanations, slice after slice, in employee order (``words``: see
        ``ExplanationLayout.frame``)."""
        for plan in self._plans(words):
            yield plan.collect(engine="in-memory")  # far faster here than streaming unions

    def explanation_schema(self, words: Words | None = None) -> pl.Schema:
        return next(self._plans(words)).collect_schema()

    @cached_property
    def explanations(self) -> pl.DataFrame:
        return pl.concat(self.explanation_frames(), how="vertical")


def _rule_amount(plan: SheetPlan, term: RuleTerm) -> pl.Expr:
    rule = term.rule
    amount = pl.lit(rule.points, pl.Float64)
    if term.per is not None:
        amount = amount * term.per.cast(pl.Float64).fill_null(0.0)
    if term.when is not None:
        amount = pl.when(term.when.fill_null(False)).then(amount).otherwise(0.0)
    if rule.limit is not None:
        amount = amount.clip(upper_bound=rule.limit)
    return amount.round(2).alias(term.column)


def _base(plan: SheetPlan, item: Item) -> pl.Expr:
    if item.assessment:
        base = pl.col(item.assessment)
    elif item.formula:
        base = plan.formula(item).cast(pl.Float64)
    else:
        base = pl.lit(item.start, pl.Float64)
    return base.round(2).alias(base_column(item))


def _items(plan: SheetPlan, ctx: pl.LazyFrame) -> pl.LazyFrame:
    c = plan.criteria
    ctx = ctx.with_columns(
        [_base(plan, i) for i in c.items] + [_rule_amount(plan, t) for t in plan.terms]
    )
    raws = {}
    for item in c.items:
        raw = pl.col(base_column(item))
        for t in plan.terms:
            if t.item.id == item.id:
                raw = raw - pl.col(t.column) if t.kind == "deduction" else raw + pl.col(t.column)
        raws[item.id] = raw
    ctx = ctx.with_columns(
        [raws[i.id].clip(0.0, i.max).round(2).alias(item_column(i)) for i in c.items]
    )
    ctx = ctx.with_columns(
        [(pl.col(item_column(i)) - raws[i.id]).round(2).alias(clip_column(i)) for i in c.items]
        + [
            _group_points(g).alias(group_column(g))
            for g in c.groups
        ]
    )
    total = pl.fold(pl.lit(0.0), lambda acc, x: acc + x, [pl.col(group_column(g)) for g in c.groups])
    return ctx.with_columns(total.round(2).alias("total"))


def _group_points(group: Group) -> pl.Expr:
    """Sum of the items, at most the group's max; null when any item is null (no score)."""
    total = pl.fold(pl.lit(0.0), lambda acc, x: acc + x, [pl.col(item_column(i)) for i in group.items])
    return pl.when(total.is_null()).then(None).otherwise(total.clip(upper_bound=group.max)).round(2)


def _joined_ids(flags: list[tuple[pl.Expr, str]]) -> pl.Expr:
    """The ids whose flag is true, in order, joined by '; ' ('' when none).

    String concatenation, not ``concat_list(...).list.drop_nulls().list.join``: list
    operations cost about ten times more per row.
    """
    if not flags:
        return pl.lit("")
    parts = [pl.when(flag.fill_null(False)).then(pl.lit(f"; {id_}")).otherwise(pl.lit(""))
             for flag, id_ in flags]
    return pl.concat_str(parts).str.strip_prefix("; ")


def _rank_of_total(criteria: Criteria) -> pl.Expr:
    expr: Any = pl.when(pl.col("total").is_null()).then(pl.lit(None, pl.Int32))  # Then, ChainedThen
    for rank, band in enumerate(criteria.ratings):
        expr = expr.when(pl.col("total") >= band.min).then(pl.lit(rank, pl.Int32))
    ranked: pl.Expr = expr.otherwise(pl.lit(len(criteria.ratings) - 1, pl.Int32))
    return ranked


def _ratings(plan: SheetPlan, ctx: pl.LazyFrame) -> pl.LazyFrame:
    c = plan.criteria
    scored = pl.col("has_assessment") & pl.col("total").is_not_null()
    few = _FEW.get((c.period_kind, c.rollup.of if c.rollup else ""), ("", ""))

    def reason(side: int) -> pl.Expr:
        return (pl.when(scored).then(pl.lit(None, pl.String))
                .when(~pl.col("has_assessment")).then(pl.lit(NO_ASSESSMENT[side]))
                .when(pl.lit(c.rollup is not None)).then(pl.lit(few[side]))
                .otherwise(pl.lit(MISSING_SCORE[side])))

    ctx = ctx.with_columns(
        _rank_of_total(c).alias("_band_rank"),
        pl.when(scored).then(pl.lit("rated")).otherwise(pl.lit("not_rated")).alias("status"),
        reason(0).alias(REASON["vi"]), reason(1).alias(REASON["en"]),
    ).with_columns(pl.col("_band_rank").alias("_rank"))
    ranks = {b.code: i for i, b in enumerate(c.ratings)}
    for o, cond, _ids in plan.overrides:
        fired = (pl.col("status") == "rated") & cond.fill_null(False)
        ctx = ctx.with_columns(fired.alias(fired_column(o)), pl.col("_rank").alias(f"_from__{o.id}"))
        f = pl.col(fired_column(o))
        if o.action == "force":
            ctx = ctx.with_columns(pl.when(f).then(pl.lit(ranks[o.rating], pl.Int32))  # type: ignore[index]
                                   .otherwise(pl.col("_rank")).alias("_rank"))
        elif o.action == "cap":
            capped = pl.max_horizontal(pl.col("_rank"), pl.lit(ranks[o.rating], pl.Int32))  # type: ignore[index]
            ctx = ctx.with_columns(pl.when(f).then(capped).otherwise(pl.col("_rank")).alias("_rank"))
        else:
            ctx = ctx.with_columns(
                pl.when(f).then(pl.lit("not_rated")).otherwise(pl.col("status")).alias("status"),
                pl.when(f).then(pl.lit(o.label)).otherwise(pl.col(REASON["vi"])).alias(REASON["vi"]),
                pl.when(f).then(pl.lit(o.label_en or o.label)).otherwise(pl.col(REASON["en"]))
                .alias(REASON["en"]),
            )
        ctx = ctx.with_columns(pl.col("_rank").alias(f"_to__{o.id}"))
    overrides_list = _joined_ids([(pl.col(fired_column(o)), o.id) for o, _, _ in plan.overrides])
    rated = pl.col("status") == "rated"
    return ctx.with_columns(
        pl.format("{} / {}", pl.col(REASON["vi"]), pl.col(REASON["en"])).alias("status_reason"),
        code_of(c, pl.col("_band_rank")).alias("band"),
        pl.when(rated).then(code_of(c, pl.col("_rank"))).alias("rating"),
        overrides_list.alias("overrides"),
    )


SCORE_KEYS = ("employee_id", "full_name", "unit_id", "unit_name", "position", "employment_type",
              "duty_group")


def score_columns(criteria: Criteria) -> list[str]:
    return [
        *SCORE_KEYS,
        "period",
        *[item_column(i) for i in criteria.items],
        *[group_column(g) for g in criteria.groups],
        "total", "band", "rating", "rating_label", "status", "status_reason", "overrides", "quota",
    ]


def _rate(plan: SheetPlan, ctx: pl.DataFrame) -> pl.DataFrame:
    return _ratings(plan, _items(plan, ctx.lazy())).collect(engine="in-memory")


def _put_rows(columns: list[pl.Series], where: pl.Series, rows: pl.DataFrame,
              names: set[str]) -> pl.DataFrame:
    """A frame of ``columns``, those in ``names`` with positions ``where`` taken from ``rows``.

    Columns no frame holds any more are written in place rather than copied.
    """
    return pl.DataFrame([c.scatter(where, rows[c.name]) if c.name in names else c
                         for c in columns])


def _with_leaders(plan: SheetPlan, ctx: pl.DataFrame, units: pl.DataFrame) -> pl.DataFrame:
    """Score, then recompute unit measures from the results until they stop changing.

    Each pass settles at least one more (unit depth, position) level from the bottom up (see
    ``scoring.engine.leaders``), so the loop ends within the number of levels plus one. Only leaders
    have unit measures (everyone else's are 0 in every pass), and rating is row by row, so
    each pass rates again only the leaders whose unit measures changed.
    """
    c = plan.criteria
    measures = c.leaders.measures
    zeros = [(pl.lit(0, pl.Int64) if u.agg == "count" else pl.lit(0.0)).alias(u.id) for u in measures]
    scored = _rate(plan, ctx.with_columns(zeros))
    is_leader = ctx["is_leader"]
    if not is_leader.any():
        return scored
    computed = set(scored.columns) - set(ctx.columns)
    where = is_leader.arg_true()  # the leaders' rows in ``ctx``, in the scope's order
    scope = LeaderScope(c, scored, units)
    rated = scored[where]
    previous = rated.select(u.id for u in measures)  # what the leaders were rated with
    for _ in range(len(POSITION_RANK) * (units.height + 1) + 1):
        values = scope.values(rated).drop("employee_id")
        changed = values.select(
            pl.any_horizontal(pl.col(u.id) != previous[u.id] for u in measures)).to_series()
        if not changed.any():
            columns = scored.get_columns()
            del scored
            return _put_rows(columns, where, rated, computed)
        rows = changed.arg_true()
        fresh = _rate(plan, ctx[where.gather(rows)].with_columns(values[rows]))
        rated = _put_rows(rated.get_columns(), rows, fresh, computed)
        previous = values
    raise RuntimeError("leaders' unit measures did not settle")  # unreachable: strict order


def evaluate(
    criteria: Criteria, inputs: InputFrames | LentInputs, period: Period,
    extra: pl.DataFrame | None = None,
) -> tuple[SheetPlan, pl.LazyFrame]:
    """The full per-employee context with every intermediate column, in employee order.

    Lent inputs (``LentInputs``) keep only the tables the unit summary still reads once the
    context is built.
    """
    lent = inputs if isinstance(inputs, LentInputs) else LentInputs(inputs)
    plan = plan_sheet(criteria)
    # one memory chunk per column: the context's parts are placed side by side, so columns
    # would otherwise be split at different rows, on which Polars' in-memory engine (used for
    # the rating passes and the explanations) panics (Polars 2.1)
    ctx = build_context(criteria, lent.inputs, period, extra).collect().rechunk()
    lent.release_all_but(summary_tables(criteria))
    given = extra is not None and all(u.id in extra.columns for u in criteria.leaders.measures)
    if criteria.leaders.measures and not given:
        scored = _with_leaders(plan, ctx, lent.inputs.units)
    else:
        scored = _rate(plan, ctx)
    refuse_non_finite(plan, scored)
    if criteria.quotas:
        scored = apply_quotas(criteria, scored)
    labels = {b.code: b.label for b in criteria.ratings}
    quota_ids = _joined_ids([(pl.col(quota_column(q)).is_not_null(), q.id) for q in criteria.quotas])
    scored = scored.with_columns(
        pl.col("rating").replace_strict(list(labels), list(labels.values()), default=None,
                                        return_dtype=pl.String).alias("rating_label"),
        quota_ids.alias("quota"),
        pl.lit(period.label).alias("period"),
    )
    return plan, scored.lazy()


def score(
    criteria: Criteria, inputs: InputFrames | LentInputs, period: Period,
    extra: pl.DataFrame | None = None,
) -> ScoreResult:
    """Score every employee in scope for ``period`` (``extra``: roll-up columns, see rollup).

    Inputs given as ``LentInputs`` are let go of table by table as they are used.
    """
    lent = inputs if isinstance(inputs, LentInputs) else LentInputs(inputs)
    plan, ctx = evaluate(criteria, lent, period, extra)
    u = unit_summary(criteria, lent.inputs, period, ctx).collect()
    lent.release_all_but(())
    # The explanations (about eight rows a person) are built a slice of employees at a time:
    # each slice is ordered on its own, and is written before the next is built.
    layout = explanation_layout(plan)  # compiled once for every slice
    columns = score_columns(criteria)
    kept = ctx.select(list(dict.fromkeys([*columns, *layout.inputs()]))).collect()
    # the working columns of the context (about a third of it) are freed before the scores
    # are sorted, so that the sort reuses their memory (the peak of a national run)
    del ctx
    people = kept.select(layout.inputs())
    # by unit, then employee (the context is in employee order: a stable sort on the unit),
    # a column at a time: each column the explanations do not read is freed once sorted
    order = kept.select(pl.arg_sort_by("unit_id", maintain_order=True)).to_series()
    unsorted = dict(zip(kept.columns, kept.get_columns(), strict=True))
    del kept
    s = pl.DataFrame([unsorted.pop(name).gather(order) for name in columns])
    return ScoreResult(s, layout, people, u)

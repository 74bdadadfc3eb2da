"""Explanations: one row per contribution to a score (their reading: ``scoring.audit.explain_text``).

For every employee the ``points`` of rows of kind base, deduction, bonus and clip add up to the
total; band, override and status rows say how the rating followed from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from scoring.engine.columns import (
    base_column,
    clip_column,
    code_of,
    fired_column,
    item_column,
    number_text,
)
from scoring.engine.plan import SheetPlan, with_windows
from scoring.engine.quotas import quota_column
from scoring.engine.rollup import QUARTERS_DETAIL
from scoring.rules.expressions import referenced_names

__all__ = [
    "ExplanationLayout",
    "explanation_layout",
]

ORDER = "_order"
_SEQ_SPAN = 1 << 16

_CONSTANTS = ("group", "item", "rule", "kind", "label", "label_en", "legal_ref")


@dataclass(frozen=True)
class _Row:
    """One row of every employee's derivation: texts fixed by the criteria, and expressions."""

    seq: int
    constants: dict[str, str | None]
    points: pl.Expr | None
    detail: pl.Expr
    record_ids: pl.Expr | None

    def exprs(self, enums: dict[str, pl.Enum]) -> list[pl.Expr]:
        def const(name: str) -> pl.Expr:
            return pl.lit(self.constants[name], pl.String).cast(enums[name]).alias(name)

        return [
            (pl.col(ORDER) + self.seq).alias(ORDER),
            pl.col("employee_id"),
            pl.lit(self.seq, pl.Int32).alias("seq"),
            const("group"),
            const("item"),
            const("rule"),
            const("kind"),
            (self.points if self.points is not None else pl.lit(None, pl.Float64)).alias("points"),
            const("label"),
            const("label_en"),
            self.detail.cast(pl.String).alias("detail"),
            (self.record_ids if self.record_ids is not None else pl.lit("")).alias("record_ids"),
            const("legal_ref"),
        ]


def _row(
    seq: int,
    *,
    group: str | None,
    item: str | None,
    rule: str,
    kind: str,
    points: pl.Expr | None,
    label: str,
    label_en: str | None,
    detail: pl.Expr,
    record_ids: pl.Expr | None = None,
    legal_ref: str | None = None,
) -> _Row:
    constants = {"group": group, "item": item, "rule": rule, "kind": kind, "label": label,
                 "label_en": label_en or label, "legal_ref": legal_ref or ""}
    return _Row(seq, constants, points, detail, record_ids)


@dataclass(frozen=True)
class ExplanationLayout:
    """The rows of every employee's derivation, compiled once for a sheet."""

    rows: tuple[tuple[pl.Expr, _Row], ...]  # (which employees have the row, the row)
    enums: dict[str, pl.Enum]  # the texts fixed by the criteria: one byte a cell

    def inputs(self) -> list[str]:
        """The context columns the explanations read."""
        exprs = [e for which, row in self.rows for e in (which, *row.exprs(self.enums))]
        return sorted({n for e in exprs for n in e.meta.root_names()} - {ORDER})

    def frame(self, ctx: pl.LazyFrame) -> pl.LazyFrame:
        """Every contribution, ordered by employee and ``seq``; ``ctx`` is in employee order."""
        # one integer key (position of the employee, then seq) sorts far faster than the pair
        ctx = ctx.with_row_index(ORDER).with_columns(pl.col(ORDER).cast(pl.UInt64) * _SEQ_SPAN)
        parts = [ctx.filter(which).select(row.exprs(self.enums)) for which, row in self.rows]
        return pl.concat(parts, how="vertical").sort(ORDER).drop(ORDER)


def explanation_layout(plan: SheetPlan) -> ExplanationLayout:
    c = plan.criteria
    rows: list[tuple[pl.Expr, _Row]] = []  # (which employees have the row, the row)
    seq = 0
    for group in c.groups:
        for item in group.items:
            seq += 1
            base = pl.col(base_column(item))
            if item.assessment:
                detail = pl.lit(f"điểm đánh giá của đơn vị (cột {item.assessment}) / unit "
                                f"assessment (column {item.assessment})")
            elif item.formula:
                detail = pl.lit(f"công thức: {item.formula} / formula: {item.formula}")
            else:
                detail = pl.lit(f"điểm khởi đầu / starting points: {item.start:g}")
            rows.append((base.is_not_null(), _row(
                seq, group=group.id, item=item.id, rule=item.id, kind="base", points=base,
                label=item.label, label_en=item.label_en, detail=detail, legal_ref=item.legal_ref)))
            for t in plan.terms:
                if t.item.id != item.id:
                    continue
                seq += 1
                amount = pl.col(t.column)
                signed = -amount if t.kind == "deduction" else amount
                rows.append((amount != 0, _row(
                    seq, group=group.id, item=item.id, rule=t.rule.id, kind=t.kind, points=signed,
                    label=t.rule.label, label_en=t.rule.label_en, detail=t.detail,
                    record_ids=t.record_ids, legal_ref=t.rule.legal_ref)))
            seq += 1
            clip = pl.col(clip_column(item))
            rows.append((clip.is_not_null() & (clip != 0), _row(
                seq, group=group.id, item=item.id, rule="clip", kind="clip", points=clip,
                label=f"Giới hạn điểm mục trong khoảng [0, {item.max:g}]",
                label_en=f"Item points kept within [0, {item.max:g}]",
                detail=pl.format("{} → {}", number_text(pl.col(item_column(item)) - clip),
                                 number_text(pl.col(item_column(item)))))))
    if c.rollup is not None:
        seq += 1
        of_vi, of_en = ("quý", "Quarterly") if c.rollup.of == "quarter" else ("tháng", "Monthly")
        in_vi, in_en = ("năm", "year") if c.period_kind == "year" else ("quý", "quarter")
        rows.append((pl.col(QUARTERS_DETAIL).is_not_null(), _row(
            seq, group=None, item=None, rule=f"{c.rollup.of}s", kind="rollup", points=None,
            label=f"Kết quả các {of_vi} trong {in_vi}", label_en=f"{of_en} results of the {in_en}",
            detail=pl.col(QUARTERS_DETAIL))))
    seq += 1
    rows.append((pl.col("total").is_not_null(), _row(
        seq, group=None, item=None, rule="band", kind="band", points=None,
        label="Xếp loại theo tổng điểm", label_en="Rating from the total",
        detail=pl.format("{} → {}", number_text(pl.col("total")), pl.col("band")))))
    for o, cond, ids in plan.overrides:
        seq += 1
        before = code_of(c, pl.col(f"_from__{o.id}"))
        if o.action == "not_rated":
            detail = pl.format("{} → không xếp loại / {} → not rated", before, before)
        else:
            after = code_of(c, pl.col(f"_to__{o.id}"))
            detail = pl.when(before == after).then(
                pl.format("{} (không đổi) / {} (unchanged)", before, before)
            ).otherwise(pl.format("{} → {}", before, after))
        detail = with_windows(detail, referenced_names(cond), c)
        rows.append((pl.col(fired_column(o)), _row(
            seq, group=None, item=None, rule=o.id, kind="override", points=None, label=o.label,
            label_en=o.label_en, detail=detail, record_ids=ids, legal_ref=o.legal_ref)))
    for q in c.quotas:
        seq += 1
        col = pl.col(quota_column(q))
        rows.append((col.is_not_null(), _row(
            seq, group=None, item=None, rule=q.id, kind="quota", points=None, label=q.label,
            label_en=q.label_en, detail=col, legal_ref=q.legal_ref)))
    seq += 1
    rows.append((pl.col("status") == "not_rated", _row(
        seq, group=None, item=None, rule="status", kind="status", points=None,
        label="Không xếp loại", label_en="Not rated",
        detail=pl.col("status_reason").fill_null(""))))
    if seq >= _SEQ_SPAN:
        raise ValueError(f"too many explanation rows per employee ({seq})")
    # the texts fixed by the criteria, as enums of the values that occur: one byte a cell
    enums = {name: pl.Enum(list(dict.fromkeys(
        v for _, r in rows if (v := r.constants[name]) is not None))) for name in _CONSTANTS}
    return ExplanationLayout(tuple(rows), enums)

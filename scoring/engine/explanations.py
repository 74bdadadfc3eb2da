"""Explanations: one row per contribution to a score (their reading: ``scoring.audit.explain_text``).

For every employee the ``points`` of rows of kind base, deduction, bonus and clip add up to the
total; band, override and status rows say how the rating followed from it. The rows hold numbers,
ids and codes only (plus the few texts written in both languages at their source: quotas and
reasons for not rating); ``scoring.outputs.wording`` words them per language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from scoring.engine.columns import (
    REASON,
    base_column,
    clip_column,
    code_of,
    fired_column,
    item_column,
    number_text,
)
from scoring.engine.plan import SheetPlan, windows_of
from scoring.engine.quotas import quota_column
from scoring.engine.rollup import QUARTERS_DETAIL
from scoring.rules.expressions import referenced_names

__all__ = [
    "ExplanationLayout",
    "explanation_layout",
    "EXPLANATION_COLUMNS",
    "Words",
]

ORDER = "_order"
Words = Callable[[Mapping[str, str | None]], list[pl.Expr]]  # a row's constants → its words
_SEQ_SPAN = 1 << 16

# texts fixed by the criteria: enums of the few values that occur
_CONSTANTS = ("group", "item", "rule", "kind", "basis", "source", "label", "label_en", "legal_ref")
_NUMBERS = ("count", "unit_points", "limit")  # per-occurrence rules: count × unit_points, ≤ limit
_TEXTS = ("values", "window", "before", "after", "text", "text_en", "record_ids")

# the columns of the explanations table, in order
EXPLANATION_COLUMNS = ("employee_id", "seq", "group", "item", "rule", "kind", "points", "label",
                       "label_en", "basis", "source", *_NUMBERS, *_TEXTS[:-1], "record_ids",
                       "legal_ref")


@dataclass(frozen=True)
class _Row:
    """One row of every employee's derivation: texts fixed by the criteria, and expressions."""

    seq: int
    constants: dict[str, str | None]
    points: pl.Expr | None
    fields: dict[str, pl.Expr]  # of _NUMBERS and _TEXTS; absent ones are null

    def exprs(self, enums: dict[str, pl.Enum]) -> list[pl.Expr]:
        def const(name: str) -> pl.Expr:
            return pl.lit(self.constants[name], pl.String).cast(enums[name]).alias(name)

        def field(name: str, dtype: type[pl.DataType]) -> pl.Expr:
            expr = self.fields.get(name)
            return (pl.lit(None, dtype) if expr is None else expr.cast(dtype)).alias(name)

        cols = {
            ORDER: (pl.col(ORDER) + self.seq).alias(ORDER),
            "employee_id": pl.col("employee_id"),
            "seq": pl.lit(self.seq, pl.Int32).alias("seq"),
            "points": (self.points if self.points is not None else pl.lit(None, pl.Float64))
            .alias("points"),
            **{n: const(n) for n in _CONSTANTS},
            **{n: field(n, pl.Float64) for n in _NUMBERS},
            **{n: field(n, pl.String) for n in _TEXTS},
        }
        cols["record_ids"] = cols["record_ids"].fill_null("")
        return [cols[ORDER], *(cols[n] for n in EXPLANATION_COLUMNS)]


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
    basis: str | None = None,
    source: str | None = None,
    legal_ref: str | None = None,
    **fields: pl.Expr | None,
) -> _Row:
    constants = {"group": group, "item": item, "rule": rule, "kind": kind, "basis": basis or kind,
                 "source": source, "label": label, "label_en": label_en or label,
                 "legal_ref": legal_ref or ""}
    return _Row(seq, constants, points, {k: v for k, v in fields.items() if v is not None})


@dataclass(frozen=True)
class ExplanationLayout:
    """The rows of every employee's derivation, compiled once for a sheet."""

    rows: tuple[tuple[pl.Expr, _Row], ...]  # (which employees have the row, the row)
    enums: dict[str, pl.Enum]  # the texts fixed by the criteria: one byte a cell

    def inputs(self) -> list[str]:
        """The context columns the explanations read."""
        exprs = [e for which, row in self.rows for e in (which, *row.exprs(self.enums))]
        return sorted({n for e in exprs for n in e.meta.root_names()} - {ORDER})

    def frame(self, ctx: pl.LazyFrame, words: Words | None = None) -> pl.LazyFrame:
        """Every contribution, ordered by employee and ``seq``; ``ctx`` is in employee order.

        ``words`` (from the outputs) gives columns that word a row from its constants; they
        are computed on that row's people only and placed after ``label_en``.
        """
        # one integer key (position of the employee, then seq) sorts far faster than the pair
        ctx = ctx.with_row_index(ORDER).with_columns(pl.col(ORDER).cast(pl.UInt64) * _SEQ_SPAN)
        parts = []
        for which, row in self.rows:
            part = ctx.filter(which).select(row.exprs(self.enums))
            if words is not None:
                added = words(row.constants)
                names = [ORDER, *EXPLANATION_COLUMNS]
                at = names.index("label_en") + 1
                part = part.with_columns(added).select(
                    *names[:at], *[e.meta.output_name() for e in added], *names[at:])
            parts.append(part)
        return pl.concat(parts, how="vertical").sort(ORDER).drop(ORDER)


def _item_rows(plan: SheetPlan, seq: int) -> tuple[list[tuple[pl.Expr, _Row]], int]:
    """Each item's base, its deductions and bonuses, and the clip into [0, max]."""
    rows: list[tuple[pl.Expr, _Row]] = []
    for group in plan.criteria.groups:
        for item in group.items:
            seq += 1
            base = pl.col(base_column(item))
            basis, source = (("assessment", item.assessment) if item.assessment else
                             ("formula", item.formula) if item.formula else
                             ("start", f"{item.start:g}"))
            rows.append((base.is_not_null(), _row(
                seq, group=group.id, item=item.id, rule=item.id, kind="base", points=base,
                label=item.label, label_en=item.label_en, basis=basis, source=source,
                legal_ref=item.legal_ref)))
            for t in plan.terms:
                if t.item.id != item.id:
                    continue
                seq += 1
                amount = pl.col(t.column)
                rows.append((amount != 0, _row(
                    seq, group=group.id, item=item.id, rule=t.rule.id, kind=t.kind,
                    points=-amount if t.kind == "deduction" else amount,
                    label=t.rule.label, label_en=t.rule.label_en,
                    basis="per" if t.per is not None else "condition",
                    count=t.per, unit_points=pl.lit(t.rule.points) if t.per is not None else None,
                    limit=pl.lit(t.rule.limit) if t.rule.limit is not None else None,
                    values=t.values, window=t.windows, record_ids=t.record_ids,
                    legal_ref=t.rule.legal_ref)))
            seq += 1
            clip = pl.col(clip_column(item))
            rows.append((clip.is_not_null() & (clip != 0), _row(
                seq, group=group.id, item=item.id, rule="clip", kind="clip", points=clip,
                label=f"Giới hạn điểm mục trong khoảng [0, {item.max:g}]",
                label_en=f"Item points kept within [0, {item.max:g}]",
                before=number_text(pl.col(item_column(item)) - clip),
                after=number_text(pl.col(item_column(item))))))
    return rows, seq


def _rating_rows(plan: SheetPlan, seq: int) -> tuple[list[tuple[pl.Expr, _Row]], int]:
    """The roll-up, the band of the total, the overrides, the quotas and the status."""
    c = plan.criteria
    rows: list[tuple[pl.Expr, _Row]] = []
    if c.rollup is not None:
        seq += 1
        of_vi, of_en = ("quý", "Quarterly") if c.rollup.of == "quarter" else ("tháng", "Monthly")
        in_vi, in_en = ("năm", "year") if c.period_kind == "year" else ("quý", "quarter")
        rows.append((pl.col(QUARTERS_DETAIL).is_not_null(), _row(
            seq, group=None, item=None, rule=f"{c.rollup.of}s", kind="rollup", points=None,
            label=f"Kết quả các {of_vi} trong {in_vi}", label_en=f"{of_en} results of the {in_en}",
            values=pl.col(QUARTERS_DETAIL))))
    seq += 1
    rows.append((pl.col("total").is_not_null(), _row(
        seq, group=None, item=None, rule="band", kind="band", points=None,
        label="Xếp loại theo tổng điểm", label_en="Rating from the total",
        before=number_text(pl.col("total")), after=pl.col("band"))))
    for o, cond, ids in plan.overrides:
        seq += 1
        after = None if o.action == "not_rated" else code_of(c, pl.col(f"_to__{o.id}"))
        rows.append((pl.col(fired_column(o)), _row(
            seq, group=None, item=None, rule=o.id, kind="override", points=None, label=o.label,
            label_en=o.label_en, basis=o.action, before=code_of(c, pl.col(f"_from__{o.id}")),
            after=after, window=windows_of(referenced_names(cond), c), record_ids=ids,
            legal_ref=o.legal_ref)))
    codes = [b.code for b in c.ratings]
    for q in c.quotas:
        seq += 1
        col = pl.col(quota_column(q))
        rows.append((col.is_not_null(), _row(
            seq, group=None, item=None, rule=q.id, kind="quota", points=None, label=q.label,
            label_en=q.label_en, before=pl.lit(q.rating),
            after=pl.lit(codes[codes.index(q.rating) + 1]), text=col,
            text_en=pl.col(quota_column(q, "en")), legal_ref=q.legal_ref)))
    seq += 1
    rows.append((pl.col("status") == "not_rated", _row(
        seq, group=None, item=None, rule="status", kind="status", points=None,
        label="Không xếp loại", label_en="Not rated",
        text=pl.col(REASON["vi"]).fill_null(""), text_en=pl.col(REASON["en"]).fill_null(""))))
    return rows, seq


def explanation_layout(plan: SheetPlan) -> ExplanationLayout:
    items, seq = _item_rows(plan, 0)
    ratings, seq = _rating_rows(plan, seq)
    rows = items + ratings
    if seq >= _SEQ_SPAN:
        raise ValueError(f"too many explanation rows per employee ({seq})")
    # the texts fixed by the criteria, as enums of the values that occur: one byte a cell
    enums = {name: pl.Enum(list(dict.fromkeys(
        v for _, r in rows if (v := r.constants[name]) is not None))) for name in _CONSTANTS}
    return ExplanationLayout(tuple(rows), enums)

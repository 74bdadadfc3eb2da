"""Explanations: one row per contribution to a score, and their reading for one employee.

For every employee the ``points`` of rows of kind base, deduction, bonus and clip add up to the
total; band, override and status rows say how the rating followed from it.
"""

from __future__ import annotations

import polars as pl

from scoring.engine import (
    SheetPlan,
    base_column,
    clip_column,
    code_of,
    fired_column,
)

__all__ = ["explanation_frame", "EXPLANATION_SCHEMA", "render_explanation"]

EXPLANATION_SCHEMA = {
    "employee_id": pl.String,
    "seq": pl.Int32,
    "group": pl.String,
    "item": pl.String,
    "rule": pl.String,
    "kind": pl.String,
    "points": pl.Float64,
    "label": pl.String,
    "label_en": pl.String,
    "detail": pl.String,
    "record_ids": pl.String,
    "legal_ref": pl.String,
}


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
) -> list[pl.Expr]:
    return [
        pl.col("employee_id"),
        pl.lit(seq, pl.Int32).alias("seq"),
        pl.lit(group, pl.String).alias("group"),
        pl.lit(item, pl.String).alias("item"),
        pl.lit(rule, pl.String).alias("rule"),
        pl.lit(kind, pl.String).alias("kind"),
        (points if points is not None else pl.lit(None, pl.Float64)).alias("points"),
        pl.lit(label, pl.String).alias("label"),
        pl.lit(label_en or label, pl.String).alias("label_en"),
        detail.cast(pl.String).alias("detail"),
        (record_ids.list.join("; ") if record_ids is not None else pl.lit("")).alias("record_ids"),
        pl.lit(legal_ref or "", pl.String).alias("legal_ref"),
    ]


def explanation_frame(plan: SheetPlan, ctx: pl.LazyFrame) -> pl.LazyFrame:
    c = plan.criteria
    parts: list[pl.LazyFrame] = []
    seq = 0
    for group in c.groups:
        for item in group.items:
            seq += 1
            base = pl.col(base_column(item))
            if item.assessment:
                detail = pl.lit(f"điểm đánh giá của đơn vị, cột {item.assessment} / unit assessment")
            elif item.formula:
                detail = pl.lit(f"công thức / formula: {item.formula}")
            else:
                detail = pl.lit(f"điểm khởi đầu / starting points {item.start:g}")
            parts.append(ctx.filter(base.is_not_null()).select(_row(
                seq, group=group.id, item=item.id, rule=item.id, kind="base", points=base,
                label=item.label, label_en=item.label_en, detail=detail, legal_ref=item.legal_ref)))
            for t in plan.terms:
                if t.item.id != item.id:
                    continue
                seq += 1
                amount = pl.col(t.column)
                signed = -amount if t.kind == "deduction" else amount
                parts.append(ctx.filter(amount != 0).select(_row(
                    seq, group=group.id, item=item.id, rule=t.rule.id, kind=t.kind, points=signed,
                    label=t.rule.label, label_en=t.rule.label_en, detail=t.detail,
                    record_ids=t.record_ids, legal_ref=t.rule.legal_ref)))
            seq += 1
            clip = pl.col(clip_column(item))
            parts.append(ctx.filter(clip.is_not_null() & (clip != 0)).select(_row(
                seq, group=group.id, item=item.id, rule="clip", kind="clip", points=clip,
                label=f"Giới hạn điểm mục trong khoảng [0, {item.max:g}]",
                label_en=f"Item points kept within [0, {item.max:g}]",
                detail=pl.lit(f"[0, {item.max:g}]"))))
    seq += 1
    parts.append(ctx.filter(pl.col("total").is_not_null()).select(_row(
        seq, group=None, item=None, rule="band", kind="band", points=None,
        label="Xếp loại theo tổng điểm", label_en="Rating from the total",
        detail=pl.format("{} → {}", pl.col("total"), pl.col("band")))))
    for o, _cond, ids in plan.overrides:
        seq += 1
        before = code_of(c, pl.col(f"_from__{o.id}"))
        after = pl.col("status") if o.action == "not_rated" else code_of(c, pl.col("_rank"))
        if o.action == "not_rated":
            detail = pl.format("{} → không xếp loại / not rated", before)
        else:
            detail = pl.format("{} → {} ({})", before, pl.lit(o.rating), pl.lit(o.action))
        del after
        parts.append(ctx.filter(pl.col(fired_column(o))).select(_row(
            seq, group=None, item=None, rule=o.id, kind="override", points=None, label=o.label,
            label_en=o.label_en, detail=detail, record_ids=ids, legal_ref=o.legal_ref)))
    seq += 1
    parts.append(ctx.filter(pl.col("status") == "not_rated").select(_row(
        seq, group=None, item=None, rule="status", kind="status", points=None,
        label="Không xếp loại", label_en="Not rated",
        detail=pl.col("status_reason").fill_null(""))))
    return pl.concat(parts, how="vertical").sort("employee_id", "seq")


def render_explanation(
    employee: dict, rows: list[dict], *, lang: str = "vi"
) -> str:
    """Plain-text derivation of one employee's total and rating, for the terminal."""
    en = lang == "en"
    label_key = "label_en" if en else "label"
    lines = []
    name = f"{employee['full_name']} ({employee['employee_id']}), {employee.get('unit_name') or employee['unit_id']}"
    lines.append(name)
    lines.append(("Period" if en else "Kỳ đánh giá") + f": {employee['period']}")
    current_item = None
    for r in rows:
        if r["kind"] in ("base", "deduction", "bonus", "clip"):
            if r["item"] != current_item:
                current_item = r["item"]
                points = employee.get(f"item_{current_item}")
                head = "Item" if en else "Mục"
                lines.append(f"  {head} {current_item}: {_num(points)}")
            sign = "" if r["kind"] == "base" else ("+" if (r["points"] or 0) > 0 else "")
            text = f"    {sign}{_num(r['points'])}  {r[label_key]}"
            if r["detail"]:
                text += f"  [{r['detail']}]"
            if r["record_ids"]:
                text += ("  records: " if en else "  hồ sơ: ") + r["record_ids"]
            lines.append(text)
    total_label = "Total" if en else "Tổng điểm"
    lines.append(f"  {total_label}: {_num(employee.get('total'))}")
    for r in rows:
        if r["kind"] == "band":
            lines.append(("  Rating from points: " if en else "  Xếp loại theo điểm: ") + r["detail"])
        elif r["kind"] == "override":
            text = f"  ! {r[label_key]}: {r['detail']}"
            if r["legal_ref"]:
                text += f" ({r['legal_ref']})"
            if r["record_ids"]:
                text += ("  records: " if en else "  hồ sơ: ") + r["record_ids"]
            lines.append(text)
        elif r["kind"] == "status":
            lines.append(("  Not rated: " if en else "  Không xếp loại: ") + r["detail"])
    final = employee.get("rating")
    final_label = employee.get("rating_label") or ""
    head = "Final rating" if en else "Xếp loại cuối cùng"
    lines.append(f"  {head}: {final or ('not rated' if en else 'không xếp loại')}"
                 + (f" — {final_label}" if final and not en else ""))
    return "\n".join(lines)


def _num(value: object) -> str:
    if value is None:
        return "—"
    return f"{float(value):g}"  # type: ignore[arg-type]

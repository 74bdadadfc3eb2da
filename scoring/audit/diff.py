"""Compare two criteria files: what changed in the rules, and what that does to the ratings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from scoring.engine.score import score
from scoring.inputs.frames import InputFrames
from scoring.periods import Period
from scoring.rules.model import Criteria

__all__ = ["Change", "rule_changes", "Impact", "impact", "render_diff"]

_NOT_RATED = "—"


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    what: str  # e.g. "deduction traffic_safety/alcohol"
    label: str
    field: str | None = None
    before: Any = None
    after: Any = None


def _entities(c: Criteria) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every addressable part of a criteria file → (label, its own scalar fields)."""

    def own(model) -> dict[str, Any]:
        return {k: v for k, v in model.model_dump(mode="json").items()
                if not isinstance(v, list | dict) or k in ("scopes", "tie_break", "positions")}

    out: dict[str, tuple[str, dict[str, Any]]] = {
        "criteria": (c.title, own(c) | {"applies_to": list(c.applies_to)}),
    }
    for m in c.measures:
        out[f"measure {m.id}"] = (m.label, own(m))
    for g in c.groups:
        out[f"group {g.id}"] = (g.label, own(g))
        for i in g.items:
            out[f"item {i.id}"] = (i.label, own(i) | {"group": g.id})
            for kind, rules in (("deduction", i.deductions), ("bonus", i.bonuses)):
                for r in rules:
                    out[f"{kind} {i.id}/{r.id}"] = (r.label, own(r))
    for b in c.ratings:
        out[f"rating {b.code}"] = (b.label, own(b))
    for n, o in enumerate(c.overrides):
        out[f"override {o.id}"] = (o.label, own(o) | {"order": n + 1})
    for u in c.leaders.measures:
        out[f"unit measure {u.id}"] = (u.label, own(u))
    for q in c.quotas:
        out[f"quota {q.id}"] = (q.label, own(q))
    return out


def rule_changes(old: Criteria, new: Criteria) -> list[Change]:
    a, b = _entities(old), _entities(new)
    changes: list[Change] = []
    for key in a:
        if key not in b:
            changes.append(Change("removed", key, a[key][0]))
    for key in b:
        if key not in a:
            changes.append(Change("added", key, b[key][0]))
            continue
        fa, fb = a[key][1], b[key][1]
        for field in sorted(set(fa) | set(fb)):
            if fa.get(field) != fb.get(field):
                changes.append(Change("changed", key, b[key][0], field, fa.get(field), fb.get(field)))
    return changes


@dataclass(frozen=True)
class Impact:
    before: pl.DataFrame
    after: pl.DataFrame
    joined: pl.DataFrame  # employee_id, full_name, unit_id, total/rating before and after
    matrix: pl.DataFrame  # rows: rating before; columns: rating after


def impact(old: Criteria, new: Criteria, inputs: InputFrames, period: Period) -> Impact:
    before = score(old, inputs, period).scores
    after = score(new, inputs, period).scores
    cols = ["employee_id", "full_name", "unit_id", "total", "rating"]
    joined = (
        before.select(cols)
        .join(after.select("employee_id", "total", "rating"), on="employee_id", how="full",
              coalesce=True, suffix="_new")
        .with_columns(pl.col("rating").fill_null(_NOT_RATED), pl.col("rating_new").fill_null(_NOT_RATED))
        .with_columns((pl.col("total_new") - pl.col("total")).round(2).alias("delta"))
        .sort("employee_id")
    )
    codes = [b.code for b in new.ratings]
    order = list(dict.fromkeys([*[b.code for b in old.ratings], *codes, _NOT_RATED]))
    matrix = (
        joined.group_by("rating", "rating_new").len()
        .pivot(on="rating_new", index="rating", values="len")
    )
    for code in order:
        if code not in matrix.columns:
            matrix = matrix.with_columns(pl.lit(None, pl.UInt32).alias(code))
    present = set(matrix["rating"].to_list())
    missing = [c for c in order if c not in present]
    if missing:
        matrix = pl.concat([matrix, pl.DataFrame({"rating": missing})], how="diagonal_relaxed")
    matrix = (
        matrix.with_columns(pl.col(c).fill_null(0) for c in order)
        .with_columns(pl.col("rating").replace_strict(order, list(range(len(order)))).alias("_o"))
        .sort("_o").select("rating", *order)
    )
    return Impact(before, after, joined, matrix)


def _value(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def render_diff(changes: list[Change], imp: Impact | None, *, lang: str = "vi") -> str:
    en = lang == "en"
    words = {"added": ("thêm", "added"), "removed": ("bỏ", "removed"), "changed": ("sửa", "changed")}
    lines = [("Changes to the rules" if en else "Thay đổi quy tắc") + f" ({len(changes)}):"]
    if not changes:
        lines.append("  " + ("none" if en else "không có"))
    for ch in changes:
        word = words[ch.kind][1 if en else 0]
        if ch.kind == "changed":
            lines.append(f"  [{word}] {ch.what} — {ch.label}")
            lines.append(f"         {ch.field}: {_value(ch.before)} → {_value(ch.after)}")
        else:
            lines.append(f"  [{word}] {ch.what} — {ch.label}")
    if imp is None:
        return "\n".join(lines)
    j = imp.joined
    moved = j.filter(pl.col("rating") != pl.col("rating_new"))
    lines += ["", ("Impact on ratings" if en else "Ảnh hưởng tới xếp loại") + ":"]
    header = ["before \\ after" if en else "trước \\ sau", *imp.matrix.columns[1:]]
    lines.append("  " + "".join(f"{h:>16}" for h in header))
    for row in imp.matrix.iter_rows():
        lines.append("  " + "".join(f"{str(v):>16}" for v in row))
    changed_totals = j.filter(pl.col("delta").fill_null(0) != 0)
    lines.append(("People whose rating changes" if en else "Số người thay đổi xếp loại")
                 + f": {moved.height} / {j.height}")
    lines.append(
        ("Totals change for" if en else "Số người thay đổi tổng điểm") + f": {changed_totals.height}"
    )
    if changed_totals.height:
        lines.append(
            "  " + ("mean change" if en else "thay đổi trung bình")
            + f" {float(changed_totals['delta'].mean()):+.2f}, "  # type: ignore[arg-type]
            f"min {float(changed_totals['delta'].min()):+g}, "  # type: ignore[arg-type]
            f"max {float(changed_totals['delta'].max()):+g}"  # type: ignore[arg-type]
        )
    for r in moved.iter_rows(named=True):
        lines.append(f"  {r['employee_id']} {r['full_name']} ({r['unit_id']}): "
                     f"{_value(r['total'])} {r['rating']} → {_value(r['total_new'])} {r['rating_new']}")
    return "\n".join(lines)

"""The department summary's own parts: effect of the overrides, and what stands out."""

from __future__ import annotations

import polars as pl

from scoring.outputs.wording import rating_change

from . import i18n
from .criteria_view import CriteriaView
from .i18n import fmt as _t
from .models import Notable, OverrideEffect, UnitLine

__all__ = ["override_effects", "notable"]


def override_effects(view: CriteriaView, explanations: pl.DataFrame, lang: str) -> tuple[OverrideEffect, ...]:
    """Every override and quota of the criteria, in order: how many people it touched, and how."""
    ex = explanations
    fired: dict[str, dict[str, set[str]]] = {}
    if not ex.is_empty():
        moved = (ex.filter(pl.col("kind").is_in(["override", "quota"]))
                 .select("rule", "employee_id", rating_change(lang).alias("change")))
        for r in moved.iter_rows(named=True):
            by_change = fired.setdefault(str(r["rule"]), {})
            by_change.setdefault(str(r["change"] or ""), set()).add(str(r["employee_id"]))
    ids = list(view.override_order) + sorted(set(fired) - set(view.override_order))
    out = []
    for oid in ids:
        info = view.overrides.get(oid)
        details = fired.get(oid, {})
        people = set().union(*details.values()) if details else set()
        changes = "; ".join(f"{d}: {len(p)}" if d else str(len(p)) for d, p in sorted(details.items()) if p)
        out.append(
            OverrideEffect(
                code=info.code if info else oid,
                override_id=oid,
                label=info.label if info else oid,
                legal_ref=info.legal_ref if info else "",
                count=len(people),
                changes=i18n.nfc(changes),
            )
        )
    return tuple(out)


def notable(view: CriteriaView, lines: tuple[UnitLine, ...], lang: str) -> tuple[Notable, ...]:
    """Units with the most violators, the lowest training reach, and the count of the lowest
    rating, compared among the units directly under the top unit."""
    peers = [ln for ln in lines if ln.level == 1] or [ln for ln in lines if ln.level == 0]
    top_violators = sorted(
        (ln for ln in peers if ln.figures.violators > 0),
        key=lambda ln: (-ln.figures.violators, ln.unit_id),
    )[:3]
    staffed = [ln for ln in peers if ln.figures.headcount > 0]
    lowest_reach = sorted(
        staffed,
        key=lambda ln: (ln.figures.trained / ln.figures.headcount, ln.unit_id),
    )[:3]
    worst = view.ratings[-1][0] if view.ratings else ""
    roots_total = sum(
        next((r.count for r in ln.figures.ratings if r.code == worst), 0) for ln in lines if ln.level == 0
    )
    kht_units = sorted(
        ((ln, next((r.count for r in ln.figures.ratings if r.code == worst), 0)) for ln in peers),
        key=lambda p: (-p[1], p[0].unit_id),
    )
    none = (_t(lang, "none"),)
    people = _t(lang, "people")
    return (
        Notable(
            _t(lang, "notable_violators"),
            tuple(f"{ln.name}: {ln.figures.violators} {people}" for ln in top_violators) or none,
        ),
        Notable(
            _t(lang, "notable_reach"),
            tuple(
                f"{ln.name}: {ln.figures.training_reach} ({ln.figures.trained}/{ln.figures.headcount})"
                for ln in lowest_reach
            )
            or none,
        ),
        Notable(
            f"{_t(lang, 'notable_kht')} ({worst})",
            (
                _t(lang, "kht_total", n=roots_total),
                *(f"{ln.name}: {n} {people}" for ln, n in kht_units if n > 0),
            )
            if roots_total
            else none,
        ),
    )

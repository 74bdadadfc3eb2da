"""Every number a rule computes is finite, or the run stops naming the rule and the people.

The criteria language cannot divide by a literal zero or write an unbounded literal, but a
formula may still divide by a measure that is 0 for someone (``10 / days_worked``) or multiply
large figures: Polars then gives infinity or NaN, which clipping would silently turn into the
item's maximum or 0. So the base of every item and the amount of every rule are checked before
they are clipped into a score.
"""

from __future__ import annotations

import polars as pl

from scoring.codes import Code
from scoring.engine.columns import base_column
from scoring.engine.plan import SheetPlan
from scoring.errors import ComputationError, Issue, issue

__all__ = ["refuse_non_finite"]

_SHOWN = 5  # people named per rule


def refuse_non_finite(plan: SheetPlan, scored: pl.DataFrame) -> None:
    """Raise ComputationError if a base or rule amount of ``scored`` is infinite or NaN."""
    checks: list[tuple[str, str]] = []
    for g in plan.criteria.groups:
        for item in g.items:
            if item.formula is not None:
                checks.append((base_column(item), f"groups.{g.id}.items.{item.id}.formula"))
    for t in plan.terms:
        checks.append((t.column, f"groups.{t.group.id}.items.{t.item.id}.{t.kind}s.{t.rule.id}"))
    present = [(c, w) for c, w in checks if c in scored.columns]
    if not present:
        return
    bad = scored.select(pl.col(c).is_infinite() | pl.col(c).is_nan() for c, _ in present)
    problems: list[Issue] = []
    for (_, where), flags in zip(present, bad.iter_columns(), strict=True):
        if not flags.any():
            continue
        people = scored.filter(flags)["employee_id"]
        shown = ", ".join(people.head(_SHOWN).to_list()) + (
            f" … (+{people.len() - _SHOWN})" if people.len() > _SHOWN else "")
        problems.append(issue(
            plan.criteria.id, None, where,
            "cho kết quả không xác định (chia cho 0 hoặc tràn số), không chấm điểm được / gives "
            f"no finite number (a division by zero or an overflow), nobody is scored: {shown}; "
            "chia có điều kiện / divide under a condition: CASE WHEN days_worked > 0 THEN … ELSE 0 END",
            code=Code.NOT_FINITE))
    if problems:
        raise ComputationError(problems)

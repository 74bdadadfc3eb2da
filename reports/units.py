"""The unit tree of a run: document order, each unit's scope, and adding up unit rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from . import i18n

__all__ = ["TreeUnit", "tree_order", "sum_rows"]

_KIND_RANK = {"board": 0, "office": 1, "inspectorate": 2, "division": 3, "section": 3,
              "sub_department": 4, "centre": 5}


@dataclass(frozen=True, slots=True)
class TreeUnit:
    unit_id: str
    name: str
    parent_id: str | None
    kind: str | None
    level: int
    row: Mapping[str, Any]


def tree_order(units: pl.DataFrame) -> tuple[list[TreeUnit], dict[str, list[str]]]:
    """Units in document order (depth first; office, inspectorate, divisions, … then id)."""
    rows = {r["unit_id"]: r for r in units.iter_rows(named=True)}
    children: dict[str | None, list[str]] = {}
    for uid, r in rows.items():
        parent = r.get("parent_id")
        children.setdefault(parent if parent in rows else None, []).append(uid)

    def key(uid: str) -> tuple[int, str]:
        return (_KIND_RANK.get(str(rows[uid].get("kind") or ""), 3), uid)

    for kids in children.values():
        kids.sort(key=key)
    order: list[TreeUnit] = []

    def walk(uid: str, level: int) -> None:
        r = rows[uid]
        order.append(TreeUnit(uid, i18n.nfc(str(r["name"])), r.get("parent_id"), r.get("kind"), level, r))
        for kid in children.get(uid, []):
            walk(kid, level + 1)

    for root in children.get(None, []):
        walk(root, 0)
    descendants = {u.unit_id: [u.unit_id] for u in order}
    for u in reversed(order):  # children come after parents, so walk back up
        if u.parent_id in descendants:
            descendants[u.parent_id].extend(
                d for d in descendants[u.unit_id] if d not in descendants[u.parent_id]
            )
    # keep document order inside each scope
    position = {u.unit_id: i for i, u in enumerate(order)}
    for ds in descendants.values():
        ds.sort(key=position.__getitem__)
    return order, descendants


def sum_rows(rows: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Add up unit rows (several roots, or several units in an earlier run)."""
    out: dict[str, Any] = {}
    rated_total = 0.0
    rated = 0
    for r in rows:
        for k, v in r.items():
            if isinstance(v, int) and not isinstance(v, bool) and k != "level":
                out[k] = out.get(k, 0) + v
        if r.get("mean_total") is not None and r.get("rated"):
            rated_total += float(r["mean_total"]) * int(r["rated"])
            rated += int(r["rated"])
    out["training_reach"] = out.get("trained", 0) / out["headcount"] if out.get("headcount") else 0.0
    out["mean_total"] = round(rated_total / rated, 2) if rated else None
    return out

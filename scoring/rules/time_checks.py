"""Checks of the time keys of a criteria file: the dates that place records, the roll-up.

Kept apart from the loader's structural checks; each function reports through ``add(code,
path, message, *value)`` like the loader's checker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from scoring.codes import Code
from scoring.inputs.contract import TABLES
from scoring.rules.model import Criteria

__all__ = ["check_dates", "check_rollup", "date_columns"]

Add = Callable[..., None]


def date_columns(table: str) -> list[str]:
    """The date columns of a record table, which may place its records in a period."""
    return [c.name for c in TABLES[table].columns if c.dtype == pl.Date]


def _check_one(add: Add, path: tuple[Any, ...], table: str, column: str) -> None:
    if table == "leave":
        add(Code.MEASURE, path, "nghỉ được xếp vào kỳ theo khoảng start_date … end_date, không "
            "dùng dated_by / leave is placed by its start_date … end_date interval; dated_by does "
            "not apply", column)
        return
    allowed = date_columns(table)
    if column not in allowed:
        add(Code.MEASURE, path, f"không phải cột ngày của bảng {table} / not a date column of "
            f"{table}; cho phép / allowed: {', '.join(allowed)}", column)


def check_dates(c: Criteria, add: Add) -> None:
    """``dated_by`` (top level, per table, and per measure) names a date column of the table."""
    for table, column in c.dated_by.items():
        _check_one(add, ("dated_by", table), table, column)
    for i, m in enumerate(c.measures):
        if m.dated_by is not None:
            _check_one(add, ("measures", i, "dated_by"), m.table, m.dated_by)


_PARTS = {("year", "quarter"): 4, ("year", "month"): 12, ("quarter", "month"): 3}
_KIND_VI = {"year": "năm", "quarter": "quý", "month": "tháng"}


def check_rollup(c: Criteria, add: Add) -> None:
    """A roll-up sums up smaller periods inside the sheet's own; its minimum fits in it; the
    examples give the results of the kind rolled up."""
    r = c.rollup
    for i, ex in enumerate(c.examples):
        for key, kind in (("quarters", "quarter"), ("months", "month")):
            given = getattr(ex, key)
            if given and (r is None or r.of != kind):
                add(Code.EXAMPLE, ("examples", i, key), f"tệp không tổng hợp từ các "
                    f"{_KIND_VI[kind]} / the file does not roll up {kind}s", key)
    if r is None:
        return
    parts = _PARTS.get((c.period_kind, r.of))
    if parts is None:
        add(Code.ROLLUP, ("rollup", "of"), f"tiêu chí {_KIND_VI[c.period_kind]} không tổng hợp được từ các "
            f"{_KIND_VI[r.of]}: năm tổng hợp từ quý hoặc tháng, quý từ tháng / a "
            f"{c.period_kind} cannot roll up {r.of}s: a year rolls up quarters or months, a "
            f"quarter rolls up months", r.of)
        return
    if r.min_periods is not None and r.min_quarters is not None:
        add(Code.ROLLUP, ("rollup", "min_quarters"), "chỉ ghi min_periods / give min_periods only",
            r.min_quarters)
    if r.min_quarters is not None and r.of != "quarter":
        add(Code.ROLLUP, ("rollup", "min_quarters"), "min_quarters chỉ dùng khi tổng hợp quý; "
            "dùng min_periods / min_quarters is for quarters only; use min_periods", r.min_quarters)
    if r.minimum > parts:
        key = "min_periods" if r.min_periods is not None else "min_quarters"
        add(Code.ROLLUP, ("rollup", key), f"một {_KIND_VI[c.period_kind]} chỉ có {parts} "
            f"{_KIND_VI[r.of]} / a {c.period_kind} has only {parts} {r.of}s", r.minimum)

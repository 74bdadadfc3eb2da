"""Checks of the time keys of a criteria file: the dates that place records, the roll-up.

Kept apart from the loader's structural checks; each function reports through ``add(path,
message, *value)`` like the loader's checker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from scoring.inputs.contract import TABLES
from scoring.rules.model import Criteria

__all__ = ["check_dates", "date_columns"]

Add = Callable[..., None]


def date_columns(table: str) -> list[str]:
    """The date columns of a record table, which may place its records in a period."""
    return [c.name for c in TABLES[table].columns if c.dtype == pl.Date]


def _check_one(add: Add, path: tuple[Any, ...], table: str, column: str) -> None:
    if table == "leave":
        add(path, "nghỉ được xếp vào kỳ theo khoảng start_date … end_date, không dùng dated_by / "
            "leave is placed by its start_date … end_date interval; dated_by does not apply", column)
        return
    allowed = date_columns(table)
    if column not in allowed:
        add(path, f"không phải cột ngày của bảng {table} / not a date column of {table}; cho phép "
            f"/ allowed: {', '.join(allowed)}", column)


def check_dates(c: Criteria, add: Add) -> None:
    """``dated_by`` (top level, per table, and per measure) names a date column of the table."""
    for table, column in c.dated_by.items():
        _check_one(add, ("dated_by", table), table, column)
    for i, m in enumerate(c.measures):
        if m.dated_by is not None:
            _check_one(add, ("measures", i, "dated_by"), m.table, m.dated_by)

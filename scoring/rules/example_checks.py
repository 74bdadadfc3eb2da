"""Checks of the worked examples' records against the input contract, when the file is loaded.

An example's records become table rows as a real run's data would, so a value the contract
would refuse in a data file (text for a number, ``1e400``, a code not in the list, a date that
is not a date) is refused here with its line instead of becoming an empty cell; and a person
whose dates or employment type leave them out of the example's period (no row to score) is
refused too, naming the key to change.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

import polars as pl

from scoring.codes import Code
from scoring.inputs.contract import TABLES, Column
from scoring.periods import Period, parse_period
from scoring.rules.model import Criteria, Example

__all__ = ["example_period", "check_example_records", "DEFAULT_START"]

Add = Callable[..., None]
DEFAULT_START = date(2000, 1, 1)  # an example's person works from this date unless told
_INT64 = 2**63 - 1


def example_period(criteria: Criteria, example: Example) -> Period:
    """The example's ``period``, else the period of the file's kind holding ``effective_from``."""
    if example.period:
        return parse_period(example.period)
    d = criteria.effective_from
    label = {
        "quarter": f"{d.year}-Q{(d.month - 1) // 3 + 1}",
        "month": f"{d.year}-{d.month:02d}",
        "year": f"{d.year}",
    }[criteria.period_kind]
    return parse_period(label)


def _wrong(column: Column, value: Any) -> str | None:
    """What is wrong with ``value`` in ``column`` of the contract, or None."""
    if value is None:
        return None if column.nullable and not column.required else "cần một giá trị / a value is needed"
    dtype = column.dtype
    if dtype == pl.Boolean:
        ok = isinstance(value, bool)
        vi, en = "true hoặc false", "true or false"
    elif dtype == pl.Date:
        ok = isinstance(value, date) and not isinstance(value, datetime)
        vi, en = "ngày dạng YYYY-MM-DD", "a date as YYYY-MM-DD"
    elif dtype == pl.Int64:
        ok = (isinstance(value, int) and not isinstance(value, bool) and abs(value) <= _INT64) or (
            isinstance(value, float) and math.isfinite(value) and value.is_integer()
            and abs(value) <= _INT64)
        vi, en = "số nguyên", "a whole number"
    elif dtype == pl.Float64:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(float(value))
        vi, en = "số hữu hạn", "a finite number"
    else:
        ok = isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
        vi, en = "chữ", "text"
    if not ok:
        return f"cần {vi} / expected {en}"
    if column.allowed is not None and value not in column.allowed:
        shown = ", ".join(str(v) for v in column.allowed)
        return f"giá trị không có trong danh sách / not an allowed value; cho phép / allowed: {shown}"
    return None


def _record(add: Add, path: tuple[Any, ...], table: str, record: Mapping[str, Any]) -> bool:
    """Every known column's value fits the contract (unknown keys are the loader's); False if not."""
    names = TABLES[table].column_names
    good = True
    for key, value in record.items():
        if key in names and (problem := _wrong(TABLES[table].column(key), value)):
            add(Code.EXAMPLE, (*path, key), problem, value)
            good = False
    start, end = record.get("start_date"), record.get("end_date")
    if good and isinstance(start, date) and isinstance(end, date) and end < start:
        add(Code.EXAMPLE, (*path, "end_date"), f"ngày kết thúc trước ngày bắt đầu {start} / "
            f"end_date is before start_date {start}", end)
        good = False
    return good


def _works_in_period(add: Add, path: tuple[Any, ...], c: Criteria, ex: Example) -> None:
    """An example whose person is not on the period's roster would have no row to score."""
    try:
        period = example_period(c, ex)
    except ValueError:
        return  # the loader reports the period itself
    employee = dict(ex.employee)
    start = employee.get("start_date") or DEFAULT_START
    end = employee.get("end_date")
    span = f"{period.label} ({period.start} … {period.end})"
    if start > period.end:
        add(Code.EXAMPLE, (*path, "employee", "start_date"), f"người trong ví dụ bắt đầu công tác sau "
            f"kỳ {span}: không có ai để chấm / the example's person starts after the period {span}: "
            "nobody to score", start)
    elif end is not None and end < period.start:
        add(Code.EXAMPLE, (*path, "employee", "end_date"), f"người trong ví dụ nghỉ trước kỳ {span}: "
            f"không có ai để chấm / the example's person left before the period {span}: nobody "
            "to score", end)
    kind = employee.get("employment_type", c.applies_to[0])
    if kind not in c.applies_to:
        add(Code.EXAMPLE, (*path, "employee", "employment_type"), "tiêu chí không áp dụng cho loại "
            f"này: không có ai để chấm / the criteria do not apply to this employment type: nobody "
            f"to score; áp dụng cho / applies to: {', '.join(c.applies_to)}", kind)


def check_example_records(c: Criteria, add: Add) -> None:
    """Each example's records fit the contract, and its person has a row in its period."""
    for i, ex in enumerate(c.examples):
        path: tuple[Any, ...] = ("examples", i)
        good = _record(add, (*path, "employee"), "staff", ex.employee)
        for table in ("violations", "training", "discipline", "leave"):
            for ri, rec in enumerate(getattr(ex, table)):
                _record(add, (*path, table, ri), table, rec)
        if good:
            _works_in_period(add, path, c, ex)

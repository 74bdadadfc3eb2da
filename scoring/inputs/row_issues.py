"""The row number the user sees, and issues for the rows a check failed on.

Frames carry the row number of the file (column ``ROW``: the Excel row, the CSV line) so that
every failure becomes an ``Issue`` ``file:row: column``; a check lists its first failing rows
and counts the rest.
"""

from __future__ import annotations

import polars as pl

from scoring.errors import MAX_PER_CHECK, Issue, issue

__all__ = ["ROW", "row_issues"]


# Internal column carrying the row number the user sees (Excel row, CSV line); never returned.
ROW = "__row__"


def row_issues(
    file: str, where: str, message: str, failures: pl.DataFrame, *, total: int | None = None,
    code: str,
) -> list[Issue]:
    """Issues for one check: the first ``MAX_PER_CHECK`` failing rows, then one counting the rest.

    ``failures`` has a ``row`` column, optionally ``value`` (shown in brackets) and ``message``
    (overrides ``message`` for that row). When ``total`` is given, ``failures`` need only hold
    the first ``MAX_PER_CHECK + 1`` rows. The counting issue sits on the first unlisted row.
    """
    n = failures.height if total is None else total
    if n == 0:
        return []
    first = failures.bottom_k(MAX_PER_CHECK + 1, by="row").sort("row")
    has_value = "value" in first.columns
    has_message = "message" in first.columns
    out: list[Issue] = []
    for rec in first.head(MAX_PER_CHECK).iter_rows(named=True):
        text = (rec["message"] if has_message else None) or message
        if has_value and rec["value"] is not None:
            out.append(issue(file, rec["row"], where, text, rec["value"], code=code))
        else:
            out.append(issue(file, rec["row"], where, text, code=code))
    if n > MAX_PER_CHECK:
        rest = n - MAX_PER_CHECK
        more = f"{message} ... và {rest} dòng khác / and {rest} more rows"
        out.append(issue(file, first["row"][MAX_PER_CHECK], where, more, code=code))
    return out

"""Checks across tables and against the criteria, on the tables as read (with ``ROW``).

- units named instead of given by id (``staff.unit_id`` = ``Văn phòng Sở``): read as the id
  when one unit bears the name, an error naming the units when several do;
- ``where`` values of the criteria that no row holds while the column has values: the
  office's words differ from the criteria's (``An toàn giao thông`` vs ``traffic_safety``),
  and every score depending on the measure would silently change;
- blank dates in a column that places records in a period (``decision_date`` when the criteria
  count violations by their decision): the record would count in no period.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from scoring.codes import Code
from scoring.errors import Issue, issue
from scoring.inputs.frames import InputNeeds
from scoring.inputs.row_issues import ROW, row_issues
from scoring.inputs.vocabulary import norm_word

__all__ = ["units_by_name", "literal_issues", "blank_date_issues"]


def units_by_name(frames: dict[str, pl.DataFrame], files: Mapping[str, str]
                   ) -> tuple[dict[str, pl.DataFrame], list[Issue]]:
    """Units named instead of given by id in ``staff.unit_id`` or ``units.parent_id``: a name
    that one unit bears stands for its id; a name that several bear is an error naming them."""
    units = frames.get("units")
    if units is None or not {"unit_id", "name"} <= set(units.columns):
        return frames, []
    ids = units["unit_id"].drop_nulls().implode()
    # the values that are no unit id, found in Polars: usually there are none, and then no name
    # is indexed (a national run has 158,656 units; indexing their names is Python work)
    unknowns: dict[tuple[str, str], list[str]] = {}
    for table, column in (("staff", "unit_id"), ("units", "parent_id")):
        frame = frames.get(table)
        if frame is not None and column in frame.columns:
            values = frame[column].drop_nulls().unique()
            unknowns[(table, column)] = values.filter(~values.is_in(ids)).to_list()
    if not any(unknowns.values()):
        return frames, []
    by_name: dict[str, list[str]] = {}
    for uid, name in units.select("unit_id", "name").drop_nulls().iter_rows():
        by_name.setdefault(norm_word(name), []).append(uid)
    issues: list[Issue] = []
    out = dict(frames)
    for (table, column), unknown in unknowns.items():
        frame = out[table]
        mapping = {v: by_name[norm_word(v)][0] for v in unknown
                   if len(by_name.get(norm_word(v), ())) == 1}
        for v in sorted(v for v in unknown if len(by_name.get(norm_word(v), ())) > 1):
            both = ", ".join(by_name[norm_word(v)])
            rows = frame.filter(pl.col(column) == v).select(pl.col(ROW).alias("row"),
                                                            pl.col(column).alias("value"))
            issues += row_issues(files[table], column, f"tên đơn vị trùng ở nhiều đơn vị ({both}); "
                                 f"hãy dùng mã đơn vị / unit name borne by several units ({both}); "
                                 f"use the unit id", rows, code=Code.AMBIGUOUS_UNIT_NAME)
        if mapping:
            out[table] = frame.with_columns(pl.col(column).replace(mapping))
    return out, issues


def literal_issues(frames: Mapping[str, pl.DataFrame], files: Mapping[str, str],
                    needs: InputNeeds) -> list[Issue]:
    """A ``where`` value no row holds while the column has values: the office's words differ."""
    out: list[Issue] = []
    values: dict[tuple[str, str], list[str]] = {}
    for table, column, literal, measure in needs.literals:
        frame = frames.get(table)
        if frame is None or column not in frame.columns:
            continue
        if (table, column) not in values:
            counts = frame[column].drop_nulls().value_counts(sort=True, name="n")
            values[(table, column)] = counts[column].to_list()
        present = values[(table, column)]
        if not present or literal in present:
            continue
        shown = ", ".join(repr(v) for v in present[:8]) + (" …" if len(present) > 8 else "")
        out.append(issue(files[table], None, column, f"chỉ số {measure} của tiêu chí lọc theo giá "
                         f"trị '{literal}' nhưng không dòng nào có giá trị này; cột có: {shown}. Hãy "
                         f"thống nhất cách ghi (ánh xạ giá trị trong tệp nguồn dữ liệu), hoặc khai "
                         f"báo may_be_absent trong tiêu chí nếu kỳ này thật sự không có / measure "
                         f"{measure} of the criteria filters on '{literal}', which no row holds; "
                         f"the column holds: {shown}. Make the words agree (a value mapping in the "
                         f"data-source file), or list it under may_be_absent in the criteria if "
                         f"the data truly has none", literal, code=Code.VALUE_NEVER_MATCHES))
    return out


def blank_date_issues(frames: Mapping[str, pl.DataFrame], files: Mapping[str, str],
                      needs: InputNeeds, found: list[Issue]) -> list[Issue]:
    """A blank date in a column that places records: the record would count in no period.
    Cells already reported (a date that could not be read is blank here) are not repeated."""
    reported = {(i.file, i.line, i.where) for i in found}
    out: list[Issue] = []
    by_column: dict[tuple[str, str], list[str]] = {}
    for table, column, measure in needs.dates:
        by_column.setdefault((table, column), []).append(measure)
    for (table, column), measures in by_column.items():
        frame = frames.get(table)
        if frame is None or column not in frame.columns:
            continue
        rows = frame.filter(pl.col(column).is_null())[ROW].to_list()
        blank = pl.DataFrame({"row": [r for r in rows if (files[table], r, column) not in reported]},
                             schema={"row": frame.schema[ROW]})
        named = ", ".join(measures)
        out += row_issues(files[table], column, f"ngày trống, trong khi tiêu chí xếp hồ sơ vào kỳ "
                          f"theo cột này (chỉ số {named}); hãy ghi ngày / blank date, while the "
                          f"criteria place records in a period by this column (measure {named}); "
                          f"fill it in", blank, code=Code.CELL_MISSING)
    return out

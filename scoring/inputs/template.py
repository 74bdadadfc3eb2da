"""Blank input workbooks HR hands to units (``scoring template``): one per table, that read back
with no mapping at all.

Each workbook holds the table's sheet (a title row, then the Vietnamese headers the readers
know, cells formatted as dates or text, dropdown lists of the Vietnamese words of coded
values), an instruction sheet (what each column holds, the words allowed, a filled example
row) and a hidden list sheet feeding the dropdowns (hidden sheets are never read as data).
The example row is on the instruction sheet, never in the table: a forgotten example must not
become a record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import polars as pl
import xlsxwriter

from scoring.inputs.contract import TABLES, Column
from scoring.inputs.vocabulary import HEADER_WORDS, VALUE_WORDS

__all__ = ["TEMPLATE_FILES", "write_templates", "AssessmentColumn"]

# The workbook (and sheet) name of each table: a Vietnamese table name the readers know.
TEMPLATE_FILES = {"units": "Danh sách đơn vị", "staff": "Danh sách cán bộ",
                  "assessments": "Kết quả đánh giá", "violations": "Vi phạm giao thông",
                  "training": "Tuyên truyền ATGT", "discipline": "Kỷ luật", "leave": "Nghỉ phép"}
_ROWS = 2000  # rows prepared with formats and dropdowns
_YES_NO = ("Có", "Không")
_EXAMPLE_TEXT = {
    ("units", "unit_id"): "P01", ("units", "name"): "Phòng Quản lý khoa học",
    ("units", "parent_id"): "SKHCN", ("units", "kind"): "department",
    ("staff", "full_name"): "Nguyễn Văn An", ("staff", "unit_id"): "P01",
    ("staff", "email"): "an.nguyen@example.gov.vn", ("staff", "duty_group"): "",
    ("training", "topic"): "traffic_safety", ("training", "session_id"): "S2025-01",
    ("violations", "decision_no"): "12/QĐ-XPHC", ("violations", "notice_no"): "5/TB-CSGT",
    ("discipline", "reason"): "Vi phạm quy chế làm việc",
}
_EXAMPLE_NUMBER = {"alcohol_level": 1, "fine_vnd": 2500000, "licence_points": 4,
                   "licence_revoked_months": 0, "hours": 4}

AssessmentColumn = tuple[str, str, float | None]  # column, label, maximum


def _header(table: str, column: str) -> str:
    words = HEADER_WORDS.get(table, {}).get(column)
    return words[0] if words else column


def _words(column: Column) -> list[str]:
    """The dropdown of a coded column: every Vietnamese word, in code order."""
    assert column.allowed is not None
    words = VALUE_WORDS.get(column.name, {})
    out: list[str] = []
    for code in column.allowed:
        out += list(words.get(str(code), (str(code),)))
    return out


def _kind(column: Column) -> str:
    if column.allowed is not None and column.dtype == pl.String:
        return "coded"
    if column.dtype == pl.Date:
        return "date"
    if column.dtype == pl.Boolean:
        return "yes_no"
    if column.dtype in (pl.Int64, pl.Float64):
        return "number"
    return "text"


def _describe(table: str, column: Column) -> str:
    kind = _kind(column)
    need = "bắt buộc / required" if column.required else "không bắt buộc / optional"
    if kind == "coded":
        return f"{need}; chọn trong danh sách / pick from the list: {'; '.join(_words(column))}"
    if kind == "date":
        return f"{need}; ngày dd/mm/yyyy / a date dd/mm/yyyy"
    if kind == "yes_no":
        return f"{need}; Có hoặc Không / yes or no"
    if column.allowed is not None:
        return f"{need}; một trong / one of: {', '.join(map(str, column.allowed))}"
    if kind == "number":
        return f"{need}; số / a number"
    return f"{need}; chữ / text"


def _example(table: str, column: Column, period: str) -> object:
    kind = _kind(column)
    if kind == "coded":
        return _words(column)[0]
    if kind == "date":
        return dt.date(2025, 2, 10) if "end" not in column.name else dt.date(2025, 3, 20)
    if kind == "yes_no":
        return _YES_NO[1]
    if kind == "number":
        return _EXAMPLE_NUMBER.get(column.name, 1) if column.allowed is None else column.allowed[0]
    if column.name == "employee_id":
        return "NV0001"
    if column.name == "record_id":
        return {"violations": "VP-2025-001", "training": "DT-0001", "discipline": "KL-2025-001"}[table]
    if column.name == "period":
        return period
    return _EXAMPLE_TEXT.get((table, column.name), "")


def write_templates(out_dir: Path, assessment_columns: list[AssessmentColumn] = (),  # type: ignore[assignment]
                    period: str = "Quý I/2025") -> list[Path]:
    """One blank workbook per table in ``out_dir`` (created); their paths.

    ``assessment_columns``: the score columns the criteria read, with their labels and maxima.
    ``period`` is the period written in the assessments' example row.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for table, name in TEMPLATE_FILES.items():
        path = out_dir / f"{name}.xlsx"
        _write_one(path, table, name, list(assessment_columns) if table == "assessments" else [],
                   period)
        paths.append(path)
    return paths


def _write_one(path: Path, table: str, name: str, scores: list[AssessmentColumn], period: str) -> None:
    columns = list(TABLES[table].columns)
    book = xlsxwriter.Workbook(str(path))
    try:
        title = book.add_format({"bold": True, "font_size": 13})
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                "valign": "top"})
        formats = {"date": book.add_format({"num_format": "dd/mm/yyyy"}),
                   "text": book.add_format({"num_format": "@"}),
                   "coded": book.add_format({"num_format": "@"}),
                   "yes_no": book.add_format({"num_format": "@"}),
                   "number": book.add_format({"num_format": "General"})}
        sheet = book.add_worksheet(name[:31])
        guide = book.add_worksheet("Hướng dẫn")
        lists = book.add_worksheet("Danh mục")
        headers = [_header(table, c.name) for c in columns] + [c for c, _, _ in scores]
        sheet.write(0, 0, name.upper(), title)
        sheet.set_row(1, 32)
        sheet.freeze_panes(2, 0)
        list_col = 0
        for j, column in enumerate(columns):
            kind = _kind(column)
            sheet.write(1, j, headers[j], head)
            sheet.set_column(j, j, max(14, min(40, len(headers[j]) + 4)), formats[kind])
            first, last = 2, _ROWS + 1
            if kind in ("coded", "yes_no"):
                words = _words(column) if kind == "coded" else list(_YES_NO)
                lists.write(0, list_col, column.name)
                for i, w in enumerate(words):
                    lists.write_string(i + 1, list_col, w)
                letter = xlsxwriter.utility.xl_col_to_name(list_col)
                sheet.data_validation(first, j, last, j, {
                    "validate": "list", "source": f"='Danh mục'!${letter}$2:${letter}${len(words) + 1}",
                    "error_type": "warning", "error_title": "Giá trị không có trong danh sách",
                    "error_message": "Chọn một giá trị trong danh sách / pick a value from the list"})
                list_col += 1
            elif kind == "date":
                sheet.data_validation(first, j, last, j, {
                    "validate": "date", "criteria": "between", "minimum": dt.date(1950, 1, 1),
                    "maximum": dt.date(2100, 12, 31), "error_type": "warning",
                    "error_message": "Ghi ngày dạng dd/mm/yyyy / write a date dd/mm/yyyy"})
            elif column.allowed is not None:
                sheet.data_validation(first, j, last, j, {
                    "validate": "list", "source": [str(a) for a in column.allowed], "error_type": "warning"})
        for k, (col, label, top) in enumerate(scores):
            j = len(columns) + k
            sheet.write(1, j, col, head)
            sheet.write_comment(1, j, label + (f" (tối đa / at most {top:g})" if top is not None else ""))
            sheet.set_column(j, j, 16)
            if top is not None:
                sheet.data_validation(2, j, _ROWS + 1, j, {
                    "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": top,
                    "error_type": "warning",
                    "error_message": f"Điểm từ 0 đến {top:g} / a score from 0 to {top:g}"})
        lists.hide()
        _guide(book, guide, table, name, columns, scores, period)
        sheet.activate()
    finally:
        book.close()


def _guide(book: xlsxwriter.Workbook, guide, table: str, name: str, columns: list[Column],
           scores: list[AssessmentColumn], period: str) -> None:
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    guide.set_column(0, 0, 34)
    guide.set_column(1, 1, 90)
    guide.write(0, 0, f"Hướng dẫn điền bảng {name} / how to fill in this table", bold)
    lines = [
        "Điền từ dòng 3 của trang đầu, mỗi dòng một bản ghi; không đổi tên cột, không chèn dòng "
        "tổng. / Fill in from row 3 of the first sheet, one record per row; keep the headers.",
        "Ngày ghi dd/mm/yyyy; số thập phân có thể dùng dấu phẩy (7,5). / Dates dd/mm/yyyy; "
        "decimals may use a comma.",
        "Dòng ví dụ ở cuối trang này, không chép vào bảng. / The example row is at the end of this "
        "sheet: do not copy it into the table.",
    ]
    for i, line in enumerate(lines):
        guide.write(1 + i, 0, line)
    row = 5
    guide.write(row, 0, "Cột / column", bold)
    guide.write(row, 1, "Cách ghi / what to write", bold)
    described: list[tuple[str, str]] = [(_header(table, c.name), _describe(table, c)) for c in columns]
    described += [(col, f"{label}; điểm từ 0 đến {top:g} / a score from 0 to {top:g}"
                   if top is not None else label) for col, label, top in scores]
    for header, text in described:
        row += 1
        guide.write(row, 0, header)
        guide.write(row, 1, text, wrap)
    row += 2
    guide.write(row, 0, "Ví dụ một dòng đã điền / an example row", bold)
    row += 1
    example: Mapping[str, object] = {c.name: _example(table, c, period) for c in columns}
    for j, (header, _) in enumerate(described):
        guide.write(row, j, header, bold)
    row += 1
    for j, column in enumerate(columns):
        value = example[column.name]
        if isinstance(value, dt.date):
            guide.write_datetime(row, j, dt.datetime(value.year, value.month, value.day), date)
        else:
            guide.write(row, j, value)
    for k, (_, _, top) in enumerate(scores):
        guide.write(row, len(columns) + k, top if top is not None else 0)

"""Write the bad-input case folders: a tiny valid dataset, then one defect per case.

Run from anywhere: ``python tests/cases/bad_inputs/make_cases.py``. Every case folder is
deleted and written again; the folders are committed so that a reviewer can open them.

A case folder is a data folder (read by ``scoring check-data --data <case>``) plus
``exit_code`` (2 for invalid data, 0 for valid but unusual data), ``expected.txt`` (the exact
error lines, in order; empty for valid cases) and optionally ``columns.yaml`` (a header
mapping passed as ``--columns``). A line ending in "…" matches any line that starts with the
text before it (for messages that quote a third-party library). The expected lines are
written by hand below, not copied from the tool's output.
"""

from __future__ import annotations

import codecs
import copy
import csv
import io
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

Tables = dict[str, list[list[str]]]  # table -> rows, the first row is the header

BASE: Tables = {
    "units": [
        ["unit_id", "name", "parent_id", "kind"],
        ["U01", "Sở Giao thông vận tải", "", "department"],
        ["U02", "Phòng Tổ chức cán bộ", "U01", "office"],
    ],
    "staff": [
        ["employee_id", "full_name", "unit_id", "position", "employment_type", "duty_group",
         "start_date", "end_date", "email"],
        ["E001", "Nguyễn Văn An", "U01", "director", "cadre", "", "2010-03-01", "",
         "an.nv@sgtvt.gov.vn"],
        ["E002", "Trần Thị Bình", "U01", "deputy_director", "civil_servant", "", "2012-07-15",
         "", ""],
        ["E003", "Lê Văn Cường", "U02", "head", "civil_servant", "", "2015-01-05", "", ""],
        ["E004", "Phạm Thị Dung", "U02", "staff", "public_employee", "", "2018-09-10", "", ""],
        ["E005", "Hoàng Văn Em", "U02", "staff", "worker", "", "2020-02-01", "2025-02-28", ""],
    ],
    "assessments": [  # the score columns of criteria/skhcn-quy-2025.yaml, within their maxima
        ["employee_id", "period", "politics_ethics", "culture_attitude", "discipline",
         "task_quantity", "task_quality", "task_timeliness"],
        ["E001", "2025-Q1", "8", "7", "5", "24", "23.5", "19"],
        ["E002", "2025-Q1", "7.5", "6.5", "5", "22", "21", "18"],
        ["E003", "2025-Q1", "7", "6", "4.5", "20", "19", "16.5"],
        ["E004", "2025-Q1", "6", "5", "3", "18", "17", "15"],
        ["E005", "2025-Q1", "7", "6", "4", "19", "18", "16"],
    ],
    "violations": [
        ["record_id", "employee_id", "violation_date", "category", "vehicle", "alcohol_level",
         "fine_vnd", "licence_points", "licence_revoked_months", "caused_accident", "status",
         "decision_no", "decision_date", "notice_no", "notice_date"],
        ["V001", "E003", "2025-01-20", "speeding", "car", "", "4000000", "2", "0", "false",
         "effective", "123/QĐ-XPHC", "2025-01-25", "", ""],
        ["V002", "E004", "2025-02-14", "alcohol", "motorbike", "1", "6000000", "4", "0", "false",
         "effective", "456/QĐ-XPHC", "2025-02-20", "", ""],
        ["V003", "E005", "2025-03-03", "helmet_seatbelt", "motorbike", "", "400000", "0", "0",
         "false", "appealed", "", "", "TB-77", "2025-03-05"],
    ],
    "training": [
        ["record_id", "employee_id", "session_date", "topic", "hours", "attendance",
         "commitment_signed", "session_id"],
        ["T001", "E001", "2025-02-10", "An toàn giao thông", "4", "attended", "true", "S01"],
        ["T002", "E002", "2025-02-10", "An toàn giao thông", "4", "attended", "true", "S01"],
        ["T003", "E003", "2025-02-10", "An toàn giao thông", "4", "excused", "false", "S01"],
        ["T004", "E004", "2025-02-10", "An toàn giao thông", "4", "attended", "true", "S01"],
    ],
    "discipline": [
        ["record_id", "employee_id", "decision_date", "form", "duty_related", "reason"],
        ["D001", "E004", "2025-03-15", "reprimand", "false", "Vi phạm nồng độ cồn"],
    ],
    "leave": [
        ["employee_id", "start_date", "end_date", "kind"],
        ["E002", "2025-01-06", "2025-01-17", "sick"],
    ],
}


def csv_text(rows: list[list[str]], sep: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def write_tables(folder: Path, tables: Tables) -> None:
    for name, rows in tables.items():
        (folder / f"{name}.csv").write_text(csv_text(rows), encoding="utf-8", newline="")


def set_cell(tables: Tables, table: str, row: int, column: str, value: str) -> Tables:
    """Return a copy with data row ``row`` (1-based, line row + 1) of ``column`` set."""
    out = copy.deepcopy(tables)
    out[table][row][out[table][0].index(column)] = value
    return out


def write_xlsx(path: Path, rows: list[list[str]], *, title_rows: list[str] = (),
               dates: tuple[str, ...] = ()) -> None:
    """An Excel sheet as HR makes it: title rows, a blank row, the header, real date cells."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": datetime(2025, 1, 1)})
    ws = wb.add_worksheet("Danh sách")
    date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
    r = 0
    for title in title_rows:
        ws.write_string(r, 0, title)
        r += 1
    if title_rows:
        r += 1  # the blank line under the title
    header = rows[0]
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if cell == "":
                continue
            if i > 0 and header[j] in dates:
                try:
                    ws.write_datetime(r, j, datetime.strptime(cell, "%Y-%m-%d"), date_format)
                    continue
                except ValueError:
                    pass
            ws.write_string(r, j, cell)
        r += 1
    wb.close()


def cp1258(text: str) -> bytes:
    """Encode in Windows-1258, which writes tone marks as combining characters."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            first = unicodedata.normalize("NFC", base + marks[0]) if marks else base
            try:
                out += first.encode("cp1258")
                marks = marks[1:]
            except UnicodeEncodeError:
                out += base.encode("cp1258")
            for m in marks:
                out += m.encode("cp1258")
    return bytes(out)


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], None]
    expected: tuple[str, ...] = ()
    exit_code: int = 2


def tables(change: Callable[[Tables], Tables] = lambda t: t) -> Callable[[Path], None]:
    return lambda folder: write_tables(folder, change(copy.deepcopy(BASE)))


def with_file(change: Callable[[Tables], Tables], name: str,
              write: Callable[[Path, Tables], None]) -> Callable[[Path], None]:
    """The base tables with ``name`` (a table) written by ``write`` instead of as CSV."""

    def build(folder: Path) -> None:
        t = change(copy.deepcopy(BASE))
        write_tables(folder, {k: v for k, v in t.items() if k != name})
        write(folder, t)

    return build


def cell(table: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    return tables(lambda t: set_cell(t, table, row, column, value))


def drop(table: str) -> Callable[[Path], None]:
    return tables(lambda t: {k: v for k, v in t.items() if k != table})


def rename_column(table: str, old: str, new: str) -> Callable[[Tables], Tables]:
    def change(t: Tables) -> Tables:
        t[table][0][t[table][0].index(old)] = new
        return t

    return change


def add_rows(table: str, *rows: list[str]) -> Callable[[Tables], Tables]:
    def change(t: Tables) -> Tables:
        t[table].extend(list(r) for r in rows)
        return t

    return change


def many_bad_positions(t: Tables) -> Tables:
    for i in range(6, 18):
        t["staff"].append([f"E{i:03d}", f"Cán bộ {i}", "U02", "cán sự bậc hai", "worker", "",
                           "2021-01-04", "", ""])
    return t


def nfd_names(t: Tables) -> Tables:
    for row in t["staff"][1:]:
        row[1] = unicodedata.normalize("NFD", row[1])
    t["units"][1][1] = unicodedata.normalize("NFD", t["units"][1][1])
    return t


def whitespace(t: Tables) -> Tables:
    t["staff"][0] = [f" {h} " for h in t["staff"][0]]
    for row in t["staff"][1:]:
        row[:] = [f"  {c}\t" if c else "  " for c in row]
    return t


def extra_columns(t: Tables) -> Tables:
    t["staff"][0].append("ghi_chu")
    t["staff"][0].append("Số điện thoại")
    for i, row in enumerate(t["staff"][1:], start=1):
        row += [f"ghi chú {i}", f"090{i}000000"]
    return t


def vietnamese_headers(t: Tables) -> Tables:
    t["staff"][0] = ["Mã cán bộ", "Họ và tên", "Mã đơn vị", "Chức vụ", "Loại cán bộ",
                     "Nhóm nhiệm vụ", "Ngày bắt đầu", "Ngày kết thúc", "Thư điện tử"]
    return t


VIETNAMESE_COLUMNS = """\
# Tên cột trong mẫu Excel của đơn vị -> tên cột của hợp đồng dữ liệu
Mã cán bộ: employee_id
Họ và tên: full_name
Mã đơn vị: unit_id
Chức vụ: position
Loại cán bộ: employment_type
Nhóm nhiệm vụ: duty_group
Ngày bắt đầu: start_date
Ngày kết thúc: end_date
Thư điện tử: email
"""


def staff_xlsx(title_rows: list[str]) -> Callable[[Path, Tables], None]:
    def write(folder: Path, t: Tables) -> None:
        write_xlsx(folder / "staff.xlsx", t["staff"], title_rows=title_rows,
                   dates=("start_date", "end_date"))

    return write


TITLE = ["SỞ GIAO THÔNG VẬN TẢI", "DANH SÁCH CÁN BỘ, CÔNG CHỨC QUÝ I/2025"]


def staff_bytes(encode: Callable[[str], bytes]) -> Callable[[Path, Tables], None]:
    def write(folder: Path, t: Tables) -> None:
        (folder / "staff.csv").write_bytes(encode(csv_text(t["staff"])))

    return write


def staff_parquet(folder: Path, t: Tables) -> None:
    import polars as pl

    header, *rows = t["staff"]
    frame = pl.DataFrame({h: [r[j] or None for r in rows] for j, h in enumerate(header)}).with_columns(
        pl.col("start_date", "end_date").str.to_date()
    )
    frame.write_parquet(folder / "staff.parquet")


PDF = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")

UNKNOWN_EMPLOYEE = "mã cán bộ không có trong danh sách cán bộ (staff) / employee not found in staff"
DATE = ("ngày không hợp lệ, dùng dạng dd/mm/yyyy hoặc YYYY-MM-DD / invalid date, use "
        "dd/mm/yyyy or YYYY-MM-DD")
UTF8 = "tệp không phải UTF-8; hãy lưu lại dạng CSV UTF-8 / file is not UTF-8; save it as CSV UTF-8"
POSITIONS = ("director (Giám đốc), deputy_director (Phó Giám đốc), head (Chánh Văn phòng), "
             "deputy_head (Phó Chánh Văn phòng), staff (Chuyên viên)")
NOT_ALLOWED = "giá trị không được phép, dùng một trong / value not allowed, use one of: {}"
STAFF_COLUMNS = ("employee_id, full_name, unit_id, {}, employment_type, duty_group, start_date, "
                 "end_date, email")

CASES: tuple[Case, ...] = (
    Case("valid_base", tables(), exit_code=0),
    Case(
        "missing_required_column",
        tables(rename_column("staff", "position", "positon")),
        (
            "staff.csv:1: position: thiếu cột bắt buộc / required column missing; cột có / "
            f"columns found: {STAFF_COLUMNS.format('positon')}; có phải 'positon'? / "
            "did you mean 'positon'?",
        ),
    ),
    Case(
        "wrong_type",
        cell("violations", 2, "fine_vnd", "sáu triệu"),
        (
            "violations.csv:3: fine_vnd: không phải số nguyên (ví dụ 2500000 hoặc 2.500.000) / "
            "not a whole number (e.g. 2500000 or 2.500.000) ('sáu triệu')",
        ),
    ),
    # read as offices write them (tests/inputs/test_office_cells.py checks the values read)
    Case("thousands_separator", cell("violations", 1, "fine_vnd", "4.000.000 đ"), exit_code=0),
    Case(
        "impossible_date",
        cell("staff", 3, "start_date", "2024-02-30"),
        (f"staff.csv:4: start_date: {DATE} ('2024-02-30')",),
    ),
    Case("day_month_year_date", cell("training", 2, "session_date", "10/02/2025"), exit_code=0),
    Case(
        "month_day_year_date",
        cell("training", 2, "session_date", "02/15/2025"),
        (f"training.csv:3: session_date: {DATE} ('02/15/2025')",),
    ),
    Case(
        "date_out_of_range",
        cell("staff", 1, "start_date", "1900-01-01"),
        (
            "staff.csv:2: start_date: ngày ngoài khoảng 1950-01-01 – 2100-12-31 / date outside "
            "1950-01-01 – 2100-12-31 (1900-01-01)",
        ),
    ),
    Case(
        "unknown_category",
        cell("violations", 1, "category", "drunk_driving"),
        (
            "violations.csv:2: category: "
            + NOT_ALLOWED.format("alcohol (Nồng độ cồn), speeding (Chạy quá tốc độ), red_light (Vượt "
                                 "đèn đỏ), phone (Sử dụng điện thoại), helmet_seatbelt (Không đội "
                                 "mũ bảo hiểm), wrong_way (Đi ngược chiều), other (Khác)")
            + " ('drunk_driving')",
        ),
    ),
    Case(
        "unknown_position",
        cell("staff", 4, "position", "Chuyên gia"),
        (f"staff.csv:5: position: {NOT_ALLOWED.format(POSITIONS)} ('Chuyên gia')",),
    ),
    Case(
        "unknown_employment_type",
        cell("staff", 2, "employment_type", "contract"),
        (
            "staff.csv:3: employment_type: "
            + NOT_ALLOWED.format("cadre (Cán bộ), civil_servant (Công chức), public_employee (Viên "
                                 "chức), worker (Người lao động)")
            + " ('contract')",
        ),
    ),
    Case(
        "duplicate_id",
        cell("staff", 4, "employee_id", "E002"),
        (
            # the records of E004 now have no person
            f"assessments.csv:5: employee_id: {UNKNOWN_EMPLOYEE} ('E004')",
            f"discipline.csv:2: employee_id: {UNKNOWN_EMPLOYEE} ('E004')",
            "staff.csv:5: employee_id: mã trùng lặp, đã có ở dòng 3 / duplicate id, already at "
            "row 3 ('E002')",
            f"training.csv:5: employee_id: {UNKNOWN_EMPLOYEE} ('E004')",
            f"violations.csv:3: employee_id: {UNKNOWN_EMPLOYEE} ('E004')",
        ),
    ),
    Case(
        "duplicate_record_id",
        cell("training", 3, "record_id", "T002"),
        (
            "training.csv:4: record_id: mã trùng lặp, đã có ở dòng 3 / duplicate id, already at "
            "row 3 ('T002')",
        ),
    ),
    Case(
        "violation_unknown_employee",
        cell("violations", 3, "employee_id", "E099"),
        (f"violations.csv:4: employee_id: {UNKNOWN_EMPLOYEE} ('E099')",),
    ),
    Case(
        "training_and_leave_unknown_employee",
        tables(
            lambda t: set_cell(
                set_cell(t, "training", 1, "employee_id", "E404"), "leave", 1, "employee_id", "X1"
            )
        ),
        (
            f"leave.csv:2: employee_id: {UNKNOWN_EMPLOYEE} ('X1')",
            f"training.csv:2: employee_id: {UNKNOWN_EMPLOYEE} ('E404')",
        ),
    ),
    Case(
        "unit_cycle",
        tables(
            add_rows(
                "units",
                ["U03", "Phòng Quản lý vận tải", "U04", "office"],
                ["U04", "Phòng Quản lý giao thông", "U05", "office"],
                ["U05", "Đội Thanh tra", "U03", "team"],
            )
        ),
        (
            "units.csv:4: parent_id: các đơn vị tạo thành vòng lặp cấp trên / units form a "
            "cycle of parents ('U03 → U04 → U05 → U03')",
        ),
    ),
    Case(
        "unit_own_parent",
        cell("units", 2, "parent_id", "U02"),
        (
            "units.csv:3: parent_id: các đơn vị tạo thành vòng lặp cấp trên / units form a "
            "cycle of parents ('U02 → U02')",
        ),
    ),
    Case(
        "unknown_parent_unit",
        cell("units", 2, "parent_id", "U99"),
        (
            "units.csv:3: parent_id: đơn vị cấp trên không tồn tại trong units / parent unit "
            "does not exist in units ('U99')",
        ),
    ),
    Case(
        "staff_unknown_unit",
        cell("staff", 5, "unit_id", "U07"),
        (
            "staff.csv:6: unit_id: đơn vị không có trong danh sách đơn vị (units) / unit not "
            "found in units ('U07')",
        ),
    ),
    Case(
        "empty_file",
        with_file(lambda t: t, "training", lambda f, t: (f / "training.csv").write_bytes(b"")),
        ("training.csv: tệp rỗng / file is empty",),
    ),
    Case(
        "not_a_table_pdf",
        with_file(lambda t: t, "violations", lambda f, t: (f / "violations.csv").write_bytes(PDF)),
        (
            "violations.csv: tệp không phải bảng CSV (có vẻ là PDF) / file is not a CSV table "
            "(looks like PDF)",
        ),
    ),
    Case(
        "not_a_table_binary",
        with_file(
            lambda t: t,
            "discipline",
            lambda f, t: (f / "discipline.csv").write_bytes(bytes(range(256)) * 4),
        ),
        (
            "discipline.csv: tệp không phải bảng dữ liệu dạng văn bản / file is not a text "
            "table (binary data)",
        ),
    ),
    Case(
        "corrupt_xlsx",
        with_file(
            lambda t: t,
            "units",
            lambda f, t: (f / "units.xlsx").write_bytes(b"this is not a workbook"),
        ),
        # the rest of the line is the Excel engine's own explanation: "…" matches any end
        ("units.xlsx: không mở được tệp Excel (.xlsx) / cannot open the Excel workbook: …",),
    ),
    Case(
        "excel_title_rows",
        with_file(lambda t: t, "staff", staff_xlsx(TITLE)),
        exit_code=0,
    ),
    Case(
        "excel_title_rows_bad_date",
        with_file(
            lambda t: set_cell(t, "staff", 3, "start_date", "2024-02-30"),
            "staff",
            staff_xlsx(TITLE),
        ),
        # two title rows, a blank row, the header on row 4: the third person is on row 7
        (f"staff.xlsx:7: start_date: {DATE} ('2024-02-30')",),
    ),
    Case(
        "excel_missing_column",
        with_file(rename_column("staff", "unit_id", "don_vi"), "staff", staff_xlsx(TITLE)),
        (
            "staff.xlsx:4: unit_id: thiếu cột bắt buộc / required column missing; cột có / "
            "columns found: employee_id, full_name, don_vi, position, employment_type, "
            "duty_group, start_date, end_date, email; dòng tiêu đề là dòng 4 (các dòng trên là "
            "tiêu đề bảng) / the header is row 4 (the rows above are titles)",
        ),
    ),
    Case(
        "parquet_staff",
        with_file(lambda t: t, "staff", staff_parquet),
        exit_code=0,
    ),
    Case(
        "csv_bom",
        with_file(
            lambda t: t,
            "staff",
            staff_bytes(lambda text: codecs.BOM_UTF8 + text.encode("utf-8")),
        ),
        exit_code=0,
    ),
    Case(
        "crlf_line_endings",
        with_file(
            lambda t: t,
            "staff",
            staff_bytes(lambda text: text.replace("\n", "\r\n").encode("utf-8")),
        ),
        exit_code=0,
    ),
    Case(
        "semicolon_separated",
        with_file(
            lambda t: t,
            "staff",
            lambda f, t: (f / "staff.csv").write_text(csv_text(t["staff"], ";"), "utf-8"),
        ),
        exit_code=0,
    ),
    Case("stray_whitespace", tables(whitespace), exit_code=0),
    Case("nfd_vietnamese_names", tables(nfd_names), exit_code=0),
    Case("unknown_extra_columns", tables(extra_columns), exit_code=0),
    Case(
        "header_only_training",
        tables(lambda t: t | {"training": t["training"][:1]}),
        exit_code=0,
    ),
    Case("no_leave_file", drop("leave"), exit_code=0),
    Case("vietnamese_headers_with_mapping", tables(vietnamese_headers), exit_code=0),
    Case(
        "wrong_encoding_cp1258",
        with_file(lambda t: t, "staff", staff_bytes(cp1258)),
        (f"staff.csv:2: {UTF8} ('ea de 6e 20')",),
    ),
    Case(
        "wrong_encoding_utf16",
        with_file(lambda t: t, "staff", staff_bytes(lambda text: text.encode("utf-16"))),
        (
            "staff.csv: tệp mã hoá UTF-16; hãy lưu lại dạng CSV UTF-8 / file is UTF-16 "
            "encoded; save it as CSV UTF-8",
        ),
    ),
    Case(
        "licence_points_not_allowed",
        cell("violations", 1, "licence_points", "3"),
        (f"violations.csv:2: licence_points: {NOT_ALLOWED.format('0, 2, 4, 6, 10')} (3)",),
    ),
    Case(
        "alcohol_level_out_of_range",
        cell("violations", 2, "alcohol_level", "4"),
        (f"violations.csv:3: alcohol_level: {NOT_ALLOWED.format('1, 2, 3')} (4)",),
    ),
    Case(
        "hours_not_positive",
        cell("training", 4, "hours", "0"),
        ("training.csv:5: hours: số giờ phải lớn hơn 0 / hours must be greater than 0 (0.0)",),
    ),
    Case("hours_decimal_comma", cell("training", 1, "hours", "1,5"), exit_code=0),
    Case(
        "hours_not_a_number",
        cell("training", 1, "hours", "1,5 giờ"),
        ("training.csv:2: hours: không phải số (ví dụ 7,5 hoặc 7.5) / not a number (e.g. 7,5 or "
         "7.5) ('1,5 giờ')",),
    ),
    Case(
        "negative_fine",
        cell("violations", 3, "fine_vnd", "-400000"),
        ("violations.csv:4: fine_vnd: tiền phạt không được âm / fine cannot be negative (-400000)",),
    ),
    Case(
        "invalid_boolean",
        cell("violations", 1, "caused_accident", "maybe"),
        (
            "violations.csv:2: caused_accident: giá trị đúng/sai không hợp lệ, dùng có/không "
            "hoặc true/false / invalid yes/no value, use có/không or true/false ('maybe')",
        ),
    ),
    Case(
        "end_before_start",
        cell("leave", 1, "end_date", "2024-12-31"),
        (
            "leave.csv:2: end_date: ngày kết thúc trước ngày bắt đầu / end date is before start "
            "date (2024-12-31)",
        ),
    ),
    Case(
        "staff_end_before_start",
        cell("staff", 5, "end_date", "2019-12-31"),
        (
            "staff.csv:6: end_date: ngày kết thúc trước ngày bắt đầu / end date is before start "
            "date (2019-12-31)",
        ),
    ),
    Case(
        "duplicate_assessment",
        tables(add_rows("assessments", ["E003", "2025-Q1", "8", "7", "5", "25", "25", "20"])),
        (
            "assessments.csv:7: employee_id, period: đánh giá trùng cho cùng cán bộ và kỳ, đã có "
            "ở dòng 4 / duplicate assessment for one employee and period, already at row 4 "
            "('E003 2025-Q1')",
        ),
    ),
    Case(
        "invalid_period_label",
        cell("assessments", 2, "period", "2025-Q5"),
        (
            "assessments.csv:3: period: kỳ đánh giá không hợp lệ, dùng dạng 2025-Q1, 2025-03 "
            "hoặc 2025 / invalid period, use 2025-Q1, 2025-03 or 2025 ('2025-Q5')",
        ),
    ),
    Case(
        "empty_required_cell",
        cell("staff", 2, "full_name", " "),
        ("staff.csv:3: full_name: thiếu giá trị bắt buộc / required value is missing",),
    ),
    Case(
        "quoted_multiline_cell",
        cell("discipline", 1, "reason", "Vi phạm, tái phạm\nlần 2"),  # quoted: still valid
        exit_code=0,
    ),
    Case(
        "too_many_fields",
        with_file(
            lambda t: t,
            "training",
            lambda f, t: (f / "training.csv").write_text(
                csv_text(t["training"]).replace("S01\n", "S01,thừa\n", 1), "utf-8"
            ),
        ),
        ("training.csv:2: dòng có 9 ô nhưng tiêu đề có 8 / row has 9 fields but the header has 8",),
    ),
    Case(
        "missing_required_table",
        drop("discipline"),
        (
            "discipline.*: thiếu tệp bắt buộc discipline.csv, discipline.xlsx hoặc "
            "discipline.parquet (hoặc tên tiếng Việt của bảng, xem docs/inputs.md) / required "
            "file missing (or the table's Vietnamese name, see docs/inputs.md)",
        ),
    ),
    Case(
        "unsupported_xls",
        with_file(
            lambda t: t,
            "units",
            lambda f, t: (f / "units.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        ),
        (
            "units.*: thiếu tệp bắt buộc units.csv, units.xlsx hoặc units.parquet (hoặc tên "
            "tiếng Việt của bảng, xem docs/inputs.md) / required file missing (or the table's "
            "Vietnamese name, see docs/inputs.md); có units.xls nhưng định dạng không hỗ trợ, "
            "hãy lưu thành .csv hoặc .xlsx / found units.xls, an unsupported format: save as .csv or .xlsx",
        ),
    ),
    Case(
        "two_files_one_table",
        lambda f: (write_tables(f, BASE), staff_xlsx([])(f, BASE))[0],
        (
            "staff.*: nhiều tệp hoặc trang cho cùng một bảng, chỉ giữ một / more than one file "
            "or sheet for one table: staff.csv, staff.xlsx",
        ),
    ),
    Case(
        "many_bad_rows",
        tables(many_bad_positions),
        tuple(
            f"staff.csv:{line}: position: {NOT_ALLOWED.format(POSITIONS)} ('cán sự bậc hai')"
            for line in range(7, 12)
        )
        + (f"staff.csv:12: position: {NOT_ALLOWED.format(POSITIONS)} ... và 7 dòng khác / and 7 more rows",),
    ),
    Case(
        "several_problems_at_once",
        tables(
            lambda t: set_cell(
                set_cell(
                    set_cell(t, "staff", 1, "start_date", "31/02/2010"),
                    "violations",
                    2,
                    "licence_points",
                    "5",
                ),
                "units",
                2,
                "parent_id",
                "U9",
            )
        ),
        (
            f"staff.csv:2: start_date: {DATE} ('31/02/2010')",
            "units.csv:3: parent_id: đơn vị cấp trên không tồn tại trong units / parent unit "
            "does not exist in units ('U9')",
            f"violations.csv:3: licence_points: {NOT_ALLOWED.format('0, 2, 4, 6, 10')} (5)",
        ),
    ),
)


# The stable problem code of each expected line, in order (docs/errors.md).
CODES: dict[str, tuple[str, ...]] = {
    'alcohol_level_out_of_range': ('D302',),
    'corrupt_xlsx': ('D111',),
    'date_out_of_range': ('D302',),
    'duplicate_assessment': ('D401',),
    'duplicate_id': ('D402', 'D402', 'D401', 'D402', 'D402'),
    'duplicate_record_id': ('D401',),
    'empty_file': ('D107',),
    'empty_required_cell': ('D303',),
    'end_before_start': ('D306',),
    'excel_missing_column': ('D201',),
    'excel_title_rows_bad_date': ('D301',),
    'hours_not_a_number': ('D301',),
    'hours_not_positive': ('D302',),
    'impossible_date': ('D301',),
    'invalid_boolean': ('D301',),
    'invalid_period_label': ('D302',),
    'licence_points_not_allowed': ('D302',),
    'many_bad_rows': ('D302', 'D302', 'D302', 'D302', 'D302', 'D302'),
    'missing_required_column': ('D201',),
    'missing_required_table': ('D103',),
    'month_day_year_date': ('D301',),
    'negative_fine': ('D302',),
    'not_a_table_binary': ('D109',),
    'not_a_table_pdf': ('D109',),
    'several_problems_at_once': ('D301', 'D402', 'D302'),
    'staff_end_before_start': ('D306',),
    'staff_unknown_unit': ('D402',),
    'too_many_fields': ('D110',),
    'training_and_leave_unknown_employee': ('D402', 'D402'),
    'two_files_one_table': ('D102',),
    'unit_cycle': ('D403',),
    'unit_own_parent': ('D403',),
    'unknown_category': ('D302',),
    'unknown_employment_type': ('D302',),
    'unknown_parent_unit': ('D402',),
    'unknown_position': ('D302',),
    'unsupported_xls': ('D103',),
    'violation_unknown_employee': ('D402',),
    'wrong_encoding_cp1258': ('D108',),
    'wrong_encoding_utf16': ('D109',),
    'wrong_type': ('D301',),
}


def main() -> None:
    for case in CASES:
        folder = HERE / case.name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        case.build(folder)
        (folder / "exit_code").write_text(f"{case.exit_code}\n", encoding="utf-8")
        codes = CODES.get(case.name, ())
        assert len(codes) == len(case.expected), case.name
        text = "".join(f"{line} [{code}]\n" for line, code in zip(case.expected, codes, strict=True))
        (folder / "expected.txt").write_text(text, encoding="utf-8")
        if case.name == "vietnamese_headers_with_mapping":
            (folder / "columns.yaml").write_text(VIETNAMESE_COLUMNS, encoding="utf-8")
    print(f"wrote {len(CASES)} cases in {HERE}")


if __name__ == "__main__":
    main()

"""Reading input folders: formats, encodings, title rows, headers, types and located errors."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import shutil
import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pandera.polars as pa
import polars as pl
import pytest
import xlsxwriter
from polars.testing import assert_frame_equal

from scoring.errors import MAX_PER_CHECK, InputDataError
from scoring.inputs.cells import NFC_SUSPECT
from scoring.inputs.column_map import column_map_from_file
from scoring.inputs.contract import TABLES
from scoring.inputs.readers import read_inputs
from scoring.inputs.validation import table_schema

BASE = Path(__file__).parents[1] / "cases" / "bad_inputs" / "valid_base"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the small valid dataset (2 units, 5 staff) to modify."""
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    return folder


def rows_of(folder: Path, table: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / f"{table}.csv").read_text("utf-8"), newline="")))


def write_csv(folder: Path, table: str, rows: list[list[str]], *, sep: str = ",") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\n").writerows(rows)
    path = folder / f"{table}.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[object]], *, top: list[str] = (), sheets=("Sheet1",)):
    wb = xlsxwriter.Workbook(str(path))
    fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for name in sheets:
        ws = wb.add_worksheet(name)
        r = 0
        for title in top:
            if title:
                ws.write_string(r, 0, title)
            r += 1
        for row in rows:
            for j, cell in enumerate(row):
                if isinstance(cell, datetime):
                    ws.write_datetime(r, j, cell, fmt)
                elif isinstance(cell, (int, float)):
                    ws.write_number(r, j, cell)
                elif cell not in (None, ""):
                    ws.write_string(r, j, str(cell))
            r += 1
    wb.close()


def issues_of(folder: Path, **kwargs) -> list[str]:
    with pytest.raises(InputDataError) as info:
        read_inputs(folder, **kwargs)
    return [str(i) for i in info.value.issues]


# ----------------------------------------------------------------------------- the basics


def test_valid_folder_gives_contract_types_and_sources(data: Path) -> None:
    frames = read_inputs(data)
    for name, spec in TABLES.items():
        frame = frames.table(name)
        for col in spec.columns:
            assert frame.schema[col.name] == col.dtype, (name, col.name)
        assert frame.columns[: len(spec.columns)] == list(spec.column_names)
    assert frames.assessments.schema["politics_ethics"] == pl.Float64
    assert frames.staff["employee_id"].to_list() == ["E001", "E002", "E003", "E004", "E005"]
    assert frames.violations["violation_date"][0] == date(2025, 1, 20)
    assert frames.violations["caused_accident"].to_list() == [False, False, False]
    assert [s.table for s in frames.sources] == list(TABLES)
    for source in frames.sources:
        raw = (data / source.path).read_bytes()
        assert source.sha256 == hashlib.sha256(raw).hexdigest()
        assert source.rows == frames.table(source.table).height


def test_duty_group_defaults_to_position(data: Path) -> None:
    rows = rows_of(data, "staff")
    rows[2][rows[0].index("duty_group")] = "inspection"
    write_csv(data, "staff", rows)
    staff = read_inputs(data).staff
    assert staff["duty_group"].to_list() == [
        "director", "inspection", "head", "staff", "staff",
    ]


def test_optional_leave_absent_gives_empty_contract_frame(data: Path) -> None:
    (data / "leave.csv").unlink()
    frames = read_inputs(data)
    assert frames.leave.height == 0
    assert dict(frames.leave.schema) == {c.name: c.dtype for c in TABLES["leave"].columns}
    assert "leave" not in {s.table for s in frames.sources}


def test_header_only_training_is_valid_and_empty(data: Path) -> None:
    write_csv(data, "training", rows_of(data, "training")[:1])
    training = read_inputs(data).training
    assert training.height == 0
    assert dict(training.schema) == {c.name: c.dtype for c in TABLES["training"].columns}


def test_unknown_extra_columns_are_kept_as_read(data: Path) -> None:
    rows = rows_of(data, "staff")
    rows[0] += ["ghi_chu", "Số điện thoại"]
    for i, row in enumerate(rows[1:], start=1):
        row += [f"ghi chú {i}", f"0905{i:06d}"]
    write_csv(data, "staff", rows)
    rows = rows_of(data, "assessments")
    rows[0].append("nhan_xet")
    for row in rows[1:]:
        row.append("tốt")
    write_csv(data, "assessments", rows)
    frames = read_inputs(data)
    assert frames.staff.columns[-2:] == ["ghi_chu", "Số điện thoại"]
    assert frames.staff["Số điện thoại"].to_list()[0] == "0905000001"  # text, leading 0 kept
    assert frames.assessments.schema["nhan_xet"] == pl.String  # text: not a score
    assert frames.assessments.schema["task_quality"] == pl.Float64


def test_missing_folder_is_an_issue(tmp_path: Path) -> None:
    lines = issues_of(tmp_path / "nope")
    assert lines == [f"{tmp_path / 'nope'}: không có thư mục hoặc tệp dữ liệu này / no such data "
                     "folder or file"]


def test_unknown_files_are_ignored(data: Path) -> None:
    (data / "notes.txt").write_text("ghi chú", encoding="utf-8")
    (data / "~$staff.xlsx").write_bytes(b"lock file")
    (data / "staff.csv.bak").write_text("junk", encoding="utf-8")
    assert read_inputs(data).staff.height == 5


# ----------------------------------------------------------------------------- text


def test_csv_with_bom(data: Path) -> None:
    path = data / "units.csv"
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    units = read_inputs(data).units
    assert units.columns[0] == "unit_id"
    assert units["unit_id"].to_list() == ["U01", "U02"]


def test_nfd_text_and_headers_are_normalised_to_nfc(data: Path) -> None:
    rows = rows_of(data, "staff")
    nfd = [[unicodedata.normalize("NFD", c) for c in row] for row in rows]
    nfd[0][1] = unicodedata.normalize("NFD", "Họ và tên")
    write_csv(data, "staff", nfd)
    staff = read_inputs(data, column_map={"Họ và tên": "full_name"}).staff
    names = staff["full_name"].to_list()
    assert names == [r[1] for r in rows[1:]]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert names[0] == "Nguyễn Văn An" and len(names[0]) == 13


def test_nfc_suspect_pattern_covers_every_character_nfc_can_change() -> None:
    # NFC changes a string only through characters that are not NFC_Quick_Check=Yes: the ones
    # NFC maps to something else, combining marks, and Hangul vowel and final jamo.
    changing = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if not 0xD800 <= c <= 0xDFFF
        and (
            unicodedata.normalize("NFC", chr(c)) != chr(c)
            or unicodedata.combining(chr(c))
            or unicodedata.category(chr(c)).startswith("M")
            or 0x1161 <= c <= 0x11C2
        )
    ]
    hits = pl.Series(changing).str.contains(NFC_SUSPECT)
    missed = [hex(ord(c)) for c, hit in zip(changing, hits, strict=True) if not hit]
    assert not missed
    # and precomposed Vietnamese is not suspect: it skips the normalisation
    assert not pl.Series(["Nguyễn Thị Ánh Tuyết, Đặng Ưng Ơn"]).str.contains(NFC_SUSPECT)[0]


def test_stray_whitespace_is_stripped_and_blank_is_null(data: Path) -> None:
    rows = rows_of(data, "staff")
    rows[0] = [f"  {h.upper()} " for h in rows[0]]  # headers differing by case and spaces
    for row in rows[1:]:
        row[:] = [f" {c}\t" if c else "\u00a0 " for c in row]
    write_csv(data, "staff", rows)
    staff = read_inputs(data).staff
    assert staff["employee_id"].to_list()[0] == "E001"
    assert staff["position"].to_list()[0] == "director"
    assert staff["start_date"][0] == date(2010, 3, 1)
    assert staff["email"].null_count() == 4  # whitespace only: no value
    assert staff["end_date"].to_list()[-1] == date(2025, 2, 28)


def test_semicolon_separated_csv(data: Path) -> None:
    write_csv(data, "staff", rows_of(data, "staff"), sep=";")
    assert read_inputs(data).staff.height == 5


def test_blank_lines_keep_line_numbers(data: Path) -> None:
    text = (data / "violations.csv").read_text("utf-8").splitlines()
    text.insert(2, "")  # a blank line 3: the second violation moves to line 4
    text[3] = text[3].replace("alcohol", "drinking")
    (data / "violations.csv").write_text("\n".join(text) + "\n\n", encoding="utf-8")
    lines = issues_of(data)
    assert len(lines) == 1 and lines[0].startswith("violations.csv:4: category: ")


def test_title_rows_in_csv_are_skipped(data: Path) -> None:
    rows = rows_of(data, "units")
    rows[2][rows[0].index("kind")] = "ban"
    rows[2][rows[0].index("parent_id")] = "U9"
    write_csv(data, "units", [["SỞ GIAO THÔNG VẬN TẢI"], ["DANH SÁCH ĐƠN VỊ"], [], *rows])
    lines = issues_of(data)
    assert lines == [
        "units.csv:6: parent_id: đơn vị cấp trên không tồn tại trong units / parent unit does "
        "not exist in units ('U9')"
    ]


# ----------------------------------------------------------------------------- types


def test_accepted_value_forms(data: Path) -> None:
    rows = rows_of(data, "violations")
    header = rows[0]
    rows[1][header.index("violation_date")] = "2025-01-20 08:30:00"
    rows[1][header.index("licence_points")] = "2.0"  # a whole number as some tools write it
    rows[1][header.index("caused_accident")] = "Có"
    rows[2][header.index("caused_accident")] = "x"
    rows[3][header.index("caused_accident")] = "0"
    write_csv(data, "violations", rows)
    v = read_inputs(data).violations
    assert v["violation_date"][0] == date(2025, 1, 20)
    assert v["licence_points"][0] == 2
    assert v["caused_accident"].to_list() == [True, True, False]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("licence_points", "2.5", "không phải số nguyên"),
        ("fine_vnd", "1,500,000", "không phải số nguyên"),
        ("violation_date", "2025-13-01", "ngày không hợp lệ"),
        ("violation_date", "01/20/2025", "ngày không hợp lệ"),  # day first: no 20th month
        ("caused_accident", "có lẽ", "giá trị đúng/sai không hợp lệ"),
    ],
)
def test_rejected_value_forms(data: Path, column: str, value: str, message: str) -> None:
    rows = rows_of(data, "violations")
    rows[1][rows[0].index(column)] = value
    write_csv(data, "violations", rows)
    lines = issues_of(data)
    assert len(lines) == 1
    assert lines[0].startswith(f"violations.csv:2: {column}: {message}")
    assert lines[0].endswith(f"({value!r})")


def test_assessment_ranges(data: Path) -> None:
    rows = rows_of(data, "assessments")
    rows[3][rows[0].index("politics_ethics")] = "12"
    rows[4][rows[0].index("politics_ethics")] = "bảy"
    write_csv(data, "assessments", rows)
    ranges = {"politics_ethics": (0, 8), "politics": (0, 8)}
    lines = issues_of(data, assessment_ranges=ranges)
    assert lines[0].startswith(
        "assessments.csv:1: politics: thiếu cột điểm mà tiêu chí dùng / score column used by the "
        "criteria is missing; cột có / columns found: employee_id, period, politics_ethics, "
        "culture_attitude"
    )
    assert lines[1:] == [
        "assessments.csv:4: politics_ethics: điểm ngoài khoảng [0, 8] / score outside [0, 8] (12.0)",
        "assessments.csv:5: politics_ethics: không phải số (ví dụ 7,5 hoặc 7.5) / not a number (e.g. "
        "7,5 or 7.5) ('bảy')",
    ]


def test_issues_are_sorted_and_capped(data: Path) -> None:
    rows = rows_of(data, "training")
    for i in range(5, 40):
        rows.append([f"T{i:03d}", "E001", "2025-02-30", "ATGT", "-1", "attended", "", ""])
    write_csv(data, "training", rows)
    rows = rows_of(data, "staff")
    rows[1][rows[0].index("position")] = "boss"
    write_csv(data, "staff", rows)
    lines = issues_of(data)
    dates = [ln for ln in lines if ": session_date: " in ln]
    hours = [ln for ln in lines if ": hours: " in ln]
    assert len(dates) == len(hours) == MAX_PER_CHECK + 1
    assert dates[-1].startswith("training.csv:11: session_date: ")
    assert dates[-1].endswith("... và 30 dòng khác / and 30 more rows")
    assert lines[-1].startswith("training.csv:11: session_date:")
    assert lines[0].startswith("staff.csv:2: position: ")  # files in order, then rows


# ----------------------------------------------------------------------------- Excel


def staff_rows(folder: Path) -> list[list[object]]:
    rows: list[list[object]] = [list(r) for r in rows_of(folder, "staff")]
    for row in rows[1:]:
        for j in (6, 7):  # start_date, end_date as real Excel dates
            if row[j]:
                row[j] = datetime.strptime(str(row[j]), "%Y-%m-%d")
    return rows


def test_excel_with_title_rows_reads_like_the_csv(data: Path) -> None:
    expected = read_inputs(data).staff
    rows = staff_rows(data)
    (data / "staff.csv").unlink()
    write_xlsx(data / "staff.xlsx", rows, top=["SỞ GIAO THÔNG VẬN TẢI", "DANH SÁCH CÁN BỘ", ""])
    frames = read_inputs(data)
    assert_frame_equal(frames.staff, expected)
    assert frames.sources[1].path == "staff.xlsx" and frames.sources[1].rows == 5


def test_excel_errors_use_sheet_row_numbers(data: Path) -> None:
    rows = staff_rows(data)
    rows[2][3] = "trưởng khoa"
    (data / "staff.csv").unlink()
    write_xlsx(data / "staff.xlsx", rows, top=["SỞ GIAO THÔNG VẬN TẢI", "DANH SÁCH CÁN BỘ", ""])
    lines = issues_of(data)
    assert len(lines) == 1 and lines[0].startswith("staff.xlsx:6: position: ")


def test_excel_header_row(data: Path) -> None:
    rows = staff_rows(data)
    (data / "staff.csv").unlink()
    write_xlsx(data / "staff.xlsx", rows, top=["SỞ GIAO THÔNG VẬN TẢI", "", "DANH SÁCH", ""])
    assert read_inputs(data, header_row=5).staff.height == 5
    lines = issues_of(data, header_row=3)
    assert lines[0].startswith(
        "staff.xlsx:3: employee_id: thiếu cột bắt buộc / required column missing; cột có / "
        "columns found: DANH SÁCH"
    )
    assert lines[0].endswith("; dòng 5 có vẻ là dòng tiêu đề / row 5 looks like the header row")


def test_excel_serial_numbers_and_date_times(data: Path) -> None:
    rows = staff_rows(data)
    rows[1][6] = 40238  # a date cell formatted as a number: 2010-03-01
    rows[2][6] = "2012-07-15 00:00:00"
    (data / "staff.csv").unlink()
    write_xlsx(data / "staff.xlsx", rows)
    staff = read_inputs(data).staff
    assert staff["start_date"][:2].to_list() == [date(2010, 3, 1), date(2012, 7, 15)]


def test_excel_sheet_choice(data: Path) -> None:
    (data / "units.csv").unlink()
    write_xlsx(data / "units.xlsx", rows_of(BASE, "units"), sheets=("Bìa", "Đơn vị"))
    with pytest.raises(InputDataError):  # the first sheet has no unit_id column either
        read_inputs(data, sheet="Không có")
    lines = issues_of(data, sheet="Không có")
    assert lines == [
        "units.xlsx: không có trang tính này; các trang hiện có: Bìa, Đơn vị / no such sheet; "
        "visible sheets: Bìa, Đơn vị ('Không có')"
    ]
    assert read_inputs(data, sheet="Đơn vị").units.height == 2
    # without --sheet, the sheet named after the table (Vietnamese name) is the one read
    assert read_inputs(data).units.height == 2


# ----------------------------------------------------------------------------- Parquet


def test_parquet_with_native_types(data: Path) -> None:
    expected = read_inputs(data).violations
    (data / "violations.csv").unlink()
    native = expected.with_columns(
        pl.col("fine_vnd").cast(pl.Int32),
        pl.col("violation_date").cast(pl.Datetime("us")),
        pl.col("licence_points").cast(pl.Float64),
    )
    native.write_parquet(data / "violations.parquet")
    assert_frame_equal(read_inputs(data).violations, expected)


def test_parquet_bad_values_are_located_by_record_number(data: Path) -> None:
    frame = pl.DataFrame(
        {"unit_id": ["U01", "U02"], "name": ["Sở", "Phòng"], "parent_id": [None, "U01"],
         "kind": [[1], [2]]}
    )
    (data / "units.csv").unlink()
    frame.write_parquet(data / "units.parquet")
    lines = issues_of(data)
    assert lines == [
        "units.parquet: kind: kiểu dữ liệu không đúng / wrong data type, cần / expected String "
        "('List(Int64)')"
    ]


def test_parquet_text_is_cleaned_in_chunked_files(data: Path) -> None:
    # Parquet keeps text as written: padded, decomposed (NFD) or empty cells must be cleaned
    # as in CSV, also in files read as several chunks and in columns that are mostly empty.
    expected = read_inputs(data).staff
    (data / "staff.csv").unlink()
    names = expected["full_name"].to_list()
    messy = expected.with_columns(
        pl.Series("full_name", [f" {n}\t" if i % 2 else unicodedata.normalize("NFD", n)
                                for i, n in enumerate(names)]),
        pl.Series("email", ["", "\u00a0", None, None, " x@y.vn "]),
        pl.Series("note", [None, None, None, None, unicodedata.normalize("NFD", "Ghi chú")]),
    )
    messy.write_parquet(data / "staff.parquet", row_group_size=2)
    staff = read_inputs(data).staff
    assert staff["full_name"].to_list() == names
    assert staff["email"].to_list() == [None, None, None, None, "x@y.vn"]
    assert staff["note"].to_list() == [None, None, None, None, "Ghi chú"]
    assert unicodedata.is_normalized("NFC", staff["note"][4])


def test_empty_text_is_no_value(data: Path) -> None:
    # an empty text cell ("" in Parquet, a quoted "" in CSV) is a missing value, not a value
    frame = pl.read_csv(BASE / "staff.csv", infer_schema=False)
    (data / "staff.csv").unlink()
    frame.with_columns(pl.Series("full_name", ["", *frame["full_name"][1:]])).write_parquet(
        data / "staff.parquet", row_group_size=2
    )
    rows = rows_of(data, "units")
    rows[1][1] = ""
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    (data / "units.csv").write_text(buf.getvalue(), encoding="utf-8")
    assert issues_of(data) == [
        "staff.parquet:1: full_name: thiếu giá trị bắt buộc / required value is missing",
        "units.csv:2: name: thiếu giá trị bắt buộc / required value is missing",
    ]


def test_parquet_errors_in_later_chunks_keep_their_record_numbers(data: Path) -> None:
    one = read_inputs(data).violations
    (data / "violations.csv").unlink()
    frame = pl.concat([one, one]).with_columns(
        pl.format("R{}", pl.int_range(pl.len())).alias("record_id"),
        pl.Series("fine_vnd", [1.0, 2.0, float("nan"), 4.0, float("inf"), 6.0]),
        pl.Series("category", ["alcohol", "speeding", " phone ", "speed", "other", "other"]),
    )
    frame.write_parquet(data / "violations.parquet", row_group_size=2)
    lines = issues_of(data)
    assert [line.split(": ")[:2] for line in lines] == [
        ["violations.parquet:3", "fine_vnd"],
        ["violations.parquet:4", "category"],
        ["violations.parquet:5", "fine_vnd"],
    ]
    assert lines[0].endswith("('NaN')") and lines[1].endswith("('speed')")


# ----------------------------------------------------------------------------- column names


VIETNAMESE = {
    "Mã cán bộ": "employee_id", "Họ và tên": "full_name", "Mã đơn vị": "unit_id",
    "Chức vụ": "position", "Loại cán bộ": "employment_type", "Ngày bắt đầu": "start_date",
    "Ngày kết thúc": "end_date",
}


def vietnamese_staff(folder: Path) -> None:
    rows = rows_of(folder, "staff")
    back = {v: k for k, v in VIETNAMESE.items()}
    rows[0] = [back.get(h, h) for h in rows[0]]
    write_csv(folder, "staff", rows)


def test_column_map_with_vietnamese_headers(data: Path) -> None:
    expected = read_inputs(data).staff
    vietnamese_staff(data)
    # the usual Vietnamese headers are built in: no mapping needed
    assert_frame_equal(read_inputs(data).staff, expected)
    # keys match whatever their case and spacing
    mapping = {f"  {k.upper()} ": v for k, v in VIETNAMESE.items()}
    assert_frame_equal(read_inputs(data, column_map=mapping).staff, expected)


def test_column_map_from_yaml_and_csv(data: Path, tmp_path: Path) -> None:
    expected = read_inputs(data).staff
    vietnamese_staff(data)
    yaml_file = tmp_path / "columns.yaml"
    yaml_file.write_text("# tiêu đề: cột\n" + "".join(f"{k}: {v}\n" for k, v in VIETNAMESE.items()), "utf-8")
    assert column_map_from_file(yaml_file) == VIETNAMESE
    csv_file = tmp_path / "columns.csv"
    csv_file.write_text("tiêu đề,cột\n" + "".join(f"{k},{v}\n" for k, v in VIETNAMESE.items()), "utf-8-sig")
    assert column_map_from_file(csv_file) == VIETNAMESE
    assert_frame_equal(read_inputs(data, column_map=column_map_from_file(csv_file)).staff, expected)


def test_column_map_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "columns.yaml"
    bad.write_text("Mã cán bộ: employe_id\nHọ và tên: full_name\n", "utf-8")
    with pytest.raises(InputDataError) as info:
        column_map_from_file(bad)
    assert [str(i) for i in info.value.issues] == [
        "columns.yaml:1: Mã cán bộ: tên cột lạ, có phải 'employee_id'? / unknown column, did "
        "you mean 'employee_id'? ('employe_id')"
    ]
    bad.write_text("Mã cán bộ: employee_id\n  - x: [\n", "utf-8")
    with pytest.raises(InputDataError) as info:
        column_map_from_file(bad)
    assert str(info.value.issues[0]).startswith("columns.yaml:2: YAML không hợp lệ / invalid YAML")
    bad.write_text("- employee_id\n", "utf-8")
    with pytest.raises(InputDataError):
        column_map_from_file(bad)


def test_duplicate_contract_column_is_an_issue(data: Path) -> None:
    rows = rows_of(data, "units")
    rows[0][3] = "Unit_ID"
    write_csv(data, "units", rows)
    assert issues_of(data) == [
        "units.csv:1: unit_id: cột xuất hiện nhiều lần (cột 1 và 4) / column appears more than "
        "once (columns 1 and 4)"
    ]


# ----------------------------------------------------------------------------- schemas, relations


def test_pandera_schemas_accept_what_the_readers_return(data: Path) -> None:
    frames = read_inputs(data)
    for name in TABLES:
        schema = table_schema(name, score_columns=["discipline"] if name == "assessments" else ())
        assert isinstance(schema, pa.DataFrameSchema)
        schema.validate(frames.table(name), lazy=True)
    bad = frames.violations.with_columns(licence_points=pl.lit(3, dtype=pl.Int64))
    with pytest.raises(pa.errors.SchemaErrors):
        table_schema("violations").validate(bad, lazy=True)


def test_long_unit_chain_is_not_a_cycle_but_two_loops_are_two_cycles(data: Path) -> None:
    rows = rows_of(data, "units")
    rows += [[f"C{i:04d}", f"Tổ {i}", f"C{i - 1:04d}" if i else "U02", "team"] for i in range(600)]
    write_csv(data, "units", rows)
    assert read_inputs(data).units.height == 602
    rows += [["A1", "A", "A2", ""], ["A2", "A", "A1", ""], ["B1", "B", "B1", ""],
             ["B2", "B", "B1", ""]]
    write_csv(data, "units", rows)
    assert issues_of(data) == [
        "units.csv:604: parent_id: các đơn vị tạo thành vòng lặp cấp trên / units form a cycle "
        "of parents ('A1 → A2 → A1')",
        "units.csv:606: parent_id: các đơn vị tạo thành vòng lặp cấp trên / units form a cycle "
        "of parents ('B1 → B1')",
    ]

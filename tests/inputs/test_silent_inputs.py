"""Every way an office's data once became a wrong rating without a word (issue 13 §1, issue 14
finding 6, issue 19 finding 7): each now stops with a located message or is read correctly.

Each test fails if its case becomes silent again: the run must either raise the located error
checked here, or give exactly the scores of the clean CSV sample.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from office_helpers import (
    SAMPLE_CRITERIA,
    copy_sample,
    sample_rows,
    scores_of,
    write_csv_rows,
    write_workbook,
)
from polars.testing import assert_frame_equal

from scoring.cli import main
from scoring.errors import InputDataError
from scoring.inputs.column_map import column_map_from_file
from scoring.inputs.readers import read_inputs


@pytest.fixture(scope="module")
def baseline() -> dict[str, object]:
    """The clean sample's scores for the two quarters the cases use."""
    from office_helpers import SAMPLE_DATA

    return {p: scores_of(SAMPLE_DATA, p) for p in ("2025-Q1", "2025-Q2")}


def _errors(data: Path, **options) -> list[str]:
    with pytest.raises(InputDataError) as info:
        scores_of(data, **options)
    return [str(i) for i in info.value.issues]


# ----------------------------------------------------------------------------- files


def test_leave_under_its_vietnamese_name_is_read(tmp_path: Path, baseline) -> None:
    data = copy_sample(tmp_path / "data")
    (data / "leave.csv").unlink()
    write_workbook(data / "Nghỉ phép.xlsx", {"Sheet1": sample_rows("leave")})
    scores = scores_of(data, "2025-Q2")
    assert_frame_equal(scores, baseline["2025-Q2"])
    # the person on maternity leave for the whole quarter is not rated
    person = scores.filter(employee_id="NV0121").row(0, named=True)
    assert person["status"] == "not_rated"


def test_a_table_under_another_name_stops_the_run(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    (data / "leave.csv").unlink()
    write_workbook(data / "Bảng phụ lục.xlsx", {"Sheet1": sample_rows("leave")})
    assert _errors(data, period="2025-Q2") == [
        "Bảng phụ lục.xlsx: có vẻ là bảng leave nhưng tên không phải tên bảng; hãy đổi tên thành "
        "leave (hoặc tên tiếng Việt của bảng) hoặc khai báo trong tệp nguồn dữ liệu / looks like "
        "the leave table but is not named after a table: rename it leave (or the table's "
        "Vietnamese name) or declare it in the data-source file"
    ]


def test_other_files_are_listed_as_ignored(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    (data / "ghi chú.txt").write_text("không phải bảng", "utf-8")
    write_csv_rows(data / "danh mục.csv", [["mã", "tên"], ["1", "một"]])
    inputs = read_inputs(data)
    assert [(f.path, f.reason.split(" / ")[1]) for f in inputs.ignored] == [
        ("danh mục.csv", "named after no table, and its header matches no table"),
        ("ghi chú.txt", "not a table file"),
    ]
    result = CliRunner().invoke(main, ["check-data", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "bỏ qua: ghi chú.txt: không phải tệp bảng" in result.stdout


# ----------------------------------------------------------------------------- columns


def _rename(data: Path, table: str, column: str, header: str) -> None:
    rows = sample_rows(table, data)
    rows[0][rows[0].index(column)] = header
    write_csv_rows(data / f"{table}.csv", rows)


def test_a_used_column_under_its_vietnamese_header_is_read(tmp_path: Path, baseline) -> None:
    data = copy_sample(tmp_path / "data")
    _rename(data, "violations", "licence_points", "Điểm GPLX bị trừ")
    assert_frame_equal(scores_of(data), baseline["2025-Q1"])


def test_a_used_column_under_an_unknown_header_stops_the_run(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    _rename(data, "violations", "licence_points", "GPLX bị trừ (điểm)")
    errors = _errors(data)
    assert len(errors) == 1
    assert errors[0].startswith(
        "violations.csv:1: licence_points: thiếu cột mà tiêu chí dùng (không có cột này mọi người "
        "sẽ bị tính như không có giá trị) / column used by the criteria is missing"
    )
    assert "cột có / columns found: record_id, employee_id, violation_date" in errors[0]
    assert errors[0].endswith("có phải 'GPLX bị trừ (điểm)'? / did you mean 'GPLX bị trừ (điểm)'?")
    # check-data --criteria says the same; without the criteria the column is not needed
    args = ["check-data", "--data", str(data)]
    result = CliRunner().invoke(main, [*args, "--criteria", str(SAMPLE_CRITERIA)])
    assert result.exit_code == 2 and errors[0] in result.stderr
    assert CliRunner().invoke(main, args).exit_code == 0


def test_staff_without_end_dates_stops_the_run(tmp_path: Path) -> None:
    """The engine reads the end of employment: a staff list without it would rate leavers."""
    data = copy_sample(tmp_path / "data")
    _rename(data, "staff", "end_date", "Ngày chuyển công tác")
    errors = _errors(data)
    assert errors[0].startswith("staff.csv:1: end_date: thiếu cột mà tiêu chí dùng")


# ----------------------------------------------------------------------------- where values


def test_a_where_value_no_row_holds_stops_the_run(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    text = (data / "training.csv").read_text("utf-8").replace(",traffic_safety,", ",An toàn giao thông,")
    (data / "training.csv").write_text(text, "utf-8")
    errors = _errors(data)
    assert len(errors) == 1
    assert errors[0].startswith(
        "training.csv: topic: chỉ số ts_training_hours của tiêu chí lọc theo giá trị "
        "'traffic_safety' nhưng không dòng nào có giá trị này; cột có: "
    )
    assert "'An toàn giao thông'" in errors[0] and "'professional'" in errors[0]
    # the criteria may say the value can be absent: then the run goes on
    criteria = tmp_path / "criteria.yaml"
    sheet = SAMPLE_CRITERIA.read_text("utf-8").replace(
        "    where: topic = 'traffic_safety' AND attendance = 'attended'\n",
        "    where: topic = 'traffic_safety' AND attendance = 'attended'\n"
        "    may_be_absent: [traffic_safety]\n",
    )
    criteria.write_text(sheet.replace("$schema=../scoring/", "$schema=../"), "utf-8")
    assert scores_of(data, criteria=criteria).height > 0


# ----------------------------------------------------------------------------- mapping file


def test_a_header_mapped_twice_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "columns.yaml"
    path.write_text("Mã CB: employee_id\nHọ và tên: full_name\nmã  cb: unit_id\n", "utf-8")
    with pytest.raises(InputDataError) as info:
        column_map_from_file(path)
    assert [str(i) for i in info.value.issues] == [
        "columns.yaml:3: mã  cb: tiêu đề đã có ở dòng 1; mỗi tiêu đề chỉ ánh xạ một lần / header "
        "already mapped on line 1; map each header once"
    ]


# ----------------------------------------------------------------------------- sheets and cells


def test_a_hidden_first_sheet_is_never_scored(tmp_path: Path, baseline) -> None:
    data = copy_sample(tmp_path / "data")
    (data / "staff.csv").unlink()
    rows = sample_rows("staff")
    old = [rows[0]] + [[*r[:3], "staff", *r[4:]] for r in rows[1:]]  # an old copy: no leaders
    write_workbook(data / "staff.xlsx", {"Cũ": old, "Danh sách": rows}, hidden=("Cũ",))
    assert_frame_equal(scores_of(data), baseline["2025-Q1"])


def test_two_visible_sheets_holding_the_table_are_refused(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    (data / "staff.csv").unlink()
    rows = sample_rows("staff")
    write_workbook(data / "staff.xlsx", {"Bản cũ": rows, "Bản mới": rows, "Cũ hơn": rows},
                   hidden=("Cũ hơn",))
    assert _errors(data) == [
        "staff.xlsx: không rõ đọc trang tính nào cho bảng staff: Bản cũ, Bản mới; hãy chọn bằng "
        "--sheet hoặc tệp nguồn dữ liệu / which sheet holds staff is ambiguous: Bản cũ, Bản mới; "
        "choose one with --sheet or the data-source file; trang ẩn (không đọc) / hidden sheets "
        "(not read): Cũ hơn"
    ]
    assert scores_of(data, sheet="Bản mới").height > 0


def test_formula_cells_without_saved_values_are_named(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    (data / "violations.csv").unlink()
    rows = sample_rows("violations")
    col = rows[0].index("licence_points")
    rows[2][col] = "=2*2"  # optional column: would silently be "no points"
    rows[3][rows[0].index("employee_id")] = '="NV"&"0001"'  # required column
    write_workbook(data / "violations.xlsx", {"Sheet1": rows})
    message = ("ô là công thức chưa có giá trị đã lưu; hãy mở tệp bằng Excel hoặc LibreOffice và "
               "lưu lại / the cell is a formula with no saved value; open the file in Excel or "
               "LibreOffice and save it again")
    assert _errors(data) == [f"violations.xlsx:3: licence_points: {message}",
                             f"violations.xlsx:4: employee_id: {message}"]


def test_invisible_characters_in_ids_are_errors(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    text = (data / "violations.csv").read_text("utf-8").replace("NV0026", "NV0026\u200b", 1)
    text = text.replace("NV0043", "NV\u202e0043", 1)
    (data / "violations.csv").write_text(text, "utf-8")
    errors = _errors(data)
    invisible = ("ô có ký tự ẩn (khoảng trắng độ rộng 0, dấu định hướng chữ…); hãy xoá ký tự đó / "
                 "the cell holds an invisible character (zero-width space, direction mark…); "
                 "delete it")
    assert f"violations.csv:2: employee_id: {invisible} ('NV0026\\u200b')" in errors
    assert f"violations.csv:3: employee_id: {invisible} ('NV\\u202e0043')" in errors

"""The data-source file (issue 13 §3): per table the file, sheet, header row(s), column mapping
and value words; checked like a criteria file, with located errors and "did you mean" hints."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from office_helpers import SAMPLE_DATA, copy_sample, sample_rows, scores_of, write_csv_rows, write_workbook
from polars.testing import assert_frame_equal

from scoring.errors import InputDataError
from scoring.inputs.data_source import (
    data_source_schema_text,
    load_data_source,
    packaged_data_source_schema_text,
)
from scoring.inputs.readers import read_inputs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample_scores():
    return scores_of(SAMPLE_DATA)


def _source(tmp_path: Path, text: str, name: str = "nguon-du-lieu.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(text: str, tmp_path: Path) -> list[tuple[str, str]]:
    with pytest.raises(InputDataError) as info:
        load_data_source(_source(tmp_path, text))
    return [(str(i), i.code) for i in info.value.issues]


def _renamed_department(data: Path) -> None:
    """The sample as an office might keep it: its own file names, a staff workbook with two
    visible sheets, a title row and its own header and words, an assessments header on two rows."""
    for table, name in (("units", "dv.csv"), ("violations", "vp 2025.csv"), ("training", "tt.csv")):
        (data / f"{table}.csv").rename(data / name)
    (data / "staff.csv").unlink()
    rows = sample_rows("staff")
    rows[0] = ["Số hiệu", *rows[0][1:]]
    j = rows[0].index("position")
    body = [[*r[:j], "Trưởng khoa" if r[j] == "head" else r[j], *r[j + 1:]] for r in rows[1:]]
    write_workbook(data / "Nhân lực.xlsx", {"Ghi chú": [["Bảng do phòng TCHC lập"]],
                                            "DS": [["DANH SÁCH"], rows[0], *body]})
    (data / "assessments.csv").unlink()
    rows = sample_rows("assessments")
    top = ["", "", *["Điểm" for _ in rows[0][2:]]]
    write_csv_rows(data / "diem.csv", [["BẢNG ĐIỂM"], top, rows[0], *rows[1:]])


DEPARTMENT = """\
# yaml-language-server: $schema=../scoring/data-source.schema.json
tables:
  units: {file: dv.csv}
  staff:
    file: Nhân lực.xlsx
    sheet: DS
    header_row: 2
    columns: {Số hiệu: employee_id}
    values:
      position: {Trưởng khoa: head}
  assessments: {file: diem.csv, header_row: 3, header_rows: 2}
  violations: {file: vp 2025.csv}
  training: {file: tt.csv}
"""


def test_a_department_laid_out_its_own_way_scores_like_the_sample(tmp_path: Path, sample_scores) -> None:
    data = copy_sample(tmp_path / "data")
    _renamed_department(data)
    with pytest.raises(InputDataError):  # without the data-source file the files are not tables
        scores_of(data)
    source = _source(tmp_path, DEPARTMENT)
    assert_frame_equal(scores_of(data, data_source=source), sample_scores)


def test_the_declared_word_is_what_makes_the_difference(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    _renamed_department(data)
    source = _source(tmp_path, DEPARTMENT.replace("      position: {Trưởng khoa: head}\n", ""))
    with pytest.raises(InputDataError) as info:
        scores_of(data, data_source=source)
    assert {(i.file, i.where) for i in info.value.issues} == {("Nhân lực.xlsx › DS", "position")}
    assert "'Trưởng khoa'" in str(info.value.issues[0])


def test_another_file_named_after_a_declared_table_is_listed_as_ignored(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    (data / "leave.csv").rename(data / "nghi.csv")
    write_csv_rows(data / "leave.csv", [["employee_id", "start_date", "end_date", "kind"]])
    source = load_data_source(_source(tmp_path, "tables:\n  leave: {file: nghi.csv}\n"))
    inputs = read_inputs(data, data_source=source)
    assert inputs.leave.height == len(sample_rows("leave")) - 1
    assert [(f.path, "nghi.csv" in f.reason) for f in inputs.ignored] == [("leave.csv", True)]


def test_one_workbook_with_sheets_of_any_name(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "Dữ liệu.xlsx", {f"Bảng {i}": sample_rows(t)
                                                     for i, t in enumerate(("units", "staff"))}
                          | {t: sample_rows(t) for t in ("assessments", "violations", "training",
                                                          "discipline", "leave")})
    with pytest.raises(InputDataError):
        read_inputs(book)
    source = load_data_source(_source(tmp_path, "tables:\n  units: {sheet: Bảng 0}\n"
                                                "  staff: {sheet: Bảng 1}\n"))
    inputs = read_inputs(book, data_source=source)
    assert (inputs.units.height, inputs.staff.height) == (len(sample_rows("units")) - 1,
                                                          len(sample_rows("staff")) - 1)


def test_a_file_or_sheet_that_is_not_there_is_located_in_the_data_source_file(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    write_workbook(data / "Nhân lực.xlsx", {"DS": sample_rows("staff"), "Cũ": [["x"]]}, hidden=("Cũ",))
    (data / "staff.csv").unlink()
    source = load_data_source(_source(tmp_path, "tables:\n  units: {file: unit.csv}\n"
                                                "  staff:\n    file: Nhân lực.xlsx\n    sheet: Cũ\n"))
    with pytest.raises(InputDataError) as info:
        read_inputs(data, data_source=source)
    lines = [(str(i), i.code) for i in info.value.issues]
    assert lines[0][0].startswith("nguon-du-lieu.yaml:2: tables.units.file: không có tệp này trong "
                                  "thư mục dữ liệu / no such file in the data folder; có phải "
                                  "'units.csv'? / did you mean 'units.csv'?")
    assert lines[1] == ("nguon-du-lieu.yaml:5: tables.staff.sheet: trang tính bị ẩn trong Nhân lực.xlsx; "
                        "các trang hiện có: DS / the sheet is hidden in Nhân lực.xlsx; visible "
                        "sheets: DS ('Cũ')", "D604")
    assert len(lines) == 2  # no "units missing" on top


@pytest.mark.parametrize(("text", "expected"), [
    ("tables:\n  staff:\n    fille: a.xlsx\n",
     ("nguon-du-lieu.yaml:3: tables.staff.fille: khoá lạ / unknown key; có phải 'file'? / did you "
      "mean 'file'?; cho phép / allowed: columns, file, header_row, header_rows, sheet, values", "D602")),
    ("tables:\n  stafff: {file: a.xlsx}\n",
     ("nguon-du-lieu.yaml:2: tables.stafff: bảng lạ / unknown table; có phải 'staff'? / did you "
      "mean 'staff'?; cho phép / allowed: assessments, discipline, leave, staff, training, units, "
      "violations", "D602")),
    ("tables:\n  staff:\n    columns:\n      Số hiệu: employe_id\n",
     ("nguon-du-lieu.yaml:4: tables.staff.columns.Số hiệu: cột lạ của bảng staff / unknown column "
      "of staff; có phải 'employee_id'? / did you mean 'employee_id'?; cột / columns: employee_id, "
      "full_name, unit_id, position, employment_type, duty_group, start_date, end_date, email "
      "('employe_id')", "D603")),
    ("tables:\n  leave:\n    values:\n      kind: {Nghỉ sinh: maternty}\n",
     ("nguon-du-lieu.yaml:4: tables.leave.values.kind.Nghỉ sinh: mã không được phép, dùng một trong / "
      "code not allowed, use one of: maternity (Thai sản), sick (Ốm đau), unpaid (Không lương), "
      "other (Khác); có phải 'maternity'? / did you mean 'maternity'? ('maternty')", "D603")),
    ("tables:\n  staff: {header_row: 0}\n",
     ("nguon-du-lieu.yaml:2: tables.staff.header_row: phải ≥ 1 / must be at least 1 (0)", "D603")),
    ("tables:\n  staff: {file: a.xlsx}\n  staff: {file: b.xlsx}\n",
     ("nguon-du-lieu.yaml:3: tables.staff: khoá đã có ở dòng 2 / key already given on line 2", "D605")),
    ("tables: [staff\n",
     ("nguon-du-lieu.yaml:2: YAML không hợp lệ / invalid YAML: expected ',' or ']', but got "
      "'<stream end>'", "D601")),
    ("columns:\n  GPLX: licence_point\n",
     ("nguon-du-lieu.yaml:2: columns.GPLX: cột lạ / unknown column; có phải 'licence_points'? / did "
      "you mean 'licence_points'? ('licence_point')", "D603")),
])
def test_problems_are_located_with_a_hint(tmp_path: Path, text: str, expected: tuple[str, str]) -> None:
    assert _problems(text, tmp_path)[0] == expected


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    found = _problems("tables:\n  staff: {fille: a}\n  units: {header_row: x}\n", tmp_path)
    assert [code for _, code in found] == ["D603", "D602"] or [code for _, code in found] == ["D602", "D603"]


def test_the_packaged_schema_is_the_model_and_accepts_the_documented_example(tmp_path: Path) -> None:
    assert packaged_data_source_schema_text() == data_source_schema_text(), \
        "run: scoring schema --data-source > scoring/data-source.schema.json"
    schema = json.loads(data_source_schema_text())
    jsonschema.validate(yaml.safe_load(DEPARTMENT), schema)
    example = ROOT / "docs" / "examples" / "nguon-du-lieu.yaml"
    jsonschema.validate(yaml.safe_load(example.read_text("utf-8")), schema)
    load_data_source(example)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"tables": {"staff": {"fille": "a"}}}, schema)


def test_the_command_line_takes_one_workbook_as_the_data(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from scoring.cli import main

    case = ROOT / "tests" / "cases" / "office_workbooks" / "one_workbook"
    book = next(case.glob("*.xlsx"))
    result = CliRunner().invoke(main, ["check-data", "--data", str(book), "--columns",
                                       str(case / "columns.yaml")])
    assert result.exit_code == 0, result.output
    assert f"staff: {book.name} › Danh sách cán bộ: 130" in result.output

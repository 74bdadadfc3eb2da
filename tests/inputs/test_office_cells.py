"""Office workbooks read as they are (issue 13 §2): Vietnamese words for coded values, text
dates, decimal commas, dot thousands, period labels, units by name, table furniture, two-level
headers, one workbook holding every table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from office_helpers import SAMPLE_DATA, copy_sample, sample_rows, scores_of, write_csv_rows, write_workbook
from polars.testing import assert_frame_equal

from scoring.errors import InputDataError
from scoring.inputs.cells import recode
from scoring.inputs.contract import TABLES
from scoring.inputs.readers import read_inputs
from scoring.inputs.vocabulary import VALUE_WORDS, table_of_name, value_lookup

BASE = Path(__file__).parents[1] / "cases" / "bad_inputs" / "valid_base"
CODED = {c.name: c.allowed for t in TABLES.values() for c in t.columns
         if c.allowed and c.dtype == pl.String}
WORDS = [(column, code, word) for column, codes in VALUE_WORDS.items()
         for code, words in codes.items() for word in words]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for p in BASE.glob("*.csv"):
        (folder / p.name).write_bytes(p.read_bytes())
    return folder


def _set(folder: Path, table: str, row: int, column: str, value: str) -> None:
    rows = sample_rows(table, folder)
    rows[row][rows[0].index(column)] = value
    write_csv_rows(folder / f"{table}.csv", rows)


def _errors(folder: Path, **kwargs) -> list[str]:
    with pytest.raises(InputDataError) as info:
        read_inputs(folder, **kwargs)
    return [str(i) for i in info.value.issues]


# ----------------------------------------------------------------------------- coded values


def test_every_code_has_words_and_every_word_a_code() -> None:
    for column, allowed in CODED.items():
        assert set(VALUE_WORDS[column]) == set(allowed), column


@pytest.mark.parametrize(("column", "code", "word"), WORDS)
def test_every_word_reads_as_its_code_whatever_the_case_and_spacing(column, code, word) -> None:
    odd = "  " + word.upper().replace(" ", "   ") + " "
    frame = pl.DataFrame({column: [word, odd, code]})
    out = recode(frame, {column: value_lookup(column, CODED[column])}, CODED)
    assert out[column].to_list() == [code, code, code]


def test_words_in_a_file_are_read_and_a_different_word_is_refused(data: Path) -> None:
    expected = read_inputs(data).staff
    _set(data, "staff", 1, "position", "Giám   đốc")
    _set(data, "staff", 2, "employment_type", "công chức")
    assert_frame_equal(read_inputs(data).staff, expected)
    _set(data, "staff", 3, "position", "Giám đốc Sở Tư pháp")
    assert _errors(data) == [
        "staff.csv:4: position: giá trị không được phép, dùng một trong / value not allowed, use "
        "one of: director (Giám đốc), deputy_director (Phó Giám đốc), head (Chánh Văn phòng), "
        "deputy_head (Phó Chánh Văn phòng), staff (Chuyên viên) ('Giám đốc Sở Tư pháp')"
    ]


# ----------------------------------------------------------------------------- numbers, dates, periods


def test_office_forms_of_dates_and_numbers(data: Path) -> None:
    _set(data, "violations", 1, "fine_vnd", "2.500.000 đ")
    _set(data, "violations", 2, "fine_vnd", "800.000")
    _set(data, "violations", 1, "violation_date", "5/2/2025")
    _set(data, "training", 1, "hours", "1,5")
    _set(data, "training", 1, "session_date", "10/02/2025")
    frames = read_inputs(data)
    assert frames.violations["fine_vnd"][:2].to_list() == [2_500_000, 800_000]
    assert frames.violations["violation_date"][0] == date(2025, 2, 5)
    assert frames.training["hours"][0] == 1.5
    assert frames.training["session_date"][0] == date(2025, 2, 10)


@pytest.mark.parametrize("written", ["Quý I/2025", "quý 1/2025", "Q1/2025", "Q1-2025", "Quý I năm 2025"])
def test_periods_as_written_in_documents(data: Path, written: str) -> None:
    _set(data, "assessments", 1, "period", written)
    assert read_inputs(data).assessments["period"][0] == "2025-Q1"


def test_assessments_without_a_period_column_take_the_run_period(data: Path) -> None:
    rows = sample_rows("assessments", data)
    write_csv_rows(data / "assessments.csv", [r[:1] + r[2:] for r in rows])
    assert "period" in _errors(data)[0]
    assert read_inputs(data, period="2025-Q1").assessments["period"].unique().to_list() == ["2025-Q1"]


# ----------------------------------------------------------------------------- units


def test_units_by_name(data: Path) -> None:
    expected = read_inputs(data).staff
    rows = sample_rows("staff", data)
    names = dict((r[0], r[1]) for r in sample_rows("units", data)[1:])
    for r in rows[1:]:
        r[2] = names[r[2]].upper()
    write_csv_rows(data / "staff.csv", rows)
    assert_frame_equal(read_inputs(data).staff, expected)


def test_an_ambiguous_unit_name_is_an_error_naming_both_ids(data: Path) -> None:
    units = sample_rows("units", data)
    units.append(["U03", units[2][1], "U01", "office"])
    write_csv_rows(data / "units.csv", units)
    _set(data, "staff", 3, "unit_id", units[2][1])
    errors = _errors(data)
    assert errors[0] == (f"staff.csv:4: unit_id: tên đơn vị trùng ở nhiều đơn vị (U02, U03); hãy dùng "
                         f"mã đơn vị / unit name borne by several units (U02, U03); use the unit id "
                         f"('{units[2][1]}')")


def test_ids_that_lost_their_leading_zeros_get_a_hint(data: Path) -> None:
    for table in ("units", "staff"):
        path = data / f"{table}.csv"
        path.write_text(path.read_text("utf-8").replace("U02", "0026"), "utf-8")
    _set(data, "staff", 3, "unit_id", "26")
    assert _errors(data) == [
        "staff.csv:4: unit_id: đơn vị không có trong danh sách đơn vị (units) / unit not found in "
        "units; có phải '0026' (Excel bỏ số 0 ở đầu; hãy định dạng cột là Văn bản)? / did you mean "
        "'0026' (Excel drops leading zeros; format the column as Text)? ('26')"
    ]


# ----------------------------------------------------------------------------- furniture


def _with_furniture(rows: list[list[str]]) -> list[list[str]]:
    width = len(rows[0])
    return (
        [["SỞ KHOA HỌC VÀ CÔNG NGHỆ"], ["DANH SÁCH"], [], rows[0],
         [f"({i + 1})" for i in range(width)], *rows[1:3], [], *rows[3:],
         ["Tổng cộng", "", "", "", "", "", "", "", ""], [],
         ["", "", "", "Người lập biểu", "", "Thủ trưởng đơn vị"],
         ["", "", "", "(Ký, ghi rõ họ tên)"]]
    )


def test_furniture_around_a_table_is_not_data(data: Path) -> None:
    expected = read_inputs(data).staff
    rows = _with_furniture(sample_rows("staff", data))
    (data / "staff.csv").unlink()
    write_workbook(data / "Danh sách cán bộ.xlsx", {"Sheet1": rows})
    assert_frame_equal(read_inputs(data).staff, expected)


def test_a_person_below_the_signature_block_is_never_dropped(data: Path) -> None:
    rows = _with_furniture(sample_rows("staff", data))
    person = rows.pop(9)  # the last person moves below the signature block
    rows.append(person)
    (data / "staff.csv").unlink()
    write_workbook(data / "staff.xlsx", {"Sheet1": rows})
    # the signature block is then inside the table: its rows are reported, the person kept
    errors = _errors(data)
    assert {e.split(":")[1] for e in errors} == {"13", "14"}


def test_two_level_headers(data: Path) -> None:
    expected = read_inputs(data).assessments
    rows = sample_rows("assessments", data)
    top = ["Mã cán bộ", "Kỳ đánh giá", "Điểm theo tiêu chí", *[""] * (len(rows[0]) - 3)]
    sub = ["", "", *rows[0][2:]]
    (data / "assessments.csv").unlink()
    write_workbook(data / "Kết quả đánh giá quý I.xlsx", {"Sheet1": [top, sub, *rows[1:]]})
    assert_frame_equal(read_inputs(data).assessments, expected)


# ----------------------------------------------------------------------------- one workbook


@pytest.mark.parametrize(("name", "table"), [
    ("Danh sách cán bộ", "staff"), ("Vi phạm giao thông", "violations"),
    ("Kết quả đánh giá quý I", "assessments"), ("Kết quả đánh giá Q1-2025", "assessments"),
    ("nghỉ_phép", "leave"), ("Tuyên truyền ATGT 2025", "training"), ("Ghi chú", None),
    ("Nghỉ hưu", None),
])
def test_table_names(name: str, table: str | None) -> None:
    assert table_of_name(name) == table


SHEETS = {"units": "Đơn vị", "staff": "Danh sách cán bộ", "assessments": "Kết quả đánh giá quý I",
          "violations": "Vi phạm giao thông", "training": "Tuyên truyền", "discipline": "Kỷ luật",
          "leave": "Nghỉ phép"}


def test_one_workbook_with_every_table_scores_like_the_csv_sample(tmp_path: Path) -> None:
    book = tmp_path / "Dữ liệu quý I.xlsx"
    sheets = {"Hướng dẫn": [["Bảng dữ liệu của Sở"]]}
    sheets |= {SHEETS[t]: sample_rows(t) for t in SHEETS}
    write_workbook(book, sheets)
    expected = scores_of(SAMPLE_DATA)
    assert_frame_equal(scores_of(book), expected)  # --data names the workbook itself
    folder = copy_sample(tmp_path / "data")
    for table in SHEETS:
        (folder / f"{table}.csv").unlink()
    book.rename(folder / book.name)
    inputs = read_inputs(folder)
    assert [(s.table, s.sheet) for s in inputs.sources] == [(t, SHEETS[t]) for t in SHEETS]
    assert [f.path for f in inputs.ignored] == ["Dữ liệu quý I.xlsx"]  # its instruction sheet
    assert_frame_equal(scores_of(folder), expected)


def test_docs_list_every_allowed_value_with_its_words() -> None:
    from scoring.inputs.vocabulary import HEADER_WORDS, TABLE_WORDS

    docs = (Path(__file__).parents[2] / "docs" / "inputs.md").read_text("utf-8")
    for column, codes in VALUE_WORDS.items():
        for code, words in codes.items():
            assert f"| `{code}` | " + "; ".join(words) + " |" in docs, (column, code)
    for table, words in TABLE_WORDS.items():
        assert f"| `{table}` | " + "; ".join(words) + " |" in docs
    for table, columns in HEADER_WORDS.items():
        for column, words in columns.items():
            assert "; ".join(words) in docs, (table, column)
    for t in TABLES.values():  # the allowed numbers too (licence points, alcohol levels)
        for c in t.columns:
            if c.allowed and c.dtype != pl.String:
                assert ", ".join(map(str, c.allowed)) in docs, c.name
    assert "../" not in docs  # only files inside the repository

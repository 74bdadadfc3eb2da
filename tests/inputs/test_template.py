"""``scoring template`` (issue 13 §4): blank workbooks that, once filled, read back with no
mapping at all and score exactly like the CSV sample."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from office_helpers import (
    SAMPLE_CRITERIA,
    SAMPLE_DATA,
    convert_with_libreoffice,
    office_value,
    sample_rows,
    scores_of,
)
from polars.testing import assert_frame_equal

from scoring.cli import main
from scoring.inputs.contract import TABLES
from scoring.inputs.template import TEMPLATE_FILES
from scoring.inputs.vocabulary import VALUE_WORDS, table_of_name


@pytest.fixture(scope="module")
def sample_scores():
    return scores_of(SAMPLE_DATA)


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("templates") / "mau"
    result = CliRunner().invoke(main, ["template", "--out", str(out), "--criteria", str(SAMPLE_CRITERIA),
                                       "--period", "2025-Q1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def _fill(templates: Path, target: Path) -> Path:
    """Each template filled with the sample's records as an office types them (Vietnamese words,
    date cells, decimal commas), from row 3 under the header, and saved."""
    target.mkdir(parents=True, exist_ok=True)
    for table, name in TEMPLATE_FILES.items():
        book = openpyxl.load_workbook(templates / f"{name}.xlsx")
        sheet = book[name]
        headers = [c.value for c in sheet[2]]
        rows = sample_rows(table)
        names = list(TABLES[table].column_names) + headers[len(TABLES[table].columns):]
        for i, record in enumerate(rows[1:]):
            values = dict(zip(rows[0], record, strict=True))
            for j, column in enumerate(names):
                cell = office_value(table, column, values.get(column, ""), date_cells=True)
                sheet.cell(row=3 + i, column=1 + j, value=None if cell == "" else cell)
        book.save(target / f"{name}.xlsx")
    return target


def test_a_filled_template_reads_back_with_no_mapping(templates: Path, tmp_path: Path, sample_scores) -> None:
    data = _fill(templates, tmp_path / "filled")
    assert_frame_equal(scores_of(data), sample_scores)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by .ci/install")
def test_a_filled_template_saved_by_libreoffice_reads_back(templates: Path, tmp_path: Path,
                                                          sample_scores) -> None:
    filled = _fill(templates, tmp_path / "filled")
    saved = tmp_path / "saved"
    saved.mkdir()
    convert_with_libreoffice(sorted(filled.glob("*.xlsx")), saved)
    assert_frame_equal(scores_of(saved), sample_scores)


def test_the_template_lays_out_what_hr_needs(templates: Path) -> None:
    assert sorted(p.name for p in templates.iterdir()) == sorted(f"{n}.xlsx" for n in TEMPLATE_FILES.values())
    for table, name in TEMPLATE_FILES.items():
        assert table_of_name(name) == table
    book = openpyxl.load_workbook(templates / "Danh sách cán bộ.xlsx")
    assert book.sheetnames == ["Danh sách cán bộ", "Hướng dẫn", "Danh mục"]
    assert book["Danh mục"].sheet_state == "hidden"
    sheet = book["Danh sách cán bộ"]
    assert [c.value for c in sheet[2]][:5] == ["Mã cán bộ", "Họ và tên", "Mã đơn vị", "Chức vụ",
                                               "Loại cán bộ"]
    # a dropdown of every Vietnamese word of the positions, fed by the hidden list sheet
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    position = rules["D3:D2002"]
    assert position.type == "list" and position.formula1.startswith("'Danh mục'!$")
    words = [c.value for c in book["Danh mục"]["A"][1:] if c.value]
    assert words == [w for ws in VALUE_WORDS["position"].values() for w in ws]
    assert rules["G3:G2002"].type == "date"
    assert sheet.column_dimensions["G"].number_format == "dd/mm/yyyy"  # start_date
    assert sheet.column_dimensions["A"].number_format == "@"  # ids stay text: no lost leading zeros
    # the example row is on the instruction sheet, never in the table
    assert sheet.max_row <= 2 or all(c.value is None for c in sheet[3])
    guide = [[c.value for c in r] for r in book["Hướng dẫn"].iter_rows()]
    assert ["Mã cán bộ", "Họ và tên"] == guide[-2][:2] and guide[-1][0] == "NV0001"


def test_the_assessments_template_has_the_criteria_columns(templates: Path) -> None:
    book = openpyxl.load_workbook(templates / "Kết quả đánh giá.xlsx")
    sheet = book["Kết quả đánh giá"]
    headers = [c.value for c in sheet[2]]
    assert headers == ["Mã cán bộ", "Kỳ đánh giá", "politics_ethics", "culture_attitude", "discipline",
                       "task_quantity", "task_quality", "task_timeliness"]
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert (rules["C3:C2002"].type, float(rules["C3:C2002"].formula2)) == ("decimal", 8)
    guide = [[c.value for c in r] for r in book["Hướng dẫn"].iter_rows()]
    assert guide[-1][:3] == ["NV0001", "Quý I/2025", 8]
    assert sheet["C2"].comment is not None and "Chính trị" in sheet["C2"].comment.text


def test_existing_workbooks_are_not_replaced_without_force(templates: Path) -> None:
    result = CliRunner().invoke(main, ["template", "--out", str(templates)])
    assert result.exit_code == 2 and "--force" in result.output and "[R201]" in result.output

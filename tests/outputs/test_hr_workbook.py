"""The run's scores.xlsx as HR opens and prints it: sheet names, headers in Vietnamese (English
with --lang en), the id first, number formats, print settings; printed by LibreOffice Calc on a
few landscape pages with names and ratings on the same page."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from scoring.outputs import tables
from scoring.run import RunOptions, run_scoring

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DATA = ROOT / "sample_data"
CRITERIA = ROOT / "criteria" / "skhcn-quy-2025.yaml"
SHEETS = {"vi": ["Kết quả xếp loại", "Giải trình", "Đơn vị"],
          "en": ["Ratings", "Explanations", "Units"]}


def _run(out: Path, lang: str = "vi", **options) -> Path:
    opts = RunOptions(criteria_path=CRITERIA, data_dir=SAMPLE_DATA, period="2025-Q1", out=out,
                      run_date=date(2025, 4, 5), reports=False, lang=lang, **options)
    return run_scoring(opts, lambda _name: contextlib.nullcontext()).out


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("hr")
    return {lang: _run(base / lang, lang) for lang in ("vi", "en")}


def test_sheets_headers_and_words_in_vietnamese(runs):
    wb = openpyxl.load_workbook(runs["vi"] / "scores.xlsx")
    assert wb.sheetnames == SHEETS["vi"]
    ws = wb["Kết quả xếp loại"]
    assert [ws.cell(1, j).value for j in range(1, 6)] == \
        ["Mã cán bộ", "Họ và tên", "Đơn vị", "Chức vụ", "Loại cán bộ"]
    assert ws["F1"].value == "Tiêu chí chung (tối đa 30)"
    assert ws["F2"].value == "Chính trị, tư tưởng, đạo đức, lối sống (tối đa 8)"
    scores = pl.read_parquet(runs["vi"] / "scores.parquet")
    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == set(scores["employee_id"])  # one row a person, the id first
    heads = dict(zip([c.value for c in ws[1]], range(ws.max_column), strict=True))
    rating = heads["Xếp loại"]
    first = scores.row(0, named=True)
    row = rows[first["employee_id"]]
    assert row[1] == first["full_name"] and row[2] == first["unit_name"]
    assert row[3] == "Trưởng phòng" and row[4] == "Công chức"  # head / civil_servant in words
    assert {r[rating] for r in rows.values()} <= {
        "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ", "Không xếp loại"}
    not_rated = scores.filter(pl.col("status") == "not_rated")["employee_id"][0]
    assert rows[not_rated][rating] == "Không xếp loại"
    assert "45 ngày" in rows[not_rated][rating + 1]  # the reason in the notes column
    # the machine-readable tables keep their English names and codes
    assert scores.columns[:3] == ["employee_id", "full_name", "unit_id"]
    assert set(scores["rating"].drop_nulls()) <= {"HTXS", "HTT", "HT", "KHT"}


def test_english_with_lang_en(runs):
    wb = openpyxl.load_workbook(runs["en"] / "scores.xlsx")
    assert wb.sheetnames == SHEETS["en"]
    ws = wb["Ratings"]
    assert [ws.cell(1, j).value for j in range(1, 5)] == ["Employee ID", "Full name", "Unit", "Position"]
    assert ws["F2"].value == "Political quality, ethics and lifestyle (max 8)"
    values = {c.value for row in ws.iter_rows(min_row=3) for c in row}
    assert {"Excellent", "Good", "Civil servant"} <= values
    assert "Q1 2025" in ws.oddHeader.right.text and "Page" in ws.oddFooter.center.text


def test_number_formats_and_print_settings(runs):
    wb = openpyxl.load_workbook(runs["vi"] / "scores.xlsx")
    ws = wb["Kết quả xếp loại"]
    heads = {c.value: openpyxl.utils.get_column_letter(j + 1) for j, c in enumerate(ws[1])}
    assert ws["F3"].number_format == "0.0"  # the criteria give half points
    assert ws[f"{heads['Tổng điểm']}3"].number_format in ("0.0", "0.0#")
    units = wb["Đơn vị"]
    reach = next(openpyxl.utils.get_column_letter(j + 1) for j, c in enumerate(units[1])
                 if c.value == "Tỷ lệ tham dự tuyên truyền")
    assert units[f"{reach}3"].number_format == "0.0%"
    assert isinstance(units[f"{reach}3"].value, float) and units[f"{reach}3"].value <= 1
    for sheet in wb.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows.startswith("$1:")
        assert sheet.freeze_panes is not None
        assert "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi" in sheet.oddHeader.left.text
        assert "Quý I/2025" in sheet.oddHeader.right.text
        assert "&P" in sheet.oddFooter.center.text


def test_agency_lines_go_to_the_page_header(tmp_path):
    out = _run(tmp_path / "run", agency="UBND TỈNH QUẢNG NGÃI\nSỞ KHOA HỌC & CÔNG NGHỆ")
    ws = openpyxl.load_workbook(out / "scores.xlsx").worksheets[0]
    assert "UBND TỈNH QUẢNG NGÃI" in ws.oddHeader.left.text
    assert "SỞ KHOA HỌC && CÔNG NGHỆ" in ws.oddHeader.left.text  # & is Excel's code character


def test_same_inputs_same_workbook_bytes(runs, tmp_path):
    again = _run(tmp_path / "again")
    assert (again / "scores.xlsx").read_bytes() == (runs["vi"] / "scores.xlsx").read_bytes()


def test_too_many_rows_leave_a_sheet_out_with_a_note(tmp_path, monkeypatch):
    monkeypatch.setitem(tables.EXCEL_SHEET_LIMITS, "scores", 100)
    out = _run(tmp_path / "run")
    wb = openpyxl.load_workbook(out / "scores.xlsx")
    assert wb.sheetnames == ["Giải trình", "Đơn vị", "Ghi chú"]
    note = wb["Ghi chú"]["A2"].value
    assert note.startswith("scores: ")
    assert "128 rows, too many for Excel: left out of the workbook, see scores.csv" in note


def _printed(book: Path, out: Path) -> Path:
    """``book`` printed to PDF by LibreOffice Calc."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(book)],
                   check=True, capture_output=True, timeout=300)
    return out / f"{book.stem}.pdf"


_needs_office = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                   reason="LibreOffice and poppler are installed by .ci/install test")


@_needs_office
def test_libreoffice_prints_the_sample_on_a_few_landscape_pages(runs, tmp_path):
    pdf = _printed(runs["vi"] / "scores.xlsx", tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 3 <= pages <= 12, pages  # 128 people, their explanations and 11 units
    size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
    assert float(size[2]) > float(size[4])  # landscape
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout
    scores = pl.read_parquet(runs["vi"] / "scores.parquet")
    assert scores["full_name"][0] in first  # names and ratings on the same page
    assert "Hoàn thành tốt nhiệm vụ" in first or "Hoàn thành xuất sắc nhiệm vụ" in first
    assert "Mã cán bộ" in first and "Quý I/2025" in first
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=120)
    assert list(tmp_path.glob("page*.png"))


@_needs_office
def test_english_headers_are_not_broken_mid_word(runs, tmp_path):
    """Long English words ("Compliance", "Subtotal") get a column wide enough for them: the
    printed headers hold every word whole, as LibreOffice wraps them."""
    pdf = _printed(runs["en"] / "scores.xlsx", tmp_path)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    words = {w.strip("(),") for w in text.split()}
    ws = openpyxl.load_workbook(runs["en"] / "scores.xlsx")["Ratings"]
    headers = [c.value for c in ws[2] if c.value]
    long_words = {w.strip("(),") for h in headers for w in h.split() if len(w.strip("(),")) >= 7}
    assert len(long_words) >= 5, long_words
    assert long_words <= words, sorted(long_words - words)

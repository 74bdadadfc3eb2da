"""The printable workbook writer: cells, formats and print settings as openpyxl reads them,
and LibreOffice Calc printing it to PDF on landscape pages one sheet wide."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from scoring.outputs.workbook import Column, Sheet, write_workbook

CREATED = datetime(2025, 4, 5)


def _sheet(rows: int = 3) -> Sheet:
    texts = ["Nguyễn Văn A", "a & b <c>", None, "tab\x01ctl", " lề "]
    frame = pl.DataFrame({
        "employee_id": [f"NV{i:04d}" for i in range(rows)],
        "full_name": [texts[i % len(texts)] for i in range(rows)],
        "points": [7.5 if i % 4 else None for i in range(rows)],
        "share": [i / max(rows, 1) for i in range(rows)],
        "count": pl.Series([i for i in range(rows)], dtype=pl.UInt32),
    })
    columns = [Column("employee_id", "Mã", 9), Column("full_name", "Họ và tên", 20),
               Column("points", "Chính trị, tư tưởng (8)", 9, "0.0"),
               Column("share", "Tỷ lệ", 8, "0.0%"), Column("count", "Số", 6, "0")]
    return Sheet("Kết quả xếp loại", frame, columns, bands=[(2, 3, "Tiêu chí chung")],
                 page_header="&LSở Khoa học && Công nghệ&RQuý I/2025")


def test_cells_formats_and_print_settings(tmp_path: Path):
    path = write_workbook([_sheet(5)], tmp_path / "w.xlsx", created=CREATED, title="scores")
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.title == "Kết quả xếp loại"
    assert ws["A1"].value == "Mã" and ws["C1"].value == "Tiêu chí chung"
    assert [c.value for c in ws[2]][2:4] == ["Chính trị, tư tưởng (8)", "Tỷ lệ"]
    assert ws["E1"].value == "Số"  # outside the bands: one header over both rows
    assert {"A1:A2", "C1:D1", "E1:E2"} <= {str(r) for r in ws.merged_cells.ranges}
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    # a control character (not allowed in XML) is written as Excel's escape, which openpyxl
    # shows as it is
    assert [r[1] for r in data] == ["Nguyễn Văn A", "a & b <c>", None, "tab_x0001_ctl", " lề "]
    assert [r[2] for r in data] == [None, 7.5, 7.5, 7.5, None]
    assert data[4][3] == pytest.approx(0.8) and data[4][4] == 4
    assert (ws["C4"].number_format, ws["D4"].number_format, ws["E4"].number_format) == \
        ("0.0", "0.0%", "0")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # one page wide (absent fitToWidth is the schema's default, 1), as many pages tall as needed
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$2"
    assert ws.freeze_panes == "C3"
    assert "Quý I/2025" in ws.oddHeader.right.text
    assert ws.auto_filter.ref == "A2:E7"


def test_same_inputs_same_bytes(tmp_path: Path):
    a = write_workbook([_sheet(4)], tmp_path / "a.xlsx", created=CREATED, title="t")
    b = write_workbook([_sheet(4)], tmp_path / "b.xlsx", created=CREATED, title="t")
    assert a.read_bytes() == b.read_bytes()


def test_empty_sheet(tmp_path: Path):
    path = write_workbook([_sheet(0)], tmp_path / "e.xlsx", created=CREATED, title="t")
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.max_row == 2 and ws["B1"].value == "Họ và tên" and ws["C2"].value.startswith("Chính")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by .ci/install test")
def test_libreoffice_prints_landscape_pages_one_sheet_wide(tmp_path: Path):
    from pypdf import PdfReader

    rows = 300
    path = write_workbook([_sheet(rows)], tmp_path / "print.xlsx", created=CREATED, title="t")
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=300)
    pdf = PdfReader(tmp_path / "print.pdf")
    pages = len(pdf.pages)
    assert 2 <= pages <= rows // 20  # the rows split over pages, the columns never do
    for page in pdf.pages:
        box = page.mediabox
        assert float(box.width) > float(box.height)  # landscape
        text = page.extract_text()
        assert "Họ và tên" in text and "Quý I/2025" in text  # header rows and page header
    assert "NV0000" in pdf.pages[0].extract_text() and f"NV{rows - 1:04d}" in pdf.pages[-1].extract_text()

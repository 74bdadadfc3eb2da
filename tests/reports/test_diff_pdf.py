"""`scoring diff --pdf` end to end: the PDF it writes is an archival PDF/A-2b, like every report."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from scoring.cli import main
from tests.helpers import SAMPLE_CRITERIA, SAMPLE_DATA
from tests.reports.test_signing import needs_poppler, pdfa_identification, run_tool


@needs_poppler
def test_diff_pdf_is_pdfa_2b(tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(SAMPLE_CRITERIA.read_text(encoding="utf-8").replace(
        "            points: 3\n", "            points: 4\n", 1), encoding="utf-8")
    pdf = tmp_path / "so-sanh.pdf"
    result = CliRunner().invoke(main, ["diff", str(SAMPLE_CRITERIA), str(new), "--data",
                                       str(SAMPLE_DATA), "--period", "2025-Q1", "--pdf", str(pdf)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"PDF: {pdf}" in result.output
    assert pdfa_identification(pdf) == ("2", "B"), run_tool("pdfinfo", "-meta", str(pdf))[:400]
    assert "Thay đổi quy tắc (1)" in run_tool("pdftotext", str(pdf), "-")  # the diff, not a blank

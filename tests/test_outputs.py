"""Outputs: formula injection is neutralised, folders appear atomically, Excel limits are said."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest

from scoring import outputs
from scoring.outputs import atomic_folder, neutralise_formulas, write_excel, write_table


def test_text_that_a_spreadsheet_would_run_is_prefixed():
    df = pl.DataFrame({"name": ["=cmd|'/c calc'!A1", "+1", "-2", "@SUM(A1)", "Nguyễn Văn A", None],
                       "n": [1, 2, 3, 4, 5, 6]})
    out = neutralise_formulas(df)
    assert out["name"].to_list() == ["'=cmd|'/c calc'!A1", "'+1", "'-2", "'@SUM(A1)", "Nguyễn Văn A", None]
    assert out["n"].to_list() == df["n"].to_list()  # numbers are never touched


def test_csv_and_excel_outputs_are_neutralised_but_parquet_is_exact(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    df = pl.DataFrame({"full_name": ["=HYPERLINK(\"http://x\")"], "total": [-1.5]})
    write_table(df, tmp_path, "t")
    assert pl.read_parquet(tmp_path / "t.parquet")["full_name"][0] == df["full_name"][0]
    assert "'=HYPERLINK" in (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    write_excel({"t": df}, tmp_path / "t.xlsx", created=datetime(2025, 4, 5))
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["t"]
    assert ws["A2"].value == "'=HYPERLINK(\"http://x\")" and ws["B2"].value == -1.5


def test_excel_rows_beyond_the_sheet_limit_are_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "EXCEL_MAX_ROWS", 3)
    notes = write_excel({"scores": pl.DataFrame({"a": range(5)})}, tmp_path / "x.xlsx",
                        created=datetime(2025, 4, 5))
    assert len(notes) == 1 and "2 rows did not fit" in notes[0]


def test_atomic_folder_appears_only_when_complete(tmp_path):
    target = tmp_path / "out"
    with pytest.raises(RuntimeError), atomic_folder(target) as tmp:
        (tmp / "half.csv").write_text("x")
        raise RuntimeError("interrupted")
    assert not target.exists() and list(tmp_path.iterdir()) == []
    with atomic_folder(target) as tmp:
        (tmp / "done.csv").write_text("x")
    assert (target / "done.csv").exists()


def test_replacing_keeps_the_old_folder_until_the_new_one_is_complete(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.csv").write_text("old")
    with pytest.raises(RuntimeError), atomic_folder(target, replace=True) as tmp:
        (tmp / "new.csv").write_text("new")
        raise RuntimeError("boom")
    assert (target / "old.csv").read_text() == "old"
    with atomic_folder(target, replace=True) as tmp:
        (tmp / "new.csv").write_text("new")
    assert [p.name for p in target.iterdir()] == ["new.csv"]
    with pytest.raises(FileExistsError), atomic_folder(target) as tmp:
        pass


def test_large_explanations_are_left_out_of_the_workbook_with_a_note(tmp_path, monkeypatch):
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.setitem(outputs.EXCEL_SHEET_LIMITS, "explanations", 2)
    notes = write_excel({"scores": pl.DataFrame({"a": [1]}), "explanations": pl.DataFrame({"b": [1, 2, 3]})},
                        tmp_path / "x.xlsx", created=datetime(2025, 4, 5))
    assert len(notes) == 1 and "see explanations.csv" in notes[0]
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx", read_only=True)
    assert wb.sheetnames == ["scores", "ghi_chu"]

"""Helpers for the office-workbook tests: the sample department as CSV rows, workbooks written
from them with openpyxl, and scoring a data folder the way ``scoring run`` does."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
from pathlib import Path

import openpyxl
import polars as pl

from scoring.run import compute

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CRITERIA = ROOT / "criteria" / "skhcn-quy-2025.yaml"
SAMPLE_DATA = ROOT / "sample_data"
TABLE_FILES = ("units", "staff", "assessments", "violations", "training", "discipline", "leave")


def sample_rows(table: str, folder: Path = SAMPLE_DATA) -> list[list[str]]:
    text = (folder / f"{table}.csv").read_text("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def copy_sample(target: Path) -> Path:
    """The sample department's tables (not its generator scripts) in ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for table in TABLE_FILES:
        shutil.copy(SAMPLE_DATA / f"{table}.csv", target / f"{table}.csv")
    return target


def write_csv_rows(path: Path, rows: list[list[object]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def write_workbook(path: Path, sheets: dict[str, list[list[object]]], *,
                   hidden: tuple[str, ...] = ()) -> Path:
    """One sheet per entry, cells as given (text stays text); ``hidden`` sheets are hidden."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append([None if c == "" else c for c in row])
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def _quiet(_key: str):
    return contextlib.nullcontext()


def scores_of(data: Path, period: str = "2025-Q1", criteria: Path = SAMPLE_CRITERIA,
              **options) -> pl.DataFrame:
    """The scores table a run would write (raises the run's errors)."""
    return compute(criteria, data, period, _quiet, **options).result.scores

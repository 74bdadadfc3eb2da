"""Outputs: formula injection is neutralised, folders appear atomically, Excel limits are said."""

from __future__ import annotations

import contextlib
import itertools
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from scoring.outputs import tables as outputs
from scoring.outputs.run_folder import atomic_folder
from scoring.outputs.tables import neutralise_formulas, write_table

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DATA = ROOT / "sample_data"


def test_text_that_a_spreadsheet_would_run_is_prefixed():
    df = pl.DataFrame({"name": ["=cmd|'/c calc'!A1", "+1", "-2", "@SUM(A1)", "Nguyễn Văn A", None],
                       "n": [1, 2, 3, 4, 5, 6]})
    out = neutralise_formulas(df)
    assert out["name"].to_list() == ["'=cmd|'/c calc'!A1", "'+1", "'-2", "'@SUM(A1)", "Nguyễn Văn A", None]
    assert out["n"].to_list() == df["n"].to_list()  # numbers are never touched


def test_csv_outputs_are_neutralised_but_parquet_is_exact(tmp_path):
    # the workbook: tests/test_determinism.py (hostile names) and tests/outputs/test_hr_workbook.py
    df = pl.DataFrame({"full_name": ["=HYPERLINK(\"http://x\")"], "total": [-1.5]})
    write_table(df, tmp_path, "t")
    assert pl.read_parquet(tmp_path / "t.parquet")["full_name"][0] == df["full_name"][0]
    assert "'=HYPERLINK" in (tmp_path / "t.csv").read_text(encoding="utf-8-sig")


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


def _sample_run(tmp_path, **options):
    from scoring.run import RunOptions, run_scoring

    opts = RunOptions(criteria_path=ROOT / "criteria" / "skhcn-quy-2025.yaml",
                      data_dir=SAMPLE_DATA, period="2025-Q1", out=tmp_path / "run",
                      run_date=date(2025, 4, 5), reports=False, **options)
    return run_scoring(opts, lambda _name: contextlib.nullcontext())


def test_explanations_too_long_for_a_spreadsheet_are_kept_in_parquet_only(tmp_path, monkeypatch):
    import json

    from scoring import run
    from scoring.audit.verify import verify_run

    monkeypatch.setattr(run, "CSV_MAX_ROWS", 100)  # the sample has about 1,100 rows
    monkeypatch.setitem(outputs.EXCEL_SHEET_LIMITS, "explanations", 100)
    summary = _sample_run(tmp_path)
    folder = summary.out
    assert not (folder / "explanations.csv").exists()
    assert (folder / "scores.csv").exists() and (folder / "units.csv").exists()
    rows = pl.read_parquet(folder / "explanations.parquet").height
    assert rows > 100
    assert any(f"{rows} rows, too large for a spreadsheet" in n for n in summary.notes)
    assert any("left out of the workbook, see explanations.parquet" in n for n in summary.notes)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "explanations.csv" not in {o["path"] for o in manifest["outputs"]}
    assert manifest["notes"] == list(summary.notes)
    checks = verify_run(folder, SAMPLE_DATA)
    assert checks and all(c.ok for c in checks), [c for c in checks if not c.ok]


def test_full_csv_writes_the_explanations_csv_whatever_its_length(tmp_path, monkeypatch):
    from scoring import run

    monkeypatch.setattr(run, "CSV_MAX_ROWS", 100)
    summary = _sample_run(tmp_path, full_csv=True)
    csv = pl.read_csv(summary.out / "explanations.csv")
    assert csv.height == pl.read_parquet(summary.out / "explanations.parquet").height
    assert not any("too large for a spreadsheet" in n for n in summary.notes)


def test_the_same_table_gives_the_same_parquet_bytes_however_it_is_chunked(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "PARQUET_ROW_GROUP", 1000)
    df = pl.DataFrame({"employee_id": [f"NV{i:05d}" for i in range(2500)],
                       "kind": pl.Series(["base", "band"] * 1250).cast(pl.Categorical),
                       "points": [i / 4 for i in range(2500)]})
    pieces = pl.concat([df.slice(0, 7), df.slice(7, 1500), df.slice(1507)], rechunk=False)
    assert pieces.n_chunks() == 3
    for name, frame in (("a", df), ("b", pieces)):
        (tmp_path / name).mkdir()
        write_table(frame, tmp_path / name, "t", csv=False)
    a, b = (tmp_path / "a" / "t.parquet").read_bytes(), (tmp_path / "b" / "t.parquet").read_bytes()
    assert a == b


def _slices(df: pl.DataFrame, cuts: list[int]):
    bounds = [0, *cuts, df.height]
    return lambda: (df.slice(a, b - a) for a, b in itertools.pairwise(bounds))


def test_a_table_written_in_slices_gives_the_same_bytes_however_it_is_sliced(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "PARQUET_ROW_GROUP", 1000)
    kinds = pl.Enum(["base", "band"])
    df = pl.DataFrame({"employee_id": [f"NV{i:05d}" for i in range(2500)],
                       "kind": pl.Series(["base", "band"] * 1250, dtype=kinds),
                       "points": [i / 4 for i in range(2500)]})
    written = []
    for name, cuts in (("a", [1250]), ("b", [7, 1507, 2100])):
        (tmp_path / name).mkdir()
        path = outputs.write_slices(_slices(df, cuts), df.schema, tmp_path / name, "t")
        written.append(path.read_bytes())
    assert written[0] == written[1]
    back = pl.read_parquet(tmp_path / "a" / "t.parquet")
    assert back.equals(df) and back.schema == df.schema
    import pyarrow.parquet as pq
    assert pq.ParquetFile(tmp_path / "a" / "t.parquet").metadata.num_row_groups == 3


def test_without_polars_io_sources_slices_are_written_with_pyarrow_to_the_same_rows(tmp_path,
                                                                                   monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_plugins(name, *args, **kwargs):
        if name == "polars.io.plugins":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    df = pl.DataFrame({"employee_id": ["NV1", "NV2", "NV3"],
                       "kind": pl.Series(["base", "band", "base"], dtype=pl.Enum(["base", "band"])),
                       "points": [1.0, None, 2.5]})
    monkeypatch.setattr(builtins, "__import__", no_plugins)
    path = outputs.write_slices(_slices(df, [1]), df.schema, tmp_path, "t")
    monkeypatch.setattr(builtins, "__import__", real_import)
    import pyarrow.parquet as pq
    assert "arrow" in pq.ParquetFile(path).metadata.created_by.lower()  # the fallback wrote it
    back = pl.read_parquet(path)
    assert back.equals(df) and back.schema == df.schema

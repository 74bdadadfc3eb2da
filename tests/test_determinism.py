"""The same inputs at the same moment give the same outputs: under other time zones, locales and
row orders, and with hostile data (formula payloads, HTML in names, folders named like globs).

A reduced, fixed form of the attack of issue 14: a small department (three units of the sample,
20 people), every run through the command line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from scoring.cli import main
from tests.helpers import ROOT, SAMPLE_CRITERIA, SAMPLE_DATA

# 18:30 UTC on 31 March 2025: already 1 April in Vietnam (UTC+7), still 31 March in UTC and in
# Los Angeles. A run date taken from the process's zone differs; the agency's does not.
MOMENT = "2025-03-31T18:30:00+00:00"
AGENCY_DATE = "2025-04-01"
UNITS = ("CCTDC", "CC-TC", "CC-DL")
ODD = "ket-qua [Q1] *?"  # glob characters in a folder name


def small_department(folder: Path, *, names: dict[str, str] | None = None,
                     unit_names: dict[str, str] | None = None, seed: int | None = None,
                     period: str = "2025-Q1") -> Path:
    """Three units of the sample and their 20 people with their records, as CSV files;
    ``seed`` shuffles every file's rows; the assessments are given for ``period``."""
    folder.mkdir(parents=True, exist_ok=True)
    staff = pl.read_csv(SAMPLE_DATA / "staff.csv", infer_schema=False).filter(
        pl.col("unit_id").is_in(UNITS))
    people = staff["employee_id"].to_list()
    for table in ("units", "staff", "assessments", "violations", "training", "discipline", "leave"):
        frame = pl.read_csv(SAMPLE_DATA / f"{table}.csv", infer_schema=False)
        if table == "units":
            frame = frame.filter(pl.col("unit_id").is_in(UNITS)).with_columns(
                parent_id=pl.when(pl.col("unit_id") == "CCTDC").then(None).otherwise("parent_id"))
            if unit_names:
                frame = frame.with_columns(
                    name=pl.col("unit_id").replace_strict(unit_names, default=pl.col("name")))
        else:
            frame = frame.filter(pl.col("employee_id").is_in(people))
        if table == "assessments":
            frame = frame.filter(pl.col("period") == "2025-Q1").with_columns(period=pl.lit(period))
        if table == "staff" and names:
            frame = frame.with_columns(
                full_name=pl.col("employee_id").replace_strict(names, default=pl.col("full_name")))
        if seed is not None:
            frame = frame.sample(fraction=1.0, shuffle=True, seed=seed + len(table))
        frame.write_csv(folder / f"{table}.csv")
    return folder


def run(data: Path, out: Path, *extra: str, period: str = "2025-Q1") -> None:
    result = CliRunner().invoke(main, ["run", "--criteria", str(SAMPLE_CRITERIA), "--data", str(data),
                                       "--period", period, "--out", str(out), *extra],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture
def process_zone(monkeypatch):
    """Set the process's time zone (TZ) for the code under test, and restore it after."""
    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(scope="module")
def department(tmp_path_factory) -> Path:
    return small_department(tmp_path_factory.mktemp("data") / "dữ liệu")


def test_the_run_date_is_the_agencys_date_whatever_the_process_time_zone(department, tmp_path,
                                                                         monkeypatch, process_zone):
    monkeypatch.setenv("SCORING_TEST_NOW", MOMENT)
    outputs = []
    for zone in ("UTC", "America/Los_Angeles"):
        process_zone(zone)
        out = tmp_path / zone.replace("/", "-")
        run(department, out, "--no-reports")
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert (manifest["run_date"], manifest["time_zone"]) == (AGENCY_DATE, "Asia/Ho_Chi_Minh")
        outputs.append(files(out))
    assert outputs[0] == outputs[1]  # scores.xlsx (its creation date) and the manifest included


def test_another_locale_and_zone_in_a_fresh_process_give_the_same_bytes(department, tmp_path,
                                                                         monkeypatch):
    monkeypatch.setenv("SCORING_TEST_NOW", MOMENT)
    here = tmp_path / "here"
    run(department, here, "--no-reports")
    there = tmp_path / "there"
    env = os.environ | {"TZ": "Pacific/Kiritimati", "LANG": "C", "LC_ALL": "C",
                        "SCORING_TEST_NOW": MOMENT, "PYTHONHASHSEED": "12345"}
    proc = subprocess.run([sys.executable, "-m", "scoring", "run", "--criteria", str(SAMPLE_CRITERIA),
                           "--data", str(department), "--period", "2025-Q1", "--out", str(there),
                           "--no-reports"], cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert files(here) == files(there)


def test_the_agencys_zone_comes_from_the_settings_file(department, tmp_path, monkeypatch):
    monkeypatch.setenv("SCORING_TEST_NOW", MOMENT)
    settings = tmp_path / "scoring.toml"
    settings.write_text('[run]\ntime_zone = "America/Los_Angeles"\n', encoding="utf-8")
    monkeypatch.setenv("SCORING_SETTINGS", str(settings))
    run(department, tmp_path / "out", "--no-reports")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["run_date"], manifest["time_zone"]) == ("2025-03-31", "America/Los_Angeles")

    settings.write_text('[run]\ntime_zone = "Asia/Hanoi_City"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "--criteria", str(SAMPLE_CRITERIA), "--data",
                                       str(department), "--period", "2025-Q1", "--out",
                                       str(tmp_path / "bad"), "--no-reports"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "run.time_zone" in result.output and "Asia/Ho_Chi_Minh" in result.output
    assert not (tmp_path / "bad").exists()


def test_row_order_of_every_input_file_changes_no_output(tmp_path):
    """Every table's rows shuffled (fixed seeds): the tables, the workbook and the reports are
    the same bytes; only the manifest's input hashes differ."""
    runs = []
    for seed in (None, 7):
        data = small_department(tmp_path / f"data-{seed}", seed=seed)
        out = tmp_path / f"out-{seed}"
        run(data, out, "--run-date", AGENCY_DATE)
        runs.append({k: v for k, v in files(out).items() if k != "manifest.json"})
    assert any(k.startswith("reports/") and k.endswith(".pdf") for k in runs[0])
    assert runs[0] == runs[1]


PAYLOADS = {  # employee id → a name an attacker would type
    "NV0091": "=cmd|' /C calc'!A0",
    "NV0092": "+HYPERLINK(\"http://127.0.0.1/x\",\"bấm\")",
    "NV0093": "@SUM(1+1)*cmd|' /C calc'!A0",
    "NV0094": "<script>alert('x')</script> Lê Văn Ba",
    "NV0095": "<img src=x onerror=alert(1)> & Nguyễn",
}


def test_hostile_names_and_glob_like_folders_run_and_stay_text(tmp_path):
    staff = pl.read_csv(SAMPLE_DATA / "staff.csv", infer_schema=False).filter(pl.col("unit_id").is_in(UNITS))
    chosen = staff["employee_id"].to_list()[:len(PAYLOADS)]
    names = dict(zip(chosen, PAYLOADS.values(), strict=True))
    hostile = {"names": names, "unit_names": {"CC-DL": "Phòng <b>Đo lường</b> =1+1"}}
    earlier = small_department(tmp_path / "dữ liệu [Q1] *?", **hostile)
    data = small_department(tmp_path / "dữ liệu [Q2] *?", period="2025-Q2", **hostile)
    first = tmp_path / ODD / "quý [1]"
    run(earlier, first, "--run-date", AGENCY_DATE, "--no-reports")
    # the next quarter beside it: its reports' trend reads the earlier run, no glob either
    second = tmp_path / ODD / "quý [2] *"
    run(data, second, "--run-date", "2025-07-01", period="2025-Q2")
    from scoring.reports.run_reader import discover_history

    assert discover_history(second, "2025-Q2") == (first.resolve(),)

    csv = (second / "scores.csv").read_text(encoding="utf-8-sig")
    for name in names.values():
        if name[0] in "=+-@":
            assert f"'{name}" in csv.replace('""', '"')  # written as text, never a formula
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(second / "scores.xlsx")
    cells = [c for row in wb["Kết quả xếp loại"].iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    shown = {c.value for c in cells}
    assert "'=cmd|' /C calc'!A0" in shown and "<script>alert('x')</script> Lê Văn Ba" in shown

    from pypdf import PdfReader

    pdfs = sorted((second / "reports").glob("*.pdf"))
    text = "".join(page.extract_text() for pdf in pdfs for page in PdfReader(pdf).pages)
    assert "<script>alert('x')</script>" in text  # shown as text, never markup
    assert "Phòng <b>Đo lường</b>" in text


def test_a_data_folder_named_like_a_glob_is_read_as_it_is(tmp_path):
    """``[Q1]`` would match a folder ``Q``, ``1`` as a pattern: a decoy next to it must not be read."""
    data = small_department(tmp_path / "in [Q1]")
    decoy = small_department(tmp_path / "in Q", seed=3)
    (decoy / "staff.csv").write_text("employee_id\nX\n", encoding="utf-8")  # would fail if read
    run(data, tmp_path / "out [*]", "--no-reports", "--run-date", AGENCY_DATE)
    scores = pl.read_parquet(tmp_path / "out [*]" / "scores.parquet", glob=False)
    assert scores.height == 20


def test_every_polars_path_read_is_never_a_glob():
    """Polars expands ``[…]``, ``*`` and ``?`` in paths unless told not to: each read of a path
    passes ``glob=False``."""
    import ast

    readers = {"read_csv", "scan_csv", "read_parquet", "scan_parquet", "scan_ipc"}
    missing = []
    for path in sorted([*(ROOT / "scoring").rglob("*.py"), *(ROOT / "reports").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in readers
                    and not any(k.arg == "glob" for k in node.keywords)):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not missing, missing


def test_shuffled_rows_are_really_shuffled(tmp_path):
    """The row-order test above is honest: its seeds do change the files."""
    a = small_department(tmp_path / "a")
    b = small_department(tmp_path / "b", seed=7)
    assert (a / "training.csv").read_bytes() != (b / "training.csv").read_bytes()
    assert sorted((a / "training.csv").read_text().splitlines()) == \
        sorted((b / "training.csv").read_text().splitlines())


def test_a_200000_row_sheet_scores_like_the_same_rows_as_csv(department, tmp_path):
    """A training sheet of 200,000 rows (the department's own plus sessions of other years):
    read whole, the same scores and explanations as the same rows in a CSV file."""
    from datetime import datetime

    from scoring.outputs.workbook import Column, Sheet, write_workbook

    own = pl.read_csv(department / "training.csv", infer_schema=False)
    people = own["employee_id"].unique().sort().to_list()
    n = 200_000 - own.height
    filler = pl.DataFrame({
        "record_id": [f"OLD-{i:06d}" for i in range(n)],
        "employee_id": [people[i % len(people)] for i in range(n)],
        "session_date": [f"20{10 + i % 14:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)],
        "topic": ["traffic_safety" if i % 3 else "professional" for i in range(n)],
        "hours": [str(1 + i % 4) for i in range(n)],
        "attendance": [("attended", "excused", "absent")[i % 3] for i in range(n)],
    })
    rows = pl.concat([own, filler], how="diagonal")
    as_csv = tmp_path / "csv"
    as_xlsx = tmp_path / "xlsx"
    for folder in (as_csv, as_xlsx):
        folder.mkdir()
        for f in department.iterdir():
            if f.name != "training.csv":
                (folder / f.name).write_bytes(f.read_bytes())
    rows.write_csv(as_csv / "training.csv")
    # the project's fast writer (cells built by Polars): xlsxwriter alone takes ~20 CPU-s here
    write_workbook([Sheet("training", rows, [Column(c, c) for c in rows.columns])],
                   as_xlsx / "training.xlsx", created=datetime(2025, 4, 1), title="training")
    for folder in (as_csv, as_xlsx):
        run(folder, tmp_path / f"out-{folder.name}", "--no-reports", "--run-date", AGENCY_DATE)
    manifest = json.loads((tmp_path / "out-xlsx" / "manifest.json").read_text(encoding="utf-8"))
    assert {i["table"]: i["rows"] for i in manifest["inputs"]}["training"] == 200_000
    for name in ("scores.parquet", "explanations.parquet", "units.parquet"):
        assert (tmp_path / "out-csv" / name).read_bytes() == (tmp_path / "out-xlsx" / name).read_bytes()

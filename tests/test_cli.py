"""End to end through the command line: run, explain, validate; exit codes; atomic outputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from scoring.cli import main
from scoring.outputs.manifest import sha256_file
from tests.helpers import SAMPLE_CRITERIA, SAMPLE_DATA

TABLES = ("scores", "explanations", "units")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def run_sample(out: Path, *extra: str):
    return invoke("run", "--criteria", str(SAMPLE_CRITERIA), "--data", str(SAMPLE_DATA),
                  "--period", "2025-Q1", "--out", str(out), "--no-reports",
                  "--run-date", "2025-04-05", *extra)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "q1"
    result = run_sample(out)
    assert result.exit_code == 0, result.output
    return out


def test_run_writes_every_output_and_a_manifest(sample_run):
    names = {p.name for p in sample_run.iterdir()}
    for t in TABLES:
        assert {f"{t}.parquet", f"{t}.csv"} <= names
    assert {"scores.xlsx", "manifest.json"} <= names
    manifest = json.loads((sample_run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["period"] == "2025-Q1" and manifest["criteria"]["id"] == "skhcn_quarterly"
    assert manifest["criteria"]["sha256"] == sha256_file(SAMPLE_CRITERIA)
    inputs = {i["table"]: i for i in manifest["inputs"]}
    assert inputs["staff"]["sha256"] == sha256_file(SAMPLE_DATA / "staff.csv")
    assert inputs["staff"]["rows"] == 130
    for out in manifest["outputs"]:
        assert sha256_file(sample_run / out["path"]) == out["sha256"]
    scores = pl.read_parquet(sample_run / "scores.parquet")
    assert manifest["counts"]["staff"] == scores.height
    assert (sample_run / "scores.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_excel_workbook_opens_with_the_scores(sample_run):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(sample_run / "scores.xlsx", read_only=True)
    assert wb.sheetnames == ["Kết quả xếp loại", "Giải trình", "Đơn vị"]
    rows = list(wb["Kết quả xếp loại"].iter_rows(values_only=True))
    assert rows[0][0] == "Mã cán bộ" and len(rows) - 2 == 128  # two header rows


def test_same_inputs_give_byte_identical_tables(sample_run, tmp_path):
    again = tmp_path / "again"
    assert run_sample(again).exit_code == 0
    for t in TABLES:
        for ext in ("parquet", "csv"):
            assert (sample_run / f"{t}.{ext}").read_bytes() == (again / f"{t}.{ext}").read_bytes()


def test_explain_says_why_the_alcohol_case_is_at_most_ht(sample_run):
    result = invoke("explain", "--run", str(sample_run), "--employee", "NV0097")
    assert result.exit_code == 0
    text = result.output
    assert "Vi phạm nồng độ cồn khi điều khiển phương tiện thì xếp loại không quá" in text
    assert "HTT → HT" in text and "VP-2025-0005" in text
    assert "Xếp loại cuối cùng: HT — Hoàn thành nhiệm vụ" in text
    english = invoke("--lang", "en", "explain", "--run", str(sample_run), "--employee", "NV0097")
    assert "Any alcohol violation caps the rating at Completed" in english.output
    as_json = json.loads(invoke("explain", "--run", str(sample_run), "--employee", "NV0097",
                                "--format", "json").output)
    assert as_json["employee"]["rating"] == "HT"


def test_explain_unknown_employee_is_a_user_error(sample_run):
    result = invoke("explain", "--run", str(sample_run), "--employee", "NOPE")
    assert result.exit_code == 2 and "NOPE" in result.output


def test_existing_output_folder_is_left_alone(sample_run):
    before = sha256_file(sample_run / "scores.parquet")
    result = run_sample(sample_run)
    assert result.exit_code == 2 and "--force" in result.output
    assert sha256_file(sample_run / "scores.parquet") == before


def test_bad_criteria_stop_the_run_before_writing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE_CRITERIA.read_text(encoding="utf-8").replace("per: alcohol_violations",
                                                                       "per: alcohol"), encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("run", "--criteria", str(bad), "--data", str(SAMPLE_DATA), "--period",
                    "2025-Q1", "--out", str(out), "--no-reports")
    assert result.exit_code == 2
    assert "bad.yaml:" in result.output and "deductions[1].per" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_bad_data_stops_the_run_before_writing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, data)
    text = (data / "violations.csv").read_text(encoding="utf-8").replace(",speeding,", ",speedin,", 1)
    (data / "violations.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("run", "--criteria", str(SAMPLE_CRITERIA), "--data", str(data), "--period",
                    "2025-Q1", "--out", str(out), "--no-reports")
    assert result.exit_code == 2 and "violations.csv:" in result.output and "speedin" in result.output
    assert not out.exists()


def test_failure_while_writing_leaves_no_folder(tmp_path, monkeypatch):
    import scoring.run

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(scoring.run, "_write_workbook", boom)
    out = tmp_path / "out"
    with pytest.raises(OSError):
        run_sample(out)
    assert list(tmp_path.iterdir()) == []


def test_period_outside_the_criteria_is_refused(tmp_path):
    result = invoke("run", "--criteria", str(SAMPLE_CRITERIA), "--data", str(SAMPLE_DATA),
                    "--period", "2026-Q1", "--out", str(tmp_path / "o"), "--no-reports")
    assert result.exit_code == 2 and "2026-Q1" in result.output
    bad = invoke("run", "--criteria", str(SAMPLE_CRITERIA), "--data", str(SAMPLE_DATA),
                 "--period", "2025-Q5", "--out", str(tmp_path / "o"), "--no-reports")
    assert bad.exit_code == 2 and "2025-Q1" in bad.output


def test_validate_runs_the_examples(tmp_path):
    ok = invoke("validate", str(SAMPLE_CRITERIA))
    assert ok.exit_code == 0 and "✓" in ok.output
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(SAMPLE_CRITERIA.read_text(encoding="utf-8").replace("total: 88.5", "total: 80"),
                     encoding="utf-8")
    failed = invoke("validate", str(wrong))
    assert failed.exit_code == 1 and "mong đợi 80.0, thực tế 88.5" in failed.output


def test_every_command_has_help():
    for cmd in ("run", "validate", "explain", "check-data"):
        result = invoke(cmd, "--help")
        assert result.exit_code == 0 and "--help" in result.output


def test_module_entry_point():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "scoring", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "scoring" in out.stdout


def test_lang_after_the_command_writes_english_reports_beside_the_vietnamese(sample_run, tmp_path):
    """`scoring report --run O --lang en` (as the README shows it): English messages, English
    PDFs in reports/en/, the Vietnamese PDFs untouched, the manifest listing and hashing both."""
    import subprocess

    from scoring.outputs.manifest import read_manifest

    run = tmp_path / "q1"
    shutil.copytree(sample_run, run)
    assert invoke("report", "--run", str(run)).exit_code == 0
    def pdfs(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.pdf")
                if "en" not in p.relative_to(folder).parts}

    vietnamese = pdfs(run / "reports")
    assert "tong-hop_so.pdf" in vietnamese
    result = invoke("report", "--run", str(run), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Done." in result.output and "reports/en/tong-hop_so.pdf" in result.output
    assert pdfs(run / "reports") == vietnamese
    english = sorted(pdfs(run / "reports" / "en"))
    assert english == sorted(vietnamese)
    text = subprocess.run(["pdftotext", str(run / "reports" / "en" / "tong-hop_so.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "SUMMARY" in text.upper() and "BÁO CÁO" not in text
    manifest = read_manifest(run)
    listed = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    for name in english:
        assert listed[f"reports/en/{name}"] == sha256_file(run / "reports" / "en" / name)
        assert listed[f"reports/{name}"] == sha256_file(run / "reports" / name)
    assert sorted(manifest["reports"]) == sorted(
        [f"reports/{n}" for n in english] + [f"reports/en/{n}" for n in english])
    # Vietnamese again: the English set stays
    assert invoke("report", "--run", str(run)).exit_code == 0
    assert sorted(pdfs(run / "reports" / "en")) == english

"""A run keeps how it read its inputs (issue 13 §3): the data-source file and the column
mapping are hashed into manifest.json and copied into the run, so ``verify`` and
``diff --like-run`` read the same inputs the same way without the options typed again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scoring.cli import main
from scoring.outputs.manifest import sha256_file
from tests.helpers import SAMPLE_CRITERIA, SAMPLE_DATA

SOURCE = """\
tables:
  staff:
    file: Nhân lực.csv
    columns: {Số hiệu: employee_id}
"""
COLUMNS = '"Chính trị": politics_ethics\n'


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the sample whose staff file and id header, and one assessment header, are the
    office's own; the data-source file and column mapping that read it."""
    root = tmp_path_factory.mktemp("read-options")
    data = root / "data"
    shutil.copytree(SAMPLE_DATA, data, ignore=shutil.ignore_patterns("*.py"))
    text = (data / "staff.csv").read_text("utf-8").replace("employee_id,", "Số hiệu,", 1)
    (data / "Nhân lực.csv").write_text(text, encoding="utf-8")
    (data / "staff.csv").unlink()
    text = (data / "assessments.csv").read_text("utf-8").replace("politics_ethics", "Chính trị", 1)
    (data / "assessments.csv").write_text(text, encoding="utf-8")
    (root / "nguon.yaml").write_text(SOURCE, encoding="utf-8")
    (root / "cot.yaml").write_text(COLUMNS, encoding="utf-8")
    return root, data


@pytest.fixture(scope="module")
def run_dir(laid_out) -> Path:
    root, data = laid_out
    out = root / "q1"
    result = invoke("run", "--criteria", SAMPLE_CRITERIA, "--data", data, "--period", "2025-Q1",
                    "--out", out, "--no-reports", "--run-date", "2025-04-05",
                    "--data-source", root / "nguon.yaml", "--columns", root / "cot.yaml")
    assert result.exit_code == 0, result.output
    return out


def test_the_manifest_hashes_the_files_and_the_run_keeps_copies(laid_out, run_dir) -> None:
    root, _ = laid_out
    options = json.loads((run_dir / "manifest.json").read_text("utf-8"))["options"]
    assert options["data_source"] == {"path": "read-options/nguon.yaml", "file": "nguon.yaml",
                                      "sha256": sha256_file(root / "nguon.yaml")}
    assert options["columns"]["sha256"] == sha256_file(root / "cot.yaml")
    assert (run_dir / "read-options" / "nguon.yaml").read_text("utf-8") == SOURCE
    outputs = {o["path"] for o in json.loads((run_dir / "manifest.json").read_text("utf-8"))["outputs"]}
    assert {"read-options/nguon.yaml", "read-options/cot.yaml"} <= outputs


def test_verify_needs_only_the_run_and_the_data(laid_out, run_dir) -> None:
    _, data = laid_out
    result = invoke("verify", "--run", run_dir, "--data", data)
    assert result.exit_code == 0, result.output
    assert "✓ cách đọc dữ liệu / read options read-options/nguon.yaml" in result.output
    assert "✗" not in result.output


def test_verify_names_an_edited_copy(laid_out, run_dir, tmp_path) -> None:
    _, data = laid_out
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    (copy / "read-options" / "cot.yaml").write_text(COLUMNS + "# edited\n", encoding="utf-8")
    result = invoke("verify", "--run", copy, "--data", data)
    assert result.exit_code == 1
    assert "✗ cách đọc dữ liệu / read options read-options/cot.yaml" in result.output


def test_diff_reads_the_data_like_the_run(laid_out, run_dir, tmp_path) -> None:
    _, data = laid_out
    new = tmp_path / "new.yaml"
    new.write_text(SAMPLE_CRITERIA.read_text(encoding="utf-8").replace(
        "            points: 3\n", "            points: 4\n", 1), encoding="utf-8")
    refused = CliRunner().invoke(main, ["diff", str(SAMPLE_CRITERIA), str(new), "--data", str(data),
                                        "--period", "2025-Q1"])
    assert refused.exit_code == 2 and "[D103]" in refused.output  # staff is not found without it
    result = invoke("diff", SAMPLE_CRITERIA, new, "--data", data, "--period", "2025-Q1",
                    "--like-run", run_dir)
    assert result.exit_code == 0, result.output
    assert "Số người thay đổi xếp loại" in result.output
    given = invoke("diff", SAMPLE_CRITERIA, new, "--data", data, "--period", "2025-Q1",
                   "--data-source", laid_out[0] / "nguon.yaml", "--columns", laid_out[0] / "cot.yaml")
    assert given.exit_code == 0
    assert given.output.splitlines()[1:] == result.output.splitlines()[1:]  # after the timed step

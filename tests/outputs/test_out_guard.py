"""``--out`` never destroys the user's files: inputs, the current folder, folders not ours."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scoring.cli import main
from scoring.outputs.manifest import sha256_file
from tests.helpers import SAMPLE_CRITERIA


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_file(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(project: Path, out: Path, *extra: str):
    return CliRunner().invoke(main, [
        "run", "--criteria", str(project / "criteria" / SAMPLE_CRITERIA.name),
        "--data", str(project / "data"), "--period", "2025-Q1", "--out", str(out),
        "--no-reports", "--run-date", "2025-04-05", *extra], catch_exceptions=False)


@pytest.mark.parametrize("where", ["data", ".", "data/sub", "criteria", ".."])
def test_out_over_the_inputs_is_refused_and_nothing_is_touched(project, where):
    before = snapshot(project)
    result = run(project, project / where, "--force")
    assert result.exit_code == 2, result.output
    assert "--out" in result.output and "Traceback" not in result.output
    assert snapshot(project) == before
    assert sorted(p.name for p in project.iterdir()) == ["criteria", "data"]
    assert sorted(p.name for p in project.parent.iterdir()) == ["project"]


def test_out_that_holds_the_current_folder_is_refused(project, tmp_path, monkeypatch):
    here = tmp_path / "work" / "here"
    here.mkdir(parents=True)
    (here / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(here)
    for out in (here, here.parent):
        result = run(project, out, "--force")
        assert result.exit_code == 2 and "--out" in result.output, result.output
    assert (here / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_force_never_replaces_a_folder_that_is_not_a_run(project, tmp_path):
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "letter.docx").write_bytes(b"precious")
    result = run(project, mine, "--force")
    assert result.exit_code == 2 and "manifest.json" in result.output, result.output
    assert (mine / "letter.docx").read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents", "project"]


def test_force_never_replaces_a_run_holding_files_it_did_not_write(project, tmp_path):
    out = tmp_path / "q1"
    assert run(project, out).exit_code == 0
    (out / "ghi-chu.txt").write_text("notes of HR", encoding="utf-8")
    result = run(project, out, "--force")
    assert result.exit_code == 2 and "ghi-chu.txt" in result.output, result.output
    assert (out / "ghi-chu.txt").exists()


def test_force_replaces_a_finished_run_or_an_empty_folder(project, tmp_path):
    out = tmp_path / "q1"
    assert run(project, out).exit_code == 0
    first = snapshot(out)
    assert run(project, out, "--force").exit_code == 0
    assert snapshot(out) == first
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(project, empty).exit_code == 2  # exists: --force is needed
    assert run(project, empty, "--force").exit_code == 0
    assert (empty / "manifest.json").is_file()


def test_out_that_is_a_file_is_refused(project, tmp_path):
    target = tmp_path / "scores.xlsx"
    target.write_bytes(b"a workbook of mine")
    result = run(project, target, "--force")
    assert result.exit_code == 2 and "--out" in result.output
    assert target.read_bytes() == b"a workbook of mine"

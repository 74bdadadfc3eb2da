"""What the machine refuses while a run is written is one located line, exit 2, nothing left.

A file where a folder is expected, a folder without write permission, a read-only mount, a full
disk (real, on a small tmpfs, and injected at each write step), another run that puts ``--out``
in place first; and ``--force`` over a run that an interrupted ``scoring report`` left PDFs in.
The mounts are made in a private mount namespace (``unshare -m``) and skipped where the test
cannot make one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from scoring.errors import ScoringError
from scoring.outputs.env_errors import FAIL_ENV
from scoring.run import RunOptions, run_scoring
from tests.helpers import SAMPLE_CRITERIA
from tests.outputs.test_out_guard import run, snapshot


def refused(result, code: str, *named: str) -> str:
    """Exit 2, one problem with ``code`` naming every text of ``named``, no traceback."""
    out = result.output
    assert result.exit_code == 2, out
    assert "Traceback" not in out
    lines = [ln for ln in out.splitlines() if ln.endswith(f"[{code}]")]
    assert len(lines) == 1, out
    for text in named:
        assert text in lines[0], (text, lines[0])
    return lines[0]


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_out_under_a_regular_file_is_refused_before_anything_is_read(project, tmp_path):
    blocker = tmp_path / "ket-qua.txt"
    blocker.write_text("a file of the user's", encoding="utf-8")
    result = run(project, blocker / "2025-Q1")
    line = refused(result, "R202", str(blocker), "là một tệp")
    assert "is a file" in line
    assert "Đọc và kiểm tra dữ liệu" not in result.output  # stopped before the data is read
    assert blocker.read_text(encoding="utf-8") == "a file of the user's"
    assert siblings(tmp_path) == ["ket-qua.txt", "project"]


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_out_where_no_folder_can_be_made_is_one_line():
    """/proc takes no new folder, even for root: the failure comes at the first write."""
    from click.testing import CliRunner

    from scoring.cli import main
    from tests.helpers import SAMPLE_DATA

    out = Path("/proc/scoring-test-out")
    result = CliRunner().invoke(main, [
        "run", "--criteria", str(SAMPLE_CRITERIA), "--data", str(SAMPLE_DATA), "--period",
        "2025-Q1", "--out", str(out), "--no-reports"], catch_exceptions=False)
    refused(result, "R202", str(out))
    assert not out.exists()


@contextlib.contextmanager
def unwritable(folder: Path):
    """A folder nobody may write in: immutable for root (``chattr +i``: even root gets EPERM),
    mode 0555 for anyone else."""
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("root without chattr +i: no folder root cannot write")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_out_in_a_folder_without_write_permission_is_refused(project, tmp_path):
    with unwritable(tmp_path / "locked") as locked:
        result = run(project, locked / "q1" / "ket-qua")
        line = refused(result, "R202", str(locked))
        assert "no permission" in line
        assert "Đọc và kiểm tra dữ liệu" not in result.output
        assert siblings(locked) == []


def test_report_of_a_run_that_cannot_be_written_is_one_line(project, tmp_path):
    from click.testing import CliRunner

    from scoring.cli import main

    out = tmp_path / "q1"
    assert run(project, out).exit_code == 0
    before = snapshot(out)
    subprocess_ok = shutil.which("chattr") is not None and os.geteuid() == 0
    if not subprocess_ok:
        pytest.skip("needs root and chattr to make a run folder root cannot write")
    subprocess.run(["chattr", "+i", str(out)], check=True)
    try:
        result = CliRunner().invoke(main, ["report", "--run", str(out)], catch_exceptions=False)
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=True)
    refused(result, "R202", str(out), "--run")
    assert snapshot(out) == before


# ---------------------------------------------------------------------------------------------
# mounts: a read-only file system and a real full disk


def in_mount_namespace(script: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run ``script`` (sh) in a private mount namespace; skip if none can be made here."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare")
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs tmpfs {tmp_path}"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot mount in a private mount namespace here")
    return subprocess.run(["unshare", "-m", "sh", "-e", "-c", script], capture_output=True,
                          text=True, cwd=tmp_path, timeout=600)


def cli(project: Path, out: str, *extra: str) -> str:
    return " ".join([sys.executable, "-m", "scoring", "run", "--criteria",
                     str(project / "criteria" / SAMPLE_CRITERIA.name), "--data",
                     str(project / "data"), "--period", "2025-Q1", "--out", out,
                     "--run-date", "2025-04-05", *extra])


def test_out_on_a_read_only_mount_is_refused(project, tmp_path):
    mnt = tmp_path / "usb"
    mnt.mkdir()
    done = in_mount_namespace(
        f"mount -t tmpfs -o ro,size=1m tmpfs {mnt}\n"
        f"{cli(project, str(mnt / 'q1'), '--no-reports')} > log.txt 2>&1 || echo $? > rc.txt\n"
        f"ls -A {mnt} > left.txt", tmp_path)
    assert done.returncode == 0, done.stderr
    log = (tmp_path / "log.txt").read_text(encoding="utf-8")
    assert (tmp_path / "rc.txt").read_text().strip() == "2", log
    assert "Traceback" not in log and log.rstrip().endswith("[R202]"), log
    assert f"{mnt}: --out: nằm trên ổ chỉ đọc" in log and "read-only file system" in log
    assert (tmp_path / "left.txt").read_text() == ""


@pytest.mark.parametrize(("size", "reports"), [("60k", "--no-reports"), ("600k", "--reports")])
def test_a_real_full_disk_is_one_line_and_leaves_nothing(project, tmp_path, size, reports):
    """60 KB fills up in the tables (Polars says only "Invalid thrift: transport error"),
    600 KB in the PDF reports."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    done = in_mount_namespace(
        f"mount -t tmpfs -o size={size} tmpfs {mnt}\n"
        f"{cli(project, str(mnt / 'q1'), reports)} > log.txt 2>&1 || echo $? > rc.txt\n"
        f"ls -A {mnt} > left.txt", tmp_path)
    assert done.returncode == 0, done.stderr
    log = (tmp_path / "log.txt").read_text(encoding="utf-8")
    assert (tmp_path / "rc.txt").read_text().strip() == "2", log
    assert "Traceback" not in log and log.rstrip().endswith("[R203]"), log
    assert "ổ đĩa đã đầy" in log and "the disk is full" in log
    assert (tmp_path / "left.txt").read_text() == ""


# ---------------------------------------------------------------------------------------------
# a disk that fills up at each write step (injected), with and without an earlier run


@pytest.mark.parametrize("step", ["partial folder", "tables", "workbook", "criteria copies",
                                  "manifest for the reports", "publish"])
def test_a_full_disk_at_any_write_step_keeps_the_previous_run(project, tmp_path, monkeypatch, step):
    out = tmp_path / "q1"
    assert run(project, out).exit_code == 0
    before = snapshot(out)
    monkeypatch.setenv(FAIL_ENV, f"{step}:ENOSPC")
    refused(run(project, out, "--force"), "R203", str(out), "the disk is full")
    assert snapshot(out) == before
    assert siblings(tmp_path) == ["project", "q1"]  # no partial folder left


def test_a_full_disk_in_a_new_folder_leaves_no_folder(project, tmp_path, monkeypatch):
    monkeypatch.setenv(FAIL_ENV, "workbook:ENOSPC")
    refused(run(project, tmp_path / "2025" / "q1"), "R203")
    assert siblings(tmp_path) == ["project"]  # not even the parent it made


# ---------------------------------------------------------------------------------------------
# two runs into the same --out


def test_a_run_that_finds_out_taken_by_a_concurrent_run_says_so(project, tmp_path):
    """Both runs pass the check (``--out`` is free), the other one finishes while this one
    scores: this one stops with one line, and the other's results stay as they are."""
    out = tmp_path / "q1"

    def opts(**kw):
        return RunOptions(criteria_path=project / "criteria" / SAMPLE_CRITERIA.name,
                          data_dir=project / "data", period="2025-Q1", out=out,
                          run_date=date(2025, 4, 5), reports=False, **kw)

    def quiet(_key):
        return contextlib.nullcontext()

    def other_run_finishes_first(key):
        if key == "write" and not out.exists():
            run_scoring(opts(), quiet)
        return contextlib.nullcontext()

    with pytest.raises(ScoringError) as err:
        run_scoring(opts(), other_run_finishes_first)
    (problem,) = err.value.issues
    assert problem.code == "R204" and problem.file == str(out.resolve())
    assert "--force" in problem.message
    theirs = snapshot(out)
    assert theirs and "manifest.json" in theirs
    assert siblings(tmp_path) == ["project", "q1"]


# ---------------------------------------------------------------------------------------------
# --force over a run in which scoring report was interrupted


def test_force_replaces_a_run_holding_the_pdfs_of_an_interrupted_report(project, tmp_path):
    """``.reports.partial`` is ours: the PDFs an interrupted ``scoring report`` staged, its
    journal and a writer's temporary file. A file of the user's put there is still theirs."""
    out = tmp_path / "q1"
    assert run(project, out).exit_code == 0
    staging = out / ".reports.partial"
    staging.mkdir(mode=0o700)
    (staging / "don-vi_VP_van-phong-so.pdf").write_bytes(b"%PDF-1.7 staged")
    (staging / ".journal.jsonl").write_text('{"path": "x"}\n', encoding="utf-8")
    (staging / ".tieu-chi.pdf.4242.tmp").write_bytes(b"%PDF")
    result = run(project, out, "--force")
    assert result.exit_code == 0, result.output
    assert not staging.exists()  # the new run does not carry the old run's staged PDFs

    staging.mkdir(mode=0o700)
    (staging / "ghi-chu.txt").write_text("mine", encoding="utf-8")
    result = run(project, out, "--force")
    refused(result, "R201", ".reports.partial/ghi-chu.txt")
    assert (staging / "ghi-chu.txt").read_text(encoding="utf-8") == "mine"

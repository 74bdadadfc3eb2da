"""A crash at any moment never loses the previous good run, never leaves a half-written run at
``--out``, and leaves nothing readable by others; the next run cleans up. Real processes are
killed: at every write step (``SCORING_TEST_CRASH_AT``) and by SIGKILL of the process group."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from scoring.outputs.manifest import finished_run, read_manifest, sha256_file
from scoring.outputs.run_folder import CRASH_ENV, STEPS_ENV, recover
from tests.helpers import SAMPLE_CRITERIA, SAMPLE_DATA

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")

KEEP_UNITS = ["SKHCN", "VP"]
FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"wOFF", b"wOF2")
RUN_FILE_MAGIC = (b"%PDF", b"PK\x03\x04", b"PAR1")


def tiny_data(folder: Path) -> Path:
    """The sample department cut to two units (21 people): quick runs, real files."""
    folder.mkdir(parents=True)
    units = pl.read_csv(SAMPLE_DATA / "units.csv", infer_schema=False)
    staff = pl.read_csv(SAMPLE_DATA / "staff.csv", infer_schema=False)
    staff = staff.filter(pl.col("unit_id").is_in(KEEP_UNITS))
    units.filter(pl.col("unit_id").is_in(KEEP_UNITS)).write_csv(folder / "units.csv")
    staff.write_csv(folder / "staff.csv")
    for table in ("assessments", "violations", "training", "discipline", "leave"):
        frame = pl.read_csv(SAMPLE_DATA / f"{table}.csv", infer_schema=False)
        frame.filter(pl.col("employee_id").is_in(staff["employee_id"].to_list())).write_csv(
            folder / f"{table}.csv")
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_file(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_of(folder: Path, copy: Path) -> Path:
    shutil.copytree(folder, copy)
    return copy


def put_back(copy: Path, folder: Path) -> None:
    shutil.rmtree(folder)
    shutil.copytree(copy, folder)


def scoring(*args: str, env: dict[str, str] | None = None, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "scoring", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **popen)


def run_args(data: Path, out: Path, run_date: str, *extra: str) -> list[str]:
    return ["run", "--criteria", str(SAMPLE_CRITERIA), "--data", str(data), "--period",
            "2025-Q1", "--out", str(out), "--run-date", run_date, "--force", *extra]


@pytest.fixture
def env(tmp_path):
    """The system temp folder of the runs is the test's own: what a kill leaves there is seen."""
    tmp = tmp_path / "systemp"
    tmp.mkdir()
    return os.environ | {"TMPDIR": str(tmp), "PYTHONPATH": str(Path(__file__).parents[2])}


def finish(proc: subprocess.Popen, timeout: float = 300) -> tuple[int, str]:
    out, _ = proc.communicate(timeout=timeout)
    return proc.returncode, out.decode("utf-8", "replace")


def steps_of(args: list[str], env: dict[str, str], trace: Path) -> list[str]:
    code, out = finish(scoring(*args, env=env | {STEPS_ENV: str(trace)}))
    assert code == 0, out
    return trace.read_text(encoding="utf-8").splitlines()


def assert_no_personal_data_left(out: Path, systemp: Path, data: Path) -> None:
    """After the kill: leftovers next to --out are private; after the next start: none."""
    for leftover in out.parent.iterdir():
        if leftover != out:
            assert stat.S_IMODE(leftover.stat().st_mode) & 0o077 == 0, leftover
    recover(out)
    assert [p.name for p in out.parent.iterdir()] == ([out.name] if out.exists() else [])
    # the system temp may keep the killed workers' font folders (copies of the bundled fonts)
    # and the C compiler's scratch files of ctypes' library lookup at import: never a file of
    # the run (no PDF, workbook, Parquet or ZIP) and nothing naming a person of the data
    people = pl.read_csv(data / "staff.csv", infer_schema=False)
    words = [w.encode() for w in (*people["employee_id"], *people["full_name"])]
    for p in systemp.rglob("*"):
        if not p.is_file() or p.is_symlink():
            continue
        data = p.read_bytes()
        if p.parent.name.startswith("weasyprint-") and data[:4] in FONT_MAGIC:
            continue
        assert data[:4] not in RUN_FILE_MAGIC, p
        assert not any(w in data for w in words), p


def state(out: Path, old: dict[str, str], new_date: str) -> str:
    if out.exists() and snapshot(out) == old:
        return "old"
    assert finished_run(out), f"{out} is neither the old run nor a complete new one"
    assert read_manifest(out)["run_date"] == new_date
    assert set(snapshot(out)) == set(old)  # the same files, none missing
    return "new"


def test_a_crash_at_every_write_step_of_a_run_leaves_the_old_or_the_new_run(tmp_path, env):
    data = tiny_data(tmp_path / "data")
    out = tmp_path / "out" / "q1"
    code, log = finish(scoring(*run_args(data, out, "2025-04-05", "--no-reports"), env=env))
    assert code == 0, log
    old = snapshot(out)
    pristine = copy_of(out, tmp_path / "pristine")
    steps = steps_of(run_args(data, out, "2025-04-06", "--no-reports"), env, tmp_path / "steps.txt")
    assert len(steps) >= 7 and any("exchanged" in s for s in steps), steps
    seen = []
    for n in range(1, len(steps) + 1):
        put_back(pristine, out)  # the old run at --out, then a run killed at step n
        code, log = finish(scoring(*run_args(data, out, "2025-04-06", "--no-reports"),
                                   env=env | {CRASH_ENV: str(n)}))
        assert code == -signal.SIGKILL, (n, log)
        seen.append(state(out, old, "2025-04-06"))
        assert_no_personal_data_left(out, Path(env["TMPDIR"]), data)
    assert seen[0] == "old" and seen[-1] == "new", seen


def test_a_crash_at_every_step_of_scoring_report_keeps_pdfs_and_manifest_together(tmp_path, env):
    data = tiny_data(tmp_path / "data")
    out = tmp_path / "out" / "q1"
    code, log = finish(scoring(*run_args(data, out, "2025-04-05"), env=env))
    assert code == 0, log
    (out / "criteria" / "ghi-chu.txt").write_text("HR's own note", encoding="utf-8")
    old = snapshot(out)
    pristine = copy_of(out, tmp_path / "pristine")
    steps = steps_of(["--lang", "en", "report", "--run", str(out)], env, tmp_path / "steps.txt")
    english = snapshot(out)
    assert english != old and english["criteria/ghi-chu.txt"] == old["criteria/ghi-chu.txt"]
    assert read_manifest(out)["options"]["lang"] == "en"
    for n in range(1, len(steps) + 1):
        put_back(pristine, out)
        code, log = finish(scoring("--lang", "en", "report", "--run", str(out),
                                   env=env | {CRASH_ENV: str(n)}))
        assert code == -signal.SIGKILL, (n, log)
        # PDFs staged for the next call to resume (.reports.partial) aside, the run is whole
        now = {k: v for k, v in snapshot(out).items() if not k.startswith(".reports.partial/")}
        assert now in (old, english), n
        assert finished_run(out)
        assert_no_personal_data_left(out, Path(env["TMPDIR"]), data)


def test_a_finished_run_leaves_nothing_in_the_system_temp_folder(tmp_path, env):
    code, log = finish(scoring(*run_args(tiny_data(tmp_path / "data"), tmp_path / "q1",
                                         "2025-04-05"), env=env))
    assert code == 0, log
    assert list(Path(env["TMPDIR"]).iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "q1", "systemp"]


def test_without_an_atomic_exchange_the_set_aside_run_is_put_back(tmp_path, env):
    """File systems without renameat2: the old run is renamed away first; a crash right then
    is repaired by the next start of the tool."""
    data = tiny_data(tmp_path / "data")
    out = tmp_path / "out" / "q1"
    code, log = finish(scoring(*run_args(data, out, "2025-04-05", "--no-reports"), env=env))
    assert code == 0, log
    old = snapshot(out)
    no_exchange = ("import sys, scoring.outputs.run_folder as f; f._renameat2 = None; "
                   "from scoring.cli import main; sys.argv[0] = 'scoring'; main()")
    trace = tmp_path / "steps.txt"
    args = run_args(data, out, "2025-04-06", "--no-reports")
    proc = subprocess.Popen([sys.executable, "-c", no_exchange, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env | {STEPS_ENV: str(trace)})
    assert finish(proc)[0] == 0
    names = [line.split(" ", 1)[1] for line in trace.read_text(encoding="utf-8").splitlines()]
    crash = names.index("old set aside") + 1
    code, log = finish(scoring(*run_args(data, out, "2025-04-05", "--no-reports"), env=env))
    assert code == 0 and snapshot(out) == old, log
    proc = subprocess.Popen([sys.executable, "-c", no_exchange, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env | {CRASH_ENV: str(crash)})
    assert finish(proc)[0] == -signal.SIGKILL
    assert not out.exists()  # the moment the exchange avoids
    notes = recover(out)
    assert snapshot(out) == old and any("restored" in n for n in notes), notes


def _group(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                pids.append(int(entry.name))
    return pids


def _describe(pids: list[int]) -> list[str]:
    return [Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
            for p in pids if Path(f"/proc/{p}").exists()]


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_killing_the_main_process_takes_the_report_workers_with_it(tmp_path, env):
    data = tiny_data(tmp_path / "data")
    out = tmp_path / "out" / "q1"
    proc = scoring(*run_args(data, out, "2025-04-05"), env=env, start_new_session=True)
    try:
        # the pool is up: the main process, the fork server and at least one worker
        assert _wait_for(lambda: len(_group(proc.pid)) >= 3, 240), finish(proc)[1]
        os.kill(proc.pid, signal.SIGKILL)
        finish(proc, 30)
        assert _wait_for(lambda: not _group(proc.pid), 15), _describe(_group(proc.pid))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert not out.exists()
    assert_no_personal_data_left(out, Path(env["TMPDIR"]), data)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("when", ["reports", "any"])
def test_sigkill_of_the_whole_process_group_of_scoring_run(tmp_path, env, when):
    data = tiny_data(tmp_path / "data")
    out = tmp_path / "out" / "q1"
    code, log = finish(scoring(*run_args(data, out, "2025-04-05"), env=env))
    assert code == 0, log
    old = snapshot(out)
    trace = tmp_path / "steps.txt"
    proc = scoring(*run_args(data, out, "2025-04-06"), env=env | {STEPS_ENV: str(trace)},
                   start_new_session=True)
    if when == "reports":  # while the workers write PDFs
        assert _wait_for(lambda: len(_group(proc.pid)) >= 3, 240), finish(proc)[1]
    else:  # some moment of the write steps, different from run to run
        assert _wait_for(lambda: trace.exists(), 240), finish(proc)[1]
        time.sleep(int.from_bytes(os.urandom(1)) / 100)
    os.killpg(proc.pid, signal.SIGKILL)
    finish(proc, 30)
    assert _wait_for(lambda: not _group(proc.pid), 15)
    state(out, old, "2025-04-06")
    assert_no_personal_data_left(out, Path(env["TMPDIR"]), data)


def test_history_reads_only_finished_runs(tmp_path):
    from scoring.reports.run_reader import discover_history

    from scoring.outputs.manifest import write_manifest

    def fake_run(name: str, period: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        pl.DataFrame({"unit_id": ["VP"], "staff": [3]}).write_parquet(folder / "units.parquet")
        write_manifest(folder, {"tool": {"name": "scoring"}, "period": period,
                                "run_date": "2025-01-05"}, [folder / "units.parquet"])
        return folder

    good = fake_run("2024-Q3", "2024-Q3")
    changed = fake_run("2024-Q4", "2024-Q4")
    pl.DataFrame({"unit_id": ["VP"], "staff": [99]}).write_parquet(changed / "units.parquet")
    fake_run(".2024-Q2.scoring-partial-x1", "2024-Q2")
    (fake_run(".2024-Q1.scoring-partial-x2", "2024-Q1") / "units.parquet").unlink()
    (tmp_path / "2025-Q1").mkdir()
    assert discover_history(tmp_path / "2025-Q1", "2025-Q1") == (good,)

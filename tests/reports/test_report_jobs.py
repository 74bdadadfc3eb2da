"""The report job runner: PDFs written by the parent only, resumable from a journal, and a
``scoring report`` killed mid-set that completes on the next call without rendering again what
it had written."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from report_fixtures import small_tree, write_run

ROOT = Path(__file__).resolve().parents[2]
CRITERIA_PATH = ROOT / "criteria" / "skhcn-quy-2025.yaml"
AGENCY = "UBND TỈNH QUẢNG NGÃI\nSỞ KHOA HỌC VÀ CÔNG NGHỆ"


@pytest.fixture(scope="module")
def criteria():
    from scoring.rules.loader import load_criteria_file

    return load_criteria_file(CRITERIA_PATH)


@pytest.fixture(scope="module")
def run(criteria, tmp_path_factory):
    units, people = small_tree()
    return write_run(tmp_path_factory.mktemp("jobs") / "2025-Q1", criteria, units, people)


def _render(run, criteria, out, **kw):
    from scoring.reports.render import last_written, render_run_reports

    render_run_reports(run, criteria, out_dir=out, agency=AGENCY, history=[], **kw)
    return last_written()


def _bytes(folder: Path) -> dict[str, bytes]:
    """Every PDF under ``folder`` by its relative path (each person's slip is in a sub-folder)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def _jobs(files: dict[str, bytes]) -> list[str]:
    """The files that are render jobs: not the person slips cut from their unit's slips."""
    return sorted(n for n in files if n.count("/") < 2)


@pytest.fixture(scope="module")
def reference(run, criteria, tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    _render(run, criteria, out, workers=1)
    return _bytes(out)


def test_resume_renders_only_what_is_missing_or_damaged(run, criteria, reference, tmp_path):
    out = tmp_path / "staging"
    journal = out / ".journal.jsonl"
    first = _render(run, criteria, out, workers=1, journal=journal)
    assert not any(w.skipped for w in first)
    assert {w.path.relative_to(out).as_posix(): w.sha256 for w in first} == {
        n: hashlib.sha256(reference[n]).hexdigest() for n in _jobs(reference)}
    names = _jobs(reference)
    (out / names[0]).unlink()  # lost
    damaged = out / names[1]
    damaged.write_bytes(damaged.read_bytes()[:1000])  # cut short (a disk that lost its tail)
    (out / f".{names[2]}.4242.tmp").write_bytes(b"%PDF-1.7 half")  # a killed writer's file

    again = _render(run, criteria, out, workers=2, journal=journal)
    rendered = sorted(w.path.relative_to(out).as_posix() for w in again if not w.skipped)
    assert rendered == sorted(names[:2])
    assert sum(w.skipped for w in again) == len(names) - 2
    assert _bytes(out) == reference
    assert [p.name for p in out.rglob(".*")] == [journal.name]  # the killed writer's file is gone


def test_a_changed_job_is_rendered_again(run, criteria, tmp_path):
    out = tmp_path / "staging"
    journal = out / ".journal.jsonl"
    _render(run, criteria, out, workers=1, journal=journal)
    same = _render(run, criteria, out, workers=1, journal=journal)
    assert all(w.skipped for w in same)
    other = _render(run, criteria, out, workers=1, journal=journal, place="Đà Nẵng")
    assert not any(w.skipped for w in other)  # every page shows the place: nothing is kept


def test_the_job_function_writes_nothing(run, criteria, tmp_path):
    from scoring.reports import pdf
    from scoring.reports.builder import ReportBuilder
    from scoring.reports.run_reader import load_run

    ctx = ReportBuilder(load_run(run), criteria).unit_report("VP")
    target = tmp_path / "vp.pdf"
    result = pdf.render_job(pdf.RenderJob("unit.html.j2", ctx, str(target), "0" * 32))
    assert result.data.startswith(b"%PDF-") and result.pages >= 1
    assert list(tmp_path.iterdir()) == []


def _manifest_reports(run_dir: Path) -> dict[str, str]:
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    return {o["path"]: o["sha256"] for o in manifest.get("outputs", [])
            if o["path"].startswith("reports/")}


def test_scoring_report_killed_mid_set_resumes(criteria, reference, tmp_path):
    units, people = small_tree()
    run = write_run(tmp_path / "2025-Q1", criteria, units, people,
                    options={"agency": AGENCY})
    (run / "criteria").mkdir()
    (run / "criteria" / CRITERIA_PATH.name).write_bytes(CRITERIA_PATH.read_bytes())
    manifest_before = (run / "manifest.json").read_bytes()
    staging = run / ".reports.partial"
    env = os.environ | {"SCORING_SETTINGS": str(_settings(tmp_path, "workers = 1"))}
    cmd = [sys.executable, "-m", "scoring", "report", "--run", str(run)]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if staging.is_dir() and len(list(staging.glob("*.pdf"))) >= 2:
            break
        time.sleep(0.02)
    assert proc.poll() is None, proc.stderr.read().decode()
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert (run / "manifest.json").read_bytes() == manifest_before  # nothing listed yet
    assert not (run / "reports").exists()
    kept = {p.name: p.read_bytes() for p in staging.glob("*.pdf")}
    assert 2 <= len(kept) < len(reference)
    assert all(reference[n] == b for n, b in kept.items())  # every file there is whole

    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{len(kept)}/{len(reference)}" in done.stderr  # "… PDF đã có, không xuất lại"
    assert not staging.exists()
    assert _bytes(run / "reports") == reference
    assert _manifest_reports(run) == {
        f"reports/{n}": hashlib.sha256(b).hexdigest() for n, b in reference.items()}


def _settings(folder: Path, *lines: str) -> Path:
    path = folder / "scoring.toml"
    path.write_text("[reports]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("lines", "where"), [
    (("schedular = 'tcp://x:1'",), "did you mean 'scheduler'"),
    (("scheduler = 'localhost'",), "tcp://HOST:8786"),
    (("workers = 0",), "reports.workers"),
    (("connect_timeout = 'soon'",), "reports.connect_timeout"),
])
def test_bad_settings_are_refused(tmp_path, lines, where):
    from scoring.errors import ScoringError
    from scoring.settings import load_settings

    path = _settings(tmp_path, *lines)
    with pytest.raises(ScoringError) as err:
        load_settings(path)
    assert str(path) in str(err.value) and where in str(err.value)

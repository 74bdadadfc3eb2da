"""Report jobs on a Dask LocalCluster of two worker processes (127.0.0.1 only): the same PDFs
as this process renders, fonts loaded once per worker, a worker killed in the middle of a job
(the job is given to another worker, the set is complete, no file is half-written), the CLI's
``--scheduler`` and its settings entry, and a clear error when no scheduler answers."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_fixtures import sized_tree, small_tree, write_run

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]
CRITERIA_PATH = ROOT / "criteria" / "skhcn-quy-2025.yaml"


@pytest.fixture(scope="module")
def criteria():
    from scoring.rules.loader import load_criteria_file

    return load_criteria_file(CRITERIA_PATH)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                  silence_logs=50) as c:
        with distributed.Client(c, set_as_default=False) as client:
            yield c, client


def _render(run, criteria, out, **kw):
    from scoring.reports.render import last_written, render_run_reports

    render_run_reports(run, criteria, out_dir=out, history=[], **kw)
    return last_written()


def _executing(dask_worker) -> list[str]:
    return [str(ts.key) for ts in dask_worker.state.executing]


def test_a_worker_killed_mid_job_is_replaced_and_the_set_is_complete(cluster, criteria, tmp_path):
    from scoring.reports import pdf

    c, client = cluster
    units, people = sized_tree(3, 20)  # the top unit's report (60 people) is the longest job
    run = write_run(tmp_path / "run", criteria, units, people)
    reference = tmp_path / "reference"
    _render(run, criteria, reference, workers=1)

    out = tmp_path / "dask"
    box: dict[str, object] = {}
    worker = threading.Thread(target=lambda: box.update(
        written=_render(run, criteria, out, scheduler=c.scheduler_address)))
    worker.start()
    top = "render-0-don-vi_SO_"  # biggest first: the top unit's report is job 0
    victim = None
    deadline = time.monotonic() + 60
    while victim is None and time.monotonic() < deadline and worker.is_alive():
        for addr, keys in client.run(_executing).items():
            if any(k.startswith(top) for k in keys):
                victim = addr
        time.sleep(0.02)
    assert victim is not None, "the top unit's job was never seen running"
    pid = client.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)
    worker.join(timeout=120)
    assert not worker.is_alive()

    written = box["written"]
    by_name = {w.path.name: w for w in written}
    killed_job = next(w for n, w in by_name.items() if n.startswith("don-vi_SO_"))
    assert killed_job.result.pid != pid  # rendered again, by another worker process
    files = sorted(p.relative_to(reference) for p in reference.rglob("*") if p.is_file())
    assert sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file()) == files
    for rel in files:  # nothing half-written, same bytes as one process makes
        assert (out / rel).read_bytes() == (reference / rel).read_bytes(), rel
    client.wait_for_workers(2, timeout=60)  # the nanny started a new worker
    assert set(client.run(pdf.renderer_loads).values()) == {1}  # fonts etc. once per worker
    pids = {w.result.pid for w in written}
    assert len(pids) >= 2 and os.getpid() not in pids


def test_cli_report_on_the_cluster_from_option_and_settings(cluster, criteria, tmp_path,
                                                            monkeypatch):
    from scoring.reports.render import last_written

    from scoring.cli import main

    c, client = cluster
    units, people = small_tree()
    run = write_run(tmp_path / "2025-Q1", criteria, units, people)
    (run / "criteria").mkdir()
    (run / "criteria" / CRITERIA_PATH.name).write_bytes(CRITERIA_PATH.read_bytes())
    workers = set(client.run(os.getpid).values())
    res = CliRunner().invoke(main, ["report", "--run", str(run), "--scheduler", c.scheduler_address])
    assert res.exit_code == 0, res.output
    reports = run / "reports"
    assert len(list(reports.glob("don-vi_*.pdf"))) == len(units)
    assert {"tong-hop_so.pdf", "tieu-chi.pdf", "thong-bao-cong-khai.pdf", "phieu"} <= {
        p.name for p in reports.iterdir()}
    assert {w.result.pid for w in last_written()} <= workers  # rendered on the cluster

    settings = tmp_path / "scoring.toml"
    settings.write_text(f'[reports]\nscheduler = "{c.scheduler_address}"\n', encoding="utf-8")
    monkeypatch.setenv("SCORING_SETTINGS", str(settings))
    res = CliRunner().invoke(main, ["report", "--run", str(run)])
    assert res.exit_code == 0, res.output
    assert {w.result.pid for w in last_written()} <= workers


def test_unreachable_scheduler_is_a_clear_error(criteria, tmp_path, monkeypatch):
    from scoring.cli import main

    units, people = small_tree()
    run = write_run(tmp_path / "2025-Q1", criteria, units, people)
    (run / "criteria").mkdir()
    (run / "criteria" / CRITERIA_PATH.name).write_bytes(CRITERIA_PATH.read_bytes())
    settings = tmp_path / "scoring.toml"
    settings.write_text("[reports]\nconnect_timeout = 1\n", encoding="utf-8")
    monkeypatch.setenv("SCORING_SETTINGS", str(settings))
    res = CliRunner().invoke(main, ["report", "--run", str(run), "--scheduler", "tcp://127.0.0.1:9"])
    assert res.exit_code == 2
    assert "tcp://127.0.0.1:9" in res.output and "cannot reach the Dask scheduler" in res.output
    assert "Traceback" not in res.output
    assert not (run / "reports").exists()

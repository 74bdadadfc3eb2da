"""Smoke test of the scale benchmark's pieces on a small generated dataset (no timings).

The national data generator must write contract-valid data that scores end to end; the pandas
and DuckDB peers used as yardsticks must agree with the engine, or their timings mean nothing.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from scoring.inputs.readers import read_inputs
from scoring.rules.loader import load_criteria_file
from scoring.run import RunOptions, run_scoring
from tests.helpers import ROOT, SAMPLE_CRITERIA

pytest.importorskip("numpy")  # the generator draws with numpy (benchmark dependency)

BENCHMARKS = ROOT / "benchmarks"
STAFF = 2_000


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    gen = _module("generate_national")
    out = tmp_path_factory.mktemp("national") / "data"
    gen.write_dataset(gen.generate(STAFF, seed=7), out)
    return out


def _ranges() -> dict[str, tuple[float, float]]:
    criteria = load_criteria_file(SAMPLE_CRITERIA)
    return {c: (0.0, m) for c, m in criteria.assessment_ranges.items() if m is not None}


def test_generator_is_deterministic_and_shaped() -> None:
    gen = _module("generate_national")
    a, b = gen.generate(500, seed=3), gen.generate(500, seed=3)
    assert list(a) == list(gen.TABLE_NAMES)
    for name in a:
        assert a[name].equals(b[name]), name
    staff = a["staff"]
    assert staff.height == 500 and staff["employee_id"].is_unique().all()
    sizes = staff.group_by("unit_id").len()["len"]
    assert sizes.max() <= 60
    assessments = a["assessments"]
    for column, top in gen.SCORE_MAX.items():
        assert assessments[column].min() >= 0 and assessments[column].max() <= top


def test_generated_data_passes_validation(generated: Path) -> None:
    inputs = read_inputs(generated, assessment_ranges=_ranges())
    assert inputs.staff.height == STAFF
    assert {s.table for s in inputs.sources} == {
        "units", "staff", "assessments", "violations", "training", "discipline", "leave"}
    # roughly the intended mix: a quarter with a violation in 2025, most trained
    year = inputs.violations.filter(pl.col("violation_date").dt.year() == 2025)
    assert 0.15 < year["employee_id"].n_unique() / STAFF < 0.35
    assert inputs.training["employee_id"].n_unique() / STAFF > 0.4


@pytest.fixture(scope="module")
def engine_run(generated: Path, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("national") / "run"
    summary = run_scoring(
        RunOptions(criteria_path=SAMPLE_CRITERIA, data_dir=generated, period="2025-Q1",
                   out=out, run_date=date(2025, 4, 5), reports=False),
        lambda _name: _NoStep(),
    )
    return out, summary.counts


def test_generated_data_scores_end_to_end(engine_run: tuple[Path, dict]) -> None:
    out, counts = engine_run
    scores = pl.read_parquet(out / "scores.parquet")
    assert scores.height == counts["staff"] > 0.9 * STAFF
    assert counts["rated"] > 0.9 * scores.height
    assert set(scores["rating"].drop_nulls()) <= {"HTXS", "HTT", "HT", "KHT"}
    explanations = pl.read_parquet(out / "explanations.parquet")
    assert explanations["employee_id"].n_unique() == scores.height
    assert (out / "scores.xlsx").is_file() and (out / "manifest.json").is_file()


def test_pandas_peer_agrees_with_the_engine(
    generated: Path, engine_run: tuple[Path, dict], tmp_path: Path
) -> None:
    pytest.importorskip("pandas")
    peer = _module("pandas_peer")
    bench = _module("bench_scale")
    peer.run(generated, tmp_path / "peer")
    out, _ = engine_run
    assert bench.compare_scores(tmp_path / "peer" / "scores.parquet", out / "scores.parquet") == 0


def test_duckdb_peer_agrees_with_the_engine(
    generated: Path, engine_run: tuple[Path, dict], tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
    peer = _module("duckdb_peer")
    bench = _module("bench_scale")
    figures = peer.run(generated, tmp_path / "duck")
    out, counts = engine_run
    assert figures["rows"] == counts["staff"]
    duck = tmp_path / "duck" / "scores.parquet"
    assert bench.compare_scores(duck, out / "scores.parquet") == 0
    # the comparison has teeth: the data moves people by the quota and by overrides
    scores = pl.read_parquet(duck)
    assert (scores["quota"] == "htxs_quota").sum() > 0
    assert scores["overrides"].str.contains("alcohol_cap").sum() > 0
    assert scores["overrides"].str.contains("leader_unit_alcohol").sum() > 0
    # and it sees a difference: one total changed is one row different
    changed = scores.with_columns(pl.when(pl.col("employee_id") == scores["employee_id"][0])
                                  .then(pl.col("total") + 0.01).otherwise(pl.col("total"))
                                  .alias("total"))
    changed.write_parquet(tmp_path / "changed.parquet")
    assert bench.compare_scores(tmp_path / "changed.parquet", out / "scores.parquet") == 1


class _NoStep:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_scale_benchmark_runs_end_to_end_and_prints_its_figures(tmp_path: Path) -> None:
    """The documented command, on a tiny size: every child runs and the table is printed."""
    import os
    import subprocess

    env = {**os.environ, "SCORING_BENCH_CACHE": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_scale.py"), "--sizes", "2000", "--repeat", "1",
         "--no-pandas", "--no-reports", "--json", str(tmp_path / "figures.json")],
        capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    for label in ("end to end (run_scoring, no reports)", "I/O floor, Polars alone",
                  "end to end / floor", "validation (read_inputs − plain read)",
                  "peak memory, end to end"):
        assert label in done.stdout
    if importlib.util.find_spec("duckdb") is not None:
        assert "engine / DuckDB, same scope" in done.stdout
    import json

    summary = json.loads((tmp_path / "figures.json").read_text())["results"][0]["summary"]
    assert summary["e2e"] > 0 and summary["floor"] > 0 and summary["e2e_peak_mb"] > 0
    if importlib.util.find_spec("duckdb") is not None:
        assert summary["duckdb_mismatches"] == 0 and summary["engine_vs_duckdb"] > 0


def test_profile_steps_instruments_every_step_it_names():
    """Every function the profiler times still exists; a missing one stops it with its name.

    In a child process: instrumenting wraps the product's functions for the rest of a process.
    """
    code = ("import sys, types; sys.path.insert(0, 'benchmarks'); import profile_steps as p;"
            "done = p._instrument(); print('score · quotas' in done, 'read · SHA-256 of inputs' in done);"
            "p._wrap(types.ModuleType('scoring.gone'), 'step', 'removed')")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.split() == ["True", "True"], out.stderr
    assert out.returncode == 1
    assert "scoring.gone.step no longer exists" in out.stderr


def test_office_workbooks_of_the_read_benchmark_score_like_their_parquet(generated, tmp_path) -> None:
    """The benchmark's office workbooks (words, text dates, furniture) hold the same data."""
    from scoring.rules.needs import criteria_needs

    bench = _module("bench_office_read")
    bench.write_office_workbooks(generated, tmp_path / "office")
    needs = criteria_needs(load_criteria_file(SAMPLE_CRITERIA))
    office = read_inputs(tmp_path / "office", needs=needs, period="2025-Q1")
    parquet = read_inputs(generated, needs=needs, period="2025-Q1")
    for table in ("units", "staff", "violations", "training", "discipline", "leave"):
        assert office.table(table).equals(parquet.table(table)), table
    assert office.assessments.select(parquet.assessments.columns).equals(parquet.assessments)


def test_distributed_benchmark_runs_on_a_tiny_size() -> None:
    pytest.importorskip("distributed")
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_distributed.py"), "--units", "3", "--median", "3",
         "--empty-jobs", "20"],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    for label in ("local pool, 2 processes:", "dask, 2 workers:", "same bytes as the pool: yes",
                  "scheduler overhead per job:", "empty jobs (20", " 1 machine(s)", "10 machine(s)",
                  "50 machine(s)"):
        assert label in done.stdout, label

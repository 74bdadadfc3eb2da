"""How wide a data table may be: a located refusal past the limit, not minutes of work.

A CSV with 20,000 extra columns took 71–98 s through a quadratic loop. The loops are linear
now (``benchmarks/bench_width.py`` prints N against 2N, for measures too); a table of more than
``MAX_COLUMNS`` columns is refused at once, naming the file and what to do. (The criteria
file's limits are ``scoring/rules/limits.py``'s, tested with the criteria.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from scoring.errors import InputDataError
from scoring.inputs.readers import MAX_COLUMNS, read_inputs
from tests.helpers import SAMPLE_DATA


def wide_staff(tmp_path: Path, extra: int) -> Path:
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, data, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    staff = pl.read_csv(data / "staff.csv", infer_schema=False)
    staff.with_columns(pl.lit("x").alias(f"ghi_chu_{i}") for i in range(extra)).write_csv(
        data / "staff.csv")
    return data


def test_a_table_wider_than_the_limit_is_refused_naming_the_file(tmp_path):
    data = wide_staff(tmp_path, 20_000)
    with pytest.raises(InputDataError) as info:
        read_inputs(data)
    (problem,) = [i for i in info.value.issues if i.code == "D114"]
    assert problem.file == "staff.csv" and problem.line == 1
    assert f"20009 columns, more than the maximum of {MAX_COLUMNS}" in problem.message
    assert "delete the columns that are not used" in problem.message


def test_a_table_at_the_limit_is_read(tmp_path):
    width = len(pl.read_csv(SAMPLE_DATA / "staff.csv", n_rows=1).columns)
    inputs = read_inputs(wide_staff(tmp_path, MAX_COLUMNS - width))
    assert inputs.staff.height == pl.read_csv(SAMPLE_DATA / "staff.csv").height


def test_the_width_benchmark_runs(tmp_path):
    """``benchmarks/bench_width.py`` on small widths: it must keep running (no timings)."""
    import subprocess
    import sys

    bench = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_width.py"
    done = subprocess.run([sys.executable, str(bench), "--measures", "5", "--columns", "5",
                           "--repeat", "1"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert [ln.split()[0] for ln in done.stdout.splitlines()] == ["validate", "score", "read"]

"""Cost against the width of the inputs: measures in a criteria file, columns in a CSV.

    python benchmarks/bench_width.py [--measures 200] [--columns 400] [--repeat 2]

Each case is timed at N and 2N in the same run and the ratio printed: linear growth gives
about 2 (less when a fixed cost dominates), quadratic about 4.

- ``validate``: the sample quarterly criteria with N extra measures over the violations, loaded
  (every expression checked) and its worked examples run, as ``scoring validate`` does;
- ``score``: the sample department scored with those criteria (the context holds every
  measure and its record ids);
- ``read``: the sample data with N extra columns in ``staff.csv``, read, validated and scored.

The limits (``scoring/rules/limits.py`` for criteria files, ``MAX_COLUMNS`` of the readers)
bound what a file may hold; the defaults stay below them.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from scoring.audit.examples import run_examples  # noqa: E402
from scoring.engine.score import score  # noqa: E402
from scoring.inputs.readers import read_inputs  # noqa: E402
from scoring.periods import parse_period  # noqa: E402
from scoring.rules.loader import load_criteria  # noqa: E402
from scoring.rules.needs import criteria_needs  # noqa: E402
from scoring.run import compute  # noqa: E402

CRITERIA = ROOT / "criteria" / "skhcn-quy-2025.yaml"
DATA = ROOT / "sample_data"
PERIOD = "2025-Q1"


def with_measures(n: int) -> str:
    """The sample criteria with ``n`` more record measures (each its own filter)."""
    text = CRITERIA.read_text(encoding="utf-8")
    extra = "".join(
        f"  - id: extra_{i}\n    label: Chỉ số thêm {i}\n    table: violations\n"
        f"    where: status = 'effective' AND fine_vnd > {i}\n" for i in range(n))
    return text.replace("measures:\n", "measures:\n" + extra, 1)


def with_columns(n: int, folder: Path) -> Path:
    """A copy of the sample data whose ``staff.csv`` has ``n`` more columns."""
    data = folder / f"data-{n}"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    staff = pl.read_csv(data / "staff.csv", infer_schema=False)
    staff.with_columns(pl.lit("x").alias(f"ghi_chu_{i}") for i in range(n)).write_csv(
        data / "staff.csv")
    return data


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def report(name: str, n: int, a: float, b: float) -> None:
    print(f"{name:<9} N={n:<6} {a:7.2f} s   2N={2 * n:<6} {b:7.2f} s   ratio 2N/N {b / a:4.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=200)
    parser.add_argument("--columns", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    period = parse_period(PERIOD)

    def validate(text: str) -> None:
        criteria = load_criteria(text, source="bench.yaml")
        assert all(r.passed for r in run_examples(criteria, source="bench.yaml"))

    n = args.measures
    texts = {k: with_measures(k) for k in (n, 2 * n)}
    validate(texts[n])  # warm-up: imports, Polars' thread pool
    report("validate", n, best(lambda: validate(texts[n]), args.repeat),
           best(lambda: validate(texts[2 * n]), args.repeat))

    loaded = {k: load_criteria(t, source="bench.yaml") for k, t in texts.items()}
    inputs = {k: read_inputs(DATA, needs=criteria_needs(c), period=PERIOD) for k, c in loaded.items()}
    report("score", n, best(lambda: score(loaded[n], inputs[n], period), args.repeat),
           best(lambda: score(loaded[2 * n], inputs[2 * n], period), args.repeat))

    with tempfile.TemporaryDirectory() as tmp:
        k = args.columns
        folders = {w: with_columns(w, Path(tmp)) for w in (k, 2 * k)}

        def run(folder: Path) -> None:
            compute(CRITERIA, folder, PERIOD, lambda _key: contextlib.nullcontext())

        run(folders[k])
        report("read", k, best(lambda: run(folders[k]), args.repeat),
               best(lambda: run(folders[2 * k]), args.repeat))


if __name__ == "__main__":
    main()

"""Time reading and validating the inputs alone: plain ``pl.read_parquet`` vs ``read_inputs``.

    python benchmarks/bench_read.py --staff 2700000 [--runs 3] [--data DIR]

Uses the generated data of ``bench_scale.py`` (cached under /tmp/scoring-bench; generated when
missing) and the sample criteria's assessment ranges, as ``scoring run`` reads them. Prints
every run's wall and CPU seconds (user + system, all threads), the best of each, their ratio,
the peak RSS and the load average before and after: on a shared machine, take the best run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import CRITERIA, PERIOD, ensure_data


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _timed(fn) -> tuple[float, float]:
    cpu, wall = _cpu(), time.perf_counter()
    fn()
    return time.perf_counter() - wall, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=270_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, help="input folder (default: the benchmark cache)")
    args = parser.parse_args()
    data = args.data or ensure_data(args.staff, args.seed)

    from scoring.inputs.readers import read_inputs
    from scoring.periods import parse_period
    from scoring.rules.select import resolve_criteria

    _, criteria = resolve_criteria(CRITERIA, parse_period(PERIOD))
    ranges = {c: (0.0, m) for c, m in criteria.assessment_ranges.items() if m is not None}
    files = sorted(data.glob("*.parquet"))
    print(f"{data}; load average {os.getloadavg()[0]:.2f}")
    plain = [_timed(lambda: [pl.read_parquet(f) for f in files]) for _ in range(args.runs)]
    full = [_timed(lambda: read_inputs(data, assessment_ranges=ranges)) for _ in range(args.runs)]
    for label, runs in (("plain pl.read_parquet", plain), ("read_inputs", full)):
        walls = " ".join(f"{w:.2f}" for w, _ in runs)
        cpus = " ".join(f"{c:.2f}" for _, c in runs)
        print(f"{label:<22} wall {walls}  cpu {cpus}")
    best_plain, best_full = min(plain), min(full)
    print(f"best: plain {best_plain[0]:.2f} s (cpu {best_plain[1]:.2f}), read_inputs "
          f"{best_full[0]:.2f} s (cpu {best_full[1]:.2f}), {best_full[0] / best_plain[0]:.1f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

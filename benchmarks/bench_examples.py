"""Worked examples: all of a file scored in one pass vs each example alone (the baseline).

    python benchmarks/bench_examples.py [--examples 30] [--repeat 3]

Builds a criteria object whose examples are the sample quarterly file's own, repeated up to
``--examples``, and prints the wall time of ``run_examples`` (one pass per period) against
scoring each example alone in the same run, with the ratio; then ``scoring validate`` on the
bundled criteria files as a user runs it (a fresh process, imports included), ``--processes``
times each: median wall and CPU seconds (user + sys of the process and its threads), against
``scoring --help`` (the same process start and command-line imports) timed in the same run.
CPU seconds are the figure to read on a shared machine: wall time there mostly measures the
other jobs.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.audit.examples import run_examples  # noqa: E402
from scoring.rules.loader import load_criteria_file  # noqa: E402

SAMPLE = ROOT / "criteria" / "skhcn-quy-2025.yaml"


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--processes", type=int, default=5,
                        help="fresh `scoring validate` processes per file")
    args = parser.parse_args()
    sample = load_criteria_file(SAMPLE)
    own = sample.examples
    examples = tuple(own[i % len(own)] for i in range(args.examples))
    criteria = sample.model_copy(update={"examples": examples, "quota_examples": ()})
    alone = [criteria.model_copy(update={"examples": (ex,)}) for ex in examples]

    run_examples(criteria)  # warm-up: compiled expressions, Polars' thread pool
    together = _best(lambda: run_examples(criteria), args.repeat)
    one_by_one = _best(lambda: [run_examples(c) for c in alone], max(1, args.repeat - 2))
    assert all(r.passed for r in run_examples(criteria))
    n = args.examples
    print(f"{n} examples, one pass:   {together:.3f} s  ({1000 * together / n:.1f} ms each)")
    print(f"{n} examples, one by one: {one_by_one:.3f} s  ({1000 * one_by_one / n:.1f} ms each)")
    print(f"ratio one by one / one pass: {one_by_one / together:.1f}x")
    scoring = Path(sys.executable).with_name("scoring")
    base_wall, base_cpu = _process([str(scoring), "--help"], args.processes)
    print(f"scoring --help (baseline): wall {base_wall:.2f} s, cpu {base_cpu:.2f} s "
          f"(median of {args.processes})")
    for name in VALIDATED:
        wall, cpu = _process([str(scoring), "validate", str(ROOT / "criteria" / name)],
                             args.processes)
        print(f"scoring validate criteria/{name}: wall {wall:.2f} s, cpu {cpu:.2f} s "
              f"({cpu / base_cpu:.1f}x the baseline's cpu)")


VALIDATED = ("skhcn-quy-2025.yaml", "skhcn-nam-2025.yaml", "trung-tam/thang-2025.yaml",
             "trung-tam/nam-2025.yaml")


def _process(command: list[str], times: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``times`` fresh processes (after one not counted)."""
    walls, cpus = [], []
    for i in range(times + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if i:
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


if __name__ == "__main__":
    main()

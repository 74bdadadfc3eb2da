"""Worked examples: all of a file scored in one pass vs each example alone (the baseline).

    python benchmarks/bench_examples.py [--examples 30] [--repeat 3]

Builds a criteria object whose examples are the sample quarterly file's own, repeated up to
``--examples``, and prints the wall time of ``run_examples`` (one pass per period) against
scoring each example alone in the same run, with the ratio; then ``scoring validate`` on the
bundled sample files as a user runs it (a fresh process, imports included).
"""

from __future__ import annotations

import argparse
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
    for name in ("skhcn-quy-2025.yaml", "skhcn-nam-2025.yaml"):
        start = time.perf_counter()
        subprocess.run([str(scoring), "validate", str(ROOT / "criteria" / name)], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"scoring validate criteria/{name}: {time.perf_counter() - start:.2f} s (fresh process)")


if __name__ == "__main__":
    main()

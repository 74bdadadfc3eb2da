"""How long oversized criteria files take to be refused, against loading the sample file.

    python benchmarks/bench_criteria_limits.py [--repeat 3]

Times ``load_criteria`` (CPU seconds of this process, the median of ``--repeat``) on:
the sample quarterly file (the baseline, loaded and checked), the sample with 40,000 extra
measures (1.9 MB, refused by the reader's value budget, C113), with 1,001 extra measures
(refused at ``measures[1000]``, C205), and a 2 MB list of 600,000 tiny values (C113). Before
the limits, the 40,000-measure file took more than 30 s and the 2 MB list about a minute
(the pure-Python YAML reader read them whole). Prints each figure and its ratio to the
baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.errors import CriteriaError  # noqa: E402
from scoring.rules.loader import load_criteria  # noqa: E402

SAMPLE = (ROOT / "criteria" / "skhcn-quy-2025.yaml").read_text(encoding="utf-8")


def _measures(n: int) -> str:
    extra = "".join(f"  - {{id: m{i}, table: violations, agg: count}}\n" for i in range(n))
    return SAMPLE.replace("measures:\n", "measures:\n" + extra, 1)


def _cpu(text: str, repeat: int) -> tuple[float, str]:
    times, outcome = [], ""
    for _ in range(repeat):
        start = time.process_time()
        try:
            load_criteria(text, source="bench.yaml")
            outcome = "loaded"
        except CriteriaError as exc:
            outcome = "refused " + ", ".join(sorted({i.code for i in exc.issues}))
        times.append(time.process_time() - start)
    return statistics.median(times), outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases = {
        "sample file (baseline)": SAMPLE,
        "+40,000 measures (1.9 MB)": _measures(40_000),
        "+1,001 measures": _measures(1_001),
        "600,000 tiny values (1.8 MB)": "id: x\nbulk: [" + ", ".join(["1"] * 600_000) + "]\n",
    }
    base = None
    for name, text in cases.items():
        cpu, outcome = _cpu(text, args.repeat)
        base = base or cpu
        print(f"{name:32} {cpu:7.2f} CPU-s  {cpu / base:7.1f}× baseline  {outcome}")


if __name__ == "__main__":
    main()

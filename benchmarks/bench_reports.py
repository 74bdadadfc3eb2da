"""Benchmark of the PDF reports: seconds per page and the speed-up from 1 to N workers.

    /tmp/venv/bin/python benchmarks/bench_reports.py --units 10 --staff 30 --workers 1 2

Generates a synthetic run folder (``tests/report_fixtures.py``) of ``--units`` units (a
department and its divisions) with ``--staff`` people each, scored under the criteria file, then
renders every PDF of the run (unit reports, summary, criteria sheet) with each worker count.
Prints figures only; there is no pass/fail. The first call with several workers pays for
starting the fork server (importing WeasyPrint once); it is reported separately as "cold".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from report_fixtures import sized_tree, write_run  # noqa: E402
from scoring.reports.pdf import subset_backend  # noqa: E402
from scoring.reports.render import last_results, render_run_reports  # noqa: E402

from scoring.criteria_loader import load_criteria_file  # noqa: E402


def _lpt_makespan(jobs: list[float], workers: int) -> float:
    """Finish time of the jobs on ``workers`` processes, biggest first (what the pool does)."""
    loads = [0.0] * workers
    for job in sorted(jobs, reverse=True):
        loads[loads.index(min(loads))] += job
    return max(loads)


_JOB_CPU: list[float] = []


def _one(run: Path, criteria, out: Path, workers: int, lang: str) -> tuple[float, int, float, float]:
    start = time.perf_counter()
    render_run_reports(run, criteria, out_dir=out, workers=workers, lang=lang, history=[],
                       agency="UBND TỈNH QUẢNG NGÃI\nSỞ KHOA HỌC VÀ CÔNG NGHỆ",
                       place="Quảng Ngãi")  # fmt: skip
    wall = time.perf_counter() - start
    results = last_results()
    pages = sum(r.pages for r in results)
    busy = sum(r.seconds for r in results)
    cpu = sum(r.cpu_seconds for r in results)
    if workers == 1:
        _JOB_CPU[:] = [r.cpu_seconds for r in results]
    warnings = [w for r in results for w in r.warnings]
    if warnings:
        print("  warnings:", *warnings[:5], sep="\n    ")
    return wall, pages, busy, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10, help="units including the top one")
    parser.add_argument("--staff", type=int, default=30, help="people per unit")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per worker count")
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))
    parser.add_argument("--criteria", type=Path, default=ROOT / "criteria" / "skhcn-quy-2025.yaml")
    args = parser.parse_args()

    criteria = load_criteria_file(args.criteria)
    units, people = sized_tree(args.units, args.staff)
    print(f"cpus: {os.cpu_count()}; load average: {os.getloadavg()[0]:.2f}; "
          f"font subsetting: {subset_backend()}")  # fmt: skip
    print(f"fixture: {len(units)} units × {args.staff} staff = {len(people)} people")
    with tempfile.TemporaryDirectory() as tmp:
        run = write_run(Path(tmp) / "run", criteria, units, people)
        best: dict[int, float] = {}
        for workers in args.workers:
            walls = []
            for i in range(args.repeat + (1 if workers > 1 else 0)):
                wall, pages, busy, cpu = _one(run, criteria, Path(tmp) / f"out-{workers}-{i}",
                                         workers, args.lang)  # fmt: skip
                tag = "cold" if workers > 1 and i == 0 else "warm"
                print(f"workers={workers} [{tag}] {len(units) + 2} PDFs, {pages} pages: "
                      f"{wall:.2f} s wall, {wall / pages:.3f} s/page; in the workers "
                      f"{busy / pages:.3f} s/page wall, {cpu / pages:.3f} s/page CPU")  # fmt: skip
                if tag == "warm":
                    walls.append(wall)
            best[workers] = min(walls)
            print(
                f"workers={workers}: best {best[workers]:.2f} s, "
                f"mean {statistics.mean(walls):.2f} s, {best[workers] / pages:.3f} s/page"
            )
        base = best.get(1)
        if base:
            for workers, wall in best.items():
                if workers != 1:
                    print(f"speed-up 1 → {workers} workers: {base / wall:.2f}× (wall clock)")
                    if _JOB_CPU:
                        bound = sum(_JOB_CPU) / _lpt_makespan(_JOB_CPU, workers)
                        print(f"  bound from the jobs' CPU times (biggest first, idle machine): "
                              f"{bound:.2f}×; the largest PDF takes {max(_JOB_CPU):.2f} s "
                              f"of {sum(_JOB_CPU):.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()

"""Benchmark of the PDF reports: CPU seconds per page and the speed-up from 1 to N workers.

    .venv/bin/python benchmarks/bench_reports.py --units 10 --staff 30 --workers 1 2 --repeat 2

Generates a synthetic run folder (``tests/report_fixtures.py``) of ``--units`` units (a
department and its divisions) with ``--staff`` people each, scored under the criteria file, then
renders every PDF of the run (unit reports, summary, criteria sheet) with each worker count.
Prints figures only; there is no pass/fail.

The machine may be shared, so wall-clock figures are noisy. Each run therefore prints:

- wall time and, from the rendering processes, CPU seconds per page (the main per-page figure:
  a busy machine stretches wall time, much less CPU time);
- for several workers, a timeline per worker process: when its first job started and its last
  one ended (from the start of the call), its jobs' CPU and its whole CPU (start-up included);
- the speed-up from 1 to N workers by wall clock, and "by CPU": the CPU of the one-worker call
  divided by the CPU makespan of the N-worker call (the parent's CPU plus the busiest worker's
  whole CPU), i.e. the speed-up the N-worker run would have had with a free core per process.

The first call with several workers also starts the fork server (importing WeasyPrint once);
it is reported as "cold" and left out of the best figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The worker processes re-run this module as ``__mp_main__`` (multiprocessing does that with
# the main module), so the heavy imports (Polars, the fixtures) are made inside the functions:
# otherwise each worker would pay ~0.35 s of CPU for them, which the ``scoring`` CLI (whose
# main module imports almost nothing) does not.

AGENCY = "UBND TỈNH QUẢNG NGÃI\nSỞ KHOA HỌC VÀ CÔNG NGHỆ"


@dataclass(frozen=True)
class Measure:
    workers: int
    wall: float  # the whole call, in the parent
    parent_cpu: float  # CPU of the parent during the call (all of it with one worker)
    pages: int
    job_cpu: tuple[float, ...]  # CPU of each PDF, in document order
    cpu_makespan: float  # parent CPU + the busiest worker's whole CPU (= parent_cpu if 1)
    load: float  # 1-minute load average at the end of the call

    @property
    def cpu_per_page(self) -> float:
        return sum(self.job_cpu) / self.pages


def _lpt_makespan(jobs: list[float], workers: int) -> float:
    """Finish time of the jobs on ``workers`` processes, biggest first."""
    loads = [0.0] * workers
    for job in sorted(jobs, reverse=True):
        loads[loads.index(min(loads))] += job
    return max(loads)


def _one(run: Path, criteria, out: Path, workers: int, lang: str, tag: str) -> Measure:
    from scoring.reports.render import last_results, render_run_reports

    cpu0, start = time.process_time(), time.perf_counter()
    render_run_reports(run, criteria, out_dir=out, workers=workers, lang=lang, history=[],
                       agency=AGENCY, place="Quảng Ngãi")
    wall, parent_cpu = time.perf_counter() - start, time.process_time() - cpu0
    results = last_results()
    warnings = [w for r in results for w in r.warnings]
    if warnings:
        print("  warnings:", *warnings[:5], sep="\n    ")
    pages = sum(r.pages for r in results)
    job_cpu = tuple(r.cpu_seconds for r in results)
    by_pid: dict[int, list] = {}
    for r in results:
        by_pid.setdefault(r.pid, []).append(r)
    makespan = parent_cpu
    if workers > 1:
        makespan += max(max(r.process_cpu for r in rs) for rs in by_pid.values())
    m = Measure(workers, wall, parent_cpu, pages, job_cpu, makespan, os.getloadavg()[0])
    print(f"workers={workers} [{tag}] {len(results)} PDFs, {pages} pages: {wall:.2f} s wall "
          f"({wall / pages:.3f} s/page), {m.cpu_per_page:.3f} s/page CPU in the renderer; "
          f"parent CPU {parent_cpu:.2f} s; load {m.load:.2f}")
    if workers > 1:
        print(f"  CPU makespan {makespan:.2f} s (parent {parent_cpu:.2f} s + busiest worker)")
        for pid, rs in sorted(by_pid.items(), key=lambda kv: min(r.started for r in kv[1])):
            first, last = min(r.started for r in rs) - start, max(r.ended for r in rs) - start
            busy = sum(r.cpu_seconds for r in rs)
            whole = max(r.process_cpu for r in rs)
            print(f"  worker {pid}: {len(rs)} jobs, {sum(r.pages for r in rs)} pages, "
                  f"{first:.2f}-{last:.2f} s, jobs {busy:.2f} s CPU, whole process "
                  f"{whole:.2f} s CPU")
    return m


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10, help="units including the top one")
    parser.add_argument("--staff", type=int, default=30, help="people per unit")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per worker count")
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))
    parser.add_argument("--criteria", type=Path, default=ROOT / "criteria" / "skhcn-quy-2025.yaml")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "tests"))
    from report_fixtures import sized_tree, write_run
    from scoring.reports.pdf import subset_backend

    from scoring.rules.loader import load_criteria_file

    criteria = load_criteria_file(args.criteria)
    units, people = sized_tree(args.units, args.staff)
    print(f"cpus: {os.cpu_count()}; load average: {os.getloadavg()[0]:.2f}; "
          f"font subsetting: {subset_backend()}")
    print(f"fixture: {len(units)} units × {args.staff} staff = {len(people)} people")
    with tempfile.TemporaryDirectory() as tmp:
        run = write_run(Path(tmp) / "run", criteria, units, people)
        warm: dict[int, list[Measure]] = {}
        for workers in args.workers:
            for i in range(args.repeat + (1 if workers > 1 else 0)):
                tag = "cold" if workers > 1 and i == 0 else "warm"
                m = _one(run, criteria, Path(tmp) / f"out-{workers}-{i}", workers, args.lang, tag)
                if tag == "warm":
                    warm.setdefault(workers, []).append(m)
        print()
        for workers, ms in warm.items():
            walls = [m.wall for m in ms]
            cpp = [m.cpu_per_page for m in ms]
            print(f"workers={workers}: wall best {min(walls):.2f} s, mean {statistics.mean(walls):.2f} s; "
                  f"CPU per page best {min(cpp):.3f} s, mean {statistics.mean(cpp):.3f} s; "
                  f"CPU makespan best {min(m.cpu_makespan for m in ms):.2f} s; "
                  f"load {min(m.load for m in ms):.2f}-{max(m.load for m in ms):.2f}")
        if 1 in warm:
            one = warm[1]
            base_wall = min(m.wall for m in one)
            base_cpu = min(m.parent_cpu for m in one)
            jobs = list(min(one, key=lambda m: m.parent_cpu).job_cpu)
            for workers, ms in warm.items():
                if workers == 1:
                    continue
                by_wall = base_wall / min(m.wall for m in ms)
                by_cpu = base_cpu / min(m.cpu_makespan for m in ms)
                bound = sum(jobs) / _lpt_makespan(jobs, workers)
                print(f"speed-up 1 → {workers} workers: {by_wall:.2f}× by wall clock, "
                      f"{by_cpu:.2f}× by CPU makespan; bound from the one-worker jobs' CPU "
                      f"(biggest first, no start-up): {bound:.2f}×; the largest PDF takes "
                      f"{max(jobs):.2f} s of {sum(jobs):.2f} s")


if __name__ == "__main__":
    main()

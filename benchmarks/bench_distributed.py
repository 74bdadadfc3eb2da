"""Per-unit report jobs through the local process pool and a local Dask cluster; a national projection.

    .venv/bin/python benchmarks/bench_distributed.py --units 2000 --workers 2

Generates a run (``tests/report_fixtures.py``) of one department with ``--units`` divisions
whose sizes are drawn like the national generator's (5-60 staff, median 16, mean about 18;
``--median 5`` for smaller units and a shorter benchmark: the projection uses the fit below),
builds one unit-report job per division, and renders the same jobs

1. through the local process pool (``scoring.reports.jobs.run_jobs`` with ``workers``), then
2. through a Dask ``LocalCluster`` of ``--workers`` processes of one thread (the same runner with
   ``scheduler``), checking that both sets are byte-identical.

It prints units per second for each, the CPU per unit in the renderer, the client's cost per
unit (building the context; writing, hashing, submitting), the scheduler's overhead per job
(the client process's extra CPU per job on Dask, and the round trip of empty jobs that return
55 KB like a unit PDF), a fit of the renderer's CPU against the people in a report, and the
projected wall time of the national set (the national generator's unit tree at 2.7 million
staff) for 1, 10 and 50 machines like this one, with its assumptions. Figures only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AGENCY = "UBND TỈNH QUẢNG NGÃI\nSỞ KHOA HỌC VÀ CÔNG NGHỆ"
NATIONAL_STAFF = 2_700_000
PDF_BYTES = 55_000  # a unit report of 17 people is about 55 KB
# Heavy imports are made inside the functions: the pool's workers import this module again.


@dataclass(frozen=True)
class EmptyJob:
    out_path: str


@dataclass(frozen=True)
class EmptyResult:
    path: str
    data: bytes
    sha256: str = ""


def empty_job(job: EmptyJob) -> EmptyResult:
    """A job that renders nothing: what is left is the cost of dispatching and collecting."""
    return EmptyResult(job.out_path, b"%" * PDF_BYTES)


def _tree(n_units: int, median: float, seed: int):
    import numpy as np
    from report_fixtures import Person, Unit, name_for

    rng = np.random.default_rng(seed)
    low = 5 if median >= 10 else 2
    sizes = np.clip(np.round(rng.lognormal(np.log(median), 0.55, n_units)), low, 60).astype(int)
    units = [Unit("SO", "Sở Khoa học và Công nghệ", None, "board")]
    people = [Person("NV000001", name_for(0), "SO", "director")]
    for k, size in enumerate(sizes, start=1):
        uid = f"U{k:05d}"
        units.append(Unit(uid, f"Phòng chuyên môn số {k}", "SO", "division"))
        for j in range(size):
            pos = "head" if j == 0 else "deputy_head" if j == 1 else "staff"
            people.append(Person(f"NV{len(people) + 1:06d}", name_for(len(people)), uid, pos))
    return units, people


def _run(jobs, out: Path, fn, **kw):
    from scoring.reports import pdf
    from scoring.reports.jobs import run_jobs

    cpu0, start = time.process_time(), time.perf_counter()
    written = run_jobs(jobs, fn, init=pdf.init_worker if fn is pdf.render_job else None, **kw)
    return written, time.perf_counter() - start, time.process_time() - cpu0


def _national_scopes() -> dict[str, list[int]]:
    """People in each report's scope in the national generator's tree, by kind of unit."""
    import numpy as np
    from generate_national import _unit_tree

    _, holders = _unit_tree(np.random.default_rng(2025), NATIONAL_STAFF)
    kinds = holders["kind"].to_list()
    sizes = holders["size"].to_numpy()
    dept = holders["dept"].to_numpy()
    province = holders["province"].to_numpy()
    per_dept = np.bincount(dept, weights=sizes)
    per_prov = np.bincount(province, weights=sizes)
    divisions = [int(s) for s, k in zip(sizes, kinds, strict=True) if k != "board"]
    return {"country": [NATIONAL_STAFF], "province": [int(x) for x in per_prov if x > 0],
            "department": [int(x) for x in per_dept if x > 0], "division": divisions}


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 5400 else f"{seconds / 60:.1f} min"


def _project(fit, ctx_fit, client_per_job: float, worker_overhead: float, workers: int) -> None:
    scopes = _national_scopes()
    parallel = scopes["department"] + scopes["division"]
    render = sum(fit[0] + fit[1] * h for h in parallel) + worker_overhead * len(parallel)
    client = sum(ctx_fit[0] + ctx_fit[1] * h for h in parallel) + client_per_job * len(parallel)
    div, dept = scopes["division"], scopes["department"]
    print(f"\nnational set ({NATIONAL_STAFF:,} staff, the generator's tree): "
          f"{len(div):,} divisions (mean {sum(div) / len(div):.1f} people), {len(dept):,} departments "
          f"(mean {sum(dept) / len(dept):.0f}), "
          f"{len(scopes['province'])} provinces, 1 country")
    print(f"  rendering CPU of the {len(parallel):,} department and division reports: "
          f"{render:,.0f} s; client CPU (contexts, writing, hashing, scheduler): {client:,.0f} s")
    for machines in (1, 10, 50):
        cores = machines * workers
        if machines == 1:  # the client shares the machine with the workers
            wall = (render + client) / workers
        else:  # the client and scheduler on their own machine, overlapping the workers
            wall = max(render / cores, client)
        bound = "the client" if machines > 1 and client > render / cores else "the workers"
        print(f"  {machines:>2} machine(s) × {workers} worker processes: {_hours(wall)} "
              f"(bound by {bound})")
    for kind in ("province", "country"):
        h = max(scopes[kind])
        print(f"  not included: the {kind} report{'s' if kind == 'province' else ''} "
              f"(largest {h:,} people): {fit[0] + fit[1] * h:,.0f} CPU-s each as one PDF "
              f"by the fit, if WeasyPrint could lay it out at all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000, help="unit reports to render")
    parser.add_argument("--workers", type=int, default=2, help="processes for both backends")
    parser.add_argument("--empty-jobs", type=int, default=2000, help="empty jobs for the overhead")
    parser.add_argument("--median", type=float, default=16.0,
                        help="median people per unit (16: the national generator's divisions)")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()

    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]
    import numpy as np
    import psutil
    from distributed import Client, LocalCluster
    from report_fixtures import write_run
    from scoring.reports import pdf
    from scoring.reports.builder import ReportBuilder
    from scoring.reports.run_reader import load_run

    from scoring.rules.loader import load_criteria_file

    criteria = load_criteria_file(ROOT / "criteria" / "skhcn-quy-2025.yaml")
    units, people = _tree(args.units, args.median, args.seed)
    print(f"cpus: {os.cpu_count()}; load average: {os.getloadavg()[0]:.2f}; "
          f"{args.units} units, {len(people) - 1} people (mean {(len(people) - 1) / args.units:.1f})")
    with tempfile.TemporaryDirectory() as tmp:
        run = write_run(Path(tmp) / "run", criteria, units, people)
        start = time.perf_counter()
        builder = ReportBuilder(load_run(run), criteria, agency=AGENCY, place="Quảng Ngãi")
        init = time.perf_counter() - start
        jobs, ctx_seconds, heads = [], [], []
        for u in units[1:]:
            t0 = time.perf_counter()
            ctx = builder.unit_report(u.unit_id)
            jobs.append(pdf.RenderJob("unit.html.j2", ctx, str(Path(tmp) / "pool" / f"{u.unit_id}.pdf"),
                                      ctx.doc.meta.identifier))
            ctx_seconds.append(time.perf_counter() - t0)
            heads.append(ctx.headcount)
        ctx_fit = np.polyfit(heads, ctx_seconds, 1)[::-1]
        print(f"client: reading the run and sorting it {init:.2f} s; a context "
              f"{1000 * sum(ctx_seconds) / len(jobs):.2f} ms per unit "
              f"({1000 * ctx_fit[0]:.2f} + {1000 * ctx_fit[1]:.3f} per person)")

        pooled, wall, parent = _run(jobs, Path(tmp) / "pool", pdf.render_job, workers=args.workers)
        cpu = [w.result.cpu_seconds for w in pooled]
        pages = sum(w.result.pages for w in pooled)
        fit = np.polyfit(heads, cpu, 1)[::-1]
        print(f"local pool, {args.workers} processes: {wall:.1f} s, {len(jobs) / wall:.2f} units/s; "
              f"{sum(cpu) / len(jobs):.3f} CPU-s per unit in the renderer ({pages / len(jobs):.1f} "
              f"pages), fit {fit[0]:.3f} + {fit[1]:.4f} s per person; parent CPU "
              f"{1000 * parent / len(jobs):.2f} ms per unit (writing, hashing, pickling)")

        t0 = time.perf_counter()
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address="127.0.0.1:0", silence_logs=50) as cluster:
            with Client(cluster, set_as_default=False) as client:
                client.wait_for_workers(args.workers)
                procs = [psutil.Process(p) for p in client.run(os.getpid).values()]
            print(f"dask: LocalCluster of {args.workers} worker processes started in "
                  f"{time.perf_counter() - t0:.1f} s")
            wcpu0 = sum(p.cpu_times().user + p.cpu_times().system for p in procs)
            djobs = [pdf.RenderJob(j.template, j.context, j.out_path.replace("/pool/", "/dask/"),
                                   j.identifier) for j in jobs]
            dasked, dwall, dparent = _run(djobs, Path(tmp) / "dask", pdf.render_job,
                                          scheduler=cluster.scheduler_address)
            wcpu = sum(p.cpu_times().user + p.cpu_times().system for p in procs) - wcpu0
            dcpu = [w.result.cpu_seconds for w in dasked]
            same = [a.sha256 for a in pooled] == [b.sha256 for b in dasked]
            worker_overhead = max(0.0, (wcpu - sum(dcpu)) / len(djobs))
            print(f"dask, {args.workers} workers: {dwall:.1f} s, {len(jobs) / dwall:.2f} units/s; "
                  f"{sum(dcpu) / len(jobs):.3f} CPU-s per unit in the renderer; client process "
                  f"(client and scheduler) {1000 * dparent / len(jobs):.2f} ms per unit; workers "
                  f"{1000 * worker_overhead:.2f} ms per unit outside the renderer; same bytes as the "
                  f"pool: {'yes' if same else 'NO'}")
            print(f"dask / pool, units per second: {wall / dwall:.2f}×; scheduler overhead per job: "
                  f"{1000 * (dparent - parent) / len(jobs):.2f} ms of client-process CPU")

            n = args.empty_jobs
            empty = [EmptyJob(str(Path(tmp) / "empty" / f"{i}.bin")) for i in range(n)]
            _, ewall, ecpu = _run(empty, Path(tmp) / "empty", empty_job, scheduler=cluster.scheduler_address)
        _, pwall, _ = _run(empty, Path(tmp) / "empty-pool", empty_job, workers=args.workers)
        print(f"empty jobs ({n}, {PDF_BYTES // 1000} KB each): dask {1000 * ewall / n:.2f} ms per job "
              f"({n / ewall:.0f} jobs/s; client process {1000 * ecpu / n:.2f} ms CPU per job), local pool "
              f"{1000 * pwall / n:.2f} ms per job")
        digest = hashlib.sha256("".join(w.sha256 for w in pooled).encode()).hexdigest()[:16]
        print(f"set digest {digest}")
        client_per_job = max(dparent / len(jobs), ecpu / n)
        print("\nprojection assumptions: machines of this size (2 cores, one worker process per core); "
              "the renderer's CPU per report grows linearly with its people (the fit above); the "
              "client's per-job cost is the larger of the measured client-process CPU per unit and "
              "per empty job, plus the context fit; jobs are balanced (the largest is seconds); "
              "network and disk are not limits (55 KB per unit)")
        _project(fit, ctx_fit, client_per_job, worker_overhead, args.workers)


if __name__ == "__main__":
    main()

"""Scale benchmark: a department to a national run (27 thousand, 270 thousand, 2.7 million staff).

    python benchmarks/bench_scale.py                      # all three sizes
    python benchmarks/bench_scale.py --sizes 27k,270k     # some sizes
    python benchmarks/bench_scale.py --sizes 2.7m --excel-full

For each size, on data from ``generate_national.py`` (generated once into a cache folder under
/tmp, see ``bench_common.py``), every measurement runs in a fresh child process, one at a time:

1. ``e2e``: ``scoring.run.run_scoring`` with ``reports=False``, exactly as the product runs
   (read, validate, score, explain, write the tables, the Excel workbook and the manifest):
   wall time, its steps, CPU time, peak memory (``ru_maxrss``). ``--e2e-without-excel``
   replaces the workbook by an empty file instead.
2. ``floor``: the input/output floor with Polars alone: ``pl.read_parquet`` of the same inputs,
   ``write_parquet`` + ``write_csv`` of the same output tables (scores, explanations, units),
   and ``excel-floor``: the same workbook sheets (the ones the product keeps, cut at the same
   row limit) with Polars' ``write_excel``; the ratio end to end / floor.
3. validation: ``read_inputs`` (the ``read`` step of 1.) against the plain reads of 2., and its
   share of the end-to-end time.
4. peak memory of 1. (and of every other child).
5. ``excel``: the product's workbook (the run's sheets and writer) alone, on the same three tables. With
   ``--excel-full``, also what a complete workbook costs (every sheet up to Excel's row limit,
   Polars' ``write_excel``; and ``rustpy-xlsxwriter`` when it is importable).
6. ``pandas``: ``pandas_peer.py`` (read Parquet, score the sample criteria, write
   ``scores.parquet``), compared with the engine doing the same (``engine-scores``: plain
   Parquet reads, ``engine.evaluate``, the scores table, ``scores.parquet``) and with the full
   run; the peer's scores are checked equal to the engine's.
   ``duckdb``: ``duckdb_peer.py``, the same in hand-written DuckDB SQL, in the same loop on the
   same data; its scores are checked equal too, and engine / DuckDB is printed.

7. report rendering: ``bench_reports.py`` (a department of 10 units × 30 staff, every PDF of
   its run) with one and two worker processes: seconds per page and the speed-up.
8. per-unit report jobs (``bench_distributed.py``, ``--distributed-units`` 2,000): the local
   process pool against a local Dask cluster, the scheduler's overhead per job and the projected
   wall time of a national set on 1, 10 and 50 machines (skipped with ``--no-reports``).

Timings are the median of
``--repeat`` runs (3) at the sizes under a million, one run at 2.7 million. No pass/fail: the
figures are printed as a table (and saved as JSON with ``--json``). The machine may be shared:
each child's CPU time and the CPU used by other processes meanwhile are printed too.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import CACHE, CRITERIA, PERIOD, TABLES, ensure_data

HERE = Path(__file__).resolve()
RUN_DATE = date(2025, 4, 5)
EXCEL_MAX_ROWS = 1_048_575


# ----------------------------------------------------------------------------- child processes


def _usage() -> dict[str, float]:
    import resource

    u = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu": u.ru_utime + u.ru_stime, "sys": u.ru_stime, "peak_mb": u.ru_maxrss / 1024}


def _load_results(folder: Path) -> dict:
    import polars as pl

    return {n: pl.read_parquet(folder / f"{n}.parquet") for n in ("scores", "explanations", "units")}


def child_e2e(data: Path, out: Path, excel: bool) -> dict:
    import contextlib

    import scoring.run as run

    steps: dict[str, float] = {}

    @contextlib.contextmanager
    def step(name: str):
        started = time.perf_counter()
        yield
        steps[name] = steps.get(name, 0.0) + time.perf_counter() - started

    product_workbook = run._write_workbook  # scores.xlsx, as the product writes it

    def timed_workbook(c, opts, tmp, elsewhere):
        started = time.perf_counter()
        if excel:
            notes = product_workbook(c, opts, tmp, elsewhere)
        else:
            (Path(tmp) / "scores.xlsx").touch()  # the manifest lists it
            notes = []
        steps["excel"] = time.perf_counter() - started
        return notes

    run._write_workbook = timed_workbook
    opts = run.RunOptions(criteria_path=CRITERIA, data_dir=data, period=PERIOD, out=out,
                          run_date=RUN_DATE, reports=False, force=True)
    started = time.perf_counter()
    summary = run.run_scoring(opts, step)
    wall = time.perf_counter() - started
    return {"wall": wall, "steps": steps, "staff": summary.counts["staff"],
            "explanations": summary.counts.get("explanations"), **_usage()}


def child_floor(data: Path, results: Path, out: Path) -> dict:
    import polars as pl

    frames = _load_results(results)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    inputs = [pl.read_parquet(data / f"{t}.parquet") for t in TABLES]
    read = time.perf_counter() - started
    started = time.perf_counter()
    from scoring.outputs.tables import CSV_MAX_ROWS

    for name, df in frames.items():
        df.write_parquet(out / f"{name}.parquet", compression="zstd", statistics=False)
        # the same files as the product: no explanations CSV beyond a spreadsheet's rows
        if name != "explanations" or df.height <= CSV_MAX_ROWS:
            df.write_csv(out / f"{name}.csv", include_bom=True)
    write = time.perf_counter() - started
    del inputs
    return {"read": read, "write": write, "wall": read + write, **_usage()}


def _product_sheets(frames: dict) -> dict:
    """The sheets the product's workbook holds: those under its per-sheet limits, if any."""
    from scoring.outputs import tables as outputs

    limits = getattr(outputs, "EXCEL_SHEET_LIMITS", {})
    return {n: df.head(EXCEL_MAX_ROWS) for n, df in frames.items()
            if limits.get(n) is None or df.height <= limits[n]}


def child_excel(results: Path, out: Path, kind: str) -> dict:
    frames = _load_results(results)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "scores.xlsx"
    started = time.perf_counter()
    if kind == "product":  # the run's writer on the run's sheets (reports/workbook_sheets.py)
        from scoring.reports.workbook_sheets import BookContext, write_run_workbook

        from scoring.rules.loader import load_criteria_file

        write_run_workbook(BookContext(load_criteria_file(CRITERIA), "vi", PERIOD),
                           frames["scores"], frames["explanations"].lazy(), frames["units"], path,
                           created=datetime.combine(RUN_DATE, dtime(0, 0)))
    elif kind == "rust":  # a native writer, for comparison (not a dependency)
        from rustpy_xlsxwriter import FastExcel

        book = FastExcel(str(path))
        for name, df in frames.items():
            book = book.sheet(name, df.head(EXCEL_MAX_ROWS))
        book.save()
    else:  # Polars alone: the product's sheets ("floor") or every sheet ("full")
        import xlsxwriter

        sheets = _product_sheets(frames) if kind == "floor" else {
            n: df.head(EXCEL_MAX_ROWS) for n, df in frames.items()}
        with xlsxwriter.Workbook(str(path)) as wb:
            for name, df in sheets.items():
                df.write_excel(wb, worksheet=name, autofit=False)
    wall = time.perf_counter() - started
    return {"wall": wall, "mb": path.stat().st_size / 1e6, **_usage()}


def child_engine_scores(data: Path, out: Path) -> dict:
    """The engine doing what the pandas peer does: read Parquet, score, write scores.parquet."""
    import polars as pl

    from scoring.engine.score import evaluate, score_columns
    from scoring.inputs.contract import empty_frame
    from scoring.inputs.frames import InputFrames
    from scoring.periods import parse_period
    from scoring.rules.select import resolve_criteria

    period = parse_period(PERIOD)
    _, criteria = resolve_criteria(CRITERIA, period)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    frames = {t: pl.read_parquet(data / f"{t}.parquet") if (data / f"{t}.parquet").exists()
              else empty_frame(t) for t in TABLES}
    read = time.perf_counter() - started
    _, ctx = evaluate(criteria, InputFrames(**frames), period)
    scores = ctx.select(score_columns(criteria)).sort("unit_id", "employee_id").collect()
    computed = time.perf_counter() - started - read
    scores.write_parquet(out / "scores.parquet", compression="zstd", statistics=False)
    wall = time.perf_counter() - started
    return {"read": read, "compute": computed, "write": wall - read - computed, "wall": wall,
            **_usage()}


def child_main(args: argparse.Namespace) -> None:
    if args.child == "e2e":
        result = child_e2e(args.data, args.out, excel=not args.without_excel)
    elif args.child == "floor":
        result = child_floor(args.data, args.results, args.out)
    elif args.child.startswith("excel"):
        kind = {"excel": "product", "excel-floor": "floor", "excel-full": "full",
                "excel-rust": "rust"}[args.child]
        result = child_excel(args.results, args.out, kind)
    elif args.child == "engine-scores":
        result = child_engine_scores(args.data, args.out)
    else:
        raise SystemExit(f"unknown child {args.child}")
    print("RESULT " + json.dumps(result))


# ----------------------------------------------------------------------------- parent


def _busy_jiffies() -> int:
    with open("/proc/stat") as f:
        parts = f.readline().split()[1:]
    values = [int(p) for p in parts]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values[:8]) - idle


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_child(cmd: list[str], limit_mb: float) -> dict:
    """Run one measurement in a child; kill it (only it) if its memory passes ``limit_mb``."""
    tick = os.sysconf("SC_CLK_TCK")
    busy0 = _busy_jiffies()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, killed = 0.0, False
    while proc.poll() is None:
        rss = _rss_mb(proc.pid)
        peak = max(peak, rss)
        if rss > limit_mb:
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.1)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - started
    busy = (_busy_jiffies() - busy0) / tick
    if killed:
        return {"killed": True, "peak_mb": peak, "elapsed": elapsed}
    line = next((x for x in reversed(out.splitlines()) if x.startswith(("RESULT ", "{"))), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    result = json.loads(line.removeprefix("RESULT "))
    result["elapsed"] = elapsed
    result["watch_peak_mb"] = peak
    # CPU used by everything else on the machine meanwhile, in cores (a shared machine is noisy)
    result["others_cores"] = max(0.0, (busy - result.get("cpu", 0.0)) / elapsed)
    return result


def _median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def _median_step(runs: list[dict], name: str) -> float | None:
    values = [r["steps"][name] for r in runs if name in r.get("steps", {})]
    return statistics.median(values) if values else None


def compare_scores(peer: Path, engine: Path) -> int:
    """Rows whose total, rating or status differ between the peer and the engine."""
    import polars as pl

    a = pl.read_parquet(peer).sort("employee_id")
    b = pl.read_parquet(engine).sort("employee_id")
    if a.height != b.height or not a["employee_id"].equals(b["employee_id"]):
        return max(a.height, b.height)
    bad = pl.Series([False] * a.height)
    for col in b.columns:
        x, y = a[col], b[col]
        if y.dtype == pl.Float64:
            x = x.cast(pl.Float64)
            same = ((x - y).abs() < 1e-9).fill_null(False) | (x.is_null() & y.is_null())
        else:
            same = x.cast(pl.String).fill_null("").eq(y.cast(pl.String).fill_null(""))
        bad = bad | ~same
    return int(bad.sum())


def bench_size(staff: int, seed: int, repeat: int, opts: argparse.Namespace) -> dict:
    py = sys.executable
    data = ensure_data(staff, seed)
    work = CACHE / f"work-{staff}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    limit = opts.memory_limit_gb * 1024
    me = [py, str(HERE)]

    def child(*args: str) -> dict:
        return run_child([*me, *args], limit)

    def log(what: str, r: dict) -> None:
        wall = r.get("wall", r.get("total", r.get("elapsed")))
        print(f"  {staff:>9,} {what:<16} {wall:8.2f} s  cpu {r.get('cpu', 0):7.2f} s  "
              f"peak {r.get('peak_mb', 0):8,.0f} MB  others {r.get('others_cores', 0):.2f} cores"
              + ("  KILLED (memory limit)" if r.get("killed") else ""), file=sys.stderr, flush=True)

    res: dict = {"staff": staff, "repeat": repeat, "data": str(data)}
    e2e_runs, floor_runs = [], []
    out = work / "e2e"
    label = "e2e" + (" (no Excel)" if opts.e2e_without_excel else "")
    for _ in range(repeat):
        r = child("--child", "e2e", "--data", str(data), "--out", str(out),
                  *(["--without-excel"] if opts.e2e_without_excel else []))
        log(label, r)
        e2e_runs.append(r)
        if r.get("killed"):
            break
    if e2e_runs[-1].get("killed"):
        res["e2e_runs"] = e2e_runs
        return res
    for _ in range(repeat):
        r = child("--child", "floor", "--data", str(data), "--results", str(out),
                  "--out", str(work / "floor"))
        log("floor (tables)", r)
        floor_runs.append(r)
    res["e2e_runs"], res["floor_runs"] = e2e_runs, floor_runs
    if not opts.no_excel:
        kinds = ["excel", "excel-floor"]
        if opts.excel_full:
            kinds += ["excel-full"]
            if importlib.util.find_spec("rustpy_xlsxwriter") is not None:
                kinds += ["excel-rust"]
        for kind in kinds:
            runs = []
            for _ in range(repeat if kind in ("excel", "excel-floor") else 1):
                r = child("--child", kind, "--results", str(out), "--out", str(work / kind))
                log(kind, r)
                runs.append(r)
                if r.get("killed"):
                    break
            res[kind.replace("-", "_") + "_runs"] = runs
    if not opts.no_pandas:
        peer_runs, eng_runs = [], []
        for _ in range(repeat):
            r = run_child([py, str(HERE.with_name("pandas_peer.py")), "--data", str(data),
                           "--out", str(work / "peer"), "--period", PERIOD], limit)
            log("pandas peer", r)
            peer_runs.append(r)
            if r.get("killed"):
                break
            r = child("--child", "engine-scores", "--data", str(data), "--out", str(work / "eng"))
            log("engine (scores)", r)
            eng_runs.append(r)
        res["peer_runs"], res["engine_scores_runs"] = peer_runs, eng_runs
        if not peer_runs[-1].get("killed"):
            res["peer_mismatches"] = compare_scores(work / "peer" / "scores.parquet",
                                                    out / "scores.parquet")
    if not opts.no_duckdb:
        duck_runs, eng_runs = [], []
        for _ in range(repeat):
            r = run_child([py, str(HERE.with_name("duckdb_peer.py")), "--data", str(data),
                           "--out", str(work / "duck"), "--period", PERIOD], limit)
            log("duckdb peer", r)
            duck_runs.append(r)
            if r.get("killed"):
                break
            # the engine's same-scope run right after, so both see the same machine load
            r = child("--child", "engine-scores", "--data", str(data), "--out", str(work / "eng"))
            log("engine (scores)", r)
            eng_runs.append(r)
        res["duckdb_runs"], res["engine_duckdb_runs"] = duck_runs, eng_runs
        if not duck_runs[-1].get("killed"):
            res["duckdb_mismatches"] = compare_scores(work / "duck" / "scores.parquet",
                                                      out / "scores.parquet")
    res["summary"] = summarise(res)
    if not opts.keep:
        shutil.rmtree(work, ignore_errors=True)
    return res


def summarise(res: dict) -> dict:
    e2e, floor = res["e2e_runs"], res["floor_runs"]
    s: dict = {
        "e2e": _median(e2e, "wall"), "e2e_cpu": _median(e2e, "cpu"),
        "e2e_peak_mb": max(r["peak_mb"] for r in e2e),
        "e2e_others_cores": _median(e2e, "others_cores"),
        "floor": _median(floor, "wall"), "floor_read": _median(floor, "read"),
        "floor_write": _median(floor, "write"), "floor_peak_mb": max(r["peak_mb"] for r in floor),
    }
    for name in ("criteria", "read", "score", "write"):
        s[f"step_{name}"] = _median_step(e2e, name)
    s["step_excel"] = _median_step(e2e, "excel")
    s["step_other"] = _median(
        [{"x": r["wall"] - sum(v for k, v in r["steps"].items() if k != "excel")} for r in e2e], "x")
    s["e2e_no_excel"] = _median([{"x": r["wall"] - r["steps"].get("excel", 0.0)} for r in e2e], "x")
    s["e2e_sys"] = _median(e2e, "sys")
    s["ratio"] = s["e2e"] / s["floor"]  # replaced below when the Excel floor is measured
    s["validation"] = s["step_read"] - s["floor_read"]
    s["validation_share"] = s["validation"] / s["e2e"]
    def ok(key: str) -> list[dict]:
        return [r for r in res.get(key, []) if not r.get("killed")]

    if ok("excel_runs"):
        s["excel"] = _median(ok("excel_runs"), "wall")
        s["excel_mb"] = _median(ok("excel_runs"), "mb")
        s["excel_peak_mb"] = max(r["peak_mb"] for r in ok("excel_runs"))
    if ok("excel_floor_runs"):
        s["excel_floor"] = _median(ok("excel_floor_runs"), "wall")
        s["floor_all"] = s["floor"] + s["excel_floor"]
        s["ratio"] = s["e2e"] / s["floor_all"]
    s["ratio_no_excel"] = s["e2e_no_excel"] / s["floor"]
    for kind in ("excel_full", "excel_rust"):
        runs = res.get(f"{kind}_runs", [])
        if runs:
            s[kind] = None if runs[-1].get("killed") else runs[-1]["wall"]
            s[f"{kind}_peak_mb"] = max(r.get("peak_mb", 0) for r in runs)
            s[f"{kind}_mb"] = runs[-1].get("mb")
            s[f"{kind}_killed"] = bool(runs[-1].get("killed"))
    peer = [r for r in res.get("peer_runs", []) if not r.get("killed")]
    if peer:
        s["peer"] = _median(peer, "total")
        s["peer_compute"] = _median(peer, "compute")
        s["peer_read"] = _median(peer, "read")
        s["peer_peak_mb"] = max(r["peak_mb"] for r in peer)
        s["engine_scores"] = _median(res["engine_scores_runs"], "wall")
        s["engine_scores_compute"] = _median(res["engine_scores_runs"], "compute")
        s["engine_scores_peak_mb"] = max(r["peak_mb"] for r in res["engine_scores_runs"])
        s["speedup_same_scope"] = s["peer"] / s["engine_scores"]
        s["speedup_compute"] = s["peer_compute"] / s["engine_scores_compute"]
        s["peer_vs_e2e"] = s["peer"] / s["e2e"]
        s["peer_mismatches"] = res.get("peer_mismatches")
    duck = [r for r in res.get("duckdb_runs", []) if not r.get("killed")]
    if duck and res.get("engine_duckdb_runs"):
        eng = res["engine_duckdb_runs"]
        s["duckdb"] = _median(duck, "total")
        s["duckdb_compute"] = _median(duck, "compute")
        s["duckdb_peak_mb"] = max(r["peak_mb"] for r in duck)
        s["engine_duckdb"] = _median(eng, "wall")
        s["engine_duckdb_compute"] = _median(eng, "compute")
        s["engine_vs_duckdb"] = s["engine_duckdb"] / s["duckdb"]
        s["engine_vs_duckdb_compute"] = s["engine_duckdb_compute"] / s["duckdb_compute"]
        s["duckdb_mismatches"] = res.get("duckdb_mismatches")
    return s


def _fmt(v: object, spec: str = ".2f") -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return format(v, spec)


def print_table(results: list[dict]) -> None:
    sizes = [r["staff"] for r in results]
    sums = [r.get("summary", {}) for r in results]
    rows: list[tuple[str, str, str]] = [
        ("end to end (run_scoring, no reports)", "e2e", "s"),
        ("  criteria", "step_criteria", "s"),
        ("  read + validate (read_inputs)", "step_read", "s"),
        ("  score + explain + unit summary", "step_score", "s"),
        ("  write (tables, Excel, manifest)", "step_write", "s"),
        ("    of which the Excel workbook", "step_excel", "s"),
        ("  other (imports, counts, folder)", "step_other", "s"),
        ("  CPU time (user + sys)", "e2e_cpu", "s"),
        ("  of which system (page faults)", "e2e_sys", "s"),
        ("  other processes on the machine", "e2e_others_cores", "cores"),
        ("I/O floor, Polars alone", "floor_all", "s"),
        ("  read the inputs", "floor_read", "s"),
        ("  write the output tables", "floor_write", "s"),
        ("  write the same Excel sheets", "excel_floor", "s"),
        ("end to end / floor", "ratio", "×"),
        ("end to end without the Excel workbook", "e2e_no_excel", "s"),
        ("  / floor without Excel", "ratio_no_excel", "×"),
        ("validation (read_inputs − plain read)", "validation", "s"),
        ("  share of end to end", "validation_share", "%"),
        ("peak memory, end to end", "e2e_peak_mb", "MB"),
        ("peak memory, floor", "floor_peak_mb", "MB"),
        ("Excel workbook, product write_excel", "excel", "s"),
        ("  file size", "excel_mb", "MB"),
        ("  peak memory", "excel_peak_mb", "MB"),
        ("complete workbook (all sheets ≤ row limit)", "excel_full", "s"),
        ("  peak memory", "excel_full_peak_mb", "MB"),
        ("  killed at the memory limit", "excel_full_killed", ""),
        ("  same with rustpy-xlsxwriter", "excel_rust", "s"),
        ("  peak memory", "excel_rust_peak_mb", "MB"),
        ("pandas peer: read, score, write scores", "peer", "s"),
        ("  of which scoring", "peer_compute", "s"),
        ("  peak memory", "peer_peak_mb", "MB"),
        ("engine, same scope as the peer", "engine_scores", "s"),
        ("  of which scoring", "engine_scores_compute", "s"),
        ("  peak memory", "engine_scores_peak_mb", "MB"),
        ("peer / engine, same scope", "speedup_same_scope", "×"),
        ("peer / engine, scoring only", "speedup_compute", "×"),
        ("peer / full end to end (does far less)", "peer_vs_e2e", "×"),
        ("peer scores ≠ engine scores (rows)", "peer_mismatches", "rows"),
        ("DuckDB peer: read, score, write scores", "duckdb", "s"),
        ("  of which scoring", "duckdb_compute", "s"),
        ("  peak memory", "duckdb_peak_mb", "MB"),
        ("engine, same scope, run beside DuckDB", "engine_duckdb", "s"),
        ("  of which scoring", "engine_duckdb_compute", "s"),
        ("engine / DuckDB, same scope (< 1: faster)", "engine_vs_duckdb", "×"),
        ("engine / DuckDB, scoring only", "engine_vs_duckdb_compute", "×"),
        ("DuckDB scores ≠ engine scores (rows)", "duckdb_mismatches", "rows"),
    ]
    head = f"{'':<42} {'unit':>5} " + " ".join(f"{s:>12,}" for s in sizes)
    print("\n" + head)
    print("-" * len(head))
    for label, key, unit in rows:
        if all(s.get(key) is None for s in sums):
            continue
        cells = []
        for s in sums:
            v = s.get(key)
            if unit == "%" and v is not None:
                cells.append(f"{100 * v:11.1f}%")
            elif unit == "MB":
                cells.append(f"{_fmt(v, ',.0f'):>12}")
            elif unit == "rows":
                cells.append(f"{_fmt(v, ',d'):>12}")
            else:
                cells.append(f"{_fmt(v):>12}")
        print(f"{label:<42} {unit if unit != '%' else '':>5} " + " ".join(cells))
    if len(sums) >= 2 and all(s.get("e2e") for s in sums):
        growth = ", ".join(f"{sizes[i + 1] / sizes[i]:.0f}× staff → "
                           f"{sums[i + 1]['e2e'] / sums[i]['e2e']:.1f}× time"
                           for i in range(len(sums) - 1))
        print(f"\ngrowth (end to end): {growth}")



def bench_reports(repeat: int) -> list[str]:
    """Report rendering (``bench_reports.py``, a sample-sized department): its summary lines."""
    cmd = [sys.executable, str(HERE.with_name("bench_reports.py")), "--units", "10", "--staff",
           "30", "--workers", "1", "2", "--repeat", str(repeat)]
    print(f"report rendering: {' '.join(cmd[1:])} …", file=sys.stderr, flush=True)
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return [line for line in done.stdout.splitlines()
            if line.startswith(("fixture:", "speed-up")) or line.startswith(("workers=1:", "workers=2:"))]


def bench_distributed(units: int, median: float) -> list[str]:
    """Per-unit report jobs, local pool against a local Dask cluster, and the national projection
    (``bench_distributed.py``): every line it prints."""
    cmd = [sys.executable, str(HERE.with_name("bench_distributed.py")), "--units", str(units),
           "--median", str(median)]
    print(f"distributed report rendering: {' '.join(cmd[1:])} …", file=sys.stderr, flush=True)
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return [line for line in done.stdout.splitlines() if line.strip()]


def parse_size(text: str) -> int:
    t = text.strip().lower().replace("_", "").replace(",", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1], 1)
    return int(round(float(t.rstrip("km")) * mult))


def machine() -> dict:
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024
    import polars as pl

    return {"cpus": os.cpu_count(), "model": model, "mem_gb": round(mem, 1),
            "polars": pl.__version__, "python": sys.version.split()[0],
            "loadavg": os.getloadavg()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="27k,270k,2.7m", help="comma-separated: 27k,270k,2.7m")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing below 1M staff")
    parser.add_argument("--repeat-large", type=int, default=1, help="runs per timing from 1M staff")
    parser.add_argument("--e2e-without-excel", action="store_true",
                        help="end to end with the Excel workbook replaced by an empty file")
    parser.add_argument("--no-excel", action="store_true", help="skip the Excel measurements")
    parser.add_argument("--excel-full", action="store_true",
                        help="also time a complete workbook (minutes and GBs at scale)")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas peer")
    parser.add_argument("--no-duckdb", action="store_true", help="skip the DuckDB peer")
    parser.add_argument("--no-reports", action="store_true", help="skip the report rendering")
    parser.add_argument("--reports-repeat", type=int, default=2,
                        help="timed runs per worker count of the report rendering")
    parser.add_argument("--distributed-units", type=int, default=2000,
                        help="unit reports through the pool and a local Dask cluster (0: skip)")
    parser.add_argument("--distributed-median", type=float, default=16.0,
                        help="median people per unit of that benchmark (16: the national shape)")
    parser.add_argument("--memory-limit-gb", type=float, default=16.0,
                        help="kill a child whose memory passes this (the machine may be shared)")
    parser.add_argument("--keep", action="store_true", help="keep the output folders")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    # child mode (internal)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--results", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--without-excel", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args)
        return
    info = machine()
    print(f"machine: {info['cpus']} CPUs ({info['model']}), {info['mem_gb']} GB; Python "
          f"{info['python']}, Polars {info['polars']}; load average {info['loadavg']}",
          file=sys.stderr)
    results = []
    for size in [parse_size(s) for s in args.sizes.split(",") if s.strip()]:
        repeat = args.repeat if size < 1_000_000 else args.repeat_large
        results.append(bench_size(size, args.seed, repeat, args))
        if args.json:
            args.json.write_text(json.dumps({"machine": info, "results": results}, indent=2))
    print_table(results)
    if not args.no_reports:
        lines = bench_reports(args.reports_repeat)
        print("\nreport rendering (seconds per page and the speed-up from 1 to 2 workers):")
        print("\n".join(f"  {line}" for line in lines))
        if args.distributed_units:
            lines = bench_distributed(args.distributed_units, args.distributed_median)
            print("\nper-unit report jobs: local pool and Dask, national projection:")
            print("\n".join(f"  {line}" for line in lines))


if __name__ == "__main__":
    main()

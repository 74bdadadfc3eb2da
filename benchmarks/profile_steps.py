"""Where the time of one scoring run goes, step by step (one process, one size).

    python benchmarks/profile_steps.py --staff 270000 [--excel] [--data DIR]

Runs the pieces of ``scoring run --no-reports`` one after the other on generated data (the
cache of ``bench_scale.py``) and prints the seconds of each: reading (plain Polars vs
``read_inputs``, with the time spent inside the readers' and schemas' functions), scoring
(building the context, rating passes, quotas, the scores, explanations and unit summary plans
collected one by one, then together as ``score`` does), and writing (Parquet, CSV, the
Excel workbook with ``--excel``, the manifest's hashes).

Timings inside ``read_inputs`` are thread-seconds: it reads tables on two threads, so they can
add up to more than its wall time. Function names that no longer exist are skipped, so the
script keeps working while the modules change; what it times is listed in its output.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import resource
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import CRITERIA, PERIOD, ensure_data

_acc: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
_lock = threading.Lock()


def _wrap(module, name: str, label: str) -> bool:
    fn = getattr(module, name, None)
    if fn is None or not callable(fn):
        # a renamed or removed step must not silently vanish from the profile
        raise SystemExit(f"profile_steps: {getattr(module, '__name__', module)}.{name} no longer "
                         "exists; update the list in _instrument()")
    if getattr(fn, "_timed", False):
        return False

    @functools.wraps(fn)
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            with _lock:
                _acc[label][0] += time.perf_counter() - started
                _acc[label][1] += 1

    timed._timed = True  # type: ignore[attr-defined]
    setattr(module, name, timed)
    return True


class _TimedHashlib:
    """Stands in for ``hashlib`` inside a module to time its SHA-256 calls."""

    def __init__(self, label: str) -> None:
        self.label = label

    def sha256(self, data: bytes = b""):
        started = time.perf_counter()
        h = hashlib.sha256(data)
        with _lock:
            _acc[self.label][0] += time.perf_counter() - started
            _acc[self.label][1] += 1
        return h

    def __getattr__(self, name: str):
        return getattr(hashlib, name)


def _instrument() -> list[str]:
    from scoring.engine import leaders
    from scoring.engine import score as engine
    from scoring.inputs import cells, readers, relations
    from scoring.inputs import validation as schemas
    from scoring.outputs import tables as outputs

    wanted = [
        (readers, "_read_table", "read · one table (all of it)"),
        (readers, "_load", "read · load file (read_parquet, headers)"),
        (readers, "prepare_table", "read · type + per-table checks"),
        (schemas, "cast_columns", "read ·   types (casts, unreadable cells)"),
        (cells, "_slow", "read ·     slow casts"),
        (schemas, "clean_text", "read ·   clean text (strip, NFC)"),
        (schemas, "pandera_issues", "read ·   pandera schema"),
        (schemas, "_end_before_start_issues", "read ·   end before start"),
        (readers, "relation_issues", "read · between tables (all)"),
        (relations, "_duplicates", "read ·   duplicate keys"),
        (relations, "_reference", "read ·   references"),
        (relations, "_cycle_issues", "read ·   unit cycles"),
        (engine, "_rate", "score · items + ratings pass (collect)"),
        (engine, "_with_leaders", "score · leaders fixed point (all passes)"),
        (engine, "apply_quotas", "score · quotas"),
        (leaders.LeaderScope, "__init__", "score · leaders: fixed parts (once)"),
        (leaders.LeaderScope, "values", "score · leaders: unit measures (per pass)"),
        (outputs, "neutralise_formulas", "write · neutralise formulas"),
    ]
    done = [label for module, name, label in wanted if _wrap(module, name, label)]
    if not hasattr(readers, "hashlib"):
        raise SystemExit("profile_steps: scoring.inputs.readers no longer uses hashlib; update _instrument()")
    readers.hashlib = _TimedHashlib("read · SHA-256 of inputs")  # type: ignore[attr-defined]
    done.append("read · SHA-256 of inputs")
    return done


def _t(label: str, fn, rows: list[tuple[str, float, str]], note: str = ""):
    started = time.perf_counter()
    out = fn()
    rows.append((label, time.perf_counter() - started, note))
    print(f"  {label:<52} {rows[-1][1]:8.2f} s {note}", file=sys.stderr, flush=True)
    return out


def profile(data: Path, excel: bool) -> None:
    from scoring.reports.workbook_sheets import BookContext, write_run_workbook

    from scoring.engine.explanations import explanation_layout
    from scoring.engine.score import evaluate, score, score_columns
    from scoring.engine.unit_summary import unit_summary
    from scoring.inputs.readers import read_inputs
    from scoring.outputs.tables import parquet_rows, write_slices, write_table
    from scoring.outputs.wording import row_words
    from scoring.periods import parse_period
    from scoring.rules.select import resolve_criteria
    from scoring.run import write_tables

    timed = _instrument()
    rows: list[tuple[str, float, str]] = []
    period = parse_period(PERIOD)
    _, criteria = _t("criteria: load and check", lambda: resolve_criteria(CRITERIA, period), rows)
    files = sorted(data.glob("*.parquet"))
    _t("read: plain pl.read_parquet of the inputs", lambda: [pl.read_parquet(f) for f in files], rows)
    ranges = {c: (0.0, m) for c, m in criteria.assessment_ranges.items() if m is not None}
    _acc.clear()
    inputs = _t("read: read_inputs (read + validate)",
                lambda: read_inputs(data, assessment_ranges=ranges), rows)
    read_detail = {k: v for k, v in _acc.items() if k.startswith("read")}

    _acc.clear()
    plan, ctx = _t("score: evaluate (context, ratings, quotas)",
                   lambda: evaluate(criteria, inputs, period), rows)
    score_detail = dict(_acc)
    ctx_df = _t("score:   collect the evaluated frame", lambda: ctx.collect(), rows)
    lazy = ctx_df.lazy()
    _t("score:   scores (select + sort)",
       lambda: lazy.select(score_columns(criteria)).sort("unit_id", "employee_id").collect(), rows)
    expl = _t("score:   explanations", lambda: explanation_layout(plan).frame(lazy).collect(), rows,
              "")
    rows[-1] = (rows[-1][0], rows[-1][1], f"{expl.height:,} rows")
    _t("score:   unit summary", lambda: unit_summary(criteria, inputs, period, lazy).collect(), rows)
    expl = ctx_df = lazy = None  # free them before scoring again
    _acc.clear()
    result = _t("score: engine.score (as the run does it)", lambda: score(criteria, inputs, period), rows)

    _acc.clear()
    with tempfile.TemporaryDirectory(dir="/tmp", prefix="scoring-profile-") as tmp:
        folder = Path(tmp)
        _t("write: scores (parquet + csv)", lambda: write_table(result.scores, folder, "scores"),
           rows)
        words = row_words(criteria)
        _t("write: explanations (slices to parquet, worded)", lambda: write_slices(
            lambda: result.explanation_frames(words), result.explanation_schema(words), folder,
            "explanations"), rows)
        _t("write: units (parquet + csv)", lambda: write_table(result.units, folder, "units"), rows)
        n_explanations = parquet_rows(folder / "explanations.parquet")
        with tempfile.TemporaryDirectory(dir="/tmp", prefix="scoring-profile-") as again:
            _t("write: all tables as the run does (write_tables, threads)",
               lambda: write_tables(result, criteria, Path(again)), rows)
        if excel:
            _t("write: scores.xlsx (the run's workbook)", lambda: write_run_workbook(
                BookContext(criteria, "vi", PERIOD), result.scores,
                pl.scan_parquet(folder / "explanations.parquet"), result.units,
                folder / "scores.xlsx", created=datetime(2025, 4, 5)), rows)
        outs = sorted(p for p in folder.iterdir() if p.is_file())
        size = sum(p.stat().st_size for p in outs) / 1e6

        def hashes() -> None:
            for p in outs:
                h = hashlib.sha256()
                with open(p, "rb") as f:
                    for chunk in iter(lambda f=f: f.read(1 << 20), b""):
                        h.update(chunk)

        _t("write: SHA-256 of the outputs (manifest)", hashes, rows, f"{size:,.0f} MB")
    write_detail = {k: v for k, v in _acc.items() if k.startswith("write")}

    print(f"\ninside read_inputs (thread-seconds; {len(timed)} functions timed):")
    for label, (secs, calls) in sorted(read_detail.items(), key=lambda kv: kv[0]):
        print(f"  {label:<52} {secs:8.2f} s  ({calls} calls)")
    print("inside evaluate:")
    for label, (secs, calls) in sorted(score_detail.items()):
        print(f"  {label:<52} {secs:8.2f} s  ({calls} calls)")
    print("inside the writes:")
    for label, (secs, calls) in sorted(write_detail.items()):
        print(f"  {label:<52} {secs:8.2f} s  ({calls} calls)")
    print("\nsteps:")
    for label, secs, note in rows:
        print(f"  {label:<52} {secs:8.2f} s  {note}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {peak:,.0f} MB; {result.scores.height:,} staff scored, "
          f"{n_explanations:,} explanation rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=270_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--data", type=Path, help="input folder (default: the benchmark cache)")
    parser.add_argument("--excel", action="store_true", help="also time the Excel workbook")
    args = parser.parse_args()
    data = args.data or ensure_data(args.staff, args.seed)
    profile(data, args.excel)


if __name__ == "__main__":
    main()

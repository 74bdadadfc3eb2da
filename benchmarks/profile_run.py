"""Where the time and the memory of one product run go: ``run_scoring`` as ``scoring run
--no-reports`` runs it, with its steps and inner functions timed and its memory sampled.

    python benchmarks/profile_run.py --staff 270000 [--data DIR] [--out DIR] [--hashes FILE]

Unlike ``profile_steps.py`` (which runs the pieces one after the other, each on its own),
this runs the product's own path once, in one process, and prints for each timed step and
function: when it started, its wall seconds, the process's CPU seconds meanwhile (all
threads: steps running beside others on a second thread share them), the resident memory
(RSS, sampled every 10 ms) when it started and the highest seen while it ran. The largest
RSS of the run and the step it fell in close the table. ``--hashes FILE`` writes the SHA-256
of every output table (Parquet and CSV), to compare the outputs of two versions.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import resource
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import CRITERIA, PERIOD, ensure_data

_T0 = time.perf_counter()


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def _cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


@dataclass
class _Span:
    label: str
    depth: int
    start: float
    cpu0: float
    rss0: float
    end: float | None = None
    cpu: float = 0.0
    peak: float = 0.0


@dataclass
class _Recorder:
    spans: list[_Span] = field(default_factory=list)
    samples: list[tuple[float, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    depth: threading.local = field(default_factory=threading.local)
    stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> None:
        while not self.stop.is_set():
            self.samples.append((time.perf_counter() - _T0, _rss_mb()))
            time.sleep(0.01)

    @contextlib.contextmanager
    def span(self, label: str):
        depth = getattr(self.depth, "n", 0)
        self.depth.n = depth + 1
        s = _Span(label, depth, time.perf_counter() - _T0, _cpu(), _rss_mb())
        with self.lock:
            self.spans.append(s)
        try:
            yield
        finally:
            s.end = time.perf_counter() - _T0
            s.cpu = _cpu() - s.cpu0
            self.depth.n = depth

    def finish(self) -> None:
        self.stop.set()
        for s in self.spans:
            inside = [r for t, r in self.samples if s.start <= t <= (s.end or t)]
            s.peak = max([s.rss0, *inside])


REC = _Recorder()


def _wrap(owner, name: str, label: str) -> None:
    fn = getattr(owner, name, None)
    if fn is None or not callable(fn):
        raise SystemExit(f"profile_run: {getattr(owner, '__name__', owner)}.{name} no longer "
                         "exists; update the list in _instrument()")

    @functools.wraps(fn)
    def timed(*args, **kwargs):
        with REC.span(label):
            return fn(*args, **kwargs)

    setattr(owner, name, timed)


def _instrument() -> None:
    import scoring.engine.employee_context as context
    import scoring.engine.score as engine
    import scoring.inputs.readers as readers
    import scoring.outputs.tables as tables
    import scoring.run as run
    from scoring.engine import leaders

    for owner, name, label in [
        (readers, "_read_table", "read · one table"),
        (readers, "relation_issues", "read · between tables"),
        (readers, "literal_issues", "read · where values"),
        (readers, "blank_date_issues", "read · blank dates"),
        (engine, "build_context", "score · context"),
        (context, "_aligned", "score ·   align a part"),
        (engine, "_with_leaders", "score · leaders fixed point"),
        (leaders.LeaderScope, "values", "score ·   leaders' unit measures"),
        (engine, "_rate", "score ·   rating pass"),
        (engine, "apply_quotas", "score · quotas"),
        (engine, "unit_summary", "score · unit summary (plan)"),
        (run, "write_tables", "write · tables"),
        (run, "write_table", "write ·   scores/units parquet + csv"),
        (tables, "write_csv", "write ·     csv"),
        (run, "write_slices", "write ·   explanations (build + sink)"),
        (run, "sha256_file", "write · sha-256 of a file"),
        (run, "_write_workbook", "write · workbook"),
        (run, "write_manifest", "write · manifest"),
    ]:
        _wrap(owner, name, label)


def _hashes(folder: Path) -> list[str]:
    lines = []
    for p in sorted(folder.iterdir()):
        if p.suffix in (".parquet", ".csv") and p.is_file():
            h = hashlib.sha256()
            with open(p, "rb") as f:
                for chunk in iter(lambda f=f: f.read(1 << 20), b""):
                    h.update(chunk)
            lines.append(f"{h.hexdigest()}  {p.name}")
    return lines


def profile(data: Path, out: Path, hashes: Path | None) -> None:
    import scoring.run as run

    _instrument()
    sampler = threading.Thread(target=REC.sample, daemon=True)
    sampler.start()
    opts = run.RunOptions(criteria_path=CRITERIA, data_dir=data, period=PERIOD, out=out,
                          run_date=date(2025, 4, 5), reports=False, force=True)
    cpu0, started = _cpu(), time.perf_counter()
    with REC.span("run_scoring"):
        summary = run.run_scoring(opts, REC.span)
    wall, cpu = time.perf_counter() - started, _cpu() - cpu0
    REC.finish()
    print(f"{'step':<44} {'start':>7} {'wall s':>7} {'cpu s':>7} {'rss0 MB':>8} {'peak MB':>8}")
    merged: dict[tuple[str, int], list[_Span]] = {}
    for s in REC.spans:  # many short calls of one function: one line
        merged.setdefault((s.label, s.depth), []).append(s)
    for (label, depth), group in sorted(merged.items(), key=lambda kv: kv[1][0].start):
        first = group[0]
        n = f" ×{len(group)}" if len(group) > 1 else ""
        wall_s = sum((s.end or 0) - s.start for s in group)
        print(f"{'  ' * depth + label + n:<44} {first.start:7.2f} {wall_s:7.2f} "
              f"{sum(s.cpu for s in group):7.2f} {first.rss0:8,.0f} "
              f"{max(s.peak for s in group):8,.0f}")
    t_peak, peak = max(REC.samples, key=lambda x: x[1])
    inner = [s for s in REC.spans if s.start <= t_peak <= (s.end or 0)]
    where = max(inner, key=lambda s: s.depth).label if inner else "—"
    print(f"\nend to end {wall:.2f} s, CPU {cpu:.2f} s; peak RSS {peak:,.0f} MB at "
          f"{t_peak:.2f} s (in: {where}); ru_maxrss "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB; "
          f"{summary.counts['staff']:,} staff")
    if hashes is not None:
        hashes.write_text("\n".join(_hashes(summary.out)) + "\n")
        print(f"SHA-256 of the output tables in {hashes}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=270_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--data", type=Path, help="input folder (default: the benchmark cache)")
    parser.add_argument("--out", type=Path, help="run folder (default: a temporary one)")
    parser.add_argument("--hashes", type=Path, help="write the output tables' SHA-256 here")
    args = parser.parse_args()
    data = args.data or ensure_data(args.staff, args.seed)
    if args.out is not None:
        profile(data, args.out, args.hashes)
        return
    with tempfile.TemporaryDirectory(dir="/tmp", prefix="scoring-profile-run-") as tmp:
        profile(data, Path(tmp) / "run", args.hashes)


if __name__ == "__main__":
    main()

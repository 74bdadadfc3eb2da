"""What the slips and the public notice add to a run's reports, in CPU seconds of rendering.

    .venv/bin/scoring run --criteria criteria/skhcn-quy-2025.yaml --data sample_data \\
        --period 2025-Q1 --out /tmp/q1 --no-reports --run-date 2025-04-05 --force
    .venv/bin/python benchmarks/bench_slips.py /tmp/q1

Renders every report of the run in one process (CPU time per job is robust to a busy machine)
and prints the CPU of the unit reports, summary and criteria sheet, of the units' slips and of
the notice, and the ratio with/without (issue 16 asks for at most 1.30). Figures only.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from scoring.reports.render import last_results, render_run_reports

from scoring.outputs.manifest import read_manifest
from scoring.rules.loader import load_criteria_file


def main() -> None:
    run = Path(sys.argv[1])
    manifest = read_manifest(run)
    assert manifest is not None, f"{run}: not a finished run"
    criteria = load_criteria_file(run / manifest["criteria"]["path"])
    with tempfile.TemporaryDirectory() as tmp:
        started = time.process_time()
        paths = render_run_reports(run, criteria, out_dir=Path(tmp), workers=1, history=[])
        total = time.process_time() - started
    results = last_results()

    def part(selected: list) -> tuple[float, int]:
        return sum(r.cpu_seconds for r in selected), sum(r.pages for r in selected)

    slip_jobs = [r for r in results if Path(r.path).parent.name == "phieu"]
    notice_jobs = [r for r in results if r.path.endswith("thong-bao-cong-khai.pdf")]
    slips, slip_pages = part(slip_jobs)
    notice, notice_pages = part(notice_jobs)
    rest, rest_pages = part([r for r in results if r not in slip_jobs and r not in notice_jobs])
    people = sum(1 for p in paths if p.parent.parent.name == "phieu")
    print(f"render CPU: reports {rest:.2f} s ({rest_pages} pages, {rest / rest_pages:.3f} s a "
          f"page), unit slips {slips:.2f} s ({slip_pages} pages, {slips / slip_pages:.3f} s a "
          f"page), notice {notice:.2f} s ({notice_pages} pages); with/without "
          f"{(rest + slips + notice) / rest:.2f} (target 1.30); process {total:.2f} s, "
          f"{people} person slips cut from their units' slips")

if __name__ == "__main__":
    main()

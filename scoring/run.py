"""One scoring run from files to an output folder: read, validate, score, write, (render)."""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import polars as pl

from scoring import __version__
from scoring.criteria_loader import file_sha256
from scoring.criteria_model import Criteria
from scoring.criteria_select import resolve_criteria
from scoring.engine import ScoreResult, score
from scoring.outputs import atomic_folder, write_excel, write_manifest, write_table
from scoring.periods import parse_period
from scoring.rollup import quarterly_results

__all__ = ["RunOptions", "RunSummary", "run_scoring", "Step"]

Step = Callable[[str], Any]  # context manager factory announcing a step (progress display)


@dataclass(frozen=True)
class RunOptions:
    criteria_path: Path
    data_dir: Path
    period: str
    out: Path
    run_date: date
    reports: bool = True
    lang: str = "vi"
    force: bool = False
    columns_file: Path | None = None


@dataclass(frozen=True)
class RunSummary:
    out: Path
    counts: dict[str, Any]
    notes: tuple[str, ...]
    reports: tuple[Path, ...]


def _counts(result: ScoreResult, criteria: Criteria) -> dict[str, Any]:
    s = result.scores
    ratings = {b.code: int((s["rating"] == b.code).sum()) for b in criteria.ratings}
    return {
        "staff": s.height,
        "rated": int((s["status"] == "rated").sum()),
        "not_rated": int((s["status"] == "not_rated").sum()),
        "ratings": ratings,
        "explanations": result.explanations.height,
        "units": result.units.height,
    }


def run_scoring(opts: RunOptions, step: Step) -> RunSummary:
    """Run end to end; raise ScoringError subclasses on user errors, writing nothing."""
    from scoring.readers import column_map_from_file, read_inputs

    period = parse_period(opts.period)
    with step("criteria"):
        criteria_file, criteria = resolve_criteria(opts.criteria_path, period)
    with step("read"):
        column_map = column_map_from_file(opts.columns_file) if opts.columns_file else None
        inputs = read_inputs(
            Path(opts.data_dir),
            column_map=column_map,
            assessment_ranges={c: (0.0, m) for c, m in criteria.assessment_ranges.items() if m is not None},
        )
    with step("score"):
        extra = (quarterly_results(criteria_file, criteria, inputs, period)
                 if criteria.rollup else None)
        result = score(criteria, inputs, period, extra=extra)
    counts = _counts(result, criteria)
    notes: list[str] = []
    reports: list[Path] = []
    with atomic_folder(opts.out, replace=opts.force) as tmp:
        with step("write"):
            outputs: list[Path] = []
            outputs += write_table(result.scores, tmp, "scores")
            outputs += write_table(result.explanations, tmp, "explanations")
            outputs += write_table(result.units, tmp, "units")
            xlsx = tmp / "scores.xlsx"
            notes += write_excel(
                {"scores": result.scores, "explanations": result.explanations,
                 "units": result.units},
                xlsx,
                created=datetime.combine(opts.run_date, time(0, 0)),
            )
            outputs.append(xlsx)
            manifest = {
                "tool": {"name": "scoring", "version": __version__,
                         "python": platform.python_version(), "polars": pl.__version__},
                "period": period.label,
                "run_date": opts.run_date.isoformat(),
                "criteria": {"id": criteria.id, "version": criteria.version,
                             "sha256": file_sha256(criteria_file), "path": criteria_file.name},
                "inputs": [{"table": s.table, "path": s.path, "sha256": s.sha256, "rows": s.rows}
                           for s in inputs.sources],
                "options": {"reports": opts.reports, "lang": opts.lang,
                            "columns": str(opts.columns_file) if opts.columns_file else None},
                "counts": counts,
                "notes": notes,
            }
            write_manifest(tmp, manifest, outputs)
        if opts.reports:
            with step("reports"):
                reports = _render_reports(tmp, criteria, opts)
            manifest["reports"] = sorted(p.relative_to(tmp).as_posix() for p in reports)
            write_manifest(tmp, manifest, outputs + reports)
    final = Path(opts.out).resolve()
    return RunSummary(final, counts, tuple(notes),
                      tuple(final / p.relative_to(tmp) for p in reports))


def _render_reports(folder: Path, criteria: Criteria, opts: RunOptions) -> list[Path]:
    from scoring.reports.render import render_run_reports  # only this layer imports WeasyPrint

    return list(render_run_reports(folder, criteria, out_dir=folder / "reports", lang=opts.lang))

"""Public API of the reports layer: render every PDF of a run.

    from scoring.reports.render import render_run_reports, render_criteria_sheet

A report is made in three steps: a plain context object (``builder``, ``slips``, ``notice``,
``criteria_sheet``), HTML from a Jinja2 template, then a PDF from WeasyPrint (``pdf``). Here the
run's documents become jobs (``_Jobs``), each weighed before its context is built (``_weight``),
rendered biggest first by the job runner (``jobs``) in parallel worker processes; each worker
parses the fonts, stylesheet and templates once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from .builder import ReportBuilder
from .criteria_sheet import build_criteria_sheet
from .formatting import slug, unit_file_names
from .run_reader import discover_history, load_history, load_run
from .slips import slip_anchor, slip_set, split_slips

__all__ = [
    "render_run_reports",
    "render_criteria_sheet",
    "SUMMARY_FILE",
    "CRITERIA_FILE",
    "NOTICE_FILE",
    "SLIPS_DIR",
    "last_results",
    "last_written",
]

LOGGER = logging.getLogger("scoring.reports")

SUMMARY_FILE = "tong-hop_so.pdf"
CRITERIA_FILE = "tieu-chi.pdf"
NOTICE_FILE = "thong-bao-cong-khai.pdf"  # the public notice of results
SLIPS_DIR = "phieu"  # a unit's slips: phieu/<unit file>.pdf, each person's phieu/<unit>/<id>.pdf

# Results (pages, seconds, warnings) of the last call in this process, for the benchmark/tests.
_LAST: list[Any] = []


def last_results() -> list[Any]:
    """``RenderResult`` of every PDF rendered by the last call in this process (not those an
    interrupted earlier call had written: see ``last_written``)."""
    return [w.result for w in _LAST if w.result is not None]


def last_written() -> list[Any]:
    """``jobs.Written`` of every PDF of the last call, rendered or found already written."""
    return list(_LAST)


def _run_jobs(jobs: Iterable[Any], workers: int, *, scheduler: str | None = None,
              timeout: float = 30.0, journal: Path | None = None) -> list[Any]:
    """Render ``jobs`` (biggest first) with the job runner; remember and log the results."""
    from . import pdf
    from .jobs import run_jobs

    written = run_jobs(jobs, pdf.render_job, init=pdf.init_worker, workers=workers,
                       scheduler=scheduler, timeout=timeout, journal=journal)
    _LAST[:] = written
    for w in written:
        for message in w.result.warnings if w.result is not None else ():
            LOGGER.warning("%s: %s", w.path.name, message)
    return written


def render_run_reports(
    run_dir: Path,
    criteria: Any,
    *,
    out_dir: Path,
    lang: str = "vi",
    workers: int | None = None,
    agency: str | None = None,
    place: str | None = None,
    history: list[Path] | None = None,
    scheduler: str | None = None,
    scheduler_timeout: float = 30.0,
    journal: Path | None = None,
) -> list[Path]:
    """Write every PDF of a run into ``out_dir`` and return their paths.

    - one PDF per unit, for its head: the staff of the unit and all its sub-units only
      (``don-vi_<unit id>_<name slug>.pdf``), in document order of the unit tree;
    - the department summary ``tong-hop_so.pdf``;
    - the criteria sheet ``tieu-chi.pdf``;
    - each unit's slips ``phieu/<unit file>.pdf``, one person a page run (``slips``);
    - the public notice ``thong-bao-cong-khai.pdf`` (names, units, positions, ratings only);
    - each person's slip ``phieu/<unit id>/<employee id>.pdf``, cut from the unit's slips.

    ``criteria`` must be the criteria the run was scored with (id and version are checked
    against ``manifest.json``). ``agency`` is the letterhead: one line names the governing
    body (the issuer is then the top unit's name), two or more lines give the governing
    body lines and, last, the issuer. ``place`` is the place of the date line. Both default
    to ``options.agency`` / ``options.place`` of the manifest. ``history`` lists earlier run
    folders for the trend; ``None`` looks for sibling run folders of earlier periods, ``[]``
    turns the trend off. ``workers`` defaults to the number of CPUs. ``scheduler``
    (``tcp://host:8786``) renders on a Dask cluster instead (``cluster.py``), waiting at most
    ``scheduler_timeout`` seconds for it and a first worker. ``journal``
    makes the call resumable: PDFs already written for the same jobs are kept (``jobs.py``).
    """
    run_dir = Path(run_dir)
    out_dir = Path(out_dir)
    run = load_run(run_dir)
    paths = discover_history(run_dir, run.period) if history is None else tuple(history)
    builder = ReportBuilder(run, criteria, lang=lang, agency=agency, place=place,
                            history=load_history(paths, run.period))
    jobs = _Jobs(builder, criteria, out_dir)
    plan, with_slips = jobs.plan()
    # Biggest first, by a weight known before any context is built (contexts are built as the
    # workers need them, so a national set is never held in memory).
    order = sorted(range(len(plan)), key=lambda k: (-plan[k][0], k))
    n = workers if workers is not None else (os.cpu_count() or 1)
    written = _run_jobs((plan[k][1]() for k in order), max(1, n), scheduler=scheduler,
                        timeout=scheduler_timeout, journal=journal)
    by_plan = {k: Path(w.path) for k, w in zip(order, written, strict=True)}
    pdfs = [by_plan[k] for k in range(len(plan))]
    combined = [jobs.slips_path(u) for u in with_slips]
    return pdfs + _person_slips(builder, out_dir, with_slips, combined)


def _weight(rows: int, per_row: float = 1.0) -> int:
    """A job's weight, known before its context is built: a part for the document, and its rows
    (people, or units for the summary), each by what it costs beside a unit report's person."""
    return 10 + int(rows * per_row)


class _Jobs:
    """The rendering jobs of one run's reports, each made only when the job runner asks."""

    def __init__(self, builder: ReportBuilder, criteria: Any, out_dir: Path) -> None:
        self.builder = builder
        self.criteria = criteria
        self.out_dir = out_dir
        unit_ids = builder.unit_ids()
        self.names = dict(zip(unit_ids, unit_file_names([(u, builder.units_by_id[u].name) for u in unit_ids]),
                              strict=True))

    def plan(self) -> tuple[list[tuple[int, Callable[[], Any]]], list[str]]:
        """Every job with its weight, in the order of the paths returned; and the units with
        slips (those with people of their own)."""
        b = self.builder
        unit_ids = b.unit_ids()
        with_slips = [u for u in unit_ids if b.direct_headcount(u)]
        return [
            *((_weight(b.headcount(u)), partial(self.unit, u)) for u in unit_ids),
            (_weight(len(unit_ids), 2), self.summary),
            (_weight(30), self.sheet),
            *((_weight(b.direct_headcount(u), 2), partial(self.slips, u)) for u in with_slips),
            (_weight(b.headcount(), 0.25), self.notice),
        ], with_slips

    def slips_path(self, unit_id: str) -> Path:
        return self.out_dir / SLIPS_DIR / self.names[unit_id]

    def _job(self, template: str, ctx: Any, path: Path) -> Any:
        from .pdf import RenderJob

        return RenderJob(template, ctx, str(path), ctx.doc.meta.identifier)

    def unit(self, unit_id: str) -> Any:
        path = self.out_dir / self.names[unit_id]
        return self._job("unit.html.j2", self.builder.unit_report(unit_id), path)

    def summary(self) -> Any:
        return self._job("summary.html.j2", self.builder.summary_report(), self.out_dir / SUMMARY_FILE)

    def sheet(self) -> Any:
        b = self.builder
        ctx = build_criteria_sheet(self.criteria, lang=b.lang, sha256=b.sha, letterhead=b.letterhead,
                                   run_date=b.run_date)
        return self._job("criteria.html.j2", ctx, self.out_dir / CRITERIA_FILE)

    def slips(self, unit_id: str) -> Any:
        return self._job("slips.html.j2", slip_set(self.builder, unit_id), self.slips_path(unit_id))

    def notice(self) -> Any:
        from .notice import build_notice

        return self._job("notice.html.j2", build_notice(self.builder), self.out_dir / NOTICE_FILE)


def _person_slips(builder: ReportBuilder, out_dir: Path, unit_ids: list[str],
                  combined: list[Path]) -> list[Path]:
    """Each person's slip, cut from their unit's slips PDF by pages. Quick, so simply done
    again on a resumed call; the same combined PDF gives the same bytes."""
    from .jobs import write_atomic

    out: list[Path] = []
    for uid, path in zip(unit_ids, combined, strict=True):
        rows = builder.direct_rows(uid)  # as slip_set numbered the slips
        parts = split_slips(path.read_bytes(), [slip_anchor(n) for n in range(1, len(rows) + 1)])
        folder = out_dir / SLIPS_DIR / slug(uid, lower=False)
        for r, data in zip(rows, parts, strict=True):
            target = folder / f"{slug(r['employee_id'], lower=False)}.pdf"
            if not (target.exists() and target.read_bytes() == data):
                write_atomic(target, data)
            out.append(target)
    return out


def render_criteria_sheet(
    criteria: Any,
    out_path: Path,
    lang: str = "vi",
    *,
    sha256: str | None = None,
    agency: str | None = None,
    place: str | None = None,
) -> Path:
    """Write the criteria sheet for auditors to ``out_path`` (no run needed).

    The date line is the criteria's approval date (else its effective date), never the clock.
    ``sha256`` is the criteria file's hash for the footer, when known.
    """
    from .pdf import RenderJob

    sheet = build_criteria_sheet(criteria, lang=lang, sha256=sha256, agency=agency, place=place)
    _run_jobs([RenderJob("criteria.html.j2", sheet, str(out_path), sheet.doc.meta.identifier)], 1)
    return Path(out_path)

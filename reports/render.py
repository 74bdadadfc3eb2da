"""Public API of the reports layer: render every PDF of a run.

    from scoring.reports.render import render_run_reports, render_criteria_sheet

A report is made in three steps: a plain context object (``context``, ``criteria_sheet``), HTML
from a Jinja2 template, then a PDF from WeasyPrint (``pdf``). Unit reports are rendered in
parallel worker processes; each worker parses the fonts, stylesheet and templates once.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .builder import ReportBuilder
from .criteria_sheet import build_criteria_sheet
from .formatting import unit_file_name
from .run_reader import discover_history, load_history, load_run

__all__ = [
    "render_run_reports",
    "render_criteria_sheet",
    "SUMMARY_FILE",
    "CRITERIA_FILE",
    "last_results",
]

LOGGER = logging.getLogger("scoring.reports")

SUMMARY_FILE = "tong-hop_so.pdf"
CRITERIA_FILE = "tieu-chi.pdf"

# Results (pages, seconds, warnings) of the last call in this process, for the benchmark/tests.
_LAST: list[Any] = []


def last_results() -> list[Any]:
    """``RenderResult`` of every PDF written by the last ``render_run_reports`` call."""
    return list(_LAST)


def _unique_names(pairs: Sequence[tuple[str, str]]) -> list[str]:
    """File names per unit; a slug collision gets a short hash of the unit id."""
    import hashlib

    names = [unit_file_name(uid, name) for uid, name in pairs]
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    out = []
    for (uid, _), n in zip(pairs, names, strict=True):
        if seen[n] > 1:
            digest = hashlib.sha256(uid.encode()).hexdigest()[:8]
            n = n.removesuffix(".pdf") + f"_{digest}.pdf"
        out.append(n)
    return out


def _run_jobs(jobs: list[Any], workers: int) -> list[Any]:
    from . import pdf

    if workers <= 1 or len(jobs) <= 1:
        return [pdf.render_job(job) for job in jobs]
    # forkserver: workers fork from a clean server process that has imported only the
    # rendering module (no Polars threads, no fontconfig state from this process).
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["scoring.reports.pdf"])
    order = sorted(range(len(jobs)), key=lambda i: (-jobs[i].weight, i))  # biggest first
    with ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)), mp_context=ctx, initializer=pdf.init_worker
    ) as pool:
        futures = {i: pool.submit(pdf.render_job, jobs[i]) for i in order}
        return [futures[i].result() for i in range(len(jobs))]


def _report(results: list[Any]) -> None:
    _LAST[:] = results
    for res in results:
        for message in res.warnings:
            LOGGER.warning("%s: %s", Path(res.path).name, message)


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
) -> list[Path]:
    """Write every PDF of a run into ``out_dir`` and return their paths.

    - one PDF per unit, for its head: the staff of the unit and all its sub-units only
      (``don-vi_<unit id>_<name slug>.pdf``), in document order of the unit tree;
    - the department summary ``tong-hop_so.pdf``;
    - the criteria sheet ``tieu-chi.pdf``.

    ``criteria`` must be the criteria the run was scored with (id and version are checked
    against ``manifest.json``). ``agency`` is the letterhead: one line names the governing
    body (the issuer is then the top unit's name), two or more lines give the governing
    body lines and, last, the issuer. ``place`` is the place of the date line. Both default
    to ``options.agency`` / ``options.place`` of the manifest. ``history`` lists earlier run
    folders for the trend; ``None`` looks for sibling run folders of earlier periods, ``[]``
    turns the trend off. ``workers`` defaults to the number of CPUs.
    """
    run_dir = Path(run_dir)
    out_dir = Path(out_dir)
    run = load_run(run_dir)
    paths = discover_history(run_dir, run.period) if history is None else tuple(history)
    builder = ReportBuilder(
        run,
        criteria,
        lang=lang,
        agency=agency,
        place=place,
        history=load_history(paths, run.period),
    )
    from .pdf import RenderJob

    jobs: list[RenderJob] = []
    unit_ids = builder.unit_ids()
    names = _unique_names([(uid, builder.units_by_id[uid].name) for uid in unit_ids])
    for uid, name in zip(unit_ids, names, strict=True):
        ctx = builder.unit_report(uid)
        jobs.append(
            RenderJob("unit.html.j2", ctx, str(out_dir / name), ctx.doc.meta.identifier,
                      weight=10 + ctx.headcount + 2 * len(ctx.explanations))
        )
    summary = builder.summary_report()
    jobs.append(
        RenderJob("summary.html.j2", summary, str(out_dir / SUMMARY_FILE),
                  summary.doc.meta.identifier, weight=10 + 2 * len(summary.units))
    )
    sheet = build_criteria_sheet(
        criteria,
        lang=lang,
        sha256=builder.sha,
        letterhead=builder.letterhead,
        run_date=builder.run_date,
    )
    jobs.append(
        RenderJob("criteria.html.j2", sheet, str(out_dir / CRITERIA_FILE),
                  sheet.doc.meta.identifier, weight=40)
    )
    n = workers if workers is not None else (os.cpu_count() or 1)
    results = _run_jobs(jobs, max(1, n))
    _report(results)
    return [Path(r.path) for r in results]


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
    results = _run_jobs([RenderJob("criteria.html.j2", sheet, str(out_path), sheet.doc.meta.identifier)], 1)
    _report(results)
    return Path(out_path)

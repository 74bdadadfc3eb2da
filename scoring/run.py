"""One scoring run from files to an output folder: read, validate, score, write, (render)."""

from __future__ import annotations

import platform
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time
from importlib import metadata
from pathlib import Path
from typing import Any

import polars as pl

from scoring import __version__
from scoring.engine.rollup import summarise_parts
from scoring.engine.score import ScoreResult, score
from scoring.inputs.frames import InputFrames, LentInputs
from scoring.outputs.env_errors import environment_errors
from scoring.outputs.manifest import sha256_file, write_manifest
from scoring.outputs.out_guard import check_out
from scoring.outputs.run_folder import atomic_folder, recover, reports_subdir, write_step
from scoring.outputs.tables import (
    CSV_MAX_ROWS,
    csv_skipped_note,
    parquet_rows,
    write_csv,
    write_slices,
    write_table,
)
from scoring.outputs.wording import row_words
from scoring.periods import Period, parse_period
from scoring.rules.model import Criteria, Rollup
from scoring.rules.select import part_criteria, resolve_criteria
from scoring.settings import Settings

__all__ = ["RunOptions", "RunSummary", "Computed", "compute", "run_scoring", "write_tables", "Step",
           "part_results"]

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
    sheet: str | None = None
    header_row: int | None = None
    data_source: Path | None = None  # the data-source file (docs/inputs.md)
    agency: str | None = None  # letterhead lines of the reports, "\n"-separated
    place: str | None = None  # place on the date line of the reports
    full_csv: bool = False  # write explanations.csv even when no spreadsheet can open it
    settings: Settings = Settings()  # where reports are rendered (scoring.toml)
    # signs one PDF (``scoring.reports.signing.ReportSigner.sign``); None: the PDFs stay unsigned
    sign: Callable[[bytes], bytes] | None = None


@dataclass(frozen=True)
class RunSummary:
    out: Path
    counts: dict[str, Any]
    notes: tuple[str, ...]
    reports: tuple[Path, ...]
    ignored: tuple[str, ...] = ()  # files of the data folder not read, with the reason
    recovered: tuple[str, ...] = ()  # what interrupted runs had left, and what was done
    read: tuple[str, ...] = ()  # "table: file (rows)" of each input read


def _counts(result: ScoreResult, criteria: Criteria, explanations: int) -> dict[str, Any]:
    s = result.scores
    ratings = {b.code: int((s["rating"] == b.code).sum()) for b in criteria.ratings}
    return {
        "staff": s.height,
        "rated": int((s["status"] == "rated").sum()),
        "not_rated": int((s["status"] == "not_rated").sum()),
        "ratings": ratings,
        "explanations": explanations,
        "units": result.units.height,
    }


@dataclass(frozen=True)
class Computed:
    """Everything a run computes before writing: what verify and diff recompute too."""

    criteria_file: Path
    criteria: Criteria
    criteria_files: tuple[Path, ...]  # the file in force and, for a roll-up, the quarterly ones
    inputs: InputFrames  # where the inputs came from: their tables are empty once scored
    result: ScoreResult


def compute(criteria_path: Path, data_dir: Path, period_label: str, step: Step,
            columns_file: Path | None = None, sheet: str | None = None,
            header_row: int | None = None, data_source: Path | None = None) -> Computed:
    from scoring.inputs.column_map import column_map_from_file
    from scoring.inputs.data_source import load_data_source
    from scoring.inputs.readers import read_inputs
    from scoring.rules.needs import criteria_needs, merge_needs

    period = parse_period(period_label)
    with step("criteria"):
        criteria_file, criteria = resolve_criteria(criteria_path, period)
        quarterlies = part_criteria(criteria_file, criteria, period)
        files = [criteria_file, *sorted({f for _, f, _ in quarterlies})]
        needs = [criteria_needs(criteria), *(criteria_needs(c) for _, _, c in quarterlies)]
    with step("read"):
        column_map = column_map_from_file(columns_file) if columns_file else None
        source = load_data_source(data_source) if data_source else None
        # a yearly roll-up reads quarterly assessments: its own label would not do for them
        label = period.label if criteria.rollup is None else None
        inputs = read_inputs(Path(data_dir), column_map=column_map, needs=merge_needs(*needs),
                             sheet=sheet, header_row=header_row, period=label, data_source=source)
    inputs = inputs.with_assessments_of({period.label, *(q.label for q, _, _ in quarterlies)})
    with step("score"):
        extra = part_results(quarterlies, inputs, criteria.rollup) if criteria.rollup else None
        # lent, with no other reference kept: the engine frees each table once it is used
        sources, lent = inputs.sources_only(), LentInputs(inputs)
        del inputs
        result = score(criteria, lent, period, extra=extra)
    return Computed(criteria_file, criteria, tuple(files), sources, result)


def part_results(parts: list[tuple[Period, Path, Criteria]], inputs: InputFrames,
                 rollup: Rollup) -> pl.DataFrame:
    """Each part scored with its own criteria, summarised per employee for the rolled-up sheet."""
    frames = [score(criteria, inputs, part).scores.select(
        "employee_id", "period", "total", "rating", "status")
        for part, _, criteria in parts]
    return summarise_parts(pl.concat(frames), rollup)


def write_tables(result: ScoreResult, criteria: Criteria, folder: Path, *, full_csv: bool = False,
                 hashes: dict[Path, str] | None = None) -> list[Path]:
    """The three tables as Parquet and CSV; the explanations' CSV only if a spreadsheet can
    open it (or ``full_csv``). The explanations go to Parquet a slice at a time.

    ``hashes`` receives the SHA-256 of the scores' and units' files, taken on the second thread.
    """
    def others() -> list[Path]:
        paths = [*write_table(result.scores, folder, "scores"),
                 *write_table(result.units, folder, "units")]
        if hashes is not None:
            hashes.update((p, sha256_file(p)) for p in paths)
        return paths

    # scores and units are written (and hashed) on a second thread while the explanations are
    # built
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(others)
        words = row_words(criteria)
        parquet = write_slices(lambda: result.explanation_frames(words),
                               result.explanation_schema(words), folder, "explanations")
        outputs = [*pending.result(), parquet]
    if full_csv or parquet_rows(parquet) <= CSV_MAX_ROWS:
        outputs.append(write_csv(pl.read_parquet(parquet, glob=False), folder, "explanations"))
    return outputs


def dependency_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("polars", "pandera", "pydantic", "pyyaml", "xlsxwriter", "jinja2", "weasyprint"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _copy_criteria(c: Computed, folder: Path) -> list[Path]:
    """Keep the exact criteria used inside the run, so the run can be verified later."""
    base = c.criteria_file.parent
    copies = []
    for f in c.criteria_files:
        target = folder / "criteria" / f.relative_to(base)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
        copies.append(target)
    return copies


READ_OPTIONS = "read-options"  # copies of the files that say how the inputs were read


def _kept(path: Path | None) -> dict[str, str] | None:
    """Where the run keeps its copy of a read-options file, and the file's SHA-256."""
    if path is None:
        return None
    return {"path": f"{READ_OPTIONS}/{path.name}", "file": path.name, "sha256": sha256_file(path)}


def _copy_read_options(opts: RunOptions, folder: Path) -> list[Path]:
    """Keep the data-source and column-mapping files inside the run: verify and diff
    --like-run read the same inputs the same way without them being given again."""
    copies = []
    for f in (opts.data_source, opts.columns_file):
        if f is not None:
            target = folder / READ_OPTIONS / Path(f).name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
            copies.append(target)
    return copies


def _inputs_of(opts: RunOptions) -> list[tuple[str, Path]]:
    named = [("--data", opts.data_dir), ("--criteria", opts.criteria_path)]
    return named + [(o, p) for o, p in (("--columns", opts.columns_file),
                                        ("--data-source", opts.data_source)) if p]


def run_scoring(opts: RunOptions, step: Step) -> RunSummary:
    """Run end to end; raise ScoringError subclasses on user errors, writing nothing.

    What interrupted runs left next to ``opts.out`` is recovered first (``recovered``).
    """
    recovered = recover(opts.out)
    check_out(opts.out, inputs=_inputs_of(opts), force=opts.force)
    c = compute(opts.criteria_path, opts.data_dir, opts.period, step, opts.columns_file,
                opts.sheet, opts.header_row, opts.data_source)
    notes: list[str] = []
    reports: list[Path] = []
    # what the machine refuses (full disk, read-only, another run first) is one line, exit 2;
    # the inner guard looks at the disk while the partial files are still on it
    with environment_errors(opts.out), atomic_folder(opts.out, replace=opts.force) as tmp, \
            environment_errors(opts.out):
        with step("write"):
            hashes: dict[Path, str] = {}
            outputs, counts = _write_files(c, tmp, opts, notes, hashes)
            manifest = _manifest(c, opts, counts, notes)
            # the reports read the run from its manifest; the final one is written after them
            write_manifest(tmp, manifest, outputs, hashes)
            write_step("manifest for the reports")
        if opts.reports:
            with step("reports"):
                reports = _render_reports(tmp, c.criteria, opts)
            write_step("reports")
            if opts.sign is not None:  # in the run's hidden folder: nothing shows unsigned
                with step("signing"):
                    for path in reports:
                        path.write_bytes(opts.sign(path.read_bytes()))
                write_step("signing")
            manifest["reports"] = sorted(p.relative_to(tmp).as_posix() for p in reports)
            write_manifest(tmp, manifest, outputs + reports, hashes)
            write_step("manifest")
    final = Path(opts.out).resolve()
    return RunSummary(final, counts, tuple(notes),
                      tuple(final / p.relative_to(tmp) for p in reports),
                      tuple(f"{f.path}: {f.reason}" for f in c.inputs.ignored), tuple(recovered),
                      tuple(f"{s.table}: {s.path}" + (f" › {s.sheet}" if s.sheet else "") + f" ({s.rows})"
                            for s in c.inputs.sources))


def _write_files(c: Computed, tmp: Path, opts: RunOptions, notes: list[str],
                 hashes: dict[Path, str]) -> tuple[list[Path], dict[str, Any]]:
    """The tables, the workbook and the criteria copies; their paths and the counts."""
    result = c.result
    outputs = write_tables(result, c.criteria, tmp, full_csv=opts.full_csv, hashes=hashes)
    write_step("tables")
    explanations_file = tmp / "explanations.parquet"
    counts = _counts(result, c.criteria, parquet_rows(explanations_file))
    elsewhere = {}
    if not (tmp / "explanations.csv").exists():
        notes.append(csv_skipped_note("explanations", counts["explanations"]))
        elsewhere["explanations"] = "explanations.parquet"
    xlsx = tmp / "scores.xlsx"
    notes += _write_workbook(c, opts, tmp, elsewhere)
    write_step("workbook")
    outputs.append(xlsx)
    outputs += _copy_criteria(c, tmp)
    outputs += _copy_read_options(opts, tmp)
    write_step("criteria copies")
    return outputs, counts


def _write_workbook(c: Computed, opts: RunOptions, tmp: Path, elsewhere: dict[str, str]) -> list[str]:
    """``scores.xlsx`` for HR, in the run's language (``reports/workbook_sheets.py``)."""
    from scoring.reports.workbook_sheets import BookContext, write_run_workbook

    ctx = BookContext(c.criteria, opts.lang, str(c.result.scores["period"][0])
                      if c.result.scores.height else opts.period, opts.agency)
    return write_run_workbook(ctx, c.result.scores,
                              pl.scan_parquet(tmp / "explanations.parquet", glob=False),
                              c.result.units, tmp / "scores.xlsx",
                              created=datetime.combine(opts.run_date, time(0, 0)),
                              elsewhere=elsewhere)


def _manifest(c: Computed, opts: RunOptions, counts: dict[str, Any],
              notes: list[str]) -> dict[str, Any]:
    scores = c.result.scores
    return {
        "tool": {"name": "scoring", "version": __version__, **dependency_versions()},
        "period": scores["period"][0] if scores.height else opts.period,
        "run_date": opts.run_date.isoformat(),
        "time_zone": opts.settings.time_zone,  # whose "today" the run date is, without --run-date
        "criteria": {"id": c.criteria.id, "version": c.criteria.version,
                     "sha256": sha256_file(c.criteria_file),
                     "path": f"criteria/{c.criteria_file.name}"},
        "inputs": [{"table": s.table, "path": s.path, "sha256": s.sha256, "rows": s.rows}
                   | ({"sheet": s.sheet} if s.sheet else {})
                   | ({"skipped": s.skipped} if s.skipped else {}) for s in c.inputs.sources],
        "ignored_inputs": [{"path": f.path, "reason": f.reason} for f in c.inputs.ignored],
        "options": {"reports": opts.reports, "lang": opts.lang,
                    "columns": _kept(opts.columns_file), "data_source": _kept(opts.data_source),
                    "sheet": opts.sheet, "header_row": opts.header_row,
                    "agency": opts.agency, "place": opts.place,
                    "full_csv": opts.full_csv},
        "counts": counts,
        "notes": notes,
    }


def _render_reports(folder: Path, criteria: Criteria, opts: RunOptions) -> list[Path]:
    from scoring.reports.render import render_run_reports  # only this layer imports WeasyPrint

    s = opts.settings
    return list(render_run_reports(folder, criteria, out_dir=folder / reports_subdir(opts.lang),
                                   lang=opts.lang,
                                   agency=opts.agency, place=opts.place, workers=s.workers,
                                   scheduler=s.scheduler, scheduler_timeout=s.connect_timeout))

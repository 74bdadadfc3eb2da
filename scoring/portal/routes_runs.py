"""HR's work on a run: upload, check, score in the background, publish, withdraw; the run page."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from scoring.clock import agency_today
from scoring.errors import ScoringError
from scoring.periods import parse_period
from scoring.portal.db import Run, RunFile, User, now
from scoring.portal.jobs import issue_rows, record_files
from scoring.portal.results import load_tables
from scoring.portal.scope import not_found, require_role, run_visible, scope_for
from scoring.portal.uploads import UploadError, check_upload
from scoring.portal.web import action, page, portal_of, view

__all__ = ["routes", "run_folder", "get_run", "input_dir", "output_dir"]


def run_folder(request: Request, run: Run) -> Path:
    return portal_of(request).settings.data_dir / "runs" / str(run.id)


def input_dir(request: Request, run: Run) -> Path:
    return run_folder(request, run) / "inputs"


def data_source_of(folder: Path) -> Path | None:
    """The run's data-source file, when HR uploaded one with the data."""
    from scoring.portal.uploads import DATA_SOURCE_NAME

    path = folder / DATA_SOURCE_NAME
    return path if path.is_file() else None


def output_dir(request: Request, run: Run) -> Path:
    return run_folder(request, run) / "out"


def get_run(request: Request, db: Session, user: User) -> Run:
    """The run of the URL if this user may see it; 404 otherwise (also for a malformed id)."""
    raw = request.path_params.get("run_id", "")
    run = db.get(Run, int(raw)) if str(raw).isdigit() and len(str(raw)) < 12 else None
    if run is None or not run_visible(user, run):
        raise not_found()
    return run


def _criteria_file(request: Request, name: str) -> Path | None:
    folder = portal_of(request).settings.criteria_dir
    return next((p for p in folder.glob("*.yaml") if p.name == name), None)


def _store_uploads(request: Request, db: Session, run: Run, form: FormData) -> list[str]:
    """Check and save every uploaded file; the refusals, one line each."""
    refused, folder = [], input_dir(request, run)
    folder.mkdir(parents=True, exist_ok=True)
    for item in form.getlist("files"):
        if not isinstance(item, UploadFile) or not item.filename:
            continue
        data = item.file.read()
        try:
            name = check_upload(item.filename, data)
        except UploadError as exc:
            refused.append(str(exc))
            continue
        (folder / name).write_bytes(data)
    record_files(db, run.id, "input", folder)
    run.state, run.job, run.issues = "draft", "idle", []
    return refused


@action
def create_run(request: Request, db: Session, user: User, form: FormData) -> Response:
    require_role(user, "hr")
    period, criteria = str(form.get("period", "")).strip(), str(form.get("criteria", ""))
    try:
        parse_period(period)
    except ValueError as exc:
        return page(request, "message.html.j2", status=400, message=None, text=str(exc))
    if _criteria_file(request, criteria) is None:
        return page(request, "message.html.j2", status=400, message=None, text=criteria)
    run = Run(period=period, criteria=criteria, created_by=user.id, issues=[], counts={})
    db.add(run)
    db.flush()
    refused = _store_uploads(request, db, run, form)
    return _after_upload(request, db, user, run, refused)


def _after_upload(request: Request, db: Session, user: User, run: Run, refused: list[str]) -> Response:
    if refused:
        return _run_page(request, db, user, run, refused=refused, status=400)
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


@action
def add_files(request: Request, db: Session, user: User, form: FormData) -> Response:
    require_role(user, "hr")
    run = get_run(request, db, user)
    if run.state not in ("draft", "checked") or run.job in ("queued", "running"):
        raise not_found()
    return _after_upload(request, db, user, run, _store_uploads(request, db, run, form))


@action
def check_run(request: Request, db: Session, user: User, form: FormData) -> Response:
    """The same reading and validation as ``scoring check-data``; located errors on the page."""
    from scoring.inputs.data_source import load_data_source
    from scoring.inputs.readers import read_inputs
    from scoring.rules.loader import load_criteria_file
    from scoring.rules.needs import criteria_needs

    require_role(user, "hr")
    run = get_run(request, db, user)
    criteria = _criteria_file(request, run.criteria)
    if run.state not in ("draft", "checked") or criteria is None:
        raise not_found()
    try:
        source = data_source_of(input_dir(request, run))
        read_inputs(input_dir(request, run), needs=criteria_needs(load_criteria_file(criteria)),
                    period=run.period, data_source=load_data_source(source) if source else None)
    except ScoringError as exc:
        run.state, run.issues = "draft", issue_rows(exc)
    else:
        run.state, run.issues = "checked", []
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


@action
def start_run(request: Request, db: Session, user: User, form: FormData) -> Response:
    from scoring.run import RunOptions
    from scoring.settings import Settings as RunSettings

    require_role(user, "hr")
    run = get_run(request, db, user)
    criteria = _criteria_file(request, run.criteria)
    if run.state != "checked" or run.job in ("queued", "running") or criteria is None:
        raise not_found()
    settings = portal_of(request).settings
    opts = RunOptions(criteria_path=criteria.resolve(), data_dir=input_dir(request, run).resolve(),
                      period=run.period, out=output_dir(request, run).resolve(),
                      run_date=agency_today(settings.time_zone),  # the agency's date, not the server's
                      reports=settings.reports, force=True, agency=settings.agency, place=settings.place,
                      settings=RunSettings(time_zone=settings.time_zone),
                      data_source=data_source_of(input_dir(request, run).resolve()))
    run.job, run.progress = "queued", ""
    db.commit()  # the worker process reads the row
    portal_of(request).jobs.start(run.id, opts)
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


@action
def publish_run(request: Request, db: Session, user: User, form: FormData) -> Response:
    require_role(user, "hr")
    run = get_run(request, db, user)
    if run.state != "checked" or run.job != "done":
        raise not_found()
    run.state, run.published_at = "published", now()
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


@action
def withdraw_run(request: Request, db: Session, user: User, form: FormData) -> Response:
    require_role(user, "hr")
    run = get_run(request, db, user)
    if run.state != "published":
        raise not_found()
    run.state = "withdrawn"
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


def _run_page(request: Request, db: Session, user: User, run: Run, refused: list[str] | None = None,
              status: int = 200) -> Response:
    files = db.scalars(select(RunFile).where(RunFile.run_id == run.id)
                       .order_by(RunFile.kind, RunFile.path)).all()
    units = []
    out = output_dir(request, run)
    if run.job == "done" and (out / "manifest.json").is_file():
        tables = load_tables(out)
        scope = scope_for(user, tables.edges)
        units = [u for u in tables.units.to_dicts() if scope.units is None or u["unit_id"] in scope.units]
    return page(request, "run.html.j2", status=status, run=run, files=files, units=units,
                refused=refused or [], has_summary=(out / "reports" / "tong-hop_so.pdf").is_file())


@view
def show_run(request: Request, db: Session, user: User) -> Response:
    if user.role == "staff":
        raise not_found()
    return _run_page(request, db, user, get_run(request, db, user))


routes = [
    Route("/runs", create_run, methods=["POST"]),
    Route("/runs/{run_id}", show_run, methods=["GET"]),
    Route("/runs/{run_id}/files", add_files, methods=["POST"]),
    Route("/runs/{run_id}/check", check_run, methods=["POST"]),
    Route("/runs/{run_id}/start", start_run, methods=["POST"]),
    Route("/runs/{run_id}/publish", publish_run, methods=["POST"]),
    Route("/runs/{run_id}/withdraw", withdraw_run, methods=["POST"]),
]

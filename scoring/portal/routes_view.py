"""What heads, the director, auditors and staff read: units, people, reports and downloads.

Every id in a URL goes through the run's scope: outside it the answer is 404.
"""

from __future__ import annotations

import io

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from scoring.audit.explain_text import render_explanation
from scoring.portal.db import Run, RunFile, User
from scoring.portal.results import RunTables, load_tables, person_rows, unit_report
from scoring.portal.routes_runs import get_run, output_dir
from scoring.portal.scope import Scope, not_found, require_role, scope_for
from scoring.portal.web import lang_of, page, view
from scoring.reports.formatting import slug

__all__ = ["routes"]

_STAFF_COLUMNS = ["employee_id", "full_name", "unit_id", "unit_name", "position", "total", "rating",
                  "rating_label", "status", "status_reason"]


def _finished(request: Request, db: Session, user: User) -> tuple[Run, RunTables, Scope]:
    run = get_run(request, db, user)
    out = output_dir(request, run)
    if run.job != "done" or not (out / "manifest.json").is_file():
        raise not_found()
    tables = load_tables(out)
    return run, tables, scope_for(user, tables.edges)


def _unit(request: Request, tables: RunTables, scope: Scope) -> dict:
    unit_id = str(request.path_params["unit_id"])
    scope.unit(unit_id)
    rows = tables.units.filter(pl.col("unit_id") == unit_id).to_dicts()
    if not rows:
        raise not_found()
    return rows[0]


def _unit_staff(tables: RunTables, scope: Scope, unit_id: str) -> pl.DataFrame:
    """The staff of the unit and its sub-units, as far as the user's scope reaches."""
    from scoring.portal.scope import subtree

    below = subtree(tables.edges, unit_id)
    if scope.units is not None:
        below &= scope.units
    return tables.scores.filter(pl.col("unit_id").is_in(sorted(below))).sort("unit_id", "employee_id")


@view
def unit_page(request: Request, db: Session, user: User) -> Response:
    run, tables, scope = _finished(request, db, user)
    unit = _unit(request, tables, scope)
    staff = _unit_staff(tables, scope, unit["unit_id"]).select(_STAFF_COLUMNS).to_dicts()
    children = tables.units.filter(pl.col("parent_id") == unit["unit_id"]).to_dicts()
    report = unit_report(tables, unit["unit_id"])
    return page(request, "unit.html.j2", run=run, unit=unit, staff=staff, children=children,
                has_report=report is not None)


@view
def unit_pdf(request: Request, db: Session, user: User) -> Response:
    run, tables, scope = _finished(request, db, user)
    unit = _unit(request, tables, scope)
    report = unit_report(tables, unit["unit_id"])
    if report is None:
        raise not_found()
    return FileResponse(report, media_type="application/pdf", filename=report.name)


def _csv(frame: pl.DataFrame, name: str) -> Response:
    buf = io.BytesIO()
    frame.write_csv(buf)
    return Response(b"\xef\xbb\xbf" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


@view
def unit_csv(request: Request, db: Session, user: User) -> Response:
    run, tables, scope = _finished(request, db, user)
    unit = _unit(request, tables, scope)
    return _csv(_unit_staff(tables, scope, unit["unit_id"]), f"can-bo_{run.period}_{unit['unit_id']}.csv")


def _person(request: Request, db: Session, user: User) -> tuple[Run, RunTables, dict]:
    run, tables, scope = _finished(request, db, user)
    employee_id = str(request.path_params["employee_id"])
    rows = tables.scores.filter(pl.col("employee_id") == employee_id).to_dicts()
    if not rows:
        raise not_found()
    scope.person(rows[0]["unit_id"], employee_id)
    return run, tables, rows[0]


@view
def person_page(request: Request, db: Session, user: User) -> Response:
    run, tables, person = _person(request, db, user)
    rows = person_rows(tables.folder, person["employee_id"])
    text = render_explanation(person, rows, lang=lang_of(request))
    return page(request, "person.html.j2", run=run, person=person, rows=rows, text=text)


@view
def person_csv(request: Request, db: Session, user: User) -> Response:
    run, tables, person = _person(request, db, user)
    frame = pl.DataFrame(person_rows(tables.folder, person["employee_id"]))
    return _csv(frame, f"giai-trinh_{run.period}_{person['employee_id']}.csv")


@view
def person_slip(request: Request, db: Session, user: User) -> Response:
    """The person's slip as the run rendered it (reports/phieu/<unit>/<id>.pdf)."""
    _run, tables, person = _person(request, db, user)
    path = (tables.folder / "reports" / "phieu" / slug(str(person["unit_id"]), lower=False)
            / f"{slug(str(person['employee_id']), lower=False)}.pdf")
    if not path.is_file():
        raise not_found()
    return FileResponse(path, media_type="application/pdf", filename=f"phieu_{path.name}")


def _named_report(request: Request, db: Session, user: User, name: str, *roles: str) -> Response:
    require_role(user, *roles)
    run, tables, _ = _finished(request, db, user)
    path = tables.folder / "reports" / name
    if not path.is_file():
        raise not_found()
    return FileResponse(path, media_type="application/pdf", filename=name)


@view
def summary_pdf(request: Request, db: Session, user: User) -> Response:
    return _named_report(request, db, user, "tong-hop_so.pdf", "hr", "director", "auditor")


@view
def criteria_pdf(request: Request, db: Session, user: User) -> Response:
    return _named_report(request, db, user, "tieu-chi.pdf", "hr", "director", "auditor", "head")


@view
def run_file(request: Request, db: Session, user: User) -> Response:
    """Any file of the run folder, for HR and auditors, by its recorded name only (no paths)."""
    require_role(user, "hr", "auditor")
    run, tables, _ = _finished(request, db, user)
    wanted = str(request.path_params["name"])
    known = db.scalar(select(RunFile).where(RunFile.run_id == run.id, RunFile.kind == "output",
                                            RunFile.path == wanted))
    if known is None:
        raise not_found()
    path = (tables.folder / known.path).resolve()
    if not path.is_relative_to(tables.folder.resolve()) or not path.is_file():
        raise not_found()
    return FileResponse(path, filename=path.name)


@view
def my_slip(request: Request, db: Session, user: User) -> Response:
    """A staff member's own explanation in the newest published run that has them."""
    require_role(user, "staff")
    for run in db.scalars(select(Run).where(Run.state == "published").order_by(Run.id.desc())):
        out = output_dir(request, run)
        if not (out / "manifest.json").is_file():
            continue
        person = load_tables(out).scores.filter(pl.col("employee_id") == (user.employee_id or ""))
        if person.height:
            row = person.to_dicts()[0]
            rows = person_rows(out, row["employee_id"])
            return page(request, "person.html.j2", run=run, person=row, rows=rows,
                        text=render_explanation(row, rows, lang=lang_of(request)))
    return page(request, "message.html.j2", message="nothing")


routes = [
    Route("/runs/{run_id}/units/{unit_id}", unit_page, methods=["GET"]),
    Route("/runs/{run_id}/units/{unit_id}/report.pdf", unit_pdf, methods=["GET"]),
    Route("/runs/{run_id}/units/{unit_id}/staff.csv", unit_csv, methods=["GET"]),
    Route("/runs/{run_id}/employees/{employee_id}", person_page, methods=["GET"]),
    Route("/runs/{run_id}/employees/{employee_id}/explanation.csv", person_csv, methods=["GET"]),
    Route("/runs/{run_id}/employees/{employee_id}/slip.pdf", person_slip, methods=["GET"]),
    Route("/runs/{run_id}/summary.pdf", summary_pdf, methods=["GET"]),
    Route("/runs/{run_id}/criteria.pdf", criteria_pdf, methods=["GET"]),
    Route("/runs/{run_id}/files/{name:path}", run_file, methods=["GET"]),
    Route("/me", my_slip, methods=["GET"]),
]

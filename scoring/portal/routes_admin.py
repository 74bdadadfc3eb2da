"""The access log (HR and auditors), and the auditor's verify and diff."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from scoring.errors import ScoringError
from scoring.portal.db import AccessEntry, Run, User
from scoring.portal.jobs import issue_rows
from scoring.portal.routes_runs import data_source_of, get_run, input_dir, output_dir
from scoring.portal.scope import not_found, require_role
from scoring.portal.web import action, lang_of, page, portal_of, view

__all__ = ["routes"]

_LOG_PAGE = 500


@view
def access_log(request: Request, db: Session, user: User) -> Response:
    require_role(user, "hr", "auditor")
    who = request.query_params.get("who", "").strip()
    query = select(AccessEntry).order_by(AccessEntry.id.desc()).limit(_LOG_PAGE)
    if who:
        query = query.where(AccessEntry.username == who)
    return page(request, "log.html.j2", entries=db.scalars(query).all(), who=who)


@view
def access_log_csv(request: Request, db: Session, user: User) -> Response:
    require_role(user, "hr", "auditor")
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["id", "at_utc", "username", "role", "action", "target", "status", "client"])
    for e in db.scalars(select(AccessEntry).order_by(AccessEntry.id)):
        out.writerow([e.id, e.at.isoformat(timespec="seconds"), e.username or "", e.role or "", e.action,
                      e.target, e.status, e.client])
    return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="nhat-ky-truy-cap.csv"'})


@action
def verify_run(request: Request, db: Session, user: User, form: FormData) -> Response:
    """``scoring verify`` of a run: recompute from its inputs and compare byte for byte."""
    from scoring.audit.verify import verify_run as verify

    require_role(user, "hr", "auditor")
    run = get_run(request, db, user)
    if run.job != "done":
        raise not_found()
    try:
        checks, issues = verify(output_dir(request, run), input_dir(request, run)), []
    except ScoringError as exc:
        checks, issues = [], issue_rows(exc)
    return page(request, "verify.html.j2", run=run, checks=checks, issues=issues,
                ok=bool(checks) and all(c.ok for c in checks))


def _criteria_names(request: Request) -> list[str]:
    return sorted(p.name for p in portal_of(request).settings.criteria_dir.glob("*.yaml"))


@view
def diff_form(request: Request, db: Session, user: User) -> Response:
    require_role(user, "auditor", "hr")
    runs = [r for r in db.scalars(select(Run).where(Run.job == "done").order_by(Run.id.desc()))]
    return page(request, "diff.html.j2", criteria_files=_criteria_names(request), runs=runs, text=None)


@action
def diff_run(request: Request, db: Session, user: User, form: FormData) -> Response:
    """``scoring diff OLD NEW`` with, when a run is chosen, the impact on that run's inputs."""
    from scoring.audit.diff import impact, render_diff, rule_changes
    from scoring.inputs.data_source import load_data_source
    from scoring.inputs.readers import read_inputs
    from scoring.periods import parse_period
    from scoring.rules.loader import load_criteria_file
    from scoring.rules.needs import criteria_needs, merge_needs

    require_role(user, "auditor", "hr")
    names, folder = _criteria_names(request), portal_of(request).settings.criteria_dir
    old, new = str(form.get("old", "")), str(form.get("new", ""))
    if old not in names or new not in names:
        raise not_found()
    run_id = str(form.get("run", ""))
    run = db.get(Run, int(run_id)) if run_id.isdigit() else None
    try:
        a, b = load_criteria_file(folder / old), load_criteria_file(folder / new)
        imp = None
        if run is not None and run.job == "done":
            needs = merge_needs(criteria_needs(a), criteria_needs(b))
            source = data_source_of(input_dir(request, run))
            inputs = read_inputs(input_dir(request, run), needs=needs, period=run.period,
                                 data_source=load_data_source(source) if source else None)
            imp = impact(a, b, inputs, parse_period(run.period))
        text = render_diff(rule_changes(a, b), imp, lang=lang_of(request))
    except ScoringError as exc:
        text = "\n".join(str(i) for i in exc.issues)
    runs = [r for r in db.scalars(select(Run).where(Run.job == "done").order_by(Run.id.desc()))]
    return page(request, "diff.html.j2", criteria_files=names, runs=runs, text=text)


routes = [
    Route("/log", access_log, methods=["GET"]),
    Route("/log.csv", access_log_csv, methods=["GET"]),
    Route("/runs/{run_id}/verify", verify_run, methods=["POST"]),
    Route("/audit/diff", diff_form, methods=["GET"]),
    Route("/audit/diff", diff_run, methods=["POST"]),
]

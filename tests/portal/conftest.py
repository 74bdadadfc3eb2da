"""One portal for the portal tests: an account of every role and the sample quarter published."""

from __future__ import annotations

import shutil

import pytest
from portal_client import PASSWORD, ROOT, Client, run_quarter
from starlette.testclient import TestClient

from scoring.portal.accounts import add_user
from scoring.portal.app import create_app
from scoring.portal.db import Run, RunFile
from scoring.portal.settings import Settings

# username, role, unit, employee
ACCOUNTS = [("hr", "hr", None, None), ("director", "director", None, None),
            ("auditor", "auditor", None, None), ("head_cctdc", "head", "CCTDC", None),
            ("head_vp", "head", "VP", None), ("head_ccdl", "head", "CC-DL", None),
            ("nv0097", "staff", None, "NV0097")]


def make_portal(data_dir, **settings):
    app = create_app(Settings(data_dir=data_dir, criteria_dir=ROOT / "criteria", **settings))
    with app.state.portal.sessions.begin() as db:
        for username, role, unit, employee in ACCOUNTS:
            add_user(db, username, username.upper(), role, PASSWORD, unit, employee)
    return app


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    """The app (its lifespan running), the published run and an unpublished copy of it."""
    app = make_portal(tmp_path_factory.mktemp("portal"))
    with TestClient(app):
        hr = Client(app, "hr")
        published = run_quarter(hr)
        unpublished = _copy_unpublished(app, published)
        yield app, published, unpublished


def _copy_unpublished(app, run_id: int) -> int:
    """A second finished run, checked but not published (same tables, another id)."""
    data_dir = app.state.portal.settings.data_dir
    with app.state.portal.sessions.begin() as db:
        src = db.get(Run, run_id)
        run = Run(period=src.period, criteria=src.criteria, state="checked", job="done", issues=[],
                  counts=src.counts, created_by=src.created_by, run_date=src.run_date)
        db.add(run)
        db.flush()
        shutil.copytree(data_dir / "runs" / str(run_id), data_dir / "runs" / str(run.id))
        for f in db.query(RunFile).filter(RunFile.run_id == run_id):
            db.add(RunFile(run_id=run.id, kind=f.kind, path=f.path, size=f.size, sha256=f.sha256))
        return run.id

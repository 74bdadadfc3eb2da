"""Property: over random organisation trees, no head ever sees a person outside their subtree,
through any page or download of the portal."""

from __future__ import annotations

import itertools
import json
import shutil

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from portal_client import PASSWORD, Client
from scoring.reports.formatting import unit_file_name

from scoring.portal.accounts import add_user
from scoring.portal.db import Run
from scoring.portal.scope import subtree

_PEOPLE = 30
_serial = itertools.count()


@st.composite
def organisations(draw):
    n = draw(st.integers(2, 9))
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n)]
    homes = draw(st.lists(st.integers(0, n - 1), min_size=_PEOPLE, max_size=_PEOPLE))
    head = draw(st.integers(0, n - 1))
    return parents, homes, head


def _unit(i: int) -> str:
    return f"UA{i:02d}"


def _make_run(app, real_run: int, parents, homes) -> int:
    """A published run whose tables put the sample people into the drawn tree."""
    data_dir = app.state.portal.settings.data_dir
    real = data_dir / "runs" / str(real_run) / "out"
    scores = pl.read_parquet(real / "scores.parquet").sort("employee_id").head(_PEOPLE)
    names = [f"Đơn vị <b>{i}</b> & co" for i in range(len(parents))]  # markup must stay text
    scores = scores.with_columns(pl.Series("unit_id", [_unit(h) for h in homes]),
                                 pl.Series("unit_name", [names[h] for h in homes]))
    units = pl.DataFrame({"unit_id": [_unit(i) for i in range(len(parents))], "name": names,
                          "parent_id": [None if p is None else _unit(p) for p in parents],
                          "level": [0] * len(parents),
                          "headcount": [homes.count(i) for i in range(len(parents))],
                          "mean_total": [None] * len(parents)},
                         schema_overrides={"parent_id": pl.String, "mean_total": pl.Float64})
    with app.state.portal.sessions.begin() as db:
        run = Run(period="2025-Q1", criteria="skhcn-quy-2025.yaml", state="published", job="done",
                  issues=[], counts={}, created_by=1)
        db.add(run)
        db.flush()
        run_id = run.id
    out = data_dir / "runs" / str(run_id) / "out"
    (out / "reports").mkdir(parents=True)
    scores.write_parquet(out / "scores.parquet")
    units.write_parquet(out / "units.parquet")
    explanations = pl.read_parquet(real / "explanations.parquet")
    explanations.filter(pl.col("employee_id").is_in(scores["employee_id"].to_list())).write_parquet(
        out / "explanations.parquet")
    shutil.copyfile(real / "manifest.json", out / "manifest.json")
    for uid, name in zip(units["unit_id"], units["name"], strict=True):
        staff = scores.filter(pl.col("unit_id") == uid)["employee_id"].to_list()
        (out / "reports" / unit_file_name(uid, name)).write_bytes(b"%PDF-fake " + json.dumps(staff).encode())
    return run_id


def _urls(run_id: int, units: list[str], people: list[str]):
    yield "/"
    yield f"/runs/{run_id}"
    for name in ("summary.pdf", "criteria.pdf", "files/scores.csv", "files/explanations.parquet"):
        yield f"/runs/{run_id}/{name}"
    for u in units:
        yield from (f"/runs/{run_id}/units/{u}", f"/runs/{run_id}/units/{u}/report.pdf",
                    f"/runs/{run_id}/units/{u}/staff.csv")
    for p in people:
        yield from (f"/runs/{run_id}/employees/{p}", f"/runs/{run_id}/employees/{p}/explanation.csv",
                    f"/runs/{run_id}/employees/{p}/slip.pdf")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_no_head_sees_anyone_outside_their_subtree(portal, org):
    app, real_run, _ = portal
    parents, homes, head_at = org
    run_id = _make_run(app, real_run, parents, homes)
    out = app.state.portal.settings.data_dir / "runs" / str(run_id) / "out"
    scores = pl.read_parquet(out / "scores.parquet")
    edges = [(_unit(i), None if p is None else _unit(p)) for i, p in enumerate(parents)]
    mine = subtree(edges, _unit(head_at))
    inside = set(scores.filter(pl.col("unit_id").is_in(sorted(mine)))["employee_id"])
    outside = set(scores["employee_id"]) - inside
    username = f"head{next(_serial)}"
    with app.state.portal.sessions.begin() as db:
        add_user(db, username, username, "head", PASSWORD, _unit(head_at))
    head = Client(app, username)
    units = [_unit(i) for i in range(len(parents))]
    for url in _urls(run_id, units, sorted(scores["employee_id"])):
        r = head.get(url)
        target = url.rsplit("/runs/", 1)[-1]
        own = any(f"/units/{u}" in url for u in mine) or any(f"/employees/{p}" in url for p in inside)
        foreign = any(f"/units/{u}" in url for u in set(units) - mine) or any(
            f"/employees/{p}" in url for p in outside)
        if foreign:
            assert r.status_code == 404, target
        elif own and not url.endswith("/slip.pdf"):  # these runs are not rendered: no slips
            assert r.status_code == 200, target
        body = r.content.decode("utf-8", "replace")
        leaked = [p for p in outside if p in body]
        assert not leaked, (target, leaked)
        assert "<b>" not in body or url.endswith((".pdf", ".csv")), target

"""Least privilege and the usual attacks: 404 outside one's scope, CSRF, sessions, brute force."""

from __future__ import annotations

import re

import polars as pl
import pytest
from portal_client import PASSWORD, Client
from sqlalchemy import text

from scoring.portal.scope import subtree


def _tables(app, run_id):
    out = app.state.portal.settings.data_dir / "runs" / str(run_id) / "out"
    return pl.read_parquet(out / "scores.parquet"), pl.read_parquet(out / "units.parquet")


def _id_urls(run_id, units, people):
    for u in units:
        yield u, None, f"/runs/{run_id}/units/{u}"
        yield u, None, f"/runs/{run_id}/units/{u}/report.pdf"
        yield u, None, f"/runs/{run_id}/units/{u}/staff.csv"
    for unit, emp in people:
        yield unit, emp, f"/runs/{run_id}/employees/{emp}"
        yield unit, emp, f"/runs/{run_id}/employees/{emp}/explanation.csv"
        yield unit, emp, f"/runs/{run_id}/employees/{emp}/slip.pdf"


@pytest.mark.parametrize("head, root", [("head_vp", "VP"), ("head_cctdc", "CCTDC"), ("head_ccdl", "CC-DL")])
def test_a_head_gets_404_for_every_id_outside_their_subtree_and_200_inside(portal, head, root):
    app, run_id, _ = portal
    scores, units = _tables(app, run_id)
    mine = subtree(zip(units["unit_id"], units["parent_id"], strict=True), root)
    people = list(zip(scores["unit_id"], scores["employee_id"], strict=True))
    client = Client(app, head)
    for unit, _emp, url in _id_urls(run_id, units["unit_id"].to_list(), people):
        assert client.get(url).status_code == (200 if unit in mine else 404), url
    for url in (f"/runs/{run_id}/summary.pdf", f"/runs/{run_id}/files/scores.csv", "/log", "/log.csv",
                "/users", "/audit/diff", f"/runs/{run_id}/units/NOPE", f"/runs/{run_id}/employees/NV9999"):
        assert client.get(url).status_code == 404, url


def test_a_404_says_nothing_about_whether_the_id_exists(portal):
    app, run_id, _ = portal
    client = Client(app, "head_vp")
    foreign, missing = client.get(f"/runs/{run_id}/units/TTRA"), client.get(f"/runs/{run_id}/units/XYZ")
    assert foreign.status_code == missing.status_code == 404 and foreign.text == missing.text
    assert "TTRA" not in foreign.text and "Thanh tra" not in foreign.text


def test_unpublished_runs_are_invisible_to_heads_the_director_and_staff(portal):
    app, published, unpublished = portal
    for name in ("head_vp", "head_cctdc", "director", "nv0097"):
        client = Client(app, name)
        assert f"/runs/{unpublished}" not in client.get("/").text
        for url in (f"/runs/{unpublished}", f"/runs/{unpublished}/units/VP",
                    f"/runs/{unpublished}/units/VP/report.pdf", f"/runs/{unpublished}/employees/NV0097",
                    f"/runs/{unpublished}/summary.pdf"):
            assert client.get(url).status_code == 404, (name, url)
    assert Client(app, "auditor").get(f"/runs/{unpublished}/units/VP").status_code == 200


def test_staff_see_only_their_own_slip(portal):
    app, run_id, _ = portal
    staff = Client(app, "nv0097")
    me = staff.get("/me")
    assert me.status_code == 200 and "NV0097" in me.text and "Xếp loại cuối cùng" in me.text
    assert staff.get(f"/runs/{run_id}/employees/NV0097").status_code == 200
    for url in (f"/runs/{run_id}/employees/NV0096", f"/runs/{run_id}/units/VP", f"/runs/{run_id}",
                f"/runs/{run_id}/criteria.pdf"):
        assert staff.get(url).status_code == 404, url


def test_the_director_sees_every_unit_and_the_summary(portal):
    app, run_id, _ = portal
    director = Client(app, "director")
    _, units = _tables(app, run_id)
    for u in units["unit_id"]:
        assert director.get(f"/runs/{run_id}/units/{u}").status_code == 200
    r = director.get(f"/runs/{run_id}/summary.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


@pytest.mark.parametrize("name", ["../../portal.db", "..%2F..%2Fportal.db", "%2e%2e/%2e%2e/portal.db",
                                  "/etc/passwd", "reports/../../inputs/staff.csv", "inputs/staff.csv",
                                  "..\\..\\portal.db"])
def test_path_traversal_in_download_names_is_404(portal, name):
    app, run_id, _ = portal
    hr = Client(app, "hr")
    assert hr.get(f"/runs/{run_id}/files/scores.csv").status_code == 200
    assert hr.get(f"/runs/{run_id}/files/{name}").status_code == 404


def _post_routes(app):
    for route in app.routes:
        if "POST" in (getattr(route, "methods", None) or ()) and route.path != "/login":
            yield route.path


def test_every_form_refuses_a_missing_or_wrong_csrf_token(portal):
    app, _, unpublished = portal
    hr = Client(app, "hr")
    paths = [p.replace("{run_id}", str(unpublished)) for p in _post_routes(app)]
    assert len(paths) >= 8
    for path in paths:
        for token in (None, "forged"):
            data = {"csrf": token} if token else {}
            r = hr.http.post(path, data=data)
            assert r.status_code == 403, (path, token, r.status_code)
    assert hr.get("/").status_code == 200  # logout was refused too: still signed in
    login = hr.http.post("/login", data={"username": "hr", "password": PASSWORD})
    assert login.status_code == 403


def _session_cookie(response) -> str:
    first = (response.history or [response])[0]
    return first.headers["set-cookie"].split("scoring_session=", 1)[1].split(";", 1)[0]


def test_a_session_cannot_be_reused_after_logout_nor_fixed_before_login(tmp_path):
    from conftest import make_portal

    app = make_portal(tmp_path)
    planted = _session_cookie(Client(app).login("auditor"))  # an attacker's own session
    victim = Client(app)
    victim.http.cookies.set("scoring_session", planted, domain="testserver.local")
    assert "AUDITOR" in victim.get("/").text  # the planted cookie is sent
    token = _session_cookie(victim.login("director"))
    assert token and token != planted
    stale = Client(app)
    stale.http.cookies.set("scoring_session", planted, domain="testserver.local")
    assert "/login" in str(stale.get("/").url)  # the planted session ended at the victim's login
    victim.post("/logout")
    thief = Client(app)
    thief.http.cookies.set("scoring_session", token, domain="testserver.local")
    r = thief.get("/")
    assert "/login" in str(r.url) and 'id="runs"' not in r.text


def test_the_session_cookie_is_secure_http_only_and_same_site(portal):
    app, _, _ = portal
    r = Client(app).login("auditor").history[0]
    cookie = r.headers["set-cookie"]
    assert "scoring_session=" in cookie and "HttpOnly" in cookie and "Secure" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()


def test_brute_force_is_slowed_per_account_and_per_address(tmp_path):
    from conftest import make_portal

    app = make_portal(tmp_path, login_limit=3)
    client = Client(app)
    for _ in range(3):
        assert client.login("hr", "wrong password!").status_code == 401
    blocked = client.login("hr", PASSWORD)  # even the right password waits now
    assert blocked.status_code == 429 and "giây" in blocked.text
    other = client.login("director", "wrong password!")  # same address, another account
    assert other.status_code == 429


def test_html_in_names_is_escaped_in_every_page(portal):
    app, _, _ = portal
    hr = Client(app, "hr")
    evil = '<script>alert("x")</script>'
    r = hr.post("/users", data={"username": "evil", "display_name": evil, "role": "director",
                                "password": PASSWORD})
    assert r.status_code == 200 and evil not in r.text and "&lt;script&gt;" in r.text
    r = Client(app, "evil").get("/")
    assert evil not in r.text and "&lt;script&gt;" in r.text


def test_the_access_log_holds_every_view_with_who_what_and_where(portal):
    app, run_id, _ = portal
    head = Client(app, "head_cctdc")
    urls = [f"/runs/{run_id}/units/CC-DL", f"/runs/{run_id}/units/CC-DL/report.pdf",
            f"/runs/{run_id}/employees/NV0073", f"/runs/{run_id}/employees/NV0073/explanation.csv",
            f"/runs/{run_id}/units/VP"]
    for url in urls:
        head.get(url)
    log = Client(app, "auditor").get("/log.csv").content.decode("utf-8-sig")
    rows = [line.split(",") for line in log.splitlines()[1:]]
    for url in urls:
        hit = [r for r in rows if r[2] == "head_cctdc" and r[5] == url]
        assert hit, url
        assert hit[-1][7] == "testclient" and re.match(r"\d{4}-\d\d-\d\dT", hit[-1][1])
    assert [r[6] for r in rows if r[5] == urls[-1] and r[2] == "head_cctdc"][-1] == "404"
    assert Client(app, "hr").get("/log").status_code == 200


def test_the_access_log_is_append_only_in_the_database(portal):
    app, _, _ = portal
    engine = app.state.portal.sessions.kw["bind"]
    for statement in ("UPDATE access_log SET username = 'nobody'", "DELETE FROM access_log"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))


def test_a_head_downloads_the_slip_of_a_person_in_their_unit_and_it_is_theirs(portal):
    import subprocess

    app, run_id, _ = portal
    scores, _units = _tables(app, run_id)
    name = scores.filter(pl.col("employee_id") == "NV0073")["full_name"][0]
    r = Client(app, "head_cctdc").get(f"/runs/{run_id}/employees/NV0073/slip.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=r.content, capture_output=True,
                          check=True).stdout.decode()
    assert name in text and "NV0073" in text

"""HR manages accounts in the portal: create, change role and unit, disable, reset the password.

Every change needs the session's CSRF token, is written to the access log, and a disabled (or
reset) account's open sessions stop working at once.
"""

from __future__ import annotations

import itertools

from portal_client import PASSWORD, Client
from sqlalchemy import select

from scoring.portal.db import AccessEntry, LoginSession, User

_names = itertools.count()


def _create(hr: Client, role: str = "head", unit: str = "VP", employee: str = "",
            password: str = PASSWORD) -> tuple[str, int]:
    username = f"acct{next(_names)}"
    r = hr.post("/users", data={"username": username, "display_name": "Người <b>mới</b>", "role": role,
                                "unit_id": unit, "employee_id": employee, "password": password})
    assert r.status_code == 200 and "/users/" in str(r.url), r.text[-1500:]
    return username, int(str(r.url).rsplit("/", 1)[1])


def _user(app, username: str) -> User:
    with app.state.portal.sessions.begin() as db:
        return db.scalar(select(User).where(User.username == username))


def _signed_in(client: Client) -> bool:
    r = client.get("/")
    return r.status_code == 200 and "/login" not in str(r.url)


def _log(app, needle: str) -> list[AccessEntry]:
    with app.state.portal.sessions.begin() as db:
        return [e for e in db.scalars(select(AccessEntry)) if needle in e.target]


def test_hr_creates_an_account_that_signs_in_with_its_role_and_unit(portal):
    app, run_id, _ = portal
    hr = Client(app, "hr")
    username, _ = _create(hr, unit="VP")
    assert "Người &lt;b&gt;mới&lt;/b&gt;" in hr.get("/users").text  # names escaped
    assert _user(app, username).password_hash.startswith("$argon2id$")
    head = Client(app, username)
    assert head.get(f"/runs/{run_id}/units/VP").status_code == 200
    assert head.get(f"/runs/{run_id}/units/CCTDC").status_code == 404
    assert _log(app, f"[created {username} head/VP/-]")


def test_a_role_or_unit_change_applies_to_the_open_session_at_once(portal):
    app, run_id, _ = portal
    hr = Client(app, "hr")
    username, uid = _create(hr, unit="VP")
    head = Client(app, username)
    assert head.get(f"/runs/{run_id}/units/CCTDC").status_code == 404
    r = hr.post(f"/users/{uid}/role", data={"role": "head", "unit_id": "CCTDC", "employee_id": "x"})
    assert r.status_code == 200 and 'id="user-done"' in r.text
    assert head.get(f"/runs/{run_id}/units/CCTDC").status_code == 200
    assert head.get(f"/runs/{run_id}/units/VP").status_code == 404
    user = _user(app, username)
    assert (user.role, user.unit_id, user.employee_id) == ("head", "CCTDC", None)
    assert _log(app, f"[{username}: head/VP/- -> head/CCTDC/-]")
    # a head without a unit is refused, and nothing changes
    r = hr.post(f"/users/{uid}/role", data={"role": "head", "unit_id": ""})
    assert r.status_code == 400 and 'id="user-error"' in r.text
    assert _user(app, username).unit_id == "CCTDC"


def test_disabling_an_account_ends_its_open_session_at_once(portal):
    app, run_id, _ = portal
    hr = Client(app, "hr")
    username, uid = _create(hr, unit="VP")
    head = Client(app, username)
    assert _signed_in(head) and head.get(f"/runs/{run_id}/units/VP").status_code == 200
    r = hr.post(f"/users/{uid}/active", data={"active": "0"})
    assert r.status_code == 200 and 'id="account-state">Đã khoá' in r.text
    assert not _signed_in(head)
    r = head.get(f"/runs/{run_id}/units/VP")
    assert "/login" in str(r.url) and "Văn phòng" not in r.text
    with app.state.portal.sessions.begin() as db:
        assert not db.scalars(select(LoginSession).where(LoginSession.user_id == uid)).all()
    assert "/login" in str(Client(app).login(username).url)  # cannot sign in again
    assert _log(app, f"[{username}: disabled, sessions ended]")
    hr.post(f"/users/{uid}/active", data={"active": "1"})
    assert _signed_in(Client(app, username))
    assert _log(app, f"[{username}: enabled]")


def test_a_password_reset_ends_the_sessions_and_only_the_new_password_works(portal):
    app, _, _ = portal
    hr = Client(app, "hr")
    username, uid = _create(hr, role="staff", unit="", employee="NV0096")
    old_hash = _user(app, username).password_hash
    staff = Client(app, username)
    assert _signed_in(staff)
    assert hr.post(f"/users/{uid}/password", data={"password": "short"}).status_code == 400
    assert _signed_in(staff) and _user(app, username).password_hash == old_hash
    r = hr.post(f"/users/{uid}/password", data={"password": "a new long password"})
    assert r.status_code == 200 and 'id="user-done"' in r.text
    assert not _signed_in(staff)
    assert _user(app, username).password_hash.startswith("$argon2id$")
    assert "/login" in str(Client(app).login(username, PASSWORD).url)
    assert _signed_in(Client(app, username, "a new long password"))
    entries = _log(app, f"[{username}: password reset, sessions ended]")
    assert entries and all("a new long password" not in e.target for e in _log(app, username))


def test_every_account_form_refuses_a_missing_or_foreign_csrf_token(portal):
    app, _, _ = portal
    hr = Client(app, "hr")
    username, uid = _create(hr)
    other = Client(app, "auditor")
    forms = {"/users": {"username": "csrf-made", "role": "director", "password": PASSWORD},
             f"/users/{uid}/role": {"role": "director"}, f"/users/{uid}/active": {"active": "0"},
             f"/users/{uid}/password": {"password": "another long password"}}
    before = _user(app, username)
    for url, data in forms.items():
        for token in ("", other.token, "x" * 43):
            r = hr.http.post(url, data={"csrf": token, **data})
            assert r.status_code == 403, (url, token)
    after = _user(app, username)
    assert (after.role, after.active) == (before.role, before.active)
    assert after.password_hash == before.password_hash
    assert _user(app, "csrf-made") is None and _signed_in(Client(app, username))


def test_only_hr_manages_accounts_and_hr_cannot_lock_itself_out(portal):
    app, _, _ = portal
    hr = Client(app, "hr")
    username, uid = _create(hr)
    for name in ("auditor", "director", "head_vp", "nv0097"):
        client = Client(app, name)
        assert client.get(f"/users/{uid}").status_code == 404
        for url, data in ((f"/users/{uid}/active", {"active": "0"}), (f"/users/{uid}/role", {"role": "hr"}),
                          (f"/users/{uid}/password", {"password": "taken over password"}),
                          ("/users", {"username": f"{name}-x", "role": "hr", "password": PASSWORD})):
            assert client.post(url, data=data).status_code == 404, (name, url)
    assert _user(app, username).active and _user(app, username).role == "head"
    assert hr.get("/users/99999").status_code == 404 and hr.get("/users/abc").status_code == 404
    me = _user(app, "hr").id
    assert hr.post(f"/users/{me}/active", data={"active": "0"}).status_code == 400
    assert hr.post(f"/users/{me}/role", data={"role": "auditor"}).status_code == 400
    assert _signed_in(hr) and _user(app, "hr").role == "hr"


def test_scoring_users_add_makes_local_and_single_sign_on_accounts(tmp_path):
    from click.testing import CliRunner

    from scoring.cli import main
    from scoring.portal.db import make_engine, make_sessions

    runner = CliRunner()
    r = runner.invoke(main, ["users", "add", "hr.local", "--role", "hr", "--password-stdin",
                             "--data-dir", str(tmp_path)], input=f"{PASSWORD}\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["users", "add", "sso.only", "--role", "head", "--unit", "VP", "--sso-only",
                             "--data-dir", str(tmp_path)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["users", "add", "too.short", "--role", "hr", "--password-stdin",
                             "--data-dir", str(tmp_path)], input="short\n")
    assert r.exit_code == 2 and "10" in r.output
    engine = make_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    with make_sessions(engine).begin() as db:
        made = {u.username: u for u in db.scalars(select(User))}
    engine.dispose()
    assert set(made) == {"hr.local", "sso.only"}
    assert made["hr.local"].password_hash.startswith("$argon2id$") and made["sso.only"].password_hash is None

"""Single sign-on through OpenID Connect, against a fake provider on 127.0.0.1 with a key made here.

An existing, active account signs in with its own role and unit; anything else is refused with
no session: an unknown or disabled account (nothing is ever created), a forged, unsigned or
HMAC-signed ID token, a wrong nonce, audience or issuer, an expired token, a tampered or replayed
state, and a callback in a browser that did not start the flow.
"""

from __future__ import annotations

import httpx
import pytest
from conftest import make_portal
from fake_oidc import CLIENT_ID, CLIENT_SECRET, MODES, FakeProvider
from portal_client import Client
from sqlalchemy import func, select
from starlette.testclient import TestClient

from scoring.portal.accounts import add_user
from scoring.portal.db import AccessEntry, LoginSession, User
from scoring.portal.settings import OidcSettings, load_settings


@pytest.fixture(scope="module")
def sso(tmp_path_factory):
    with FakeProvider() as provider:
        settings = OidcSettings(issuer=provider.issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
        app = make_portal(tmp_path_factory.mktemp("sso"), oidc=settings)
        with app.state.portal.sessions.begin() as db:
            add_user(db, "sso.head", "SSO head", "head", None, unit_id="VP")
            add_user(db, "sso.gone", "Disabled", "auditor", None).active = False
        with TestClient(app):
            yield app, provider


def _start(client: Client, provider: FakeProvider) -> str:
    """The browser goes to the provider, which signs the user in; the callback URL it sends back."""
    r = client.http.get("/login/oidc", follow_redirects=False)
    assert r.status_code == 302, r.text[:500]
    assert r.headers["location"].startswith(f"{provider.issuer}/authorize?")
    back = httpx.get(r.headers["location"], follow_redirects=False)
    assert back.status_code == 302
    return back.headers["location"]


def _sso_login(app, provider: FakeProvider, username: str, mode: str = "good") -> tuple[Client, object]:
    provider.username, provider.mode = username, mode
    client = Client(app)
    callback = _start(client, provider)
    assert callback.startswith("https://testserver/login/oidc/callback?")
    return client, client.http.get(callback)


def _signed_in(client: Client) -> bool:
    r = client.get("/")
    return r.status_code == 200 and "/login" not in str(r.url)


def _sessions(app) -> int:
    with app.state.portal.sessions.begin() as db:
        return db.scalar(select(func.count()).select_from(LoginSession))


def _log(app, action: str) -> list[AccessEntry]:
    with app.state.portal.sessions.begin() as db:
        return list(db.scalars(select(AccessEntry).where(AccessEntry.action == action)))


def test_an_existing_account_signs_in_with_its_own_role_and_unit(sso, portal):
    app, provider = sso
    client, r = _sso_login(app, provider, "sso.head")
    assert r.status_code == 200 and str(r.url) == "https://testserver/" and 'id="logout"' in r.text
    assert "SSO head" in r.text and "Thủ trưởng đơn vị" in r.text
    assert client.get("/users").status_code == 404 and client.get("/log").status_code == 404
    asked = provider.seen[-1]  # what the portal sent: code flow, fresh state and nonce, PKCE
    assert asked["response_type"] == "code" and asked["client_id"] == CLIENT_ID
    assert asked["code_challenge_method"] == "S256" and asked["code_challenge"]
    assert len(asked["state"]) >= 20 and len(asked["nonce"]) >= 20
    assert asked["redirect_uri"] == "https://testserver/login/oidc/callback"
    assert "oidc_flow" not in client.http.cookies  # the flow is over
    assert any("[sso.head]" in e.target and e.username == "sso.head" for e in _log(app, "login_sso"))
    assert all("code=" not in e.target for e in _log(app, "login_sso"))  # the one-use code is not kept


def test_the_login_page_offers_single_sign_on_only_where_it_is_set_up(sso, portal):
    app, _ = sso
    assert 'href="/login/oidc"' in Client(app).get("/login").text
    plain_app = portal[0]
    assert 'href="/login/oidc"' not in Client(plain_app).get("/login").text
    assert Client(plain_app).get("/login/oidc").status_code == 404


@pytest.mark.parametrize("username", ["nobody.here", "sso.gone"])
def test_no_account_is_made_and_a_disabled_one_is_refused(sso, username):
    app, provider = sso
    with app.state.portal.sessions.begin() as db:
        users = db.scalar(select(func.count()).select_from(User))
    sessions = _sessions(app)
    client, r = _sso_login(app, provider, username)
    assert r.status_code == 403 and "Chưa có tài khoản" in r.text
    assert not _signed_in(client) and _sessions(app) == sessions
    with app.state.portal.sessions.begin() as db:
        assert db.scalar(select(func.count()).select_from(User)) == users
    assert any(f"[{username}]" in e.target for e in _log(app, "login_sso_failed"))


_WHY = {"forged": "BadSignatureError", "unsigned": "Algorithm of 'none' is not allowed",
        "hmac": "Algorithm of 'HS256' is not allowed", "wrong_nonce": "Invalid claim: 'nonce'",
        "no_nonce": "Missing claim: 'nonce'", "wrong_audience": "Invalid claim: 'aud'",
        "wrong_issuer": "Invalid claim: 'iss'", "expired": "ExpiredTokenError", "no_id_token": "no ID token"}


@pytest.mark.parametrize("mode", [m for m in MODES if m != "good"])
def test_a_bad_id_token_is_refused(sso, mode):
    app, provider = sso
    sessions = _sessions(app)
    client, r = _sso_login(app, provider, "sso.head", mode)
    assert r.status_code == 403 and "Đăng nhập một lần không thành công" in r.text, (mode, r.text[-800:])
    assert not _signed_in(client) and _sessions(app) == sessions
    assert "sso.head" not in r.text
    assert _WHY[mode] in _log(app, "login_sso_failed")[-1].target  # refused for the right reason


def test_an_unverified_email_is_refused_when_the_email_names_the_account(tmp_path):
    with FakeProvider() as provider:
        settings = OidcSettings(issuer=provider.issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                claim="email")
        app = make_portal(tmp_path, oidc=settings)
        with app.state.portal.sessions.begin() as db:
            add_user(db, "mail.head@example.gov.vn", "Mail head", "head", None, unit_id="VP")
        with TestClient(app):
            provider.email_verified = False
            client, r = _sso_login(app, provider, "mail.head")
            assert r.status_code == 403 and not _signed_in(client)
            provider.email_verified = True
            client, r = _sso_login(app, provider, "mail.head")
            assert r.status_code == 200 and _signed_in(client)


def test_state_is_checked_once_and_bound_to_the_browser_that_started(sso):
    app, provider = sso
    provider.username, provider.mode = "sso.head", "good"
    # a tampered state
    client = Client(app)
    callback = _start(client, provider)
    r = client.http.get(callback.replace("state=", "state=x"))
    assert r.status_code == 403 and not _signed_in(client)
    # a replayed callback: the flow is used up by the first answer
    client = Client(app)
    callback = _start(client, provider)
    flow = client.http.cookies["oidc_flow"]
    assert client.http.get(callback).status_code == 200 and _signed_in(client)
    again = Client(app)  # the same answer, flow cookie and all, a second time
    r = again.http.get(callback, headers={"cookie": f"oidc_flow={flow}"})
    assert r.status_code == 403 and not _signed_in(again)
    # login CSRF: an attacker's callback opened in the victim's browser (no flow cookie there)
    attacker = Client(app)
    forced = _start(attacker, provider)
    victim = Client(app)
    assert victim.http.get(forced).status_code == 403 and not _signed_in(victim)
    assert provider.tokens_issued  # the good flows did reach the token endpoint


def test_oidc_settings_come_from_the_oidc_table(tmp_path, monkeypatch):
    path = tmp_path / "portal.toml"
    path.write_text('[portal]\ndata_dir = "d"\n[oidc]\nissuer = "https://sso.example.gov.vn/realms/s"\n'
                    'client_id = "portal"\nclaim = "email"\n', encoding="utf-8")
    monkeypatch.setenv("SCORING_OIDC_CLIENT_SECRET", "from the environment")
    oidc = load_settings(path).oidc
    assert oidc is not None and oidc.claim == "email" and oidc.client_secret == "from the environment"
    assert oidc.metadata_url == "https://sso.example.gov.vn/realms/s/.well-known/openid-configuration"
    path.write_text('[oidc]\nissuer = "https://sso.example.gov.vn"\nclient_id = "p"\nclaims = "email"\n',
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"unknown keys in \[oidc\]: claims"):
        load_settings(path)
    path.write_text('[oidc]\nissuer = "http://sso.example.gov.vn"\nclient_id = "p"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="https://"):
        load_settings(path)
    path.write_text('[oidc]\nclient_id = "p"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="issuer"):
        load_settings(path)

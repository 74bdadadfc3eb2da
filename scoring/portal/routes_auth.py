"""Signing in (password or the identity provider) and out, the language switch, each role's home."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from scoring.portal import auth
from scoring.portal.db import Run, User
from scoring.portal.i18n import LANGS
from scoring.portal.scope import not_found, run_visible
from scoring.portal.web import (
    COOKIE,
    LANG_COOKIE,
    PRE_CSRF,
    action,
    client_address,
    new_pre_token,
    page,
    portal_of,
    read_form,
    view,
)

if TYPE_CHECKING:
    from scoring.portal.sso import SingleSignOn

__all__ = ["routes"]


def _login_page(request: Request, status: int = 200, error: str | None = None, wait: int = 0) -> Response:
    token = new_pre_token()
    oidc = portal_of(request).settings.oidc
    response = page(request, "login.html.j2", status=status, login_csrf=token, error=error, wait=wait,
                    sso_label=oidc.label if oidc else None)
    response.set_cookie(PRE_CSRF, token, httponly=True, samesite="strict",
                        secure=portal_of(request).settings.cookie_secure, path="/login")
    return response


async def login_form(request: Request) -> Response:
    request.state.action = "login_page"
    return _login_page(request)


def _try_login(request: Request, form: FormData) -> Response:
    portal = portal_of(request)
    request.state.action = "login_failed"
    if not auth.same_token(form.get("csrf"), request.cookies.get(PRE_CSRF)):  # type: ignore[arg-type]
        return page(request, "message.html.j2", status=403, message="forbidden_csrf")
    username = str(form.get("username", ""))[:80].strip()
    request.state.attempted = username
    keys = (f"user:{username.casefold()}", f"addr:{client_address(request, portal.settings)}")
    wait = portal.limiter.wait_seconds(*keys)
    if wait:
        return _login_page(request, status=429, error="slow_down", wait=wait)
    with portal.sessions.begin() as db:
        user = auth.check_login(db, username, str(form.get("password", "")))
        if user is None:
            portal.limiter.failed(*keys)
            return _login_page(request, status=401, error="bad_login")
        portal.limiter.succeeded(keys[0])
        return _signed_in(request, db, user, "login")


def _signed_in(request: Request, db: Session, user: User, how: str) -> Response:
    """A fresh session for ``user`` (any session the browser had before is ended), and its cookie."""
    auth.close_session(db, request.cookies.get(COOKIE))  # never keep a session from before
    token = auth.open_session(db, user)
    request.state.who, request.state.action = (user.username, user.role), how
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, token, max_age=auth.SESSION_HOURS * 3600, httponly=True, samesite="lax",
                        secure=portal_of(request).settings.cookie_secure, path="/")
    response.delete_cookie(PRE_CSRF, path="/login")
    return response


def _sso(request: Request) -> SingleSignOn:
    sso: SingleSignOn | None = getattr(request.app.state, "sso", None)
    if sso is None:
        raise not_found()
    return sso


async def sso_start(request: Request) -> Response:
    """``GET /login/oidc``: off to the agency's identity provider."""
    from scoring.portal.sso import SignOnError

    sso = _sso(request)
    request.state.action = "login_sso_start"
    redirect_uri = sso.settings.redirect_uri or str(request.url_for("sso_callback"))
    try:
        return await sso.start(request, redirect_uri)
    except SignOnError as exc:
        request.state.detail = exc.reason
        return page(request, "message.html.j2", status=502, message="sso_unavailable")


def _sso_account(request: Request, username: str) -> Response:
    portal = portal_of(request)
    with portal.sessions.begin() as db:
        user = db.scalar(select(User).where(User.username == username))
        if user is None or not user.active:  # no account is ever made here: HR makes them
            request.state.detail = "no active account"
            return page(request, "message.html.j2", status=403, message="sso_no_account")
        return _signed_in(request, db, user, "login_sso")


async def sso_callback(request: Request) -> Response:
    """``GET /login/oidc/callback``: the provider's answer, checked; a session for the named account."""
    from scoring.portal.sso import FLOW_COOKIE, FLOW_PATH, SignOnError

    sso = _sso(request)
    request.state.action, request.state.hide_query = "login_sso_failed", True
    response: Response
    try:
        username = await sso.finish(request)
    except SignOnError as exc:
        request.state.detail = exc.reason
        response = page(request, "message.html.j2", status=403, message="sso_failed")
    else:
        request.state.attempted = username
        response = await run_in_threadpool(_sso_account, request, username)
    response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH)
    return response


async def login(request: Request) -> Response:
    form = await read_form(request)
    return await run_in_threadpool(_try_login, request, form)


@action
def logout(request: Request, db: Session, user: User, form: FormData) -> Response:
    auth.close_session(db, request.cookies.get(COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


async def language(request: Request) -> Response:
    lang = request.path_params["lang"]
    response = RedirectResponse(request.headers.get("referer") or "/", status_code=303)
    if lang in LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", path="/")
    if not str(response.headers["location"]).startswith(str(request.base_url)):
        response.headers["location"] = "/"  # only ever back into the portal
    return response


@view
def home(request: Request, db: Session, user: User) -> Response:
    if user.role == "staff":
        return RedirectResponse("/me", status_code=303)
    runs = [r for r in db.scalars(select(Run).order_by(Run.id.desc())) if run_visible(user, r)]
    criteria = sorted(p.name for p in portal_of(request).settings.criteria_dir.glob("*.yaml"))
    return page(request, "home.html.j2", runs=runs, criteria_files=criteria)


routes = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/login/oidc", sso_start, methods=["GET"], name="sso_start"),
    Route("/login/oidc/callback", sso_callback, methods=["GET"], name="sso_callback"),
    Route("/logout", logout, methods=["POST"]),
    Route("/lang/{lang}", language, methods=["GET"]),
    Route("/", home, methods=["GET"]),
]

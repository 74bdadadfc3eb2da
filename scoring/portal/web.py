"""The plumbing every page shares: the portal object, login and CSRF checks, pages, the log.

``view`` wraps a GET page and ``action`` a POST form; both find the signed-in user (or send them
to the login page), run the handler in a worker thread with one database transaction, and note
the user for the access log. ``action`` also refuses a form whose CSRF token is not the session's.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from scoring.portal import auth
from scoring.portal.db import AccessEntry, LoginSession, User
from scoring.portal.i18n import LANGS, translate
from scoring.portal.jobs import Jobs
from scoring.portal.settings import Settings

__all__ = ["Portal", "view", "action", "page", "client_address", "COOKIE", "LANG_COOKIE", "PRE_CSRF"]

COOKIE = "scoring_session"
LANG_COOKIE = "lang"
PRE_CSRF = "login_csrf"  # double-submit token of the login form (no session yet)


@dataclass(frozen=True)
class Viewer:
    username: str
    display_name: str
    role: str


@dataclass
class Portal:
    settings: Settings
    sessions: sessionmaker[Session]
    jobs: Jobs
    limiter: auth.LoginLimiter
    templates: Environment


def make_templates() -> Environment:
    folder = resources.files("scoring.portal") / "templates"
    return Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["j2", "html"]),
                       trim_blocks=True, lstrip_blocks=True)


def portal_of(request: Request) -> Portal:
    return request.app.state.portal


def lang_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "vi")
    return lang if lang in LANGS else "vi"


def client_address(request: Request, settings: Settings) -> str:
    forwarded = request.headers.get("x-forwarded-for") if settings.trusted_proxy else None
    if forwarded:
        return forwarded.split(",")[-1].strip()[:100]  # the address the proxy itself saw
    return request.client.host if request.client else "-"


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    user = request.scope.get("state", {}).get("viewer")
    html = portal_of(request).templates.get_template(name).render(
        t=translate(lang), lang=lang, user=user, csrf=request.scope.get("state", {}).get("csrf", ""),
        path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def _signed_in(request: Request, db: Session) -> tuple[User, LoginSession] | None:
    found = auth.session_user(db, request.cookies.get(COOKIE))
    if found:
        user = found[0]
        # plain copies: the error page and the access log are written after the transaction ends
        request.state.viewer = Viewer(user.username, user.display_name, user.role)
        request.state.who = (user.username, user.role)
        request.state.csrf = found[1].csrf
    return found


def view(handler: Callable[..., Response]) -> Callable[[Request], Any]:
    """A GET page: ``handler(request, db, user)`` in a worker thread."""

    def run(request: Request) -> Response:
        request.state.action = handler.__name__
        with portal_of(request).sessions.begin() as db:
            found = _signed_in(request, db)
            if found is None:
                return RedirectResponse("/login", status_code=303)
            return handler(request, db, found[0])

    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        return await run_in_threadpool(run, request)

    return endpoint


async def read_form(request: Request) -> FormData:
    try:
        return await request.form(max_files=40, max_fields=200)
    except HTTPException:
        raise
    except Exception as exc:  # a malformed multipart body
        raise HTTPException(400, str(exc)) from None


def action(handler: Callable[..., Response]) -> Callable[[Request], Any]:
    """A POST form: CSRF checked against the session, then ``handler(request, db, user, form)``."""

    def run(request: Request, form: FormData) -> Response:
        request.state.action = handler.__name__
        with portal_of(request).sessions.begin() as db:
            found = _signed_in(request, db)
            if found is None:
                return RedirectResponse("/login", status_code=303)
            if not auth.same_token(form.get("csrf"), found[1].csrf):  # type: ignore[arg-type]
                return page(request, "message.html.j2", status=403, message="forbidden_csrf")
            return handler(request, db, found[0], form)

    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        form = await read_form(request)
        try:
            return await run_in_threadpool(run, request, form)
        finally:
            await form.close()

    return endpoint


def new_pre_token() -> str:
    return secrets.token_urlsafe(32)


def record(portal: Portal, *, who: tuple[str, str] | None, action: str, target: str, status: int,
           client: str) -> None:
    with portal.sessions.begin() as db:
        db.add(AccessEntry(username=who[0] if who else None, role=who[1] if who else None,
                           action=action[:40], target=target, status=status, client=client))

"""The ASGI application: routes, middleware, start-up (migrations) and shutdown (the worker)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from importlib import resources

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from scoring.portal import routes_admin, routes_auth, routes_runs, routes_users, routes_view
from scoring.portal.auth import LoginLimiter
from scoring.portal.db import make_engine, make_sessions
from scoring.portal.jobs import Jobs, interrupted
from scoring.portal.middleware import AccessLog, BodyLimit, SecurityHeaders
from scoring.portal.migrate import upgrade
from scoring.portal.settings import Settings
from scoring.portal.web import Portal, make_templates, page

__all__ = ["create_app"]


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    key = "not_found" if status == 404 else ("too_large" if status == 413 else None)
    return page(request, "message.html.j2", status=status, message=key, text=None if key else str(status))


def create_app(settings: Settings) -> Starlette:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    sessions = make_sessions(engine)
    portal = Portal(settings=settings, sessions=sessions, jobs=Jobs(settings.db_url, sessions),
                    limiter=LoginLimiter(settings.login_limit, settings.login_window_s),
                    templates=make_templates())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        interrupted(portal.sessions)
        try:
            yield
        finally:
            portal.jobs.shutdown()
            engine.dispose()

    static = StaticFiles(directory=str(resources.files("scoring.portal") / "static"))
    app = Starlette(
        routes=[*routes_auth.routes, *routes_runs.routes, *routes_view.routes, *routes_admin.routes,
                *routes_users.routes,
                Mount("/static", static, name="static")],
        middleware=[Middleware(SecurityHeaders), Middleware(AccessLog),
                    Middleware(BodyLimit, limit=settings.max_upload_mb * 1024 * 1024)],
        exception_handlers={HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.portal = portal
    if settings.oidc is not None:
        from scoring.portal.sso import SingleSignOn  # Authlib is loaded only where sign-on is set up

        app.state.sso = SingleSignOn(settings.oidc, cookie_secure=settings.cookie_secure)
    return app

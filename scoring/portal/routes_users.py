"""HR's account pages: the list, a new account, and one account's role, unit, state and password.

Every change is a form with the session's CSRF token, and writes what changed (which account,
from what to what) into the access log beside the request.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from scoring.portal import accounts
from scoring.portal.db import ROLES, User
from scoring.portal.scope import not_found, require_role
from scoring.portal.web import action, page, portal_of, view

__all__ = ["routes"]


def _field(form: FormData, key: str) -> str:
    return str(form.get(key, "")).strip()


def _list(request: Request, db: Session, status: int = 200, error: str | None = None) -> Response:
    return page(request, "users.html.j2", status=status, error=error, roles=ROLES,
                users=db.scalars(select(User).order_by(User.username)).all(),
                sso=portal_of(request).settings.oidc is not None)


@view
def users_page(request: Request, db: Session, user: User) -> Response:
    require_role(user, "hr")
    return _list(request, db)


@action
def create_user(request: Request, db: Session, user: User, form: FormData) -> Response:
    require_role(user, "hr")
    fields = {k: _field(form, k) for k in ("username", "display_name", "role", "unit_id", "employee_id")}
    password: str | None = str(form.get("password", ""))
    try:
        if not password:
            if portal_of(request).settings.oidc is None:
                raise ValueError("cần mật khẩu / a password is needed")
            password = None  # signs in through the identity provider only
        with db.begin_nested():
            made = accounts.add_user(db, password=password, **fields)
    except (ValueError, IntegrityError) as exc:
        return _list(request, db, status=400, error=str(exc))
    request.state.detail = (f"created {made.username} "
                            f"{made.role}/{made.unit_id or '-'}/{made.employee_id or '-'}")
    return RedirectResponse(f"/users/{made.id}", status_code=303)


def _account(request: Request, db: Session, user: User) -> User:
    require_role(user, "hr")
    raw = str(request.path_params["user_id"])
    found = db.get(User, int(raw)) if raw.isdigit() else None
    if found is None:
        raise not_found()
    return found


def _edit(request: Request, account: User, status: int = 200, error: str | None = None,
          done: str | None = None) -> Response:
    return page(request, "user.html.j2", status=status, account=account, roles=ROLES, error=error, done=done)


@view
def user_page(request: Request, db: Session, user: User) -> Response:
    return _edit(request, _account(request, db, user))


def _change(request: Request, db: Session, user: User, form: FormData, what: str, **kw: Any) -> Response:
    account = _account(request, db, user)
    try:
        if account.id == user.id and what in ("role", "active"):
            raise ValueError("không tự đổi vai trò hay khoá tài khoản của mình / "
                             "you cannot change the role of, or disable, your own account")
        with db.begin_nested():
            if what == "role":
                done = accounts.change_role(db, account, _field(form, "role"), _field(form, "unit_id"),
                                            _field(form, "employee_id"))
            elif what == "active":
                done = accounts.set_active(db, account, _field(form, "active") == "1")
            else:
                done = accounts.reset_password(db, account, str(form.get("password", "")))
    except ValueError as exc:
        db.refresh(account)
        return _edit(request, account, status=400, error=str(exc))
    request.state.detail = f"{account.username}: {done}"
    return _edit(request, account, done=done)


@action
def change_role(request: Request, db: Session, user: User, form: FormData) -> Response:
    return _change(request, db, user, form, "role")


@action
def set_active(request: Request, db: Session, user: User, form: FormData) -> Response:
    return _change(request, db, user, form, "active")


@action
def reset_password(request: Request, db: Session, user: User, form: FormData) -> Response:
    return _change(request, db, user, form, "password")


routes = [
    Route("/users", users_page, methods=["GET"]),
    Route("/users", create_user, methods=["POST"]),
    Route("/users/{user_id}", user_page, methods=["GET"]),
    Route("/users/{user_id}/role", change_role, methods=["POST"]),
    Route("/users/{user_id}/active", set_active, methods=["POST"]),
    Route("/users/{user_id}/password", reset_password, methods=["POST"]),
]

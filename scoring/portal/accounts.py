"""Accounts: create one, change its role and unit, disable or enable it, reset its password.

The same functions serve ``scoring users add`` and HR's pages. Each raises ValueError with a
message for the user when the change cannot be made, and returns a short description of what
changed, for the access log. Disabling an account or resetting its password ends every session
it has at once (a session is also refused whenever its account is inactive).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scoring.portal.auth import hash_password
from scoring.portal.db import ROLES, LoginSession, User

__all__ = ["add_user", "change_role", "set_active", "reset_password", "end_sessions", "MIN_PASSWORD"]

MIN_PASSWORD = 10


def _check_role(role: str, unit_id: str | None, employee_id: str | None) -> None:
    if role not in ROLES:
        raise ValueError(f"vai trò không biết / unknown role {role!r} ({', '.join(ROLES)})")
    if role == "head" and not unit_id:
        raise ValueError("thủ trưởng đơn vị cần --unit / a unit head needs a unit")
    if role == "staff" and not employee_id:
        raise ValueError("cán bộ cần --employee / a staff account needs an employee id")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự / "
                         f"the password needs at least {MIN_PASSWORD} characters")


def add_user(db: Session, username: str, display_name: str, role: str, password: str | None,
             unit_id: str | None = None, employee_id: str | None = None) -> User:
    """A new active account. ``password=None``: no local password (sign-in through OpenID Connect)."""
    _check_role(role, unit_id, employee_id)
    if password is not None:
        _check_password(password)
    if not username or len(username) > 80 or db.scalar(select(User).where(User.username == username)):
        raise ValueError(f"tên đăng nhập đã có hoặc không hợp lệ / username taken or invalid: {username!r}")
    user = User(username=username, display_name=display_name or username, role=role, unit_id=unit_id or None,
                employee_id=employee_id or None, active=True,
                password_hash=hash_password(password) if password is not None else None)
    db.add(user)
    db.flush()
    return user


def end_sessions(db: Session, user: User) -> None:
    db.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def change_role(db: Session, user: User, role: str, unit_id: str | None, employee_id: str | None) -> str:
    _check_role(role, unit_id, employee_id)
    before = f"{user.role}/{user.unit_id or '-'}/{user.employee_id or '-'}"
    user.role = role
    # a unit only for a head, an employee id only for staff: nothing left over from the old role
    user.unit_id = (unit_id or None) if role == "head" else None
    user.employee_id = (employee_id or None) if role == "staff" else None
    return f"{before} -> {user.role}/{user.unit_id or '-'}/{user.employee_id or '-'}"


def set_active(db: Session, user: User, active: bool) -> str:
    user.active = active
    if not active:
        end_sessions(db, user)
    return "enabled" if active else "disabled, sessions ended"


def reset_password(db: Session, user: User, password: str) -> str:
    _check_password(password)
    user.password_hash = hash_password(password)
    end_sessions(db, user)
    return "password reset, sessions ended"

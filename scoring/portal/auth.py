"""Passwords (Argon2), server-side sessions, CSRF tokens and the login rate limit."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scoring.portal.db import LoginSession, User, now

__all__ = ["hash_password", "check_login", "open_session", "session_user", "close_session",
           "same_token", "LoginLimiter", "SESSION_HOURS"]

SESSION_HOURS = 8
_hasher = PasswordHasher()
# Verified when the username is unknown, so that a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_login(db: Session, username: str, password: str) -> User | None:
    user = db.scalar(select(User).where(User.username == username))
    stored = user.password_hash if user and user.active and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or stored is _DUMMY_HASH:
        return None
    if _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(db: Session, user: User) -> str:
    """A fresh token for every login (a session id chosen before login is never kept)."""
    token = secrets.token_urlsafe(32)
    db.add(LoginSession(token_hash=_digest(token), user_id=user.id, csrf=secrets.token_urlsafe(32),
                        expires_at=now() + timedelta(hours=SESSION_HOURS)))
    return token


def session_user(db: Session, token: str | None) -> tuple[User, LoginSession] | None:
    if not token:
        return None
    row = db.get(LoginSession, _digest(token))
    if row is None or row.expires_at < now():
        return None
    user = db.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return user, row


def close_session(db: Session, token: str | None) -> None:
    if token:
        db.execute(delete(LoginSession).where(LoginSession.token_hash == _digest(token)))


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


class LoginLimiter:
    """At most ``limit`` failed logins per account and per client address in ``window`` seconds."""

    def __init__(self, limit: int = 5, window: float = 900.0):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, at: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] < at - self.window:
            q.popleft()
        return q

    def wait_seconds(self, *keys: str) -> int:
        """0 when a login may be tried, else how long to wait."""
        at = time.monotonic()
        with self._lock:
            waits = [q[0] + self.window - at for k in keys if len(q := self._recent(k, at)) >= self.limit]
        return int(max(waits)) + 1 if waits else 0

    def failed(self, *keys: str) -> None:
        at = time.monotonic()
        with self._lock:
            for k in keys:
                self._recent(k, at).append(at)

    def succeeded(self, account_key: str) -> None:
        with self._lock:
            self._failures.pop(account_key, None)

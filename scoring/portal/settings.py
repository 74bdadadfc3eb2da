"""Portal settings: defaults, overridden by a TOML file (``scoring serve --config portal.toml``).

The ``[portal]`` table holds the portal's keys; an optional ``[oidc]`` table names the agency's
identity provider (OpenID Connect) for single sign-on.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

__all__ = ["Settings", "OidcSettings", "load_settings", "OIDC_SECRET_ENV"]

OIDC_SECRET_ENV = "SCORING_OIDC_CLIENT_SECRET"  # the client secret, kept out of the settings file


@dataclass(frozen=True)
class OidcSettings:
    """The identity provider: who it is, who the portal is to it, and which claim names the account."""

    # e.g. https://sso.example.gov.vn/realms/skhcn (discovery at …/.well-known/openid-configuration)
    issuer: str
    client_id: str
    client_secret: str = ""  # or the environment variable SCORING_OIDC_CLIENT_SECRET
    claim: str = "preferred_username"  # the ID token claim whose value is the portal account's username
    scope: str = "openid email profile"
    label: str = "Đăng nhập một lần / Single sign-on"  # the button on the login page
    redirect_uri: str = ""  # empty: https://<host>/login/oidc/callback as the request saw it

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("portal-data")  # uploads and run folders, one folder per run
    database_url: str = ""  # empty: SQLite in data_dir/portal.db; else e.g. postgresql+psycopg://…
    criteria_dir: Path = Path("criteria")  # the criteria files HR may choose from
    max_upload_mb: int = 50  # one request's body
    cookie_secure: bool = True  # send the session cookie over HTTPS only (off only for plain local tests)
    trusted_proxy: bool = False  # take the client address from X-Forwarded-For (behind the TLS proxy)
    reports: bool = True  # render the PDF reports of each run
    agency: str | None = None
    place: str | None = None
    time_zone: str = "Asia/Ho_Chi_Minh"  # the agency's zone: a run's date is today there
    login_limit: int = 5  # failed logins per account and per address …
    login_window_s: float = 900.0  # … in this many seconds
    oidc: OidcSettings | None = None  # single sign-on through the agency's identity provider

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'portal.db').resolve()}"


def load_settings(path: Path | None, **overrides: Any) -> Settings:
    values: dict[str, Any] = {}
    if path is not None:
        with path.open("rb") as fh:
            document = tomllib.load(fh)
        unknown = sorted(set(document) - {"portal", "oidc"})
        if unknown:
            raise ValueError(f"{path}: mục không biết / unknown tables: {', '.join(unknown)} (portal, oidc)")
        raw = document.get("portal", {})
        _known_keys(path, "portal", raw, {f.name for f in fields(Settings)} - {"oidc"})
        values = {k: Path(v) if k.endswith("_dir") else v for k, v in raw.items()}
        if "oidc" in document:
            values["oidc"] = _oidc(path, document["oidc"])
    values.update({k: v for k, v in overrides.items() if v is not None})
    return replace(Settings(), **values)


def _known_keys(path: Path, table: str, raw: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ValueError(f"{path}: khoá không biết / unknown keys in [{table}]: {', '.join(unknown)} "
                         f"(allowed: {', '.join(sorted(known))})")


def _oidc(path: Path, raw: dict[str, Any]) -> OidcSettings:
    _known_keys(path, "oidc", raw, {f.name for f in fields(OidcSettings)})
    missing = [k for k in ("issuer", "client_id") if not raw.get(k)]
    if missing:
        raise ValueError(f"{path}: [oidc] cần / needs {', '.join(missing)}")
    values = {k: str(v) for k, v in raw.items()}
    values["client_secret"] = values.get("client_secret") or os.environ.get(OIDC_SECRET_ENV, "")
    if not values["issuer"].startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ValueError(f"{path}: [oidc] issuer phải là https:// / the issuer must be an https:// address")
    return OidcSettings(**values)

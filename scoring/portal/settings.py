"""Portal settings: defaults, overridden by a TOML file (``scoring serve --config portal.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

__all__ = ["Settings", "load_settings"]


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

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'portal.db').resolve()}"


def load_settings(path: Path | None, **overrides: Any) -> Settings:
    values: dict[str, Any] = {}
    if path is not None:
        with path.open("rb") as fh:
            raw = tomllib.load(fh).get("portal", {})
        known = {f.name: f for f in fields(Settings)}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ValueError(f"{path}: khoá không biết / unknown keys in [portal]: {', '.join(unknown)}")
        values = {k: Path(v) if k.endswith("_dir") else v for k, v in raw.items()}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return replace(Settings(), **values)

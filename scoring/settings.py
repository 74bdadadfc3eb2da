"""Settings of this installation (not of a run): the agency's time zone, where to render reports.

Read from the TOML file named by the environment variable ``SCORING_SETTINGS``, else from
``scoring.toml`` in the current folder, else the defaults. Unknown keys and wrong types are
errors (exit 2), never ignored::

    [reports]
    scheduler = "tcp://10.0.0.5:8786"   # render on this Dask cluster (default: this machine)
    workers = 2                         # local processes when there is no scheduler
    connect_timeout = 30                # seconds to reach the scheduler and a first worker

    [run]
    time_zone = "Asia/Ho_Chi_Minh"      # the agency's zone: the run date when --run-date is not given
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoring.clock import DEFAULT_TIME_ZONE, zone
from scoring.codes import Code
from scoring.errors import ScoringError, did_you_mean, issue

__all__ = ["Settings", "load_settings", "check_scheduler", "SETTINGS_FILE", "SETTINGS_ENV"]

SETTINGS_FILE = "scoring.toml"
SETTINGS_ENV = "SCORING_SETTINGS"
_TITLE = "Tệp cấu hình sai / Invalid settings file"


@dataclass(frozen=True, slots=True)
class Settings:
    scheduler: str | None = None
    workers: int | None = None
    connect_timeout: float = 30.0
    time_zone: str = DEFAULT_TIME_ZONE  # [run]: the agency's calendar gives the run date


_SECTIONS = {"reports": ("scheduler", "workers", "connect_timeout"), "run": ("time_zone",)}


def check_scheduler(address: str, source: str) -> str:
    """A Dask scheduler address such as ``tcp://HOST:8786``; anything else is an error."""
    scheme, sep, rest = address.partition("://")
    if not sep or not scheme or not rest:
        raise ScoringError([issue(source, None, "scheduler",
                                  "cần địa chỉ dạng tcp://HOST:8786 / expected an address like "
                                  "tcp://HOST:8786", address, code=Code.SETTINGS)], title=_TITLE)
    return address


def _bad(path: Path, key: str | None, message: str, *value: object) -> ScoringError:
    return ScoringError([issue(str(path), None, key, message, *value, code=Code.SETTINGS)], title=_TITLE)


def _check(path: Path, key: str, value: Any) -> Any:
    if key == "time_zone":
        if not isinstance(value, str):
            raise _bad(path, "run.time_zone", "cần tên múi giờ / expected a time zone name", value)
        try:
            zone(value)
        except ValueError as exc:
            raise _bad(path, "run.time_zone", str(exc), value) from None
        return value
    if key == "scheduler":
        if not isinstance(value, str):
            raise _bad(path, "reports.scheduler", "cần một chuỗi / expected a string", value)
        return check_scheduler(value, str(path))
    if key == "workers":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise _bad(path, "reports.workers", "cần số nguyên ≥ 1 / expected an integer ≥ 1", value)
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 3600:
        raise _bad(path, "reports.connect_timeout",
                   "cần số giây trong (0, 3600] / expected seconds in (0, 3600]", value)
    return float(value)


def load_settings(path: Path | None = None) -> Settings:
    """The settings in ``path`` (or the file found as the module docstring says)."""
    if path is None:
        env = os.environ.get(SETTINGS_ENV)
        path = Path(env) if env else Path(SETTINGS_FILE)
        if not env and not path.is_file():
            return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _bad(path, None, f"không đọc được / cannot be read: {exc}") from None
    values: dict[str, Any] = {}
    for section, table in data.items():
        if section not in _SECTIONS or not isinstance(table, dict):
            raise _bad(path, section, "mục không được hỗ trợ / unknown section (known: "
                       f"{', '.join(f'[{s}]' for s in _SECTIONS)})")
        known = _SECTIONS[section]
        for key, value in table.items():
            if key not in known:
                more = did_you_mean(key, sorted(known))
                raise _bad(path, f"{section}.{key}", "khoá không được hỗ trợ / unknown key (known: "
                           f"{', '.join(sorted(known))}){more}")
            values[key] = _check(path, key, value)
    return Settings(**values)

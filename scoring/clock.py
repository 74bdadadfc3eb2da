"""The run's clock: today's date where the agency is, whatever the machine's time zone.

The date printed on the reports, written in ``manifest.json`` and in ``scores.xlsx`` is the
agency's calendar date (``Asia/Ho_Chi_Minh`` unless ``scoring.toml`` says otherwise), so the
same moment gives the same run on a server set to UTC or a laptop set to another zone. This is
the only place the tool reads the clock for a run; the engine never does.

Test hook: ``SCORING_TEST_NOW`` (an ISO 8601 instant with its offset, e.g.
``2025-03-31T18:30:00+00:00``) stands for the current moment.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["DEFAULT_TIME_ZONE", "TEST_NOW_ENV", "agency_today", "zone"]

DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh"
TEST_NOW_ENV = "SCORING_TEST_NOW"


def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; ``ValueError`` with what to write when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"không có múi giờ này / unknown time zone; viết tên IANA như / write an "
                         f"IANA name such as {DEFAULT_TIME_ZONE}") from None


def _now() -> datetime:
    fixed = os.environ.get(TEST_NOW_ENV)
    if fixed:
        moment = datetime.fromisoformat(fixed)
        if moment.tzinfo is None:
            raise ValueError(f"{TEST_NOW_ENV} needs an offset: {fixed}")
        return moment
    return datetime.now(UTC)


def agency_today(time_zone: str = DEFAULT_TIME_ZONE) -> date:
    """Today's date in ``time_zone`` (never the process's ``TZ``)."""
    return _now().astimezone(zone(time_zone)).date()

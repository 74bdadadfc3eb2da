"""Evaluation periods: ``2025-Q1`` (quarter), ``2025-03`` (month), ``2025`` (year)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

__all__ = ["Period", "parse_period", "PeriodKind"]

PeriodKind = Literal["month", "quarter", "year"]

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True, slots=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    kind: PeriodKind
    label: str

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def year_start(self) -> date:
        return date(self.start.year, 1, 1)

    def title_vi(self) -> str:
        """How the period is written in Vietnamese documents: ``quý I/2025``."""
        if self.kind == "quarter":
            return f"quý {_ROMAN[(self.start.month - 1) // 3 + 1]}/{self.year}"
        if self.kind == "month":
            return f"tháng {self.start.month:02d}/{self.year}"
        return f"năm {self.year}"

    def title_en(self) -> str:
        if self.kind == "quarter":
            return f"Q{(self.start.month - 1) // 3 + 1} {self.year}"
        if self.kind == "month":
            return f"{calendar.month_name[self.start.month]} {self.year}"
        return str(self.year)

    def quarters(self) -> tuple[Period, ...]:
        """The quarters inside this period (a year has four)."""
        out = []
        for q in range(1, 5):
            p = parse_period(f"{self.year}-Q{q}")
            if p.start >= self.start and p.end <= self.end:
                out.append(p)
        return tuple(out)

    def shifted_back(self, days: int) -> date:
        return self.end - timedelta(days=days - 1)


def parse_period(text: str) -> Period:
    """Parse a period label; raise ValueError with a bilingual message when it is not one."""
    s = str(text).strip()
    if m := _QUARTER.match(s):
        y, q = int(m[1]), int(m[2])
        start = date(y, 3 * q - 2, 1)
        end_month = 3 * q
        end = date(y, end_month, calendar.monthrange(y, end_month)[1])
        return Period(start, end, "quarter", f"{y}-Q{q}")
    if m := _MONTH.match(s):
        y, mo = int(m[1]), int(m[2])
        if 1 <= mo <= 12:
            return Period(date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]), "month", s)
    if m := _YEAR.match(s):
        y = int(m[1])
        return Period(date(y, 1, 1), date(y, 12, 31), "year", s)
    raise ValueError(
        f"kỳ đánh giá không hợp lệ, dùng dạng 2025-Q1, 2025-03 hoặc 2025 / "
        f"invalid period, use 2025-Q1, 2025-03 or 2025 ({s!r})"
    )

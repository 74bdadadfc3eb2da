"""Evaluation periods: ``2025-Q1`` (quarter), ``2025-03`` (month), ``2025`` (year)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = ["Period", "parse_period", "PeriodKind", "period_label_of"]

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

    def parts(self, kind: PeriodKind) -> tuple[Period, ...]:
        """The quarters or months inside this period (a year has 12 months, a quarter 3)."""
        labels = ([f"{self.year}-Q{q}" for q in range(1, 5)] if kind == "quarter"
                  else [f"{self.year}-{m:02d}" for m in range(1, 13)])
        return tuple(p for p in map(parse_period, labels)
                     if p.start >= self.start and p.end <= self.end)


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


_ROMAN_NUMBER = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_WRITTEN = (
    # Quý I/2025, Quý 1/2025, quý I năm 2025, Q1/2025, Q1-2025, Q1 2025
    (re.compile(r"^(?:quý|q)\s*(iv|i{1,3}|[1-4])\s*(?:/|-|năm|\s)\s*(\d{4})$"), "quarter"),
    # Tháng 3/2025, tháng 03 năm 2025, T3/2025
    (re.compile(r"^(?:tháng|t)\s*(\d{1,2})\s*(?:/|-|năm|\s)\s*(\d{4})$"), "month"),
    # Năm 2025
    (re.compile(r"^năm\s*(\d{4})$"), "year"),
)


def period_label_of(text: str) -> str | None:
    """The label (``2025-Q1``) of a period as written in Vietnamese documents (``Quý I/2025``,
    ``Q1/2025``, ``Tháng 3/2025``, ``Năm 2025``) or as a label already; None otherwise."""
    s = " ".join(str(text).split()).casefold()
    for pattern, kind in _WRITTEN:
        if m := pattern.match(s):
            if kind == "year":
                return m[1]
            number = _ROMAN_NUMBER.get(m[1]) or int(m[1])
            if kind == "quarter":
                return f"{m[2]}-Q{number}"
            return f"{m[2]}-{number:02d}" if 1 <= number <= 12 else None
    try:
        return parse_period(str(text)).label
    except ValueError:
        return None

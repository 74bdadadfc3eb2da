"""The worked examples of a criteria file, written out for the criteria sheet."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .criteria_text import RECORD_TABLE_LABELS, date_text, text_of
from .i18n import fmt as _t
from .sheet_models import ExampleBlock

__all__ = ["ExampleWriter"]



@dataclass(frozen=True)
class ExampleWriter:
    """Each example as given records and expected results, in the sheet's language."""

    c: Any  # the criteria
    lang: str
    num: Callable[[float | int | None], str]
    item_labels: Mapping[str, str]
    band_labels: Mapping[str, str]
    override_codes: Mapping[str, str]

    def _records(self, records: Any) -> str:
        return " | ".join(", ".join(f"{k} = {self._value(v)}" for k, v in dict(r).items()) for r in records)

    def _value(self, v: object) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return self.num(v)
        if isinstance(v, date):
            return date_text(v, self.lang)
        return text_of(v)

    def examples(self) -> tuple[ExampleBlock, ...]:
        out = [
            ExampleBlock(
                number=n,
                name=text_of(ex.name),
                description=text_of(getattr(ex, "description", None) or ""),
                given=self._given(ex),
                expect=self._expect(ex.expect),
            )
            for n, ex in enumerate(getattr(self.c, "examples", ()), start=1)
        ]
        en = self.lang == "en"
        for ex in getattr(self.c, "quota_examples", ()) or ():
            counts = "; ".join(f"{code}: {n}" for code, n in ex.counts.items())
            out.append(
                ExampleBlock(
                    number=len(out) + 1,
                    name=text_of(ex.name),
                    description="",
                    given=(("Quota" if en else "Hạn mức", text_of(ex.quota)),
                           ("People in one group" if en else "Số người trong một nhóm", counts)),
                    expect=(("Keep the rating" if en else "Được giữ mức", self.num(ex.expect_kept)),),
                )
            )
        return tuple(out)

    def _pairs(self, values: Mapping[str, Any]) -> str:
        return "; ".join(f"{k} = {self._value(v)}" for k, v in values.items())

    def _given(self, ex: Any) -> tuple[tuple[str, str], ...]:
        """What a worked example gives: its period, the person, the assessment, the parts of
        a roll-up, the unit's measures and the records of each table."""
        lang = self.lang
        given: list[tuple[str, str]] = []
        if getattr(ex, "period", None):
            given.append((_t(lang, "c_period"), text_of(ex.period)))
        employee: Mapping[str, Any] = getattr(ex, "employee", None) or {}
        if employee:
            given.append((_t(lang, "c_employee"), self._records([employee])))
        assessment: Mapping[str, Any] = getattr(ex, "assessment", None) or {}
        if assessment:
            given.append((_t(lang, "c_assessment"), self._pairs(assessment)))
        for attr in ("quarters", "months"):  # the parts' results of a roll-up
            parts: Mapping[str, Any] = getattr(ex, attr, None) or {}
            if parts:
                given.append((_t(lang, f"c_{attr}"), self._pairs(parts)))
        unit: Mapping[str, Any] = getattr(ex, "unit", None) or {}
        if unit:
            given.append(("Unit measures (given)" if lang == "en" else "Chỉ số đơn vị (cho trước)",
                          self._pairs(unit)))
        for table, pair in RECORD_TABLE_LABELS.items():
            records = getattr(ex, table, ()) or ()
            if records:
                label = pair[1] if lang == "en" else pair[0]
                given.append((f"{label} ({len(records)})", self._records(records)))
        return tuple(given)

    def _expect(self, expect: Any) -> tuple[tuple[str, str], ...]:
        lang = self.lang
        rows = []
        items = getattr(expect, "items", None)
        if items:
            for item_id, pts in dict(items).items():
                rows.append((self.item_labels.get(str(item_id), str(item_id)), self.num(pts)))
        total = getattr(expect, "total", None)
        if total is not None:
            rows.append((_t(lang, "expect_total"), self.num(total)))
        rating = getattr(expect, "rating", None)
        if rating:
            rows.append((_t(lang, "expect_rating"), f"{rating} – {self.band_labels.get(str(rating), '')}"))
        status = getattr(expect, "status", None)
        if status:
            rows.append((_t(lang, "expect_status"), _t(lang, f"status_{status}")))
        overrides = getattr(expect, "overrides", None)
        if overrides is not None:
            rows.append(
                (
                    _t(lang, "expect_overrides"),
                    ", ".join(f"{self.override_codes.get(str(o), '')} {o}".strip() for o in overrides)
                    or _t(lang, "c_none"),
                )
            )
        return tuple(rows)

"""The public notice of results (thông báo công khai kết quả xếp loại) for the notice board and
the website: every person's name, unit, position and rating, grouped by unit, nothing else.

Personal data (Decree 13/2023/NĐ-CP, Law 91/2025/QH15): the notice never holds an employee id, a
score or total, a violation, discipline or leave detail, nor the reason a person is not rated.
Not-rated people are listed as "không xếp loại" without the reason: everyone in scope is shown
(the list is complete, as a public notice must be) while the reason, often leave or discipline,
stays in the person's own slip and the unit head's report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import i18n
from .i18n import fmt as _t
from .models import Document

__all__ = ["NoticeRow", "NoticeGroup", "NoticeReport", "build_notice"]


@dataclass(frozen=True, slots=True)
class NoticeRow:
    stt: int
    name: str
    position: str
    rating: str  # the rating's label, or "Không xếp loại"


@dataclass(frozen=True, slots=True)
class NoticeGroup:
    unit_name: str
    level: int
    rows: tuple[NoticeRow, ...]


@dataclass(frozen=True, slots=True)
class NoticeReport:
    doc: Document
    intro: str
    privacy: str
    groups: tuple[NoticeGroup, ...]
    headcount: int


def build_notice(builder: Any) -> NoticeReport:
    """The notice's context from a ``ReportBuilder``: the staff table's rows of the whole
    department (units in tree order, people in document order), reduced to public fields."""
    lang = builder.lang
    labels = dict(builder.view.ratings)
    roots = [u.unit_id for u in builder.order if u.level == 0]
    scope = [uid for r in roots for uid in builder.descendants[r]]
    blocks, _ = builder._staff_rows(scope)
    not_rated = _t(lang, "not_rated")
    groups = tuple(
        NoticeGroup(
            b.unit_name,
            b.level,
            tuple(NoticeRow(row.stt, row.name, row.position, labels.get(row.rating, not_rated))
                  for row in b.rows),
        )
        for b in blocks
    )
    title = _t(lang, "notice_title", period=i18n.period_title(builder.period, lang))
    doc = builder._document("notice", "", title, "", "recipients_notice")
    return NoticeReport(
        doc=doc,
        intro=builder._intro(),
        privacy=_t(lang, "notice_privacy"),
        groups=groups,
        headcount=sum(len(g.rows) for g in groups),
    )

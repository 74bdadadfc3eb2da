"""The public notice of results (thông báo công khai kết quả xếp loại) for the notice board and
the website: every person's name, unit, position and rating, grouped by unit, nothing else.

Personal data (Decree 13/2023/NĐ-CP, Law 91/2025/QH15): the notice never holds an employee id, a
score or total, a violation, discipline or leave detail, nor the reason a person is not rated.
Not-rated people are listed as "không xếp loại" without the reason: everyone in scope is shown
(the list is complete, as a public notice must be) while the reason, often leave or discipline,
stays in the person's own slip and the unit head's report. Its rows are ``models.NoticeRow``:
the type has no field for anything else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import i18n
from .i18n import fmt as _t
from .models import NoticeReport, NoticeRow, StaffBlock

if TYPE_CHECKING:
    from .builder import ReportBuilder

__all__ = ["build_notice"]


def build_notice(builder: ReportBuilder) -> NoticeReport:
    """The notice's context from a ``ReportBuilder``: the staff table's rows of the whole
    department (units in tree order, people in document order), reduced to public fields."""
    lang = builder.lang
    labels = dict(builder.view.ratings)
    roots = [u.unit_id for u in builder.order if u.level == 0]
    scope = [uid for r in roots for uid in builder.descendants[r]]
    blocks, _ = builder.staff_blocks(scope, explain=False)
    not_rated = _t(lang, "not_rated")
    groups = tuple(
        StaffBlock(
            b.unit_id,
            b.unit_name,
            b.level,
            tuple(NoticeRow(row.stt, row.name, row.position, labels.get(row.rating, not_rated))
                  for row in b.rows),
        )
        for b in blocks
    )
    title = _t(lang, "notice_title", period=i18n.period_title(builder.period, lang))
    doc = builder.document("notice", "", title, "", "recipients_notice")
    return NoticeReport(
        doc=doc,
        intro=builder.intro(),
        privacy=_t(lang, "notice_privacy"),
        groups=groups,
        headcount=sum(len(g.rows) for g in groups),
    )

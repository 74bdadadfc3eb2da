"""The report contexts: frozen dataclasses of plain values (strings, numbers, tuples).

A context is everything a template may show, already formatted for its language and in NFC.
Contexts are built by ``builder`` (unit reports, summary), ``slips`` and ``notice`` (the criteria
sheet's, by ``criteria_sheet``, are in ``sheet_models``), pickled to the worker processes, and
rendered by ``pdf``. No Polars, no criteria objects, no Jinja2 here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from . import i18n
from .charts import HBarChart, StackedChart
from .i18n import fmt as _t

__all__ = [
    "Letterhead",
    "Footer",
    "Meta",
    "Document",
    "make_letterhead",
    "RatingCount",
    "CategoryCount",
    "Figures",
    "ItemColumn",
    "StaffRow",
    "StaffBlock",
    "NoticeRow",
    "NoticeReport",
    "ExplanationLine",
    "PersonExplanation",
    "TrendRow",
    "Trend",
    "UnitReport",
    "UnitLine",
    "OverrideEffect",
    "Notable",
    "SummaryReport",
]


# --------------------------------------------------------------------------------------------
# The parts of a document every report shares


@dataclass(frozen=True, slots=True)
class Letterhead:
    superior: tuple[str, ...]  # governing body lines, upper case, regular weight
    issuer: str  # issuing body, upper case, bold and underlined
    number: str  # "Số:       /BC-TCCB" (a report), "/TB-TCCB" (a notice)
    place_date: str  # "Quảng Ngãi, ngày 05 tháng 4 năm 2025"


@dataclass(frozen=True, slots=True)
class Footer:
    criteria_id: str
    criteria_version: str
    sha_short: str
    note: str  # "kỳ Quý I/2025"


@dataclass(frozen=True, slots=True)
class Meta:
    title: str
    author: str
    keywords: str
    created: str  # ISO date of the run, never the clock
    generator: str
    identifier: str  # hex digest used as the PDF file identifier


@dataclass(frozen=True, slots=True)
class Document:
    lang: str
    letterhead: Letterhead
    footer: Footer
    meta: Meta
    title: str
    subtitle: str
    recipients: tuple[str, ...]


# The document type in the number line (Decree 30/2020/NĐ-CP, Appendix III): a notice is TB, every
# other document a report, BC.
_NUMBER_SUFFIX = {"notice": "number_suffix_notice"}


def make_letterhead(
    agency: str | None, place: str | None, day: date, lang: str, default_issuer: str,
    criteria: Any = None, kind: str = "report",
) -> Letterhead:
    """The letterhead of a document of ``kind``: ``agency`` lines (the last one is the issuer
    when there are two or more, else ``default_issuer`` is), the number line with the type of
    the document and the place and date line. Without ``agency`` (or ``place``) the criteria's
    ``governing_body`` (``place``) fills them in."""
    if not agency and criteria is not None and getattr(criteria, "governing_body", None):
        agency = f"{criteria.governing_body}\n{default_issuer}" if default_issuer else criteria.governing_body
    if not place and criteria is not None:
        place = getattr(criteria, "place", None)
    lines = [i18n.nfc(s.strip()) for s in (agency or "").splitlines() if s.strip()]
    if len(lines) >= 2:
        superior, issuer = tuple(lines[:-1]), lines[-1]
    else:
        superior, issuer = tuple(lines), i18n.nfc(default_issuer)
    place = i18n.nfc(place.strip()) if place else ""
    place_date = i18n.date_line(place, day, lang)
    if not place:
        place_date = place_date.lstrip(", ")
        place_date = place_date[:1].upper() + place_date[1:]
    return Letterhead(
        superior=tuple(s.upper() for s in superior),
        issuer=issuer.upper(),
        number=f"{_t(lang, 'number')}\u2003\u2003\u2003{_t(lang, _NUMBER_SUFFIX.get(kind, 'number_suffix'))}",
        place_date=place_date,
    )


# --------------------------------------------------------------------------------------------
# Figures and tables


@dataclass(frozen=True, slots=True)
class RatingCount:
    code: str
    label: str
    count: int
    share: str
    colour: str


@dataclass(frozen=True, slots=True)
class CategoryCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Figures:
    headcount: int
    direct_headcount: int
    rated: int
    not_rated: int
    ratings: tuple[RatingCount, ...]
    violations: int
    categories: tuple[CategoryCount, ...]
    violators: int
    trained: int
    training_reach: str
    mean_total: str
    rules: tuple[str, ...] = ()  # which measure of the criteria each count follows


@dataclass(frozen=True, slots=True)
class ItemColumn:
    key: str  # "(1)"
    item_id: str
    label: str
    max: str
    group_label: str


@dataclass(frozen=True, slots=True)
class StaffRow:
    stt: int
    employee_id: str
    name: str
    position: str
    cells: tuple[str, ...]
    traffic: str
    total: str
    rating: str
    adjust: str
    highlight: bool  # rating below the pass band or not rated


@dataclass(frozen=True, slots=True)
class NoticeRow:
    """A staff row as the public notice shows it: public fields only (no id, score or reason)."""

    stt: int
    name: str
    position: str
    rating: str  # the rating's label, or "Không xếp loại"


Row = TypeVar("Row", StaffRow, NoticeRow)


@dataclass(frozen=True, slots=True)
class StaffBlock(Generic[Row]):
    """A unit's rows of a staff table (a unit report's, or the public notice's)."""

    unit_id: str
    unit_name: str
    level: int
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class ExplanationLine:
    kind: str
    subject: str
    label: str
    points: str
    detail: str
    records: str
    legal_ref: str


@dataclass(frozen=True, slots=True)
class PersonExplanation:
    stt: int
    name: str
    total: str
    rating: str
    lines: tuple[ExplanationLine, ...]


@dataclass(frozen=True, slots=True)
class TrendRow:
    period: str
    headcount: int
    counts: tuple[int, ...]
    not_rated: int
    mean_total: str
    current: bool


@dataclass(frozen=True, slots=True)
class Trend:
    codes: tuple[str, ...]
    rows: tuple[TrendRow, ...]
    chart: StackedChart


@dataclass(frozen=True, slots=True)
class UnitReport:
    doc: Document
    unit_id: str
    unit_name: str
    addressee: str
    scope: str
    intro: str
    figures: Figures
    rating_chart: HBarChart
    violation_chart: HBarChart | None
    columns: tuple[ItemColumn, ...]
    traffic_items: str  # legend of the traffic column ("" when the sheet has no such item)
    traffic_max: str
    col_widths: tuple[float, ...]  # mm: STT, id, name, position, items…, [traffic], total, rating, adjust
    blocks: tuple[StaffBlock[StaffRow], ...]
    headcount: int
    rating_legend: tuple[tuple[str, str], ...]
    override_legend: tuple[tuple[str, str, str], ...]
    explanations: tuple[PersonExplanation, ...]
    trend: Trend | None


@dataclass(frozen=True, slots=True)
class UnitLine:
    unit_id: str
    name: str
    level: int
    figures: Figures


@dataclass(frozen=True, slots=True)
class OverrideEffect:
    code: str
    override_id: str
    label: str
    legal_ref: str
    count: int
    changes: str


@dataclass(frozen=True, slots=True)
class Notable:
    title: str
    entries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SummaryReport:
    doc: Document
    intro: str
    totals: Figures
    rating_chart: HBarChart
    violation_chart: HBarChart | None
    units: tuple[UnitLine, ...]
    units_chart: StackedChart
    rating_codes: tuple[str, ...]
    rating_legend: tuple[tuple[str, str], ...]
    overrides: tuple[OverrideEffect, ...]
    notable: tuple[Notable, ...]
    trend: Trend | None


@dataclass(frozen=True, slots=True)
class NoticeReport:
    """The public notice of results (``notice``)."""

    doc: Document
    intro: str
    privacy: str
    groups: tuple[StaffBlock[NoticeRow], ...]
    headcount: int

"""A slip per person (phiếu kết quả đánh giá, xếp loại), from a ReportBuilder.

A unit's slips are one document, one person per page run (printed and signed on paper); each
person's own PDF is cut from it by pages (``split_slips``), so a slip costs no layout of its
own. A slip holds its person's data only.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scoring.engine.columns import ITEM_PREFIX

from . import i18n
from .formatting import fmt_number, fmt_points
from .i18n import fmt as _t
from .models import Document, ExplanationLine
from .pdf_cut import SIGN_ANCHOR, keep_archival_parts, keep_signature_place

if TYPE_CHECKING:
    from .builder import ReportBuilder

__all__ = ["Slip", "SlipSet", "slip_set", "slip_anchor", "split_slips"]


@dataclass(frozen=True, slots=True)
class SlipItem:
    stt: int
    label: str
    group_label: str
    max: str
    points: str


@dataclass(frozen=True, slots=True)
class Slip:
    anchor: str  # the HTML id of the slip's first element: finds its pages in the PDF
    employee_id: str
    name: str
    position: str
    unit_name: str
    items: tuple[SlipItem, ...]
    total: str
    max_total: str
    rating: str  # the rating's label, or "not rated" with the reason
    lines: tuple[ExplanationLine, ...]


@dataclass(frozen=True, slots=True)
class SlipSet:
    doc: Document
    unit_id: str
    unit_name: str
    slips: tuple[Slip, ...]


def slip_anchor(n: int) -> str:
    """The anchor of a unit's ``n``-th slip (from 1): the HTML id that finds its first page."""
    return f"slip-{n}"


def _reason(row: dict[str, Any], lang: str) -> str:
    reason = str(row.get("status_reason") or "")
    vi, _, en = reason.partition(" / ")
    return (en or vi) if lang == "en" else vi


def _rating(builder: ReportBuilder, row: dict[str, Any]) -> str:
    labels = dict(builder.view.ratings)
    if row.get("status") == "not_rated" or not row.get("rating"):
        reason = _reason(row, builder.lang)
        text = _t(builder.lang, "not_rated")
        return f"{text} ({reason})" if reason else text
    return f"{row['rating']} – {labels.get(str(row['rating']), '')}".rstrip(" –")


def slip_set(builder: ReportBuilder, unit_id: str) -> SlipSet:
    """The slips of the people directly in ``unit_id`` (sub-units have their own)."""
    lang = builder.lang
    unit = builder.units_by_id[unit_id]
    max_total = fmt_number(sum(i.max for i in builder.view.items), lang)
    slips: list[Slip] = []
    for r in builder.direct_rows(unit_id):
        items = tuple(
            SlipItem(n, i.label, i.group_label, fmt_number(i.max, lang),
                     fmt_points(r[ITEM_PREFIX + i.item_id], lang))
            for n, i in enumerate(builder.view.items, start=1))
        slips.append(Slip(
            anchor=slip_anchor(len(slips) + 1),
            employee_id=str(r["employee_id"]),
            name=i18n.nfc(str(r["full_name"])),
            position=builder.position_text(r),
            unit_name=unit.name,
            items=items,
            total=fmt_points(r["total"], lang),
            max_total=max_total,
            rating=_rating(builder, r),
            lines=builder.explanation_lines(r["employee_id"]),
        ))
    title = _t(lang, "slip_title", period=i18n.period_title(builder.period, lang))
    doc = builder.document("slips", unit_id, title, unit.name, "recipients_slip")
    return SlipSet(doc, unit_id, unit.name, tuple(slips))


def split_slips(combined: bytes, anchors: list[str]) -> list[bytes]:
    """Each slip's pages of a unit's combined slips PDF, as a PDF of its own (pypdf: no layout
    again). A slip starts on the page that holds its anchor's named destination."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(combined))
    dests = {str(name): dest for name, dest in reader.named_destinations.items()}
    starts: dict[str, int] = {}
    for name, dest in dests.items():
        page = reader.get_destination_page_number(dest)
        if page is not None:
            starts[name] = page
    firsts = [starts[a] for a in anchors]
    ends = [*firsts[1:], len(reader.pages)]
    out = []
    for anchor, first, end in zip(anchors, firsts, ends, strict=True):
        writer = PdfWriter()
        for k in range(first, end):
            writer.add_page(reader.pages[k])
        keep_archival_parts(reader, writer, anchor)  # still PDF/A
        keep_signature_place(reader, dests, writer, SIGN_ANCHOR + anchor, first, end)
        buf = io.BytesIO()
        writer.write(buf)
        out.append(buf.getvalue())
    return out

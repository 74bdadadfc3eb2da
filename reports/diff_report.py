"""The comparison of two criteria files as a document (``scoring diff --pdf``): the changed
rules, the transition matrix of ratings and the people whose rating changes, as tables."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import i18n
from .formatting import fmt_points, fmt_signed

__all__ = ["DiffReport", "write_diff_pdf"]

_WORDS = {
    "vi": {"heading": "SO SÁNH HAI TỆP TIÊU CHÍ", "footer": "So sánh tiêu chí",
           "added": "thêm", "removed": "bỏ", "changed": "sửa"},
    "en": {"heading": "COMPARISON OF TWO CRITERIA FILES", "footer": "Criteria comparison",
           "added": "added", "removed": "removed", "changed": "changed"},
}


@dataclass(frozen=True, slots=True)
class ChangeRow:
    kind: str
    what: str
    label: str
    field: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class MovedRow:
    employee_id: str
    name: str
    unit_id: str
    total_before: str
    rating_before: str
    total_after: str
    rating_after: str


@dataclass(frozen=True, slots=True)
class DiffReport:
    lang: str
    heading: str
    title: str
    footer: str
    changes: tuple[ChangeRow, ...]
    has_impact: bool
    matrix_header: tuple[str, ...] = ()
    matrix: tuple[tuple[str, ...], ...] = ()
    people: int = 0
    totals_changed: int = 0
    delta_line: str = ""  # mean, lowest and highest change of the totals that change
    moved: tuple[MovedRow, ...] = ()


def _value(v: Any, lang: str) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int | float):
        return fmt_points(v, lang)
    return i18n.nfc(str(v))


def diff_context(changes: list[Any], imp: Any | None, *, title: str, lang: str = "vi") -> DiffReport:
    """The document's tables from ``scoring.audit.diff``'s changes and impact (or ``None``)."""
    w = _WORDS.get(lang, _WORDS["vi"])
    rows = tuple(ChangeRow(w[c.kind], c.what, i18n.nfc(c.label), c.field or "",
                           _value(c.before, lang) if c.kind == "changed" else "",
                           _value(c.after, lang) if c.kind == "changed" else "") for c in changes)
    base = DiffReport(lang=lang, heading=w["heading"], title=i18n.nfc(title),
                      footer=f"{w['footer']}: {i18n.nfc(title)}", changes=rows, has_impact=False)
    if imp is None:
        return base
    j = imp.joined
    moved = [r for r in j.iter_rows(named=True) if r["rating"] != r["rating_new"]]
    deltas = [d for d in j["delta"].to_list() if d]
    return DiffReport(
        **{f: getattr(base, f) for f in ("lang", "heading", "title", "footer", "changes")},
        has_impact=True,
        matrix_header=tuple(imp.matrix.columns[1:]),
        matrix=tuple(tuple(str(v) for v in row) for row in imp.matrix.iter_rows()),
        people=j.height,
        totals_changed=len(deltas),
        delta_line=i18n.text(lang, "diff_delta").format(
            mean=fmt_signed(sum(deltas) / len(deltas), lang), min=fmt_signed(min(deltas), lang),
            max=fmt_signed(max(deltas), lang)) if deltas else "",
        moved=tuple(MovedRow(str(r["employee_id"]), i18n.nfc(str(r["full_name"] or "")),
                             str(r["unit_id"] or ""), _value(r["total"], lang), r["rating"],
                             _value(r["total_new"], lang), r["rating_new"]) for r in moved),
    )


def write_diff_pdf(changes: list[Any], imp: Any | None, pdf_path: Path, *, title: str,
                   lang: str = "vi") -> Path:
    """Write the comparison to ``pdf_path``. The PDF carries no date (there is no run to take
    one from); the same comparison gives the same bytes. Rendering problems are logged on
    ``scoring.reports`` like every report."""
    from .pdf import RenderJob
    from .render import _run_jobs

    context = diff_context(changes, imp, title=title, lang=lang)
    ident = hashlib.sha256(f"diff|{lang}|{context!r}".encode()).hexdigest()[:32]
    _run_jobs([RenderJob("diff.html.j2", context, str(pdf_path), ident)], 1)
    return Path(pdf_path)

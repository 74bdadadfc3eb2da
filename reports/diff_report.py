"""A PDF of the plain-text comparison of two criteria files (``scoring diff --pdf``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import i18n

__all__ = ["DiffReport", "write_diff_pdf"]

_HEADING = {"vi": "SO SÁNH HAI TỆP TIÊU CHÍ", "en": "COMPARISON OF TWO CRITERIA FILES"}
_FOOTER = {"vi": "So sánh tiêu chí", "en": "Criteria comparison"}


@dataclass(frozen=True, slots=True)
class DiffReport:
    lang: str
    heading: str
    title: str
    footer: str
    text: str


def write_diff_pdf(text: str, pdf_path: Path, *, title: str, lang: str = "vi") -> Path:
    """Write ``text`` (monospaced, as printed by ``scoring diff``) to ``pdf_path``.

    The PDF carries no date (there is no run to take one from); the same text gives the same
    bytes. Rendering problems are logged on ``scoring.reports`` like every report.
    """
    from .pdf import RenderJob
    from .render import _run_jobs

    context = DiffReport(
        lang=lang,
        heading=_HEADING.get(lang, _HEADING["vi"]),
        title=i18n.nfc(title),
        footer=f"{_FOOTER.get(lang, _FOOTER['vi'])}: {i18n.nfc(title)}",
        text=i18n.nfc(text),
    )
    ident = hashlib.sha256(f"diff|{lang}|{title}|{text}".encode()).hexdigest()[:32]
    _run_jobs([RenderJob("diff.html.j2", context, str(pdf_path), ident)], 1)
    return Path(pdf_path)

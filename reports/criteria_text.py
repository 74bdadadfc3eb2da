"""Plain text of the criteria object's values, for the criteria sheet and its worked examples."""

from __future__ import annotations

from datetime import date
from typing import Any

from . import i18n

__all__ = ["RECORD_TABLE_LABELS", "text_of", "label_of", "date_text"]

RECORD_TABLE_LABELS = {
    "violations": ("Vi phạm giao thông", "Traffic violations"),
    "training": ("Tuyên truyền, tập huấn", "Training"),
    "discipline": ("Kỷ luật", "Discipline"),
    "leave": ("Nghỉ", "Leave"),
}


def text_of(value: object) -> str:
    return i18n.nfc(str(value)) if value is not None else ""


def label_of(obj: Any, lang: str, attr: str = "label") -> str:
    if lang == "en":
        en = getattr(obj, f"{attr}_en", None)
        if en:
            return text_of(en)
    return text_of(getattr(obj, attr, ""))


def date_text(value: date | None, lang: str) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()

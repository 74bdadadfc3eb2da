"""Number formatting and file names for the reports (pure functions, no rendering imports)."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

__all__ = [
    "fmt_number",
    "fmt_points",
    "fmt_signed",
    "fmt_percent",
    "slug",
    "unit_file_name",
    "unit_file_names",
]


def fmt_number(value: float | int | None, lang: str, decimals: int = 2) -> str:
    """``87,5`` in Vietnamese, ``87.5`` in English; trailing zeros dropped; ``–`` for None.

    Thousands are grouped with ``.`` (vi) or ``,`` (en): ``1.250`` / ``1,250``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    text = f"{abs(rounded):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang != "en":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return ("-" if rounded < 0 else "") + text


def fmt_points(value: float | int | None, lang: str) -> str:
    """Points as printed in the staff table: at most two decimals."""
    return fmt_number(value, lang, 2)


def fmt_signed(value: float | int | None, lang: str) -> str:
    """``+2``, ``−3``, ``0`` (a true minus sign, as in print)."""
    if value is None:
        return ""
    text = fmt_number(value, lang, 2)
    if text.startswith("-"):
        return "−" + text[1:]
    return text if text == "0" else "+" + text


def fmt_percent(share: float | None, lang: str) -> str:
    """A share 0..1 as ``66,7%``."""
    if share is None:
        return "–"
    return fmt_number(100.0 * share, lang, 1) + "%"


_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c))
        .encode("ascii", "ignore")
        .decode("ascii")
    )


def slug(text: str, *, lower: bool = True, max_len: int = 60) -> str:
    """Safe ASCII slug: ``Văn phòng Sở`` → ``van-phong-so``."""
    out = _NON_ALNUM.sub("-", _ascii(text)).strip("-")
    if lower:
        out = out.lower()
    return out[:max_len].rstrip("-") or "x"


def unit_file_name(unit_id: str, name: str) -> str:
    """``don-vi_VP_van-phong-so.pdf``: the unit id keeps its case, the name is lower case."""
    return f"don-vi_{slug(unit_id, lower=False, max_len=40)}_{slug(name)}.pdf"


def unit_file_names(pairs: Sequence[tuple[str, str]]) -> list[str]:
    """File names of the units ``(unit id, name)`` of a run, unique after case folding.

    Slugs are ASCII (diacritics removed) and keep the unit id's case, so ``VP`` and ``vp``, or
    ``Đ-1`` and ``D.1``, give names that differ only by case or not at all: on a
    case-insensitive file system (Windows, macOS) one PDF would overwrite the other. Every name
    that collides with another once case-folded gets a hash of its unit id (8 digits, the whole
    hash in the unlikely case two of those agree). The result does not depend on the order.
    """
    names = [unit_file_name(uid, name) for uid, name in pairs]
    folded = Counter(n.casefold() for n in names)

    def with_hash(uid: str, n: str, digits: int) -> str:
        if folded[n.casefold()] == 1:
            return n
        return n.removesuffix(".pdf") + f"_{hashlib.sha256(uid.encode()).hexdigest()[:digits]}.pdf"

    out = [with_hash(uid, n, 8) for (uid, _), n in zip(pairs, names, strict=True)]
    if len({n.casefold() for n in out}) < len(out):
        out = [with_hash(uid, n, 64) for (uid, _), n in zip(pairs, names, strict=True)]
    return out

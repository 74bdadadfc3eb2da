"""What the Excel engine does not say about a workbook: which sheets are hidden, which cells are
formulas with no saved value.

Both are read from the workbook's own XML parts (a .xlsx file is a ZIP archive): the sheet list
and its ``state`` from ``xl/workbook.xml``, the cells from the sheet's part. A hidden sheet is
often an old copy (``Cũ``) and must never be scored in place of the visible one; a formula
written by a program that does not compute it (openpyxl, a script) has no value until a
spreadsheet saves the file again, and the Excel engine reads it as an empty cell.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

__all__ = ["Sheet", "workbook_sheets", "formula_cells_without_value", "column_letters"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    visible: bool
    part: str | None  # the sheet's XML part in the archive


def workbook_sheets(path: Path) -> list[Sheet] | None:
    """The sheets of a .xlsx workbook in order, or None when its parts cannot be read (the
    Excel engine then reports what is wrong with the file)."""
    try:
        with zipfile.ZipFile(path) as z:
            book = ElementTree.fromstring(z.read("xl/workbook.xml"))
            try:
                rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            except KeyError:
                rels = None
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    targets = {}
    for rel in rels.iter(f"{_PKG_REL}Relationship") if rels is not None else ():
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        targets[rel.get("Id")] = part
    out = []
    for node in book.iter(f"{_MAIN}sheet"):
        state = node.get("state", "visible")
        out.append(Sheet(node.get("name", ""), state == "visible", targets.get(node.get(f"{_REL}id"))))
    return out


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def formula_cells_without_value(path: Path, part: str | None) -> set[str]:
    """References (``C5``) of the formula cells of a sheet that hold no saved value.

    The part is first searched for a formula at all, in chunks (a sheet saved with values, or
    without formulas, costs one decompression); only then are its cells parsed.
    """
    if part is None:
        return set()
    try:
        with zipfile.ZipFile(path) as z, z.open(part) as f:
            tail = b""
            while chunk := f.read(_CHUNK):
                if b"<f" in tail + chunk:
                    break
                tail = chunk[-2:]
            else:
                return set()
            with z.open(part) as g:
                return _empty_formulas(g)
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return set()


def _empty_formulas(stream) -> set[str]:
    out: set[str] = set()
    for _, node in ElementTree.iterparse(stream):
        if node.tag != f"{_MAIN}c":
            continue
        if node.find(f"{_MAIN}f") is not None:
            value = node.find(f"{_MAIN}v")
            inline = node.find(f"{_MAIN}is")
            if (value is None or not (value.text or "")) and inline is None:
                out.add(node.get("r", ""))
        node.clear()
    return out

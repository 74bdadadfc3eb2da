"""Checks on uploaded files before they reach the readers.

An upload must have a plain file name with a suffix the readers know, and its bytes must be what
the suffix claims: an ``.xlsx`` is a ZIP holding a workbook, decompressed here in bounded chunks
so that a ZIP bomb is refused before anything reads it; a ``.parquet`` starts and ends with
``PAR1``; a ``.csv`` is text (no NUL bytes, not a ZIP or an old binary workbook renamed).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from scoring.inputs.locate import SUFFIXES

__all__ = ["UploadError", "safe_name", "check_upload", "Limits", "DATA_SOURCE_NAME"]

# The one YAML file accepted: the run's data-source file (docs/inputs.md), used when present.
DATA_SOURCE_NAME = "nguon-du-lieu.yaml"

_NAME = re.compile(r"^[\w][\w .,()\-–+]*$")
_MAGIC = {b"PK\x03\x04": "ZIP/xlsx", b"\xd0\xcf\x11\xe0": "Excel 97-2003 (.xls)", b"%PDF": "PDF",
          b"\x7fELF": "program", b"MZ": "program", b"PAR1": "Parquet"}


class UploadError(ValueError):
    """A refused upload; the message is bilingual and names the file."""


class Limits:
    max_entries = 2_000  # files inside one xlsx
    max_unzipped = 512 * 1024 * 1024  # bytes once decompressed
    max_ratio = 200  # decompressed / compressed, for the whole workbook
    chunk = 1 << 20


def safe_name(raw: str) -> str:
    """The file name without any folder part, in NFC; refuses names that could leave the folder."""
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if not name or name.startswith(".") or not _NAME.match(name) or len(name) > 200:
        raise UploadError(f"{raw!r}: tên tệp không hợp lệ / invalid file name")
    suffix = "." + name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    if name.casefold() == DATA_SOURCE_NAME:
        return DATA_SOURCE_NAME
    if suffix not in SUFFIXES:
        raise UploadError(f"{name}: chỉ nhận tệp {', '.join(SUFFIXES)} / only {', '.join(SUFFIXES)} "
                          "files are accepted")
    return name


def _claims(data: bytes) -> str | None:
    return next((what for magic, what in _MAGIC.items() if data.startswith(magic)), None)


def _check_xlsx(name: str, data: bytes) -> None:
    if not data.startswith(b"PK\x03\x04"):
        found = _claims(data)
        raise UploadError(f"{name}: không phải tệp .xlsx" + (f" (là {found})" if found else "")
                          + " / not an .xlsx workbook" + (f" (it is {found})" if found else ""))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            entries = zf.infolist()
            names = {e.filename for e in entries}
            if len(entries) > Limits.max_entries:
                raise UploadError(f"{name}: quá nhiều tệp bên trong ({len(entries)}) / too many entries")
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise UploadError(f"{name}: tệp ZIP không chứa bảng tính Excel / a ZIP that holds no "
                                  "Excel workbook")
            _bounded_unzip(name, zf, entries, budget=min(Limits.max_unzipped, len(data) * Limits.max_ratio))
    except zipfile.BadZipFile as exc:
        raise UploadError(f"{name}: tệp .xlsx bị hỏng / a damaged .xlsx ({exc})") from None


def _bounded_unzip(name: str, zf: zipfile.ZipFile, entries: list[zipfile.ZipInfo], budget: int) -> None:
    """Decompress every entry, stopping as soon as the total passes the budget (sizes can lie)."""
    total = 0
    for entry in entries:
        with zf.open(entry) as fh:
            while chunk := fh.read(Limits.chunk):
                total += len(chunk)
                if total > budget:
                    raise UploadError(f"{name}: giải nén quá lớn (bom ZIP?) / decompresses to more "
                                      f"than {budget // (1 << 20)} MiB (a ZIP bomb?)")


def check_upload(raw_name: str, data: bytes) -> str:
    """The safe name of an accepted upload; raise UploadError saying why one is refused."""
    name = safe_name(raw_name)
    suffix = name.rsplit(".", 1)[-1].casefold()
    if not data:
        raise UploadError(f"{name}: tệp rỗng / empty file")
    if name == DATA_SOURCE_NAME and len(data) > 1_000_000:
        raise UploadError(f"{name}: tệp quá lớn / file too large")
    if suffix == "xlsx":
        _check_xlsx(name, data)
    elif suffix == "parquet":
        if not (data.startswith(b"PAR1") and data.endswith(b"PAR1")):
            raise UploadError(f"{name}: không phải tệp Parquet / not a Parquet file")
    else:
        found = _claims(data)
        if found or b"\x00" in data[: 1 << 16]:
            raise UploadError(f"{name}: không phải tệp văn bản CSV" + (f" (là {found})" if found else "")
                              + " / not a text CSV file" + (f" (it is {found})" if found else ""))
    return name

"""Loading one table file into cells under canonical column names, before any typing.

CSV and Excel cells are read as strings (so that a bad cell becomes a located issue later,
not a parser error), Parquet keeps its own types. The header row is found per file (title rows
above it are skipped), the user's headers become contract names, and every row gets the number
the user sees (column ``ROW``). A file that cannot be read as a table at all raises
``Unreadable`` with its issues.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from scoring.codes import Code
from scoring.errors import Issue, issue
from scoring.inputs.headers import HEADER_SCAN_ROWS, HeaderNames, find_header, header_score
from scoring.inputs.locate import Source
from scoring.inputs.row_issues import ROW

__all__ = ["Unreadable", "Loaded", "load_csv", "load_xlsx", "load_parquet", "MSG_EMPTY", "MSG_UTF8"]

_HEAD_BYTES = 1 << 16
_DELIMITERS = (",", ";", "\t")
_BLANK = re.compile(rb"\s*\Z")

_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "Excel .xlsx / ZIP"),
    (b"\xd0\xcf\x11\xe0", "Excel 97-2003 .xls"),
    (b"PAR1", "Parquet"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"{\\rtf", "RTF"),
)

MSG_EMPTY = "tệp rỗng / file is empty"
MSG_UTF8 = "tệp không phải UTF-8; hãy lưu lại dạng CSV UTF-8 / file is not UTF-8; save it as CSV UTF-8"


class Unreadable(Exception):
    """A file that cannot be read as a table at all; carries its issues."""

    def __init__(self, *issues: Issue):
        self.issues = list(issues)


@dataclass
class Loaded:
    """A file as read: cells as strings (CSV, Excel) or native types (Parquet)."""

    frame: pl.DataFrame  # canonical column names, plus ROW
    header: list[str]  # canonical names in file order
    header_line: int | None
    kind: str  # "csv" | "xlsx" | "parquet"
    header_hint: int | None = None  # the row that looks like the header, when not used
    positions: dict[str, int] = field(default_factory=dict)  # name -> 0-based sheet column


# ----------------------------------------------------------------------------- headers


def _apply_header(
    frame: pl.DataFrame, cells: list[object] | tuple[object, ...], names: HeaderNames, file: str,
    first_row: int, header_line: int | None,
) -> tuple[pl.DataFrame, list[str], dict[str, int], list[Issue]]:
    """Rename the raw columns to canonical names; drop unnamed empty columns; number rows.

    Two headers claiming one contract name: the user's mapping or the contract's own name
    wins over a built-in word, an earlier built-in word over a later one (``Mã đơn vị`` over
    ``Đơn vị``); the other keeps its own text. Equal claims are an error.
    """
    cells = list(cells) + [None] * (frame.width - len(cells))
    claims: dict[str, tuple[int, int]] = {}  # name -> (rank, column index)
    issues: list[Issue] = []
    named: list[tuple[str | None, int, str]] = []
    for j, cell in enumerate(cells[: frame.width]):
        name, rank = names.canonical(cell)
        named.append((name, rank, "" if cell is None else str(cell).strip()))
        if name is None or name not in names.known:
            continue
        if name in claims and claims[name][0] == rank:
            k = claims[name][1]
            issues.append(issue(file, header_line, name, f"cột xuất hiện nhiều lần (cột {k + 1} và "
                                f"{j + 1}) / column appears more than once (columns {k + 1} and "
                                f"{j + 1})", code=Code.COLUMN_TWICE))
        elif name not in claims or rank < claims[name][0]:
            claims[name] = (rank, j)
    out_names: list[str] = []
    keep: list[str] = []
    positions: dict[str, int] = {}
    seen: set[str] = set()
    for j, (col, (name, _, text)) in enumerate(zip(frame.columns, named, strict=True)):
        if name is None:
            if frame[col].null_count() == frame.height:
                continue  # an empty, unnamed column (Excel formatting): not data
            name = f"column_{j + 1}"
        elif name in claims and claims[name][1] != j:
            if claims[name][0] == named[j][1]:
                continue  # reported above
            name = text  # a lesser claim keeps its own header
        if name in seen:
            name = f"{name}_{j + 1}"
        seen.add(name)
        out_names.append(name)
        keep.append(col)
        positions[name] = j
    frame = frame.select(pl.col(c).alias(n) for c, n in zip(keep, out_names, strict=True))
    return frame.with_columns(_row_numbers(frame, first_row)), out_names, positions, issues


def _row_numbers(frame: pl.DataFrame, first_row: int) -> pl.Series:
    """The ``ROW`` column, in chunks of the same lengths as the frame's columns.

    A Parquet file is read in chunks (87 for 10.6M rows); when one column is chunked
    differently, Polars copies every column of the frame into one chunk on the next
    ``select`` (0.7 s of CPU for the assessments at 2.7M staff).
    """
    rows = pl.int_range(first_row, first_row + frame.height, dtype=pl.Int64, eager=True)
    lengths = frame.to_series(0).chunk_lengths() if frame.width else []
    if len(lengths) < 2:
        return rows.alias(ROW)
    bounds = itertools.pairwise(itertools.accumulate(lengths, initial=0))
    return pl.concat([rows[a:b] for a, b in bounds], rechunk=False).alias(ROW)


# ----------------------------------------------------------------------------- loading files


def load_csv(name: str, data: bytes, names: HeaderNames, explicit: tuple[int | None, int]) -> Loaded:
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if _BLANK.match(data, start):
        raise Unreadable(issue(name, None, None, MSG_EMPTY, code=Code.FILE_EMPTY))
    head = data[start : start + _HEAD_BYTES]
    _sniff(name, head)
    if len(data) - start > _HEAD_BYTES:
        head = head[: head.rfind(b"\n") + 1] or head
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(_utf8_issue(name, head, exc)) from None
    choice = None
    for sep in _DELIMITERS:
        rows = _csv_rows(text, sep)
        header, cells, hint = find_header(rows, names, *explicit)
        score = header_score(cells, names) if header < len(rows) else (False, 0, 0)
        width = len(rows[header]) if header < len(rows) else 0
        if choice is None or (score, width > 1) > choice[0]:
            choice = ((score, width > 1), sep, header, cells, hint)
    assert choice is not None
    _, sep, header, cells, hint = choice
    try:
        frame = pl.read_csv(
            data, has_header=False, infer_schema=False, skip_rows=header, separator=sep,
            raise_if_empty=False, glob=False,
        )
    except pl.exceptions.PolarsError as exc:
        raise Unreadable(_csv_failure(name, data, exc, sep, header)) from None
    if frame.height == 0:
        raise Unreadable(issue(name, None, None, MSG_EMPTY, code=Code.FILE_EMPTY))
    frame, out, positions, issues = _apply_header(frame.slice(1), cells, names, name, header + 2, header + 1)
    if issues:
        raise Unreadable(*issues)
    return Loaded(frame, out, header + 1, "csv", hint + 1 if hint != header else None, positions)


def _csv_rows(text: str, sep: str) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
            rows.append(tuple(row))
            if len(rows) >= HEADER_SCAN_ROWS:
                break
    except csv.Error:
        pass
    return rows or [()]


def _sniff(name: str, body: bytes) -> None:
    """Reject what is plainly not a CSV text: other file formats, UTF-16, binary data.

    ``body`` is the start of the file, after any UTF-8 byte order mark.
    """
    for magic, what in _MAGIC:
        if body.startswith(magic):
            raise Unreadable(issue(name, None, None, f"tệp không phải bảng CSV (có vẻ là {what})"
                                    f" / file is not a CSV table (looks like {what})", code=Code.NOT_A_TABLE))
    sample = body[:4096]
    utf16 = body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16 and b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        utf16 = max(even, odd) > 0.3 * (len(sample) / 2) and min(even, odd) == 0
        if not utf16:
            raise Unreadable(issue(name, None, None, "tệp không phải bảng dữ liệu dạng văn bản "
                                    "/ file is not a text table (binary data)", code=Code.NOT_A_TABLE))
    if utf16:
        raise Unreadable(issue(name, None, None, "tệp mã hoá UTF-16; hãy lưu lại dạng CSV UTF-8"
                                " / file is UTF-16 encoded; save it as CSV UTF-8", code=Code.NOT_A_TABLE))


def _utf8_issue(name: str, data: bytes, exc: UnicodeDecodeError) -> Issue:
    line = data.count(b"\n", 0, exc.start) + 1
    return issue(name, line, None, MSG_UTF8, data[exc.start : exc.start + 4].hex(" "),
                 code=Code.DATA_NOT_UTF8)


def _csv_failure(name: str, data: bytes, exc: Exception, sep: str, header: int) -> Issue:
    """Locate why Polars could not parse the file (only runs when it could not)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        return _utf8_issue(name, data, bad)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    width = None
    try:
        for i, row in enumerate(reader):
            if i < header or not row:
                continue
            if width is None:
                width = len(row)
            elif len(row) > width:
                return issue(name, reader.line_num, None, f"dòng có {len(row)} ô nhưng tiêu "
                             f"đề có {width} / row has {len(row)} fields but the header has "
                             f"{width}", code=Code.CSV_MALFORMED)
    except csv.Error as err:
        return issue(name, reader.line_num, None, f"dòng CSV hỏng / malformed CSV line: {err}",
                     code=Code.CSV_MALFORMED)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return issue(name, None, None, f"không đọc được tệp CSV / cannot parse the CSV file: {first}",
                 code=Code.CSV_MALFORMED)


def load_xlsx(src: Source, names: HeaderNames, explicit: tuple[int | None, int]) -> Loaded:
    path, name = src.path, src.label
    kwargs: dict[str, object] = {} if src.sheet is None else {"sheet_name": src.sheet}
    try:
        # skip_rows=0 keeps empty rows at the top, so that row i is sheet row i + 1.
        raw = pl.read_excel(
            path, engine="calamine", has_header=False, infer_schema_length=0,
            drop_empty_rows=False, drop_empty_cols=False, raise_if_empty=False,
            read_options={"skip_rows": 0}, **kwargs,  # type: ignore[call-overload]
        )
    except Exception as exc:
        raise Unreadable(_excel_failure(path, exc)) from None
    if raw.height == 0 or raw.width == 0:
        raise Unreadable(issue(name, None, None, "trang tính rỗng / the sheet is empty",
                                code=Code.FILE_EMPTY))
    raw = raw.with_columns(pl.all().cast(pl.String))
    rows = raw.head(HEADER_SCAN_ROWS).rows()
    header, cells, hint = find_header(rows, names, *explicit)
    if header >= raw.height:
        raise Unreadable(issue(name, header + 1, None, "không có dòng tiêu đề này / no such "
                                "header row", code=Code.HEADER_ROW))
    frame, out, positions, issues = _apply_header(
        raw.slice(header + 1), cells, names, name, header + 2, header + 1
    )
    if issues:
        raise Unreadable(*issues)
    return Loaded(frame, out, header + 1, "xlsx", hint + 1 if hint != header else None, positions)


def _excel_failure(path: Path, exc: Exception) -> Issue:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return issue(path.name, None, None, f"không mở được tệp Excel (.xlsx) / cannot open the "
                 f"Excel workbook: {first}", code=Code.EXCEL_UNREADABLE)


def load_parquet(path: Path, names: HeaderNames) -> Loaded:
    try:
        raw = pl.read_parquet(path, glob=False)
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Unreadable(issue(path.name, None, None, f"không đọc được tệp Parquet / cannot "
                                f"read the Parquet file: {first}", code=Code.PARQUET_UNREADABLE)) from None
    frame, out, positions, issues = _apply_header(raw, list(raw.columns), names, path.name, 1, None)
    if issues:
        raise Unreadable(*issues)
    return Loaded(frame, out, None, "parquet", positions=positions)

"""Read an input data folder into validated, typed frames (``InputFrames``).

One file per table, named after the table: ``units.csv``, ``staff.xlsx``, ``violations.parquet``.
Text files are read with every cell as a string first and then cast column by column, so that a
bad cell becomes a located issue rather than a parser error. Every problem found in every table
is collected and raised at once as one ``InputDataError``; nothing here prints or exits.

Row numbers are the ones the user sees: the line in a text editor for CSV (header on line 1,
first record on line 2, title lines above the header counted), the sheet row in Excel, the
1-based record number in Parquet.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import itertools
import re
import unicodedata
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from scoring.errors import InputDataError, Issue, issue
from scoring.inputs.contract import TABLES, empty_frame
from scoring.inputs.frames import InputFrames, SourceFile
from scoring.inputs.validation import ROW, prepare_table, relation_issues

__all__ = ["read_inputs", "SUFFIXES", "MSG_UTF8"]

SUFFIXES = (".csv", ".xlsx", ".parquet")
# Tables read at once: two keep both cores of the target machine busy.
READ_THREADS = 2
# How many rows from the top are searched for the header (title rows above it are skipped).
HEADER_SCAN_ROWS = 30
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


class _Unreadable(Exception):
    """A file that cannot be read as a table at all; carries its issues."""

    def __init__(self, *issues: Issue):
        self.issues = list(issues)


@dataclass(frozen=True)
class _Options:
    column_map: dict[str, str]  # normalised user header -> contract name
    ranges: dict[str, tuple[float, float]]
    sheet: str | None
    header_row: int | None

    def known(self, table: str) -> set[str]:
        names = set(TABLES[table].column_names)
        return names | set(self.ranges) if table == "assessments" else names

    def required(self, table: str) -> tuple[str, ...]:
        req = TABLES[table].required
        return req + tuple(self.ranges) if table == "assessments" else req


@dataclass
class _Loaded:
    """A file as read: cells as strings (CSV, Excel) or native types (Parquet)."""

    frame: pl.DataFrame  # canonical column names, plus ROW
    header: list[str]  # canonical names in file order
    header_line: int | None
    kind: str  # "csv" | "xlsx" | "parquet"
    header_hint: int | None = None  # the row that looks like the header, when not used


# ----------------------------------------------------------------------------- public API


def read_inputs(
    data_dir: Path,
    *,
    column_map: Mapping[str, str] | None = None,
    assessment_ranges: Mapping[str, tuple[float, float]] | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
) -> InputFrames:
    """Read, type and validate every table of the input contract in ``data_dir``.

    ``column_map`` maps the user's headers (``Mã cán bộ``) to contract names (``employee_id``);
    headers that differ from a contract name only by case, spaces or hyphens match anyway.
    ``assessment_ranges`` names the assessment score columns the criteria use and their
    closed range; they must exist, be numeric and lie in range. ``sheet`` picks the sheet of
    every Excel file (default: the first), ``header_row`` its 1-based header row (default:
    the first row holding the required column names, which skips title rows; CSV files are
    always detected that way).

    Raises ``InputDataError`` with every issue found, sorted by file, row and column.
    """
    data_dir = Path(data_dir)
    opts = _Options(
        column_map={_norm_key(k): str(v).strip() for k, v in (column_map or {}).items()},
        ranges={k: (float(lo), float(hi)) for k, (lo, hi) in (assessment_ranges or {}).items()},
        sheet=sheet,
        header_row=header_row,
    )
    if header_row is not None and header_row < 1:
        raise InputDataError([issue("header_row", None, None, "phải ≥ 1 / must be at least 1", header_row)])
    files, issues = _locate(data_dir)
    # Tables are read on two threads, the largest files first (Polars releases the GIL; one
    # table's steps do not all use both cores); their results are taken in contract order.
    largest = sorted(files, key=lambda t: -_size(files[t]))
    with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
        futures = {t: pool.submit(_read_table, t, files[t], opts) for t in largest}
        results = {t: futures[t].result() for t in files}
    frames: dict[str, pl.DataFrame] = {}
    names: dict[str, str] = {}
    sources: list[SourceFile] = []
    for table, (frame, source, found) in results.items():  # contract order
        issues += found
        if frame is not None and source is not None:
            frames[table], names[table] = frame, source.path
            sources.append(source)
    issues += relation_issues(frames, names)
    if issues:
        raise InputDataError(sorted(issues, key=_issue_order))
    out = {t: frames[t].drop(ROW) if t in frames else empty_frame(t) for t in TABLES}
    return InputFrames(**out, sources=tuple(sources))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported when the file is read


def _read_table(
    table: str, path: Path, opts: _Options
) -> tuple[pl.DataFrame | None, SourceFile | None, list[Issue]]:
    """Read, type and check one file on its own: (frame with ROW, source, issues)."""
    try:
        data = path.read_bytes()
        loaded = _load(path, data, table, opts)
    except _Unreadable as exc:
        return None, None, exc.issues
    except OSError as exc:
        return None, None, [issue(path.name, None, None, "không đọc được tệp / cannot read "
                                  "file", exc.strerror or str(exc))]
    issues = _missing_column_issues(loaded, table, path.name, opts)
    frame, found = prepare_table(
        loaded.frame, table, path.name, header=loaded.header, excel=loaded.kind == "xlsx",
        assessment_ranges=opts.ranges,
    )
    source = SourceFile(table, path.name, hashlib.sha256(data).hexdigest(), frame.height)
    return frame, source, issues + found


# ----------------------------------------------------------------------------- locating files


def _locate(data_dir: Path) -> tuple[dict[str, Path], list[Issue]]:
    """The one file of each table, in contract order, and the problems finding them."""
    if not data_dir.is_dir():
        return {}, [issue(str(data_dir), None, None, "không có thư mục dữ liệu này / "
                          "no such data folder")]
    found: dict[str, list[Path]] = {t: [] for t in TABLES}
    other: dict[str, list[Path]] = {t: [] for t in TABLES}
    for path in sorted(data_dir.iterdir()):
        stem, suffix = path.stem.casefold(), path.suffix.casefold()
        if stem not in found or not path.is_file():
            continue
        (found if suffix in SUFFIXES else other)[stem].append(path)
    files: dict[str, Path] = {}
    issues: list[Issue] = []
    for table, paths in found.items():
        if len(paths) == 1:
            files[table] = paths[0]
        elif len(paths) > 1:
            listed = ", ".join(p.name for p in paths)
            issues.append(issue(f"{table}.*", None, None, f"nhiều tệp cho cùng một bảng, chỉ giữ "
                                f"một / more than one file for one table: {listed}"))
        elif not TABLES[table].optional:
            hint = ""
            if other[table]:
                listed = ", ".join(p.name for p in other[table])
                hint = (f"; có {listed} nhưng định dạng không hỗ trợ, hãy lưu thành .csv hoặc "
                        f".xlsx / found {listed}, an unsupported format: save as .csv or .xlsx")
            issues.append(issue(f"{table}.*", None, None, f"thiếu tệp bắt buộc {table}.csv, "
                                f"{table}.xlsx hoặc {table}.parquet / required file missing"
                                f"{hint}"))
    return files, issues


# ----------------------------------------------------------------------------- headers


def _norm_key(text: object) -> str:
    """A header as compared: NFC, trimmed, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def _canonical(cell: object, known: set[str], opts: _Options) -> str | None:
    if cell is None:
        return None
    text = unicodedata.normalize("NFC", str(cell)).replace("\ufeff", "").strip()
    if not text:
        return None
    key = _norm_key(text)
    if key in opts.column_map:
        return opts.column_map[key]
    ident = re.sub(r"[\s\-]+", "_", key)
    return ident if ident in known else text


def _header_score(row: tuple[object, ...], table: str, opts: _Options) -> tuple[bool, int]:
    known = opts.known(table)
    names = {_canonical(c, known, opts) for c in row}
    return set(opts.required(table)) <= names, len(names & known)


def _find_header(
    rows: list[tuple[object, ...]], table: str, opts: _Options, explicit: int | None = None
) -> tuple[int, int]:
    """(0-based header row, the row that looks like the header) among the first rows.

    ``explicit`` is a 1-based header row the user set; it wins over the detection.
    """
    best, best_score = None, (False, 0)
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = _header_score(row, table, opts)
        if score > best_score:
            best, best_score = i, score
    if best is None:  # nothing looks like a header: the first non-empty row
        best = next((i for i, r in enumerate(rows) if any(_present(c) for c in r)), 0)
    if explicit is not None:
        return explicit - 1, best
    return best, best


def _present(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def _apply_header(
    frame: pl.DataFrame, cells: list[object], table: str, file: str, opts: _Options,
    first_row: int, header_line: int | None,
) -> tuple[pl.DataFrame, list[str], list[Issue]]:
    """Rename the raw columns to canonical names; drop unnamed empty columns; number rows."""
    known = opts.known(table)
    issues: list[Issue] = []
    names: list[str] = []
    keep: list[str] = []
    seen: dict[str, int] = {}
    for j, (col, cell) in enumerate(zip(frame.columns, cells, strict=True)):
        name = _canonical(cell, known, opts)
        if name is None:
            if frame[col].null_count() == frame.height:
                continue  # an empty, unnamed column (Excel formatting): not data
            name = f"column_{j + 1}"
        if name in seen:
            if name in known:
                issues.append(issue(file, header_line, name, f"cột xuất hiện nhiều lần (cột "
                                    f"{seen[name]} và {j + 1}) / column appears more than once "
                                    f"(columns {seen[name]} and {j + 1})"))
                continue
            name = f"{name}_{j + 1}"
        seen[name] = j + 1
        names.append(name)
        keep.append(col)
    frame = frame.select(pl.col(c).alias(n) for c, n in zip(keep, names, strict=True))
    return frame.with_columns(_row_numbers(frame, first_row)), names, issues


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


def _load(path: Path, data: bytes, table: str, opts: _Options) -> _Loaded:
    suffix = path.suffix.casefold()
    if suffix == ".csv":
        return _load_csv(path.name, data, table, opts)
    if suffix == ".xlsx":
        return _load_xlsx(path, table, opts)
    return _load_parquet(path, table, opts)


def _load_csv(name: str, data: bytes, table: str, opts: _Options) -> _Loaded:
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if _BLANK.match(data, start):
        raise _Unreadable(issue(name, None, None, MSG_EMPTY))
    head = data[start : start + _HEAD_BYTES]
    _sniff(name, head)
    if len(data) - start > _HEAD_BYTES:
        head = head[: head.rfind(b"\n") + 1] or head
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Unreadable(_utf8_issue(name, head, exc)) from None
    choice = None
    for sep in _DELIMITERS:
        rows = _csv_rows(text, sep)
        header, hint = _find_header(rows, table, opts)
        score = _header_score(rows[header], table, opts) if header < len(rows) else (False, 0)
        width = len(rows[header]) if header < len(rows) else 0
        if choice is None or (score, width > 1) > choice[0]:
            choice = ((score, width > 1), sep, header, hint)
    assert choice is not None
    _, sep, header, hint = choice
    try:
        frame = pl.read_csv(
            data, has_header=False, infer_schema=False, skip_rows=header, separator=sep,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as exc:
        raise _Unreadable(_csv_failure(name, data, exc, sep, header)) from None
    if frame.height == 0:
        raise _Unreadable(issue(name, None, None, MSG_EMPTY))
    cells = list(frame.row(0))
    frame, names, issues = _apply_header(frame.slice(1), cells, table, name, opts, header + 2, header + 1)
    if issues:
        raise _Unreadable(*issues)
    return _Loaded(frame, names, header + 1, "csv", hint + 1 if hint != header else None)


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
            raise _Unreadable(issue(name, None, None, f"tệp không phải bảng CSV (có vẻ là {what})"
                                    f" / file is not a CSV table (looks like {what})"))
    sample = body[:4096]
    utf16 = body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16 and b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        utf16 = max(even, odd) > 0.3 * (len(sample) / 2) and min(even, odd) == 0
        if not utf16:
            raise _Unreadable(issue(name, None, None, "tệp không phải bảng dữ liệu dạng văn bản "
                                    "/ file is not a text table (binary data)"))
    if utf16:
        raise _Unreadable(issue(name, None, None, "tệp mã hoá UTF-16; hãy lưu lại dạng CSV UTF-8"
                                " / file is UTF-16 encoded; save it as CSV UTF-8"))


def _utf8_issue(name: str, data: bytes, exc: UnicodeDecodeError) -> Issue:
    line = data.count(b"\n", 0, exc.start) + 1
    return issue(name, line, None, MSG_UTF8, data[exc.start : exc.start + 4].hex(" "))


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
                             f"{width}")
    except csv.Error as err:
        return issue(name, reader.line_num, None, f"dòng CSV hỏng / malformed CSV line: {err}")
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return issue(name, None, None, f"không đọc được tệp CSV / cannot parse the CSV file: {first}")


def _load_xlsx(path: Path, table: str, opts: _Options) -> _Loaded:
    name = path.name
    kwargs: dict[str, object] = {}
    if opts.sheet is not None:
        kwargs["sheet_name"] = opts.sheet
    try:
        # skip_rows=0 keeps empty rows at the top, so that row i is sheet row i + 1.
        raw = pl.read_excel(
            path, engine="calamine", has_header=False, infer_schema_length=0,
            drop_empty_rows=False, drop_empty_cols=False, raise_if_empty=False,
            read_options={"skip_rows": 0}, **kwargs,  # type: ignore[call-overload]
        )
    except Exception as exc:
        raise _Unreadable(_excel_failure(path, exc, opts.sheet)) from None
    if raw.height == 0 or raw.width == 0:
        raise _Unreadable(issue(name, None, None, "trang tính rỗng / the sheet is empty"))
    raw = raw.with_columns(pl.all().cast(pl.String))
    rows = raw.head(HEADER_SCAN_ROWS).rows()
    header, hint = _find_header(rows, table, opts, opts.header_row)
    if header >= raw.height:
        raise _Unreadable(issue(name, header + 1, None, "không có dòng tiêu đề này / no such "
                                "header row"))
    cells = list(raw.row(header))
    frame, names, issues = _apply_header(
        raw.slice(header + 1), cells, table, name, opts, header + 2, header + 1
    )
    if issues:
        raise _Unreadable(*issues)
    return _Loaded(frame, names, header + 1, "xlsx", hint + 1 if hint != header else None)


def _excel_failure(path: Path, exc: Exception, sheet: str | None) -> Issue:
    if sheet is not None:
        try:
            import fastexcel

            sheets = fastexcel.read_excel(path).sheet_names
        except Exception:
            sheets = None
        if sheets is not None and sheet not in sheets:
            listed = ", ".join(sheets)
            return issue(path.name, None, None, f"không có trang tính này; các trang có: {listed}"
                         f" / no such sheet; sheets: {listed}", sheet)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return issue(path.name, None, None, f"không mở được tệp Excel (.xlsx) / cannot open the "
                 f"Excel workbook: {first}")


def _load_parquet(path: Path, table: str, opts: _Options) -> _Loaded:
    try:
        raw = pl.read_parquet(path)
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _Unreadable(issue(path.name, None, None, f"không đọc được tệp Parquet / cannot "
                                f"read the Parquet file: {first}")) from None
    frame, names, issues = _apply_header(raw, list(raw.columns), table, path.name, opts, 1, None)
    if issues:
        raise _Unreadable(*issues)
    return _Loaded(frame, names, None, "parquet")


# ----------------------------------------------------------------------------- columns


def _missing_column_issues(loaded: _Loaded, table: str, file: str, opts: _Options) -> list[Issue]:
    found = list(loaded.header)
    missing = [c for c in opts.required(table) if c not in found]
    if not missing:
        return []
    listed = ", ".join(found) if found else "—"
    keys = {re.sub(r"[\s\-]+", "_", _norm_key(f)): f for f in found}
    out = []
    for col in missing:
        message = (
            "thiếu cột điểm mà tiêu chí dùng / score column used by the criteria is missing"
            if col not in TABLES[table].column_names
            else "thiếu cột bắt buộc / required column missing"
        )
        message += f"; cột có / columns found: {listed}"
        close = difflib.get_close_matches(col, list(keys), n=1, cutoff=0.6)
        if close:
            message += f"; có phải '{keys[close[0]]}'? / did you mean '{keys[close[0]]}'?"
        if loaded.header_hint is not None:
            message += (f"; dòng {loaded.header_hint} có vẻ là dòng tiêu đề / row "
                        f"{loaded.header_hint} looks like the header row")
        out.append(issue(file, loaded.header_line, col, message))
    return out


def _issue_order(i: Issue) -> tuple[str, int, str, str]:
    return (i.file, i.line or 0, i.where or "", i.message)

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
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from scoring.codes import Code
from scoring.errors import InputDataError, Issue, issue, suggestion
from scoring.inputs.contract import TABLES, empty_frame
from scoring.inputs.cross_checks import blank_date_issues, literal_issues, units_by_name
from scoring.inputs.data_source import DataSource
from scoring.inputs.frames import InputFrames, InputNeeds, SourceFile
from scoring.inputs.headers import HEADER_SCAN_ROWS, HeaderNames, drop_furniture, find_header, header_score
from scoring.inputs.locate import SUFFIXES, Source, locate_tables
from scoring.inputs.validation import MSG_MISSING_VALUE, ROW, prepare_table, relation_issues, row_issues
from scoring.inputs.vocabulary import HEADER_WORDS, norm_word
from scoring.inputs.workbook import column_letters, formula_cells_without_value

__all__ = ["read_inputs", "SUFFIXES", "MSG_UTF8"]

# Tables read at once: two keep both cores of the target machine busy.
READ_THREADS = 2
_HEAD_BYTES = 1 << 16
# Columns a table may have (named or not): a sheet HR fills has tens; a table's reading cost
# grows with its width, so a file of 20,000 columns is refused with what to do instead.
MAX_COLUMNS = 1000
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
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
MSG_FORMULA = (
    "ô là công thức chưa có giá trị đã lưu; hãy mở tệp bằng Excel hoặc "
    "LibreOffice và lưu lại / the cell is a formula with no saved value; open the file in "
    "Excel or LibreOffice and save it again"
)
MSG_UTF8 = "tệp không phải UTF-8; hãy lưu lại dạng CSV UTF-8 / file is not UTF-8; save it as CSV UTF-8"


class _Unreadable(Exception):
    """A file that cannot be read as a table at all; carries its issues."""

    def __init__(self, *issues: Issue):
        self.issues = list(issues)


@dataclass(frozen=True)
class _Options:
    column_map: dict[str, str]  # normalised user header -> contract name
    needs: InputNeeds
    sheet: str | None
    header_row: int | None
    period: str | None = None
    source: DataSource | None = None  # the data-source file: per-table layout and words

    def names(self, table: str) -> HeaderNames:
        extra = frozenset(self.needs.ranges) if table == "assessments" else frozenset()
        mapping = dict(self.column_map)
        if self.source is not None:
            declared = self.source.table(table)
            mapping |= dict(self.source.columns) | (dict(declared.columns) if declared else {})
        return HeaderNames(table, mapping, extra)

    def header(self, table: str, excel: bool) -> tuple[int | None, int]:
        """(1-based header row set by the user or None, how many rows the header spans): the
        data-source file's for any file, ``--header-row`` for workbooks only."""
        declared = self.source.table(table) if self.source else None
        if declared is not None and declared.header_row is not None:
            return declared.header_row, declared.header_rows
        return (self.header_row if excel else None), 1

    def value_words(self, table: str) -> dict[str, dict[str, str]]:
        declared = self.source.table(table) if self.source else None
        return {c: dict(w) for c, w in declared.values.items()} if declared else {}


@dataclass
class _Loaded:
    """A file as read: cells as strings (CSV, Excel) or native types (Parquet)."""

    frame: pl.DataFrame  # canonical column names, plus ROW
    header: list[str]  # canonical names in file order
    header_line: int | None
    kind: str  # "csv" | "xlsx" | "parquet"
    header_hint: int | None = None  # the row that looks like the header, when not used
    positions: dict[str, int] = field(default_factory=dict)  # name -> 0-based sheet column


# ----------------------------------------------------------------------------- public API


def read_inputs(
    data_dir: Path,
    *,
    column_map: Mapping[str, str] | None = None,
    assessment_ranges: Mapping[str, tuple[float, float]] | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    needs: InputNeeds | None = None,
    period: str | None = None,
    data_source: DataSource | None = None,
) -> InputFrames:
    """Read, type and validate every table of the input contract in ``data_dir``.

    ``data_dir`` is a folder of table files or one workbook (``scoring.inputs.locate`` says which
    file and sheet hold each table). ``column_map`` maps the user's headers (``Mã cán bộ``)
    to contract names (``employee_id``); headers that differ from a contract name only by
    case, spaces or hyphens, and the built-in Vietnamese headers, match anyway. ``needs``
    (``scoring.rules.needs.criteria_needs``) says what the criteria read: assessment score columns
    and their range, optional columns that must be present, ``where`` values that must occur;
    ``assessment_ranges`` is the older way to give the ranges alone. ``sheet`` picks the
    sheet of a one-table workbook (default: its only visible sheet, or the one named after
    the table), ``header_row`` its 1-based header row (default: found per file, which skips
    title rows). ``period`` is the label of the period scored: an assessments table without
    a period column holds that period's assessments. ``data_source`` (a checked data-source
    file, ``scoring.inputs.data_source``) says per table the file, sheet, header row, column
    mapping and value words; it wins over ``sheet`` and ``header_row`` for the tables it names.

    Raises ``InputDataError`` with every issue found, sorted by file, row and column.
    """
    data_dir = Path(data_dir)
    needs = needs or InputNeeds()
    if assessment_ranges:
        ranges = {k: (float(lo), float(hi)) for k, (lo, hi) in assessment_ranges.items()}
        needs = InputNeeds(ranges=needs.ranges | ranges, columns=needs.columns,
                           literals=needs.literals, dates=needs.dates)
    opts = _Options(
        column_map={norm_word(k): str(v).strip() for k, v in (column_map or {}).items()},
        needs=needs, sheet=sheet, header_row=header_row, period=period, source=data_source,
    )
    if header_row is not None and header_row < 1:
        raise InputDataError([issue("header_row", None, None, "phải ≥ 1 / must be at least 1", header_row,
                                    code=Code.HEADER_ROW)])
    located = locate_tables(data_dir, opts.names, sheet, data_source)
    files, issues = located.sources, list(located.issues)
    # Tables are read on two threads, the largest files first (Polars releases the GIL; one
    # table's steps do not all use both cores); their results are taken in contract order.
    largest = sorted(files, key=lambda t: -_size(files[t].path))
    with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
        futures = {t: pool.submit(_read_table, files[t], opts) for t in largest}
        results = {t: futures[t].result() for t in files}
    frames: dict[str, pl.DataFrame] = {}
    names: dict[str, str] = {}
    sources: list[SourceFile] = []
    for table, (frame, source, found) in results.items():  # contract order
        issues += found
        if frame is not None and source is not None:
            frames[table], names[table] = frame, files[table].label
            sources.append(source)
    frames, found = units_by_name(frames, names)
    issues += found + relation_issues(frames, names)
    issues += literal_issues(frames, names, needs)
    issues += blank_date_issues(frames, names, needs, issues)
    if issues:
        raise InputDataError(sorted(issues, key=_issue_order),
                             read=[(t, files[t].label) for t in files],
                             ignored=[(f.path, f.reason) for f in located.ignored])
    out = {t: frames[t].drop(ROW) if t in frames else empty_frame(t) for t in TABLES}
    return InputFrames(**out, sources=tuple(sources), ignored=tuple(located.ignored))


def _rows_text(rows: list[int]) -> str | None:
    """``rows 41–44`` of the signature block, as the user sees them (None when there is none)."""
    if not rows:
        return None
    span = f"{rows[0]}" if len(rows) == 1 else f"{rows[0]}–{rows[-1]}"
    return (f"dòng {span} dưới bảng (phần chữ ký) không phải dữ liệu / rows {span} below the "
            f"table (signature block) are not data")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported when the file is read


def _read_table(
    src: Source, opts: _Options
) -> tuple[pl.DataFrame | None, SourceFile | None, list[Issue]]:
    """Read, type and check one file on its own: (frame with ROW, source, issues)."""
    table, path, label = src.table, src.path, src.label
    try:
        data = path.read_bytes()
        loaded = _load(src, data, opts)
    except _Unreadable as exc:
        return None, None, exc.issues
    except OSError as exc:
        return None, None, [issue(label, None, None, "không đọc được tệp / cannot read "
                                  "file", exc.strerror or str(exc), code=Code.FILE_UNREADABLE)]
    if len(loaded.header) > MAX_COLUMNS:  # the cost of a table grows with its width
        return None, None, [issue(
            label, loaded.header_line, None,
            f"bảng có {len(loaded.header)} cột, nhiều hơn mức tối đa {MAX_COLUMNS}; hãy xoá các "
            "cột không dùng (hoặc chỉ xuất các cột của bảng) rồi chạy lại / the table has "
            f"{len(loaded.header)} columns, more than the maximum of {MAX_COLUMNS}; delete the "
            "columns that are not used (or export only the table's columns) and run again",
            code=Code.TOO_MANY_COLUMNS)]
    if table == "assessments" and opts.period and "period" not in loaded.header:
        loaded.frame = loaded.frame.with_columns(pl.lit(opts.period).alias("period"))
        loaded.header.append("period")
    issues = _missing_column_issues(loaded, table, label, opts)
    raw, below = loaded.frame, list[int]()
    if loaded.kind != "parquet":
        raw, below = drop_furniture(raw, table, ROW)
    frame, found = prepare_table(
        raw, table, label, header=loaded.header, excel=loaded.kind == "xlsx",
        assessment_ranges=opts.needs.ranges, value_words=opts.value_words(table),
    )
    if loaded.kind == "xlsx":
        found = _formula_issues(found, src, loaded, opts.names(table).known)
    source = SourceFile(table, path.name, hashlib.sha256(data).hexdigest(), frame.height,
                        src.sheet if " › " in label else None, _rows_text(below))
    return frame, source, issues + found


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


def _load(src: Source, data: bytes, opts: _Options) -> _Loaded:
    suffix = src.path.suffix.casefold()
    names = opts.names(src.table)
    if suffix == ".csv":
        return _load_csv(src.label, data, names, opts.header(src.table, excel=False))
    if suffix == ".xlsx":
        return _load_xlsx(src, names, opts)
    return _load_parquet(src.path, names)


def _load_csv(name: str, data: bytes, names: HeaderNames, explicit: tuple[int | None, int]) -> _Loaded:
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if _BLANK.match(data, start):
        raise _Unreadable(issue(name, None, None, MSG_EMPTY, code=Code.FILE_EMPTY))
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
        raise _Unreadable(_csv_failure(name, data, exc, sep, header)) from None
    if frame.height == 0:
        raise _Unreadable(issue(name, None, None, MSG_EMPTY, code=Code.FILE_EMPTY))
    frame, out, positions, issues = _apply_header(frame.slice(1), cells, names, name, header + 2, header + 1)
    if issues:
        raise _Unreadable(*issues)
    return _Loaded(frame, out, header + 1, "csv", hint + 1 if hint != header else None, positions)


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
                                    f" / file is not a CSV table (looks like {what})", code=Code.NOT_A_TABLE))
    sample = body[:4096]
    utf16 = body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16 and b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        utf16 = max(even, odd) > 0.3 * (len(sample) / 2) and min(even, odd) == 0
        if not utf16:
            raise _Unreadable(issue(name, None, None, "tệp không phải bảng dữ liệu dạng văn bản "
                                    "/ file is not a text table (binary data)", code=Code.NOT_A_TABLE))
    if utf16:
        raise _Unreadable(issue(name, None, None, "tệp mã hoá UTF-16; hãy lưu lại dạng CSV UTF-8"
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


def _load_xlsx(src: Source, names: HeaderNames, opts: _Options) -> _Loaded:
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
        raise _Unreadable(_excel_failure(path, exc)) from None
    if raw.height == 0 or raw.width == 0:
        raise _Unreadable(issue(name, None, None, "trang tính rỗng / the sheet is empty",
                                code=Code.FILE_EMPTY))
    raw = raw.with_columns(pl.all().cast(pl.String))
    rows = raw.head(HEADER_SCAN_ROWS).rows()
    header, cells, hint = find_header(rows, names, *opts.header(src.table, excel=True))
    if header >= raw.height:
        raise _Unreadable(issue(name, header + 1, None, "không có dòng tiêu đề này / no such "
                                "header row", code=Code.HEADER_ROW))
    frame, out, positions, issues = _apply_header(
        raw.slice(header + 1), cells, names, name, header + 2, header + 1
    )
    if issues:
        raise _Unreadable(*issues)
    return _Loaded(frame, out, header + 1, "xlsx", hint + 1 if hint != header else None, positions)


def _excel_failure(path: Path, exc: Exception) -> Issue:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return issue(path.name, None, None, f"không mở được tệp Excel (.xlsx) / cannot open the "
                 f"Excel workbook: {first}", code=Code.EXCEL_UNREADABLE)


def _formula_issues(found: list[Issue], src: Source, loaded: _Loaded, known: set[str]) -> list[Issue]:
    """Formula cells with no saved value in the table's columns: the Excel engine reads them
    as empty, which would silently mean "no value"; each is an error (replacing a "required
    value is missing" for the same cell)."""
    empty = formula_cells_without_value(src.path, src.sheet_part)
    if not empty:
        return found
    letters = {column_letters(j): name for name, j in loaded.positions.items() if name in known}
    cells = sorted(
        (int(m[2]), letters[m[1]]) for ref in empty
        if (m := _CELL_REF.fullmatch(ref)) and m[1] in letters and int(m[2]) > (loaded.header_line or 0)
    )
    if not cells:
        return found
    taken = set(cells)
    rest = [i for i in found if not (i.message == MSG_MISSING_VALUE and (i.line, i.where) in taken)]
    by_column: dict[str, list[int]] = {}
    for row, name in cells:
        by_column.setdefault(name, []).append(row)
    for name, rows in by_column.items():
        rest += row_issues(src.label, name, MSG_FORMULA, pl.DataFrame({"row": rows}), code=Code.CELL_FORMULA)
    return rest


def _load_parquet(path: Path, names: HeaderNames) -> _Loaded:
    try:
        raw = pl.read_parquet(path, glob=False)
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _Unreadable(issue(path.name, None, None, f"không đọc được tệp Parquet / cannot "
                                f"read the Parquet file: {first}", code=Code.PARQUET_UNREADABLE)) from None
    frame, out, positions, issues = _apply_header(raw, list(raw.columns), names, path.name, 1, None)
    if issues:
        raise _Unreadable(*issues)
    return _Loaded(frame, out, None, "parquet", positions=positions)


# ----------------------------------------------------------------------------- columns


def _missing_column_issues(loaded: _Loaded, table: str, file: str, opts: _Options) -> list[Issue]:
    found = list(loaded.header)
    required = opts.names(table).required
    used = sorted(opts.needs.columns.get(table, frozenset()) - set(required))
    missing = [c for c in (*required, *used) if c not in found]
    if not missing:
        return []
    listed = ", ".join(found) if found else "—"
    out = []
    for col in missing:
        if col in used:
            message = ("thiếu cột mà tiêu chí dùng (không có cột này mọi người sẽ bị tính như "
                       "không có giá trị) / column used by the criteria is missing (without it "
                       "everyone would count as having no value)")
        elif col not in TABLES[table].column_names:
            message = "thiếu cột điểm mà tiêu chí dùng / score column used by the criteria is missing"
        else:
            message = "thiếu cột bắt buộc / required column missing"
        message += f"; cột có / columns found: {listed}"
        close = _closest(col, table, [f for f in found if f not in TABLES[table].column_names])
        if close:
            message += suggestion(close)
        if loaded.header_hint is not None:
            message += (f"; dòng {loaded.header_hint} có vẻ là dòng tiêu đề / row "
                        f"{loaded.header_hint} looks like the header row")
        elif loaded.header_line is not None and loaded.header_line > 1:
            message += (f"; dòng tiêu đề là dòng {loaded.header_line} (các dòng trên là tiêu đề "
                        f"bảng) / the header is row {loaded.header_line} (the rows above are titles)")
        out.append(issue(file, loaded.header_line, col, message, code=Code.COLUMN_MISSING))
    return out


def _closest(column: str, table: str, headers: list[str]) -> str | None:
    """The header most like ``column``: its name or one of its Vietnamese headers."""
    words = [column, *HEADER_WORDS.get(table, {}).get(column, ())]
    keys = {norm_word(h): h for h in headers}
    best: tuple[float, str] | None = None
    for word in words:
        for key in difflib.get_close_matches(norm_word(word), list(keys), n=1, cutoff=0.6):
            ratio = difflib.SequenceMatcher(None, norm_word(word), key).ratio()
            if best is None or ratio > best[0]:
                best = (ratio, keys[key])
        ident = re.sub(r"[\s\-]+", "_", norm_word(word))
        for key, h in keys.items():
            if re.sub(r"[\s\-]+", "_", key) == ident:
                return h
    return best[1] if best else None


def _issue_order(i: Issue) -> tuple[str, int, str, str]:
    return (i.file, i.line or 0, i.where or "", i.message)

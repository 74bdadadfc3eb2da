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

import difflib
import hashlib
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from scoring.codes import Code
from scoring.errors import InputDataError, Issue, issue, suggestion
from scoring.inputs.contract import TABLES, empty_frame
from scoring.inputs.cross_checks import blank_date_issues, literal_issues, units_by_name
from scoring.inputs.data_source import DataSource
from scoring.inputs.file_loading import MSG_UTF8, Loaded, Unreadable, load_csv, load_parquet, load_xlsx
from scoring.inputs.frames import InputFrames, InputNeeds, SourceFile
from scoring.inputs.headers import HeaderNames, drop_furniture
from scoring.inputs.locate import SUFFIXES, Source, locate_tables
from scoring.inputs.validation import MSG_MISSING_VALUE, ROW, prepare_table, relation_issues, row_issues
from scoring.inputs.vocabulary import HEADER_WORDS, norm_word
from scoring.inputs.workbook import column_letters, formula_cells_without_value

__all__ = ["read_inputs", "SUFFIXES", "MSG_UTF8"]

# Tables read at once: two keep both cores of the target machine busy.
READ_THREADS = 2
# Columns a table may have (named or not): a sheet HR fills has tens; a table's reading cost
# grows with its width, so a file of 20,000 columns is refused with what to do instead.
MAX_COLUMNS = 1000

_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
MSG_FORMULA = (
    "ô là công thức chưa có giá trị đã lưu; hãy mở tệp bằng Excel hoặc "
    "LibreOffice và lưu lại / the cell is a formula with no saved value; open the file in "
    "Excel or LibreOffice and save it again"
)


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
    opts = _options(column_map, assessment_ranges, sheet, header_row, needs, period, data_source)
    located = locate_tables(data_dir, opts.names, sheet, data_source)
    files, issues = located.sources, list(located.issues)
    results = _read_tables(files, opts)
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
    issues += literal_issues(frames, names, opts.needs)
    issues += blank_date_issues(frames, names, opts.needs, issues)
    if issues:
        raise InputDataError(sorted(issues, key=_issue_order),
                             read=[(t, files[t].label) for t in files],
                             ignored=[(f.path, f.reason) for f in located.ignored])
    out = {t: frames[t].drop(ROW) if t in frames else empty_frame(t) for t in TABLES}
    return InputFrames(**out, sources=tuple(sources), ignored=tuple(located.ignored))


def _options(
    column_map: Mapping[str, str] | None,
    assessment_ranges: Mapping[str, tuple[float, float]] | None,
    sheet: str | None,
    header_row: int | None,
    needs: InputNeeds | None,
    period: str | None,
    data_source: DataSource | None,
) -> _Options:
    """``read_inputs``' arguments as one value; a header row below 1 is refused first."""
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
    return opts


_TableResult = tuple[pl.DataFrame | None, SourceFile | None, list[Issue]]


def _read_tables(files: Mapping[str, Source], opts: _Options) -> dict[str, _TableResult]:
    # Tables are read on two threads, the largest files first (Polars releases the GIL; one
    # table's steps do not all use both cores); their results are taken in contract order.
    largest = sorted(files, key=lambda t: -_size(files[t].path))
    with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
        futures = {t: pool.submit(_read_table, files[t], opts) for t in largest}
        return {t: futures[t].result() for t in files}


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


def _read_table(src: Source, opts: _Options) -> _TableResult:
    """Read, type and check one file on its own: (frame with ROW, source, issues)."""
    table, path, label = src.table, src.path, src.label
    try:
        data = path.read_bytes()
        loaded = _load(src, data, opts)
    except Unreadable as exc:
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


def _load(src: Source, data: bytes, opts: _Options) -> Loaded:
    suffix = src.path.suffix.casefold()
    names = opts.names(src.table)
    if suffix == ".csv":
        return load_csv(src.label, data, names, opts.header(src.table, excel=False))
    if suffix == ".xlsx":
        return load_xlsx(src, names, opts.header(src.table, excel=True))
    return load_parquet(src.path, names)


def _formula_issues(found: list[Issue], src: Source, loaded: Loaded, known: set[str]) -> list[Issue]:
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


# ----------------------------------------------------------------------------- columns


def _missing_column_issues(loaded: Loaded, table: str, file: str, opts: _Options) -> list[Issue]:
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

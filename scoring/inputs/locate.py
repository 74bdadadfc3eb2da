"""Which file (and sheet) holds each table of a data folder or of a single workbook.

A table is found by its file's name (``staff.csv``, ``Danh sách cán bộ.xlsx``, ``Kết quả đánh
giá quý I.xlsx``), or by a sheet's name inside a workbook that holds several tables. Every
other file is reported: as an error when it looks like a table (its header holds a table's
required columns: it would otherwise be skipped and people rated without it), else as ignored,
with the reason. Only visible sheets are read; when a table's workbook has several visible
sheets and none is named after the table, the one whose header holds the table's columns is
read, and a choice between several is refused naming them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from scoring.codes import Code
from scoring.errors import Issue, did_you_mean, issue
from scoring.inputs.contract import TABLES
from scoring.inputs.data_source import DataSource, TableSource
from scoring.inputs.frames import IgnoredFile
from scoring.inputs.headers import HEADER_SCAN_ROWS, HeaderNames, header_score
from scoring.inputs.vocabulary import table_of_name
from scoring.inputs.workbook import Sheet, workbook_sheets

__all__ = ["Source", "Located", "locate_tables", "SUFFIXES"]

SUFFIXES = (".csv", ".xlsx", ".parquet")


@dataclass(frozen=True, slots=True)
class Source:
    """Where one table is read from; ``sheet`` for a workbook (a visible sheet's name)."""

    table: str
    path: Path
    sheet: str | None = None
    sheet_part: str | None = None
    label: str = ""  # the name errors use: the file, or "file › sheet" in a many-sheet workbook


@dataclass
class Located:
    sources: dict[str, Source]
    ignored: list[IgnoredFile]
    issues: list[Issue]


Names = Callable[[str], HeaderNames]


def locate_tables(data: Path, names: Names, sheet: str | None = None,
                  source: DataSource | None = None) -> Located:
    """The one source of each table (contract order), what was ignored and the problems.

    ``data`` is a folder or one workbook (or table file); ``sheet`` names the sheet to read in
    a one-table workbook (``--sheet``). ``source`` (a data-source file) names the file and
    sheet of some tables: a file it names is read only as those tables; another file named
    after such a table is listed as ignored, saying which file holds the table.
    """
    if data.is_file():
        paths = [data]
    elif data.is_dir():
        paths = sorted(p for p in data.iterdir() if p.is_file())
    else:
        return Located({}, [], [issue(str(data), None, None, "không có thư mục hoặc tệp dữ liệu "
                                      "này / no such data folder or file", code=Code.NO_DATA)])
    search = _Search()
    declared = {t: s for t, s in (source.tables.items() if source else ()) if s.file or s.sheet}
    _read_declared(search, data, declared, names, source, paths)
    for path in paths:
        _scan_file(search, path, data, declared, names, sheet, source)
    return Located(_one_per_table(search), search.ignored, search.issues)


@dataclass
class _Search:
    """What ``locate_tables`` has found so far, table by table."""

    found: dict[str, list[Source]] = field(default_factory=lambda: {t: [] for t in TABLES})
    unsupported: dict[str, list[Path]] = field(default_factory=lambda: {t: [] for t in TABLES})
    ignored: list[IgnoredFile] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # tables whose own file had a problem (no "missing" on top)
    reported: set[str] = field(default_factory=set)
    # declared files and the sheets read from them
    taken: dict[Path, set[str | None]] = field(default_factory=dict)
    failed: set[Path] = field(default_factory=set)


def _read_declared(search: _Search, data: Path, declared: dict[str, TableSource], names: Names,
                   source: DataSource | None, paths: list[Path]) -> None:
    """The files and sheets the data-source file names, read first."""
    base = data if data.is_dir() else data.parent
    for name, spec in declared.items():
        path = base / spec.file if spec.file else (data if data.is_file() else None)
        if path is None:
            continue  # a sheet only: the table's file is found by its name, below
        assert source is not None
        kind, value = _declared(path, spec, names, source.name, paths)
        search.taken.setdefault(path, set()).add(value.sheet if kind == "source" else spec.sheet)
        if kind == "source":
            search.found[name].append(value)
        else:
            search.issues.append(value)
            search.reported.add(name)
            search.failed.add(path)  # the declaration's own error says what is wrong with the file


def _scan_file(search: _Search, path: Path, data: Path, declared: dict[str, TableSource],
               names: Names, sheet: str | None, source: DataSource | None) -> None:
    """One file of the folder: the tables it holds, or why it is ignored or refused."""
    from_file = {t for t, spec in declared.items() if spec.file}
    if source is not None and path.name == source.name:
        search.ignored.append(IgnoredFile(path.name, "tệp nguồn dữ liệu / the data-source file"))
        return
    if path in search.taken and (path.suffix.casefold() != ".xlsx" or path in search.failed):
        return
    table = table_of_name(path.stem)
    if table in from_file and path not in search.taken:
        holder = search.found[table][0].label if search.found[table] else str(declared[table].file)
        search.ignored.append(IgnoredFile(path.name, f"bảng {table} đọc từ {holder} theo tệp nguồn "
                                          f"dữ liệu / {table} is read from {holder}, as the "
                                          f"data-source file says"))
        return
    wanted = declared[table].sheet if table in declared else sheet
    for kind, value in _classify(path, names, wanted, frozenset(search.taken.get(path, ()))):
        if kind == "source":
            if value.table in declared and (value.table in from_file or data.is_file()):
                continue  # the data-source file's choice is read instead
            search.found[value.table].append(value)
        elif kind == "unsupported":
            search.unsupported[value[0]].append(path)
        elif kind == "ignored":
            search.ignored.append(IgnoredFile(path.name, value))
        else:
            search.issues.append(value)
            search.reported.update([table] if table else [])


def _one_per_table(search: _Search) -> dict[str, Source]:
    """Each table's one source; two for a table, or none for a required one, is an issue."""
    sources: dict[str, Source] = {}
    for table, candidates in search.found.items():
        if len(candidates) == 1:
            sources[table] = candidates[0]
        elif len(candidates) > 1:
            listed = ", ".join(s.label for s in candidates)
            search.issues.append(issue(f"{table}.*", None, None, f"nhiều tệp hoặc trang cho cùng một "
                                       f"bảng, chỉ giữ một / more than one file or sheet for one table: "
                                       f"{listed}", code=Code.TABLE_TWICE))
        elif not TABLES[table].optional and table not in search.reported:
            search.issues.append(_missing_table(table, search.unsupported[table]))
    return sources


def _declared(path: Path, spec: TableSource, names: Names, source: str, paths: list[Path]):
    """("source", Source) of a table whose file the data-source file names, or ("issue", …)."""
    table = spec.table
    where = f"tables.{table}.file"
    if not path.is_file():
        there = [p.name for p in paths]
        hint = did_you_mean(spec.file or "", there, cutoff=0.5)
        return "issue", issue(source, spec.file_line, where, f"không có tệp này trong thư mục dữ "
                              f"liệu / no such file in the data folder{hint}; tệp có / files "
                              f"there: {', '.join(there) or '—'}", spec.file, code=Code.SOURCE_FILE_MISSING)
    suffix = path.suffix.casefold()
    if suffix not in SUFFIXES:
        return "issue", issue(source, spec.file_line, where, "định dạng không hỗ trợ, hãy lưu thành "
                              ".csv hoặc .xlsx / unsupported format: save as .csv or .xlsx",
                              spec.file, code=Code.SOURCE_FILE_MISSING)
    if suffix != ".xlsx":
        return "source", Source(table, path, label=path.name)
    sheets = workbook_sheets(path)
    if sheets is None:  # the Excel engine says why when the file is read
        return "source", Source(table, path, label=path.name)
    visible = [s for s in sheets if s.visible]
    if spec.sheet is not None:
        chosen = next((s for s in sheets if s.name == spec.sheet), None)
        if chosen is None or not chosen.visible:
            listed = ", ".join(s.name for s in visible)
            what = "trang tính bị ẩn" if chosen else "không có trang tính này"
            what_en = "the sheet is hidden" if chosen else "no such sheet"
            return "issue", issue(source, spec.sheet_line, f"tables.{table}.sheet", f"{what} trong "
                                  f"{path.name}; các trang hiện có: {listed} / {what_en} in "
                                  f"{path.name}; visible sheets: {listed}", spec.sheet,
                                  code=Code.SOURCE_FILE_MISSING)
        return "source", _sheet_source(table, path, chosen, len(visible))
    own = [s for s in visible if table_of_name(s.name) == table]
    if len(own) == 1 or len(visible) == 1:
        return "source", _sheet_source(table, path, (own or visible)[0], len(visible))
    return _pick_sheet(path, table, visible, [s.name for s in sheets if not s.visible], names)


def _missing_table(table: str, other: list[Path]) -> Issue:
    hint = ""
    if other:
        listed = ", ".join(p.name for p in other)
        hint = (f"; có {listed} nhưng định dạng không hỗ trợ, hãy lưu thành .csv hoặc .xlsx / "
                f"found {listed}, an unsupported format: save as .csv or .xlsx")
    return issue(f"{table}.*", None, None, f"thiếu tệp bắt buộc {table}.csv, {table}.xlsx hoặc "
                 f"{table}.parquet (hoặc tên tiếng Việt của bảng, xem docs/inputs.md) / required "
                 f"file missing (or the table's Vietnamese name, see docs/inputs.md){hint}",
                 code=Code.TABLE_MISSING)


def _classify(path: Path, names: Names, sheet: str | None, skip: frozenset[str | None] = frozenset()):
    """(kind, value) pairs for one file: sources, ignored reasons, issues; the sheets in
    ``skip`` are read as the data-source file says (not classified again)."""
    name, suffix = path.name, path.suffix.casefold()
    if name.startswith((".", "~$")):
        return [("ignored", "tệp ẩn hoặc tệp khoá của Excel / hidden file or Excel lock file")]
    table = table_of_name(path.stem)
    if suffix not in SUFFIXES:
        if table is not None:
            return [("unsupported", (table,))]
        return [("ignored", "không phải tệp bảng (.csv, .xlsx, .parquet) / not a table file")]
    if suffix == ".xlsx":
        return _classify_workbook(path, table, names, sheet, skip)
    if table is not None:
        return [("source", Source(table, path, label=name))]
    return _unnamed(path, _first_rows(path, suffix), names)


def _classify_workbook(path: Path, table: str | None, names: Names, sheet: str | None,
                       skip: frozenset[str | None] = frozenset()):
    sheets = workbook_sheets(path)
    if sheets is None:  # not readable as a workbook: the Excel engine says why
        return [("source", Source(table, path, label=path.name))] if table else \
            [("ignored", "không mở được tệp Excel / cannot open the workbook")]
    visible = [s for s in sheets if s.visible]
    hidden = [s.name for s in sheets if not s.visible]
    if skip and all(s.name in skip for s in visible):
        return []  # every sheet is read as the data-source file says
    if sheet is not None and table is not None:
        chosen = next((s for s in sheets if s.name == sheet), None)
        if chosen is None or not chosen.visible:
            listed = ", ".join(s.name for s in visible)
            what = "trang tính bị ẩn" if chosen else "không có trang tính này"
            what_en = "the sheet is hidden" if chosen else "no such sheet"
            return [("issue", issue(path.name, None, None, f"{what}; các trang hiện có: {listed} / "
                                    f"{what_en}; visible sheets: {listed}", sheet, code=Code.SHEET))]
        return [("source", _sheet_source(table, path, chosen, len(visible)))]
    by_name = [(table_of_name(s.name), s) for s in visible if s.name not in skip]
    tables = [(t, s) for t, s in by_name if t is not None]
    if table is not None and len(tables) < 2 and not skip:
        own = [s for t, s in tables if t == table]
        if len(own) == 1 or len(visible) == 1:
            chosen = own[0] if own else visible[0]
            return [("source", _sheet_source(table, path, chosen, len(visible)))]
        return [_pick_sheet(path, table, visible, hidden, names)]
    if tables:  # a workbook holding several tables, one a sheet
        out = [("source", _sheet_source(t, path, s, len(visible))) for t, s in tables]
        rest = [s for t, s in by_name if t is None]
        for s in rest:
            out += _unnamed(path, _sheet_rows(path, s.name), names, s.name)
        return out
    rows = [_sheet_rows(path, s.name) for s in visible if s.name not in skip]
    out = _unnamed(path, [r for rs in rows for r in rs], names)
    return [r for r in out if r[0] != "ignored"] if skip else out  # the file is read


def _sheet_source(table: str, path: Path, s: Sheet, visible: int) -> Source:
    label = f"{path.name} › {s.name}" if visible > 1 else path.name
    return Source(table, path, s.name, s.part, label)


def _pick_sheet(path: Path, table: str, visible: list[Sheet], hidden: list[str], names: Names):
    """The one visible sheet whose header holds the table's required columns."""
    holding = [s for s in visible
               if any(header_score(r, names(table))[0] for r in _sheet_rows(path, s.name))]
    if len(holding) == 1:
        return ("source", _sheet_source(table, path, holding[0], len(visible)))
    listed = ", ".join(s.name for s in (holding or visible))
    hidden_note = f"; trang ẩn (không đọc) / hidden sheets (not read): {', '.join(hidden)}" if hidden else ""
    return ("issue", issue(path.name, None, None, f"không rõ đọc trang tính nào cho bảng {table}: "
                           f"{listed}; hãy chọn bằng --sheet hoặc tệp nguồn dữ liệu / which sheet "
                           f"holds {table} is ambiguous: {listed}; choose one with --sheet or the "
                           f"data-source file{hidden_note}", code=Code.SHEET))


def _unnamed(path: Path, rows: list[tuple[object, ...]], names: Names, sheet: str | None = None):
    """A file (or sheet) not named after a table: an error if its header is a table's."""
    where = f"{path.name} › {sheet}" if sheet else path.name
    for table in TABLES:
        if any(header_score(r, names(table))[0] for r in rows):
            return [("issue", issue(where, None, None, f"có vẻ là bảng {table} nhưng tên không phải "
                                    f"tên bảng; hãy đổi tên thành {table} (hoặc tên tiếng Việt của "
                                    f"bảng) hoặc khai báo trong tệp nguồn dữ liệu / looks like the "
                                    f"{table} table but is not named after a table: rename it "
                                    f"{table} (or the table's Vietnamese name) or declare it in "
                                    f"the data-source file", code=Code.NOT_NAMED_AS_TABLE))]
    what = f"trang {sheet}" if sheet else "tệp"
    return [("ignored", f"{what} không mang tên bảng nào và tiêu đề không khớp bảng nào / "
                        f"named after no table, and its header matches no table")]


def _first_rows(path: Path, suffix: str) -> list[tuple[object, ...]]:
    try:
        if suffix == ".parquet":
            return [tuple(pl.read_parquet_schema(path))]
        text = path.read_bytes()[: 1 << 16].decode("utf-8-sig", errors="replace")
    except Exception:
        return []
    rows: list[tuple[object, ...]] = []
    for sep in (",", ";", "\t"):
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
            rows += [tuple(r) for _, r in zip(range(HEADER_SCAN_ROWS), reader, strict=False)]
        except csv.Error:
            continue
    return rows


def _sheet_rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    try:
        raw = pl.read_excel(path, sheet_name=sheet, engine="calamine", has_header=False,
                            infer_schema_length=0, drop_empty_rows=False, raise_if_empty=False,
                            read_options={"n_rows": HEADER_SCAN_ROWS})
    except Exception:
        return []
    return raw.rows()

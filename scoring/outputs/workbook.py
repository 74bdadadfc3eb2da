"""A printable Excel workbook, fast: xlsxwriter lays the sheets out, Polars writes the cells.

xlsxwriter (well kept, the writer behind Polars' and pandas' ``write_excel``) writes everything
that has to be exactly right for Excel and LibreOffice: styles, number formats, column widths,
header rows, frozen panes, page setup, print titles, page header and footer, document
properties. It is pure Python, though, and costs a few microseconds a cell: at 27,000 staff the
scores sheet alone took 6.6 s. So each sheet is laid out by xlsxwriter with one *template row*
of empty cells carrying each column's style; that row is then replaced by the data rows,
built as XML by Polars expressions (vectorised, in Rust) in the form xlsxwriter's
``constant_memory`` mode writes them (inline strings, ``<v>`` numbers), and streamed into the
ZIP archive in slices.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import polars as pl

__all__ = ["Column", "Sheet", "write_workbook"]

_SLICE_ROWS = 10_000
# Row heights are not computed by every spreadsheet program from wrapped text (LibreOffice
# keeps the default height), so each row gets the height of its longest cell: characters a
# line per unit of column width, for 10 pt text in the widest usual fallback font (DejaVu Sans,
# a little wider than Calibri: Excel shows a little spare room rather than cut text).
_CHARS_PER_WIDTH = 1.2
_BOLD_CHARS_PER_WIDTH = 1.05
_LINE_POINTS = 12.75
_MAX_ROW_POINTS = 409.0  # Excel's largest row height
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Column:
    """One column: the frame's column ``name``, its header text, width and number format
    (``None`` for text)."""

    name: str
    header: str
    width: float = 10.0
    num_format: str | None = None


@dataclass(frozen=True)
class Sheet:
    """One sheet: ``frame`` holds the cells (text or numbers), ``columns`` their order.

    ``bands`` is an optional header row above the column headers: ``(first, last, text)``
    spans over column indexes (e.g. a group of criteria items). ``page_header`` and
    ``page_footer`` use Excel's ``&L``/``&C``/``&R`` codes; literal ``&`` must be ``&&``.
    """

    name: str
    frame: pl.DataFrame
    columns: Sequence[Column]
    bands: Sequence[tuple[int, int, str]] = ()
    page_header: str = ""
    page_footer: str = "&CTrang &P/&N"
    header_height: float | None = None  # points; None: from the longest header
    options: dict[str, object] = field(default_factory=dict)


def write_workbook(sheets: Sequence[Sheet], path: Path, *, created: datetime, title: str) -> Path:
    """Write ``sheets`` to ``path`` (A4 landscape, one page wide, header rows on every page)."""
    sheets = [replace(s, columns=[_fit_header_words(c) for c in s.columns]) for s in sheets]
    skeleton = _skeleton(sheets, created=created, title=title)
    with zipfile.ZipFile(io.BytesIO(skeleton)) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if m is None:
                out.writestr(_stable(info), data)
                continue
            sheet = sheets[int(m[1]) - 1]
            with out.open(_stable(info), "w") as fh:
                for chunk in _spliced(data.decode("utf-8"), sheet):
                    fh.write(chunk.encode("utf-8"))
    return path


def _fit_header_words(col: Column) -> Column:
    """``col`` widened, if need be, so that the longest word of its bold header fits on one
    line: a spreadsheet breaks a word that does not fit mid-word ("Complian|ce")."""
    longest = max((len(w) for w in col.header.split()), default=0)
    need = round(longest / _BOLD_CHARS_PER_WIDTH + 1, 1)
    return col if need <= col.width else replace(col, width=need)


def _stable(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """The same member with a fixed date: same inputs, same bytes."""
    fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
    fixed.compress_type = zipfile.ZIP_DEFLATED
    return fixed


def _header_rows(sheet: Sheet) -> int:
    return 2 if sheet.bands else 1


def _skeleton(sheets: Sequence[Sheet], *, created: datetime, title: str) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"created": created, "author": "scoring", "title": title})
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                          "border": 1, "bg_color": "#DDEBF7", "font_size": 10})
    formats: dict[str | None, object] = {}
    for sheet in sheets:
        ws = wb.add_worksheet(sheet.name)
        top = _header_rows(sheet)
        for j, col in enumerate(sheet.columns):
            if col.num_format not in formats:
                spec: dict[str, object] = {"font_size": 10, "valign": "top", "border": 1}
                spec |= {"num_format": col.num_format} if col.num_format else {"text_wrap": True}
                formats[col.num_format] = wb.add_format(spec)
            ws.set_column(j, j, col.width)
            if sheet.bands and not any(a <= j <= b for a, b, _ in sheet.bands):
                ws.merge_range(0, j, 1, j, col.header, head)
            else:
                ws.write_string(top - 1, j, col.header, head)
            # the template row: replaced by the data rows, it gives each column its style index
            ws.write_blank(top, j, None, formats[col.num_format])
        for first, last, text in sheet.bands:
            if first == last:
                ws.write_string(0, first, text, head)
            else:
                ws.merge_range(0, first, 0, last, text, head)
        for r in range(top):
            ws.set_row(r, _header_points(sheet, r))
        ws.freeze_panes(top, 2 if len(sheet.columns) > 2 else 0)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0, top - 1)
        ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.6)
        ws.set_header(sheet.page_header)
        ws.set_footer(sheet.page_footer)
        if sheet.frame.height:
            ws.autofilter(top - 1, 0, top - 1 + sheet.frame.height, len(sheet.columns) - 1)
    wb.close()
    return buf.getvalue()


def _header_points(sheet: Sheet, row: int) -> float:
    """The height of header row ``row`` (0 is the bands' row when there are bands)."""
    if sheet.header_height is not None and row == _header_rows(sheet) - 1:
        return sheet.header_height
    if sheet.bands and row == 0:
        cells = [(text, sum(sheet.columns[j].width for j in range(a, b + 1)))
                 for a, b, text in sheet.bands]
    else:
        in_band = {j for a, b, _ in sheet.bands for j in range(a, b + 1)}
        cells = [(c.header, c.width) for j, c in enumerate(sheet.columns)
                 if not sheet.bands or j in in_band]
    lines = max((_lines(len(text), width, _BOLD_CHARS_PER_WIDTH) for text, width in cells),
                default=1)
    return min(_MAX_ROW_POINTS, lines * _LINE_POINTS + 6)


def _lines(chars: int, width: float, per_width: float) -> int:
    """Lines a text of ``chars`` characters takes in a column ``width`` wide, word-wrapped."""
    room = max(int(width * per_width), 1)
    return 1 if chars <= room else -(-(chars * 110) // (100 * room))


def _col_letters(j: int) -> str:
    out, j = "", j + 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _spliced(xml: str, sheet: Sheet) -> Iterator[str]:
    """The skeleton's sheet XML with its template row replaced by the data rows."""
    top = _header_rows(sheet)
    row = re.search(rf'<row r="{top + 1}"[^>]*>(.*?)</row>', xml)
    if row is None:  # the layout xlsxwriter writes; a test would fail here first
        raise RuntimeError(f"no template row in sheet {sheet.name!r}")
    styles = re.findall(r'<c r="[A-Z]+\d+" s="(\d+)"/>', row[1])
    if len(styles) != len(sheet.columns):
        raise RuntimeError(f"template row of sheet {sheet.name!r} has {len(styles)} cells")
    last = f"{_col_letters(len(sheet.columns) - 1)}{top + max(sheet.frame.height, 1)}"
    head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>', xml[: row.start()])
    yield head
    for start in range(0, sheet.frame.height, _SLICE_ROWS):
        part = sheet.frame.slice(start, _SLICE_ROWS)
        yield _rows_xml(part, sheet.columns, styles, first_row=top + 1 + start)
    yield xml[row.end():]


def _rows_xml(df: pl.DataFrame, columns: Sequence[Column], styles: Sequence[str],
              first_row: int) -> str:
    r = (pl.int_range(pl.len(), dtype=pl.Int64) + first_row).cast(pl.String)
    cells = [_cell_xml(df, col, _col_letters(j), styles[j], r) for j, col in enumerate(columns)]
    rows = pl.concat_str([pl.lit('<row r="'), r, pl.lit('"'), _row_height(df, columns),
                          pl.lit(">"), *cells, pl.lit("</row>")], ignore_nulls=True)
    return df.select(rows.str.join("")).item() or ""


def _row_height(df: pl.DataFrame, columns: Sequence[Column]) -> pl.Expr:
    """`` ht="…" customHeight="1"`` for a row whose text wraps onto more lines, else ``""``."""
    counts = []
    for col in columns:
        if col.num_format is None:
            room = max(int(col.width * _CHARS_PER_WIDTH), 1)
            chars = pl.col(col.name).cast(pl.String).str.len_chars().fill_null(0)
            counts.append(pl.when(chars <= room).then(1)
                          .otherwise((chars * 110 + 100 * room - 1) // (100 * room)))
    if not counts:
        return pl.lit("")
    lines = pl.max_horizontal(counts)
    points = (lines * _LINE_POINTS + 2).clip(upper_bound=_MAX_ROW_POINTS).round(2).cast(pl.String)
    return pl.when(lines > 1).then(pl.concat_str(pl.lit(' ht="'), points,
                                                 pl.lit('" customHeight="1"'))).otherwise(pl.lit(""))


def _cell_xml(df: pl.DataFrame, col: Column, letters: str, style: str, r: pl.Expr) -> pl.Expr:
    """One cell per row; a missing value (null, empty text, NaN, inf) as a blank cell with the
    column's style (its borders)."""
    c = pl.col(col.name)
    ref = pl.concat_str(pl.lit(f'<c r="{letters}'), r)
    blank = pl.concat_str(ref, pl.lit(f'" s="{style}"/>'))
    dtype = df.schema[col.name]
    if dtype.is_numeric():
        number = pl.when(c.cast(pl.Float64).is_finite()).then(c.cast(pl.String))  # no NaN, inf
        return pl.concat_str(ref, pl.lit(f'" s="{style}"><v>'), number, pl.lit("</v></c>")) \
            .fill_null(blank)
    controls = bool(df[col.name].cast(pl.String).str.contains(_ILLEGAL_XML.pattern).any())
    text = _escaped(c.cast(pl.String), controls)
    space = pl.when(text.str.contains(r"^\s|\s$")).then(pl.lit(' xml:space="preserve"')) \
        .otherwise(pl.lit(""))
    cell = pl.concat_str(ref, pl.lit(f'" s="{style}" t="inlineStr"><is><t'), space, pl.lit(">"),
                         text, pl.lit("</t></is></c>"))
    return pl.when(c.cast(pl.String) != "").then(cell).otherwise(blank)


def _escaped(text: pl.Expr, controls: bool) -> pl.Expr:
    """XML text: ``& < >`` escaped; control characters (not allowed in XML) as Excel's
    ``_xHHHH_`` escapes, and a literal ``_xHHHH_`` kept literal."""
    text = text.str.replace_all(r"_(x[0-9A-Fa-f]{4}_)", "_x005F_$1")
    text = (text.str.replace_all("&", "&amp;", literal=True)
            .str.replace_all("<", "&lt;", literal=True).str.replace_all(">", "&gt;", literal=True))
    for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)) if controls else ():
        text = text.str.replace_all(chr(code), f"_x{code:04X}_", literal=True)
    return text

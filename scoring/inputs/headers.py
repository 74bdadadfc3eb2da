"""Finding a table inside a sheet as offices lay it out, and naming its columns.

Above the header: the agency's name, a title, blank rows. The header itself: the contract's
names, the user's own (a column mapping) or the built-in Vietnamese ones
(``scoring.inputs.vocabulary``), on one row or on two (a merged group heading above its sub-columns).
Below it: the column-number row ``(1) (2) (3)``, totals rows (``Tổng cộng``) and, after the
last record, the signature block. The header row is found per file; the furniture rows are
dropped here, the blank ones later with the other empty rows.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from scoring.inputs.contract import TABLES
from scoring.inputs.vocabulary import HEADER_WORDS, norm_word

__all__ = ["HeaderNames", "HEADER_SCAN_ROWS", "find_header", "header_score", "present", "drop_furniture"]

# How many rows from the top are searched for the header (title rows above it are skipped).
HEADER_SCAN_ROWS = 30
_COLUMN_NUMBER = r"^\(?\s*\d{1,3}\s*\)?$"
_TOTALS = r"(?i)^\s*(tổng\s+cộng|tổng\s+số|tổng|cộng)\b"


@dataclass(frozen=True)
class HeaderNames:
    """How the headers of one table's file map to contract names.

    ``user``: normalised user header → contract name (a column mapping), ``extra``: further
    column names that are data (assessment score columns the criteria use).
    """

    table: str
    user: Mapping[str, str] = field(default_factory=dict)
    extra: frozenset[str] = frozenset()

    @property
    def known(self) -> set[str]:
        return set(TABLES[self.table].column_names) | set(self.extra)

    @property
    def required(self) -> tuple[str, ...]:
        return TABLES[self.table].required + tuple(sorted(self.extra))

    def canonical(self, cell: object) -> tuple[str | None, int]:
        """(name, rank) of a header cell: the contract name it stands for, or its own text.

        The rank orders claims on one name: the user's mapping and the contract's own name
        (0) before the built-in words (1, 2, … in their order); the own text ranks last.
        """
        if cell is None:
            return None, 0
        text = unicodedata.normalize("NFC", str(cell)).replace("\ufeff", "").strip()
        if not text:
            return None, 0
        key = norm_word(text)
        if key in self.user:
            return self.user[key], 0
        ident = re.sub(r"[\s\-]+", "_", key)
        if ident in self.known:
            return ident, 0
        found = _header_words(self.table).get(key)
        return found if found is not None else (text, 1 << 20)


@functools.cache
def _header_words(table: str) -> dict[str, tuple[str, int]]:
    """Normalised built-in header word → (column, rank): one look-up per header cell."""
    out: dict[str, tuple[str, int]] = {}
    for column, words in HEADER_WORDS.get(table, {}).items():
        for rank, word in enumerate(words, start=1):
            out.setdefault(norm_word(word), (column, rank))
    return out


def present(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def header_score(row: tuple[object, ...], names: HeaderNames) -> tuple[bool, int, int]:
    """(holds every required column, how many known columns, how many named columns) of a
    candidate header row."""
    found = {names.canonical(c)[0] for c in row}
    return set(names.required) <= found, len(found & names.known), len(found - {None})


def _merged(upper: tuple[object, ...], lower: tuple[object, ...]) -> tuple[object, ...]:
    """A two-level header read as one: each sub-column's own name, else the heading above it
    (a heading merged down over both rows holds its text in the upper cell only)."""
    width = max(len(upper), len(lower))
    up, low = list(upper) + [None] * (width - len(upper)), list(lower) + [None] * (width - len(lower))
    return tuple(lo if present(lo) else u for u, lo in zip(up, low, strict=True))


def find_header(
    rows: list[tuple[object, ...]], names: HeaderNames, explicit: int | None = None, span: int = 1
) -> tuple[int, tuple[object, ...], int]:
    """(0-based header row, its cells as used, the row that looks like the header).

    A header on two rows counts when it holds more than either row alone; its cells are the
    merged ones and the header row is the lower one. ``explicit`` is a 1-based header row the
    user set; it wins over the detection (read as one row, or with the row above it when
    ``span`` is 2).
    """
    best: int | None = None
    best_cells: tuple[object, ...] = ()
    best_score = (False, 0, 0)
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        candidates = [row]
        if i > 0:
            candidates.append(_merged(rows[i - 1], row))
        for cells in candidates:
            score = header_score(cells, names)
            if score > best_score:
                best, best_cells, best_score = i, cells, score
    if best is None:  # nothing looks like a header: the first non-empty row
        best = next((i for i, r in enumerate(rows) if any(present(c) for c in r)), 0)
        best_cells = rows[best] if best < len(rows) else ()
    if explicit is not None:
        row = rows[explicit - 1] if explicit - 1 < len(rows) else ()
        if span == 2 and 2 <= explicit <= len(rows):
            row = _merged(rows[explicit - 2], row)
        return explicit - 1, row, best
    return best, best_cells, best


def drop_furniture(frame: pl.DataFrame, table: str, row_column: str) -> tuple[pl.DataFrame, list[int]]:
    """Drop the column-number row, totals rows and the block below the last record.

    Returns the frame and the rows dropped as the block below the table (said to the user:
    they are dropped for their place, not their content). Apart from the column-number row
    (consecutive numbers in every filled cell) and a totals word in the key's column, a
    furniture row never holds the table's key (an employee or record id): a row that has one
    always stays, and an error names what else it lacks. After the last row holding a key,
    once a blank or totals row has passed, rows without a key are the signature block.
    """
    spec = TABLES[table]
    key = spec.key or "employee_id"
    schema = frame.schema  # once: it is built anew on each call (20,000 columns: quadratic)
    data = [c for c, dtype in schema.items() if c != row_column and dtype == pl.String]
    if key not in frame.columns or frame.height == 0 or not data:
        return frame, []
    # Only rows whose key cell is empty, a number or a totals word can be furniture: the rest
    # of the row is looked at for those few rows only (one pass over one column for a table).
    key_cell = pl.col(key).str.strip_chars()
    suspect = (key_cell.fill_null("").str.len_bytes() == 0) | key_cell.str.contains(_COLUMN_NUMBER) \
        | key_cell.str.contains(_TOTALS)
    index = frame.select(suspect.fill_null(True).arg_true()).to_series()
    if index.is_empty():
        return frame, []
    rows = frame.select(data + [row_column]).gather(index)
    cells = [pl.col(c).str.strip_chars() for c in data]
    filled = [pl.when(c.str.len_bytes() > 0).then(c) for c in cells]
    no_key = key_cell.fill_null("").str.len_bytes() == 0
    numbers = pl.all_horizontal(f.is_null() | f.str.contains(_COLUMN_NUMBER) for f in filled)
    number_row = numbers & (pl.sum_horizontal(f.is_not_null() for f in filled) >= 2)
    # "Tổng cộng" stands in the first columns, often in the key's own column
    key_free = no_key | key_cell.str.contains(_TOTALS).fill_null(False)
    totals = key_free & pl.any_horizontal(f.str.contains(_TOTALS).fill_null(False) for f in filled)
    blank = pl.all_horizontal(f.is_null() for f in filled)
    marks = rows.select(
        pl.Series("at", index), number_row.alias("number"), totals.alias("totals"),
        no_key.alias("no_key"), blank.alias("blank"), pl.col(row_column),
    )
    marks = marks.with_columns(number=_column_number_rows(rows.select(data), marks["number"]))
    drop = marks.filter(pl.col("totals") | pl.col("number"))["at"]
    keyed = frame.height - 1 if marks["at"][-1] != frame.height - 1 else None
    if keyed is None:  # the last row is a suspect: find the last row holding a key
        unkeyed = set(marks.filter(pl.col("no_key") | pl.col("totals") | pl.col("number"))["at"].to_list())
        keyed = next((i for i in range(frame.height - 1, -1, -1) if i not in unkeyed), None)
    below: list[int] = []
    if keyed is not None:
        tail = marks.filter(pl.col("at") > keyed)
        gap = (tail["blank"] | tail["totals"]).cum_sum() > 0
        # a row after the last key is in the tail only if every row between is (no key)
        contiguous = tail["at"] == pl.int_range(keyed + 1, keyed + 1 + tail.height, eager=True)
        block = tail.filter(gap & tail["no_key"] & contiguous.cum_min())
        drop = pl.concat([drop, block["at"]])
        below = block.filter(~pl.col("blank") & ~pl.col("totals"))[row_column].to_list()
    if drop.is_empty():
        return frame, below
    keep = pl.int_range(0, frame.height, eager=True).is_in(drop.implode()).not_()
    return frame.filter(keep), below


def _column_number_rows(frame: pl.DataFrame, candidates: pl.Series) -> pl.Series:
    """The rows numbering the columns: ``(1) (2) (3)`` or ``1 2 3``, consecutive in order."""
    out = [False] * frame.height
    for i in candidates.arg_true().to_list():
        numbers = [int(re.sub(r"\D", "", str(v))) for v in frame.row(i) if present(v)]
        out[i] = numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    return pl.Series(out, dtype=pl.Boolean)

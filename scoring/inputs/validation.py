"""Typing one table as read and checking it on its own.

``prepare_table`` types a table as read (with ``scoring.inputs.cells``), cleans and recodes its
text and checks it against its pandera schema (``scoring.inputs.table_schema``) and the order
of its dates; the checks between tables are in ``scoring.inputs.relations``. Frames carry the
row number the user sees (column ``ROW``) so that every failure becomes an ``Issue``
``file:row: column``.

Cost, measured on 2 cores (shared) at 2.7 million staff (10.6M assessment rows, Parquet), in
CPU seconds: reading 2.6, typing and cleaning the cells 2.8 (see ``scoring.inputs.cells``), pandera
0.8, the checks between tables 2.4.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from scoring.codes import Code
from scoring.errors import Issue, issue
from scoring.inputs.cells import NESTED, cast_columns, cast_message, clean_text, recode
from scoring.inputs.contract import TABLES, Table
from scoring.inputs.relations import KEYS, REFERENCES, relation_issues
from scoring.inputs.row_issues import ROW, row_issues
from scoring.inputs.table_schema import (
    DATE_MAX,
    DATE_MIN,
    MSG_MISSING_VALUE,
    MSG_WRONG_TYPE,
    PERIOD_PATTERN,
    pandera_issues,
    schema_for,
    table_schema,
)
from scoring.inputs.vocabulary import value_lookup
from scoring.periods import period_label_of

# The names other modules import from here, kept where they were.
__all__ = [
    "ROW",
    "DATE_MIN",
    "DATE_MAX",
    "PERIOD_PATTERN",
    "KEYS",
    "REFERENCES",
    "MSG_MISSING_VALUE",
    "table_schema",
    "prepare_table",
    "row_issues",
    "relation_issues",
]

MSG_END_BEFORE_START = "ngày kết thúc trước ngày bắt đầu / end date is before start date"


def _period_labels(frame: pl.DataFrame) -> pl.DataFrame:
    """Periods as offices write them (``Quý I/2025``) become labels (``2025-Q1``)."""
    values = frame["period"].drop_nulls().unique()
    odd = values.filter(~values.str.contains(PERIOD_PATTERN))
    mapping = {v: label for v in odd.to_list() if (label := period_label_of(v)) is not None}
    return frame.with_columns(pl.col("period").replace(mapping)) if mapping else frame


def prepare_table(
    frame: pl.DataFrame,
    table: str,
    file: str,
    *,
    header: Sequence[str],
    excel: bool = False,
    assessment_ranges: Mapping[str, tuple[float, float]] | None = None,
    value_words: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[pl.DataFrame, list[Issue]]:
    """Type and check one table as read (text cells, or Parquet's own types) plus ``ROW``.

    Text is stripped, empty text becomes null, rows with no value at all are dropped, every
    contract column gets its contract type (absent optional ones are added as nulls), the
    assessment columns that are numeric (or named in ``assessment_ranges``) become Float64
    scores, ``duty_group`` defaults to ``position``; then the pandera schema and the date
    order are checked. ``excel`` accepts serial day numbers in date columns. Coded columns
    take the built-in Vietnamese words (``scoring.inputs.vocabulary``) and ``value_words`` (column →
    normalised word → code); periods may be written ``Quý I/2025``. Returns the frame (still
    with ``ROW``) and every per-table issue.
    """
    spec = TABLES[table]
    ranges = assessment_ranges or {}
    targets, candidates = _targets(frame, spec, header)
    frame, issues = _drop_nested(frame, targets, file)
    typed_cols = {n: d for n, d in targets.items() if d != pl.String}
    optional = [c for c in candidates if c not in ranges]
    frame, failures, untyped = cast_columns(frame, typed_cols, excel=excel, optional=optional)
    failed: list[pl.DataFrame] = []
    for name, dtype in typed_cols.items():
        if name in failures:
            cells = failures[name]
            rows = pl.DataFrame({"row": frame[ROW].gather(cells["index"]), "value": cells["value"]})
            issues += row_issues(file, name, cast_message(dtype), rows, code=Code.CELL_TYPE)
            failed.append(rows.select(pl.lit(name).alias("column"), "row"))
    scores = [c for c in candidates if c not in untyped]
    frame, found = _clean_text_columns(frame, targets, typed_cols, untyped, file)
    issues += found
    frame = _recode_values(frame, spec, value_words or {})
    frame = _complete_columns(_drop_empty_rows(frame), spec)
    schema = schema_for(table, tuple(frame.columns), tuple(scores), tuple(sorted(ranges.items())))
    skip = pl.concat(failed) if failed else None
    issues += pandera_issues(frame, file, schema, skip)
    issues += _end_before_start_issues(frame, file)
    return frame, issues


def _targets(frame: pl.DataFrame, spec: Table,
             header: Sequence[str]) -> tuple[dict[str, pl.DataType], list[str]]:
    """(the type each column present gets, the further columns that may be scores)."""
    targets: dict[str, pl.DataType] = {
        c.name: c.dtype() if isinstance(c.dtype, type) else c.dtype
        for c in spec.columns
        if c.name in frame.columns
    }
    candidates = [h for h in header if spec.open_columns and h not in targets]
    for name in candidates:
        targets[name] = pl.Float64()
    return targets, candidates


def _drop_nested(frame: pl.DataFrame, targets: dict[str, pl.DataType],
                 file: str) -> tuple[pl.DataFrame, list[Issue]]:
    """Nested columns (a Parquet list or struct) cannot hold a cell's value: each is an issue,
    dropped from the frame and from ``targets``."""
    issues: list[Issue] = []
    dtypes = frame.schema  # once: it is built anew on each call
    for name in [n for n in targets if isinstance(dtypes[n], NESTED)]:
        issues.append(issue(file, None, name, f"{MSG_WRONG_TYPE}, cần / expected {targets[name]}",
                            str(dtypes[name]), code=Code.COLUMN_TYPE))
        frame, _ = frame.drop(name), targets.pop(name)
    return frame, issues


def _clean_text_columns(frame: pl.DataFrame, targets: Mapping[str, pl.DataType],
                        typed_cols: Mapping[str, pl.DataType], untyped: Sequence[str],
                        file: str) -> tuple[pl.DataFrame, list[Issue]]:
    """Text columns as text, stripped and NFC; invisible characters in contract text are issues."""
    types = frame.schema
    frame = frame.with_columns(
        pl.col(n).cast(pl.String) for n, d in targets.items() if d == pl.String and types[n] != d
    )
    text_cols = [
        c for c, t in frame.schema.items() if t == pl.String and (c not in typed_cols or c in untyped)
    ]
    frame, wide = clean_text(frame, text_cols)
    # every invisible character is outside ASCII: columns of ASCII text need no search
    return frame, _invisible_issues(frame, file, [c for c in wide if c in targets])


def _recode_values(frame: pl.DataFrame, spec: Table,
                   words: Mapping[str, Mapping[str, str]]) -> pl.DataFrame:
    """Coded columns from the words offices write; periods as labels."""
    coded = {c.name: c.allowed for c in spec.columns
             if c.allowed and c.dtype == pl.String and c.name in frame.columns}
    frame = recode(frame, {c: value_lookup(c, a) | dict(words.get(c, {})) for c, a in coded.items()},
                   coded)
    if spec.name == "assessments" and "period" in frame.columns:
        frame = _period_labels(frame)
    return frame


def _drop_empty_rows(frame: pl.DataFrame) -> pl.DataFrame:
    data_cols = [c for c in frame.columns if c != ROW]
    if data_cols and all(frame[c].has_nulls() for c in data_cols):
        # empty rows (blank lines, Excel formatting) are not records; filtering copies every
        # column, so only when there are some (none when a column has no null)
        kept = frame.select(pl.any_horizontal(pl.col(data_cols).is_not_null())).to_series()
        if not kept.all():
            frame = frame.filter(kept)
    return frame


def _complete_columns(frame: pl.DataFrame, spec: Table) -> pl.DataFrame:
    """``duty_group`` defaults to ``position``; absent contract columns as typed nulls; the
    contract's order first."""
    if spec.name == "staff" and {"duty_group", "position"} <= set(frame.columns):
        frame = frame.with_columns(pl.col("duty_group").fill_null(pl.col("position")))
    # Contract columns the file does not have: typed nulls, so downstream code can rely on them.
    absent = [c for c in spec.columns if c.name not in frame.columns and not c.required]
    frame = frame.with_columns(pl.lit(None, dtype=c.dtype).alias(c.name) for c in absent)
    order = [c.name for c in spec.columns if c.name in frame.columns]
    return frame.select(*order, *(c for c in frame.columns if c not in order))


# Characters that show as nothing (zero-width spaces and joiners, soft hyphens, direction
# marks and overrides, word joiners, BOMs): two ids that look alike would be different ids.
INVISIBLE = r"[\x{00AD}\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2060}-\x{2064}\x{2066}-\x{2069}\x{FEFF}]"
MSG_INVISIBLE = (
    "ô có ký tự ẩn (khoảng trắng độ rộng 0, dấu định hướng chữ…); hãy xoá ký tự đó / the cell "
    "holds an invisible character (zero-width space, direction mark…); delete it"
)


def _invisible_issues(frame: pl.DataFrame, file: str, columns: Sequence[str]) -> list[Issue]:
    """Contract text cells holding a character that does not show (finding: ``NV01`` and
    ``NV01\u200b`` were two people)."""
    if not columns:
        return []
    # nulls dropped first: Polars runs a string function on a null cell as on a value (a
    # mostly empty note column cost 2 s of regex at 10.6 million rows)
    found = frame.select(pl.col(c).drop_nulls().str.contains(INVISIBLE).any()
                         for c in columns).row(0)
    out: list[Issue] = []
    for name, bad in zip(columns, found, strict=True):
        if bad:
            rows = frame.filter(pl.col(name).str.contains(INVISIBLE)).select(
                pl.col(ROW).alias("row"), pl.col(name).alias("value"))
            out += row_issues(file, name, MSG_INVISIBLE, rows, code=Code.CELL_INVISIBLE)
    return out


def _end_before_start_issues(frame: pl.DataFrame, file: str) -> list[Issue]:
    if not {"start_date", "end_date"} <= set(frame.columns):
        return []
    bad = frame.filter(pl.col("end_date") < pl.col("start_date")).select(
        pl.col(ROW).alias("row"), pl.col("end_date").alias("value")
    )
    return row_issues(file, "end_date", MSG_END_BEFORE_START, bad, code=Code.END_BEFORE_START)

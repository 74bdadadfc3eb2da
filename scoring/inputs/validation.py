"""What valid input tables look like, and checking typed frames against it.

Everything here derives from ``scoring.inputs.contract``: the pandera ``DataFrameSchema`` of a table
(types, required columns, nullability, allowed values, ranges), the unique keys and the
references between tables. ``prepare_table`` types a table as read (with ``scoring.inputs.cells``)
and checks it. Frames carry the row number the user sees (column ``ROW``) so that every
failure becomes an ``Issue`` ``file:row: column``.

Cost, measured on 2 cores (shared) at 2.7 million staff (10.6M assessment rows, Parquet), in
CPU seconds: reading 2.6, typing and cleaning the cells 2.8 (see ``scoring.inputs.cells``), pandera
0.8, the checks between tables 2.4.

- pandera's dtype, nullability, ``isin``, range and pattern checks are cheap (0.024 s for the
  1M-row staff frame once warm; 0.1 s on the first call) and are used as they are;
- pandera's ``unique=True`` materialises ``is_duplicated`` (0.17-0.23 s more for 1M staff
  ids), so keys are screened in Polars by counting distinct 64-bit hashes (0.05 s) and the
  duplicated rows are only looked for by value when the screen finds some; references
  between tables (which a per-frame schema cannot express) are screened the same way with a
  128-bit hash (an anti-join on integers is 2-4x faster than on strings); the screens run in
  parallel ``collect_all`` calls.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Literal

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaErrors

from scoring.codes import Code
from scoring.errors import MAX_PER_CHECK, Issue, issue
from scoring.inputs.cells import NESTED, cast_columns, cast_message, clean_text, recode
from scoring.inputs.contract import TABLES
from scoring.inputs.vocabulary import value_lookup, value_words_text
from scoring.periods import period_label_of

__all__ = [
    "ROW",
    "DATE_MIN",
    "DATE_MAX",
    "PERIOD_PATTERN",
    "KEYS",
    "REFERENCES",
    "table_schema",
    "prepare_table",
    "row_issues",
    "relation_issues",
]

# Internal column carrying the row number the user sees (Excel row, CSV line); never returned.
ROW = "__row__"

DATE_MIN = date(1950, 1, 1)
DATE_MAX = date(2100, 12, 31)
# The labels scoring.periods.parse_period accepts: 2025-Q1, 2025-03, 2025.
PERIOD_PATTERN = r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"

MSG_MISSING_VALUE = "thiếu giá trị bắt buộc / required value is missing"
MSG_PERIOD = (
    "kỳ đánh giá không hợp lệ, dùng dạng 2025-Q1, 2025-03 hoặc 2025 / "
    "invalid period, use 2025-Q1, 2025-03 or 2025"
)
MSG_DATE_RANGE = f"ngày ngoài khoảng {DATE_MIN} – {DATE_MAX} / date outside {DATE_MIN} – {DATE_MAX}"
MSG_DUPLICATE_ID = "mã trùng lặp / duplicate id"
MSG_DUPLICATE_ASSESSMENT = (
    "đánh giá trùng cho cùng cán bộ và kỳ / duplicate assessment for one employee and period"
)
MSG_END_BEFORE_START = "ngày kết thúc trước ngày bắt đầu / end date is before start date"
MSG_WRONG_TYPE = "kiểu dữ liệu không đúng / wrong data type"

# Bounds the contract does not state as allowed values: (op, bound, message).
_BOUNDS: dict[tuple[str, str], tuple[str, float, str]] = {
    ("training", "hours"): ("gt", 0, "số giờ phải lớn hơn 0 / hours must be greater than 0"),
    ("violations", "fine_vnd"): ("ge", 0, "tiền phạt không được âm / fine cannot be negative"),
    ("violations", "licence_revoked_months"): (
        "ge",
        0,
        "số tháng tước bằng không được âm / months of licence revocation cannot be negative",
    ),
}

# Unique keys per table: the contract's id column, and one assessment per employee and period.
KEYS: dict[str, tuple[str, ...]] = {name: (t.key,) for name, t in TABLES.items() if t.key is not None} | {
    "assessments": ("employee_id", "period")
}

# (table, column) -> (referenced table, referenced column, message)
REFERENCES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "units",
        "parent_id",
        "units",
        "unit_id",
        "đơn vị cấp trên không tồn tại trong units / parent unit does not exist in units",
    ),
    (
        "staff",
        "unit_id",
        "units",
        "unit_id",
        "đơn vị không có trong danh sách đơn vị (units) / unit not found in units",
    ),
) + tuple(
    (
        name,
        "employee_id",
        "staff",
        "employee_id",
        "mã cán bộ không có trong danh sách cán bộ (staff) / employee not found in staff",
    )
    for name in ("assessments", "violations", "training", "discipline", "leave")
)


def _allowed_message(column: str, allowed: tuple[object, ...]) -> str:
    text = value_words_text(column, allowed)
    return f"giá trị không được phép, dùng một trong / value not allowed, use one of: {text}"


def _period_labels(frame: pl.DataFrame) -> pl.DataFrame:
    """Periods as offices write them (``Quý I/2025``) become labels (``2025-Q1``)."""
    values = frame["period"].drop_nulls().unique()
    odd = values.filter(~values.str.contains(PERIOD_PATTERN))
    mapping = {v: label for v in odd.to_list() if (label := period_label_of(v)) is not None}
    return frame.with_columns(pl.col("period").replace(mapping)) if mapping else frame


def _score_range_message(lo: float, hi: float) -> str:
    return f"điểm ngoài khoảng [{lo:g}, {hi:g}] / score outside [{lo:g}, {hi:g}]"


def table_schema(
    table: str,
    *,
    score_columns: Iterable[str] = (),
    assessment_ranges: Mapping[str, tuple[float, float]] | None = None,
) -> pa.DataFrameSchema:
    """The pandera schema of one contract table.

    Every check carries its user-facing message as ``error`` so that failure cases can be
    reported as they are. ``score_columns`` (assessments only) are added as nullable Float64;
    those named in ``assessment_ranges`` must lie within their closed range. Extra columns are
    allowed (``strict=False``). Uniqueness is not part of the schema (see the module docstring).
    """
    spec = TABLES[table]
    columns: dict[str, pa.Column] = {}
    for col in spec.columns:
        checks: list[pa.Check] = []
        if col.allowed is not None:
            checks.append(pa.Check.isin(list(col.allowed), error=_allowed_message(col.name, col.allowed)))
        if col.dtype == pl.Date:
            checks.append(pa.Check.in_range(DATE_MIN, DATE_MAX, error=MSG_DATE_RANGE))
        if (table, col.name) in _BOUNDS:
            op, bound, message = _BOUNDS[(table, col.name)]
            check = pa.Check.gt if op == "gt" else pa.Check.ge
            checks.append(check(bound, error=message))
        if table == "assessments" and col.name == "period":
            checks.append(pa.Check.str_matches(PERIOD_PATTERN, error=MSG_PERIOD))
        columns[col.name] = pa.Column(col.dtype, checks=checks, nullable=col.nullable, required=col.required)
    ranges = assessment_ranges or {}
    for name in score_columns:
        checks = []
        if name in ranges:
            lo, hi = ranges[name]
            checks.append(pa.Check.in_range(lo, hi, error=_score_range_message(lo, hi)))
        columns[name] = pa.Column(pl.Float64, checks=checks, nullable=True, required=False)
    return pa.DataFrameSchema(columns, strict=False, name=table)


@functools.lru_cache(maxsize=64)
def _schema_for(
    table: str,
    present: tuple[str, ...],
    scores: tuple[str, ...],
    ranges: tuple[tuple[str, tuple[float, float]], ...],
) -> pa.DataFrameSchema:
    """``table_schema`` limited to the columns a frame has (built once per shape: building
    and copying a schema costs more than validating a small table)."""
    schema = table_schema(table, score_columns=scores, assessment_ranges=dict(ranges))
    return schema.select_columns([c for c in schema.columns if c in present])


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
    issues: list[Issue] = []
    targets: dict[str, pl.DataType] = {
        c.name: c.dtype() if isinstance(c.dtype, type) else c.dtype
        for c in spec.columns
        if c.name in frame.columns
    }
    candidates = [h for h in header if spec.open_columns and h not in targets]
    for name in candidates:
        targets[name] = pl.Float64()
    dtypes = frame.schema  # once: it is built anew on each call
    for name in [n for n in targets if isinstance(dtypes[n], NESTED)]:
        issues.append(issue(file, None, name, f"{MSG_WRONG_TYPE}, cần / expected {targets[name]}",
                            str(dtypes[name]), code=Code.COLUMN_TYPE))
        frame, _ = frame.drop(name), targets.pop(name)
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
    types = frame.schema
    frame = frame.with_columns(
        pl.col(n).cast(pl.String) for n, d in targets.items() if d == pl.String and types[n] != d
    )
    text_cols = [
        c for c, t in frame.schema.items() if t == pl.String and (c not in typed_cols or c in untyped)
    ]
    frame = clean_text(frame, text_cols)
    issues += _invisible_issues(frame, file, [c for c in text_cols if c in targets])
    coded = {c.name: c.allowed for c in spec.columns
             if c.allowed and c.dtype == pl.String and c.name in frame.columns}
    words = value_words or {}
    frame = recode(frame, {c: value_lookup(c, a) | dict(words.get(c, {})) for c, a in coded.items()},
                   coded)
    if table == "assessments" and "period" in frame.columns:
        frame = _period_labels(frame)
    data_cols = [c for c in frame.columns if c != ROW]
    if data_cols and all(frame[c].has_nulls() for c in data_cols):
        # empty rows (blank lines, Excel formatting) are not records; filtering copies every
        # column, so only when there are some (none when a column has no null)
        kept = frame.select(pl.any_horizontal(pl.col(data_cols).is_not_null())).to_series()
        if not kept.all():
            frame = frame.filter(kept)
    if table == "staff" and {"duty_group", "position"} <= set(frame.columns):
        frame = frame.with_columns(pl.col("duty_group").fill_null(pl.col("position")))
    # Contract columns the file does not have: typed nulls, so downstream code can rely on them.
    absent = [c for c in spec.columns if c.name not in frame.columns and not c.required]
    frame = frame.with_columns(pl.lit(None, dtype=c.dtype).alias(c.name) for c in absent)
    order = [c.name for c in spec.columns if c.name in frame.columns]
    frame = frame.select(*order, *(c for c in frame.columns if c not in order))
    schema = _schema_for(table, tuple(frame.columns), tuple(scores), tuple(sorted(ranges.items())))
    skip = pl.concat(failed) if failed else None
    issues += _pandera_issues(frame, file, schema, skip)
    issues += _end_before_start_issues(frame, file)
    return frame, issues


# ----------------------------------------------------------------------------- reporting


def row_issues(
    file: str, where: str, message: str, failures: pl.DataFrame, *, total: int | None = None,
    code: str,
) -> list[Issue]:
    """Issues for one check: the first ``MAX_PER_CHECK`` failing rows, then one counting the rest.

    ``failures`` has a ``row`` column, optionally ``value`` (shown in brackets) and ``message``
    (overrides ``message`` for that row). When ``total`` is given, ``failures`` need only hold
    the first ``MAX_PER_CHECK + 1`` rows. The counting issue sits on the first unlisted row.
    """
    n = failures.height if total is None else total
    if n == 0:
        return []
    first = failures.bottom_k(MAX_PER_CHECK + 1, by="row").sort("row")
    has_value = "value" in first.columns
    has_message = "message" in first.columns
    out: list[Issue] = []
    for rec in first.head(MAX_PER_CHECK).iter_rows(named=True):
        text = (rec["message"] if has_message else None) or message
        if has_value and rec["value"] is not None:
            out.append(issue(file, rec["row"], where, text, rec["value"], code=code))
        else:
            out.append(issue(file, rec["row"], where, text, code=code))
    if n > MAX_PER_CHECK:
        rest = n - MAX_PER_CHECK
        more = f"{message} ... và {rest} dòng khác / and {rest} more rows"
        out.append(issue(file, first["row"][MAX_PER_CHECK], where, more, code=code))
    return out


def _pandera_issues(
    frame: pl.DataFrame, file: str, schema: pa.DataFrameSchema, skip: pl.DataFrame | None
) -> list[Issue]:
    """Validate lazily and turn pandera's failure cases into issues.

    ``skip`` lists (``column``, ``row``) cells already reported (a cell that could not be
    read is null here and must not also be reported as missing).
    """
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    out: list[Issue] = []
    # Failures without a row: a column of the wrong type (the casting above makes every column
    # its contract type, so this only guards against a bug) or a check that could not run.
    for rec in cases.filter(pl.col("index").is_null()).iter_rows(named=True):
        out.append(issue(file, None, rec["column"], MSG_WRONG_TYPE, rec["failure_case"],
                         code=Code.COLUMN_TYPE))
    located = cases.filter(pl.col("index").is_not_null() & pl.col("column").is_not_null())
    if located.is_empty():
        return out
    index = located["index"].cast(pl.Int64)
    located = located.with_columns(row=frame[ROW].gather(index), index=index)
    if skip is not None and not skip.is_empty():
        located = located.join(skip, on=["column", "row"], how="anti")
    for (column, check), group in located.group_by(["column", "check"], maintain_order=True):
        head = group.bottom_k(MAX_PER_CHECK + 1, by="row")
        if check == "not_nullable":
            failures, message, code = head.select("row"), MSG_MISSING_VALUE, Code.CELL_MISSING
        else:
            # The typed value (7, 2024-01-05) reads better than pandera's string form.
            values = frame[str(column)].gather(head["index"])
            failures, message = head.select("row").with_columns(value=values), str(check)
            code = Code.CELL_CHECK
        out.extend(row_issues(file, str(column), message, failures, total=group.height, code=code))
    return out


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
    schema = frame.schema  # once: it is built anew on each call
    columns = [c for c in columns if schema[c] == pl.String]
    if not columns:
        return []
    found = frame.select(pl.col(c).str.contains(INVISIBLE).any() for c in columns).row(0)
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


# ----------------------------------------------------------------------------- relations


def _key_hash(e: pl.Expr) -> pl.Expr:
    """A 128-bit hash of a key (two independent 64-bit hashes): joining integers is several
    times faster than Polars' string hash tables (0.08 s vs 0.5 s for 2M ids against 1M)."""
    high = e.hash(seed=0x5C0).cast(pl.UInt128) * pl.lit(1 << 64, dtype=pl.UInt128)
    return (high + e.hash(seed=0x1E6).cast(pl.UInt128)).alias("h")


def _duplicates(frame: pl.DataFrame, table: str, file: str):
    """(screen, details) for the unique key of a table, or None.

    The screen counts distinct hashes: when there are as many as keys, the keys are distinct
    (equal keys hash alike), so the exact search by value only runs when there may be some.
    """
    cols = list(KEYS.get(table, ()))
    if not cols or not set(cols) <= set(frame.columns):
        return None
    # one hash per column, combined: equal keys still hash alike (hashing a struct of the
    # columns costs 2.5x more)
    hashes = [pl.col(c).hash(seed=0x5C0 + i) for i, c in enumerate(cols)]
    key = functools.reduce(operator.xor, hashes).filter(pl.all_horizontal(pl.col(cols).is_not_null()))
    screen = frame.lazy().select(key.len() - key.n_unique())

    def details() -> list[Issue]:
        sub = frame.select(*cols, ROW).drop_nulls(cols)
        first = sub.with_columns(first=pl.col(ROW).min().over(cols))
        dups = first.filter(pl.col(ROW) != pl.col("first"))
        if len(cols) == 1:
            value, generic = pl.col(cols[0]), MSG_DUPLICATE_ID
            vi, en = "mã trùng lặp, đã có ở dòng", "duplicate id, already at row"
        else:
            value, generic = pl.concat_str(cols, separator=" "), MSG_DUPLICATE_ASSESSMENT
            vi = "đánh giá trùng cho cùng cán bộ và kỳ, đã có ở dòng"
            en = "duplicate assessment for one employee and period, already at row"
        failures = dups.select(
            pl.col(ROW).alias("row"),
            value.alias("value"),
            pl.format(f"{vi} {{}} / {en} {{}}", "first", "first").alias("message"),
        )
        return row_issues(file, ", ".join(cols), generic, failures, code=Code.DUPLICATE_KEY)

    return screen, details


def _reference(frames: Mapping[str, pl.DataFrame], files: Mapping[str, str],
               ref: tuple[str, str, str, str, str], known: dict[tuple[str, str], pl.DataFrame]):
    """(screen, details) for one reference between tables, or None.

    The screen counts values whose hash is not among the referenced values' hashes (those are
    surely unknown). An unknown value could only pass it by colliding with a known one on a
    128-bit hash (odds about n/2¹²⁸ for n known ids: nil).
    """
    table, column, target, target_column, message = ref
    child, parent = frames.get(table), frames.get(target)
    if child is None or parent is None:
        return None
    if column not in child.columns or target_column not in parent.columns:
        return None
    if (target, target_column) not in known:
        known[(target, target_column)] = parent.select(_key_hash(pl.col(target_column)))
    values = child.lazy().select(_key_hash(pl.col(column).drop_nulls()))
    screen = values.join(known[(target, target_column)].lazy(), on="h", how="anti")

    def details() -> list[Issue]:
        ids = parent[target_column].drop_nulls()
        unknown = pl.col(column).is_not_null() & ~pl.col(column).is_in(ids.implode())
        bad = child.filter(unknown).select(pl.col(ROW).alias("row"), pl.col(column).alias("value"))
        return row_issues(files[table], column, message, _zero_hints(bad, ids, message),
                          code=Code.UNKNOWN_REFERENCE)

    return screen.select(pl.len()), details


def _zero_hints(bad: pl.DataFrame, ids: pl.Series, message: str) -> pl.DataFrame:
    """A per-row message for ids that lost their leading zeros (``26`` for ``0026``), as a
    spreadsheet does to a number-looking id."""
    padded = ids.filter(ids.str.starts_with("0") & ids.str.contains(r"^\d+$"))
    if padded.is_empty():
        return bad
    lookup = dict(zip(padded.str.strip_chars_start("0").to_list(), padded.to_list(), strict=True))
    hints = [f"{message}; có phải '{lookup[v]}' (Excel bỏ số 0 ở đầu; hãy định dạng cột là "
             f"Văn bản)? / did you mean '{lookup[v]}' (Excel drops leading zeros; format the "
             f"column as Text)?" if v in lookup else None for v in bad["value"].to_list()]
    return bad.with_columns(message=pl.Series(hints, dtype=pl.String))


def _cycle_issues(units: pl.DataFrame, file: str) -> list[Issue]:
    """Units whose parent chain loops back, one issue per cycle naming its units.

    Pointer doubling in Polars: after k rounds every unit points to its 2**k-th ancestor (null
    once past the top); after log2(n) rounds only units in a cycle, or below one, point
    anywhere. Only those few are then walked in Python to name the cycles.
    """
    if not {"unit_id", "parent_id"} <= set(units.columns):
        return []
    edges = units.select("unit_id", "parent_id", ROW).drop_nulls("unit_id")
    edges = edges.unique("unit_id", keep="first", maintain_order=True)
    known = edges["unit_id"].implode()
    # a parent that does not exist is reported as such; here it ends the chain
    anc = edges.select("unit_id", pl.when(pl.col("parent_id").is_in(known)).then("parent_id")
                       .alias("anc"))
    for _ in range(math.ceil(math.log2(edges.height + 1)) + 1):
        if anc["anc"].null_count() == anc.height:
            return []
        step = anc.rename({"unit_id": "anc", "anc": "next"})
        anc = anc.join(step, on="anc", how="left").select("unit_id", pl.col("next").alias("anc"))
    looping = anc.drop_nulls("anc")["unit_id"]
    if looping.is_empty():
        return []
    looping_edges = edges.filter(pl.col("unit_id").is_in(looping.implode()))
    parent = dict(looping_edges.select("unit_id", "parent_id").iter_rows())
    row_of = dict(looping_edges.select("unit_id", ROW).iter_rows())
    seen: set[str] = set()
    cycles: list[list[str]] = []
    for start in looping.to_list():
        path: list[str] = []
        node = start
        while node in parent and node not in seen and node not in path:
            path.append(node)
            node = parent[node]
        if node in path:
            cycle = path[path.index(node) :]
            i = cycle.index(min(cycle, key=lambda u: row_of[u]))
            cycles.append(cycle[i:] + cycle[:i])
        seen.update(path)
    failures = pl.DataFrame(
        {"row": [row_of[c[0]] for c in cycles], "value": [" → ".join([*c, c[0]]) for c in cycles]},
        schema={"row": pl.Int64, "value": pl.String},
    )
    message = "các đơn vị tạo thành vòng lặp cấp trên / units form a cycle of parents"
    return row_issues(file, "parent_id", message, failures, code=Code.UNIT_CYCLE)


def relation_issues(frames: Mapping[str, pl.DataFrame], files: Mapping[str, str]) -> list[Issue]:
    """Duplicate keys, unknown employees, units and parents, cycles of units.

    ``frames`` holds the prepared frames that could be read (with ``ROW``), ``files`` their
    file names; a check is skipped when a table or column it needs is absent (already
    reported). The screens run in parallel ``collect_all`` calls; rows are only looked up by
    value for the checks whose screen found something.
    """
    duplicates = [_duplicates(frame, table, files[table]) for table, frame in frames.items()]
    known: dict[tuple[str, str], pl.DataFrame] = {}
    references = [_reference(frames, files, ref, known) for ref in REFERENCES]
    # Counting distinct hashes is about twice as fast in memory, the anti-joins about twice
    # as fast streaming (10.6M assessment rows: 0.6 vs 1.1 s and 0.8 vs 1.8 s of CPU).
    found, counts = [], []
    engines: tuple[Literal["in-memory", "streaming"], ...] = ("in-memory", "streaming")
    for checks, engine in zip((duplicates, references), engines, strict=True):
        checks = [c for c in checks if c is not None]
        found += checks
        counts += pl.collect_all([screen for screen, _ in checks], engine=engine)
    out: list[Issue] = []
    for (_, details), count in zip(found, counts, strict=True):
        if count.item():
            out += details()
    if "units" in frames:
        out += _cycle_issues(frames["units"], files["units"])
    return out

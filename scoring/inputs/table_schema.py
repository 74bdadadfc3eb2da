"""The pandera schema of each contract table, and its failures as located issues.

Everything derives from ``scoring.inputs.contract``: types, required columns, nullability,
allowed values, ranges. pandera's dtype, nullability, ``isin``, range and pattern checks are
cheap (0.024 s for the 1M-row staff frame once warm; 0.1 s on the first call) and are used as
they are; uniqueness is not part of the schema (``scoring.inputs.relations`` screens keys
faster).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date

# pandera registers its Polars checks on its first validation; the screen builds their
# expressions before any (and on two threads at once): without this import the first tables
# read went through pandera's slower full validation (1-2 s for a national run)
import pandera.backends.polars.builtin_checks  # noqa: F401  (an import for its effect)
import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData
from pandera.errors import SchemaErrors

from scoring.codes import Code
from scoring.errors import MAX_PER_CHECK, Issue, issue
from scoring.inputs.contract import TABLES
from scoring.inputs.row_issues import ROW, row_issues
from scoring.inputs.vocabulary import value_words_text

__all__ = [
    "DATE_MIN",
    "DATE_MAX",
    "PERIOD_PATTERN",
    "MSG_MISSING_VALUE",
    "MSG_WRONG_TYPE",
    "table_schema",
    "schema_for",
    "pandera_issues",
]

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


def _allowed_message(column: str, allowed: tuple[object, ...]) -> str:
    text = value_words_text(column, allowed)
    return f"giá trị không được phép, dùng một trong / value not allowed, use one of: {text}"


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
def schema_for(
    table: str,
    present: tuple[str, ...],
    scores: tuple[str, ...],
    ranges: tuple[tuple[str, tuple[float, float]], ...],
) -> pa.DataFrameSchema:
    """``table_schema`` limited to the columns a frame has (built once per shape: building
    and copying a schema costs more than validating a small table)."""
    schema = table_schema(table, score_columns=scores, assessment_ranges=dict(ranges))
    return schema.select_columns([c for c in schema.columns if c in present])


class _Capture:
    """Stands in for a LazyFrame to take the expression a pandera check selects."""

    def __init__(self) -> None:
        self.exprs: list[pl.Expr] = []

    def select(self, *exprs: object) -> _Capture:
        self.exprs += [e for e in exprs if isinstance(e, pl.Expr)]
        if len(self.exprs) != len(exprs):
            raise TypeError("not one expression")
        return self


def _check_expr(check: pa.Check, name: str) -> pl.Expr:
    """The boolean expression pandera evaluates for ``check`` on column ``name``, as pandera's
    own check function builds it (TypeError when it is not one plain expression)."""
    if check.element_wise or check.groupby is not None or not check.ignore_na:
        raise TypeError("not a plain check")
    capture = _Capture()
    fn = check._check_fn  # the builtin's function, with the check's arguments (pandera's API)
    fn(PolarsData(capture, name), **check._check_kwargs)  # type: ignore[arg-type]
    if len(capture.exprs) != 1:
        raise TypeError("not one expression")
    return capture.exprs[0]


def _screen(schema: pa.DataFrameSchema) -> tuple[tuple[str, pa.Column], ...] | None:
    """The columns of ``schema`` when it is one that ``_passes`` can screen (no schema-wide or
    element-wise checks, no uniqueness, no coercion), else None."""
    if schema.checks or schema.unique or schema.strict or schema.coerce or schema.ordered:
        return None
    cols = tuple(schema.columns.items())
    if any(c.unique or c.coerce or c.regex or c.dtype is None for _, c in cols):
        return None
    try:
        for name, col in cols:
            for check in col.checks:
                _check_expr(check, name)
    except Exception:  # a check we cannot read: pandera validates as always
        return None
    return cols


def _passes(frame: pl.DataFrame, schema: pa.DataFrameSchema) -> bool:
    """True when pandera would find nothing to report in ``frame``: the same dtype, null and
    check expressions pandera evaluates (taken from its own checks), in one ``select`` over
    the table instead of a collect per check. False when something may fail (pandera then
    validates and reports it) or when the schema cannot be screened."""
    cols = _screen(schema)
    if cols is None:
        return False
    types = frame.schema
    probes: list[pl.Expr] = []
    for name, col in cols:
        if name not in types or not col.dtype.check(types[name]):  # as pandera compares them
            return False
        if not col.nullable:  # pandera counts NaN as null in a float column
            missing = pl.col(name).is_null()
            if types[name].is_float():
                missing = missing | pl.col(name).is_nan()
            probes.append(~missing.any())
        for check in col.checks:
            ok = _check_expr(check, name)
            probes.append(ok.fill_null(True).all())  # ignore_na: a null passes
    if not probes:
        return True
    return all(frame.select(p.alias(f"p{i}") for i, p in enumerate(probes)).row(0))


def pandera_issues(
    frame: pl.DataFrame, file: str, schema: pa.DataFrameSchema, skip: pl.DataFrame | None
) -> list[Issue]:
    """Validate lazily and turn pandera's failure cases into issues.

    ``skip`` lists (``column``, ``row``) cells already reported (a cell that could not be
    read is null here and must not also be reported as missing). A table that passes the
    one-pass screen of pandera's own checks (``_passes``) has nothing to report, so pandera
    only validates (column by column, a collect per check) the tables where something fails.
    """
    if _passes(frame, schema):
        return []
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

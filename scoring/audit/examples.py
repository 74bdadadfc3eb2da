"""Run the worked examples embedded in a criteria file.

Each example describes one employee's records; the example is scored by the same engine as a
real run and its results compared with ``expect``. An auditor reads the examples as
documentation; ``scoring validate`` proves they hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl

from scoring.codes import Code
from scoring.engine.columns import item_column
from scoring.engine.quotas import allowed_count
from scoring.engine.score import score
from scoring.errors import CriteriaError, Issue, issue
from scoring.inputs.contract import TABLES, empty_frame
from scoring.inputs.frames import InputFrames
from scoring.periods import Period, parse_period
from scoring.rules.model import Criteria, Example, QuotaExample

__all__ = ["ExampleResult", "run_examples", "example_period", "frame_from_records"]

_EMPLOYEE = "EX0001"
_UNIT = "EXUNIT"
_TOLERANCE = 0.005


@dataclass(frozen=True)
class ExampleResult:
    name: str
    passed: bool
    checks: tuple[tuple[str, object, object, bool], ...]  # (what, expected, actual, ok)


def example_period(criteria: Criteria, example: Example) -> Period:
    if example.period:
        return parse_period(example.period)
    d = criteria.effective_from
    label = {
        "quarter": f"{d.year}-Q{(d.month - 1) // 3 + 1}",
        "month": f"{d.year}-{d.month:02d}",
        "year": f"{d.year}",
    }[criteria.period_kind]
    return parse_period(label)


def frame_from_records(table: str, records: list[dict[str, Any]]) -> pl.DataFrame:
    """Build a frame with the contract's types from plain records (missing columns are null)."""
    spec = TABLES[table]
    if not records:
        return empty_frame(table)
    data = {c.name: [r.get(c.name) for r in records] for c in spec.columns}
    extra = sorted({k for r in records for k in r} - set(spec.column_names))
    for name in extra:
        data[name] = [r.get(name) for r in records]
    schema = {c.name: c.dtype for c in spec.columns} | {name: pl.Float64 for name in extra}
    return pl.DataFrame(data, schema=schema, strict=False)


def _defaults(table: str, period: Period, index: int) -> dict[str, Any]:
    middle = period.start + timedelta(days=min(14, period.days - 1))
    record_id = f"{table[:3].upper()}-{index + 1:03d}"
    defaults: dict[str, dict[str, Any]] = {
        "violations": {"record_id": record_id, "violation_date": middle, "status": "effective"},
        "training": {"record_id": record_id, "session_date": middle, "attendance": "attended",
                     "topic": "traffic_safety", "hours": 2.0},
        "discipline": {"record_id": record_id, "decision_date": middle, "form": "reprimand",
                       "duty_related": True},
        "leave": {"start_date": period.start, "end_date": period.start},
    }
    return defaults[table]


def _inputs(criteria: Criteria, ex: Example, period: Period) -> InputFrames:
    employee = {
        "employee_id": _EMPLOYEE, "full_name": ex.name, "unit_id": _UNIT, "position": "staff",
        "employment_type": criteria.applies_to[0], "start_date": date(2000, 1, 1),
    } | dict(ex.employee)
    tables = {
        t: frame_from_records(
            t, [_defaults(t, period, i) | {"employee_id": _EMPLOYEE} | dict(r)
                for i, r in enumerate(getattr(ex, t))]
        )
        for t in ("violations", "training", "discipline", "leave")
    }
    assessments = pl.DataFrame(
        {"employee_id": [_EMPLOYEE], "period": [period.label]}
        | {k: [float(v)] for k, v in ex.assessment.items()}
    ) if ex.assessment else pl.DataFrame(schema={"employee_id": pl.String, "period": pl.String})
    return InputFrames(
        units=frame_from_records("units", [{"unit_id": _UNIT, "name": "Đơn vị ví dụ"}]),
        staff=frame_from_records("staff", [employee]),
        assessments=assessments,
        violations=tables["violations"],
        training=tables["training"],
        discipline=tables["discipline"],
        leave=tables["leave"],
    )


def _rollup_row(criteria: Criteria, ex: Example, period: Period) -> pl.DataFrame:
    """The example's results of the parts rolled up; a mean given alone counts every part."""
    rollup = criteria.rollup
    assert rollup is not None
    mean_name, rated_name, kht_name = rollup.names
    source = ex.quarters if rollup.of == "quarter" else ex.months
    given: dict[str, float] = {str(k): v for k, v in source.items()}
    parts = len(period.parts(rollup.of))
    rated = int(given.get(rated_name, parts if mean_name in given else 0))
    mean = given.get(mean_name) if rated >= rollup.minimum else None
    return pl.DataFrame({
        "employee_id": [_EMPLOYEE], mean_name: [mean], rated_name: [rated],
        kht_name: [int(given.get(kht_name, 0))], "_quarters_detail": [None],
    }, schema={"employee_id": pl.String, mean_name: pl.Float64, rated_name: pl.Int64,
               kht_name: pl.Int64, "_quarters_detail": pl.String})


def _check(what: str, expected: object, actual: object) -> tuple[str, object, object, bool]:
    if isinstance(expected, float | int) and not isinstance(expected, bool):
        ok = actual is not None and abs(float(actual) - float(expected)) <= _TOLERANCE  # type: ignore[arg-type]
    else:
        ok = expected == actual
    return (what, expected, actual, ok)


def _run_one(criteria: Criteria, ex: Example, index: int) -> ExampleResult:
    period = example_period(criteria, ex)
    try:
        inputs = _inputs(criteria, ex, period)
    except (pl.exceptions.PolarsError, TypeError, ValueError) as exc:
        raise CriteriaError([issue("", None, f"examples[{index}]",
                                   f"hồ sơ ví dụ không hợp lệ / invalid example records: {exc}",
                                   code=Code.EXAMPLE)]) from None
    # One person alone: a quota (a share of a group) has nothing to apply to.
    alone = criteria.model_copy(update={"quotas": ()})
    extra = None
    if criteria.rollup is not None:
        extra = _rollup_row(criteria, ex, period)
    if ex.unit:  # a leader's unit figures are given, not computed from colleagues
        unit = pl.DataFrame({"employee_id": [_EMPLOYEE]} | {
            u.id: [int(ex.unit.get(u.id, 0)) if u.agg == "count" else float(ex.unit.get(u.id, 0))]
            for u in criteria.leaders.measures})
        extra = unit if extra is None else extra.join(unit, on="employee_id")
    row = score(alone, inputs, period, extra=extra).scores.row(0, named=True)
    exp = ex.expect
    checks = []
    for item_id, value in (exp.items or {}).items():
        checks.append(_check(f"items.{item_id}", value, row[item_column_for(criteria, item_id)]))
    if exp.total is not None:
        checks.append(_check("total", exp.total, row["total"]))
    if exp.rating is not None:
        checks.append(_check("rating", exp.rating, row["rating"]))
    if exp.status is not None:
        checks.append(_check("status", exp.status, row["status"]))
    if exp.overrides is not None:
        actual = tuple(x for x in (row["overrides"] or "").split("; ") if x)
        checks.append(_check("overrides", tuple(exp.overrides), actual))
    return ExampleResult(ex.name, all(c[3] for c in checks), tuple(checks))


def item_column_for(criteria: Criteria, item_id: str) -> str:
    return item_column(next(i for i in criteria.items if i.id == item_id))


def _run_quota_example(criteria: Criteria, ex: QuotaExample) -> ExampleResult:
    q = next(q for q in criteria.quotas if q.id == ex.quota)
    codes = [b.code for b in criteria.ratings]
    h, t = ex.counts.get(q.rating, 0), ex.counts.get(q.relative_to, 0)
    into_relative = codes[codes.index(q.rating) + 1] == q.relative_to
    kept = min(h, allowed_count(h, t, q.max_percent, into_relative, q.rounding))
    check = _check(f"{q.id}: {q.rating} kept", ex.expect_kept, kept)
    return ExampleResult(ex.name, check[3], (check,))


def run_examples(criteria: Criteria, *, source: str = "") -> list[ExampleResult]:
    """Score every embedded example; records that do not fit the contract are CriteriaErrors."""
    results = []
    problems: list[Issue] = []
    for i, ex in enumerate(criteria.examples):
        try:
            results.append(_run_one(criteria, ex, i))
        except CriteriaError as exc:
            problems.extend(issue(source, None, p.where, p.message, code=p.code) for p in exc.issues)
    if problems:
        raise CriteriaError(problems)
    results += [_run_quota_example(criteria, ex) for ex in criteria.quota_examples]
    return results

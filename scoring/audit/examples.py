"""Run the worked examples embedded in a criteria file.

Each example describes one employee's records; the example is scored by the same engine as a
real run and its results compared with ``expect``. An auditor reads the examples as
documentation; ``scoring validate`` proves they hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import polars as pl

from scoring.codes import Code
from scoring.engine.columns import item_column
from scoring.engine.quotas import allowed_count
from scoring.engine.score import score
from scoring.errors import CriteriaError, Issue, issue
from scoring.inputs.contract import TABLES, empty_frame
from scoring.inputs.frames import InputFrames
from scoring.periods import Period
from scoring.rules.example_checks import DEFAULT_START, example_period
from scoring.rules.model import Criteria, Example, QuotaExample

__all__ = ["ExampleResult", "run_examples", "example_period", "frame_from_records"]

_UNIT = "EXUNIT"
_TOLERANCE = 0.005


@dataclass(frozen=True)
class ExampleResult:
    name: str
    passed: bool
    checks: tuple[tuple[str, object, object, bool], ...]  # (what, expected, actual, ok)


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


def _employee_id(index: int) -> str:
    return f"EX{index + 1:04d}"


def _frames(criteria: Criteria, ex: Example, period: Period, index: int) -> dict[str, pl.DataFrame]:
    """One example's rows of every table, under its own employee id and unit."""
    emp = _employee_id(index)
    employee = {
        "full_name": ex.name, "unit_id": f"{_UNIT}{index + 1:04d}", "position": "staff",
        "employment_type": criteria.applies_to[0], "start_date": DEFAULT_START,
    } | dict(ex.employee) | {"employee_id": emp}
    frames = {
        t: frame_from_records(
            t, [_defaults(t, period, i) | dict(r) | {"employee_id": emp}
                for i, r in enumerate(getattr(ex, t))]
        )
        for t in ("violations", "training", "discipline", "leave")
    }
    frames["staff"] = frame_from_records("staff", [employee])
    frames["units"] = frame_from_records("units", [{"unit_id": employee["unit_id"],
                                                    "name": "Đơn vị ví dụ"}])
    frames["assessments"] = pl.DataFrame(  # no row at all without an assessment
        {"employee_id": [emp] if ex.assessment else [], "period": [period.label] if ex.assessment
         else []} | {k: [float(v)] for k, v in ex.assessment.items()},
        schema={"employee_id": pl.String, "period": pl.String}
        | {k: pl.Float64 for k in ex.assessment},
    )
    return frames


def _inputs(parts: list[dict[str, pl.DataFrame]]) -> InputFrames:
    """Every example of one period side by side: one person, one unit each."""
    def together(table: str) -> pl.DataFrame:
        return pl.concat([p[table] for p in parts], how="diagonal_relaxed")

    return InputFrames(
        units=together("units").unique(maintain_order=True), staff=together("staff"),
        assessments=together("assessments"), violations=together("violations"),
        training=together("training"), discipline=together("discipline"), leave=together("leave"),
    )


def _rollup_row(criteria: Criteria, ex: Example, period: Period, emp: str) -> pl.DataFrame:
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
        "employee_id": [emp], mean_name: [mean], rated_name: [rated],
        kht_name: [int(given.get(kht_name, 0))], "_quarters_detail": [None],
    }, schema={"employee_id": pl.String, mean_name: pl.Float64, rated_name: pl.Int64,
               kht_name: pl.Int64, "_quarters_detail": pl.String})


def _check(what: str, expected: object, actual: object) -> tuple[str, object, object, bool]:
    if isinstance(expected, float | int) and not isinstance(expected, bool):
        ok = actual is not None and abs(float(actual) - float(expected)) <= _TOLERANCE  # type: ignore[arg-type]
    else:
        ok = expected == actual
    return (what, expected, actual, ok)


def _extra(criteria: Criteria, ex: Example, period: Period, index: int) -> pl.DataFrame | None:
    """The example's given figures: the parts' results of a roll-up, a leader's unit measures
    (0 when not given: alone, a leader has no subordinates)."""
    emp = _employee_id(index)
    extra = _rollup_row(criteria, ex, period, emp) if criteria.rollup is not None else None
    if criteria.leaders.measures:
        unit = pl.DataFrame({"employee_id": [emp]} | {
            u.id: [int(ex.unit.get(u.id, 0)) if u.agg == "count" else float(ex.unit.get(u.id, 0))]
            for u in criteria.leaders.measures})
        extra = unit if extra is None else extra.join(unit, on="employee_id")
    return extra


def _checks(criteria: Criteria, ex: Example, row: dict[str, Any]) -> ExampleResult:
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
    """Score every embedded example; records that do not fit the contract are CriteriaErrors.

    The examples of one period are scored together in one pass, each as one person alone in
    a unit of their own and without quotas (a quota is a share of a group): about the cost of
    one example, whatever their number.
    """
    problems: list[Issue] = []
    by_period: dict[Period, list[int]] = {}
    parts: dict[int, dict[str, pl.DataFrame]] = {}
    periods = {}
    for i, ex in enumerate(criteria.examples):
        periods[i] = period = example_period(criteria, ex)
        try:
            parts[i] = _frames(criteria, ex, period, i)
        except (pl.exceptions.PolarsError, TypeError, ValueError) as exc:
            problems.append(issue(source, None, f"examples[{i}]", f"hồ sơ ví dụ không hợp lệ / "
                                  f"invalid example records: {exc}", code=Code.EXAMPLE))
            continue
        by_period.setdefault(period, []).append(i)
    if problems:
        raise CriteriaError(problems)
    alone = criteria.model_copy(update={"quotas": ()})
    rows: dict[str, dict[str, Any]] = {}
    for period, indices in by_period.items():
        extras = [e for i in indices
                  if (e := _extra(criteria, criteria.examples[i], period, i)) is not None]
        extra = pl.concat(extras, how="vertical") if extras else None
        scores = score(alone, _inputs([parts[i] for i in indices]), period, extra=extra).scores
        rows.update((r["employee_id"], r) for r in scores.iter_rows(named=True))
    missing = [i for i in range(len(criteria.examples)) if _employee_id(i) not in rows]
    if missing:  # the loader refuses the known causes with their line; never a KeyError
        raise CriteriaError([issue(source, None, f"examples[{i}].employee", "người trong ví dụ không "
                                   "có dòng nào để chấm trong kỳ / the example's person has no row to "
                                   "score in the period", code=Code.EXAMPLE) for i in missing])
    results = [_checks(criteria, ex, rows[_employee_id(i)]) for i, ex in enumerate(criteria.examples)]
    results += [_run_quota_example(criteria, ex) for ex in criteria.quota_examples]
    return results

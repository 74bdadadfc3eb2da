"""The criteria language as frozen, typed objects.

A criteria file is parsed once (``scoring.rules.loader``) into these models; nothing downstream
sees a dict. Every sequence is a tuple. Expressions (``where``, ``when``, ``formula``) are kept
as text here and compiled to Polars expressions by ``scoring.rules.expressions``, checked at load time.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from scoring.inputs.contract import TABLES

__all__ = [
    "Approval",
    "LegalDoc",
    "Measure",
    "Rule",
    "Item",
    "Group",
    "Band",
    "Override",
    "Summary",
    "TieBreak",
    "Quota",
    "UnitMeasure",
    "Leaders",
    "Rollup",
    "ExampleExpect",
    "Example",
    "QuotaExample",
    "Criteria",
    "DEFAULT_VIOLATIONS",
    "BUILTIN_MEASURES",
    "ROLLUP_MEASURES",
    "ROLLUP_NAMES",
    "EMPLOYEE_ATTRIBUTES",
]

Identifier = Annotated[
    str,
    Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64, description="lower_snake_case id"),
]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Expression = Annotated[
    str, Field(min_length=1, max_length=2000, description="expression (see docs/criteria.md)")
]
Points = Annotated[float, Field(ge=0, le=1000)]

# Record tables a measure can aggregate, and the measures every criteria file gets for free.
BUILTIN_MEASURES: dict[str, tuple[str, str]] = {
    "days_in_period": ("Số ngày của kỳ đánh giá", "Days in the period"),
    "days_employed": ("Số ngày công tác trong kỳ", "Days employed in the period"),
    "days_on_leave": ("Số ngày nghỉ trong kỳ", "Days on leave in the period"),
    "days_worked": ("Số ngày làm việc thực tế trong kỳ", "Days worked in the period"),
}
# Available to a sheet with a ``rollup``, from the results of its quarters or months: the mean
# total of the rated ones, how many were rated, how many rated KHT.
ROLLUP_NAMES: dict[str, tuple[str, str, str]] = {
    "quarter": ("quarter_mean_total", "quarters_rated", "quarters_kht"),
    "month": ("month_mean_total", "months_rated", "months_kht"),
}
ROLLUP_MEASURES: dict[str, tuple[str, str]] = {
    "quarter_mean_total": ("Điểm trung bình các quý được xếp loại", "Mean total of the rated quarters"),
    "quarters_rated": ("Số quý được xếp loại", "Quarters rated"),
    "quarters_kht": ("Số quý xếp loại Không hoàn thành nhiệm vụ", "Quarters rated KHT"),
    "month_mean_total": ("Điểm trung bình các tháng được xếp loại", "Mean total of the rated months"),
    "months_rated": ("Số tháng được xếp loại", "Months rated"),
    "months_kht": ("Số tháng xếp loại Không hoàn thành nhiệm vụ", "Months rated KHT"),
}
EMPLOYEE_ATTRIBUTES = ("position", "employment_type", "duty_group", "unit_id", "is_leader")


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, populate_by_name=False,
        allow_inf_nan=False,  # .inf, .nan and 1e400 are refused at load, never scored
    )


class LegalDoc(_Strict):
    """A legal document the criteria rest on."""

    code: Text = Field(description="số hiệu văn bản, e.g. 335/2025/NĐ-CP")
    title: Text
    title_en: Text | None = None
    articles: Text | None = Field(None, description="điều, khoản áp dụng")


class Approval(_Strict):
    by: Text = Field(description="người / cơ quan phê duyệt")
    date: dt.date
    decision: Text = Field(description="số quyết định phê duyệt")


class Measure(_Strict):
    """A per-employee aggregate over one record table, within a time window."""

    id: Identifier
    label: Text
    label_en: Text | None = None
    table: Literal["violations", "training", "discipline", "leave"]
    where: Expression | None = Field(None, description="filter over the table's columns")
    agg: Literal["count", "sum", "max", "min", "days"] = Field(
        "count", description="days: leave days inside the window (leave table only)"
    )
    of: Identifier | None = Field(None, description="numeric column for sum / max / min")
    window: Literal["period", "year_to_date", "trailing_12_months"] = Field(
        "period", description="period: the evaluation period; year_to_date: 1 January to the "
        "period's end; trailing_12_months: the 12 calendar months ending with the period's end"
    )
    dated_by: Identifier | None = Field(
        None, description="the date column that places a record in the window (e.g. "
        "decision_date); default: the criteria's dated_by for the table, else the table's own"
    )
    may_be_absent: tuple[Annotated[str, Field(min_length=1, max_length=200)], ...] = Field(
        (), description="text values of `where` that may match no record of the data (else a "
        "value no row holds, while the column has values, stops the run)"
    )


class Rule(_Strict):
    """A deduction or bonus: ``points`` once when ``when`` holds, or ``points`` × ``per``."""

    id: Identifier
    label: Text
    label_en: Text | None = None
    points: Points
    per: Expression | None = Field(
        None, description="a measure or number expression: the points are given per unit of it"
    )
    when: Expression | None = Field(None, description="condition for the rule to apply")
    limit: Points | None = Field(None, description="largest total this rule can give")
    legal_ref: Text | None = None


class Item(_Strict):
    """One line of the points sheet, clipped to [0, max]."""

    id: Identifier
    label: Text
    label_en: Text | None = None
    max: Annotated[float, Field(gt=0, le=1000)]
    assessment: Identifier | None = Field(None, description="assessment column giving the score")
    start: Points | None = Field(None, description="starting points before deductions/bonuses")
    formula: Expression | None = Field(None, description="expression giving the points")
    deductions: tuple[Rule, ...] = ()
    bonuses: tuple[Rule, ...] = ()
    legal_ref: Text | None = None
    description: Text | None = None


class Group(_Strict):
    id: Identifier
    label: Text
    label_en: Text | None = None
    max: Annotated[float, Field(gt=0, le=1000)]
    items: tuple[Item, ...] = Field(min_length=1)


class Band(_Strict):
    """A rating band; a total at or above ``min`` earns it (first match, best first)."""

    code: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$", max_length=16)]
    label: Text
    label_en: Text
    min: Annotated[float, Field(ge=0, le=1000)]


class Override(_Strict):
    """Applied in order after banding: force a rating, cap it, or mark as not rated."""

    id: Identifier
    label: Text
    label_en: Text | None = None
    when: Expression
    action: Literal["force", "cap", "not_rated"]
    rating: str | None = Field(None, description="band code for force / cap")
    legal_ref: Text | None = None


class TieBreak(_Strict):
    by: Identifier = Field(description="a number in the employee context")
    direction: Literal["asc", "desc"] = "asc"


class Quota(_Strict):
    """At most ``max_percent`` % of the number rated ``relative_to`` may be rated ``rating``.

    Checked in every group of every scope, in the order given; the excess moves down one band,
    lowest total first, then by ``tie_break``, then by employee id. ``rounding`` says how the
    allowed count is rounded: ``floor`` (down) or ``half_up`` (to the nearest, halves up).
    """

    id: Identifier
    label: Text
    label_en: Text | None = None
    rating: str
    relative_to: str
    max_percent: Annotated[float, Field(gt=0, le=100)]
    scopes: tuple[Literal["agency", "unit", "duty_group"], ...] = Field(min_length=1)
    tie_break: tuple[TieBreak, ...] = ()
    rounding: Literal["floor", "half_up"] = Field(
        "floor", description="how the allowed count is rounded: floor (down) or half_up"
    )
    legal_ref: Text | None = None


class UnitMeasure(_Strict):
    """A figure over a leader's subordinates: everyone in the sub-units of the unit they lead,
    and the people of lower position in that unit itself."""

    id: Identifier
    label: Text
    label_en: Text | None = None
    where: Expression = Field(description="condition over each subordinate (may use rating)")
    agg: Literal["count", "share"] = "count"


class Leaders(_Strict):
    positions: tuple[Literal["director", "deputy_director", "head", "deputy_head"], ...] = Field(
        ("director", "deputy_director", "head", "deputy_head"), min_length=1
    )
    measures: tuple[UnitMeasure, ...] = ()


class Rollup(_Strict):
    """A sheet fed by the results of its quarters or months (a year of quarters or of months,
    a quarter of months)."""

    criteria: Text = Field(description="criteria file or folder of the quarters or months, "
                           "relative to this file")
    of: Literal["quarter", "month"] = Field("quarter", description="what is rolled up")
    min_periods: Annotated[int, Field(ge=1, le=12)] | None = Field(
        None, description="fewest rated quarters or months (in the unit of `of`) for a mean"
    )
    min_quarters: Annotated[int, Field(ge=1, le=4)] | None = Field(
        None, description="older spelling of min_periods for a roll-up of quarters"
    )

    @property
    def minimum(self) -> int:
        return self.min_periods or self.min_quarters or 1

    @property
    def names(self) -> tuple[str, str, str]:
        """The sheet's names for (mean total, number rated, number rated KHT)."""
        return ROLLUP_NAMES[self.of]


class Summary(_Strict):
    """Which measures the per-unit summary and the reports count with."""

    violations_measure: Identifier | None = Field(
        None, description="a count over violations: its records are the units' violations "
        "(default: every effective violation placed in the period, by the criteria's own "
        "measure of exactly that when there is one)")
    violators_measure: Identifier | None = Field(
        None, description="people whose value of this measure is above 0 are violators "
        "(default: violations_measure)")
    training_measure: Identifier | None = Field(
        None, description="people whose value of this measure is above 0 are trained "
        "(default: none; trained and training_reach are then 0)")


class ExampleExpect(_Strict):
    items: dict[Identifier, float] | None = None
    total: float | None = None
    rating: str | None = None
    status: Literal["rated", "not_rated"] | None = None
    overrides: tuple[Identifier, ...] | None = None


class Example(_Strict):
    """A worked example: given one employee's records, the tool must produce ``expect``."""

    name: Text
    description: Text | None = None
    period: str | None = None
    employee: dict[str, Any] = Field(default_factory=dict)
    assessment: dict[Identifier, float] = Field(default_factory=dict)
    violations: tuple[dict[str, Any], ...] = ()
    training: tuple[dict[str, Any], ...] = ()
    discipline: tuple[dict[str, Any], ...] = ()
    leave: tuple[dict[str, Any], ...] = ()
    quarters: dict[Literal["quarter_mean_total", "quarters_rated", "quarters_kht"], float] = Field(
        default_factory=dict, description="quarterly results, for a roll-up of quarters"
    )
    months: dict[Literal["month_mean_total", "months_rated", "months_kht"], float] = Field(
        default_factory=dict, description="monthly results, for a roll-up of months"
    )
    unit: dict[Identifier, float] = Field(
        default_factory=dict, description="values of the leaders' unit measures, for a leader"
    )
    expect: ExampleExpect


class QuotaExample(_Strict):
    """A worked quota case: with these counts in one group, this many keep the rating."""

    name: Text
    quota: Identifier
    counts: dict[str, Annotated[int, Field(ge=0)]]
    expect_kept: Annotated[int, Field(ge=0)]


# What the unit summary counts as violations when the criteria name no measure for it.
DEFAULT_VIOLATIONS = Measure.model_validate({
    "id": "effective_violations", "label": "Vi phạm giao thông có hiệu lực trong kỳ",
    "label_en": "Effective traffic violations in the period", "table": "violations",
    "where": "status = 'effective'"})


class Criteria(_Strict):
    """A whole criteria file."""

    id: Identifier
    version: Annotated[str, Field(min_length=1, max_length=32)]
    title: Text
    title_en: Text | None = None
    organisation: Text
    governing_body: Text | None = Field(
        None, description="the body above the organisation, first line of the letterhead "
        "(e.g. UBND tỉnh Quảng Ngãi); --agency overrides it")
    place: Text | None = Field(
        None, description="the place on the documents' date line (e.g. Quảng Ngãi); --place "
        "overrides it")
    legal_basis: tuple[LegalDoc, ...] = Field(min_length=1)
    approval: Approval | None = None
    effective_from: dt.date
    effective_until: dt.date | None = None
    replaces: str | None = Field(None, description="id@version of the criteria this replaces")
    period_kind: Literal["month", "quarter", "year"]
    applies_to: tuple[
        Literal["cadre", "civil_servant", "public_employee", "worker"], ...
    ] = Field(("cadre", "civil_servant", "public_employee", "worker"), min_length=1)
    assessment_columns: tuple[Identifier, ...] = Field(
        (), description="further assessment columns used in formulas or conditions"
    )
    dated_by: dict[Literal["violations", "training", "discipline"], Identifier] = Field(
        default_factory=dict, description="per table, the date column that places its records "
        "in a period (default: violations by violation_date, training by session_date, "
        "discipline by decision_date); a measure's own dated_by wins"
    )
    measures: tuple[Measure, ...] = ()
    groups: tuple[Group, ...] = Field(min_length=1)
    ratings: tuple[Band, ...] = Field(min_length=2)
    overrides: tuple[Override, ...] = ()
    leaders: Leaders = Leaders()  # type: ignore[call-arg]  # pydantic fills the defaults
    quotas: tuple[Quota, ...] = ()
    rollup: Rollup | None = None
    summary: Summary = Summary()  # type: ignore[call-arg]  # pydantic fills the defaults
    examples: tuple[Example, ...] = ()
    quota_examples: tuple[QuotaExample, ...] = ()

    # -- convenience lookups (derived, never stored) --------------------------------------
    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for g in self.groups for i in g.items)

    @property
    def max_total(self) -> float:
        return float(sum(g.max for g in self.groups))

    @property
    def assessment_ranges(self) -> dict[str, float | None]:
        """Every assessment column used → the item maximum it is scored against (or None)."""
        ranges: dict[str, float | None] = {c: None for c in self.assessment_columns}
        ranges.update({i.assessment: i.max for i in self.items if i.assessment})
        return ranges

    def date_column(self, measure: Measure) -> str | None:
        """The date column placing ``measure``'s records in its window (None: leave intervals)."""
        if measure.table == "leave":
            return None
        return (measure.dated_by or self.dated_by.get(measure.table)
                or TABLES[measure.table].date_column)

    def summary_measures(self) -> tuple[Measure | None, Measure | None, Measure | None]:
        """The measures behind the unit summary's violations, violators and trained people.

        Without ``summary.violations_measure`` the summary counts every effective violation
        placed in the period (what its figures are called): the criteria's own measure that
        counts exactly that when there is one, else ``DEFAULT_VIOLATIONS``, which is no
        column of the context. Never some other count of violations (alcohol only, say).
        """
        s = self.summary
        violations = (self.measure(s.violations_measure) if s.violations_measure
                      else self._effective_violations())
        violators = self.measure(s.violators_measure) if s.violators_measure else violations
        training = self.measure(s.training_measure) if s.training_measure else None
        return violations, violators, training

    def _effective_violations(self) -> Measure:
        default = self.date_column(DEFAULT_VIOLATIONS)
        return next((m for m in self.measures if m.table == "violations" and m.agg == "count"
                     and m.window == "period" and self.date_column(m) == default
                     and "".join((m.where or "").split()) == "status='effective'"),
                    DEFAULT_VIOLATIONS)

    def measure(self, measure_id: str) -> Measure | None:
        return next((m for m in self.measures if m.id == measure_id), None)

    def band(self, code: str) -> Band | None:
        return next((b for b in self.ratings if b.code == code), None)

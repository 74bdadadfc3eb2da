"""Checks on a structurally valid criteria file that its types cannot express: unique ids,
points that add up, rating bands in order, expressions that compile against the names each
place may use, and examples that name real items, ratings and columns.

Each problem is located through the ``LineReader`` that read the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import polars as pl

from scoring.codes import Code
from scoring.errors import Issue, did_you_mean, issue
from scoring.inputs.contract import TABLES
from scoring.periods import parse_period
from scoring.rules.example_checks import check_example_records
from scoring.rules.expressions import ExpressionError, compile_expression
from scoring.rules.model import BUILTIN_MEASURES, EMPLOYEE_ATTRIBUTES, ROLLUP_MEASURES, Criteria
from scoring.rules.names import (
    context_allowed_values,
    context_schema,
    rating_allowed_values,
    record_allowed_values,
    record_schema,
    unit_measure_schema,
)
from scoring.rules.time_checks import check_dates, check_rollup
from scoring.rules.yaml_lines import LineReader, Path_, format_path

__all__ = ["check_criteria"]

_hint = did_you_mean


def check_criteria(criteria: Criteria, reader: LineReader) -> list[Issue]:
    """Every semantic problem of ``criteria``, located in the file ``reader`` read."""
    return _Checker(criteria, reader).run()


class _Checker:
    def __init__(self, criteria: Criteria, reader: LineReader):
        self.c = criteria
        self.r = reader
        self.issues: list[Issue] = []

    def add(self, code: Code, path: Path_, message: str, *value: object) -> None:
        self.issues.append(issue(self.r.source, self.r.line(path), format_path(path), message, *value,
                                 code=code))

    def expression(self, path: Path_, text: str | None, schema: Mapping[str, Any],
                   kind: Literal["condition", "number"],
                   allowed: Mapping[str, Any] | None) -> None:
        if text is None:
            return
        try:
            compile_expression(text, schema, kind=kind, allowed_values=allowed)
        except ExpressionError as exc:
            self.add(exc.code, path, str(exc), text)

    def unique(self, path: Path_, ids: list[str], what: str) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                self.add(Code.DUPLICATE_ID,
                         (*path, i, "id"), f"mã {what} bị trùng / duplicate {what} id", ident)
            seen.add(ident)

    def run(self) -> list[Issue]:
        c = self.c
        if c.effective_until and c.effective_until < c.effective_from:
            self.add(Code.DATES, ("effective_until",), "ngày hết hiệu lực trước ngày có hiệu lực / "
                     "effective_until is before effective_from", str(c.effective_until))
        self.measures()
        check_dates(c, self.add)
        self.sheet()
        self.bands()
        self.overrides()
        self.leaders()
        self.quotas()
        check_rollup(c, self.add)
        self.summary()
        self.examples()
        check_example_records(c, self.add)
        self.quota_examples()
        return self.issues

    def summary(self) -> None:
        s = self.c.summary
        for key in ("violations_measure", "violators_measure", "training_measure"):
            name = getattr(s, key)
            if name and not self.c.measure(name):
                self.add(Code.UNKNOWN_NAME, ("summary", key), "không có chỉ số này / unknown measure"
                         + _hint(name, [m.id for m in self.c.measures]), name)
        m = self.c.measure(s.violations_measure) if s.violations_measure else None
        if m is not None and (m.table != "violations" or m.agg != "count"):
            self.add(Code.MEASURE, ("summary", "violations_measure"), "phải là chỉ số đếm (agg: "
                     "count) trên bảng violations / must be a count (agg: count) over violations",
                     m.id)

    def measures(self) -> None:
        self.unique(("measures",), [m.id for m in self.c.measures], "chỉ số / measure")
        for i, m in enumerate(self.c.measures):
            path: Path_ = ("measures", i)
            if m.id in EMPLOYEE_ATTRIBUTES or m.id in self.c.assessment_ranges:
                self.add(Code.NAME_CLASH,
                         (*path, "id"), "trùng tên một thuộc tính hoặc cột đánh giá / clashes with "
                         "an employee attribute or assessment column", m.id)
            if m.id in BUILTIN_MEASURES or m.id in ROLLUP_MEASURES:
                self.add(Code.NAME_CLASH, (*path, "id"), "trùng tên chỉ số có sẵn / clashes with a built-in "
                         "measure", m.id)
            schema = record_schema(m.table)
            self.expression((*path, "where"), m.where, schema, "condition",
                            record_allowed_values(m.table))
            if m.agg == "days":
                if m.table != "leave":
                    self.add(Code.MEASURE,
                             (*path, "agg"), "agg: days chỉ dùng cho bảng leave / days is only for "
                             "the leave table", m.agg)
                if m.of is not None:
                    self.add(Code.MEASURE,
                             (*path, "of"), "agg: days không dùng 'of' / days takes no 'of'", m.of)
            elif m.agg == "count":
                if m.of is not None:
                    self.add(Code.MEASURE,
                             (*path, "of"), "agg: count không dùng 'of' / count takes no 'of'", m.of)
            elif m.of is None:
                self.add(Code.MEASURE,
                         path, f"agg: {m.agg} cần 'of' (cột số) / {m.agg} needs 'of' (a numeric "
                         f"column)")
            elif m.of not in schema or schema[m.of] not in (pl.Int64, pl.Float64):
                numeric = [n for n, t in schema.items() if str(t) in ("Int64", "Float64")]
                self.add(Code.MEASURE, (*path, "of"), f"không phải cột số của bảng {m.table} / not a numeric "
                         f"column of {m.table}; cho phép / allowed: {', '.join(numeric)}", m.of)

    def sheet(self) -> None:
        c = self.c
        schema = context_schema(c)
        allowed = context_allowed_values()
        self.unique(("groups",), [g.id for g in c.groups], "nhóm / group")
        seen: set[str] = set()
        for gi, g in enumerate(c.groups):
            total = sum(i.max for i in g.items)
            if abs(total - g.max) > 1e-9:
                self.add(Code.POINTS, ("groups", gi, "max"), f"tổng điểm tối đa các mục là {total:g}, khác "
                         f"điểm tối đa của nhóm / the items' maxima add up to {total:g}, not the "
                         f"group's max", g.max)
            for ii, item in enumerate(g.items):
                path: Path_ = ("groups", gi, "items", ii)
                if item.id in seen:
                    self.add(Code.DUPLICATE_ID, (*path, "id"), "mã mục bị trùng / duplicate item id", item.id)
                seen.add(item.id)
                sources = [k for k in ("assessment", "start", "formula") if getattr(item, k) is not None]
                if len(sources) != 1:
                    self.add(Code.ITEM_BASE,
                             path, "mỗi mục cần đúng một trong assessment, start, formula / each "
                             "item needs exactly one of assessment, start, formula",
                             ", ".join(sources) or "none")
                if item.start is not None and item.start > item.max:
                    self.add(Code.POINTS, (*path, "start"), f"lớn hơn điểm tối đa {item.max:g} / above the "
                             f"item's max {item.max:g}", item.start)
                self.expression((*path, "formula"), item.formula, schema, "number", allowed)
                for kind in ("deductions", "bonuses"):
                    rules = getattr(item, kind)
                    self.unique((*path, kind), [r.id for r in rules], "quy tắc / rule")
                    for ri, rule in enumerate(rules):
                        rpath: Path_ = (*path, kind, ri)
                        if rule.per is None and rule.when is None:
                            self.add(Code.RULE, rpath, "quy tắc cần 'per' hoặc 'when' / a rule needs 'per' "
                                     "or 'when'")
                        self.expression((*rpath, "per"), rule.per, schema, "number", allowed)
                        self.expression((*rpath, "when"), rule.when, schema, "condition", allowed)

    def bands(self) -> None:
        c = self.c
        codes = [b.code for b in c.ratings]
        for i, code in enumerate(codes):
            if code in codes[:i]:
                self.add(Code.DUPLICATE_ID,
                         ("ratings", i, "code"), "mã xếp loại bị trùng / duplicate rating code", code)
        for i in range(1, len(c.ratings)):
            if c.ratings[i].min >= c.ratings[i - 1].min:
                self.add(Code.RATINGS,
                         ("ratings", i, "min"), "các mức phải xếp từ cao xuống thấp, ngưỡng giảm "
                         "dần / bands go from best to worst with decreasing minimums",
                         c.ratings[i].min)
        if c.ratings[-1].min != 0:
            self.add(Code.RATINGS,
                     ("ratings", len(c.ratings) - 1, "min"), "mức thấp nhất phải bắt đầu từ 0 để "
                     "mọi tổng điểm đều được xếp loại / the lowest band must start at 0",
                     c.ratings[-1].min)
        if c.ratings[0].min > c.max_total:
            self.add(Code.RATINGS, ("ratings", 0, "min"), f"cao hơn tổng điểm tối đa {c.max_total:g} / above "
                     f"the sheet's maximum {c.max_total:g}", c.ratings[0].min)

    def overrides(self) -> None:
        c = self.c
        schema = context_schema(c)
        codes = [b.code for b in c.ratings]
        self.unique(("overrides",), [o.id for o in c.overrides], "ngoại lệ / override")
        for i, o in enumerate(c.overrides):
            path: Path_ = ("overrides", i)
            if o.action in ("force", "cap") and o.rating not in codes:
                self.add(Code.OVERRIDE,
                         (*path, "rating"), f"cần mã xếp loại / needs a rating code; cho phép / "
                         f"allowed: {', '.join(codes)}", o.rating)
            if o.action == "not_rated" and o.rating is not None:
                self.add(Code.OVERRIDE,
                         (*path, "rating"), "not_rated không dùng 'rating' / not_rated takes no "
                         "rating", o.rating)
            self.expression((*path, "when"), o.when, schema, "condition", context_allowed_values())

    def quota_examples(self) -> None:
        c = self.c
        codes = [b.code for b in c.ratings]
        quotas = {q.id: q for q in c.quotas}
        for i, ex in enumerate(c.quota_examples):
            path: Path_ = ("quota_examples", i)
            q = quotas.get(ex.quota)
            if q is None:
                self.add(Code.EXAMPLE, (*path, "quota"), "không có hạn mức này / unknown quota"
                         + _hint(ex.quota, quotas), ex.quota)
                continue
            for key in ex.counts:
                if key not in codes:
                    self.add(Code.EXAMPLE,
                             (*path, "counts", key), "mã xếp loại không có / unknown rating", key)

    def leaders(self) -> None:
        c = self.c
        measures = c.leaders.measures
        self.unique(("leaders", "measures"), [u.id for u in measures], "chỉ số đơn vị / unit measure")
        taken = ({m.id for m in c.measures} | set(BUILTIN_MEASURES) | set(ROLLUP_MEASURES)
                 | set(EMPLOYEE_ATTRIBUTES) | set(c.assessment_ranges))
        schema = unit_measure_schema(c)
        for i, u in enumerate(measures):
            path: Path_ = ("leaders", "measures", i)
            if u.id in taken:
                self.add(Code.NAME_CLASH,
                         (*path, "id"), "trùng tên một chỉ số khác / clashes with another measure",
                         u.id)
            self.expression((*path, "where"), u.where, schema, "condition", rating_allowed_values(c))

    def quotas(self) -> None:
        c = self.c
        codes = [b.code for b in c.ratings]
        schema = context_schema(c) | {"total": pl.Float64}
        self.unique(("quotas",), [q.id for q in c.quotas], "hạn mức / quota")
        for i, q in enumerate(c.quotas):
            path: Path_ = ("quotas", i)
            for key in ("rating", "relative_to"):
                if getattr(q, key) not in codes:
                    self.add(Code.QUOTA, (*path, key), f"mã xếp loại không có / unknown rating; cho phép / "
                             f"allowed: {', '.join(codes)}", getattr(q, key))
            if q.rating in codes and codes.index(q.rating) == len(codes) - 1:
                self.add(Code.QUOTA, (*path, "rating"), "mức thấp nhất không thể hạ thêm / the lowest band "
                         "cannot be moved down", q.rating)
            if len(set(q.scopes)) != len(q.scopes):
                self.add(Code.QUOTA,
                         (*path, "scopes"), "phạm vi bị lặp / a scope is repeated", list(q.scopes))
            for ti, tb in enumerate(q.tie_break):
                if tb.by not in schema or schema[tb.by] not in (pl.Int64, pl.Float64):
                    numeric = sorted(n for n, t in schema.items() if t in (pl.Int64, pl.Float64))
                    self.add(Code.QUOTA, (*path, "tie_break", ti, "by"), "không phải một số của từng người / "
                             "not a number of each employee" + _hint(tb.by, numeric)
                             + f"; cho phép / allowed: {', '.join(numeric)}", tb.by)

    def examples(self) -> None:
        c = self.c
        codes = [b.code for b in c.ratings]
        item_ids = {i.id for i in c.items}
        override_ids = {o.id for o in c.overrides}
        staff_cols = set(TABLES["staff"].column_names)
        for i, ex in enumerate(c.examples):
            path: Path_ = ("examples", i)
            if ex.period is not None:
                try:
                    p = parse_period(ex.period)
                    if p.kind != c.period_kind:
                        self.add(Code.EXAMPLE, (*path, "period"), f"kỳ phải là {c.period_kind} / period must "
                                 f"be a {c.period_kind}", ex.period)
                except ValueError as exc:
                    self.add(Code.EXAMPLE, (*path, "period"), str(exc))
            for key in ex.employee:
                if key not in staff_cols:
                    self.add(Code.EXAMPLE, (*path, "employee", key), "không phải cột của bảng staff / not a "
                             "column of staff" + _hint(key, staff_cols), key)
            for key in ex.assessment:
                if key not in c.assessment_ranges:
                    self.add(Code.EXAMPLE, (*path, "assessment", key), "cột đánh giá không được dùng trong "
                             "bảng điểm / assessment column not used by the sheet"
                             + _hint(key, c.assessment_ranges), key)
            for table in ("violations", "training", "discipline", "leave"):
                cols = set(TABLES[table].column_names)
                for ri, rec in enumerate(getattr(ex, table)):
                    for key in rec:
                        if key not in cols:
                            self.add(Code.EXAMPLE,
                                     (*path, table, ri, key), f"không phải cột của bảng {table} "
                                     f"/ not a column of {table}" + _hint(key, cols), key)
            unit_ids = {u.id for u in c.leaders.measures}
            for key in ex.unit:
                if key not in unit_ids:
                    self.add(Code.EXAMPLE, (*path, "unit", key), "không có chỉ số đơn vị này / unknown unit "
                             "measure" + _hint(key, unit_ids), key)
            exp = ex.expect
            if exp.rating is not None and exp.rating not in codes:
                self.add(Code.EXAMPLE, (*path, "expect", "rating"), f"mã xếp loại không có / unknown rating; "
                         f"cho phép / allowed: {', '.join(codes)}", exp.rating)
            for key in exp.items or {}:
                if key not in item_ids:
                    self.add(Code.EXAMPLE, (*path, "expect", "items", key), "không có mục này / unknown item"
                             + _hint(key, item_ids), key)
            for key in exp.overrides or ():
                if key not in override_ids:
                    self.add(Code.EXAMPLE, (*path, "expect", "overrides"), "không có ngoại lệ này / unknown "
                             "override" + _hint(key, override_ids), key)

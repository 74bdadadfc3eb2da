"""Load a criteria YAML file into a frozen ``Criteria``, reporting every problem at once.

Each problem names the file, the 1-based line, the path as the user writes it
(``groups[0].items[2].max``), the bad value and what is allowed. YAML is read with the safe
loader; anchors/aliases and duplicate keys are rejected; no tag can construct Python objects.
"""

from __future__ import annotations

import functools
import types
import typing
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import polars as pl
import yaml
from pydantic import BaseModel, ValidationError

from scoring.codes import Code
from scoring.errors import CriteriaError, Issue, did_you_mean, issue
from scoring.inputs.contract import TABLES
from scoring.periods import parse_period
from scoring.rules.example_checks import check_example_records
from scoring.rules.expressions import ExpressionError, compile_expression
from scoring.rules.limits import TooManyValues, check_limits, compose
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

__all__ = ["load_criteria", "load_criteria_file", "format_path"]

Path_ = tuple[str | int, ...]
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_MAX_BYTES = 2_000_000


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(tệp / file)"


# -- YAML to plain data with a line for every path ------------------------------------------


class _Reader:
    def __init__(self, source: str):
        self.source = source
        self.lines: dict[Path_, int] = {}
        self.key_lines: dict[Path_, int] = {}
        self.issues: list[Issue] = []
        self._seen: set[int] = set()
        self._constructor = yaml.constructor.SafeConstructor()

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if id(node) in self._seen:
            self.issues.append(issue(self.source, node.start_mark.line + 1, format_path(path),
                                     "không dùng anchor/alias (&, *) / anchors and aliases are "
                                     "not allowed", code=Code.YAML_ALIAS))
            return None
        self._seen.add(id(node))
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            self.issues.append(issue(self.source, node.start_mark.line + 1, format_path(path),
                                     "thẻ YAML không được phép / YAML value not allowed: tag "
                                     f"{node.tag}", code=Code.YAML_TAG))
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    self.issues.append(issue(self.source, line, format_path(path),
                                             "khoá phải là chữ đơn giản / keys must be plain text",
                                             code=Code.YAML_KEY_NOT_TEXT))
                    continue
                key = str(key_node.value)
                if key in out:
                    self.issues.append(issue(self.source, line, format_path((*path, key)),
                                             "khoá bị lặp / duplicate key", key,
                                             code=Code.YAML_DUPLICATE_KEY))
                    continue
                self.key_lines[(*path, key)] = line
                out[key] = self.convert(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(v, (*path, i)) for i, v in enumerate(node.value)]
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            self.issues.append(issue(self.source, node.start_mark.line + 1, format_path(path),
                                     f"giá trị YAML không được phép / YAML value not allowed: "
                                     f"{getattr(exc, 'problem', None) or exc}", node.value,
                                     code=Code.YAML_VALUE))
            return None

    def line(self, path: Path_) -> int | None:
        for n in range(len(path), -1, -1):
            sub = path[:n]
            if sub in self.key_lines and n == len(path):
                return self.key_lines[sub]
            if sub in self.lines:
                return self.lines[sub]
        return None


# -- pydantic errors into user words -----------------------------------------------------------

_VI: dict[str, str] = {
    "missing": "thiếu khoá bắt buộc / missing required key",
    "extra_forbidden": "khoá không được phép / unknown key",
    "string_type": "phải là chữ (đặt trong dấu nháy) / must be text (put it in quotes)",
    "float_type": "phải là số / must be a number",
    "float_parsing": "phải là số / must be a number",
    "int_type": "phải là số nguyên / must be a whole number",
    "bool_type": "phải là true hoặc false / must be true or false",
    "date_type": "phải là ngày dạng YYYY-MM-DD / must be a date YYYY-MM-DD",
    "date_parsing": "phải là ngày dạng YYYY-MM-DD / must be a date YYYY-MM-DD",
    "date_from_datetime_parsing": "phải là ngày dạng YYYY-MM-DD / must be a date YYYY-MM-DD",
    "dict_type": "phải là một bảng khoá: giá trị / must be a mapping of key: value",
    "model_type": "phải là một bảng khoá: giá trị / must be a mapping of key: value",
    "tuple_type": "phải là một danh sách (- ...) / must be a list (- ...)",
    "too_short": "không được để trống / must not be empty",
    "string_too_short": "không được để trống / must not be empty",
    "string_too_long": "quá dài / too long",
    "greater_than": "quá nhỏ / too small",
    "greater_than_equal": "quá nhỏ / too small",
    "less_than_equal": "quá lớn / too large",
    "string_pattern_mismatch": "mã chỉ gồm chữ thường không dấu, số và _ , bắt đầu bằng chữ / "
    "ids use lower-case ASCII letters, digits and _, starting with a letter",
}


def _unwrap(annotation: Any) -> Any:
    """The model class inside Optional[...] / tuple[...] / Annotated[...], else None."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, tuple, list):
        for arg in typing.get_args(annotation):
            found = _unwrap(arg)
            if found is not None:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _model_at(loc: Path_) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Criteria
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _unwrap(field.annotation)
    return model


def _pydantic_issues(exc: ValidationError, reader: _Reader) -> list[Issue]:
    out = []
    for err in exc.errors(include_url=False):
        loc: Path_ = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        kind = err["type"]
        message = _VI.get(kind, "giá trị không hợp lệ / invalid value")
        ctx = err.get("ctx") or {}
        if kind == "extra_forbidden":
            parent = _model_at(loc[:-1])
            allowed = sorted(parent.model_fields) if parent else []
            message += did_you_mean(str(loc[-1]), allowed)
            if allowed:
                message += f"; cho phép / allowed: {', '.join(allowed)}"
            out.append(issue(reader.source, reader.line(loc), format_path(loc), message,
                             code=Code.UNKNOWN_KEY))
            continue
        if kind == "literal_error":
            expected = ctx.get("expected")
            message = f"giá trị không được phép / value not allowed; cho phép / allowed: {expected}"
        elif kind in ("greater_than", "greater_than_equal", "less_than_equal", "less_than"):
            bound = next(iter(ctx.values()), "")
            sign = {"greater_than": ">", "greater_than_equal": "≥", "less_than": "<",
                    "less_than_equal": "≤"}[kind]
            message += f": phải {sign} {bound} / must be {sign} {bound}"
        elif kind not in _VI:
            message += f": {err['msg']}"
        if kind == "missing":
            out.append(issue(reader.source, reader.line(loc[:-1]), format_path(loc), message,
                             code=Code.MISSING_KEY))
        else:
            code = Code.VALUE_NOT_ALLOWED if kind == "literal_error" else Code.INVALID_VALUE
            out.append(issue(reader.source, reader.line(loc), format_path(loc), message,
                             err.get("input"), code=code))
    return out


# -- semantic checks on a structurally valid file ------------------------------------------


class _Checker:
    def __init__(self, criteria: Criteria, reader: _Reader):
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


_hint = did_you_mean


# -- public API ------------------------------------------------------------------------------


def load_criteria(text: str, *, source: str = "<criteria>") -> Criteria:
    """Parse criteria YAML text; raise CriteriaError listing every problem."""
    if len(text) > _MAX_BYTES:
        raise CriteriaError([issue(source, None, None, "tệp quá lớn / file too large",
                                   code=Code.CRITERIA_TOO_LARGE)])
    reader = _Reader(source)
    try:
        node = compose(text)
    except TooManyValues as exc:
        many = f"{exc.budget:,}"
        raise CriteriaError([issue(source, exc.line, None, f"tệp có hơn {many.replace(',', '.')} giá "
                                   "trị YAML; một tệp tiêu chí thật có vài trăm / the file holds more "
                                   f"than {many} YAML values; a real criteria file has a few "
                                   "hundred", code=Code.YAML_TOO_MANY_VALUES)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise CriteriaError([issue(source, line, None, f"YAML sai cú pháp / YAML syntax error: "
                                   f"{problem}", code=Code.YAML_SYNTAX)]) from None
    except (ValueError, RecursionError) as exc:
        raise CriteriaError([issue(source, None, None, f"không đọc được YAML / cannot read YAML: "
                                   f"{exc}", code=Code.YAML_UNREADABLE)]) from None
    if node is None or not isinstance(node, yaml.MappingNode):
        raise CriteriaError([issue(source, 1 if node is None else node.start_mark.line + 1, None,
                                   "tệp tiêu chí phải là một bảng khoá: giá trị (id:, version:, "
                                   "...) / a criteria file must be a mapping (id:, version:, ...)",
                                   code=Code.CRITERIA_NOT_MAPPING)])
    try:
        data = reader.convert(node, ())
    except RecursionError:
        raise CriteriaError([issue(source, None, None, "YAML lồng quá sâu / YAML nested too "
                                   "deeply", code=Code.YAML_TOO_DEEP)]) from None
    if reader.issues:
        raise CriteriaError(reader.issues)
    too_many = check_limits(data)
    if too_many:  # before the structure checks, whose cost grows with the entries
        raise CriteriaError([issue(source, reader.line(path), format_path(path), message,
                                   code=Code.TOO_MANY_ENTRIES) for path, message in too_many])
    try:
        criteria = Criteria.model_validate(data)
    except ValidationError as exc:
        raise CriteriaError(_pydantic_issues(exc, reader)) from None
    problems = _Checker(criteria, reader).run()
    if problems:
        raise CriteriaError(problems)
    return criteria


@functools.lru_cache(maxsize=32)
def _load_once(text: str, source: str) -> Criteria:
    """A file's text is checked once per process: a roll-up asks for its parts' criteria once
    per quarter or month (twelve times a year), and the result is frozen. Errors are not kept."""
    return load_criteria(text, source=source)


def load_criteria_file(path: str | Path) -> Criteria:
    """Read and parse a criteria file; unreadable files are CriteriaErrors too."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise CriteriaError([issue(str(p), None, None, f"không đọc được tệp / cannot read file: "
                                   f"{exc.strerror}", code=Code.CRITERIA_UNREADABLE)]) from None
    if len(raw) > _MAX_BYTES:
        raise CriteriaError([issue(p.name, None, None, "tệp quá lớn / file too large",
                                   code=Code.CRITERIA_TOO_LARGE)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CriteriaError([issue(p.name, None, None, "tệp phải lưu dạng UTF-8 / the file must "
                                   "be saved as UTF-8", code=Code.CRITERIA_NOT_UTF8)]) from None
    criteria = _load_once(unicodedata.normalize("NFC", text), p.name)
    if criteria.rollup is not None and not (p.parent / criteria.rollup.criteria).exists():
        raise CriteriaError([issue(p.name, None, "rollup.criteria", "không tìm thấy tệp hoặc thư "
                                   "mục tiêu chí của các kỳ được tổng hợp / criteria of the "
                                   "rolled-up periods not found",
                                   criteria.rollup.criteria, code=Code.ROLLUP_SOURCE)])
    return criteria

"""The documented expression grammar, checked on a parse tree before Polars sees any text.

Polars' SQL translator resolves table functions and subqueries while it builds an expression
(``read_csv('/etc/passwd')`` inside ``IN (SELECT …)`` opens the file), so criteria text never
reaches it directly. sqlglot parses the text into a tree; every node must be one of the kinds
of docs/criteria.md section 4 (a whitelist of node kinds, their arguments and five functions),
and every name must be known at that place. The tree is typed (number, text, date, yes/no) so
that a comparison that can never be true is refused with what to write instead. Polars then
receives this module's own rendering of the checked tree, never the user's text: what is
checked is what runs.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import polars as pl
import sqlglot
from sqlglot import exp

from scoring.codes import Code
from scoring.errors import did_you_mean

__all__ = ["ExpressionError", "Checked", "check_expression", "MAX_NUMBER"]

Kind = Literal["number", "text", "date", "bool", "null"]
# Literals beyond this are refused: no rule needs them and products of two of them overflow.
MAX_NUMBER = 1e15
_MAX_DEPTH = 40


class ExpressionError(ValueError):
    """An expression that cannot be used; the message is bilingual and says what is allowed."""

    def __init__(self, message: str, code: Code = Code.EXPRESSION):
        super().__init__(message)
        self.code = code


def _type_error(message: str) -> ExpressionError:
    return ExpressionError(message, Code.EXPRESSION_TYPE)


_ALLOWED_FORMS = (
    "so sánh = != <> < <= > >=, AND, OR, NOT, IN (…), BETWEEN, IS [NOT] NULL, + - * / %, "
    "LEAST, GREATEST, COALESCE, ROUND, ABS, CASE WHEN … THEN … ELSE … END, true, false, "
    "DATE 'YYYY-MM-DD'"
)


def _refuse(what: str) -> ExpressionError:
    return ExpressionError(
        f"không thuộc ngôn ngữ tiêu chí / not part of the criteria language: {what}; chỉ dùng / "
        f"only: {_ALLOWED_FORMS}", Code.EXPRESSION_NOT_ALLOWED)


def _kind_of(dtype: pl.DataType | type[pl.DataType]) -> Kind:
    if dtype == pl.Boolean:
        return "bool"
    if dtype == pl.Date:
        return "date"
    if dtype.is_numeric():
        return "number"
    return "text"


_KIND_WORDS: dict[Kind, str] = {
    "number": "số / a number", "text": "chữ / text", "date": "ngày / a date",
    "bool": "đúng/sai / true or false", "null": "NULL",
}


@dataclass
class Checked:
    """A checked expression: its type, Polars-SQL rendering, names and coded-column literals."""

    kind: Kind
    sql: str
    names: tuple[str, ...]
    literals: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Typed:
    kind: Kind
    sql: str
    column: str | None = None  # a bare column
    text: str | None = None  # a text literal's value


class _Walker:
    def __init__(self, schema: Mapping[str, pl.DataType | type[pl.DataType]],
                 allowed: Mapping[str, tuple[object, ...]]):
        self.schema = schema
        self.allowed = allowed
        self.names: set[str] = set()
        self.literals: dict[str, list[str]] = {}
        self.depth = 0

    def visit(self, node: exp.Expr) -> _Typed:
        handler = _HANDLERS.get(type(node))
        if handler is None:
            raise _refuse(node.sql()[:80] or type(node).__name__)
        extra = {k for k, v in node.args.items() if v not in (None, False, [], "")} - _ARGS[type(node)]
        if extra:
            raise _refuse(node.sql()[:80])
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise ExpressionError(f"biểu thức lồng quá sâu / expression nested deeper than {_MAX_DEPTH}")
        try:
            return handler(self, node)
        finally:
            self.depth -= 1

    # -- leaves ---------------------------------------------------------------------------

    def column(self, node: exp.Expr) -> _Typed:
        name = node.name
        if name not in self.schema:
            hint = did_you_mean(name, self.schema)
            raise ExpressionError(f"tên không xác định '{name}' / unknown name '{name}'{hint}; "
                                  f"dùng được / known: {', '.join(sorted(self.schema))}")
        self.names.add(name)
        quoted = '"' + name.replace('"', '""') + '"'
        return _Typed(_kind_of(self.schema[name]), quoted, column=name)

    def literal(self, node: exp.Expr) -> _Typed:
        value = str(node.this)
        if node.is_string:
            return _Typed("text", "'" + value.replace("'", "''") + "'", text=value)
        number = float(value)
        if not math.isfinite(number) or abs(number) > MAX_NUMBER:
            raise ExpressionError(f"số quá lớn / number too large: {value}; tối đa / at most "
                                  f"{MAX_NUMBER:.0e}")
        return _Typed("number", value)

    def boolean(self, node: exp.Expr) -> _Typed:
        return _Typed("bool", "true" if node.this else "false")

    def null(self, node: exp.Expr) -> _Typed:
        return _Typed("null", "NULL")

    def date(self, node: exp.Expr) -> _Typed:
        inner, to = node.this, node.args["to"]
        if not (isinstance(inner, exp.Literal) and inner.is_string and to.this == exp.DType.DATE):
            raise ExpressionError(
                f"không đổi kiểu được (CAST, ::) / conversions are not part of the language: "
                f"{node.sql()[:80]}; ngày viết / write a date as DATE 'YYYY-MM-DD'",
                Code.EXPRESSION_NOT_ALLOWED)
        text = str(inner.this)
        try:
            dt.date.fromisoformat(text)
            if len(text) != 10:
                raise ValueError(text)
        except ValueError:
            raise ExpressionError(f"ngày không hợp lệ / invalid date: '{text}'; viết / write "
                                  "DATE 'YYYY-MM-DD'") from None
        return _Typed("date", f"DATE '{text}'")

    # -- operators ------------------------------------------------------------------------

    def paren(self, node: exp.Expr) -> _Typed:
        inner = self.visit(node.this)
        return _Typed(inner.kind, f"({inner.sql})", inner.column, inner.text)

    def logic(self, node: exp.Expr) -> _Typed:
        word = "AND" if isinstance(node, exp.And) else "OR"
        left, right = self._bool(node.this, word), self._bool(node.expression, word)
        return _Typed("bool", f"{left.sql} {word} {right.sql}")

    def not_(self, node: exp.Expr) -> _Typed:
        return _Typed("bool", f"NOT {self._bool(node.this, 'NOT').sql}")

    def _bool(self, node: exp.Expr, word: str) -> _Typed:
        typed = self.visit(node)
        if typed.kind != "bool":
            raise _type_error(f"{word} cần điều kiện đúng/sai / {word} needs true/false "
                                  f"conditions, not {_KIND_WORDS[typed.kind]}: {node.sql()[:80]}")
        return typed

    def compare(self, node: exp.Expr) -> _Typed:
        op = _COMPARISONS[type(node)]
        left, right = self.visit(node.this), self.visit(node.expression)
        self._comparable(left, right, ordering=op not in ("=", "<>"))
        if op in ("=", "<>"):
            self._coded(left, [right])
            self._coded(right, [left])
        return _Typed("bool", f"{left.sql} {op} {right.sql}")

    def in_(self, node: exp.Expr) -> _Typed:
        items = node.expressions
        if not items:
            raise ExpressionError("IN cần một danh sách giá trị / IN needs a list of values: "
                                  "IN ('a', 'b')")
        left = self.visit(node.this)
        typed = [self.visit(i) for i in items]
        for t in typed:
            self._comparable(left, t, ordering=False)
        self._coded(left, typed)
        return _Typed("bool", f"{left.sql} IN ({', '.join(t.sql for t in typed)})")

    def between(self, node: exp.Expr) -> _Typed:
        this, low, high = self.visit(node.this), self.visit(node.args["low"]), self.visit(node.args["high"])
        self._comparable(this, low, ordering=True)
        self._comparable(this, high, ordering=True)
        return _Typed("bool", f"{this.sql} BETWEEN {low.sql} AND {high.sql}")

    def is_(self, node: exp.Expr) -> _Typed:
        if not isinstance(node.expression, exp.Null):
            raise _refuse(node.sql()[:80])
        return _Typed("bool", f"{self.visit(node.this).sql} IS NULL")

    def arithmetic(self, node: exp.Expr) -> _Typed:
        op = _ARITHMETIC[type(node)]
        left, right = self._number(node.this, op), self._number(node.expression, op)
        if op in ("/", "%") and right.column is None and _is_zero(right.sql):
            raise ExpressionError(f"chia cho 0 / division by zero: {node.sql()[:80]}")
        if op == "*":  # in floating point: an overflow is infinity (refused when scored), never a wrap
            return _Typed("number", f"CAST({left.sql} AS DOUBLE) * {right.sql}")
        return _Typed("number", f"{left.sql} {op} {right.sql}")

    def neg(self, node: exp.Expr) -> _Typed:
        return _Typed("number", f"-{self._number(node.this, '-').sql}")

    def _number(self, node: exp.Expr, what: str) -> _Typed:
        typed = self.visit(node)
        if typed.kind != "number":
            raise _type_error(f"'{what}' cần số / '{what}' needs numbers, not "
                                  f"{_KIND_WORDS[typed.kind]}: {node.sql()[:80]}")
        return typed

    # -- functions ------------------------------------------------------------------------

    def variadic(self, node: exp.Expr) -> _Typed:
        name = _VARIADIC[type(node)]
        args = [self.visit(a) for a in (node.this, *node.expressions)]
        kinds = {a.kind for a in args} - {"null"}
        if len(kinds) > 1:
            raise _type_error(f"{name} cần các giá trị cùng kiểu / needs values of one type: "
                                  f"{node.sql()[:80]}")
        kind: Kind = kinds.pop() if kinds else "null"
        if name != "COALESCE" and kind not in ("number", "date"):
            raise _type_error(f"{name} cần số hoặc ngày / needs numbers or dates: {node.sql()[:80]}")
        return _Typed(kind, f"{name}({', '.join(a.sql for a in args)})")

    def round_(self, node: exp.Expr) -> _Typed:
        value = self._number(node.this, "ROUND")
        digits = node.args.get("decimals")
        if digits is None:
            return _Typed("number", f"ROUND({value.sql})")
        if not (isinstance(digits, exp.Literal) and not digits.is_string and str(digits.this).isdigit()
                and int(digits.this) <= 10):
            raise ExpressionError(f"ROUND: số chữ số phải là số nguyên 0–10 / the digits must be a "
                                  f"whole number 0–10: {node.sql()[:80]}")
        return _Typed("number", f"ROUND({value.sql}, {int(digits.this)})")

    def abs_(self, node: exp.Expr) -> _Typed:
        return _Typed("number", f"ABS({self._number(node.this, 'ABS').sql})")

    def case(self, node: exp.Expr) -> _Typed:
        parts, results = [], []
        for branch in node.args["ifs"]:
            if not isinstance(branch, exp.If) or set(_set_args(branch)) - {"this", "true"}:
                raise _refuse(node.sql()[:80])
            cond = self._bool(branch.this, "WHEN")
            then = self.visit(branch.args["true"])
            results.append(then)
            parts.append(f"WHEN {cond.sql} THEN {then.sql}")
        default = node.args.get("default")
        if default is not None:
            other = self.visit(default)
            results.append(other)
            parts.append(f"ELSE {other.sql}")
        kinds = {r.kind for r in results} - {"null"}
        if len(kinds) > 1:
            raise _type_error(f"CASE: các nhánh phải cùng kiểu / all branches must have one "
                                  f"type: {node.sql()[:80]}")
        return _Typed(kinds.pop() if kinds else "null", f"CASE {' '.join(parts)} END")

    # -- type rules -----------------------------------------------------------------------

    def _comparable(self, a: _Typed, b: _Typed, *, ordering: bool) -> None:
        if "null" in (a.kind, b.kind):
            named = a.column or b.column or "x"
            raise _type_error(f"so sánh với NULL không bao giờ đúng, viết {named} IS NULL / a "
                                  f"comparison with NULL is never true: write {named} IS NULL")
        if a.kind == b.kind:
            if ordering and a.kind == "bool":
                raise _type_error("đúng/sai chỉ so sánh bằng = hoặc <> / true/false values are "
                                      "compared with = or <> only")
            return
        column, other = (a, b) if a.column is not None else (b, a)
        raise _type_error(_mismatch(column, other))

    def _coded(self, column: _Typed, others: list[_Typed]) -> None:
        if column.column is None:
            return
        values = [o.text for o in others if o.text is not None]
        if not values:
            return
        self.literals.setdefault(column.column, []).extend(values)
        codes = self.allowed.get(column.column) or ()
        if not codes or not isinstance(codes[0], str):
            return
        for value in values:
            if value not in codes:
                raise ExpressionError(
                    f"giá trị '{value}' không có trong cột {column.column} / value '{value}' never "
                    f"occurs in column {column.column}; cho phép / allowed: "
                    + ", ".join(map(str, codes)))


def _parse_detail(exc: sqlglot.errors.SqlglotError) -> str:
    errors = getattr(exc, "errors", None) or []
    if errors and errors[0].get("description"):
        first = errors[0]
        return f"{first['description']} (cột / column {first.get('col')})"
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _set_args(node: exp.Expr) -> list[str]:
    return [k for k, v in node.args.items() if v not in (None, False, [], "")]


def _is_zero(sql: str) -> bool:
    try:
        return float(sql.strip("()")) == 0
    except ValueError:
        return False


def _mismatch(column: _Typed, other: _Typed) -> str:
    """What to write instead when ``column`` is compared with a value of another type."""
    name = column.column or column.sql
    shown = other.sql
    if column.kind == "date":
        example = other.text if other.text and _iso_date(other.text) else "2025-01-31"
        return (f"{name} là ngày: so với DATE '{example}', không với {shown} / {name} is a date: "
                f"compare it with DATE '{example}', not {shown}")
    if column.kind == "bool":
        return (f"{name} là cột đúng/sai: so với true hoặc false (viết {name} = true), không với "
                f"{shown} / {name} is yes/no: compare it with true or false (write {name} = true), "
                f"not {shown}")
    if column.kind == "number" and other.kind == "text":
        hint = f"{other.text}" if other.text is not None else "2"
        return (f"{name} là số: viết số không có nháy ({hint}), không viết {shown} / {name} is a "
                f"number: write the number without quotes ({hint}), not {shown}")
    if column.kind == "text" and other.kind == "number":
        return (f"{name} là chữ: đặt giá trị trong nháy đơn ('{shown}') / {name} is text: put the "
                f"value in single quotes ('{shown}')")
    return (f"không so sánh {_KIND_WORDS[column.kind]} ({name}) với {_KIND_WORDS[other.kind]} "
            f"({shown}) / cannot compare {_KIND_WORDS[column.kind]} with {_KIND_WORDS[other.kind]}")


def _iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


_COMPARISONS: dict[type[exp.Expr], str] = {
    exp.EQ: "=", exp.NEQ: "<>", exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<=",
}
_ARITHMETIC: dict[type[exp.Expr], str] = {
    exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/", exp.Mod: "%",
}
_VARIADIC: dict[type[exp.Expr], str] = {
    exp.Least: "LEAST", exp.Greatest: "GREATEST", exp.Coalesce: "COALESCE",
}
_Handler = Callable[[_Walker, exp.Expr], _Typed]
_HANDLERS: dict[type[exp.Expr], _Handler] = {
    exp.Column: _Walker.column, exp.Literal: _Walker.literal, exp.Boolean: _Walker.boolean,
    exp.Null: _Walker.null, exp.Cast: _Walker.date, exp.Paren: _Walker.paren,
    exp.And: _Walker.logic, exp.Or: _Walker.logic, exp.Not: _Walker.not_,
    exp.In: _Walker.in_, exp.Between: _Walker.between, exp.Is: _Walker.is_,
    exp.Neg: _Walker.neg, exp.Round: _Walker.round_, exp.Abs: _Walker.abs_, exp.Case: _Walker.case,
    **{t: _Walker.compare for t in _COMPARISONS},
    **{t: _Walker.arithmetic for t in _ARITHMETIC},
    **{t: _Walker.variadic for t in _VARIADIC},
}
# The arguments each kind of node may carry; anything else (a subquery in IN, a table name on a
# column, a FORMAT on a cast, …) is refused.
_ARGS: dict[type[exp.Expr], set[str]] = {
    exp.Column: {"this"}, exp.Literal: {"this", "is_string"}, exp.Boolean: {"this"},
    exp.Null: set(), exp.Cast: {"this", "to"}, exp.Paren: {"this"}, exp.Not: {"this"},
    exp.In: {"this", "expressions"}, exp.Between: {"this", "low", "high"},
    exp.Is: {"this", "expression"}, exp.Neg: {"this"}, exp.Round: {"this", "decimals"},
    exp.Abs: {"this"}, exp.Case: {"ifs", "default"},
    exp.And: {"this", "expression"}, exp.Or: {"this", "expression"},
    **{t: {"this", "expression"} for t in _COMPARISONS},
    **{t: {"this", "expression", "typed", "safe"} for t in _ARITHMETIC},
    **{t: {"this", "expressions", "ignore_nulls"} for t in _VARIADIC},
}


def check_expression(
    text: str,
    schema: Mapping[str, pl.DataType | type[pl.DataType]],
    allowed_values: Mapping[str, tuple[object, ...]] | None = None,
) -> Checked:
    """Parse ``text`` and check it against the grammar and ``schema``; raise ExpressionError."""
    try:
        tree = sqlglot.parse_one(text)
    except RecursionError:
        raise ExpressionError("biểu thức lồng quá sâu / expression nested too deeply") from None
    except sqlglot.errors.SqlglotError as exc:
        detail = _parse_detail(exc)
        raise ExpressionError(f"không đọc được biểu thức / cannot parse expression: {detail}") from None
    if tree is None:
        raise ExpressionError("biểu thức trống / empty expression")
    walker = _Walker(schema, allowed_values or {})
    typed = walker.visit(tree)
    return Checked(typed.kind, typed.sql, tuple(sorted(walker.names)), walker.literals)

"""The expression language of criteria files.

Conditions and formulas are SQL expressions (``status = 'effective' AND category = 'alcohol'``,
``alcohol_violations > 0``, ``LEAST(task_quality, 25)``) parsed by Polars' own SQL expression
parser into ``pl.Expr``. Nothing is ever executed as Python. Every expression is checked when the
criteria are loaded: it must parse, use only known names, have the right type on an empty frame
of the known columns, and compare columns with a fixed set of values only against those values.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Literal

import polars as pl

__all__ = ["ExpressionError", "compile_expression", "referenced_names"]

_MAX_LENGTH = 2000
_STRING_LITERAL = r"'(?:[^']|'')*'"


class ExpressionError(ValueError):
    """An expression that cannot be used; the message is bilingual and says what is allowed."""


def _suggest(name: str, names: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return f"; có phải '{close[0]}'? / did you mean '{close[0]}'?" if close else ""


def referenced_names(expr: pl.Expr) -> tuple[str, ...]:
    return tuple(sorted(set(expr.meta.root_names())))


def _check_literals(text: str, allowed: Mapping[str, tuple[object, ...]]) -> None:
    """Reject comparisons of coded columns with values they never take (typos like 'alcohl')."""
    for column, values in allowed.items():
        if not values or not isinstance(values[0], str):
            continue
        col = re.escape(column)
        found: list[str] = []
        for m in re.finditer(rf"\b{col}\s*(?:=|!=|<>)\s*({_STRING_LITERAL})", text, re.I):
            found.append(m[1])
        for m in re.finditer(rf"\b{col}\s+(?:NOT\s+)?IN\s*\(([^)]*)\)", text, re.I):
            found.extend(re.findall(_STRING_LITERAL, m[1]))
        for lit in found:
            value = lit[1:-1].replace("''", "'")
            if value not in values:
                raise ExpressionError(
                    f"giá trị '{value}' không có trong cột {column} / value '{value}' never "
                    f"occurs in column {column}; cho phép / allowed: "
                    + ", ".join(map(str, values))
                )


def compile_expression(
    text: str,
    schema: Mapping[str, pl.DataType | type[pl.DataType]],
    *,
    kind: Literal["condition", "number"],
    allowed_values: Mapping[str, tuple[object, ...]] | None = None,
) -> pl.Expr:
    """Compile ``text`` against the names in ``schema``; raise ExpressionError if unusable."""
    if len(text) > _MAX_LENGTH:
        raise ExpressionError(f"biểu thức quá dài / expression longer than {_MAX_LENGTH} chars")
    if ";" in text:
        raise ExpressionError("chỉ một biểu thức, không dùng ';' / one expression only, no ';'")
    try:
        expr = pl.sql_expr(text)
    except Exception as exc:  # Polars raises several SQL error types; all mean "cannot parse"
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ExpressionError(f"không đọc được biểu thức / cannot parse expression: {detail}") from None
    unknown = [n for n in referenced_names(expr) if n not in schema]
    if unknown:
        name = unknown[0]
        raise ExpressionError(
            f"tên không xác định '{name}' / unknown name '{name}'{_suggest(name, schema)}; "
            f"dùng được / known: {', '.join(sorted(schema))}"
        )
    if allowed_values:
        _check_literals(text, allowed_values)
    try:
        dtype = pl.DataFrame(schema=dict(schema)).select(expr.alias("_")).schema["_"]
    except Exception as exc:  # type errors surface when the plan is resolved
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ExpressionError(f"biểu thức sai kiểu / expression has a type error: {detail}") from None
    if kind == "condition" and dtype != pl.Boolean:
        raise ExpressionError(
            f"điều kiện phải cho giá trị đúng/sai / a condition must be true or false, got {dtype}"
        )
    if kind == "number" and not dtype.is_numeric():
        raise ExpressionError(f"công thức phải cho một số / a formula must give a number, got {dtype}")
    return expr

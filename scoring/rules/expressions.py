"""The expression language of criteria files.

Conditions and formulas are SQL expressions (``status = 'effective' AND category = 'alcohol'``,
``alcohol_violations > 0``, ``LEAST(task_quality, 25)``). ``scoring.rules.grammar`` checks the
text on its parse tree first (only the documented grammar, only known names, well typed, coded
columns compared only with their codes); Polars' SQL expression parser then turns the checked
tree's rendering into a ``pl.Expr``. Nothing is ever executed as Python, and no text can reach a
file, the network or a subquery. A last check resolves the type on an empty frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import polars as pl

from scoring.codes import Code
from scoring.rules.grammar import ExpressionError, check_expression

__all__ = ["ExpressionError", "compile_expression", "referenced_names"]

_MAX_LENGTH = 2000


def referenced_names(expr: pl.Expr) -> tuple[str, ...]:
    return tuple(sorted(set(expr.meta.root_names())))


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
    checked = check_expression(text, schema, allowed_values)
    if kind == "condition" and checked.kind != "bool":
        raise ExpressionError(
            f"điều kiện phải cho giá trị đúng/sai / a condition must be true or false, got {checked.kind}",
            Code.EXPRESSION_TYPE)
    if kind == "number" and checked.kind != "number":
        raise ExpressionError(f"công thức phải cho một số / a formula must give a number, got {checked.kind}",
                              Code.EXPRESSION_TYPE)
    try:
        expr = pl.sql_expr(checked.sql)
        dtype = pl.DataFrame(schema=dict(schema)).select(expr.alias("_")).schema["_"]
    except Exception as exc:  # a rule the grammar's types missed surfaces when the plan resolves
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ExpressionError(f"biểu thức sai kiểu / expression has a type error: {detail}") from None
    if kind == "condition" and dtype != pl.Boolean:
        raise ExpressionError(
            f"điều kiện phải cho giá trị đúng/sai / a condition must be true or false, got {dtype}"
        )
    if kind == "number" and not dtype.is_numeric():
        raise ExpressionError(f"công thức phải cho một số / a formula must give a number, got {dtype}")
    return expr

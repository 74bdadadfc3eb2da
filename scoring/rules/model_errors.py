"""Pydantic's validation errors in the user's words: Vietnamese first, the path as written
(``groups[0].items[2].max``), the line, and for an unknown key the allowed keys and a
"did you mean"."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from scoring.codes import Code
from scoring.errors import Issue, did_you_mean, issue
from scoring.rules.model import Criteria
from scoring.rules.yaml_lines import LineReader, Path_, format_path

__all__ = ["pydantic_issues"]

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


def pydantic_issues(exc: ValidationError, reader: LineReader) -> list[Issue]:
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

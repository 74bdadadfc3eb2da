"""The data-source file: one place saying how a department's files are laid out.

Per table: the file (any name, relative to the data folder) and sheet, the header row (and
whether the header spans two rows), the column mapping and value mappings (the office's own
words for coded values). Checked like a criteria file: every problem at once, located
``file:line: key``, unknown keys rejected with a "did you mean" hint; its JSON Schema ships as
``scoring/data-source.schema.json`` (``scoring schema --data-source``). See docs/inputs.md.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from scoring.codes import Code
from scoring.errors import InputDataError, Issue, did_you_mean, issue
from scoring.inputs.contract import TABLES
from scoring.inputs.vocabulary import norm_word, value_words_text

__all__ = ["TableSource", "DataSource", "load_data_source", "data_source_schema_text",
           "packaged_data_source_schema_text", "DATA_SOURCE_SCHEMA_FILE"]

DATA_SOURCE_SCHEMA_FILE = "data-source.schema.json"
_MAX_BYTES = 1_000_000
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class TableSource:
    """How one table is read. ``columns``: normalised header → contract column; ``values``:
    coded column → normalised word → code; the lines locate later problems (a missing file)."""

    table: str
    file: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    header_rows: int = 1
    columns: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    file_line: int | None = None
    sheet_line: int | None = None


@dataclass(frozen=True)
class DataSource:
    """A checked data-source file; ``name`` is how messages name it."""

    name: str
    sha256: str
    tables: Mapping[str, TableSource] = field(default_factory=dict)
    columns: Mapping[str, str] = field(default_factory=dict)  # for every table, like --columns

    def table(self, name: str) -> TableSource | None:
        return self.tables.get(name)


# ----------------------------------------------------------------------------- the model


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _coded(table: str) -> dict[str, tuple[object, ...]]:
    return {c.name: c.allowed for c in TABLES[table].columns if c.allowed and c.dtype == pl.String}


def _table_model(table: str) -> type[BaseModel]:
    spec = TABLES[table]
    column: Any = str if spec.open_columns else Literal[spec.column_names]
    fields: dict[str, Any] = {
        "file": (str | None, Field(None, description="Tên tệp trong thư mục dữ liệu / file name "
                                                     "in the data folder")),
        "sheet": (str | None, Field(None, description="Trang tính / sheet of the workbook")),
        "header_row": (Annotated[int, Field(ge=1)] | None,
                       Field(None, description="Dòng tiêu đề (dòng dưới nếu tiêu đề hai tầng) / "
                                               "header row (the lower one of a two-level header)")),
        "header_rows": (Literal[1, 2], Field(1, description="Tiêu đề trên 1 hay 2 dòng / the "
                                                            "header spans 1 or 2 rows")),
        "columns": (dict[str, column], Field(default_factory=dict,
                                             description="Tiêu đề của đơn vị: cột chuẩn / the "
                                                         "office's header: contract column")),
    }
    coded = _coded(table)
    if coded:
        values = create_model(  # type: ignore[call-overload]
            f"{table}_values", __base__=_Strict,
            **{c: (dict[str, Literal[tuple(str(a) for a in allowed)]] | None, None)  # type: ignore[misc]
               for c, allowed in coded.items()},
        )
        fields["values"] = (values | None, Field(None, description="Chữ của đơn vị: mã / the "
                                                                   "office's word: code"))
    model: type[BaseModel] = create_model(f"{table}_source", __base__=_Strict, **fields)
    return model


_TABLE_MODELS = {t: _table_model(t) for t in TABLES}
_Tables: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "tables", __base__=_Strict, **{t: (m | None, None) for t, m in _TABLE_MODELS.items()})


class DataSourceModel(_Strict):
    """Nguồn dữ liệu / data source: how the department's files are laid out."""

    columns: dict[str, str] = Field(default_factory=dict, description="Ánh xạ tiêu đề cho mọi "
                                    "bảng (như --columns) / header mapping for every table")
    tables: _Tables = Field(default_factory=_Tables)  # type: ignore[valid-type]


def data_source_schema_text() -> str:
    schema = DataSourceModel.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Data source / Nguồn dữ liệu"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def packaged_data_source_schema_text() -> str:
    return resources.files("scoring").joinpath(DATA_SOURCE_SCHEMA_FILE).read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- reading


def load_data_source(path: Path) -> DataSource:
    """Read and check a data-source file; raises ``InputDataError`` with every problem."""
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputDataError([issue(name, None, None, "không đọc được tệp / cannot read file",
                                    exc.strerror or str(exc), code=Code.SOURCE_UNREADABLE)]) from None
    if len(data) > _MAX_BYTES:
        raise InputDataError([issue(name, None, None, "tệp quá lớn / file too large", len(data),
                                    code=Code.SOURCE_UNREADABLE)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputDataError([issue(name, None, None, "tệp không phải UTF-8 / file is not UTF-8",
                                    code=Code.SOURCE_UNREADABLE)]) from None
    reader = _Lines(name)
    raw = reader.read(text)
    if reader.issues:
        raise InputDataError(reader.issues)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InputDataError([issue(name, 1, None, "cần một bảng khoá: giá trị (tables: …) / "
                                    "expected a mapping (tables: …)", code=Code.SOURCE_VALUE)])
    try:
        model = DataSourceModel.model_validate(raw)
    except ValidationError as exc:
        raise InputDataError(_model_issues(exc, reader)) from None
    issues = _column_issues(model, reader)
    if issues:
        raise InputDataError(issues)
    return _build(model, reader, name, hashlib.sha256(data).hexdigest())


class _Lines:
    """YAML → plain data, with the line of every key; duplicate keys are errors."""

    def __init__(self, source: str):
        self.source = source
        self.lines: dict[Path_, int] = {}
        self.issues: list[Issue] = []
        self._scalars = yaml.constructor.SafeConstructor()

    def read(self, text: str) -> Any:
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            self.issues.append(issue(self.source, mark.line + 1 if mark else None, None,
                                     f"YAML không hợp lệ / invalid YAML: "
                                     f"{getattr(exc, 'problem', None) or exc}",
                                     code=Code.SOURCE_UNREADABLE))
            return None
        return None if node is None else self._convert(node, ())

    def _convert(self, node: yaml.Node, path: Path_) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for k, v in node.value:
                key = str(k.value) if isinstance(k, yaml.ScalarNode) else "?"
                if key in out:
                    first = self.lines[(*path, key)]
                    self.issues.append(issue(self.source, k.start_mark.line + 1, _dotted((*path, key)),
                                             f"khoá đã có ở dòng {first} / key already given on "
                                             f"line {first}", code=Code.SOURCE_DUPLICATE))
                    continue
                self.lines[(*path, key)] = k.start_mark.line + 1
                out[key] = self._convert(v, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self._convert(v, (*path, i)) for i, v in enumerate(node.value)]
        try:
            return self._scalars.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError):
            return node.value

    def line(self, path: Path_) -> int | None:
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return None


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path) or "(tệp / file)"


_hint = did_you_mean


def _allowed_keys(loc: Path_) -> list[str]:
    model: Any = DataSourceModel
    for part in loc:
        sub = getattr(model, "model_fields", {}).get(part)
        if sub is None:
            return []
        model = next((a for a in (getattr(sub.annotation, "__args__", None) or (sub.annotation,))
                      if isinstance(a, type) and issubclass(a, BaseModel)), None)
    return sorted(getattr(model, "model_fields", {}))


_MESSAGES = {
    "string_type": "phải là chữ / must be text",
    "int_type": "phải là số nguyên / must be a whole number",
    "int_parsing": "phải là số nguyên / must be a whole number",
    "greater_than_equal": "phải ≥ 1 / must be at least 1",
    "dict_type": "phải là một bảng khoá: giá trị / must be a mapping of key: value",
    "model_type": "phải là một bảng khoá: giá trị / must be a mapping of key: value",
}


def _model_issues(exc: ValidationError, reader: _Lines) -> list[Issue]:
    out: list[Issue] = []
    for err in exc.errors(include_url=False):
        loc: Path_ = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        kind, line, where = err["type"], reader.line(loc), _dotted(loc)
        if kind == "extra_forbidden":
            allowed = _allowed_keys(loc[:-1])
            what = "bảng" if loc[:-1] == ("tables",) else "khoá"
            message = (f"{what} lạ / unknown {'table' if what == 'bảng' else 'key'}"
                       f"{_hint(str(loc[-1]), allowed)}; cho phép / allowed: {', '.join(allowed)}")
            out.append(issue(reader.source, line, where, message, code=Code.SOURCE_UNKNOWN_KEY))
            continue
        if kind == "literal_error" and len(loc) >= 4 and loc[2] == "columns":
            names = list(TABLES[str(loc[1])].column_names)
            message = (f"cột lạ của bảng {loc[1]} / unknown column of {loc[1]}"
                       f"{_hint(str(err.get('input')), names)}; cột / columns: {', '.join(names)}")
        elif kind == "literal_error" and len(loc) >= 5 and loc[2] == "values":
            codes = _coded(str(loc[1]))[str(loc[3])]
            message = (f"mã không được phép, dùng một trong / code not allowed, use one of: "
                       f"{value_words_text(str(loc[3]), codes)}"
                       f"{_hint(str(err.get('input')), [str(a) for a in codes])}")
        elif kind == "literal_error":
            expected = (err.get("ctx") or {}).get("expected")
            message = f"giá trị không được phép / value not allowed; cho phép / allowed: {expected}"
        else:
            message = _MESSAGES.get(kind, f"giá trị không hợp lệ / invalid value: {err['msg']}")
        out.append(issue(reader.source, line, where, message, err.get("input"), code=Code.SOURCE_VALUE))
    return out


def _column_issues(model: DataSourceModel, reader: _Lines) -> list[Issue]:
    """Top-level mappings naming a column close to, but not, a contract column (a typo)."""
    known = sorted({c for t in TABLES.values() for c in t.column_names})
    out = []
    for header, column in model.columns.items():
        if column not in known and difflib.get_close_matches(column, known, n=1, cutoff=0.8):
            out.append(issue(reader.source, reader.line(("columns", header)), f"columns.{header}",
                             f"cột lạ / unknown column{_hint(column, known)}", column,
                             code=Code.SOURCE_VALUE))
    return out


def _build(model: DataSourceModel, reader: _Lines, name: str, sha256: str) -> DataSource:
    tables: dict[str, TableSource] = {}
    for table in TABLES:
        spec = getattr(model.tables, table)
        if spec is None:
            continue
        values = getattr(spec, "values", None)
        words = {c: {norm_word(w): code for w, code in m.items()}
                 for c, m in (values.model_dump() if values else {}).items() if m}
        tables[table] = TableSource(
            table, spec.file, spec.sheet, spec.header_row, spec.header_rows,
            {norm_word(k): v for k, v in spec.columns.items()}, words,
            reader.line(("tables", table, "file")), reader.line(("tables", table, "sheet")),
        )
    return DataSource(name, sha256, tables, {norm_word(k): v for k, v in model.columns.items()})

"""Load a criteria YAML file into a frozen ``Criteria``, reporting every problem at once.

Each problem names the file, the 1-based line, the path as the user writes it
(``groups[0].items[2].max``), the bad value and what is allowed. YAML is read with the safe
loader; anchors/aliases and duplicate keys are rejected; no tag can construct Python objects.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import yaml
from pydantic import ValidationError

from scoring.codes import Code
from scoring.errors import CriteriaError, issue
from scoring.rules.checks import check_criteria
from scoring.rules.limits import TooManyValues, check_limits, compose
from scoring.rules.model import Criteria
from scoring.rules.model_errors import pydantic_issues
from scoring.rules.yaml_lines import LineReader, format_path

__all__ = ["load_criteria", "load_criteria_file", "format_path"]

_MAX_BYTES = 2_000_000


def load_criteria(text: str, *, source: str = "<criteria>") -> Criteria:
    """Parse criteria YAML text; raise CriteriaError listing every problem."""
    if len(text) > _MAX_BYTES:
        raise CriteriaError([issue(source, None, None, "tệp quá lớn / file too large",
                                   code=Code.CRITERIA_TOO_LARGE)])
    reader = LineReader(source)
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
        raise CriteriaError(pydantic_issues(exc, reader)) from None
    problems = check_criteria(criteria, reader)
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

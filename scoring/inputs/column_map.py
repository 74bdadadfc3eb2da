"""The column-mapping file: the user's own headers mapped to the contract's column names.

YAML ``{user header: contract column}`` or a two-column CSV (``--columns``, docs/inputs.md).
"""

from __future__ import annotations

import csv
import difflib
import io
from pathlib import Path

from scoring.codes import Code
from scoring.errors import InputDataError, Issue, issue
from scoring.inputs.contract import TABLES
from scoring.inputs.file_loading import MSG_UTF8
from scoring.inputs.vocabulary import norm_word

__all__ = ["column_map_from_file"]


def column_map_from_file(path: Path) -> dict[str, str]:
    """Read a header mapping: YAML ``{user header: contract column}`` or a two-column CSV.

    The CSV has a header line (any names) and one mapping per line: the user's header in the
    first column, the contract column in the second. Raises ``InputDataError`` on a bad file.
    """
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputDataError([issue(name, None, None, MSG_UTF8, code=Code.MAPPING_UNREADABLE)]) from None
    except OSError as exc:
        problem = "không đọc được tệp / cannot read file"
        raise InputDataError([issue(name, None, None, problem, exc.strerror or str(exc),
                                    code=Code.MAPPING_UNREADABLE)]) from None
    pairs: list[tuple[int | None, object, object]] = []
    if path.suffix.casefold() == ".csv":
        for line_no, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if line_no == 1 or not any(c.strip() for c in row):
                continue
            if len(row) < 2:
                raise InputDataError([issue(name, line_no, None, "cần hai cột: tiêu đề, tên cột "
                                            "/ expected two columns: header, column",
                                            code=Code.MAPPING_UNREADABLE)])
            pairs.append((line_no, row[0], row[1]))
    else:
        pairs = _yaml_pairs(name, text)
    known = {c for t in TABLES.values() for c in t.column_names}
    issues: list[Issue] = []
    mapping: dict[str, str] = {}
    first_line: dict[str, int | None] = {}
    for line, key, value in pairs:
        if isinstance(key, str) and norm_word(key) in first_line:
            before = first_line[norm_word(key)]
            issues.append(issue(name, line, key, f"tiêu đề đã có ở dòng {before}; mỗi tiêu đề chỉ "
                                f"ánh xạ một lần / header already mapped on line {before}; map "
                                f"each header once", code=Code.MAPPING_DUPLICATE))
            continue
        if isinstance(key, str):
            first_line[norm_word(key)] = line
        if not isinstance(key, str) or not isinstance(value, str) or not value.strip():
            issues.append(issue(name, line, str(key), "cần dạng 'tiêu đề: tên cột' / expected "
                                "'header: column'", value, code=Code.MAPPING_UNREADABLE))
            continue
        value = value.strip()
        close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.8)
        if value not in known and close:
            issues.append(issue(name, line, key, f"tên cột lạ, có phải '{close[0]}'? / unknown "
                                f"column, did you mean '{close[0]}'?", value,
                                code=Code.MAPPING_UNKNOWN_COLUMN))
            continue
        mapping[key] = value
    if issues:
        raise InputDataError(issues)
    return mapping


def _yaml_pairs(name: str, text: str) -> list[tuple[int | None, object, object]]:
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputDataError([issue(name, line, None, f"YAML không hợp lệ / invalid YAML: "
                                    f"{getattr(exc, 'problem', None) or exc}",
                                    code=Code.MAPPING_UNREADABLE)]) from None
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        raise InputDataError([issue(name, node.start_mark.line + 1, None, "cần một bảng ánh xạ "
                                    "'tiêu đề: tên cột' / expected a mapping 'header: column'",
                                    code=Code.MAPPING_UNREADABLE)])
    pairs: list[tuple[int | None, object, object]] = []
    for k, v in node.value:
        key = k.value if isinstance(k, yaml.ScalarNode) else None
        value = v.value if isinstance(v, yaml.ScalarNode) else None
        pairs.append((k.start_mark.line + 1, key, value))
    return pairs

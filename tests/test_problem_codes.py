"""Stable problem codes: every issue the tool reports carries one, documented in docs/errors.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from scoring.codes import Code
from scoring.errors import Issue, issue

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "scoring").rglob("*.py"), *(ROOT / "reports").rglob("*.py")])
_BUILDERS = {"issue", "row_issues"}


def _calls_without_code(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in _BUILDERS and not any(k.arg == "code" for k in node.keywords):
                lines.append(node.lineno)
            if name == "Issue":
                lines.append(node.lineno)  # build issues with issue(..., code=...), never directly
    return lines


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_reported_issue_names_its_code(path: Path):
    if path.relative_to(ROOT).as_posix() == "scoring/errors.py":
        return  # where Issue is defined and built
    missing = _calls_without_code(path)
    assert not missing, (f"{path.relative_to(ROOT)}: issue(...) without code= at lines {missing}; pick "
                         "one from scoring/codes.py (or add one there and in docs/errors.md)")


def test_the_check_above_can_fail(tmp_path: Path):
    bad = tmp_path / "bad.py"
    bad.write_text("from scoring.errors import issue\nx = issue('f', 1, None, 'm')\n", encoding="utf-8")
    assert _calls_without_code(bad) == [2]


def test_an_issue_without_a_code_cannot_be_built():
    with pytest.raises(TypeError):
        issue("f", 1, None, "m")  # type: ignore[call-arg]
    assert issue("f", 1, None, "m", code=Code.FILE_EMPTY).code == "D107"
    assert isinstance(issue("f", 1, None, "m", 3, code=Code.CELL_CHECK), Issue)


def test_codes_are_unique_and_documented():
    values = [c.value for c in Code]
    assert len(values) == len(set(values))
    assert all(re.fullmatch(r"[CDRS][1-9]\d\d", v) for v in values)
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([CDRS]\d{3})` \|", doc, flags=re.M))
    assert listed == set(values), sorted(set(values) ^ listed)


def test_every_code_is_used_somewhere():
    text = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
    unused = [c.name for c in Code if f"Code.{c.name}" not in text]
    assert not unused, unused

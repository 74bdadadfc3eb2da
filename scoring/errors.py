"""One small error hierarchy: every user-facing problem is an ``Issue`` with a location."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Issue", "issue", "ScoringError", "CriteriaError", "InputDataError", "ComputationError",
           "MAX_PER_CHECK", "IssueGroup", "group_issues"]

# How many failures of one check are listed before the rest are only counted.
MAX_PER_CHECK = 5


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem, located as precisely as the source allows.

    ``file`` is the file name as the user knows it, ``line`` the 1-based line (criteria) or the
    row number the user sees in Excel or a text editor (data), ``where`` the YAML path
    (``groups[0].items[2].max``) or the column name, ``message`` says what is wrong and what
    would be right (Vietnamese first, then English), ``value`` the offending value if any,
    ``code`` the stable code of the kind of problem (``scoring.codes.Code``, ``docs/errors.md``).
    """

    file: str
    line: int | None
    where: str | None
    message: str
    value: object = None
    has_value: bool = False
    code: str = ""

    def __str__(self) -> str:
        loc = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [loc]
        if self.where:
            parts.append(self.where)
        text = ": ".join(parts) + ": " + self.message
        if self.has_value:
            text += f" ({self.value!r})" if isinstance(self.value, str) else f" ({self.value})"
        return text

    def with_code(self) -> str:
        """As printed for users: the text, then the stable problem code (``… [D401]``)."""
        return f"{self} [{self.code}]" if self.code else str(self)


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """``; có phải 'x'? / did you mean 'x'?`` for the choice closest to ``word``, or ""."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return suggestion(close[0]) if close else ""


def suggestion(choice: str) -> str:
    """The words of a suggestion found by another measure of closeness."""
    return f"; có phải '{choice}'? / did you mean '{choice}'?"


def issue(
    file: str, line: int | None, where: str | None, message: str, *value: object, code: str
) -> Issue:
    """Build an Issue; pass the offending value as the optional last positional argument."""
    if value:
        return Issue(file, line, where, message, value[0], True, str(code))
    return Issue(file, line, where, message, code=str(code))


# The issue that counts the rows of a check not listed (``row_issues``) ends with this.
_MORE = re.compile(r" \.\.\. và (\d+) dòng khác / and \d+ more rows$")


@dataclass(frozen=True)
class IssueGroup:
    """The issues of one kind of problem (same file, column, message and code): the lines
    listed (the rows first, then the one counting the rows not listed) and how many rows have
    it in all."""

    issues: tuple[Issue, ...]
    total: int

    @property
    def first(self) -> Issue:
        return self.issues[0]

    @property
    def message(self) -> str:
        return _kind(self.first)[3]

    def row_lines(self) -> list[str]:
        """Each listed row as ``file:row (value)``, then ``… và N dòng khác / and N more rows``."""
        out = []
        for i in self.issues:
            more = _MORE.search(i.message)
            if more:
                out.append(f"… và {more[1]} dòng khác / and {more[1]} more rows")
                continue
            text = i.file if i.line is None else f"{i.file}:{i.line}"
            if i.has_value:
                text += f" ({i.value!r})" if isinstance(i.value, str) else f" ({i.value})"
            out.append(text)
        return out


def _kind(i: Issue) -> tuple[str, str, str, str, int]:
    found = _MORE.search(i.message)
    message = i.message[: found.start()] if found else i.message
    return (i.file, i.where or "", i.code, message, int(found[1]) if found else 0)


def group_issues(issues: Iterable[Issue]) -> list[IssueGroup]:
    """Issues grouped by kind, the kinds in the order of their first issue, rows in order."""
    lines: dict[tuple[str, str, str, str], list[Issue]] = {}
    total: dict[tuple[str, str, str, str], int] = {}
    for i in issues:
        file, where, code, message, more = _kind(i)
        k = (file, where, code, message)
        lines.setdefault(k, []).append(i)
        total[k] = total.get(k, 0) + (more or 1)
    return [IssueGroup(tuple(sorted(v, key=lambda i: _MORE.search(i.message) is not None)), total[k])
            for k, v in lines.items()]


class ScoringError(Exception):
    """Base of every error a user can act on; carries all issues found at once."""

    title = "Lỗi / Error"

    def __init__(self, issues: list[Issue] | tuple[Issue, ...], title: str | None = None):
        self.issues = tuple(issues)
        if title:
            self.title = title
        super().__init__("\n".join(str(i) for i in self.issues))


class CriteriaError(ScoringError):
    """A criteria file cannot be loaded or is inconsistent."""

    title = "Tệp tiêu chí không hợp lệ / Invalid criteria file"


class InputDataError(ScoringError):
    """An input data folder is invalid; nothing is scored.

    ``read`` and ``ignored`` say which files were found: ``(table, file)`` read as a table,
    ``(file, reason)`` not read; printed with the problems so the user sees what was looked at.
    """

    title = "Dữ liệu đầu vào không hợp lệ / Invalid input data"

    def __init__(self, issues: list[Issue] | tuple[Issue, ...], title: str | None = None, *,
                 read: Iterable[tuple[str, str]] = (), ignored: Iterable[tuple[str, str]] = ()):
        super().__init__(issues, title)
        self.read = tuple(read)
        self.ignored = tuple(ignored)


class ComputationError(ScoringError):
    """A rule gives no finite number for some people (a division by zero, an overflow)."""

    title = "Quy tắc cho kết quả không xác định / A rule gives no finite number"

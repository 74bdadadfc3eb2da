"""How big a criteria file may be: YAML values, and entries per kind (measures, rules, …).

A criteria file is written and read by people: the sample has 5 measures (and 3 of units), 10
rules, 10 examples and about 900 YAML values. The limits below are far above any real file and keep
``scoring validate`` within seconds on anything that passes them; a file past them is refused
at once, naming the first entry too many (``docs/security.md``, "Number of measures").

- ``MAX_VALUES`` bounds the reading itself: the YAML reader is counted as it goes and stops at
  the first value past the budget, so a 2 MB file of tiny values (hundreds of thousands of
  them) is refused in about a second instead of taking minutes to read;
- ``LIMITS`` bound each list a rule, measure or example is written in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

__all__ = ["MAX_VALUES", "LIMITS", "TooManyValues", "compose", "check_limits"]

MAX_VALUES = 30_000
LIMITS: dict[str, tuple[int, str]] = {  # kind → (at most, Vietnamese name)
    "measures": (1000, "chỉ số"),
    "unit measures": (1000, "chỉ số đơn vị"),
    "items": (1000, "mục"),
    "rules": (1000, "quy tắc cộng/trừ và ngoại lệ"),
    "examples": (1000, "ví dụ"),
}

Path_ = tuple[str | int, ...]


class TooManyValues(Exception):
    def __init__(self, line: int, budget: int):
        super().__init__(line, budget)
        self.line, self.budget = line, budget


class _CountingLoader(yaml.SafeLoader):  # type: ignore[misc]
    """PyYAML's safe loader, stopped at the first value past ``MAX_VALUES``."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.values = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self.values += 1
        if self.values > MAX_VALUES:
            raise TooManyValues(self.peek_event().start_mark.line + 1, MAX_VALUES)
        node: yaml.Node | None = super().compose_node(parent, index)
        return node


def compose(text: str) -> yaml.Node | None:
    """``yaml.compose(text, Loader=SafeLoader)`` with the value budget."""
    loader = _CountingLoader(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


def _entries(data: dict[str, Any], kind: str) -> Iterator[Path_]:
    """The paths of the entries of ``kind``, in file order (malformed parts are skipped: the
    structure checks report them)."""
    def listed(value: Any, path: Path_) -> Iterator[Path_]:
        if isinstance(value, list):
            yield from ((*path, i) for i in range(len(value)))

    def items() -> Iterator[tuple[Path_, dict[str, Any]]]:
        groups = data.get("groups")
        for g, group in enumerate(groups if isinstance(groups, list) else []):
            if isinstance(group, dict) and isinstance(group.get("items"), list):
                for i, item in enumerate(group["items"]):
                    yield ("groups", g, "items", i), item if isinstance(item, dict) else {}

    if kind == "unit measures":
        leaders = data.get("leaders")
        if isinstance(leaders, dict):
            yield from listed(leaders.get("measures"), ("leaders", "measures"))
    elif kind == "items":
        yield from (path for path, _ in items())
    elif kind == "rules":
        for path, item in items():
            for key in ("deductions", "bonuses"):
                yield from listed(item.get(key), (*path, key))
        yield from listed(data.get("overrides"), ("overrides",))
    else:
        yield from listed(data.get(kind), (kind,))


def check_limits(data: dict[str, Any]) -> list[tuple[Path_, str]]:
    """(the first entry too many, the message) for each kind past its limit."""
    out = []
    for kind, (most, vi) in LIMITS.items():
        paths = list(_entries(data, kind))
        if len(paths) > most:
            out.append((paths[most], f"quá nhiều {vi}: {len(paths)}, tối đa {most} một tệp / too "
                        f"many {kind}: {len(paths)}, at most {most} in a file"))
    return out

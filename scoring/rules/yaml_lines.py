"""YAML to plain data with the 1-based line of every path, for locating problems.

The safe loader composes the nodes; this walk turns them into dicts, lists and scalars while
rejecting what a criteria file must not use: anchors/aliases, merge keys, duplicate keys and any
tag that could construct a Python object.
"""

from __future__ import annotations

from typing import Any

import yaml

from scoring.codes import Code
from scoring.errors import Issue, issue

__all__ = ["Path_", "LineReader", "format_path"]

Path_ = tuple[str | int, ...]
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(tệp / file)"


class LineReader:
    """Plain data from YAML nodes; remembers each path's line and the problems met."""

    def __init__(self, source: str):
        self.source = source
        self.lines: dict[Path_, int] = {}
        self.key_lines: dict[Path_, int] = {}
        self.issues: list[Issue] = []
        self._seen: set[int] = set()
        self._constructor = yaml.constructor.SafeConstructor()

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if id(node) in self._seen:
            self.issues.append(issue(self.source, node.start_mark.line + 1, format_path(path),
                                     "không dùng anchor/alias (&, *) / anchors and aliases are "
                                     "not allowed", code=Code.YAML_ALIAS))
            return None
        self._seen.add(id(node))
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            self.issues.append(issue(self.source, node.start_mark.line + 1, format_path(path),
                                     "thẻ YAML không được phép / YAML value not allowed: tag "
                                     f"{node.tag}", code=Code.YAML_TAG))
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    self.issues.append(issue(self.source, line, format_path(path),
                                             "khoá phải là chữ đơn giản / keys must be plain text",
                                             code=Code.YAML_KEY_NOT_TEXT))
                    continue
                key = str(key_node.value)
                if key in out:
                    self.issues.append(issue(self.source, line, format_path((*path, key)),
                                             "khoá bị lặp / duplicate key", key,
                                             code=Code.YAML_DUPLICATE_KEY))
                    continue
                self.key_lines[(*path, key)] = line
                out[key] = self.convert(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(v, (*path, i)) for i, v in enumerate(node.value)]
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            self.issues.append(issue(self.source, node.start_mark.line + 1, format_path(path),
                                     f"giá trị YAML không được phép / YAML value not allowed: "
                                     f"{getattr(exc, 'problem', None) or exc}", node.value,
                                     code=Code.YAML_VALUE))
            return None

    def line(self, path: Path_) -> int | None:
        for n in range(len(path), -1, -1):
            sub = path[:n]
            if sub in self.key_lines and n == len(path):
                return self.key_lines[sub]
            if sub in self.lines:
                return self.lines[sub]
        return None

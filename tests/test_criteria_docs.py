"""docs/criteria.md section 19 lists every optional key of the criteria language with its
default, and agrees with the bundled JSON Schema (generated from the model)."""

from __future__ import annotations

import json
import re

import yaml

from tests.helpers import ROOT

SCHEMA = json.loads((ROOT / "scoring" / "criteria.schema.json").read_text(encoding="utf-8"))
DOCS = (ROOT / "docs" / "criteria.md").read_text(encoding="utf-8")
_MISSING = object()


def _ref(node: dict) -> str | None:
    if "$ref" in node:
        return str(node["$ref"]).rsplit("/", 1)[-1]
    for key in ("anyOf", "allOf"):
        for option in node.get(key, ()):
            found = _ref(option)
            if found:
                return found
    if "items" in node:
        return _ref(node["items"])
    return None


def _is_list(node: dict) -> bool:
    return node.get("type") == "array" or any(o.get("type") == "array" for o in node.get("anyOf", ()))


def optional_keys() -> dict[str, object]:
    """Every optional key as written in the docs (`groups[].items[].start`) → schema default.
    A key whose model default is built by a factory has no default in the schema: `{}`/`[]`."""
    found: dict[str, object] = {}

    def walk(node: dict, prefix: str, seen: frozenset[str]) -> None:
        required = set(node.get("required", ()))
        for name, prop in node.get("properties", {}).items():
            path = prefix + name
            if name not in required:
                default = prop.get("default", _MISSING)
                if default is _MISSING:
                    default = [] if _is_list(prop) else {}
                found[path] = default
            ref = _ref(prop)
            if ref and ref not in seen:
                walk(SCHEMA["$defs"][ref], path + ("[]." if _is_list(prop) else "."), seen | {ref})

    walk(SCHEMA, "", frozenset())
    return found


def documented() -> dict[str, object]:
    section = DOCS.split("## 19. ", 1)[1]
    table: dict[str, object] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        value = yaml.safe_load(cells[1].strip("`"))
        for key in re.findall(r"`([^`]+)`", cells[0]):
            assert key not in table, f"{key} is listed twice"
            table[key] = value
    return table


def test_every_optional_key_has_its_default_in_the_docs_and_they_agree_with_the_schema():
    keys, docs = optional_keys(), documented()
    # an object's default is its keys' defaults, each listed on its own
    objects = {k for k, v in keys.items() if isinstance(v, dict) and v
               and all(f"{k}.{sub}" in keys for sub in v)}
    missing = sorted(set(keys) - set(docs) - objects)
    assert not missing, f"docs/criteria.md section 19 lacks: {missing}"
    unknown = sorted(set(docs) - set(keys))
    assert not unknown, f"section 19 lists keys the schema does not have: {unknown}"
    wrong = {k: (docs[k], keys[k]) for k in docs if docs[k] != keys[k]}
    assert not wrong, f"docs default != schema default: {wrong}"

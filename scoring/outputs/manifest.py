"""``manifest.json``: what a run read and wrote, with the SHA-256 of every file.

The manifest is the last file a run writes: a folder whose manifest is ours and whose listed
files are all there with their hashes is a finished run (``finished_run``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

__all__ = ["sha256_file", "write_manifest", "read_manifest", "finished_run", "MANIFEST",
           "TOOL_NAME"]

MANIFEST = "manifest.json"
TOOL_NAME = "scoring"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(folder: Path, manifest: dict[str, Any], outputs: list[Path],
                   hashes: Mapping[Path, str] | None = None) -> Path:
    """``manifest.json`` with the SHA-256 of every output (``hashes``: those already taken)."""
    hashes = hashes or {}
    manifest = dict(manifest)
    manifest["outputs"] = [
        {"path": p.relative_to(folder).as_posix(), "sha256": hashes.get(p) or sha256_file(p)}
        for p in sorted(outputs)
    ]
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, default=str) + "\n",
                    encoding="utf-8")
    return path


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of ``folder`` if it is one written by this tool, else None."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("tool"), dict):
        return None
    if data["tool"].get("name") != TOOL_NAME or not isinstance(data.get("outputs"), list):
        return None
    return data


def finished_run(folder: Path, check: Collection[str] | None = None) -> bool:
    """Our manifest, every file it lists present, and the hashes of the files in ``check``
    (relative paths; None: every file) matching."""
    manifest = read_manifest(folder)
    if manifest is None:
        return False
    for entry in manifest["outputs"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            return False
        path = Path(folder) / entry["path"]
        if not path.is_file() or os.path.isabs(entry["path"]) or ".." in Path(entry["path"]).parts:
            return False
        if (check is None or entry["path"] in check) and sha256_file(path) != entry.get("sha256"):
            return False
    return check is None or set(check) <= {e["path"] for e in manifest["outputs"]}

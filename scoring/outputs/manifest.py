"""``manifest.json``: what a run read and wrote, with the SHA-256 of every file."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["sha256_file", "write_manifest"]


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
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, default=str) + "\n",
                    encoding="utf-8")
    return path

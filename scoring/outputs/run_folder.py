"""The run folder, written atomically.

Everything is written into a temporary sibling folder which is renamed into place only when
complete, so a failed or interrupted run never leaves a half-written folder that looks finished
and never damages an earlier output folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_folder", "place_folder"]


@contextlib.contextmanager
def atomic_folder(target: Path, *, replace: bool = False) -> Iterator[Path]:
    """Yield a temporary folder next to ``target``; move it to ``target`` on success."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield tmp
        place_folder(tmp, target, replace=replace)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def place_folder(folder: Path, target: Path, *, replace: bool = False) -> None:
    """Rename the finished ``folder`` to ``target`` (a sibling), replacing it if ``replace``."""
    target = Path(target).resolve()
    if target.exists():
        if not replace:
            raise FileExistsError(target)
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
        os.replace(folder, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(folder, target)

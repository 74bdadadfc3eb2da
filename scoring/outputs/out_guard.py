"""Where a run may be written: never over the user's own files.

A run replaces its ``--out`` folder as a whole (``--force``), so that folder must never be, hold
or sit inside the input data, and must never be or hold the criteria, the column mapping or the
current folder. ``--force`` only replaces an empty folder or a finished run of this tool whose
manifest lists every file in it (the PDFs an interrupted ``scoring report`` staged in
``.reports.partial`` are the tool's too); anything else is the user's and is left alone. Where
the machine would refuse the write (a file in the way, no permission, a read-only mount) the
run stops before reading anything.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable
from pathlib import Path

from scoring.codes import Code
from scoring.errors import ScoringError, issue
from scoring.outputs.env_errors import nearest_existing, not_writable
from scoring.outputs.manifest import MANIFEST, read_manifest

__all__ = ["check_out", "is_run_folder", "unlisted_files", "OutPathError", "PARTIAL_REPORTS"]

PARTIAL_REPORTS = ".reports.partial"  # scoring report's PDFs until the set is complete
# what ``scoring report`` leaves there when interrupted: PDFs, its journal, a writer's temp file
_STAGED = re.compile(r"^(?:[^/.][^/]*\.pdf|\.journal\.jsonl|\.[^/]+\.\d+\.tmp)$")

class OutPathError(ScoringError):
    title = "Không ghi được vào thư mục kết quả / Cannot write to the output folder"


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a == b


def _within(inner: Path, outer: Path) -> bool:
    """``inner`` is ``outer`` or lies somewhere inside it (symlinks and case folding followed)."""
    return any(_same(p, outer) for p in (inner, *inner.parents))


def unlisted_files(folder: Path, manifest: dict) -> list[str]:
    """Files in ``folder`` that its manifest does not name (relative, sorted)."""
    listed = {o.get("path") for o in manifest.get("outputs", []) if isinstance(o, dict)}
    listed.add(MANIFEST)
    found = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            rel = (Path(root) / name).relative_to(folder).as_posix()
            if rel not in listed and not _staged(rel):
                found.append(rel)
    return sorted(found)


def _staged(rel: str) -> bool:
    """A file an interrupted ``scoring report`` left in the run (renders again if lost)."""
    head, _, name = rel.partition("/")
    return head == PARTIAL_REPORTS and _STAGED.match(name) is not None


def is_run_folder(folder: Path) -> bool:
    """A folder written by ``scoring run``: our manifest, and nothing in it the manifest omits."""
    manifest = read_manifest(folder)
    return manifest is not None and not unlisted_files(folder, manifest)


def _refuse(out: Path, vi: str, en: str, *value: object) -> OutPathError:
    return OutPathError([issue(str(out), None, "--out", f"{vi} / {en}", *value, code=Code.OUT_REFUSED)])


def _check_writable(out: Path) -> None:
    """The folder the run is put in (made if missing) must be a folder the user may write."""
    base = nearest_existing(out.parent)
    if not base.is_dir():
        raise not_writable(base, "--out", errno.ENOTDIR)
    if not os.access(base, os.W_OK | os.X_OK):  # also false on a read-only mount, even for root
        raise not_writable(base, "--out", errno.EACCES)


def check_out(out: Path, *, inputs: Iterable[tuple[str, Path]], force: bool) -> None:
    """Raise ``OutPathError`` (nothing touched) unless ``out`` may be written or replaced.

    ``inputs`` names what the run reads: ``("--data", folder)``, ``("--criteria", path)``, …
    """
    out = Path(out).resolve()
    cwd = Path.cwd().resolve()
    for option, path in inputs:
        path = Path(path).resolve()
        if option == "--data" and (_within(out, path) or _within(path, out)):
            raise _refuse(out, f"là, chứa hoặc nằm trong thư mục dữ liệu {option} {path}; hãy "
                          "chọn một thư mục kết quả riêng",
                          f"is, holds or lies inside the {option} folder {path}; choose a folder "
                          "of its own for the results")
        folder = path if path.is_dir() else path.parent
        if _within(folder, out):
            raise _refuse(out, f"chứa tệp đầu vào {option} {path}; hãy chọn một thư mục kết quả "
                          "riêng", f"holds the {option} input {path}; choose a folder of its own "
                          "for the results")
    if _within(cwd, out):
        raise _refuse(out, "là hoặc chứa thư mục hiện tại; hãy chọn một thư mục con riêng",
                      "is or holds the current folder; choose a sub-folder of its own")
    _check_writable(out)
    if not os.path.lexists(out):
        return
    if not out.is_dir():
        raise _refuse(out, "đã có một tệp (không phải thư mục) ở đường dẫn này",
                      "a file (not a folder) is in the way")
    if not force:
        raise _refuse(out, "thư mục kết quả đã tồn tại; dùng --force để ghi đè",
                      "the output folder exists; use --force to replace it")
    if not any(out.iterdir()):
        return
    manifest = read_manifest(out)
    if manifest is None:
        raise _refuse(out, "không phải thư mục kết quả của công cụ này (không có manifest.json "
                      "của scoring) nên --force không ghi đè; hãy chọn thư mục khác",
                      "not a run folder of this tool (no manifest.json of scoring), so --force "
                      "does not replace it; choose another folder")
    extra = unlisted_files(out, manifest)
    if extra:
        shown = ", ".join(extra[:5]) + (f", … (+{len(extra) - 5})" if len(extra) > 5 else "")
        raise _refuse(out, f"có tệp không do lần chạy ghi ra ({shown}) nên --force không ghi đè; "
                      "hãy chuyển chúng đi hoặc chọn thư mục khác",
                      f"holds files the run did not write ({shown}), so --force does not replace "
                      "it; move them away or choose another folder")

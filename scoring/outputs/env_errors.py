"""What the machine refuses while a run is written: one located line, never a traceback.

A folder without write permission, a read-only mount, a file where a folder is expected, a full
disk, another run that put ``--out`` in place first: each becomes an ``OutputWriteError`` naming
the path and what to do (exit 2). The run writes into a private partial folder that is removed
on any failure, so nothing half-written is left (``run_folder.atomic_folder``).

The libraries do not all say why a write failed: Polars may report a full disk as "Invalid
thrift: transport error", xlsxwriter wraps the ``OSError`` in its own exception. The cause is
looked for in the exception chain, then in an ``os error N`` in the text, and last in the free
space left where the run was written (looked at while the partial files still fill it).

``SCORING_TEST_FAIL_AT=STEP:ERRNO`` (a test hook, like the crash hook of ``run_folder``) raises
``OSError(ERRNO)`` at the write step of that number or name, e.g. ``workbook:ENOSPC`` for a
disk that fills up while the workbook is written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Iterator
from pathlib import Path

from scoring.codes import Code
from scoring.errors import ScoringError, issue

__all__ = ["OutputWriteError", "environment_error", "environment_errors", "nearest_existing",
           "FAIL_ENV", "injected_failure"]

FAIL_ENV = "SCORING_TEST_FAIL_AT"
_NEARLY_FULL = 1 << 20  # bytes free below which a write that failed for no stated reason is a full disk
_OS_ERROR = re.compile(r"os error (\d+)|\[Errno (\d+)\]")

_NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.ENOENT,
                 errno.EISDIR, errno.ELOOP, errno.ENAMETOOLONG}
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class OutputWriteError(ScoringError):
    title = "Không ghi được kết quả / Cannot write the results"


def injected_failure(number: int, step: str) -> None:
    """The test hook: raise the chosen ``OSError`` at the write step of that number or name."""
    at, _, name = os.environ.get(FAIL_ENV, "").rpartition(":")
    if at and at in (str(number), step):
        code = getattr(errno, name)
        raise OSError(code, os.strerror(code))


def nearest_existing(path: Path) -> Path:
    """``path`` or its closest ancestor that exists (``/`` at worst)."""
    for p in (path, *path.parents):
        if os.path.lexists(p):
            return p
    return Path(path.anchor or "/")


def _read_only(path: Path) -> bool:
    try:
        return bool(os.statvfs(nearest_existing(path)).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def _free_bytes(path: Path) -> int | None:
    try:
        st = os.statvfs(nearest_existing(path))
    except (OSError, AttributeError):
        return None
    return st.f_bavail * st.f_frsize


def _cause(exc: BaseException) -> tuple[int | None, str | None]:
    """The errno and file name behind ``exc``, from its chain, its arguments or its text."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, OSError) and e.errno is not None:
            return e.errno, e.filename if isinstance(e.filename, str) else None
        todo += [e.__cause__, e.__context__, *(a for a in e.args if isinstance(a, BaseException))]
    m = _OS_ERROR.search(str(exc))
    return (int(m[1] or m[2]), None) if m else (None, None)


def environment_error(exc: BaseException, out: Path, *, option: str = "--out"
                      ) -> OutputWriteError | None:
    """``exc`` raised while writing ``out`` as a one-line user error, or None if it is not the
    machine refusing the write (then it is a bug and keeps its traceback)."""
    if isinstance(exc, ScoringError):
        return None
    code, filename = _cause(exc)
    out = Path(out)
    # the run's own hidden partial folder means nothing to the user: name --out then
    where = Path(filename) if filename and ".scoring-" not in filename else out
    free = _free_bytes(out)
    if code is None and free is not None and free < _NEARLY_FULL:
        code = errno.ENOSPC
    if code == errno.EEXIST and filename is not None and Path(filename).resolve() == out.resolve():
        return _error(out, option, Code.OUT_TAKEN,
                      "một lần chạy khác đã ghi thư mục kết quả này trong khi lần chạy này đang "
                      "chạy; hãy xem kết quả đó, hoặc chạy lại với --force để thay nó, hoặc chọn "
                      "thư mục khác. Không có gì của lần chạy này được ghi",
                      "another run put its results at this folder while this one was running; "
                      "look at those results, or run again with --force to replace them, or "
                      "choose another folder. Nothing of this run was written")
    if code in _FULL:
        kb = free // 1024 if free is not None else None
        vi_left = f" (còn trống {kb} KB)" if kb is not None else ""
        en_left = f" ({kb} KB free)" if kb is not None else ""
        return _error(where, option, Code.DISK_FULL,
                      f"ổ đĩa đã đầy{vi_left}; hãy giải phóng chỗ trống hoặc chọn thư mục trên ổ "
                      "khác rồi chạy lại. Không có gì được ghi",
                      f"the disk is full{en_left}; free some space or choose a folder on another "
                      "disk, then run again. Nothing was written")
    if code in _NOT_WRITABLE or code == errno.EEXIST:
        return not_writable(where, option, code)
    return None


def not_writable(where: Path, option: str, code: int | None) -> OutputWriteError:
    """Why ``where`` cannot be written, and what to do."""
    if code == errno.EROFS or _read_only(where):
        vi, en = ("nằm trên ổ chỉ đọc (read-only); hãy chọn thư mục kết quả trên ổ ghi được",
                  "is on a read-only file system; choose an output folder on a disk that can be "
                  "written")
    elif code in (errno.ENOTDIR, errno.EEXIST):
        vi, en = ("là một tệp, không phải thư mục; hãy chuyển tệp đi hoặc chọn thư mục kết quả "
                  "khác", "is a file, not a folder; move the file away or choose another output "
                  "folder")
    elif code in (errno.ENOENT, errno.ELOOP, errno.ENAMETOOLONG):
        vi, en = ("không tạo được thư mục ở đây; hãy chọn thư mục kết quả khác",
                  "no folder can be created here; choose another output folder")
    else:
        vi, en = ("không có quyền ghi; hãy chọn thư mục kết quả ở nơi bạn có quyền ghi (hoặc xin "
                  "quyền ghi)", "no permission to write here; choose an output folder where you "
                  "may write (or ask for write permission)")
    return _error(where, option, Code.OUT_NOT_WRITABLE, f"{vi}. Không có gì được ghi",
                  f"{en}. Nothing was written")


def _error(path: Path, option: str, code: Code, vi: str, en: str) -> OutputWriteError:
    return OutputWriteError([issue(str(path), None, option, f"{vi} / {en}", code=code)])


@contextlib.contextmanager
def environment_errors(out: Path, *, option: str = "--out") -> Iterator[None]:
    """Turn what the machine refuses while writing ``out`` into an ``OutputWriteError``."""
    try:
        yield
    except Exception as exc:
        err = environment_error(exc, out, option=option)
        if err is None:
            raise
        raise err from exc

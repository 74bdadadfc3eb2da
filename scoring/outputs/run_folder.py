"""The run folder, written atomically, and what interrupted runs leave behind.

Everything is written into a private (mode 0700) hidden sibling ``.NAME.scoring-partial-*``,
locked while its run is alive. Only when every file and the manifest are written is it put in
place, in one step: a new folder by a rename that never replaces, an old run by an atomic
exchange (Linux ``renameat2``), so that at every moment ``NAME`` is either the previous good run
or the new complete one. Where the exchange does not exist, the old run is first renamed to
``.NAME.scoring-old-*`` and the next start of the tool (``recover``) puts it back if the new one
never arrived. ``recover`` also removes the partial folders of dead runs.

``SCORING_TEST_CRASH_AT=N`` kills the process at the N-th write step (``write_step``), for the
crash tests; ``SCORING_TEST_STEPS=FILE`` appends the name of each step to ``FILE``;
``SCORING_TEST_FAIL_AT=N:ERRNO`` (or ``NAME:ERRNO``) raises that ``OSError`` there instead (``env_errors``).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

from scoring.outputs.env_errors import injected_failure

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; leftovers are named, never removed
    fcntl = None  # type: ignore[assignment]

__all__ = ["atomic_folder", "recover", "write_step", "link_or_copy", "reports_subdir", "is_report_of",
           "PARTIAL", "OLD"]

PARTIAL = "scoring-partial-"
OLD = "scoring-old-"
REPORT_LANGS = ("vi", "en")


def reports_subdir(lang: str) -> str:
    """Where a run keeps its PDFs in ``lang``: Vietnamese, the official language, in
    ``reports/``; another language beside them (``reports/en/``), never over them."""
    return "reports" if lang == "vi" else f"reports/{lang}"


def is_report_of(path: str, lang: str) -> bool:
    """Whether the run-relative ``path`` is one of the reports in ``lang``."""
    if lang != "vi":
        return path.startswith(reports_subdir(lang) + "/")
    return path.startswith("reports/") and not any(
        path.startswith(reports_subdir(other) + "/") for other in REPORT_LANGS if other != "vi")


_LEFTOVER = re.compile(rf"^\.(?P<name>.+)\.(?P<kind>{PARTIAL}|{OLD})[A-Za-z0-9_]+$")
CRASH_ENV = "SCORING_TEST_CRASH_AT"
STEPS_ENV = "SCORING_TEST_STEPS"
_steps = 0


def write_step(name: str) -> None:
    """Mark one write step; the crash tests kill the process at a chosen one."""
    global _steps
    _steps += 1
    if trace := os.environ.get(STEPS_ENV):
        with open(trace, "a", encoding="utf-8") as fh:
            fh.write(f"{_steps} {name}\n")
    if os.environ.get(CRASH_ENV) == str(_steps):
        os.kill(os.getpid(), signal.SIGKILL)
    injected_failure(_steps, name)


def _lock(folder: Path) -> int | None:
    """An exclusive lock on ``folder`` itself (its inode), or None if another process holds it."""
    fd = os.open(folder, os.O_RDONLY)
    if fcntl is None:
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _private_folder(target: Path) -> tuple[Path, int]:
    """A new locked mode-0700 sibling of ``target`` (retried if a cleaner took it meanwhile)."""
    while True:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.{PARTIAL}", dir=target.parent))
        fd = _lock(tmp)
        if fd is not None:
            with contextlib.suppress(OSError):
                if os.stat(tmp).st_ino == os.fstat(fd).st_ino:
                    return tmp, fd
            os.close(fd)


_renameat2 = None
with contextlib.suppress(AttributeError, OSError, TypeError):
    _renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    _renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                           ctypes.c_uint]
_AT_FDCWD, _NOREPLACE, _EXCHANGE = -100, 1, 2


def _rename2(src: Path, dst: Path, flags: int) -> bool:
    """``renameat2``; False when the system or file system does not offer it."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), flags) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(dst))


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems refuse fsync on folders
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_tree(folder: Path) -> None:
    """On disk before the rename: a power cut must not give a complete-looking empty run."""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            _fsync(Path(root) / name)
        _fsync(Path(root))


def _publish(tmp: Path, target: Path, replace: bool) -> None:
    _fsync_tree(tmp)
    write_step("publish")
    if not os.path.lexists(target):
        if not _rename2(tmp, target, _NOREPLACE):
            if os.path.lexists(target):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
            os.rename(tmp, target)
    elif not replace:
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    elif _rename2(tmp, target, _EXCHANGE):
        write_step("exchanged")
        shutil.rmtree(tmp, ignore_errors=True)  # the previous run, now under the partial name
    else:
        old = target.with_name(f".{target.name}.{OLD}{os.getpid()}")
        os.rename(target, old)
        write_step("old set aside")
        os.rename(tmp, target)
        write_step("new in place")
        shutil.rmtree(old, ignore_errors=True)
    _fsync(target.parent)
    write_step("published")


@contextlib.contextmanager
def atomic_folder(target: Path, *, replace: bool = False) -> Iterator[Path]:
    """Yield a private temporary folder next to ``target``; put it in place on success."""
    target = Path(target).resolve()
    created = [p for p in reversed(target.parents) if not os.path.lexists(p)]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp, fd = _private_folder(target)
    except BaseException:
        _remove_empty(created)
        raise
    try:
        write_step("partial folder")
        yield tmp
        _publish(tmp, target, replace)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        _remove_empty(created)
        raise
    finally:
        os.close(fd)


def _remove_empty(created: list[Path]) -> None:
    """The parent folders a failed run created, deepest first (a failed run leaves nothing)."""
    for p in reversed(created):
        with contextlib.suppress(OSError):
            p.rmdir()


def _finished(folder: Path) -> bool:
    from scoring.outputs.manifest import finished_run

    return finished_run(folder)


def recover(target: Path) -> list[str]:
    """Put back a previous run that an interrupted replacement set aside, remove what dead runs
    left next to ``target`` (and next to its siblings); say what was done or is left."""
    parent = Path(target).resolve().parent
    notes: list[str] = []
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return notes
    for path in entries:
        m = _LEFTOVER.match(path.name)
        if not m or not path.is_dir() or path.is_symlink():
            continue
        home = parent / m["name"]
        if m["kind"] == OLD and not os.path.lexists(home) and _finished(path):
            try:
                os.rename(path, home)
            except OSError as exc:
                notes.append(_note(path, f"không khôi phục được ({exc.strerror})",
                                   f"could not be restored ({exc.strerror})"))
            else:
                notes.append(_note(home, "đã khôi phục lần chạy trước (lần thay thế bị ngắt)",
                                   "the previous run was restored (its replacement was "
                                   "interrupted)"))
            continue
        notes += _remove_dead(path)
    return notes


def _remove_dead(path: Path) -> list[str]:
    st = path.stat()
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return [_note(path, "do lần chạy bị ngắt của người dùng khác để lại; hãy xoá",
                      "left by an interrupted run of another user; delete it")]
    fd = _lock(path) if fcntl is not None else None
    if fd is None:
        if fcntl is None:
            return [_note(path, "do một lần chạy bị ngắt (hoặc đang chạy) để lại; hãy xoá khi "
                          "không còn lần chạy nào", "left by an interrupted (or running) run; "
                          "delete it when no run is going")]
        return []  # a run still going
    try:
        shutil.rmtree(path)
    except OSError as exc:
        return [_note(path, f"do lần chạy bị ngắt để lại, không xoá được ({exc.strerror}); hãy "
                      "xoá", f"left by an interrupted run, could not be deleted "
                      f"({exc.strerror}); delete it")]
    finally:
        os.close(fd)
    return [_note(path, "đã xoá thư mục dở dang của một lần chạy bị ngắt",
                  "removed the unfinished folder of an interrupted run")]


def _note(path: Path, vi: str, en: str) -> str:
    return f"{path}: {vi} / {en}"


def link_or_copy(src: Path, dst: Path) -> None:
    """``dst`` as a hard link to ``src`` (files of a run are never changed in place), else a
    copy where the file system has no links."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)

"""Report workers die with the run that started them.

A killed run (SIGKILL gives it no chance to stop its pool) must not leave workers behind,
rendering PDFs of a dead run into its temporary folder for minutes. Each worker watches its
parent run: a thread waits on the sentinel multiprocessing gives every child (it becomes ready
when the parent's end closes, that is when the parent dies), and on Linux the kernel also kills
the worker when the fork server it was forked from exits (which it does when the run dies).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading

__all__ = ["die_with_parent"]

_PR_SET_PDEATHSIG = 1


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)


def die_with_parent() -> None:
    """Call first in a worker process: it ends as soon as the process that started it ends."""
    forked_from = os.getppid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != forked_from:  # the parent died before the request was made
            _kill_self()
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        _kill_self()

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()

"""Runs in the background: ``scoring.run.run_scoring`` in a separate process, progress in the DB.

A separate process keeps the server responsive while Polars and WeasyPrint work (the PDF layout
is Python that would otherwise hold the interpreter). The child opens its own database engine
and writes the step it is on; the pages read it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import traceback
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update

from scoring.errors import ScoringError
from scoring.outputs.manifest import sha256_file
from scoring.portal.db import Run, RunFile, make_engine, make_sessions

__all__ = ["Jobs", "issue_rows", "failure", "record_files", "execute", "interrupted"]

_STEPS = ("criteria", "read", "score", "write", "reports")


def issue_rows(exc: ScoringError) -> list[dict[str, Any]]:
    """The located problems of a user error, as rows of the error table."""
    return [{"file": i.file, "line": i.line, "where": i.where, "message": i.message,
             "value": str(i.value) if i.has_value else None} for i in exc.issues]


def failure(message: str) -> list[dict[str, Any]]:
    """A problem that no input row caused, as the one row of the error table."""
    return [{"file": "", "line": None, "where": None, "message": message, "value": None}]


def record_files(db: Any, run_id: int, kind: str, folder: Path) -> None:
    """Replace the run's rows of one kind with every file under ``folder`` and its SHA-256."""
    db.execute(delete(RunFile).where(RunFile.run_id == run_id, RunFile.kind == kind))
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        db.add(RunFile(run_id=run_id, kind=kind, path=path.relative_to(folder).as_posix(),
                       size=path.stat().st_size, sha256=sha256_file(path)))


def execute(db_url: str, run_id: int, opts: Any) -> None:
    """The body of one background run (in the child process); ``opts`` are RunOptions."""
    from scoring.run import run_scoring

    engine = make_engine(db_url)
    sessions = make_sessions(engine)

    def set_run(**values: Any) -> None:
        with sessions.begin() as db:
            db.execute(update(Run).where(Run.id == run_id).values(**values))

    @contextlib.contextmanager
    def step(key: str) -> Iterator[None]:
        n = _STEPS.index(key) + 1 if key in _STEPS else 0
        set_run(progress=f"{n}/{len(_STEPS)} {key}")
        yield

    try:
        set_run(job="running", progress="0/5", issues=[])
        summary = run_scoring(opts, step)
        with sessions.begin() as db:
            record_files(db, run_id, "output", Path(opts.out))
            db.execute(update(Run).where(Run.id == run_id).values(
                job="done", progress="5/5", counts=summary.counts, run_date=opts.run_date.isoformat()))
    except ScoringError as exc:
        set_run(job="failed", issues=issue_rows(exc), progress="")
    except Exception as exc:  # shown to HR; the server keeps going
        traceback.print_exc()
        set_run(job="failed", progress="", issues=failure(f"{type(exc).__name__}: {exc}"))
    finally:
        engine.dispose()


class Jobs:
    """One worker process: runs queue up in order, each scoring the whole department."""

    def __init__(self, db_url: str, sessions: Any):
        self.db_url, self.sessions = db_url, sessions
        self._pool: ProcessPoolExecutor | None = None
        self.futures: dict[int, Future[None]] = {}

    def start(self, run_id: int, options: Any) -> None:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        future = self._pool.submit(execute, self.db_url, run_id, options)
        future.add_done_callback(lambda f: self._crashed(run_id, f))
        self.futures[run_id] = future

    def _crashed(self, run_id: int, future: Future[None]) -> None:
        """A worker that died (or never started) leaves a failed run, not one queued for ever."""
        exc = None if future.cancelled() else future.exception()
        if isinstance(exc, BrokenProcessPool):
            self._pool = None  # a worker that died breaks its pool: the next run starts a new one
        if future.cancelled() or exc is not None:
            with self.sessions.begin() as db:
                db.execute(update(Run).where(Run.id == run_id, Run.job.in_(("queued", "running"))).values(
                    job="failed", progress="", issues=failure(f"{type(exc).__name__}: {exc}")))

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def interrupted(sessions: Any) -> None:
    """Runs left queued or running by a server that stopped are marked failed at start-up."""
    with sessions.begin() as db:
        ids = db.scalars(select(Run.id).where(Run.job.in_(("queued", "running")))).all()
        if ids:
            db.execute(update(Run).where(Run.id.in_(ids)).values(
                job="failed", progress="", issues=failure("máy chủ đã dừng giữa chừng; hãy chạy lại / "
                                                          "the server stopped during the run; run it again")))

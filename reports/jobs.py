"""Run file-rendering jobs in this process, on a local process pool or on a Dask cluster.

A *job* is any plain picklable object with ``out_path`` (the file it makes) and, for the log,
its repr; the *job function* is a module-level function (every backend imports it by name)
that turns a job into a result carrying the file's bytes as ``data``. The three backends run
the same job function; only this module writes: each file through a hidden temporary name and a
rename, so workers need no shared storage and a killed worker never leaves a half-written file.

**Resuming.** With a journal (a JSON-lines file), every file written is recorded with the job's
*key* (a hash of the job itself and of the code and assets that render it, see
``code_fingerprint``) and the SHA-256 of the bytes written. A later call with the same journal
skips a job whose file is on disk with that hash under the same key, and renders everything
else again (a missing, changed or truncated file, a changed job, other code).

    from scoring.reports.jobs import run_jobs
    written = run_jobs(jobs, pdf.render_job, init=pdf.init_worker, workers=2,
                       scheduler=None, journal=folder / ".journal.jsonl")
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any

from scoring.outputs.manifest import sha256_file

__all__ = ["Written", "run_jobs", "job_key", "code_fingerprint", "write_atomic"]

JobFn = Callable[[Any], Any]
# jobs a backend may hold at once per worker process: enough to keep every worker busy while
# the parent writes results, few enough that a national set is never held in memory
IN_FLIGHT_PER_WORKER = 3


@dataclass(frozen=True, slots=True)
class Written:
    """One job's file: where, its SHA-256, and the job function's result without the bytes
    (``None`` when the file was already written by an earlier, interrupted call)."""

    path: Path
    sha256: str
    result: Any | None

    @property
    def skipped(self) -> bool:
        return self.result is None


@cache
def code_fingerprint() -> str:
    """Hash of what renders a file: the installed report package (code, templates, styles,
    fonts) and the versions of the tool and the PDF libraries. Part of every job key, and
    compared on Dask workers before they render (a worker with other code is refused)."""
    h = hashlib.sha256()
    for dist in ("scoring", "weasyprint", "pydyf", "tinycss2", "fonttools"):
        try:
            h.update(f"{dist}={metadata.version(dist)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=-\n".encode())
    root = Path(str(files("scoring.reports")))
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def job_key(job: Any, fn: JobFn) -> str:
    """The key of a job: what it is (its repr: the template, context and target of a frozen
    dataclass), the job function, and the code fingerprint."""
    text = f"{code_fingerprint()}\n{fn.__module__}.{fn.__qualname__}\n{job!r}"
    return hashlib.sha256(text.encode()).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a hidden temporary name beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


class Journal:
    """The files written so far, with their job keys and hashes (JSON lines, append only)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, tuple[str, str]] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    e = json.loads(line)
                    self.entries[e["path"]] = (e["key"], e["sha256"])
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a crash: that file is simply rendered again
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(".*.tmp"):  # a temporary file of a killed writer
            stale.unlink()
        self._fh = path.open("a", encoding="utf-8")

    def done(self, out: Path, key: str) -> str | None:
        """The hash of ``out`` when it is on disk as written for this key, else None."""
        entry = self.entries.get(str(out))
        if entry is None or entry[0] != key or not out.is_file():
            return None
        sha = sha256_file(out)
        return sha if sha == entry[1] else None

    def record(self, out: Path, key: str, sha: str) -> None:
        self._fh.write(json.dumps({"path": str(out), "key": key, "sha256": sha}) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


def _inline(fn: JobFn, init: Callable[[], None] | None,
            jobs: Iterator[tuple[int, Any]]) -> Generator[tuple[int, Any], None, None]:
    for i, job in jobs:
        yield i, fn(job)


def _local_pool(workers: int, init: Callable[[], None] | None) -> cf.ProcessPoolExecutor:
    # forkserver: workers fork from a clean server process that has imported only the
    # job function's module (no Polars threads, no fontconfig state from this process)
    ctx = multiprocessing.get_context("forkserver")
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=init)


def _pooled(fn: JobFn, init: Callable[[], None] | None, jobs: Iterator[tuple[int, Any]],
            workers: int) -> Generator[tuple[int, Any], None, None]:
    multiprocessing.get_context("forkserver").set_forkserver_preload([fn.__module__])
    pool = _local_pool(workers, init)
    in_flight: dict[cf.Future, int] = {}
    try:
        for i, job in jobs:
            while len(in_flight) >= workers * IN_FLIGHT_PER_WORKER:
                yield from _collect(in_flight)
            in_flight[pool.submit(fn, job)] = i
        while in_flight:
            yield from _collect(in_flight)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(in_flight: dict[cf.Future, int]) -> Iterator[tuple[int, Any]]:
    done, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
    for future in done:
        yield in_flight.pop(future), future.result()


def _dask_backend(scheduler: str) -> Callable[..., Generator[tuple[int, Any], None, None]]:
    try:
        from .cluster import dask_results
    except ImportError as exc:
        if not (exc.name or "").startswith(("distributed", "dask")):
            raise
        from scoring.codes import Code
        from scoring.errors import ScoringError, issue

        raise ScoringError([issue(scheduler, None, None, "chưa cài Dask distributed / Dask "
                                  "distributed is not installed: pip install 'scoring[dask]'",
                                  code=Code.CLUSTER_MISSING)],
                           title="Cụm Dask / Dask cluster") from None
    return dask_results


def _backend(fn: JobFn, init: Callable[[], None] | None, jobs: Iterator[tuple[int, Any]], workers: int,
             scheduler: str | None, timeout: float) -> Generator[tuple[int, Any], None, None]:
    """The results of ``jobs`` from a Dask cluster, a local process pool or this process."""
    if scheduler:
        return _dask_backend(scheduler)(fn, init, jobs, scheduler, timeout=timeout)
    if workers > 1:
        return _pooled(fn, init, jobs, workers)
    return _inline(fn, init, jobs)


def run_jobs(
    jobs: Iterable[Any],
    fn: JobFn,
    *,
    init: Callable[[], None] | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    timeout: float = 30.0,
    journal: Path | None = None,
    on_written: Callable[[Written], None] | None = None,
) -> list[Written]:
    """Run ``fn`` on every job and write each result's ``data`` to the job's ``out_path``.

    ``jobs`` is consumed lazily, in order (put the biggest first); the result list follows the
    same order. ``scheduler`` (``tcp://host:8786``) sends the jobs to a Dask cluster, else
    ``workers`` > 1 uses a local process pool and 1 renders here; ``timeout`` is how long
    to wait for the scheduler and a first worker. ``init`` runs once in every
    worker process before its first job. ``journal`` makes the call resumable (see the module
    docstring). ``on_written`` is told about every file as it is done (progress).
    """
    log = Journal(journal) if journal is not None else None
    written: dict[int, Written] = {}
    keys: dict[int, str] = {}
    count = 0

    def todo() -> Iterator[tuple[int, Any]]:
        nonlocal count
        for i, job in enumerate(jobs):
            count += 1
            out = Path(job.out_path)
            key = keys[i] = job_key(job, fn) if log is not None else ""
            sha = log.done(out, key) if log is not None else None
            if sha is not None:
                _done(i, Written(out, sha, None))
            else:
                yield i, job

    def _done(i: int, w: Written) -> None:
        written[i] = w
        if on_written is not None:
            on_written(w)

    one = isinstance(jobs, list | tuple) and len(jobs) <= 1
    results = _backend(fn, init, todo(), 1 if one else workers, scheduler, timeout)
    try:
        for i, result in results:
            out = Path(result.path)
            write_atomic(out, result.data)
            sha = hashlib.sha256(result.data).hexdigest()
            if log is not None:
                log.record(out, keys.pop(i), sha)
            _done(i, Written(out, sha, replace(result, data=b"", sha256=sha)))
    finally:
        results.close()  # stops the pool or the cluster's futures on an error
        if log is not None:
            log.close()
    return [written[i] for i in range(count)]

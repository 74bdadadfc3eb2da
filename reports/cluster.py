"""Rendering jobs on a Dask distributed cluster (``scoring report --scheduler tcp://HOST:8786``).

Each worker machine runs ``dask worker tcp://HOST:8786 --nworkers <cores> --nthreads 1`` in
an environment with the same version of ``scoring`` installed. Every worker process loads the
fonts, stylesheet and templates once (a worker plugin running the job's ``init``), then renders
the jobs it is given with the same job function as the local process pool, and gives the PDF
back as bytes: the client writes it into the run folder, so workers need no shared storage and
a worker killed mid-job leaves nothing behind (the scheduler gives its job to another worker).

A worker whose code fingerprint (``jobs.code_fingerprint``) differs from the client's refuses
the job, so a set is never rendered half with one version and half with another.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Generator, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from distributed import Client, KilledWorker, WorkerPlugin, as_completed

from scoring.codes import Code
from scoring.errors import ScoringError, issue

from .jobs import IN_FLIGHT_PER_WORKER, code_fingerprint

__all__ = ["dask_results", "run_checked", "WorkerCodeMismatch", "WorkerSetup"]

CONNECT_TIMEOUT = 30.0  # seconds to reach the scheduler and to wait for a first worker


class WorkerCodeMismatch(RuntimeError):
    """A worker runs another version of the report code than the client."""


class WorkerSetup(WorkerPlugin):
    """Runs the job's ``init`` once in every worker process, also in workers that join or are
    restarted later (the scheduler keeps the plugin and gives it to every new worker)."""

    name = "scoring-reports-setup"

    def __init__(self, init: Callable[[], None] | None) -> None:
        self.init = init

    def setup(self, worker: Any) -> None:
        if self.init is not None:
            self.init()


def run_checked(fn: Callable[[Any], Any], job: Any, fingerprint: str) -> Any:
    """What a worker runs: the job function, after checking that the code is the client's."""
    if code_fingerprint() != fingerprint:
        raise WorkerCodeMismatch(
            f"worker {socket.gethostname()} (pid {os.getpid()}) has other report code or "
            "library versions than the client; install the same version of scoring on every worker"
        )
    return fn(job)


def _error(scheduler: str, message: str) -> ScoringError:
    return ScoringError([issue(scheduler, None, None, message, code=Code.CLUSTER)],
                        title="Cụm Dask / Dask cluster")


def _connect(scheduler: str, timeout: float) -> Client:
    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise _error(scheduler, "không kết nối được bộ lập lịch Dask / cannot reach the Dask "
                     f"scheduler ({type(exc).__name__}: {exc})") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        client.close()
        raise _error(scheduler, f"bộ lập lịch không có worker nào sau {timeout:g} s / the "
                     f"scheduler has no worker after {timeout:g} s") from None
    return client


def _window(client: Client) -> int:
    # a job's round trip (scheduler, worker, results fetched) is milliseconds: keep enough in
    # flight to hide it even when jobs are short; a job in flight is some 100-200 KB
    return max(64, IN_FLIGHT_PER_WORKER * sum(client.nthreads().values()))


def dask_results(
    fn: Callable[[Any], Any],
    init: Callable[[], None] | None,
    jobs: Iterator[tuple[int, Any]],
    scheduler: str,
    *,
    timeout: float = CONNECT_TIMEOUT,
) -> Generator[tuple[int, Any], None, None]:
    """Yield ``(index, result)`` of every job as the cluster finishes it (any order).

    At most a few jobs per worker thread are on the cluster at a time: the rest are not built
    yet, so the client's memory does not grow with the number of units.
    """
    client = _connect(scheduler, timeout)
    fingerprint = code_fingerprint()
    index: dict[Any, int] = {}
    names: dict[Any, str] = {}
    pending = as_completed(loop=client.loop, with_results=True)  # results fetched in the background

    def submit(i: int, job: Any) -> None:
        name = Path(job.out_path).name
        future = client.submit(run_checked, fn, job, fingerprint, pure=False,
                               key=f"render-{i}-{name}")
        index[future.key], names[future.key] = i, name
        pending.add(future)

    try:
        client.register_plugin(WorkerSetup(init))
        window = _window(client)
        for i, job in islice(jobs, window):
            submit(i, job)
        done = 0
        while not pending.is_empty():
            try:
                future, result = next(pending)
            except KilledWorker as exc:
                job = names.get(exc.args[0] if exc.args else None, "?")
                raise _error(scheduler, f"{job}: công việc làm chết worker nhiều lần "
                             "(hết bộ nhớ?) / the job killed workers again and again (out of "
                             "memory?); the files written so far are kept") from None
            except WorkerCodeMismatch as exc:
                raise _error(scheduler, str(exc)) from None
            i = index.pop(future.key)
            names.pop(future.key)
            future.release()
            yield i, result
            done += 1
            if done % 256 == 0:  # workers may have joined
                window = _window(client)
            for nxt in islice(jobs, max(1, window - pending.count())):
                submit(*nxt)
    finally:
        pending.clear()
        client.close()

"""A canary file and a 127.0.0.1 listener that record whether anything touched them.

The canary is a FIFO: opening it for reading is the only way to read it, and a writer's
non-blocking open succeeds only while a reader has it open, so a poller sees every reader. Both
run in a child process: Polars holds the interpreter lock while it translates SQL, and a thread
of the attacked process would never get to look. The child stops by itself after
``MAX_SECONDS`` if nobody stops it.

    with Sentinels(tmp_path) as s:
        ...  # use s.canary (a path) and s.url (http://127.0.0.1:PORT/x.json)
    assert s.opened == 0 and s.connections == 0
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

__all__ = ["Sentinels", "CANARY_SECRET"]

CANARY_SECRET = "CANARY_SECRET_7f3a"
MAX_SECONDS = 900


class Sentinels:
    def __init__(self, folder: Path):
        self.canary = Path(folder) / "canary.csv"
        self.url = ""
        self.opened = -1
        self.connections = -1
        self._child: subprocess.Popen[str] | None = None

    def __enter__(self) -> Sentinels:
        self._child = subprocess.Popen(
            [sys.executable, __file__, str(self.canary)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True)
        assert self._child.stdout is not None
        ready = self._child.stdout.readline().split()
        if len(ready) != 2 or ready[0] != "READY":
            raise RuntimeError(f"sentinels did not start: {ready}")
        self.url = f"http://127.0.0.1:{ready[1]}/x.json"
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self._child is not None
        out, _ = self._child.communicate("stop\n", timeout=30)
        counts = dict(part.split("=") for part in out.split())
        self.opened, self.connections = int(counts["opened"]), int(counts["connections"])


def _serve(canary: Path) -> None:
    os.mkfifo(canary)
    stop = threading.Event()
    counts = {"opened": 0, "connections": 0}

    def poll() -> None:
        while not stop.is_set():
            try:
                fd = os.open(canary, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                time.sleep(0.0005)
                continue
            counts["opened"] += 1
            try:
                os.write(fd, f"topic\n{CANARY_SECRET}\n".encode())
            except OSError:
                pass
            os.close(fd)

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)

    def listen() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            counts["connections"] += 1
            conn.close()

    threads = [threading.Thread(target=f, daemon=True) for f in (poll, listen)]
    for th in threads:
        th.start()
    print("READY", server.getsockname()[1], flush=True)
    waiter = threading.Thread(target=sys.stdin.readline, daemon=True)
    waiter.start()
    waiter.join(MAX_SECONDS)
    time.sleep(0.2)  # a connection or open in flight is counted
    stop.set()
    for th in threads:
        th.join(2)
    server.close()
    canary.unlink(missing_ok=True)
    print(f"opened={counts['opened']} connections={counts['connections']}", flush=True)


if __name__ == "__main__":
    _serve(Path(sys.argv[1]))

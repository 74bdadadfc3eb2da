"""The portal on a real PostgreSQL server (Debian's package), started here in a temporary folder."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from portal_client import Client
from sqlalchemy import text


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_postgres() -> list[str]:
    """initdb refuses to run as root: as root, run the server as the ``postgres`` account."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as another user")
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("no 'postgres' account to run the server as")
    return ["runuser", "-u", "postgres", "--"]


@pytest.fixture(scope="module")
def postgres_url():
    pg = _bin()
    if pg is None:
        pytest.skip("PostgreSQL is not installed (.ci/install test installs Debian's postgresql)")
    pytest.importorskip("psycopg")
    prefix = _as_postgres()
    # pytest's own temporary folders are private to root; the server's account must reach this one
    folder = Path(tempfile.mkdtemp(prefix="scoring-pg-", dir="/tmp"))
    os.chmod(folder, 0o777)
    data, sock = folder / "data", folder / "sock"
    sock.mkdir()
    os.chmod(sock, 0o777)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    initdb = [str(pg / "initdb"), "-D", str(data), "-A", "trust", "-U", "portal", "-E", "UTF8"]
    subprocess.run([*prefix, *initdb], check=True, capture_output=True, timeout=120)
    subprocess.run([*prefix, str(pg / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "start",
                    "-o", f"-h 127.0.0.1 -p {port} -k {sock}"], check=True, capture_output=True, timeout=120)
    try:
        yield f"postgresql+psycopg://portal@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, str(pg / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def test_the_portal_runs_on_postgresql(postgres_url, tmp_path):
    from conftest import make_portal

    app = make_portal(tmp_path, database_url=postgres_url, reports=False)
    engine = app.state.portal.sessions.kw["bind"]
    assert engine.dialect.name == "postgresql"
    try:
        _scoped_and_logged(app, engine)
    finally:
        engine.dispose()  # no connection left for the server's stop


def _scoped_and_logged(app, engine):
    from portal_client import run_quarter
    from starlette.testclient import TestClient

    with TestClient(app):
        run_id = run_quarter(Client(app, "hr"))
    head = Client(app, "head_cctdc")
    assert head.get(f"/runs/{run_id}/units/CC-DL").status_code == 200
    assert head.get(f"/runs/{run_id}/units/VP").status_code == 404
    assert head.get(f"/runs/{run_id}/employees/NV0001").status_code == 404
    assert f"/runs/{run_id}/units/CC-DL" in Client(app, "auditor").get("/log.csv").text
    for statement in ("UPDATE access_log SET username = 'x'", "DELETE FROM access_log"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))

"""A signed-in test client of the portal, and the steps of HR's work through the pages."""

from __future__ import annotations

import re
import time
from pathlib import Path

from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DATA = ROOT / "sample_data"
PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Client:
    """One person's browser: cookies, the CSRF token of their session, and their requests."""

    def __init__(self, app, username: str | None = None, password: str = PASSWORD):
        self.http = TestClient(app, base_url="https://testserver", follow_redirects=True)
        self.token = ""
        if username:
            r = self.login(username, password)
            assert r.status_code == 200 and "/login" not in str(r.url), r.text[:300]

    def login(self, username: str, password: str = PASSWORD):
        page = self.http.get("/login")
        r = self.http.post("/login", data={"csrf": _CSRF.search(page.text).group(1), "username": username,
                                           "password": password})
        found = _CSRF.search(r.text)
        self.token = found.group(1) if found else ""
        return r

    def get(self, url: str, **kw):
        return self.http.get(url, **kw)

    def post(self, url: str, data: dict | None = None, files=None, **kw):
        return self.http.post(url, data={"csrf": self.token, **(data or {})}, files=files, **kw)


def sample_files(folder: Path = SAMPLE_DATA) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "text/csv")) for p in sorted(folder.glob("*.csv"))]


def wait_for_job(client: Client, run_id: int, timeout: float = 600) -> str:
    """Follow the run page (as the meta refresh would) until the background run ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = client.get(f"/runs/{run_id}").text
        job = re.search(r'id="job">([^<]+)<', text).group(1)
        if job not in ("Đang chờ", "Đang chạy"):
            return job
        time.sleep(0.5)
    raise TimeoutError(f"run {run_id} still running after {timeout} s")


def run_quarter(hr: Client, files=None, period: str = "2025-Q1", publish: bool = True) -> int:
    """HR's whole flow on the sample quarter: upload, check, score, (publish); the run id."""
    r = hr.post("/runs", data={"period": period, "criteria": "skhcn-quy-2025.yaml"},
                files=files or sample_files())
    assert r.status_code == 200, r.text[-2000:]
    run_id = int(str(r.url).rstrip("/").rsplit("/", 1)[1])
    r = hr.post(f"/runs/{run_id}/check")
    assert 'id="checked-ok"' in r.text, r.text[-3000:]
    hr.post(f"/runs/{run_id}/start")
    assert wait_for_job(hr, run_id) == "Đã chạy xong", hr.get(f"/runs/{run_id}").text[-3000:]
    if publish:
        assert "Đã công bố" in hr.post(f"/runs/{run_id}/publish").text
    return run_id

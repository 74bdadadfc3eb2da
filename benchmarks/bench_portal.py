"""Load on the portal: N unit heads (200 by default) fetching their reports at once on 127.0.0.1
while HR scores a quarter in the background. Prints the median and 99th-percentile page time,
the number of errors and of pages that showed a person outside the head's subtree (must be 0).

    .venv/bin/python benchmarks/bench_portal.py [--heads 200] [--port 8811]

The server is ``scoring serve`` (uvicorn, one process, SQLite) on a fresh data folder holding
the published sample quarter; it listens on 127.0.0.1 only and is stopped at the end (and by
``timeout`` at worst).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_IDS = re.compile(r"NV\d{4}")


def prepare(folder: Path, heads: int) -> tuple[dict[str, str], pl.DataFrame, pl.DataFrame]:
    """The demo department scored and published, and ``heads`` head accounts over its units."""
    from scoring.portal.accounts import add_user
    from scoring.portal.db import make_engine, make_sessions
    from scoring.portal.demo import demo_settings, seed_demo
    from scoring.portal.migrate import upgrade

    settings = demo_settings(folder)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    sessions = make_sessions(engine)
    seed_demo(sessions, settings)
    out = folder / "runs" / "1" / "out"
    scores, units = pl.read_parquet(out / "scores.parquet"), pl.read_parquet(out / "units.parquet")
    unit_ids = units["unit_id"].to_list()
    accounts = {}
    with sessions.begin() as db:
        for i in range(heads):
            accounts[f"head{i:03d}"] = unit_ids[i % len(unit_ids)]
            add_user(db, f"head{i:03d}", f"Head {i}", "head", PASSWORD, unit_ids[i % len(unit_ids)])
    engine.dispose()
    (folder / "portal.toml").write_text(
        f'[portal]\ndata_dir = "{folder}"\ncriteria_dir = "{ROOT / "criteria"}"\ncookie_secure = false\n'
        "login_limit = 1000\n", encoding="utf-8")
    return accounts, scores, units


def login(base: str, username: str, password: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, follow_redirects=True, timeout=120)
    page = client.get("/login")
    r = client.post("/login", data={"csrf": _CSRF.search(page.text).group(1), "username": username,
                                    "password": password})
    return client, _CSRF.search(r.text).group(1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--heads", type=int, default=200)
    ap.add_argument("--port", type=int, default=8811)
    args = ap.parse_args()
    from scoring.portal.scope import subtree

    folder = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    print(f"preparing {args.heads} heads in {folder} …", flush=True)
    accounts, scores, units = prepare(folder, args.heads)
    edges = list(zip(units["unit_id"], units["parent_id"], strict=True))
    allowed = {u: set(scores.filter(pl.col("unit_id").is_in(sorted(subtree(edges, u))))["employee_id"])
               for u in units["unit_id"]}
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(["timeout", "1800", str(Path(sys.executable).with_name("scoring")), "serve",
                               "--config", str(folder / "portal.toml"), "--host", "127.0.0.1",
                               "--port", str(args.port)], cwd=ROOT)
    try:
        for _ in range(120):
            try:
                httpx.get(base + "/login", timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        run_load(base, accounts, allowed)
    finally:
        server.terminate()
        server.wait(timeout=60)


def run_load(base: str, accounts: dict[str, str], allowed: dict[str, set[str]]) -> None:
    with ThreadPoolExecutor(32) as pool:
        clients = list(pool.map(lambda u: (u, *login(base, u, PASSWORD)), accounts))
    print(f"{len(clients)} heads signed in", flush=True)
    hr, token = login(base, "hr", "demo-password")
    files = [("files", (p.name, p.read_bytes(), "text/csv"))
             for p in sorted((ROOT / "sample_data").glob("*.csv"))]
    r = hr.post("/runs", data={"csrf": token, "period": "2025-Q1", "criteria": "skhcn-quy-2025.yaml"},
                files=files)
    run_url = str(r.url)
    hr.post(run_url + "/check", data={"csrf": token})
    hr.post(run_url + "/start", data={"csrf": token})
    started = time.perf_counter()
    done = threading.Event()
    times: list[float] = []
    errors: list[str] = []
    leaks: list[str] = []
    lock = threading.Lock()

    def head(entry: tuple[str, httpx.Client, str]) -> None:
        username, client, _ = entry
        unit = accounts[username]
        urls = ["/", "/runs/1", f"/runs/1/units/{unit}", f"/runs/1/units/{unit}/staff.csv",
                f"/runs/1/units/{unit}/report.pdf"]
        while not done.is_set():
            for url in urls:
                t0 = time.perf_counter()
                resp = client.get(url)
                elapsed = time.perf_counter() - t0
                seen = set(_IDS.findall(resp.text)) if not url.endswith(".pdf") else set()
                with lock:
                    times.append(elapsed)
                    if resp.status_code != 200:
                        errors.append(f"{username} {url} {resp.status_code}")
                    if seen - allowed[unit]:
                        leaks.append(f"{username} {url} {sorted(seen - allowed[unit])[:3]}")

    def watch_hr() -> None:
        while "Đang" in re.search(r'id="job">([^<]+)<', hr.get(run_url).text).group(1):
            time.sleep(1)
        done.set()

    with ThreadPoolExecutor(len(clients) + 1) as pool:
        pool.submit(watch_hr)
        list(pool.map(head, clients))
    job = re.search(r'id="job">([^<]+)<', hr.get(run_url).text).group(1)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"HR's run: {job} in {time.perf_counter() - started:.1f} s while {len(clients)} heads fetched "
          f"{len(times)} pages")
    print(f"page time: median {statistics.median(times) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
          f"max {times[-1] * 1000:.0f} ms")
    print(f"errors: {len(errors)}  cross-unit pages: {len(leaks)}")
    for line in (errors + leaks)[:10]:
        print("  ", line)


if __name__ == "__main__":
    main()

"""``scoring serve --demo``: the sample department, demo accounts and a published sample quarter."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from sqlalchemy import select

from scoring.clock import agency_today
from scoring.portal.accounts import add_user
from scoring.portal.db import Run, User
from scoring.portal.jobs import execute, record_files
from scoring.portal.settings import Settings
from scoring.settings import Settings as RunSettings

__all__ = ["DEMO_ACCOUNTS", "demo_settings", "seed_demo"]

_ROOT = Path(__file__).resolve().parents[2]  # the repository: criteria/ and sample_data/
DEMO_PASSWORD = "demo-password"
# username, display name, role, unit, employee
DEMO_ACCOUNTS = [
    ("hr", "Phòng Tổ chức cán bộ (demo)", "hr", None, None),
    ("giamdoc", "Giám đốc Sở (demo)", "director", None, None),
    ("kiemtra", "Kiểm tra viên (demo)", "auditor", None, None),
    ("truong.cctdc", "Chi cục trưởng CCTDC (demo)", "head", "CCTDC", None),
    ("truong.vp", "Chánh Văn phòng (demo)", "head", "VP", None),
    ("nv0097", "Cán bộ NV0097 (demo)", "staff", None, "NV0097"),
]


def demo_settings(data_dir: Path | None) -> Settings:
    folder = data_dir or Path(tempfile.mkdtemp(prefix="scoring-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    return Settings(data_dir=folder, criteria_dir=_ROOT / "criteria", cookie_secure=False)


def seed_demo(sessions, settings: Settings) -> None:
    """Accounts, and the sample quarter scored (as the portal would) and published."""
    from scoring.run import RunOptions

    with sessions.begin() as db:
        if db.scalar(select(User).where(User.username == "hr")):
            return
        users = [add_user(db, u, name, role, DEMO_PASSWORD, unit, emp)
                 for u, name, role, unit, emp in DEMO_ACCOUNTS]
        run = Run(period="2025-Q1", criteria="skhcn-quy-2025.yaml", state="checked", created_by=users[0].id,
                  issues=[], counts={})
        db.add(run)
        db.flush()
        inputs = settings.data_dir / "runs" / str(run.id) / "inputs"
        inputs.mkdir(parents=True)
        for f in sorted((_ROOT / "sample_data").glob("*.csv")):
            shutil.copyfile(f, inputs / f.name)
        record_files(db, run.id, "input", inputs)
        run_id = run.id
    opts = RunOptions(criteria_path=settings.criteria_dir / "skhcn-quy-2025.yaml", data_dir=inputs,
                      period="2025-Q1", out=inputs.parent / "out",
                      run_date=agency_today(settings.time_zone), reports=settings.reports, force=True,
                      settings=RunSettings(time_zone=settings.time_zone))
    execute(settings.db_url, run_id, opts)
    with sessions.begin() as db:
        run = db.get(Run, run_id)
        if run is not None and run.job == "done":
            run.state = "published"

"""Shared by the benchmarks: the criteria, the period, and the cache of generated data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# SCORING_BENCH_CRITERIA: another criteria file (e.g. the one matching a prototype's code)
CRITERIA = Path(os.environ.get("SCORING_BENCH_CRITERIA", ROOT / "criteria" / "skhcn-quy-2025.yaml"))
PERIOD = "2025-Q1"
CACHE = Path(os.environ.get("SCORING_BENCH_CACHE", "/tmp/scoring-bench"))
TABLES = ("units", "staff", "assessments", "violations", "training", "discipline", "leave")


def data_dir(staff: int, seed: int = 2025) -> Path:
    return CACHE / f"data-{staff}-seed{seed}"


def ensure_data(staff: int, seed: int = 2025, *, quiet: bool = False) -> Path:
    """The generated input folder for ``staff`` people, generating it (in a child) if missing."""
    folder = data_dir(staff, seed)
    if all((folder / f"{t}.parquet").is_file() for t in TABLES):
        return folder
    cmd = [sys.executable, str(Path(__file__).with_name("generate_national.py")),
           "--staff", str(staff), "--seed", str(seed), "--out", str(folder)]
    if not quiet:
        print(f"generating {staff:,} staff into {folder} …", file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL if quiet else None)
    return folder

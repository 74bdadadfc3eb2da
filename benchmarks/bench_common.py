"""Shared by the benchmarks: the criteria, the period, the cache of generated data, and the sample
criteria spelt out for the hand-written peers."""

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


# -- the sample criteria (criteria/skhcn-quy-2025.yaml) as the hand-written peers (pandas_peer.py,
# duckdb_peer.py) and the data generator spell it out: what a peer must agree with the engine on

DATES = {"staff": ["start_date", "end_date"], "violations": ["violation_date"],
         "training": ["session_date"], "discipline": ["decision_date"],
         "leave": ["start_date", "end_date"]}
MARKS = ["politics_ethics", "culture_attitude", "discipline", "task_quantity", "task_quality",
         "task_timeliness"]  # the unit assessment's score columns
MAX = {"politics_ethics": 8, "culture_attitude": 7, "discipline": 5, "traffic_safety": 10,
       "task_quantity": 25, "task_quality": 25, "task_timeliness": 20}  # each item's maximum
COMMON = ["politics_ethics", "culture_attitude", "discipline", "traffic_safety"]
RESULTS = ["task_quantity", "task_quality", "task_timeliness"]
CODES = ["HTXS", "HTT", "HT", "KHT"]
LABELS = {"HTXS": "Hoàn thành xuất sắc nhiệm vụ", "HTT": "Hoàn thành tốt nhiệm vụ",
          "HT": "Hoàn thành nhiệm vụ", "KHT": "Không hoàn thành nhiệm vụ"}
LEADERS = ["director", "deputy_director", "head", "deputy_head"]
POSITION_RANK = {"staff": 0, "deputy_head": 1, "head": 2, "deputy_director": 3, "director": 4}
NO_ASSESSMENT = "Không có kết quả đánh giá của đơn vị trong kỳ / no assessment for the period"
MISSING_SCORE = "Thiếu điểm đánh giá của đơn vị cho một mục / a unit assessment score is blank"
SHORT_SERVICE = ("Công tác dưới 45 ngày trong quý thì không xếp loại / "
                 "Not rated when employed under 45 days in the quarter")

"""What tests share that is not a fixture: paths, and small hand-built inputs.

Fixtures live in ``conftest.py`` files; tests import these helpers from here, never from a
conftest.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from scoring.audit.examples import frame_from_records
from scoring.inputs.contract import empty_frame
from scoring.inputs.frames import InputFrames

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
SAMPLE_CRITERIA = ROOT / "criteria" / "skhcn-quy-2025.yaml"
SAMPLE_DATA = ROOT / "sample_data"


FULL_MARKS = {"politics_ethics": 8, "culture_attitude": 7, "discipline": 5,
              "task_quantity": 25, "task_quality": 25, "task_timeliness": 20}


def make_inputs(
    people: list[dict],
    *,
    period: str = "2025-Q1",
    assessments: dict[str, dict] | None = None,
    violations: list[dict] = (),
    training: list[dict] = (),
    discipline: list[dict] = (),
    leave: list[dict] = (),
    units: list[dict] | None = None,
) -> InputFrames:
    """Small inputs: people get defaults; every person gets full marks unless told otherwise."""
    staff = [
        {"full_name": f"Người {i}", "unit_id": "U1", "position": "staff",
         "employment_type": "civil_servant", "start_date": date(2010, 1, 1)} | p
        for i, p in enumerate(people)
    ]
    marks = assessments or {}
    rows = [
        {"employee_id": p["employee_id"], "period": period} | marks.get(p["employee_id"], FULL_MARKS)
        for p in staff
        if marks.get(p["employee_id"], FULL_MARKS) is not None
    ]
    columns = ["employee_id", "period", *FULL_MARKS]
    assess = pl.DataFrame(
        {c: [r.get(c) for r in rows] for c in columns},
        schema={"employee_id": pl.String, "period": pl.String} | {c: pl.Float64 for c in FULL_MARKS},
    )
    return InputFrames(
        units=frame_from_records("units", units or [{"unit_id": "U1", "name": "Phòng Một"}]),
        staff=frame_from_records("staff", staff),
        assessments=assess,
        violations=frame_from_records("violations", list(violations)),
        training=frame_from_records("training", list(training)),
        discipline=frame_from_records("discipline", list(discipline)),
        leave=frame_from_records("leave", list(leave)) if leave else empty_frame("leave"),
    )


def violation(rid: str, emp: str, category: str = "speeding", *, status: str = "effective",
              points: int | None = 0, day: date = date(2025, 2, 10), **extra) -> dict:
    return {"record_id": rid, "employee_id": emp, "violation_date": day, "category": category,
            "status": status, "licence_points": points} | extra

"""Golden test of the sample quarter: five people worked out by hand from the criteria.

Each expected total is the sum of the unit's assessment marks (read back from the sample data
and checked here, so a regenerated sample fails loudly) plus the traffic-safety item computed
from the rules in criteria/skhcn-quy-2025.yaml: start 8, −3 per effective violation, −4 more per
alcohol violation, −0.5 per licence point lost, +2 with ≥ 2 h of attended traffic-safety
training, clipped to [0, 10]; bands 90/70/50; discipline forces KHT; alcohol caps at HT.
"""

from __future__ import annotations

import polars as pl
import pytest

from scoring.engine.score import score
from scoring.inputs.readers import read_inputs
from scoring.periods import parse_period
from tests.helpers import SAMPLE_DATA

MARKS = ["politics_ethics", "culture_attitude", "discipline", "task_quantity", "task_quality",
         "task_timeliness"]

# employee: (unit marks as in assessments.csv, traffic-safety item by hand, band, final rating)
CASES = {
    # clean record, attended the 3 h traffic-safety session: 8 + 2 = 10
    "NV0047": ((8, 7, 5, 22, 22.5, 18), 8 + 2, "HTXS", "HTXS"),
    # clean record, absent from the session: 8
    "NV0033": ((7.5, 6.5, 4.5, 20, 19.5, 17), 8, "HTT", "HTT"),
    # one effective speeding notice, no licence points, no training: 8 - 3 = 5
    "NV0114": ((7.5, 6.5, 5, 21, 20, 17), 8 - 3, "HTT", "HTT"),
    # alcohol level 1 with 4 licence points: 8 - 3 - 4 - 0.5*4 = -1, clipped to 0; capped at HT
    "NV0097": ((7, 6, 4.5, 20, 19, 16), 0, "HTT", "HT"),
    # reprimand decided 2025-03-10, clean driving, attended training: 8 + 2; forced to KHT
    "NV0053": ((7, 6, 3.5, 17, 16.5, 14), 8 + 2, "HTT", "KHT"),
}


@pytest.fixture(scope="module")
def sample_q1(criteria):
    inputs = read_inputs(SAMPLE_DATA)
    return inputs, score(criteria, inputs, parse_period("2025-Q1"))


@pytest.mark.parametrize("employee", list(CASES))
def test_hand_worked_sample_people(sample_q1, employee):
    inputs, result = sample_q1
    marks, traffic, band, rating = CASES[employee]
    row = inputs.assessments.filter(
        (pl.col("employee_id") == employee) & (pl.col("period") == "2025-Q1")
    ).select(MARKS).row(0)
    assert row == tuple(float(m) for m in marks), "the sample data changed: rework this case"
    s = result.scores.filter(pl.col("employee_id") == employee).row(0, named=True)
    assert s["item_traffic_safety"] == traffic
    assert s["total"] == pytest.approx(sum(marks) + traffic)
    assert (s["band"], s["rating"], s["status"]) == (band, rating, "rated")


def test_sample_quarter_counts_are_consistent(sample_q1):
    inputs, result = sample_q1
    s = result.scores
    assert s.height == 128  # 130 staff, two outside Q1 (NV0129 from May, NV0130 from August)
    top = result.units.filter(pl.col("level") == 0).row(0, named=True)
    assert top["headcount"] == s.height
    assert sum(top[f"rating_{c}"] for c in ("HTXS", "HTT", "HT", "KHT")) == top["rated"]
    effective_q1 = inputs.violations.filter(
        (pl.col("status") == "effective")
        & pl.col("violation_date").is_between(parse_period("2025-Q1").start, parse_period("2025-Q1").end)
    )
    assert top["violations"] == effective_q1.height


def test_explanations_built_in_slices_are_the_same_rows_in_the_same_order(
        criteria, sample_q1, monkeypatch):
    import scoring.engine.score as engine

    monkeypatch.setattr(engine, "EXPLANATION_SLICE", 7)  # 128 people: 19 slices, the last short
    inputs, whole = sample_q1
    sliced = score(criteria, inputs, parse_period("2025-Q1")).explanations
    assert sliced.height == whole.explanations.height > 1000
    assert sliced.equals(whole.explanations)
    assert sliced.select(pl.col("employee_id").is_sorted()).item()

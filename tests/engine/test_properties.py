"""Invariants of the engine, checked on random small departments (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from scoring.engine.score import score
from scoring.inputs.contract import LICENCE_POINTS, VIOLATION_CATEGORIES
from scoring.periods import parse_period
from tests.helpers import FULL_MARKS, make_inputs

Q1 = parse_period("2025-Q1")
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

marks = st.fixed_dictionaries(
    {k: st.integers(0, int(m * 2)).map(lambda v: v / 2) for k, m in FULL_MARKS.items()}
)
day = st.integers(0, Q1.days - 1).map(lambda d: Q1.start + timedelta(days=d))


@st.composite
def departments(draw):
    n = draw(st.integers(1, 6))
    ids = [f"E{i}" for i in range(n)]
    people = [{"employee_id": e, "start_date": draw(st.sampled_from(
        [date(2010, 1, 1), date(2025, 2, 20), date(2025, 3, 20)]))} for e in ids]
    violations = [
        {"record_id": f"V{i}", "employee_id": draw(st.sampled_from(ids)), "violation_date": draw(day),
         "category": draw(st.sampled_from(VIOLATION_CATEGORIES)),
         "status": draw(st.sampled_from(["effective", "appealed", "annulled"])),
         "licence_points": draw(st.sampled_from(LICENCE_POINTS))}
        for i in range(draw(st.integers(0, 8)))
    ]
    training = [
        {"record_id": f"T{i}", "employee_id": draw(st.sampled_from(ids)), "session_date": draw(day),
         "topic": "traffic_safety", "hours": draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])),
         "attendance": draw(st.sampled_from(["attended", "excused", "absent"]))}
        for i in range(draw(st.integers(0, 6)))
    ]
    discipline = [
        {"record_id": f"D{i}", "employee_id": draw(st.sampled_from(ids)), "decision_date": draw(day),
         "form": "reprimand"}
        for i in range(draw(st.integers(0, 1)))
    ]
    return {"people": people, "assessments": {e: draw(marks) for e in ids},
            "violations": violations, "training": training, "discipline": discipline}


def _score(criteria, dept) -> pl.DataFrame:
    return score(criteria, make_inputs(**dept), Q1).scores


def _rank(criteria, code):
    return [b.code for b in criteria.ratings].index(code) if code else None


@SETTINGS
@given(dept=departments())
def test_every_total_and_item_stays_within_the_sheet(criteria, dept):
    s = _score(criteria, dept)
    assert s["total"].min() >= 0 and s["total"].max() <= criteria.max_total
    for item in criteria.items:
        col = s[f"item_{item.id}"]
        assert col.min() >= 0 and col.max() <= item.max


@SETTINGS
@given(dept=departments(), data=st.data())
def test_one_more_effective_violation_never_raises_a_total(criteria, dept, data):
    before = _score(criteria, dept)
    who = data.draw(st.sampled_from([p["employee_id"] for p in dept["people"]]))
    extra = {"record_id": "VNEW", "employee_id": who, "violation_date": data.draw(day),
             "category": data.draw(st.sampled_from(VIOLATION_CATEGORIES)), "status": "effective",
             "licence_points": data.draw(st.sampled_from(LICENCE_POINTS))}
    after = _score(criteria, dept | {"violations": [*dept["violations"], extra]})
    joined = before.join(after, on="employee_id", suffix="_after")
    assert (joined["total_after"] <= joined["total"]).all()
    for row in joined.iter_rows(named=True):
        if row["rating"] and row["rating_after"]:
            assert _rank(criteria, row["rating_after"]) >= _rank(criteria, row["rating"])


@SETTINGS
@given(dept=departments(), data=st.data())
def test_appealed_or_annulled_violations_change_nothing(criteria, dept, data):
    before = _score(criteria, dept)
    extra = [{"record_id": f"VX{i}", "employee_id": p["employee_id"], "violation_date": data.draw(day),
              "category": data.draw(st.sampled_from(VIOLATION_CATEGORIES)),
              "status": data.draw(st.sampled_from(["appealed", "annulled"])), "licence_points": 10}
             for i, p in enumerate(dept["people"])]
    after = _score(criteria, dept | {"violations": [*dept["violations"], *extra]})
    assert_frame_equal(before, after)


def _marks(pe, ca, di, qn, ql, ti):
    return {"politics_ethics": pe, "culture_attitude": ca, "discipline": di, "task_quantity": qn,
            "task_quality": ql, "task_timeliness": ti}


def _violation(rid, who, when, category, status, points):
    return {"record_id": rid, "employee_id": who, "violation_date": when, "category": category,
            "status": status, "licence_points": points}


# Found by hypothesis: this shuffle left the context's columns split into memory chunks at
# different places, and Polars' in-memory engine then panicked building the explanations.
SPLIT_CHUNKS = {
    "people": [{"employee_id": "E0", "start_date": date(2010, 1, 1)},
               *({"employee_id": e, "start_date": d} for e, d in (
                   ("E1", date(2025, 3, 20)), ("E2", date(2025, 2, 20)), ("E3", date(2025, 2, 20)),
                   ("E4", date(2025, 2, 20)), ("E5", date(2025, 3, 20))))],
    "assessments": {"E0": _marks(4.0, 5.0, 4.0, 8.5, 13.0, 11.5),
                    "E1": _marks(3.5, 3.5, 3.0, 11.5, 10.5, 1.5),
                    "E2": _marks(3.0, 3.5, 4.5, 7.5, 23.0, 18.0),
                    "E3": _marks(4.0, 5.0, 5.0, 14.5, 14.0, 13.0),
                    "E4": _marks(6.0, 1.0, 1.5, 20.0, 9.0, 20.0),
                    "E5": _marks(8.0, 6.5, 4.0, 15.5, 20.0, 12.5)},
    "violations": [_violation("V0", "E3", date(2025, 1, 31), "red_light", "effective", 6),
                   _violation("V1", "E5", date(2025, 2, 12), "wrong_way", "appealed", 6),
                   _violation("V2", "E3", date(2025, 2, 10), "wrong_way", "effective", 4),
                   _violation("V3", "E5", date(2025, 2, 20), "helmet_seatbelt", "effective", 6)],
    "training": [{"record_id": r, "employee_id": "E4", "session_date": d, "topic": "traffic_safety",
                  "hours": 2.0, "attendance": a}
                 for r, d, a in (("T0", date(2025, 1, 25), "absent"),
                                 ("T1", date(2025, 2, 19), "attended"))],
    "discipline": [],
}


@SETTINGS
@given(dept=departments(), seed=st.integers(0, 2**16))
@example(dept=SPLIT_CHUNKS, seed=8859)
def test_shuffling_input_rows_changes_nothing(criteria, dept, seed):
    inputs = make_inputs(**dept)
    result = score(criteria, inputs, Q1)
    shuffled = type(inputs)(**{
        name: getattr(inputs, name).sample(fraction=1.0, shuffle=True, seed=seed)
        for name in ("units", "staff", "assessments", "violations", "training", "discipline", "leave")
    })
    again = score(criteria, shuffled, Q1)
    assert_frame_equal(result.scores, again.scores)
    assert_frame_equal(result.explanations, again.explanations)
    assert_frame_equal(result.units, again.units)

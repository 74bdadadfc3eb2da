"""Unit tests of each rule kind of the engine, on small hand-built inputs."""

from __future__ import annotations

from collections import Counter
from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from scoring.engine.score import score
from scoring.outputs.wording import with_details
from scoring.periods import parse_period
from scoring.rules.loader import load_criteria
from tests.helpers import make_inputs, violation

Q1 = parse_period("2025-Q1")


@pytest.fixture(scope="module")
def criteria(criteria):
    """The sample sheet without its quota: these tests look at one person at a time."""
    return criteria.model_copy(update={"quotas": ()})


def _scores(criteria, inputs, period=Q1) -> pl.DataFrame:
    return score(criteria, inputs, period).scores


def test_full_marks_without_records(criteria):
    s = _scores(criteria, make_inputs([{"employee_id": "A"}]))
    row = s.row(0, named=True)
    assert row["item_traffic_safety"] == 8.0  # the starting points, no bonus
    assert row["group_common"] == 28.0 and row["group_results"] == 70.0
    assert row["total"] == 98.0 and row["band"] == "HTXS" and row["rating"] == "HTXS"
    assert row["status"] == "rated" and row["overrides"] == ""


def test_per_occurrence_deduction_counts_each_effective_violation(criteria):
    inputs = make_inputs(
        [{"employee_id": "A"}, {"employee_id": "B"}],
        violations=[violation("V1", "A"), violation("V2", "A"), violation("V3", "B", points=4)],
    )
    s = _scores(criteria, inputs).select("employee_id", "item_traffic_safety")
    # A: 8 - 2×3 = 2; B: 8 - 3 - 0.5×4 = 3
    assert_frame_equal(s, pl.DataFrame({"employee_id": ["A", "B"], "item_traffic_safety": [2.0, 3.0]}))


def test_conditional_bonus_needs_two_attended_hours(criteria):
    def session(rid, emp, hours, attendance="attended", topic="traffic_safety"):
        return {"record_id": rid, "employee_id": emp, "session_date": date(2025, 3, 1),
                "topic": topic, "hours": hours, "attendance": attendance}

    inputs = make_inputs(
        [{"employee_id": e} for e in "ABCDE"],
        training=[session("T1", "A", 2.0), session("T2", "B", 1.5), session("T3", "C", 3.0, "absent"),
                  session("T4", "D", 1.0), session("T5", "D", 1.0),
                  session("T6", "E", 4.0, topic="professional")],
    )
    s = _scores(criteria, inputs)
    assert s["item_traffic_safety"].to_list() == [10.0, 8.0, 8.0, 10.0, 8.0]


def test_item_is_clipped_at_zero_and_clip_is_explained(criteria):
    inputs = make_inputs([{"employee_id": "A"}],
                         violations=[violation(f"V{i}", "A", points=4) for i in range(3)])
    result = score(criteria, inputs, Q1)
    assert result.scores["item_traffic_safety"].to_list() == [0.0]
    e = result.explanations.filter(pl.col("item") == "traffic_safety")
    # 8 - 9 - 6 = -7, clipped by +7 back to 0
    assert e.filter(pl.col("kind") == "clip")["points"].to_list() == [7.0]
    assert e["points"].sum() == 0.0


def test_records_outside_the_period_do_not_count(criteria):
    inputs = make_inputs([{"employee_id": "A"}],
                         violations=[violation("V1", "A", day=date(2024, 12, 31)),
                                     violation("V2", "A", day=date(2025, 4, 1))])
    assert _scores(criteria, inputs)["item_traffic_safety"].to_list() == [8.0]


def test_bands_use_inclusive_lower_bounds(criteria):
    marks = {  # traffic safety 8 + these
        "A": {"politics_ethics": 8, "culture_attitude": 7, "discipline": 5, "task_quantity": 25,
              "task_quality": 25, "task_timeliness": 12},  # 90
        "B": {"politics_ethics": 8, "culture_attitude": 7, "discipline": 5, "task_quantity": 25,
              "task_quality": 16.99, "task_timeliness": 0},  # 69.99
        "C": {"politics_ethics": 0, "culture_attitude": 0, "discipline": 0, "task_quantity": 25,
              "task_quality": 17, "task_timeliness": 0},  # 50
        "D": {"politics_ethics": 0, "culture_attitude": 0, "discipline": 0, "task_quantity": 0,
              "task_quality": 0, "task_timeliness": 0},  # 8
    }
    s = _scores(criteria, make_inputs([{"employee_id": e} for e in marks], assessments=marks))
    assert s["total"].to_list() == [90.0, 69.99, 50.0, 8.0]
    assert s["rating"].to_list() == ["HTXS", "HT", "HT", "KHT"]


def test_force_override_discipline_gives_kht(criteria):
    inputs = make_inputs([{"employee_id": "A"}, {"employee_id": "B"}], discipline=[
        {"record_id": "D1", "employee_id": "A", "decision_date": date(2025, 3, 10), "form": "reprimand",
         "duty_related": True},
        {"record_id": "D2", "employee_id": "B", "decision_date": date(2025, 3, 10), "form": "warning",
         "duty_related": False}])
    a, b = _scores(criteria, inputs).rows(named=True)
    assert (a["band"], a["rating"], a["overrides"]) == ("HTXS", "KHT", "discipline_kht")
    assert (b["rating"], b["overrides"]) == ("HTXS", "")  # not related to their duties


def test_cap_override_lowers_but_never_raises(criteria):
    low = {"politics_ethics": 0, "culture_attitude": 0, "discipline": 0, "task_quantity": 10,
           "task_quality": 10, "task_timeliness": 10}
    inputs = make_inputs(
        [{"employee_id": "A"}, {"employee_id": "B"}],
        assessments={"A": None, "B": low},
        violations=[violation("V1", "A", "alcohol", points=4, alcohol_level=1),
                    violation("V2", "B", "alcohol", points=4, alcohol_level=1)],
    )
    s = _scores(criteria, inputs)
    a, b = s.row(0, named=True), s.row(1, named=True)
    assert a["status"] == "not_rated"  # no assessment: not rated, no override applies
    assert b["total"] == 30.0 and b["band"] == "KHT" and b["rating"] == "KHT"
    assert b["overrides"] == "alcohol_cap"


def test_alcohol_caps_a_good_total_at_ht(criteria):
    inputs = make_inputs([{"employee_id": "A"}],
                         violations=[violation("V1", "A", "alcohol", points=4, alcohol_level=1)])
    row = _scores(criteria, inputs).row(0, named=True)
    assert row["total"] == 90.0 and row["band"] == "HTXS" and row["rating"] == "HT"
    assert row["rating_label"] == "Hoàn thành nhiệm vụ"


def test_not_rated_for_short_service_and_leave(criteria):
    inputs = make_inputs(
        [{"employee_id": "NEW", "start_date": date(2025, 3, 1)},
         {"employee_id": "LEAVE"}, {"employee_id": "OK"}],
        leave=[{"employee_id": "LEAVE", "start_date": date(2025, 1, 1), "end_date": date(2025, 2, 28),
                "kind": "sick"}],
    )
    s = _scores(criteria, inputs).sort("employee_id")
    assert s["status"].to_list() == ["not_rated", "not_rated", "rated"]
    assert s["rating"].to_list() == [None, None, "HTXS"]
    assert s["status_reason"][0].startswith("Công tác dưới 45 ngày")


def test_staff_outside_the_period_or_scope_are_excluded(criteria):
    inputs = make_inputs([
        {"employee_id": "GONE", "end_date": date(2024, 12, 31)},
        {"employee_id": "LATER", "start_date": date(2025, 4, 1)},
        {"employee_id": "IN"},
    ])
    assert _scores(criteria, inputs)["employee_id"].to_list() == ["IN"]


MINI = """
id: mini
version: "1"
title: Mini
organisation: Test
legal_basis: [{code: X, title: Y}]
effective_from: 2025-01-01
period_kind: quarter
assessment_columns: [task_quality]
measures:
  - {id: points_ytd, label: L, table: violations, where: "status = 'effective'", agg: sum,
     of: licence_points, window: year_to_date}
  - {id: n, label: L, table: violations}
groups:
  - id: g
    label: G
    max: 100
    items:
      - id: a
        label: A
        max: 60
        formula: "LEAST(task_quality * 2, 60)"
      - id: b
        label: B
        max: 40
        start: 40
        deductions:
          - {id: capped, label: C, points: 10, per: n, limit: 15}
          - {id: ytd, label: Y, points: 1, when: "points_ytd >= 6"}
ratings:
  - {code: GOOD, label: Tốt, label_en: Good, min: 50}
  - {code: BAD, label: Kém, label_en: Bad, min: 0}
"""


def test_formula_limit_and_year_to_date_window():
    c = load_criteria(MINI, source="mini.yaml")
    period = parse_period("2025-Q2")
    inputs = make_inputs(
        [{"employee_id": "A"}, {"employee_id": "B"}],
        period="2025-Q2",
        assessments={"A": {"task_quality": 20}, "B": {"task_quality": 40}},
        violations=[violation("V1", "A", points=4, day=date(2025, 2, 1)),  # Q1: ytd only
                    violation("V2", "A", points=2, day=date(2025, 5, 1)),
                    violation("V3", "A", points=0, day=date(2025, 5, 2)),
                    violation("V4", "A", status="annulled", day=date(2025, 5, 3))],
    )
    s = score(c, inputs, period).scores.sort("employee_id")
    # A: formula 40; b = 40 - min(10×3, 15) - 1 (ytd points 6) = 24
    assert s["item_a"].to_list() == [40.0, 60.0]
    assert s["item_b"].to_list() == [24.0, 40.0]
    assert s["rating"].to_list() == ["GOOD", "GOOD"]


def test_explanations_add_up_to_totals_and_cite_records(criteria):
    inputs = make_inputs(
        [{"employee_id": "A"}, {"employee_id": "B"}],
        violations=[violation("V1", "A", "alcohol", points=4, alcohol_level=1),
                    violation("V2", "B", "red_light", points=4)],
    )
    r = score(criteria, inputs, Q1)
    sums = (r.explanations.filter(pl.col("kind").is_in(["base", "deduction", "bonus", "clip"]))
            .group_by("employee_id").agg(pl.col("points").sum()).sort("employee_id"))
    assert sums["points"].round(2).to_list() == r.scores.sort("employee_id")["total"].to_list()
    alcohol = r.explanations.filter((pl.col("employee_id") == "A") & (pl.col("rule") == "alcohol"))
    assert alcohol["record_ids"].to_list() == ["V1"] and alcohol["points"].to_list() == [-4.0]
    cap = r.explanations.filter(pl.col("kind") == "override")
    assert cap["employee_id"].to_list() == ["A"] and cap.select("before", "after").rows() == [("HTXS", "HT")]
    worded = with_details(cap, criteria)
    assert worded["detail"].to_list() == ["HTXS → HT"] and worded["detail_en"].to_list() == ["HTXS → HT"]
    assert cap["record_ids"].to_list() == ["V1"]


def test_engine_does_not_import_report_libraries():
    import subprocess
    import sys

    code = ("import sys, scoring.engine.score, scoring.engine.explanations, scoring.engine.unit_summary,"
            " scoring.run;"
            "print(any(m.split('.')[0] in ('jinja2', 'weasyprint') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_part_of_the_context_is_placed_at_its_employees_rows():
    from scoring.engine.employee_context import _aligned

    ids = pl.Series("employee_id", ["A1", "A2", "B1", "C9"])  # the roster, sorted
    part = pl.DataFrame({"employee_id": ["C9", "ZZ", "A1", "A0"],  # any order; ZZ, A0 not on it
                         "n": [3, 7, 1, 5], "ok": [True, False, None, True]})
    out = _aligned(ids, part)
    assert out.columns == ["n", "ok"]
    assert out["n"].to_list() == [1, None, None, 3]
    assert out["ok"].to_list() == [None, None, None, True]
    assert _aligned(ids.clear(), part).height == 0


def test_each_expression_is_compiled_once_per_criteria(criteria, monkeypatch):
    """A second score() with the same criteria compiles nothing; the first compiles each once."""
    import scoring.engine.employee_context as employee_context
    import scoring.engine.leaders as leaders
    import scoring.engine.plan as plan
    from scoring.rules import expressions

    fresh = criteria.model_copy()  # a new object: nothing compiled for it yet
    employee_context._record_filter.cache_clear()
    seen: list[str] = []

    def counting(text, *args, **kwargs):
        seen.append(text)
        return expressions.compile_expression(text, *args, **kwargs)

    for module in (employee_context, leaders, plan):
        monkeypatch.setattr(module, "compile_expression", counting)
    inputs = make_inputs([{"employee_id": "A"}, {"employee_id": "B", "position": "head"}])
    score(fresh, inputs, Q1)
    written = Counter(_expression_texts(fresh))
    assert seen and all(Counter(seen)[text] <= n for text, n in written.items())
    assert set(seen) == set(written)
    seen.clear()
    score(fresh, inputs, Q1)
    assert seen == []


def _expression_texts(criteria) -> list[str]:
    """Every expression written in the file, once per place it is written."""
    texts = [r.when for i in criteria.items for r in (*i.deductions, *i.bonuses) if r.when]
    texts += [r.per for i in criteria.items for r in (*i.deductions, *i.bonuses) if r.per]
    texts += [i.formula for i in criteria.items if i.formula]
    texts += [o.when for o in criteria.overrides]
    texts += [m.where for m in criteria.measures if m.where]
    texts += [u.where for u in criteria.leaders.measures]
    return texts

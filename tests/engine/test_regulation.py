"""The rules of the regulation: quotas, leaders' accountability, discipline, leave.

Each hand-worked case here is also written out in docs/criteria.md.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.engine.quotas import allowed_count
from scoring.engine.score import score
from scoring.periods import parse_period
from scoring.rules.loader import load_criteria
from tests.helpers import FULL_MARKS, make_inputs, violation

Q1 = parse_period("2025-Q1")

HEAD = """
id: rules
version: "1"
title: Rules
organisation: Test
legal_basis: [{code: X, title: Y}]
effective_from: 2025-01-01
period_kind: quarter
assessment_columns: [task_quantity]
measures:
  - {id: violations, label: V, table: violations, where: "status = 'effective'"}
  - {id: disciplined, label: D, table: discipline, where: "severity >= 1 AND duty_related"}
  - {id: maternity_days, label: M, table: leave, where: "kind = 'maternity'", agg: days}
groups:
  - id: g
    label: G
    max: 100
    items:
      - id: score
        label: S
        max: 100
        formula: task_quantity * 4
ratings:
  - {code: HTXS, label: Xuất sắc, label_en: Excellent, min: 90}
  - {code: HTT, label: Tốt, label_en: Good, min: 70}
  - {code: HT, label: Hoàn thành, label_en: Completed, min: 50}
  - {code: KHT, label: Không hoàn thành, label_en: Not completed, min: 0}
"""


def rules(extra: str):
    return load_criteria(HEAD + extra, source="rules.yaml")


def people_with_totals(totals: dict[str, float], **fields) -> dict:
    """Totals are task_quantity × 4 in the HEAD sheet."""
    return {
        "people": [{"employee_id": e} | fields.get(e, {}) for e in totals],
        "assessments": {e: {"task_quantity": t / 4} for e, t in totals.items()},
    }


# -- quotas -------------------------------------------------------------------------------------

QUOTA = """
quotas:
  - id: q20
    label: HTXS ≤ 20% HTT
    rating: HTXS
    relative_to: HTT
    max_percent: 20
    scopes: [{scopes}]
    tie_break: [{{by: days_worked, direction: asc}}]
"""


def test_allowed_count_is_the_largest_that_holds_after_the_move():
    # 5 HTXS, 18 HTT: keep floor(20 × 23 / 120) = 3; then 3 ≤ 20% × 20 = 4, while 4 > 20% × 19
    assert allowed_count(5, 18, 20) == 3
    for h in range(0, 12):
        for t in range(0, 40):
            a = allowed_count(h, t, 20)
            assert a <= h or a <= 0.2 * (t + h - a)
            kept = min(a, h)
            assert kept * 100 <= 20 * (t + h - kept)
            if kept < h:  # one more would break the rule
                assert (kept + 1) * 100 > 20 * (t + h - kept - 1)


def test_quota_worked_example():
    """Docs example: 3 HTXS (98, 95, 92) and 8 HTT in one agency.

    allowed = floor(20 × (8 + 3) / 120) = floor(1.83) = 1, so 2 move down: the lowest totals
    first, 92 then 95. Afterwards 1 HTXS and 10 HTT: 1 ≤ 20% × 10 = 2.
    """
    c = rules(QUOTA.format(scopes="agency"))
    totals = {"A": 98, "B": 95, "C": 92} | {f"T{i}": 80 for i in range(8)}
    s = score(c, make_inputs(**people_with_totals(totals)), Q1).scores
    rating = dict(zip(s["employee_id"], s["rating"], strict=True))
    assert [rating["A"], rating["B"], rating["C"]] == ["HTXS", "HTT", "HTT"]
    assert (s["rating"] == "HTT").sum() == 10
    moved = s.filter(pl.col("quota") == "q20")["employee_id"].sort().to_list()
    assert moved == ["B", "C"]
    expl = score(c, make_inputs(**people_with_totals(totals)), Q1).explanations
    row = expl.filter((pl.col("employee_id") == "C") & (pl.col("kind") == "quota")).row(0, named=True)
    assert row["text"].startswith("toàn cơ quan: 3 HTXS, 8 HTT, tối đa 1 HTXS; HTXS → HTT")
    assert row["text_en"].startswith("agency: 3 HTXS, 8 HTT, at most 1 HTXS; HTXS → HTT")


def test_quota_tie_break_then_employee_id():
    c = rules(QUOTA.format(scopes="agency"))
    totals = {"A": 95, "B": 95, "C": 95} | {f"T{i}": 80 for i in range(4)}
    # allowed = floor(20 × 7 / 120) = 1, so two of three equal totals move: the tie-break
    # (days_worked asc: fewest days first) picks B, then the employee id picks A
    fields = {"B": {"start_date": date(2025, 1, 20)}}
    s = score(c, make_inputs(**people_with_totals(totals, **fields)), Q1).scores
    rating = dict(zip(s["employee_id"], s["rating"], strict=True))
    assert (rating["A"], rating["B"], rating["C"]) == ("HTT", "HTT", "HTXS")


def test_quota_holds_in_every_scope_and_units_are_separate():
    c = rules(QUOTA.format(scopes="unit, agency"))
    totals = {"U1A": 95, "U1B": 80, "U1C": 80, "U1D": 80, "U1E": 80, "U1F": 80,
              "U2A": 95, "U2B": 80}
    fields = {e: {"unit_id": e[:2]} for e in totals}
    inputs = make_inputs(**people_with_totals(totals, **fields),
                         units=[{"unit_id": "U1", "name": "Một"}, {"unit_id": "U2", "name": "Hai"}])
    s = score(c, inputs, Q1).scores
    rating = dict(zip(s["employee_id"], s["rating"], strict=True))
    # U1: 1 HTXS, 5 HTT → allowed floor(20×6/120) = 1: stays. U2: 1 HTXS, 1 HTT → 0: moves.
    # agency afterwards: 1 HTXS, 7 HTT → allowed floor(20×8/120) = 1: holds.
    assert rating["U1A"] == "HTXS" and rating["U2A"] == "HTT"


def test_several_quotas_are_rechecked_until_all_hold():
    two = QUOTA.format(scopes="agency") + """  - id: q50
    label: HTT ≤ 50% HT
    rating: HTT
    relative_to: HT
    max_percent: 50
    scopes: [agency]
"""
    c = rules(two)
    totals = {"X": 95, "A": 80, "B": 80, "C": 80, "D": 80} | {f"H{i}": 60 for i in range(4)}
    s = score(c, make_inputs(**people_with_totals(totals)), Q1).scores
    h = (s["rating"] == "HTXS").sum()
    t = (s["rating"] == "HTT").sum()
    ht = (s["rating"] == "HT").sum()
    assert h * 100 <= 20 * t and t * 100 <= 50 * ht, (h, t, ht)


RATINGS = ["HTXS", "HTT", "HT", "KHT"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(
        st.tuples(st.sampled_from(["U1", "U2", "U3"]), st.sampled_from(["a", "b"]),
                  st.sampled_from([95, 92, 90, 85, 75, 70, 60, 40])),
        min_size=1, max_size=30,
    )
)
def test_quota_properties(people):
    c = rules(QUOTA.format(scopes="unit, duty_group, agency"))
    totals = {f"E{i:02d}": t for i, (_, _, t) in enumerate(people)}
    fields = {f"E{i:02d}": {"unit_id": u, "duty_group": g} for i, (u, g, _) in enumerate(people)}
    inputs = make_inputs(**people_with_totals(totals, **fields),
                         units=[{"unit_id": u, "name": u} for u in ("U1", "U2", "U3")])
    after = score(c, inputs, Q1).scores
    before = score(c.model_copy(update={"quotas": ()}), inputs, Q1).scores
    joined = before.join(after, on="employee_id", suffix="_after")
    for scope in ("unit_id", "duty_group", None):
        groups = after.group_by(scope) if scope else [((None,), after)]
        for _, g in groups:
            h, t = (g["rating"] == "HTXS").sum(), (g["rating"] == "HTT").sum()
            assert h * 100 <= 20 * t, (scope, h, t)
    for row in joined.iter_rows(named=True):
        assert RATINGS.index(row["rating_after"]) >= RATINGS.index(row["rating"])  # no promotion
        if row["rating_after"] != row["rating"]:
            assert (row["rating"], row["rating_after"]) == ("HTXS", "HTT")
            over = False
            for scope in ("unit_id", "duty_group", None):
                g = before.filter(pl.col(scope) == row[scope]) if scope else before
                h, t = (g["rating"] == "HTXS").sum(), (g["rating"] == "HTT").sum()
                over |= h * 100 > 20 * t
            assert over, "moved although none of their groups was over quota"


# -- leaders ------------------------------------------------------------------------------------

LEADERS = """
overrides:
  - {id: discipline, label: K, when: "disciplined > 0", action: force, rating: KHT}
  - {id: chain, label: C, when: "is_leader AND unit_kht > 0", action: force, rating: KHT}
leaders:
  measures:
    - {id: unit_share, label: S, where: "violations > 0", agg: share}
    - {id: unit_kht, label: K, where: "rating = 'KHT'", agg: count}
"""

TREE = [{"unit_id": "A", "name": "Phòng A"}, {"unit_id": "B", "name": "Tổ B", "parent_id": "A"}]
STAFF = {
    "H": {"unit_id": "A", "position": "head"},
    "D": {"unit_id": "A", "position": "deputy_head"},
    "S1": {"unit_id": "A"}, "S2": {"unit_id": "A"},
    "HB": {"unit_id": "B", "position": "head"},
    "S3": {"unit_id": "B"},
}


def test_unit_measures_count_subordinates_only():
    """Docs example. H's subordinates: D, S1, S2 (lower position in A) and HB, S3 (sub-unit B).
    D's: S1, S2, HB, S3. HB's: S3. With S1 and S3 fined: 2/5 = 0.4, 2/4 = 0.5, 1/1 = 1."""
    c = rules(LEADERS)
    inputs = make_inputs(**people_with_totals(dict.fromkeys(STAFF, 80), **STAFF), units=TREE,
                         violations=[violation("V1", "S1"), violation("V2", "S3")])
    from scoring.engine.score import evaluate

    _, ctx = evaluate(c, inputs, Q1)
    share = dict(ctx.select("employee_id", "unit_share").collect().iter_rows())
    assert share == {"H": 0.4, "D": 0.5, "HB": 1.0, "S1": 0, "S2": 0, "S3": 0}


def test_rating_dependent_rules_settle_bottom_up():
    """S3 is disciplined (KHT) → HB leads a KHT → HB is KHT → D and H lead KHTs → both KHT.
    H then counts D, HB and S3 as KHT subordinates: 3."""
    c = rules(LEADERS)
    inputs = make_inputs(**people_with_totals(dict.fromkeys(STAFF, 80), **STAFF), units=TREE,
                         discipline=[{"record_id": "K1", "employee_id": "S3",
                                      "decision_date": date(2025, 2, 1), "form": "reprimand",
                                      "duty_related": True}])
    from scoring.engine.score import evaluate

    _, ctx = evaluate(c, inputs, Q1)
    got = {r["employee_id"]: (r["rating"], r["unit_kht"]) for r in ctx.collect().iter_rows(named=True)}
    assert got["S3"] == ("KHT", 0) and got["HB"] == ("KHT", 1)
    assert got["D"] == ("KHT", 2) and got["H"] == ("KHT", 3)
    assert got["S1"] == ("HTT", 0)


def test_sample_leaders_rules_fire(criteria):
    from scoring.inputs.readers import read_inputs
    from tests.helpers import SAMPLE_DATA

    result = score(criteria, read_inputs(SAMPLE_DATA), Q1)
    e = result.explanations
    fired = set(e.filter(pl.col("kind").is_in(["deduction", "override", "quota"]))["rule"].to_list())
    assert {"leader_unit_violations", "unit_results_half", "leader_unit_alcohol", "htxs_quota"} <= fired


# -- discipline and leave -----------------------------------------------------------------------


def test_discipline_severity_duty_related_and_period():
    c = rules("")
    totals = {"A": 80, "B": 80, "C": 80, "D": 80}
    records = [
        {"record_id": "K1", "employee_id": "A", "decision_date": date(2025, 2, 1), "form": "warning",
         "duty_related": True},
        {"record_id": "K2", "employee_id": "B", "decision_date": date(2025, 2, 1), "form": "warning",
         "duty_related": False},
        {"record_id": "K3", "employee_id": "C", "decision_date": date(2024, 11, 1), "form": "demotion",
         "duty_related": True},
    ]
    from scoring.engine.score import evaluate

    _, ctx = evaluate(c, make_inputs(**people_with_totals(totals), discipline=records), Q1)
    got = dict(ctx.select("employee_id", "disciplined").collect().iter_rows())
    assert got == {"A": 1, "B": 0, "C": 0, "D": 0}  # not duty related; decided in an earlier year


def test_leave_days_by_kind_and_days_worked():
    c = rules("")
    leave = [
        {"employee_id": "A", "start_date": date(2024, 12, 1), "end_date": date(2025, 1, 31),
         "kind": "maternity"},
        {"employee_id": "A", "start_date": date(2025, 3, 1), "end_date": date(2025, 3, 10), "kind": "sick"},
        {"employee_id": "B", "start_date": date(2025, 3, 20), "end_date": date(2025, 6, 30),
         "kind": "maternity"},
    ]
    from scoring.engine.score import evaluate

    _, ctx = evaluate(c, make_inputs(**people_with_totals({"A": 80, "B": 80}), leave=leave), Q1)
    got = {r["employee_id"]: (r["maternity_days"], r["days_on_leave"], r["days_worked"])
           for r in ctx.collect().iter_rows(named=True)}
    assert got == {"A": (31, 41, 49), "B": (12, 12, 78)}


@pytest.mark.parametrize("marks", [FULL_MARKS])
def test_blank_assessment_score_is_not_rated_with_a_reason(criteria, marks):
    blank = dict(marks) | {"task_quality": None}
    s = score(criteria, make_inputs([{"employee_id": "A"}], assessments={"A": blank}), Q1).scores
    row = s.row(0, named=True)
    assert row["status"] == "not_rated" and row["total"] is None and row["band"] is None
    assert "blank" in row["status_reason"]

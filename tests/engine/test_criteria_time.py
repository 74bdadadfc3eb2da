"""Time in the criteria language: the date that places a record in a period, the windows of
measures, and the quota's order. Every expected value is worked out by hand from the rules in
docs/criteria.md (sections 3 and 12), not copied from the output.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.engine.employee_context import window_bounds
from scoring.engine.quotas import allowed_count
from scoring.engine.score import evaluate, score
from scoring.errors import CriteriaError
from scoring.outputs.wording import with_details
from scoring.periods import parse_period
from scoring.rules.loader import load_criteria
from tests.engine.test_regulation import HEAD, QUOTA, people_with_totals
from tests.helpers import make_inputs, violation

Q1, Q4_2024 = parse_period("2025-Q1"), parse_period("2024-Q4")

DATED = """
  - {id: decided, label: D, table: violations, where: "status = 'effective'", dated_by: decision_date}
  - {id: noticed, label: N, table: violations, where: "status = 'effective'", dated_by: notice_date}
  - {id: in_12_months, label: T, table: violations, where: "status = 'effective'",
     window: trailing_12_months}
  - {id: this_year, label: Y, table: violations, where: "status = 'effective'", window: year_to_date}
"""


def sheet(extra_measures: str = "", top: str = "") -> object:
    text = HEAD.replace("measures:\n", "measures:\n" + extra_measures.lstrip("\n"), 1)
    return load_criteria(top + text, source="rules.yaml")


def measures_of(criteria, inputs, period) -> dict[str, int]:
    _, ctx = evaluate(criteria, inputs, period)
    row = ctx.collect().row(0, named=True)
    return {m.id: row[m.id] for m in criteria.measures if m.table == "violations"}


# -- 1. the date that places a record ---------------------------------------------------------


def test_a_december_violation_decided_in_february_counts_in_the_decision_quarter():
    """Violated 2024-12-20, decided 2025-02-05, police notice 2025-01-10.

    By violation date it is a 2024-Q4 violation; by decision date a 2025-Q1 one; by notice date
    a 2025-Q1 one too. Each measure places it by its own date, in both quarters.
    """
    c = sheet(DATED)
    late = violation("VP-1", "A", day=date(2024, 12, 20), decision_date=date(2025, 2, 5),
                     notice_date=date(2025, 1, 10))
    q1 = measures_of(c, make_inputs([{"employee_id": "A"}], violations=[late]), Q1)
    q4 = measures_of(c, make_inputs([{"employee_id": "A"}], period="2024-Q4", violations=[late]),
                     Q4_2024)
    assert (q4["violations"], q4["decided"], q4["noticed"]) == (1, 0, 0)
    assert (q1["violations"], q1["decided"], q1["noticed"]) == (0, 1, 1)


def test_a_table_default_places_every_measure_of_the_table_unless_a_measure_says_otherwise():
    c = sheet("""
  - {id: by_violation, label: B, table: violations, dated_by: violation_date}
""", top="dated_by: {violations: decision_date}\n")
    late = violation("VP-1", "A", day=date(2024, 12, 20), decision_date=date(2025, 2, 5))
    q1 = measures_of(c, make_inputs([{"employee_id": "A"}], violations=[late]), Q1)
    assert q1 == {"violations": 1, "by_violation": 0}


def test_the_decision_quarter_deducts_and_explains_with_the_bounds():
    """Three points per decided violation: 100 − 3 = 97 in 2025-Q1, none in 2024-Q4."""
    c = load_criteria(HEAD.replace("""        formula: task_quantity * 4
""", """        formula: task_quantity * 4
        deductions:
          - {id: per_decided, label: P, points: 3, per: decided}
""").replace("measures:\n", "measures:\n" + DATED.lstrip("\n"), 1), source="rules.yaml")
    late = violation("VP-1", "A", day=date(2024, 12, 20), decision_date=date(2025, 2, 5))
    r = score(c, make_inputs([{"employee_id": "A"}], violations=[late]), Q1)
    assert r.scores["total"][0] == 97
    row = with_details(r.explanations, c).filter(pl.col("rule") == "per_decided").row(0, named=True)
    assert row["record_ids"] == "VP-1"
    assert (row["count"], row["unit_points"]) == (1, 3)
    assert row["window"] == "decided=2025-01-01..2025-03-31@decision_date"
    assert row["detail"] == "1 × 3 [D: 01/01/2025 – 31/03/2025 (theo cột decision_date)]"
    assert row["detail_en"] == "1 × 3 [D: 2025-01-01 – 2025-03-31 (by decision_date)]"
    r4 = score(c, make_inputs([{"employee_id": "A"}], period="2024-Q4", violations=[late]), Q4_2024)
    assert r4.scores["total"][0] == 100


def test_dated_by_must_name_a_date_column_of_the_table():
    with pytest.raises(CriteriaError) as exc:
        sheet("""
  - {id: bad, label: B, table: violations, dated_by: decision_no}
  - {id: leave_days, label: L, table: leave, agg: days, dated_by: start_date}
""", top="dated_by: {training: topic}\n")
    text = str(exc.value)
    assert "measures[0].dated_by: không phải cột ngày của bảng violations" in text
    assert "allowed: violation_date, decision_date, notice_date" in text
    assert "measures[1].dated_by: nghỉ được xếp vào kỳ theo khoảng" in text
    assert "dated_by.training: không phải cột ngày của bảng training" in text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=-400, max_value=400), min_size=0, max_size=6),
       st.sampled_from(["2025-Q1", "2025-02", "2025", "2024-Q4"]))
def test_placing_by_decision_date_equals_placing_by_violation_date_when_they_coincide(days, label):
    """Property: with decision_date = violation_date on every record, the two placings agree
    for every window."""
    base = date(2025, 1, 15)
    records = [violation(f"VP-{i}", "A", day=base + timedelta(days=d),
                         decision_date=base + timedelta(days=d)) for i, d in enumerate(days)]
    kind = parse_period(label).kind
    text = """
  - {id: p_v, label: a, table: violations}
  - {id: p_d, label: b, table: violations, dated_by: decision_date}
  - {id: t_v, label: c, table: violations, window: trailing_12_months}
  - {id: t_d, label: d, table: violations, window: trailing_12_months, dated_by: decision_date}
  - {id: y_v, label: e, table: violations, window: year_to_date}
  - {id: y_d, label: f, table: violations, window: year_to_date, dated_by: decision_date}
"""
    c = load_criteria(HEAD.replace("period_kind: quarter", f"period_kind: {kind}")
                      .replace("measures:\n", "measures:\n" + text.lstrip("\n"), 1), source="r.yaml")
    got = measures_of(c, make_inputs([{"employee_id": "A"}], period=label, violations=records),
                      parse_period(label))
    assert (got["p_v"], got["t_v"], got["y_v"]) == (got["p_d"], got["t_d"], got["y_d"])


def test_a_blank_placing_date_is_an_input_error(tmp_path):
    from scoring.inputs.readers import read_inputs
    from scoring.rules.needs import criteria_needs

    c = sheet(DATED)
    (tmp_path / "units.csv").write_text("unit_id,name\nU1,Một\n")
    (tmp_path / "staff.csv").write_text("employee_id,full_name,unit_id,position,employment_type,"
                                        "start_date\nA,An,U1,staff,civil_servant,2010-01-01\n")
    (tmp_path / "assessments.csv").write_text("employee_id,period,task_quantity\nA,2025-Q1,25\n")
    (tmp_path / "violations.csv").write_text(
        "record_id,employee_id,violation_date,category,status,decision_date,notice_date\n"
        "VP-1,A,2025-01-05,speeding,effective,2025-01-20,2025-01-08\n"
        "VP-2,A,2025-02-05,speeding,effective,,2025-02-08\n")
    from scoring.errors import InputDataError

    with pytest.raises(InputDataError) as exc:
        read_inputs(tmp_path, needs=criteria_needs(c))
    text = str(exc.value)
    assert "violations.csv:3: decision_date: ngày trống" in text and "measure decided" in text


# -- 3. windows ---------------------------------------------------------------------------------


def test_window_bounds_by_hand():
    # 12 calendar months ending with the period's last month, reaching back into last year
    assert window_bounds("trailing_12_months", Q1) == (date(2024, 4, 1), date(2025, 3, 31))
    assert window_bounds("trailing_12_months", parse_period("2025-02")) == (date(2024, 3, 1),
                                                                           date(2025, 2, 28))
    assert window_bounds("trailing_12_months", parse_period("2024")) == (date(2024, 1, 1),
                                                                        date(2024, 12, 31))
    assert window_bounds("year_to_date", parse_period("2025-05")) == (date(2025, 1, 1),
                                                                     date(2025, 5, 31))
    assert window_bounds("period", Q1) == (Q1.start, Q1.end)


def test_a_window_across_the_year_boundary():
    """2025-Q1. Violations on 2024-03-31 (13th month back: outside), 2024-04-01 (first day of
    the 12 months), 2024-12-31 (last year: in the 12 months, not in the year to date),
    2025-02-10 (in all three) and 2025-04-01 (after the period: in none).

    period: 1; year_to_date: 1; trailing_12_months: 3.
    """
    c = sheet(DATED)
    days = [date(2024, 3, 31), date(2024, 4, 1), date(2024, 12, 31), date(2025, 2, 10),
            date(2025, 4, 1)]
    recs = [violation(f"VP-{i}", "A", day=d) for i, d in enumerate(days)]
    got = measures_of(c, make_inputs([{"employee_id": "A"}], violations=recs), Q1)
    assert (got["violations"], got["this_year"], got["in_12_months"]) == (1, 1, 3)


# -- 7. the quota's order and rounding -----------------------------------------------------------


def test_the_quota_line_says_the_order_that_chose_the_person_with_its_numbers():
    """3 HTXS with 95 each, 4 HTT: allowed = floor(20 × 7 / 120) = 1, two move. All totals tie;
    the tie-break days_worked ascending puts B (employed from 2025-01-20: 71 days) first, then
    A and C with 90 days by id: A second. B and A move; C keeps HTXS."""
    c = load_criteria(HEAD + QUOTA.format(scopes="agency"), source="rules.yaml")
    totals = {"A": 95, "B": 95, "C": 95} | {f"T{i}": 80 for i in range(4)}
    fields = {"B": {"start_date": date(2025, 1, 20)}}
    expl = score(c, make_inputs(**people_with_totals(totals, **fields)), Q1).explanations
    quota = expl.filter(pl.col("kind") == "quota").sort("employee_id")
    assert quota["employee_id"].to_list() == ["A", "B"]
    a, b = quota["text"].to_list()
    head = ("toàn cơ quan: 3 HTXS, 4 HTT, tối đa 1 HTXS; HTXS → HTT; hạ 2 người theo thứ tự "
            "tổng điểm thấp nhất trước, rồi Số ngày làm việc thực tế trong kỳ tăng dần, rồi mã "
            "cán bộ; ")
    days = "Số ngày làm việc thực tế trong kỳ"  # the built-in measure by its label, not its id
    assert b == head + f"người này thứ 1: tổng điểm = 95, {days} = 71, mã cán bộ = B"
    assert a == head + f"người này thứ 2: tổng điểm = 95, {days} = 90, mã cán bộ = A"
    assert quota["text_en"][0].endswith(
        "this person is number 2: total = 95, Days worked in the period = 90, employee id = A")
    assert quota.select("before", "after").rows() == [("HTXS", "HTT")] * 2


def test_rounding_half_up_keeps_one_more_where_the_share_is_at_least_a_half():
    # 1 HTXS, 3 HTT: floor(20 × 4 / 120) = floor(0.67) = 0; half up: floor((2×20×4 + 100)/240)
    # = floor(1.08) = 1 (1 ≤ 20% × 3 + 0.5 = 1.1)
    assert allowed_count(1, 3, 20) == 0
    assert allowed_count(1, 3, 20, rounding="half_up") == 1
    # not moving into relative_to: 20% of 2 = 0.4 → 0 either way; of 3 = 0.6 → 0 or 1
    assert allowed_count(1, 2, 20, False, "half_up") == 0
    assert allowed_count(1, 3, 20, False, "half_up") == 1
    floor_c = load_criteria(HEAD + QUOTA.format(scopes="agency"), source="rules.yaml")
    half_c = load_criteria(HEAD + QUOTA.format(scopes="agency") + "    rounding: half_up\n",
                           source="rules.yaml")
    totals = {"A": 95, "T1": 80, "T2": 80, "T3": 80}
    for c, kept in ((floor_c, "HTT"), (half_c, "HTXS")):
        s = score(c, make_inputs(**people_with_totals(totals)), Q1).scores
        assert s.filter(pl.col("employee_id") == "A")["rating"][0] == kept


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 40), st.integers(0, 60), st.sampled_from([10, 15, 20, 25, 33.3, 50]))
def test_half_up_allowed_is_the_largest_that_holds_after_the_move(h, t, p):
    """The closed form equals the search over h': h' ≤ round_half_up(p% × (t + h − h'))."""
    from decimal import ROUND_HALF_UP, Decimal

    def half_up(x: Decimal) -> int:
        return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    share = Decimal(str(p)) / 100
    best = max((k for k in range(h + t + 1) if k <= half_up(share * (t + h - k))), default=0)
    assert allowed_count(h, t, p, True, "half_up") == best


# -- 4. the unit summary follows the criteria's measures ------------------------------------------


def test_the_unit_summary_counts_what_the_criteria_count():
    """Summary by the decided measure: the December violation decided in February is one 2025-Q1
    violation of the unit (category speeding) and its person one violator; in 2024-Q4 none.
    The default summary (first count of violations over the period: `violations`, by
    violation date) counts it in 2024-Q4 instead."""
    late = violation("VP-1", "A", day=date(2024, 12, 20), decision_date=date(2025, 2, 5))
    people = [{"employee_id": "A"}, {"employee_id": "B"}]
    decided = sheet(DATED, top="summary: {violations_measure: decided}\n")
    first = "  - {id: violations, label: V, table: violations, where: \"status = 'effective'\"}\n"
    assert first in HEAD
    default = load_criteria(HEAD.replace(first, first + DATED.lstrip("\n")), source="r.yaml")
    assert default.summary_measures()[0].id == "violations"
    for c, q1, q4 in ((decided, 1, 0), (default, 0, 1)):
        for label, expected in (("2025-Q1", q1), ("2024-Q4", q4)):
            u = score(c, make_inputs(people, period=label, violations=[late]),
                      parse_period(label)).units.row(0, named=True)
            assert (u["violations"], u["violations_speeding"], u["violators"]) == (expected,) * 3


def test_without_a_summary_the_unit_counts_every_effective_violation_not_another_count():
    """The only count of violations is an alcohol one (as in a yearly file). Without `summary:`
    the unit's violations and violators are still every effective violation of the period
    (what the figures are called): A speeding and B alcohol, effective, are 2 violations of 2
    people; C's annulled one and D's and E's of December are not counted. Placed by the
    table's default date of decision instead: D's and E's December violations decided in
    January count and A's March violation decided in April does not (3 violations, 2 of them
    speeding, 3 people)."""
    first = "  - {id: violations, label: V, table: violations, where: \"status = 'effective'\"}\n"
    alcohol = ("  - {id: alcohol, label: A, table: violations, "
               "where: \"status = 'effective' AND category = 'alcohol'\"}\n")
    text = HEAD.replace(first, alcohol)
    people = [{"employee_id": e} for e in "ABCDE"]
    records = [
        violation("VP-1", "A", day=date(2025, 3, 20), decision_date=date(2025, 4, 2)),
        violation("VP-2", "B", day=date(2025, 2, 1), category="alcohol",
                  decision_date=date(2025, 2, 10)),
        violation("VP-3", "C", day=date(2025, 2, 1), status="annulled",
                  decision_date=date(2025, 2, 10)),
        violation("VP-4", "D", day=date(2024, 12, 28), decision_date=date(2025, 1, 8)),
        violation("VP-5", "E", day=date(2024, 12, 30), decision_date=date(2025, 1, 15)),
    ]
    for top, counted, speeding in (("", 2, 1), ("dated_by: {violations: decision_date}\n", 3, 2)):
        c = load_criteria(top + text, source="r.yaml")
        u = score(c, make_inputs(people, violations=records), Q1).units.row(0, named=True)
        assert (u["violations"], u["violators"]) == (counted, counted)
        assert (u["violations_speeding"], u["violations_alcohol"]) == (speeding, 1)
    from scoring.reports.criteria_view import criteria_view

    rules = criteria_view(load_criteria(text, source="r.yaml"), "en").figure_rules
    assert rules[1] == ("People with a violation: every effective violation (status = "
                        "'effective'), within the period, by violation date (the default: the "
                        "criteria name no summary.violations_measure)")
    vi = criteria_view(load_criteria(text, source="r.yaml"), "vi").figure_rules
    assert "theo ngày vi phạm" in vi[1] and "violation_date" not in vi[1]  # the column in words


def test_the_summary_measures_are_checked():
    with pytest.raises(CriteriaError) as exc:
        sheet(top="summary: {violations_measure: disciplined, violators_measure: nobody}\n")
    text = str(exc.value)
    assert "summary.violations_measure: phải là chỉ số đếm (agg: count) trên bảng violations" in text
    assert "summary.violators_measure: không có chỉ số này / unknown measure" in text


def test_the_report_says_which_rule_each_figure_follows():
    from scoring.reports.criteria_view import criteria_view

    c = sheet(DATED, top="summary: {violations_measure: decided, violators_measure: noticed}\n")
    assert criteria_view(c, "en").figure_rules == (
        "Traffic violations (effective): measure “D”, within the period, by decision date",
        "People with a violation: measure “N”, within the period, by notice date",
        "People who attended traffic-safety training: no measure of the criteria gives this "
        "figure (0)",
    )

"""Roll-ups of months: a year of months, a quarter of months; what validate refuses.

Expected values are worked out by hand from docs/criteria.md, section 17.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from scoring.audit.examples import frame_from_records
from scoring.engine.score import score
from scoring.errors import CriteriaError
from scoring.inputs.contract import empty_frame
from scoring.inputs.frames import InputFrames
from scoring.periods import parse_period
from scoring.rules.loader import load_criteria, load_criteria_file
from scoring.rules.select import part_criteria, rollup_issues
from scoring.run import part_results

COMMON = """
version: "1"
organisation: Trung tâm
legal_basis: [{code: 335/2025/NĐ-CP, title: Nghị định}]
ratings:
  - {code: HTXS, label: Xuất sắc, label_en: Excellent, min: 90}
  - {code: HTT, label: Tốt, label_en: Good, min: 70}
  - {code: HT, label: Hoàn thành, label_en: Completed, min: 50}
  - {code: KHT, label: Không hoàn thành, label_en: Not completed, min: 0}
"""
MONTHLY = """id: monthly
title: Tháng
effective_from: 2025-01-01
effective_until: 2025-12-31
period_kind: month
groups:
  - id: g
    label: G
    max: 100
    items: [{id: work, label: Công việc, max: 100, assessment: work}]
""" + COMMON


def rolled(kind: str, of: str, minimum: int, mean: str) -> str:
    return f"""id: {kind}_of_{of}s
title: Tổng hợp
effective_from: 2025-01-01
effective_until: 2025-12-31
period_kind: {kind}
rollup: {{criteria: thang.yaml, of: {of}, min_periods: {minimum}}}
groups:
  - id: g
    label: G
    max: 100
    items: [{{id: mean, label: Trung bình, max: 100, formula: {mean}}}]
""" + COMMON


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "thang.yaml").write_text(MONTHLY, encoding="utf-8")
    (tmp_path / "nam.yaml").write_text(rolled("year", "month", 10, "month_mean_total"),
                                       encoding="utf-8")
    (tmp_path / "quy.yaml").write_text(rolled("quarter", "month", 2, "month_mean_total"),
                                       encoding="utf-8")
    return tmp_path


def inputs(marks: dict[str, dict[str, float]]) -> InputFrames:
    """marks: employee → {month label → work score}; a month left out has no assessment."""
    rows = [(e, m, v) for e, months in marks.items() for m, v in months.items()]
    return InputFrames(
        units=frame_from_records("units", [{"unit_id": "U1", "name": "Một"}]),
        staff=frame_from_records("staff", [
            {"employee_id": e, "full_name": e, "unit_id": "U1", "position": "staff",
             "employment_type": "public_employee", "start_date": date(2010, 1, 1)}
            for e in marks]),
        assessments=pl.DataFrame(rows, schema={"employee_id": pl.String, "period": pl.String,
                                               "work": pl.Float64}, orient="row"),
        violations=empty_frame("violations"), training=empty_frame("training"),
        discipline=empty_frame("discipline"), leave=empty_frame("leave"),
    )


def rolled_up(folder: Path, name: str, label: str, data: InputFrames):
    path = folder / name
    c = load_criteria_file(path)
    period = parse_period(label)
    extra = part_results(part_criteria(path, c, period), data, c.rollup)
    return score(c, data, period, extra=extra)


MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


def test_a_monthly_year_with_a_missing_month(folder):
    """A: 80 in every month but July, which has no assessment (not rated that month); 92 in
    December. Rated months 11; mean = (10 × 80 + 92) / 11 = 892 / 11 = 81.09 → HTT.
    B: assessed only January to September (9 months, below min_periods 10): not rated, the
    reason says months."""
    a = {m: 80.0 for m in MONTHS if m != "2025-07"} | {"2025-12": 92.0}
    b = {m: 95.0 for m in MONTHS[:9]}
    r = rolled_up(folder, "nam.yaml", "2025", inputs({"A": a, "B": b}))
    s = {row["employee_id"]: row for row in r.scores.iter_rows(named=True)}
    assert s["A"]["total"] == 81.09 and s["A"]["rating"] == "HTT"
    assert s["B"]["status"] == "not_rated"
    assert s["B"]["status_reason"] == ("Không đủ số tháng được xếp loại trong năm / too few rated "
                                       "months in the year")
    row = r.explanations.filter((pl.col("employee_id") == "A") & (pl.col("kind") == "rollup"))
    assert row["label"][0] == "Kết quả các tháng trong năm" and row["rule"][0] == "months"
    assert "2025-06: 80 (HTT); 2025-07: — (—); 2025-08: 80 (HTT)" in row["values"][0]


def test_a_quarter_rolls_up_its_months(folder):
    """2025-Q2 of months: April 70, May 90, June not assessed. Two rated months (the minimum):
    mean 80 → HTT. With only April: one month, below 2 → not rated."""
    r = rolled_up(folder, "quy.yaml", "2025-Q2", inputs({
        "A": {"2025-04": 70.0, "2025-05": 90.0, "2025-03": 10.0},
        "B": {"2025-04": 70.0}}))
    s = {row["employee_id"]: row for row in r.scores.iter_rows(named=True)}
    assert (s["A"]["total"], s["A"]["rating"]) == (80.0, "HTT")
    assert s["B"]["status"] == "not_rated"
    assert "trong quý" in s["B"]["status_reason"]


def test_roll_up_keys_are_checked_against_the_kinds():
    bad = rolled("month", "month", 1, "months_rated")
    with pytest.raises(CriteriaError, match="a month cannot roll up months"):
        load_criteria(bad)
    with pytest.raises(CriteriaError, match="a quarter has only 3 months"):
        load_criteria(rolled("quarter", "month", 4, "month_mean_total"))
    with pytest.raises(CriteriaError, match="min_quarters is for quarters only"):
        load_criteria(rolled("year", "month", 3, "month_mean_total").replace(
            "min_periods: 3", "min_quarters: 3"))
    with pytest.raises(CriteriaError, match="examples\\[0\\].quarters: tệp không tổng hợp từ các quý"):
        load_criteria(rolled("year", "month", 3, "month_mean_total") + """examples:
  - {name: x, quarters: {quarters_rated: 2}, expect: {status: not_rated}}
""")
    # a sheet of months sees the months' names, not the quarters'
    with pytest.raises(CriteriaError, match="quarter_mean_total"):
        load_criteria(rolled("year", "month", 3, "quarter_mean_total"))


def test_validate_refuses_what_a_run_would_refuse_without_data(folder):
    """The monthly file ends on 2025-06-30: a run of 2025 would stop at July; validate names
    each month from July to December, and a roll-up of roll-ups."""
    (folder / "thang.yaml").write_text(MONTHLY.replace("2025-12-31", "2025-06-30"), encoding="utf-8")
    c = load_criteria_file(folder / "nam.yaml")
    found = rollup_issues(folder / "nam.yaml", c)
    assert [i.message.rsplit(" ", 1)[-1] for i in found] == MONTHS[6:]
    with pytest.raises(CriteriaError):
        part_criteria(folder / "nam.yaml", c, parse_period("2025"))
    (folder / "thang.yaml").write_text(MONTHLY, encoding="utf-8")
    nested = folder / "sub"
    nested.mkdir()
    (nested / "thang.yaml").write_text(rolled("quarter", "month", 1, "month_mean_total")
                                       .replace("criteria: thang.yaml", "criteria: ../thang.yaml"),
                                       encoding="utf-8")
    (nested / "nam.yaml").write_text(rolled("year", "quarter", 1, "quarter_mean_total"),
                                     encoding="utf-8")
    found = rollup_issues(nested / "nam.yaml", load_criteria_file(nested / "nam.yaml"))
    assert found and "cannot roll up in turn" in found[0].message


def test_the_validate_command_stops_like_the_run(folder):
    from click.testing import CliRunner

    from scoring.cli import main

    (folder / "thang.yaml").write_text(MONTHLY.replace("2025-12-31", "2025-11-30"), encoding="utf-8")
    out = CliRunner().invoke(main, ["validate", str(folder / "nam.yaml")])
    assert out.exit_code == 2
    assert "do not cover 2025-12" in out.output and "✓" not in out.output

"""The second bundled example end to end: a public-service centre scored monthly
(`criteria/trung-tam/`, data `docs/examples/trung-tam/data/`, docs/criteria.md section 18).

Every expected number is worked out here from the data files and the rules as the criteria
state them (start 8; −4 per violation decided in the month; −4 more with 2 decisions in 12
months; −2 for a leader when over 10% of the subordinates have one; +2 from 4 hours of
traffic-safety talks since 1 January; timeliness 20 − 5 × late dossiers), never copied from
the tool's output.
"""

from __future__ import annotations

import csv
import filecmp
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from scoring.cli import main
from scoring.engine.score import score
from scoring.inputs.readers import read_inputs
from scoring.outputs.wording import with_details
from scoring.periods import parse_period
from scoring.rules.loader import load_criteria_file
from tests.helpers import ROOT

CRITERIA = ROOT / "criteria" / "trung-tam"
EXAMPLE = ROOT / "docs" / "examples" / "trung-tam"
DATA = EXAMPLE / "data"
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def rows(table: str) -> list[dict[str, str]]:
    with open(DATA / f"{table}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def traffic(months: dict[str, float]) -> dict[str, float]:
    """Traffic-safety points per month: 8 unless said otherwise."""
    return {m: months.get(m, 8.0) for m in MONTHS}


# The traffic-safety item by hand, from the records of docs/examples/trung-tam/generate.py:
TRAFFIC = {
    # no violation; absent from the talk of 14/03, so 2 hours only (20/06): never the bonus
    "TT12": traffic({}),
    # violated 22/12/2024, decided 09/01/2025: January 8 − 4; both talks: from June 8 + 2
    "TT11": traffic({"2025-01": 4} | {m: 10 for m in MONTHS[5:]}),
    # decided 15/07/2024 and 12/03/2025: March 8 − 4 − 4 (repeat); April–June still 2 in the 12
    # months (June's window starts 2024-07-01), so 8 − 4, June + 2 for the talks; from July the
    # window starts 2024-08-01: one decision left, no repeat
    "TT13": traffic({"2025-03": 0, "2025-04": 4, "2025-05": 4, "2025-06": 6}
                    | {m: 10 for m in MONTHS[6:]}),
    # deputy head of TNTKQ: 1 of her 6 subordinates decided in January (TT11) and in March
    # (TT13), 17% > 10% → 8 − 2; on maternity leave from 02/06, so 2 hours of talks only
    "TT09": traffic({"2025-01": 6, "2025-03": 6}),
    # alcohol violation decided 06/05: May 8 − 4 (and at most HT); both talks
    "TT05": traffic({"2025-05": 4} | {m: 10 for m in MONTHS[5:]}),
}


def month_totals(employee: str) -> dict[str, float]:
    """Each assessed month's total: the assessed items, the timeliness formula, traffic safety."""
    out = {}
    for r in rows("assessments"):
        if r["employee_id"] == employee:
            timeliness = min(20.0, max(0.0, 20 - 5 * float(r["late_dossiers"])))
            out[r["period"]] = (sum(float(r[c]) for c in ("politics_ethics", "service_attitude",
                                                          "dossier_quantity", "dossier_quality"))
                                + timeliness + TRAFFIC[employee][r["period"]])
    return out


def band(total: float) -> str:
    return next(code for code, lo in (("HTXS", 90), ("HTT", 70), ("HT", 50), ("KHT", 0))
                if total >= lo)


def mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 2)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """The README's three commands: a month, the quarter of its months, the year."""
    base = tmp_path_factory.mktemp("trung-tam")
    out = {}
    for period in ("2025-01", "2025-Q1", "2025"):
        out[period] = base / period
        result = invoke("run", "--criteria", CRITERIA, "--data", DATA, "--period", period,
                        "--out", out[period], "--no-reports", "--run-date", "2026-01-20")
        assert result.exit_code == 0, result.output
    return out


def scores(run: Path) -> dict[str, dict]:
    return {r["employee_id"]: r for r in pl.read_parquet(run / "scores.parquet").iter_rows(named=True)}


def units(run: Path) -> dict[str, dict]:
    return {r["unit_id"]: r for r in pl.read_parquet(run / "units.parquet").iter_rows(named=True)}


@pytest.mark.parametrize("name", ["thang-2025.yaml", "quy-2025.yaml", "nam-2025.yaml"])
def test_every_file_of_the_example_validates_with_its_worked_examples(name):
    result = invoke("validate", CRITERIA / name)
    assert result.exit_code == 0, result.output
    assert "Tất cả ví dụ đều đúng" in result.output and "✗" not in result.output


def test_the_data_is_what_the_script_generates(tmp_path):
    subprocess.run([sys.executable, str(EXAMPLE / "generate.py"), "--out", str(tmp_path)],
                   check=True, cwd=ROOT)
    names = sorted(p.name for p in DATA.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(DATA, tmp_path, names, shallow=False)
    assert not mismatch and not errors, "run: python docs/examples/trung-tam/generate.py"


def test_a_month_places_the_late_notice_in_the_month_of_its_decision(runs):
    """January: TT11's violation of 22/12/2024 (decided 09/01/2025) costs 4 points, and their
    head (TT08: 1 of 7 subordinates, 14% > 10%) and deputy head (TT09: 1 of 6) lose 2; the
    director (1 of 16) does not."""
    s = scores(runs["2025-01"])
    tt11 = month_totals("TT11")["2025-01"]
    assert s["TT11"]["total"] == tt11 and s["TT11"]["rating"] == band(tt11)
    assert {e: s[e]["item_traffic_safety"] for e in ("TT11", "TT08", "TT09", "TT01")} == {
        "TT11": 4, "TT08": 6, "TT09": 6, "TT01": 8}
    u = units(runs["2025-01"])
    assert (u["TNTKQ"]["violations"], u["TNTKQ"]["violators"], u["TNTKQ"]["violations_speeding"]) \
        == (1, 1, 1)
    assert (u["TTPVHCC"]["violations"], u["HCTH"]["violations"]) == (1, 0)
    assert "TT18" not in s  # hired in September


def test_the_quarter_is_the_mean_of_its_months(runs):
    s = scores(runs["2025-Q1"])
    for e in ("TT11", "TT12", "TT13"):
        q1 = mean([month_totals(e)[m] for m in MONTHS[:3]])
        assert s[e]["total"] == q1 and s[e]["rating"] == band(q1), e


def test_the_rolling_window_across_the_year_boundary_month_by_month():
    """TT13, scored month by month: the repeat deduction from March to June, and its bounds."""
    c = load_criteria_file(CRITERIA / "thang-2025.yaml")
    inputs = read_inputs(DATA)
    expected = month_totals("TT13")
    for m in MONTHS[1:8]:
        r = score(c, inputs, parse_period(m))
        row = r.scores.filter(pl.col("employee_id") == "TT13").row(0, named=True)
        assert row["total"] == expected[m], m
        repeat = with_details(r.explanations, c).filter((pl.col("employee_id") == "TT13")
                                                         & (pl.col("rule") == "repeated"))
        assert (repeat.height == 1) == (m in ("2025-03", "2025-04", "2025-05", "2025-06")), m
        if m == "2025-03":
            assert repeat["window"][0] == "violations_12_months=2024-04-01..2025-03-31@decision_date"
            label = c.measure("violations_12_months").label
            assert f"[{label}: 01/04/2024 – 31/03/2025 (theo cột decision_date)]" in repeat["detail"][0]
            assert "2024-04-01 – 2025-03-31 (by decision_date)]" in repeat["detail_en"][0]


def test_the_year_rolls_up_its_months_with_the_year_rules(runs):
    s = scores(runs["2025"])
    # TT12: twelve ordinary months
    y = mean(list(month_totals("TT12").values()))
    assert (s["TT12"]["total"], s["TT12"]["rating"]) == (y, band(y))
    # TT05: the alcohol violation decided in May caps the year at HT, whatever the mean
    y5 = mean(list(month_totals("TT05").values()))
    assert s["TT05"]["total"] == y5 and band(y5) in ("HTXS", "HTT") and s["TT05"]["rating"] == "HT"
    # TT14: reprimand (duty related) of 20/08 → KHT
    assert s["TT14"]["rating"] == "KHT" and s["TT14"]["overrides"] == "discipline_kht"
    # TT18: hired 24/09: September has 7 days (not rated), October–December 3 months < 6
    assert s["TT18"]["status"] == "not_rated"
    # TT09: maternity leave June–November, assessed 6 months (the minimum): rated on those
    months9 = month_totals("TT09")
    assert sorted(months9) == [*MONTHS[:5], "2025-12"]
    y9 = mean(list(months9.values()))
    assert s["TT09"]["status"] == "rated" and s["TT09"]["total"] == y9
    rollup = pl.read_parquet(runs["2025"] / "explanations.parquet").filter(
        (pl.col("employee_id") == "TT09") & (pl.col("kind") == "rollup"))["detail"][0]
    assert "2025-06: — (—)" in rollup and "2025-11: — (—)" in rollup


def test_the_year_quota_rounds_half_up_and_moves_the_lowest_total(runs):
    """HTXS at most 20% of HTT, rounded half up: k kept is the largest k with
    k ≤ round_half_up(0.2 × (HTT + HTXS − k)); the lowest totals move first."""
    s = pl.read_parquet(runs["2025"] / "scores.parquet")
    banded = s.filter((pl.col("band") == "HTXS") & (pl.col("overrides") == ""))
    htt = s.filter(pl.col("rating") == "HTT").height - s.filter(pl.col("quota") != "").height
    h = banded.height
    kept = max(k for k in range(h + 1) if k <= int(0.2 * (htt + h - k) + 0.5))
    moved = banded.sort("total").head(h - kept)["employee_id"].to_list()
    assert h - kept >= 1, "the example is meant to show one move"
    assert sorted(s.filter(pl.col("quota") == "htxs_quota")["employee_id"]) == sorted(moved)


def test_the_year_units_count_the_violations_decided_in_the_year(runs):
    """By the criteria's placing date (decision) and status: the records of the data file."""
    decided = [r for r in rows("violations") if r["status"] == "effective"
               and date.fromisoformat(r["decision_date"]).year == 2025]
    assert sorted(r["record_id"] for r in decided) == [
        "VP-2024-12", "VP-2025-03", "VP-2025-05", "VP-2025-11"]
    u = units(runs["2025"])["TTPVHCC"]
    assert (u["violations"], u["violators"]) == (len(decided), len({r["employee_id"] for r in decided}))
    assert u["violations_alcohol"] == 1


def test_explain_names_the_months_and_keeps_the_window_of_an_override(runs):
    """TT05's year: the roll-up line is the months', and the alcohol cap's window is worded in
    the language asked for."""
    for lang, months in (("vi", "Các tháng: 2025-01: "), ("en", "Months: 2025-01: ")):
        result = invoke("--lang", lang, "explain", "--run", runs["2025"], "--employee", "TT05")
        assert result.exit_code == 0, result.output
        assert months in result.output and "Các quý" not in result.output
        window = {"vi": "HTT → HT [Số vi phạm nồng độ cồn có quyết định xử phạt trong năm: "
                        "01/01/2025 – 31/12/2025 (theo cột decision_date)]",
                  "en": "HTT → HT [Alcohol violations decided in the year: 2025-01-01 – "
                        "2025-12-31 (by decision_date)]"}[lang]
        assert window in result.output.replace("\n", " ").replace("  ", " ")


def test_the_criteria_sheet_says_months_for_a_roll_up_of_months():
    from scoring.reports.criteria_sheet import build_criteria_sheet

    sheet = build_criteria_sheet(load_criteria_file(CRITERIA / "nam-2025.yaml"), lang="vi")
    assert ("Tổng hợp từ kết quả các tháng", "thang-2025.yaml") in sheet.identity
    given = dict(sheet.examples[0].given)
    assert given["Kết quả các tháng"] == "month_mean_total = 88,25; months_rated = 12"


def test_a_roll_up_whose_months_file_is_missing_is_refused_naming_it(tmp_path):
    from scoring.errors import CriteriaError

    lone = tmp_path / "quy-2025.yaml"
    lone.write_bytes((CRITERIA / "quy-2025.yaml").read_bytes())
    with pytest.raises(CriteriaError) as exc:
        load_criteria_file(lone)
    assert str(exc.value.issues[0]).startswith(
        "quy-2025.yaml: rollup.criteria: không tìm thấy tệp hoặc thư mục tiêu chí của các kỳ được "
        "tổng hợp / criteria of the rolled-up periods not found ('thang-2025.yaml')")

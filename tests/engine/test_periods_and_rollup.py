"""Effective-dated criteria folders and the annual roll-up from the quarters."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from scoring.engine.rollup import summarise_parts
from scoring.engine.score import score
from scoring.errors import CriteriaError
from scoring.inputs.readers import read_inputs
from scoring.outputs.wording import with_details
from scoring.periods import parse_period
from scoring.rules.model import Rollup
from scoring.rules.select import part_criteria, resolve_criteria
from scoring.run import part_results
from tests.helpers import ROOT, SAMPLE_DATA

CRITERIA = ROOT / "criteria"


def test_folder_picks_the_file_in_force_for_each_period_kind():
    path, c = resolve_criteria(CRITERIA, parse_period("2025-Q2"))
    assert (path.name, c.period_kind) == ("skhcn-quy-2025.yaml", "quarter")
    path, c = resolve_criteria(CRITERIA, parse_period("2025"))
    assert (path.name, c.period_kind) == ("skhcn-nam-2025.yaml", "year")


def _dated_copy(folder: Path, name: str, start: str, until: str | None) -> None:
    text = (CRITERIA / "skhcn-quy-2025.yaml").read_text(encoding="utf-8")
    text = text.replace("effective_from: 2025-01-01", f"effective_from: {start}")
    text = text.replace("effective_until: 2025-12-31",
                        f"effective_until: {until}" if until else "effective_until: null")
    (folder / name).write_text(text, encoding="utf-8")


def test_gap_is_refused_clearly(tmp_path):
    _dated_copy(tmp_path, "a.yaml", "2025-01-01", "2025-06-30")
    _dated_copy(tmp_path, "b.yaml", "2025-10-01", None)
    assert resolve_criteria(tmp_path, parse_period("2025-Q2"))[0].name == "a.yaml"
    assert resolve_criteria(tmp_path, parse_period("2026-Q1"))[0].name == "b.yaml"
    with pytest.raises(CriteriaError, match="no quarter criteria in force for the whole of 2025-Q3"):
        resolve_criteria(tmp_path, parse_period("2025-Q3"))


def test_overlap_is_refused_clearly(tmp_path):
    _dated_copy(tmp_path, "a.yaml", "2025-01-01", "2025-06-30")
    _dated_copy(tmp_path, "b.yaml", "2025-06-01", None)
    with pytest.raises(CriteriaError, match="overlapping a.yaml") as info:
        resolve_criteria(tmp_path, parse_period("2025-Q1"))
    assert info.value.issues[0].file == "b.yaml"


def test_a_file_of_another_period_kind_is_refused():
    with pytest.raises(CriteriaError, match="score a quarter, not 2025"):
        resolve_criteria(CRITERIA / "skhcn-quy-2025.yaml", parse_period("2025"))


def test_summarise_quarters_worked_example():
    """Docs example: rated 80 and 90, not rated in Q3, 70 in Q4 → mean of rated = 80."""
    q = pl.DataFrame({
        "employee_id": ["A"] * 4 + ["B"],
        "period": ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2025-Q1"],
        "total": [80.0, 90.0, 88.0, 70.0, 95.0],
        "rating": ["HTT", "HTXS", None, "KHT", "HTXS"],
        "status": ["rated", "rated", "not_rated", "rated", "rated"],
    })
    out = summarise_parts(q, Rollup(criteria="q.yaml", min_quarters=2)).sort("employee_id")
    assert out["quarter_mean_total"].to_list() == [80.0, None]  # B: one quarter, below the minimum
    assert out["quarters_rated"].to_list() == [3, 1] and out["quarters_kht"].to_list() == [1, 0]
    assert out["_quarters_detail"][0] == (
        "2025-Q1: 80 (HTT); 2025-Q2: 90 (HTXS); 2025-Q3: 88 (—); 2025-Q4: 70 (KHT)"
    )


@pytest.fixture(scope="module")
def annual():
    path, c = resolve_criteria(CRITERIA, parse_period("2025"))
    inputs = read_inputs(SAMPLE_DATA)
    year = parse_period("2025")
    extra = part_results(part_criteria(path, c, year), inputs, c.rollup)
    return inputs, extra, score(c, inputs, year, extra=extra)


def test_annual_total_is_the_mean_of_the_quarterly_totals(annual):
    inputs, extra, result = annual
    quarters = []
    for q in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"):
        _, qc = resolve_criteria(CRITERIA, parse_period(q))
        quarters.append(score(qc, inputs, parse_period(q)).scores.filter(pl.col("status") == "rated"))
    means = pl.concat(quarters).group_by("employee_id").agg(pl.col("total").mean().round(2))
    joined = result.scores.join(means, on="employee_id", suffix="_mean").filter(pl.col("status") == "rated")
    assert joined.height > 100
    assert (joined["total"] - joined["total_mean"]).abs().max() < 0.01


def test_annual_explanations_name_the_quarters(annual):
    _, _, result = annual
    row = result.explanations.filter((pl.col("employee_id") == "NV0097") & (pl.col("kind") == "rollup"))
    assert row["values"][0].startswith("2025-Q1: 72.5 (HT); 2025-Q2:")
    worded = with_details(row, resolve_criteria(CRITERIA, parse_period("2025"))[1])
    assert worded["detail"][0].startswith("2025-Q1: 72,5 (HT); 2025-Q2:")
    assert worded["detail_en"][0].startswith("2025-Q1: 72.5 (HT); 2025-Q2:")
    s = result.scores.filter(pl.col("employee_id") == "NV0097").row(0, named=True)
    assert s["rating"] == "HT" and "alcohol_cap" in s["overrides"]


def test_annual_short_service_not_rated(annual):
    _, _, result = annual
    s = result.scores.filter(pl.col("employee_id") == "NV0034").row(0, named=True)  # left in February
    assert s["status"] == "not_rated" and s["rating"] is None


def test_cli_annual_run(tmp_path):
    from click.testing import CliRunner

    from scoring.cli import main

    crit = tmp_path / "criteria"
    shutil.copytree(CRITERIA, crit)
    out = tmp_path / "y"
    result = CliRunner().invoke(main, ["run", "--criteria", str(crit), "--data", str(SAMPLE_DATA),
                                       "--period", "2025", "--out", str(out), "--no-reports"])
    assert result.exit_code == 0, result.output
    assert pl.read_parquet(out / "scores.parquet")["period"].unique().to_list() == ["2025"]

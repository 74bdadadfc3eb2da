"""A slip per person, from a real run of the sample quarter: read back with poppler, every
person's slip holds them and nobody else."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from scoring.reports.formatting import fmt_points

from scoring.cli import main
from tests.helpers import SAMPLE_CRITERIA, SAMPLE_DATA


def text_of(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-f", str(page), "-l", str(page)] if page else [])
    out = subprocess.run([*args, str(path), "-"], check=True, capture_output=True).stdout
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", out.decode()))


def has(text: str, words: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("slips") / "q1"
    res = CliRunner().invoke(main, ["run", "--criteria", str(SAMPLE_CRITERIA), "--data",
                                    str(SAMPLE_DATA), "--period", "2025-Q1", "--out", str(out),
                                    "--run-date", "2025-04-05"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return out


def test_every_person_has_a_slip_with_their_own_results_and_nobody_elses(run):
    scores = pl.read_parquet(run / "scores.parquet")
    names = scores["full_name"].to_list()
    for r in scores.iter_rows(named=True):
        slip = run / "reports" / "phieu" / r["unit_id"] / f"{r['employee_id']}.pdf"
        text = text_of(slip)
        assert has(text, r["full_name"]) and has(text, r["employee_id"]), slip
        assert f"Tổng điểm 100 {fmt_points(r['total'], 'vi')}" in text, slip
        if r["status"] == "rated":
            assert f"Kết quả xếp loại: {r['rating']} – {r['rating_label']}" in text, slip
        else:
            assert "Kết quả xếp loại: Không xếp loại" in text, slip
        others = [n for n in names if n != r["full_name"] and has(text, n)]
        assert others == [], (slip, others)
        assert "NGƯỜI ĐƯỢC ĐÁNH GIÁ" in text and "THỦ TRƯỞNG ĐƠN VỊ" in text


def test_a_slip_lists_the_persons_deductions_with_rule_records_and_legal_reference(run):
    expl = pl.read_parquet(run / "explanations.parquet").filter(
        pl.col("kind") == "deduction", pl.col("record_ids").fill_null("") != "")
    r = expl.row(0, named=True)
    unit = pl.read_parquet(run / "scores.parquet").filter(
        pl.col("employee_id") == r["employee_id"])["unit_id"][0]
    text = text_of(run / "reports" / "phieu" / unit / f"{r['employee_id']}.pdf")
    assert r["label"][:40] in text and r["record_ids"] in text
    assert (r["legal_ref"] or "")[:20] in text


def test_a_units_combined_slips_have_one_page_run_per_person_in_table_order(run):
    scores = pl.read_parquet(run / "scores.parquet").filter(pl.col("unit_id") == "VP")
    combined = next((run / "reports" / "phieu").glob("don-vi_VP_*.pdf"))
    people = sorted(scores["employee_id"].to_list())
    seen = [re.search(r"Mã số (NV\d+)", text_of(combined, p))[1]  # type: ignore[index]
            for p in range(1, len(people) + 1)]
    assert sorted(seen) == people and len(set(seen)) == len(seen)
    assert seen[0] == scores.filter(pl.col("position") == "head")["employee_id"][0]


def test_slips_and_notice_are_in_the_manifest_and_verify(run):
    res = CliRunner().invoke(main, ["verify", "--run", str(run), "--data", str(SAMPLE_DATA)])
    assert res.exit_code == 0, res.output
    import json

    listed = json.loads((run / "manifest.json").read_text(encoding="utf-8"))["reports"]
    n = pl.read_parquet(run / "scores.parquet").height
    assert len([p for p in listed if re.match(r"reports/phieu/[^/]+/[^/]+\.pdf$", p)]) == n
    assert "reports/thong-bao-cong-khai.pdf" in listed

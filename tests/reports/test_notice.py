"""The public notice of results, read back from its PDF: every person's name and rating, grouped
by unit, and none of the personal details (ids, scores, violation records, discipline, leave)."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import polars as pl
import pytest

try:
    from report_fixtures import small_tree, write_run
except ImportError:  # tests/ collected as a package
    from tests.report_fixtures import small_tree, write_run  # type: ignore[no-redef]

from scoring.reports.render import NOTICE_FILE, SUMMARY_FILE, render_run_reports

ROOT = Path(__file__).resolve().parents[2]
CRITERIA_PATH = ROOT / "criteria" / "skhcn-quy-2025.yaml"
AGENCY = "UBND TỈNH QUẢNG NGÃI\nSỞ KHOA HỌC VÀ CÔNG NGHỆ"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def _text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True).stdout.decode("utf-8")
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", out).replace("\u00a0", " "))


@pytest.fixture(scope="module")
def notice(tmp_path_factory):
    from scoring.rules.loader import load_criteria_file

    criteria = load_criteria_file(CRITERIA_PATH)
    base = tmp_path_factory.mktemp("notice")
    units, people = small_tree()
    run = write_run(base / "2025-Q1", criteria, units, people)
    out = base / "reports"
    paths = render_run_reports(run, criteria, out_dir=out, workers=1, agency=AGENCY, place="Quảng Ngãi",
                               history=[])
    path = out / NOTICE_FILE
    assert path in paths
    return {"run": run, "criteria": criteria, "path": path, "text": _text(path), "units": units}


def test_notice_lists_every_person_with_their_rating_and_unit(notice):
    text = notice["text"]
    labels = {str(b.code): str(b.label) for b in notice["criteria"].ratings}
    scores = pl.read_parquet(notice["run"] / "scores.parquet")
    assert "THÔNG BÁO CÔNG KHAI" in text
    assert "Nghị định 13/2023/NĐ-CP" in text
    for u in notice["units"]:
        assert u.name in text
    for r in scores.iter_rows(named=True):
        name = unicodedata.normalize("NFC", r["full_name"])
        rating = labels[r["rating"]] if r["status"] != "not_rated" and r["rating"] else "Không xếp loại"
        assert re.search(rf"{re.escape(name)} .{{0,80}}?{re.escape(rating)}", text), (name, rating)


def test_notice_holds_no_personal_detail(notice):
    text = notice["text"]
    scores = pl.read_parquet(notice["run"] / "scores.parquet")
    explanations = pl.read_parquet(notice["run"] / "explanations.parquet")
    records = {s.strip() for v in explanations["record_ids"].drop_nulls() for s in re.split(r"[;,]", v)
               if s.strip()}
    assert records, "the fixture has violation records to look for"
    for rec in records:
        assert rec not in text, rec
    for eid in scores["employee_id"]:
        assert eid not in text, eid
    body = text.split("Nghị định 13/2023/NĐ-CP")[1]  # the privacy line itself names the kinds
    for word in ("kỷ luật", "nghỉ phép", "vi phạm", "điểm", "Tổng điểm", "thai sản"):
        assert word.lower() not in body.lower(), word
    # no number with a decimal comma (a score) anywhere
    assert not re.search(r"\d+,\d", text)


def test_the_notice_is_numbered_as_a_notice_the_reports_as_reports(notice):
    """The number line names the document's type (Decree 30/2020/NĐ-CP): TB for a notice
    (thông báo), BC for the reports (báo cáo)."""
    assert "/TB-TCCB" in notice["text"] and "/BC-TCCB" not in notice["text"]
    folder = notice["path"].parent
    for other in (folder / SUMMARY_FILE, sorted(folder.glob("don-vi_*.pdf"))[0]):
        text = _text(other)
        assert "/BC-TCCB" in text and "/TB-TCCB" not in text, other.name


def test_the_number_line_names_the_type_in_english_too():
    from datetime import date

    from scoring.reports.models import make_letterhead

    for lang in ("vi", "en"):
        notice = make_letterhead("SỞ X", None, date(2025, 4, 5), lang, "SỞ X", kind="notice")
        report = make_letterhead("SỞ X", None, date(2025, 4, 5), lang, "SỞ X")
        assert notice.number.endswith("/TB-TCCB") and report.number.endswith("/BC-TCCB"), lang

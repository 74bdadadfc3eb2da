"""HR's run through the pages, and the CLI kept whole: a portal run gives the CLI's tables."""

from __future__ import annotations

import contextlib

from portal_client import ROOT, Client, sample_files, wait_for_job
from starlette.testclient import TestClient

from scoring.clock import agency_today
from scoring.run import RunOptions, run_scoring

TABLES = ["scores.csv", "scores.parquet", "scores.xlsx", "explanations.csv", "explanations.parquet",
          "units.csv", "units.parquet"]


def test_a_portal_run_gives_the_tables_of_scoring_run_byte_for_byte(portal, tmp_path):
    app, run_id, _ = portal
    out = app.state.portal.settings.data_dir / "runs" / str(run_id) / "out"
    cli = run_scoring(RunOptions(criteria_path=ROOT / "criteria" / "skhcn-quy-2025.yaml",
                                 data_dir=ROOT / "sample_data", period="2025-Q1", out=tmp_path / "cli",
                                 run_date=agency_today(), reports=False),  # the portal's date
                      lambda _key: contextlib.nullcontext())
    for name in TABLES:
        assert (out / name).read_bytes() == (cli.out / name).read_bytes(), name
    assert sorted(p.name for p in (out / "reports").glob("don-vi_*.pdf"))  # the heads' reports exist


def test_the_run_page_lists_every_output_with_its_hash(portal):
    app, run_id, _ = portal
    text = Client(app, "hr").get(f"/runs/{run_id}").text
    for name in TABLES + ["manifest.json", "reports/tong-hop_so.pdf"]:
        assert f"/runs/{run_id}/files/{name}" in text


def test_a_broken_workbook_is_shown_located_then_fixed_and_run(tmp_path):
    from conftest import make_portal

    app = make_portal(tmp_path / "p", reports=False)
    with TestClient(app):  # the lifespan: the background worker
        hr = Client(app, "hr")
        staff = (ROOT / "sample_data" / "staff.csv").read_text(encoding="utf-8")
        broken = staff.replace("NV0005,", "NV0005 ,", 1).replace(",2004-04-03,", ",03/13/2004,", 1)
        files = [f for f in sample_files() if f[1][0] != "staff.csv"]
        files.append(("files", ("staff.csv", broken.encode(), "text/csv")))
        r = hr.post("/runs", data={"period": "2025-Q1", "criteria": "skhcn-quy-2025.yaml"}, files=files)
        run_id = int(str(r.url).rsplit("/", 1)[1])
        r = hr.post(f"/runs/{run_id}/check")
        assert 'id="issues"' in r.text and "staff.csv" in r.text and "start_date" in r.text
        assert 'id="start"' not in r.text  # nothing can be scored from a broken input
        r = hr.post(f"/runs/{run_id}/files", files=[("files", ("staff.csv", staff.encode(), "text/csv"))])
        r = hr.post(f"/runs/{run_id}/check")
        assert 'id="checked-ok"' in r.text and 'id="issues"' not in r.text
        hr.post(f"/runs/{run_id}/start")
        assert wait_for_job(hr, run_id) == "Đã chạy xong"
        assert "Đã công bố" in hr.post(f"/runs/{run_id}/publish").text
        assert "Đã thu hồi" in hr.post(f"/runs/{run_id}/withdraw").text

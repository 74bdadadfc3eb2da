"""Uploads are checked before any reader sees them: names, what the bytes really are, ZIP bombs."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from portal_client import Client

from scoring.portal.uploads import Limits, UploadError, check_upload


def _xlsx(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


_WORKBOOK = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


def test_a_real_workbook_and_csv_are_accepted():
    assert check_upload("Danh sách cán bộ.xlsx", _xlsx(_WORKBOOK)) == "Danh sách cán bộ.xlsx"
    assert check_upload("C:\\Users\\hr\\staff.csv", b"employee_id,full_name\nNV1,A\n") == "staff.csv"
    assert check_upload("../../etc/staff.csv", b"a\n") == "staff.csv"  # only the last part of a path


def test_a_zip_bomb_is_refused_before_it_is_read():
    bomb = _xlsx({**_WORKBOOK, "xl/worksheets/sheet1.xml": b"0" * (64 * 1024 * 1024)})
    assert len(bomb) < 200_000  # small on the wire, 64 MiB once opened
    with pytest.raises(UploadError, match="ZIP bomb"):
        check_upload("staff.xlsx", bomb)


def test_the_bomb_check_counts_bytes_really_decompressed_not_the_declared_sizes(monkeypatch):
    monkeypatch.setattr(Limits, "max_ratio", 2)
    honest_small = _xlsx({**_WORKBOOK, "xl/worksheets/sheet1.xml": b"x" * 10_000})
    with pytest.raises(UploadError, match="ZIP bomb"):
        check_upload("staff.xlsx", honest_small)


@pytest.mark.parametrize("name, data, says", [
    ("staff.xlsx", b"%PDF-1.7 ...", "PDF"),
    ("staff.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
    ("staff.xlsx", _xlsx({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<T/>"}), "Excel"),
    ("staff.csv", _xlsx(_WORKBOOK), "ZIP"),
    ("staff.csv", b"a,b\n\x00\x01", "CSV"),
    ("staff.parquet", b"not parquet", "Parquet"),
    ("staff.exe", b"MZ", ".csv"),
    (".hidden.csv", b"a\n", "invalid"),
    ("staff.csv", b"", "empty"),
])
def test_files_that_are_not_what_they_claim_are_refused(name, data, says):
    with pytest.raises(UploadError, match=re.escape(says)):
        check_upload(name, data)


def test_the_run_page_lists_refused_files_and_a_too_large_body_gets_413(tmp_path):
    from conftest import make_portal

    app = make_portal(tmp_path, max_upload_mb=1)
    hr = Client(app, "hr")
    r = hr.post("/runs", data={"period": "2025-Q1", "criteria": "skhcn-quy-2025.yaml"},
                files=[("files", ("staff.xlsx", b"%PDF-1.4", "application/pdf"))])
    assert r.status_code == 400 and 'id="refused"' in r.text and "staff.xlsx" in r.text
    big = hr.post("/runs", data={"period": "2025-Q1", "criteria": "skhcn-quy-2025.yaml"},
                  files=[("files", ("staff.csv", b"a" * (2 * 1024 * 1024), "text/csv"))])
    assert big.status_code == 413


def test_a_data_source_file_uploaded_with_the_data_is_used(tmp_path):
    """HR uploads an office's own file names with their nguon-du-lieu.yaml: the check reads them
    as it says (without it the same files are refused as tables under other names)."""
    from conftest import make_portal
    from portal_client import ROOT

    case = ROOT / "tests" / "cases" / "office_workbooks" / "own_names"
    books = [("files", (p.name, p.read_bytes(), "application/octet-stream"))
             for p in sorted(case.glob("*.xlsx"))]
    source = ("files", ("nguon-du-lieu.yaml", (case / "nguon-du-lieu.yaml").read_bytes(), "text/yaml"))
    hr = Client(make_portal(tmp_path), "hr")
    for files, ok in ((books, False), ([*books, source], True)):
        r = hr.post("/runs", data={"period": "2025-Q1", "criteria": "skhcn-quy-2025.yaml"}, files=files)
        assert r.status_code == 200, r.text[-2000:]
        run_id = int(str(r.url).rstrip("/").rsplit("/", 1)[1])
        checked = hr.post(f"/runs/{run_id}/check").text
        assert ('id="checked-ok"' in checked) is ok, checked[-3000:]
    assert check_upload("Nguon-du-lieu.yaml", b"tables: {}\n") == "nguon-du-lieu.yaml"
    with pytest.raises(UploadError):
        check_upload("other.yaml", b"tables: {}\n")

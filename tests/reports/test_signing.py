"""Signed reports: `scoring report --sign agency.p12` signs every PDF (PAdES) with a key the
test makes; pyHanko's validator accepts each signature against that certificate, one changed
byte breaks it, `scoring verify` checks the signatures, and a wrong passphrase changes nothing.
Every PDF, signed or not, is PDF/A-2b with its fonts embedded (poppler reads the XMP and the
fonts); where a document has a signature block, the signature is visible over it, with the
signer's name and the date."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from scoring.outputs.manifest import read_manifest, sha256_file
from tests.helpers import SAMPLE_CRITERIA
from tests.outputs.test_crash_safety import snapshot, tiny_data

pytest.importorskip("pyhanko")

PASSPHRASE = "mật-khẩu 2025"
SIGNER = "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"
SIGNED_AT = "2025-04-07T02:30:00+00:00"  # the visible signature's date: 07/04/2025 in Vietnam
needs_poppler = pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("pdfinfo", "pdffonts", "pdftotext", "pdftocairo")),
    reason="poppler-utils not installed")


def make_p12(folder: Path) -> tuple[Path, object]:
    """A self-signed RSA key and certificate in a PKCS#12 file protected by PASSPHRASE."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.COMMON_NAME, SIGNER)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, True, False, False, False),
                           critical=True)
            .sign(key, hashes.SHA256()))
    path = folder / "agency.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"agency", key, cert, None, BestAvailableEncryption(PASSPHRASE.encode("utf-8"))))
    return path, cert


def scoring(*args: str, passphrase: str | None = PASSPHRASE) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(Path(__file__).parents[2]), "SCORING_TEST_NOW": SIGNED_AT}
    env.pop("SCORING_SIGN_PASSPHRASE", None)
    if passphrase is not None:
        env["SCORING_SIGN_PASSPHRASE"] = passphrase
    return subprocess.run([sys.executable, "-m", "scoring", *args], env=env, capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL)


def validate(path: Path, cert) -> list:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
    with path.open("rb") as f:
        sigs = PdfFileReader(f, strict=False).embedded_signatures
        return [validate_pdf_signature(s, ValidationContext(trust_roots=[root])) for s in sigs]


def flip_middle_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def signed_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("signing")
    data = tiny_data(tmp / "data")
    out = tmp / "run"
    done = scoring("run", "--criteria", str(SAMPLE_CRITERIA), "--data", str(data), "--period",
                   "2025-Q1", "--out", str(out), "--run-date", "2025-04-05", "--no-reports")
    assert done.returncode == 0, done.stdout + done.stderr
    plain = scoring("report", "--run", str(out), passphrase=None)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    shutil.copytree(out / "reports", tmp / "unsigned")
    p12, cert = make_p12(tmp)
    unsigned = snapshot(out)
    wrong = scoring("report", "--run", str(out), "--sign", str(p12), passphrase="sai")
    assert snapshot(out) == unsigned  # the run untouched by the failed call
    signed = scoring("report", "--run", str(out), "--sign", str(p12))
    assert signed.returncode == 0, signed.stdout + signed.stderr
    return data, out, p12, cert, unsigned, wrong, signed


def test_every_pdf_is_signed_and_validates(signed_run):
    _, out, _, cert, _, _, signed = signed_run
    assert SIGNER in signed.stderr
    reports = read_manifest(out)["reports"]
    assert len(reports) >= 3 and all(r.endswith(".pdf") for r in reports)
    for rel in reports:
        statuses = validate(out / rel, cert)
        assert len(statuses) == 1, rel
        status = statuses[0]
        assert status.intact and status.valid and status.trusted, (rel, status.pretty_print_details())
        assert status.coverage.name == "ENTIRE_FILE", rel
        assert SIGNER in status.signing_cert.subject.human_friendly


def test_the_manifest_holds_the_signed_files(signed_run):
    _, out, _, _, _, _, _ = signed_run
    recorded = {o["path"]: o["sha256"] for o in read_manifest(out)["outputs"]}
    for rel in read_manifest(out)["reports"]:
        assert b"/ByteRange" in (out / rel).read_bytes()
        assert recorded[rel] == sha256_file(out / rel), rel


def test_one_changed_byte_breaks_the_signature(signed_run, tmp_path):
    _, out, _, cert, _, _, _ = signed_run
    rel = read_manifest(out)["reports"][0]
    copy = tmp_path / "changed.pdf"
    copy.write_bytes((out / rel).read_bytes())
    flip_middle_byte(copy)
    statuses = validate(copy, cert)
    assert statuses and not all(s.intact for s in statuses)


def test_a_wrong_passphrase_exits_2_and_changes_nothing(signed_run, tmp_path):
    _, out, p12, _, unsigned, wrong, _ = signed_run
    assert wrong.returncode == 2, wrong.stdout + wrong.stderr
    assert "Traceback" not in wrong.stderr
    lines = [line for line in wrong.stderr.splitlines() if "agency.p12" in line]
    assert lines and "sai mật khẩu" in lines[0] and "wrong passphrase" in lines[0], wrong.stderr
    before = snapshot(out)
    again = scoring("report", "--run", str(out), "--sign", str(tmp_path / "none.p12"))
    assert again.returncode == 2 and "Traceback" not in again.stderr
    assert "none.p12" in again.stderr and "R401" in again.stderr
    not_p12 = tmp_path / "cert.p12"
    not_p12.write_text("not a key", encoding="utf-8")
    third = scoring("report", "--run", str(out), "--sign", str(not_p12))
    assert third.returncode == 2 and "R402" in third.stderr and "Traceback" not in third.stderr
    assert snapshot(out) == before


def test_verify_checks_the_signatures(signed_run, tmp_path):
    import shutil

    data, out, _, _, _, _, _ = signed_run
    ok = scoring("verify", "--run", str(out), "--data", str(data))
    assert ok.returncode == 0 and "Traceback" not in ok.stderr, ok.stdout + ok.stderr
    signature_lines = [line for line in ok.stdout.splitlines() if "chữ ký số / signature" in line]
    assert len(signature_lines) == len(read_manifest(out)["reports"])
    assert all(SIGNER in line and "✓" in line for line in signature_lines)
    changed = tmp_path / "changed-run"
    shutil.copytree(out, changed)
    flip_middle_byte(changed / read_manifest(changed)["reports"][0])
    bad = scoring("verify", "--run", str(changed), "--data", str(data))
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "✗" in bad.stdout and "after signing" in bad.stdout


# ---------------------------------------------------------------------------------------------
# PDF/A and the visible signature

def kind(rel: str) -> str:
    parts = rel.split("/")
    if "phieu" in parts:
        return "person slip" if len(parts) == 4 else "unit slips"
    return {"tong-hop_so.pdf": "summary", "tieu-chi.pdf": "criteria",
            "thong-bao-cong-khai.pdf": "notice"}.get(parts[-1], "unit")


KINDS = {"unit", "summary", "criteria", "notice", "unit slips", "person slip"}
WITH_BLOCK = KINDS - {"unit slips"}  # one signature block: visible; the printing set: not


def both(signed_run) -> list[tuple[Path, str]]:
    """Every report, unsigned (the plain `scoring report`) and signed, with its kind."""
    _, out, *_ = signed_run
    unsigned = out.parent / "unsigned"
    rels = read_manifest(out)["reports"]
    found = [(unsigned / rel.removeprefix("reports/"), kind(rel)) for rel in rels]
    found += [(out / rel, kind(rel)) for rel in rels]
    assert {k for _, k in found} == KINDS
    return found


def run_tool(*args: str) -> str:
    out = subprocess.run(list(args), check=True, capture_output=True).stdout.decode("utf-8")
    return unicodedata.normalize("NFC", out)


def pdfa_identification(path: Path) -> tuple[str, str] | None:
    """The PDF/A part and conformance the XMP metadata claims (("2", "B") for PDF/A-2b)."""
    meta = run_tool("pdfinfo", "-meta", str(path))
    part = re.search(r'pdfaid:part(?:="|>)(\d)', meta)
    conformance = re.search(r'pdfaid:conformance(?:="|>)([A-Za-z])', meta)
    return (part[1], conformance[1].upper()) if part and conformance else None


@needs_poppler
def test_every_pdf_is_pdfa_2b(signed_run):
    for path, k in both(signed_run):
        meta = run_tool("pdfinfo", "-meta", str(path))
        assert pdfa_identification(path) == ("2", "B"), (k, path, meta[:400])
        info = run_tool("pdfinfo", str(path))
        producer = re.search(r"^Producer:\s+(.+)$", info, re.M)
        assert producer and producer[1].strip() in meta, (k, path)  # the Info agrees with the XMP


@needs_poppler
def test_every_font_is_embedded_with_its_unicode_map(signed_run):
    for path, k in both(signed_run):
        lines = run_tool("pdffonts", str(path)).splitlines()[2:]
        assert lines, (k, path)
        for line in lines:
            emb, _sub, uni = line.split()[-5:-2]
            assert (emb, uni) == ("yes", "yes"), (k, path, line)


def test_a_person_slip_keeps_the_archival_parts(signed_run):
    from pypdf import PdfReader

    for path, k in both(signed_run):
        if k != "person slip":
            continue
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert "/OutputIntents" in root and "/Metadata" in root and root["/Lang"] == "vi"
        assert len(reader.trailer["/ID"]) == 2


def sign_fields(path: Path) -> list[tuple[int, list[float], bool]]:
    """Each signature field's page index, rectangle and whether it has an appearance."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    pages = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages)}
    found = []
    for field in reader.trailer["/Root"]["/AcroForm"]["/Fields"]:
        field = field.get_object()
        if field.get("/FT") != "/Sig":
            continue
        rect = [float(v) for v in field["/Rect"]]
        found.append((pages[field.raw_get("/P").idnum], rect, "/N" in field.get("/AP", {})))
    return found


def block(path: Path) -> tuple[int, list[float]] | None:
    """The page index and /FitR rectangle of the document's signature block."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    dest = reader.named_destinations.get("sign-block")
    if dest is None:
        return None
    assert dest.typ == "/FitR"
    return reader.get_destination_page_number(dest), [float(dest.left), float(dest.bottom),
                                                       float(dest.right), float(dest.top)]


def text_in(path: Path, page: int, rect: list[float]) -> str:
    from pypdf import PdfReader

    height = float(PdfReader(path).pages[page].mediabox.height)
    x1, y1, x2, y2 = rect
    crop = ["-x", str(int(x1)), "-y", str(int(height - y2)), "-W", str(int(x2 - x1) + 1),
            "-H", str(int(y2 - y1) + 1)]
    return " ".join(run_tool("pdftotext", "-f", str(page + 1), "-l", str(page + 1), "-r", "72",
                             *crop, str(path), "-").split())


@needs_poppler
def test_the_signature_is_visible_over_the_signature_block(signed_run):
    from scoring.reports.i18n import TEXTS

    _, out, *_ = signed_run
    titles = {TEXTS["vi"]["sign_title"], TEXTS["vi"]["slip_head_sign"]}
    for rel in read_manifest(out)["reports"]:
        path, k = out / rel, kind(rel)
        fields = sign_fields(path)
        assert len(fields) == 1, rel
        page, (x1, y1, x2, y2), appearance = fields[0]
        where = block(path)
        if k not in WITH_BLOCK:
            assert where is None and x2 - x1 == 0 and y2 - y1 == 0, rel  # invisible
            continue
        assert where is not None, rel
        block_page, (bx1, by1, bx2, by2) = where
        assert any(t in text_in(path, block_page, [bx1, by1, bx2, by2]) for t in titles), rel
        assert page == block_page and appearance, rel
        assert x2 - x1 > 100 and y2 - y1 > 30, (rel, x2 - x1, y2 - y1)  # 62 × 16 mm
        assert bx1 - 1 <= x1 and x2 <= bx2 + 1 and by1 - 1 <= y1 and y2 <= by2 + 1, rel


@needs_poppler
def test_the_visible_signature_names_the_signer_and_the_date(signed_run, tmp_path):
    _, out, *_ = signed_run
    for rel in read_manifest(out)["reports"]:
        if kind(rel) not in ("unit", "person slip"):
            continue
        printed = tmp_path / "printed.pdf"  # as printed: annotations drawn into the page
        subprocess.run(["pdftocairo", "-pdf", str(out / rel), str(printed)], check=True)
        page, rect, _ = sign_fields(out / rel)[0]
        text = text_in(printed, page, rect)
        assert f"Ký bởi: {SIGNER}" in text and "Ngày ký: 07/04/2025" in text, (rel, text)


# ---------------------------------------------------------------------------------------------
# scoring run --sign

def test_run_signs_its_reports_with_the_same_rules(signed_run, tmp_path):
    data, _, p12, cert, *_ = signed_run
    common = ["run", "--criteria", str(SAMPLE_CRITERIA), "--data", str(data), "--period", "2025-Q1",
              "--run-date", "2025-04-05", "--sign", str(p12)]
    wrong = scoring(*common, "--out", str(tmp_path / "wrong"), passphrase="sai")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert "R402" in wrong.stderr and "wrong passphrase" in wrong.stderr, wrong.stderr
    assert not (tmp_path / "wrong").exists()  # the key is opened before any work
    useless = scoring(*common, "--out", str(tmp_path / "none"), "--no-reports")
    assert useless.returncode == 2 and "--sign" in useless.stderr and "Traceback" not in useless.stderr
    assert not (tmp_path / "none").exists()
    out = tmp_path / "signed"
    done = scoring(*common, "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert SIGNER in done.stderr
    recorded = {o["path"]: o["sha256"] for o in read_manifest(out)["outputs"]}
    reports = read_manifest(out)["reports"]
    assert {kind(rel) for rel in reports} == KINDS
    for rel in reports:
        statuses = validate(out / rel, cert)
        assert len(statuses) == 1 and statuses[0].intact and statuses[0].valid, rel
        assert recorded[rel] == sha256_file(out / rel), rel  # the manifest holds the signed file
    checked = scoring("verify", "--run", str(out), "--data", str(data))
    assert checked.returncode == 0, checked.stdout + checked.stderr


@needs_poppler
def test_an_english_document_gets_an_english_stamp(tmp_path, monkeypatch):
    from scoring.reports.render import render_criteria_sheet
    from scoring.reports.signing import ReportSigner, load_signer

    from scoring.rules.loader import load_criteria_file

    monkeypatch.setenv("SCORING_TEST_NOW", SIGNED_AT)
    sheet = render_criteria_sheet(load_criteria_file(SAMPLE_CRITERIA), tmp_path / "criteria.pdf",
                                  lang="en")
    p12, cert = make_p12(tmp_path)
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(ReportSigner(load_signer(p12, PASSPHRASE)).sign(sheet.read_bytes()))
    assert all(s.intact and s.valid for s in validate(signed, cert))
    printed = tmp_path / "printed.pdf"
    subprocess.run(["pdftocairo", "-pdf", str(signed), str(printed)], check=True)
    page, rect, appearance = sign_fields(signed)[0]
    text = text_in(printed, page, rect)
    assert appearance and f"Signed by: {SIGNER}" in text and "Date signed: 2025-04-07" in text, text

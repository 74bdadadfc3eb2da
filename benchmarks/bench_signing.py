"""What signing costs beside rendering: milliseconds per PDF, and the key's loading time.

    .venv/bin/scoring run --criteria criteria/skhcn-quy-2025.yaml --data sample_data \\
        --period 2025-Q1 --out /tmp/q1 --no-reports --run-date 2025-04-05 --force
    .venv/bin/python benchmarks/bench_signing.py /tmp/q1 [--rounds 5] [--profile]

Renders every report of the run once in this process (PDF/A, as the tool writes them), makes a
throw-away RSA-2048 key and certificate in a PKCS#12 file, loads it as `scoring report --sign`
does, then signs every PDF ``--rounds`` times with one ``ReportSigner`` (the visible signature
where the document has a signature block) and prints the median milliseconds per PDF beside
the rendering milliseconds per PDF of the same run (issue 16 asks for at most 50 ms per PDF).
The first signature, which draws the visible signature's look, is timed on its own.
``--profile`` prints cProfile's top functions of one round of signing. ``--pdfa`` also times
what PDF/A costs: the summary and the biggest unit report rendered as PDF/A-2b and as plain PDF,
interleaved, three times each. Figures only.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scoring.reports.render import last_results, render_run_reports
from scoring.reports.signing import ReportSigner, load_signer, signature_place

from scoring.outputs.manifest import read_manifest
from scoring.rules.loader import load_criteria_file

PASSPHRASE = "bench"


def make_p12(folder: Path) -> Path:
    """A self-signed RSA-2048 key and certificate in a PKCS#12 file (like an agency's)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "Sở Khoa học và Công nghệ")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .sign(key, hashes.SHA256()))
    path = folder / "agency.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"agency", key, cert, None, BestAvailableEncryption(PASSPHRASE.encode())))
    return path


def render(run: Path, out: Path) -> tuple[list[bytes], float, float]:
    """Every PDF of the run and the rendering milliseconds per PDF written (wall and CPU, one
    process: the CPU figure is robust to a busy machine)."""
    manifest = read_manifest(run)
    assert manifest is not None, f"{run}: not a finished run"
    criteria = load_criteria_file(run / manifest["criteria"]["path"])
    started, cpu = time.perf_counter(), time.process_time()
    paths = render_run_reports(run, criteria, out_dir=out, workers=1, history=[])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    rendered = last_results()
    print(f"rendered {len(paths)} PDFs ({len(rendered)} laid out, the rest cut from them) in "
          f"{elapsed:.2f} s, {cpu:.2f} CPU-s: {1000 * elapsed / len(paths):.1f} ms, "
          f"{1000 * cpu / len(paths):.1f} CPU-ms per PDF written")
    return [p.read_bytes() for p in paths], 1000 * elapsed / len(paths), 1000 * cpu / len(paths)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("run", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--pdfa", action="store_true")
    args = parser.parse_args()
    if args.pdfa:
        pdfa_cost(args.run)
    with tempfile.TemporaryDirectory() as tmp:
        pdfs, render_ms, render_cpu = render(args.run, Path(tmp) / "reports")
        p12 = make_p12(Path(tmp))
        started, cpu = time.perf_counter(), time.process_time()
        signer = load_signer(p12, PASSPHRASE)
        key_ms, key_cpu = 1000 * (time.perf_counter() - started), 1000 * (time.process_time() - cpu)
    sealer = ReportSigner(signer)
    started = time.perf_counter()
    sealer.sign(pdfs[0])  # draws the visible signature's look (the renderer, once per day)
    first_ms = 1000 * (time.perf_counter() - started)
    visible = sum(1 for data in pdfs if _has_block(data))
    walls, cpus = [], []
    for _ in range(args.rounds):
        started, cpu = time.perf_counter(), time.process_time()
        for data in pdfs:
            sealer.sign(data)
        walls.append(1000 * (time.perf_counter() - started) / len(pdfs))
        cpus.append(1000 * (time.process_time() - cpu) / len(pdfs))
    sign_ms, sign_cpu = statistics.median(walls), statistics.median(cpus)
    print(f"key load {key_ms:.0f} ms ({key_cpu:.0f} CPU-ms) once; first signature {first_ms:.0f} ms "
          "(draws the stamp)")
    print(f"signing: {sign_ms:.1f} ms, {sign_cpu:.1f} CPU-ms per PDF (medians of {args.rounds} "
          f"rounds over {len(pdfs)} PDFs, {visible} with a visible signature; CPU-ms by round "
          f"{', '.join(f'{r:.1f}' for r in cpus)}); rendering {render_ms:.1f} ms, "
          f"{render_cpu:.1f} CPU-ms per PDF; signing / rendering {sign_ms / render_ms:.3f} "
          f"(CPU {sign_cpu / render_cpu:.3f})")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for data in pdfs:
            sealer.sign(data)
        profile.disable()
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(35)


def pdfa_cost(run: Path, repeat: int = 3) -> None:
    """Milliseconds of rendering the summary and the biggest unit report, PDF/A-2b vs plain."""
    from scoring.reports import pdf
    from scoring.reports.builder import ReportBuilder
    from scoring.reports.run_reader import load_run

    manifest = read_manifest(run)
    assert manifest is not None
    builder = ReportBuilder(load_run(run), load_criteria_file(run / manifest["criteria"]["path"]))
    biggest = max(builder.unit_ids(),
                  key=lambda u: int(builder.units_by_id[u].row.get("headcount") or 0))
    renderer = pdf.get_renderer()
    pages = [renderer.html("summary.html.j2", builder.summary_report()),
             renderer.html("unit.html.j2", builder.unit_report(biggest))]
    times: dict[str | None, list[float]] = {"pdf/a-2b": [], None: []}
    for _ in range(repeat):
        for variant in times:
            pdf.PDF_VARIANT = variant  # type: ignore[assignment]
            started = time.process_time()
            for html in pages:
                renderer.pdf_bytes(html, "0" * 32)
            times[variant].append(1000 * (time.process_time() - started) / len(pages))
    pdf.PDF_VARIANT = "pdf/a-2b"
    pdfa, plain = statistics.median(times["pdf/a-2b"]), statistics.median(times[None])
    print(f"PDF/A-2b {pdfa:.0f} CPU-ms per report, plain PDF {plain:.0f} (median of {repeat}, "
          f"summary and unit {biggest}): {100 * (pdfa / plain - 1):+.1f} %")


def _has_block(data: bytes) -> bool:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    return signature_place(PdfFileReader(io.BytesIO(data), strict=False)) is not None


if __name__ == "__main__":
    main()

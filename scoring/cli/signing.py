"""The command line's side of signed PDFs: the agency's key opened (its passphrase from the
environment, else asked for without echo), the staged PDFs signed before a run changes, and
the checks ``scoring verify`` adds for every signed PDF of a run. The signing itself is
``scoring.reports.signing``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from rich.markup import escape

from scoring.cli.messages import ERR, step, t

__all__ = ["open_pdf_signer", "sign_option", "sign_staged", "signature_checks"]

# --sign of `scoring run` and `scoring report`: the same key, passphrase and problem codes
sign_option = click.option(
    "--sign", "sign_key", type=click.Path(dir_okay=False, path_type=Path),
    help="Ký số các PDF (PAdES) bằng tệp khoá PKCS#12 của cơ quan; mật khẩu lấy từ biến "
         "SCORING_SIGN_PASSPHRASE hoặc được hỏi / sign the PDFs (PAdES) with the agency's "
         "PKCS#12 key file; the passphrase from SCORING_SIGN_PASSPHRASE or a prompt.")


def signature_checks(run_dir: Path) -> list:
    """One check per signed PDF of the run: every signature intact and covering the whole file,
    the signer named; unsigned PDFs are not checked."""
    from scoring.audit.read_options import run_manifest
    from scoring.audit.verify import Check
    from scoring.reports.signing import check_signatures

    checks = []
    for rel in run_manifest(run_dir).get("reports", []):
        path = run_dir / rel
        signatures = check_signatures(path) if path.is_file() else None
        if signatures is None:
            continue
        ok = all(s.ok for s in signatures)
        who = ", ".join(sorted({s.signer for s in signatures}))
        checks.append(Check(f"chữ ký số / signature {rel} ({who})", ok, "" if ok else
                            "tệp đã bị sửa sau khi ký / the file was changed after signing"))
    return checks


def open_pdf_signer(path: Path, time_zone: str) -> Callable[[bytes], bytes]:
    """What signs one PDF with the key of the PKCS#12 file (opened once, now: a wrong
    passphrase stops before any work); its passphrase from the environment, else asked for.
    The visible signature's date is the agency's (``time_zone``)."""
    from scoring.reports.signing import ReportSigner, load_signer, passphrase_from_env, signer_name

    passphrase = passphrase_from_env()
    if passphrase is None:
        passphrase = click.prompt(t("sign_passphrase", file=str(path)), hide_input=True,
                                  default="", show_default=False, err=True)
    signer = load_signer(path, passphrase)
    ERR.print(f"{t('signing_as')}: {escape(signer_name(signer))}")
    return ReportSigner(signer, time_zone=time_zone).sign


def sign_staged(staging: Path, names: list[str], sign: Callable[[bytes], bytes]) -> Path:
    """Signed copies of the staged PDFs in a folder of the staging folder, made afresh; the
    staged PDFs stay unsigned, so a resumed call never signs a PDF twice."""
    import shutil

    signed = staging / ".signed"
    shutil.rmtree(signed, ignore_errors=True)
    with step("signing"):
        for n in names:
            target = signed / n
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(sign((staging / n).read_bytes()))
    return signed

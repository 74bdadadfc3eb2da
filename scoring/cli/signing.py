"""The command line's side of signed PDFs: the agency's key opened (its passphrase from the
environment, else asked for without echo), the staged PDFs signed before a run changes, and
the checks ``scoring verify`` adds for every signed PDF of a run. The signing itself is
``scoring.reports.signing``.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from scoring.cli.messages import ERR, step, t

__all__ = ["open_signer", "sign_staged", "signature_checks"]


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


def open_signer(path: Path) -> object:
    """The signer of the PKCS#12 file; its passphrase from the environment, else asked for."""
    from scoring.reports.signing import load_signer, passphrase_from_env, signer_name

    passphrase = passphrase_from_env()
    if passphrase is None:
        passphrase = click.prompt(t("sign_passphrase", file=str(path)), hide_input=True,
                                  default="", show_default=False, err=True)
    signer = load_signer(path, passphrase)
    ERR.print(f"{t('signing_as')}: {escape(signer_name(signer))}")
    return signer


def sign_staged(staging: Path, names: list[str], signer: object) -> Path:
    """Signed copies of the staged PDFs in a folder of the staging folder, made afresh; the
    staged PDFs stay unsigned, so a resumed call never signs a PDF twice."""
    import shutil

    from scoring.reports.signing import sign_pdf

    signed = staging / ".signed"
    shutil.rmtree(signed, ignore_errors=True)
    with step("signing"):
        for n in names:
            target = signed / n
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(sign_pdf((staging / n).read_bytes(), signer))
    return signed

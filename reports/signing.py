"""Signing the reports (PAdES, pyHanko) with the agency's PKCS#12 key, and checking signatures.

The key is loaded once per command (``load_signer``); every PDF is then signed in memory
(``sign_pdf``) and written whole by the caller. ``check_signatures`` is what ``scoring verify``
uses: a signed PDF must be intact and its signature must cover the whole file.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoring.codes import Code
from scoring.errors import ScoringError, issue

__all__ = ["PASSPHRASE_ENV", "Signature", "load_signer", "sign_pdf", "signer_name",
           "check_signatures", "passphrase_from_env"]

# The environment variable holding the passphrase of the PKCS#12 file (never an argument).
PASSPHRASE_ENV = "SCORING_SIGN_PASSPHRASE"
_FIELD = "Signature1"


def _fail(path: Path, code: Code, message: str) -> ScoringError:
    return ScoringError([issue(str(path), None, None, message, code=code)],
                        title="Không ký được báo cáo / Cannot sign the reports")


def load_signer(path: Path, passphrase: str) -> Any:
    """The pyHanko signer of the key and certificate in the PKCS#12 file ``path``."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign.signers import SimpleSigner

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, Code.SIGN_KEY_MISSING,
                    f"không đọc được tệp khoá ký ({exc.strerror}); kiểm tra đường dẫn tệp .p12 "
                    f"/ cannot read the signing key file ({exc.strerror}); check the path of "
                    "the .p12 file") from None
    try:  # the same parser pyHanko uses; its own loader only logs why it failed
        key, cert, _ = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8"))
    except ValueError:
        raise _fail(path, Code.SIGN_KEY_UNREADABLE,
                    f"sai mật khẩu hoặc không phải tệp PKCS#12 (.p12/.pfx); đặt đúng mật khẩu vào "
                    f"biến môi trường {PASSPHRASE_ENV} hoặc xin lại tệp khoá của cơ quan / wrong "
                    "passphrase or not a PKCS#12 (.p12/.pfx) file; set the right passphrase in "
                    f"{PASSPHRASE_ENV} or ask for the agency's key file again") from None
    signer = None if key is None or cert is None else SimpleSigner.load_pkcs12(
        path, passphrase=passphrase.encode("utf-8"))
    if signer is None:
        raise _fail(path, Code.SIGN_KEY_UNREADABLE,
                    "tệp PKCS#12 không có khoá riêng và chứng thư đi kèm; xin tệp có cả hai / the "
                    "PKCS#12 file lacks a private key with its certificate; ask for one with both")
    return signer


def signer_name(signer: Any) -> str:
    """The certificate subject's name, as people read it."""
    return str(signer.signing_cert.subject.human_friendly)


def sign_pdf(data: bytes, signer: Any) -> bytes:
    """``data`` with a PAdES signature (SHA-256) of the whole document by ``signer``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=_FIELD, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()


@dataclass(frozen=True)
class Signature:
    """One signature of a PDF as checked: whole and covering the file, and whose it is."""

    signer: str
    intact: bool
    whole_file: bool

    @property
    def ok(self) -> bool:
        return self.intact and self.whole_file


def check_signatures(path: Path, trust_roots: list[Any] | None = None) -> list[Signature] | None:
    """The signatures of the PDF ``path`` (``None`` if it has none); a PDF damaged so badly that
    it cannot be read any more counts as one broken signature."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    data = path.read_bytes()
    if b"/ByteRange" not in data:
        return None
    context = ValidationContext(trust_roots=trust_roots or [])
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        found = []
        for sig in signatures:
            with _silenced():  # an untrusted root is logged with a traceback; trust is not checked
                status = validate_pdf_signature(sig, signer_validation_context=context)
            found.append(Signature(str(status.signing_cert.subject.human_friendly),
                                   bool(status.intact),
                                   status.coverage == SignatureCoverageLevel.ENTIRE_FILE))
    except Exception:
        return [Signature("?", False, False)]
    return found or [Signature("?", False, False)]


@contextlib.contextmanager
def _silenced() -> Iterator[None]:
    loggers = [logging.getLogger(n) for n in ("pyhanko", "pyhanko_certvalidator")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def passphrase_from_env() -> str | None:
    """The passphrase from ``SCORING_SIGN_PASSPHRASE``, if set."""
    return os.environ.get(PASSPHRASE_ENV)

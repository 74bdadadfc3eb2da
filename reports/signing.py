"""Signing the reports (PAdES, pyHanko) with the agency's PKCS#12 key, and checking signatures.

The key is loaded once per command (``load_signer``); every PDF is then signed in memory
(``sign_pdf``, or a ``ReportSigner`` made once) and written whole by the caller. Where the
document has a signature block (the named destination ``sign-block`` that ``pdf.py`` writes as
the block's rectangle), the signature is visible there: a framed stamp "Ký bởi: <signer>",
"Ngày ký: <date>" in the report font (English in an English document), drawn once per
language and day and reused for every PDF. ``check_signatures`` is what ``scoring verify``
uses: a signed PDF must be intact and its signature must cover the whole file.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from scoring.clock import DEFAULT_TIME_ZONE, agency_today
from scoring.codes import Code
from scoring.errors import ScoringError, issue

from .pdf_cut import SIGN_BLOCK

__all__ = ["PASSPHRASE_ENV", "STAMP_MM", "ReportSigner", "Signature", "load_signer", "sign_pdf",
           "signer_name", "signature_place", "check_signatures", "passphrase_from_env"]

# The environment variable holding the passphrase of the PKCS#12 file (never an argument).
PASSPHRASE_ENV = "SCORING_SIGN_PASSPHRASE"
_FIELD = "Signature1"
STAMP_MM = (62.0, 16.0)  # the visible signature: width, height
_MM = 72 / 25.4
_STAMP_WORDS = {"vi": ("Ký bởi", "Ngày ký"), "en": ("Signed by", "Date signed")}
_CONTENTS = re.compile(rb"/Contents *<([0-9a-fA-F]+)>")


def _fail(path: Path, code: Code, message: str) -> ScoringError:
    return ScoringError([issue(str(path), None, None, message, code=code)],
                        title="Không ký được báo cáo / Cannot sign the reports")


def load_signer(path: Path, passphrase: str) -> Any:
    """The pyHanko signer of the key and certificate in the PKCS#12 file ``path`` (the file
    parsed once; the key kept loaded for every signature)."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    from .kept_key_signer import KeptKeySigner  # pyHanko is imported only when signing

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, Code.SIGN_KEY_MISSING,
                    f"không đọc được tệp khoá ký ({exc.strerror}); kiểm tra đường dẫn tệp .p12 "
                    f"/ cannot read the signing key file ({exc.strerror}); check the path of "
                    "the .p12 file") from None
    try:  # the same parser pyHanko uses; its own loader only logs why it failed
        key, cert, others = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8"))
    except ValueError:
        raise _fail(path, Code.SIGN_KEY_UNREADABLE,
                    f"sai mật khẩu hoặc không phải tệp PKCS#12 (.p12/.pfx); đặt đúng mật khẩu vào "
                    f"biến môi trường {PASSPHRASE_ENV} hoặc xin lại tệp khoá của cơ quan / wrong "
                    "passphrase or not a PKCS#12 (.p12/.pfx) file; set the right passphrase in "
                    f"{PASSPHRASE_ENV} or ask for the agency's key file again") from None
    if key is None or cert is None:
        raise _fail(path, Code.SIGN_KEY_UNREADABLE,
                    "tệp PKCS#12 không có khoá riêng và chứng thư đi kèm; xin tệp có cả hai / the "
                    "PKCS#12 file lacks a private key with its certificate; ask for one with both")
    return KeptKeySigner.of(key, cert, others)


def signer_name(signer: Any) -> str:
    """The certificate subject's name, as people read it."""
    return str(signer.signing_cert.subject.human_friendly)


def common_name(signer: Any) -> str:
    """The certificate subject's common name (the agency), else its whole name."""
    name = signer.signing_cert.subject.native.get("common_name")
    if isinstance(name, list):
        name = ", ".join(name)
    return str(name) if name else signer_name(signer)


def sign_pdf(data: bytes, signer: Any) -> bytes:
    """``data`` with a PAdES signature (SHA-256) of the whole document by ``signer``, visible
    over its signature block if it has one."""
    return _report_signer(signer).sign(data)


@functools.lru_cache(maxsize=4)
def _report_signer(signer: Any) -> ReportSigner:
    return ReportSigner(signer)


class ReportSigner:
    """Signs many PDFs with one key: the pyHanko settings and the invisible signer made once,
    the visible signature's look drawn once per language and day, the room for the signature
    measured once."""

    def __init__(self, signer: Any, *, time_zone: str = DEFAULT_TIME_ZONE) -> None:
        from pyhanko.sign import fields, signers

        self.signer = signer
        self.name = common_name(signer)
        self.time_zone = time_zone
        self._meta = signers.PdfSignatureMetadata(field_name=_FIELD, md_algorithm="sha256",
                                                  subfilter=fields.SigSeedSubFilter.PADES)
        self._invisible = signers.PdfSigner(self._meta, signer)
        self._stamps: dict[tuple[str, date], Any] = {}
        self._reserved: int | None = None  # hex digits of /Contents, from the first signature

    def sign(self, data: bytes) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        _same_producer(writer)
        place = signature_place(writer)
        if place is None:
            pdf_signer = self._invisible
        else:
            page, box = place
            spec = fields.SigFieldSpec(_FIELD, on_page=page, box=box)
            pdf_signer = signers.PdfSigner(self._meta, self.signer, new_field_spec=spec,
                                           stamp_style=self._stamp(_document_lang(writer)))
        signed = pdf_signer.sign_pdf(writer, bytes_reserved=self._reserved).getvalue()
        if self._reserved is None:
            found = _CONTENTS.search(signed, len(data))
            self._reserved = len(found[1]) if found else None
        return signed

    def _stamp(self, lang: str) -> Any:
        """The look of the visible signature in ``lang`` today (drawn once a day)."""
        today = agency_today(self.time_zone)
        key = (lang, today)
        if key not in self._stamps:
            self._stamps[key] = _stamp_style(self.name, today, lang)
        return self._stamps[key]


def _same_producer(writer: Any) -> None:
    """The document information's producer as pyHanko writes it in the XMP (PDF/A wants the
    two to agree; pyHanko would otherwise append itself to the one and replace the other)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    try:
        ref = writer.trailer.raw_get("/Info")
    except KeyError:
        return
    ref.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
    writer.mark_update(ref)


def _document_lang(writer: Any) -> str:
    lang = str(writer.root.get("/Lang", "vi"))[:2].lower()
    return lang if lang in _STAMP_WORDS else "vi"


def _stamp_date(day: date, lang: str) -> str:
    return day.isoformat() if lang == "en" else day.strftime("%d/%m/%Y")


def _stamp_style(name: str, day: date, lang: str) -> Any:
    """A pyHanko stamp style whose whole look is a page drawn by the report renderer (the
    report font, embedded, so the signed file stays PDF/A)."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.stamp import StaticStampStyle

    from .pdf import get_renderer

    signed_by, signed_on = _STAMP_WORDS[lang]
    lines = [f"{signed_by}: {name}", f"{signed_on}: {_stamp_date(day, lang)}"]
    page = get_renderer().stamp_pdf(lines, *STAMP_MM, lang)
    mid = layout.AxisAlignment.ALIGN_MID
    return StaticStampStyle(
        background=_stamp_page_class()(PdfFileReader(io.BytesIO(page))), background_opacity=1.0,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(x_align=mid, y_align=mid,
                                                     margins=layout.Margins.uniform(0)))


@functools.cache
def _stamp_page_class() -> type:
    """The pyHanko content class of the stamp (made on first use: pyHanko loads lazily)."""
    from pyhanko.pdf_utils import content, generic, layout

    class StampPage(content.PdfContent):
        """Page 0 of a parsed PDF as a form XObject of the writer being signed (parsed once,
        imported into each signed file)."""

        def __init__(self, reader: Any) -> None:
            x1, y1, x2, y2 = (float(v) for v in reader.root["/Pages"]["/Kids"][0]["/MediaBox"])
            super().__init__(box=layout.BoxConstraints(width=x2 - x1, height=y2 - y1))
            self.reader = reader

        def render(self) -> bytes:
            self._resources = content.PdfResources()  # this writer's, not the last one's
            xobject = self._ensure_writer.import_page_as_xobject(self.reader, page_ix=0)
            self._resources.xobject[generic.pdf_name("/Stamp")] = xobject
            return b"/Stamp Do"

    return StampPage


def signature_place(pdf: Any) -> tuple[int, tuple[int, int, int, int]] | None:
    """Where the visible signature goes (pyHanko reader or writer ``pdf``): the page index and
    the field's rectangle, ``STAMP_MM`` centred on the signature block and at its foot (the
    room left for a signature under the title and note); ``None`` without a block."""
    try:
        names = pdf.root["/Names"]["/Dests"]["/Names"]
    except (KeyError, TypeError):
        return None
    dest = next((names[k + 1].get_object() for k in range(0, len(names) - 1, 2)
                 if str(names[k]) == SIGN_BLOCK), None)
    if isinstance(dest, dict):  # pypdf writes a go-to action holding the destination
        dest = dest.get("/D")
    if dest is None or len(dest) != 6 or str(dest[1]) != "/FitR":
        return None
    page = _page_index(pdf, dest.raw_get(0))
    if page is None:
        return None
    left, bottom, right, top = (float(dest[k]) for k in range(2, 6))
    width = min(STAMP_MM[0] * _MM, right - left)
    height = min(STAMP_MM[1] * _MM, top - bottom)
    x = (left + right - width) / 2
    y = bottom + min(1.5 * _MM, top - bottom - height)
    return page, (round(x), round(y), round(x + width), round(y + height))


def _page_index(pdf: Any, ref: Any) -> int | None:
    """The index of the page ``ref`` points at, looked for from the last page (where the
    signature block usually is)."""
    count = int(pdf.root["/Pages"]["/Count"])
    target = getattr(ref, "idnum", None)
    for back in range(1, count + 1):
        page_ref, _ = pdf.find_page_for_modification(-back)
        if getattr(page_ref, "idnum", None) == target:
            return count - back
    return None


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

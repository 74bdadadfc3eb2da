"""What a PDF cut from another one by pages (pypdf) keeps so that it is still PDF/A and
still has a place for a visible signature.

A person's slip is some pages of the unit's slips document (``slips.split_slips``). Pages
alone would lose what makes the document PDF/A (its XMP metadata with the PDF/A
identification, the sRGB output intent, the document information that matches the XMP, the
language and a file identifier) and the rectangle of the signature block (``pdf.py`` writes it
as a named destination). No Jinja2, no WeasyPrint.
"""

from __future__ import annotations

import hashlib
from typing import Any

__all__ = ["SIGN_ANCHOR", "SIGN_BLOCK", "keep_archival_parts", "keep_signature_place"]

# HTML ids of signature blocks start with this; "sign-block" is a document's one block, a
# unit's slips have "sign-slip-<n>" (the head's block of each slip)
SIGN_ANCHOR = "sign-"
SIGN_BLOCK = "sign-block"


def keep_archival_parts(reader: Any, writer: Any, key: str) -> None:
    """Copy the PDF/A parts of ``reader``'s document into ``writer`` (both pypdf). The file
    identifier is derived from the source's and ``key`` (same source, same bytes)."""
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject

    root = reader.trailer["/Root"]
    for name in ("/Metadata", "/OutputIntents", "/Lang", "/MarkInfo"):
        if name in root:
            writer.root_object[NameObject(name)] = root.raw_get(name).clone(writer)
    if reader.metadata is not None:  # the same values as the XMP (PDF/A): WeasyPrint's
        writer.add_metadata({k: v for k, v in reader.metadata.items()})
    source_id = reader.trailer.get("/ID")
    first = bytes(source_id[0].original_bytes) if source_id else b""
    ident = hashlib.md5(first + key.encode("utf-8"), usedforsecurity=False).digest()
    # pypdf has no public setter for the trailer's /ID; it writes this one as given
    writer._ID = ArrayObject([ByteStringObject(ident), ByteStringObject(ident)])
    writer.pdf_header = b"%PDF-1.7"


def keep_signature_place(reader: Any, dests: dict[str, Any], writer: Any, anchor: str,
                         first: int, end: int) -> None:
    """The rectangle of the signature block named ``anchor`` (in ``dests``, ``reader``'s named
    destinations), if it lies on the pages ``first``..``end - 1`` copied to ``writer`` (in
    order, from its page 0), as the copy's own ``sign-block`` destination."""
    from pypdf.generic import Fit

    dest = dests.get(anchor)
    if dest is None or dest.typ != "/FitR":
        return
    page = reader.get_destination_page_number(dest)
    if page is None or not first <= page < end:
        return
    fit = Fit.fit_rectangle(dest.left, dest.bottom, dest.right, dest.top)
    writer.add_named_destination(SIGN_BLOCK, page - first, fit=fit)

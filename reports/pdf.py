"""Steps 2 and 3 of a report: HTML with Jinja2, then PDF with WeasyPrint.

This is the only module that imports Jinja2 or WeasyPrint. It never imports Polars, so worker
processes stay small. Everything a worker parses once (templates, the stylesheet, the bundled
fonts, the font's character coverage) lives in one ``Renderer`` per process.

Every PDF is PDF/A-2b (``PDF_VARIANT``; docs/reports.md says why), with its dates and file
identifier pinned to the run, so the same inputs give the same bytes. The named destination of
a signature block (an HTML id starting ``sign-``) is the block's whole rectangle, for the
visible signature of ``signing.py``.

Safety: templates autoescape and use ``StrictUndefined``; WeasyPrint fetches resources only
through ``PackageURLFetcher``, which serves files inside the installed ``scoring.reports``
package and refuses everything else (network, other paths, data: URLs).
"""

from __future__ import annotations

import gc
import html as html_escape
import logging
import multiprocessing.util
import os
import re
import shutil
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from fontTools.ttLib import TTFont
from weasyprint import CSS, HTML
from weasyprint.logger import LOGGER as WEASYPRINT_LOGGER
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import i18n
from .formatting import fmt_number
from .lifetime import die_with_parent
from .pdf_cut import SIGN_ANCHOR

__all__ = [
    "PDF_VARIANT",
    "SIGN_ANCHOR",
    "FONT_FILES",
    "SERIF_FILES",
    "MONO_FILES",
    "RefusedResource",
    "PackageURLFetcher",
    "RenderJob",
    "RenderResult",
    "Renderer",
    "assets_root",
    "get_renderer",
    "init_worker",
    "render_job",
    "renderer_loads",
    "subset_backend",
]

LOGGER = logging.getLogger("scoring.reports")

# ISO 19005-2 level B: archival PDF that keeps the charts' transparency (not allowed in PDF/A-1)
# and allows PAdES signatures; level A would add a tagged structure WeasyPrint only half makes.
PDF_VARIANT = "pdf/a-2b"
_CSS_PX_TO_PT = 0.75  # 72 PDF points per inch / 96 CSS pixels per inch

SERIF_FILES = (
    "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic.ttf",
)
MONO_FILES = ("LiberationMono-Regular.ttf",)  # only for the plain-text criteria diff
FONT_FILES = SERIF_FILES + MONO_FILES


def assets_root() -> Path:
    """The folder of the installed ``scoring.reports`` package (templates, static, fonts)."""
    root = files("scoring.reports")
    if not isinstance(root, Path):  # e.g. a zipped install: fonts must be real files
        raise RuntimeError("scoring.reports must be installed as files on disk")
    return root.resolve()


class RefusedResource(ValueError):
    """A report asked for a resource outside the bundled package; it is not fetched."""


class PackageURLFetcher(URLFetcher):
    """Serve ``file:`` URLs inside ``root`` only; refuse every other URL.

    WeasyPrint turns the refusal into a logged error and renders without the resource, which
    the tests (and ``Renderer.render``) treat as a failure.
    """

    def __init__(self, root: Path) -> None:
        super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False)
        self.root = Path(root).resolve()
        self.refused: list[str] = []

    def resolve(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            self.refused.append(url)
            raise RefusedResource(f"refused (not a bundled file): {url}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            self.refused.append(url)
            raise RefusedResource(f"refused (outside the report package): {url}")
        return path

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self.resolve(url)
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes())


def subset_backend() -> str:
    """Which font subsetter WeasyPrint uses here: ``harfbuzz`` or ``fonttools``."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0):
        return "harfbuzz"
    return "fonttools"


@dataclass(frozen=True, slots=True)
class RenderJob:
    """One PDF to write: which template, its context, where, and its PDF identifier."""

    template: str
    context: Any
    out_path: str
    identifier: str


@dataclass(frozen=True, slots=True)
class RenderResult:
    """What a job gives back: the PDF's bytes (``data``) for the caller to write, and figures.

    The caller (``jobs.run_jobs``) writes ``data`` to ``path``, then keeps the result with
    ``data`` emptied and ``sha256`` set; ``skipped`` marks a PDF found already written.
    """

    path: str
    data: bytes
    pages: int
    seconds: float  # wall clock in the rendering process
    cpu_seconds: float  # CPU time of the rendering process (robust to a busy machine)
    warnings: tuple[str, ...]
    # For the benchmark's timeline: the rendering process, when the job ran (perf_counter,
    # one clock for all processes on Linux) and that process's CPU time so far (its start-up
    # and every job it rendered until this one).
    pid: int = 0
    started: float = 0.0
    ended: float = 0.0
    process_cpu: float = 0.0
    sha256: str = ""
    skipped: bool = False


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


# Whitespace between a tag and the next block-level or table tag (the templates' indentation)
# is never rendered, but the HTML parser and the box builder pay for every such text node.
_INDENT = re.compile(
    r">[ \t\r\n]+<(?=/?(?:html|head|body|meta|title|style|table|thead|tbody|tr|td|th|colgroup"
    r"|col|div|p|h2|h3|ul|li|svg|g|rect|line|text)[ >/])"
)


def _num(value: float | int | None, lang: str) -> str:
    return fmt_number(value, lang)


@contextmanager
def _young_garbage_only() -> Iterator[None]:
    """Run a render without the cyclic garbage collector, then collect what it left.

    A render allocates some 10^5 to 10^6 objects (boxes, styles, line layouts) that survive
    until the PDF is written. With the collector on, each full collection during the render
    walks all of them again: measured with ``gc.callbacks``, 15-18 % of the CPU time of a
    unit report went to the collector. With the collector paused, nothing is promoted, so a
    generation-0 collection afterwards frees the render's reference cycles by walking only
    the objects the render allocated (~5 % of the CPU time), never the older heap.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(0)


class Renderer:
    """Per-process rendering state: templates, stylesheet, fonts (parsed once)."""

    def __init__(self) -> None:
        global _LOADS
        _LOADS += 1
        self.root = assets_root()
        self.fetcher = PackageURLFetcher(self.root)
        self.font_config = FontConfiguration()
        collect = _Collect()
        WEASYPRINT_LOGGER.addHandler(collect)
        try:
            self.stylesheet = CSS(
                filename=str(self.root / "static" / "report.css"),
                url_fetcher=self.fetcher,
                font_config=self.font_config,
            )
        finally:
            WEASYPRINT_LOGGER.removeHandler(collect)
        if collect.messages:  # a broken stylesheet or a font that cannot load: a packaging bug
            raise RuntimeError("report stylesheet or fonts: " + "; ".join(collect.messages))
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.root / "templates")),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self.env.filters["num"] = _num
        self.env.globals["texts"] = i18n.TEXTS
        self.coverage = self._coverage(SERIF_FILES)
        self.mono_coverage = self.coverage & self._coverage(MONO_FILES)

    def _coverage(self, names: tuple[str, ...]) -> frozenset[int]:
        """Code points every one of the given bundled faces can draw."""
        covered: set[int] | None = None
        for name in names:
            font = TTFont(self.root / "fonts" / name, lazy=True)
            cmap = set(font.getBestCmap())
            font.close()
            covered = cmap if covered is None else covered & cmap
        return frozenset(covered or ())

    def html(self, template: str, context: Any) -> str:
        lang = getattr(getattr(context, "doc", None), "lang", None) or getattr(context, "lang", "vi")
        t = i18n.TEXTS[str(lang)]
        html = self.env.get_template(template).render(c=context, t=t, lang=lang)
        return i18n.nfc(_INDENT.sub("><", html))

    def missing_glyphs(self, html: str, *, mono: bool = False) -> list[str]:
        """Characters of the page that the bundled fonts cannot draw (``U+XXXX 'c'``)."""
        coverage = self.mono_coverage if mono else self.coverage
        chars = {ch for ch in set(html) if ord(ch) > 0x20 and ord(ch) not in coverage}
        chars -= {"\u00ad", "\ufeff"}
        return [f"U+{ord(ch):04X} {ch!r}" for ch in sorted(chars)]

    def pdf_bytes(self, html: str, identifier: str) -> tuple[bytes, int]:
        """The PDF/A of ``html`` and its page count. Nothing is written: the caller writes."""
        document = HTML(
            string=html,
            base_url=(self.root / "templates").as_uri() + "/",
            url_fetcher=self.fetcher,
        ).render(stylesheets=[self.stylesheet], font_config=self.font_config,
                 pdf_variant=PDF_VARIANT)
        with warnings.catch_warnings():
            # WeasyPrint opens its sRGB profile for the PDF/A output intent and never closes
            # the file (read whole, then dropped): not ours to report, and nothing leaks
            warnings.filterwarnings("ignore", r"unclosed file .*sRGB2014\.icc", ResourceWarning)
            data = document.write_pdf(pdf_identifier=identifier.encode("ascii"),
                                      pdf_variant=PDF_VARIANT, finisher=_signature_rectangles)
        return data, len(document.pages)

    def stamp_pdf(self, lines: list[str], width_mm: float, height_mm: float, lang: str) -> bytes:
        """A one-page PDF of ``width_mm`` × ``height_mm`` with ``lines`` in the report font,
        framed: the look of a visible signature (``signing.py`` puts it on the documents). A
        long signer's name gets a smaller font rather than a second page."""
        rows = "".join(f"<div>{html_escape.escape(line)}</div>" for line in lines)
        for size in (9, 8, 7, 6, 5):
            page = (
                f'<!DOCTYPE html><html lang="{html_escape.escape(lang)}"><head>'
                f'<meta charset="utf-8"><style>@page {{ size: {width_mm}mm {height_mm}mm; '
                "margin: 0 } body { margin: 0 } table.stamp { width: 100%; height: "
                f"{height_mm}mm; border-collapse: collapse; border: 0.8pt solid #a00000; "
                "color: #a00000 } table.stamp td { vertical-align: middle; padding: 0.6mm 2mm; "
                f"font-size: {size}pt; line-height: 1.2; text-align: left }}</style></head>"
                f'<body><table class="stamp"><tr><td>{rows}</td></tr></table></body></html>'
            )
            data, pages = self.pdf_bytes(i18n.nfc(page), "0" * 32)
            if pages == 1:
                break
        return data

    def render(self, job: RenderJob) -> RenderResult:
        start, cpu = time.perf_counter(), time.process_time()
        collect = _Collect()
        WEASYPRINT_LOGGER.addHandler(collect)
        try:
            with _young_garbage_only():
                html = self.html(job.template, job.context)
                missing = self.missing_glyphs(html, mono=job.template == "diff.html.j2")
                if missing:
                    msg = f"missing glyphs in the bundled font: {', '.join(missing)}"
                    collect.messages.append(f"WARNING: {msg}")
                    LOGGER.warning("%s: %s", Path(job.out_path).name, msg)
                data, pages = self.pdf_bytes(html, job.identifier)
        finally:
            WEASYPRINT_LOGGER.removeHandler(collect)
        end = time.perf_counter()
        return RenderResult(
            path=job.out_path,
            data=data,
            pages=pages,
            seconds=end - start,
            cpu_seconds=time.process_time() - cpu,
            warnings=tuple(collect.messages),
            pid=os.getpid(),
            started=start,
            ended=end,
            process_cpu=time.process_time(),
        )


def _signature_rectangles(document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: each signature block's named destination becomes its whole border
    box (``/FitR left bottom right top``, in PDF points) instead of its top-left point."""
    names = pdf.catalog.get("Names", {}).get("Dests", {}).get("Names")
    if not names:
        return
    boxes: dict[str, tuple[float, tuple[float, float, float, float]]] = {}
    for page in document.pages:
        for name, box in page.anchors.items():
            if name.startswith(SIGN_ANCHOR) and name not in boxes and len(box) == 4:
                boxes[name] = (page.height, box)  # the first of a duplicated id, as WeasyPrint
    for k in range(0, len(names) - 1, 2):
        found = boxes.get(str(getattr(names[k], "string", "")))
        if found is None:
            continue
        height, (x1, y1, x2, y2) = found
        s = _CSS_PX_TO_PT
        names[k + 1][1:] = ["/FitR", x1 * s, (height - y2) * s, x2 * s, (height - y1) * s]


_RENDERER: Renderer | None = None
_LOADS = 0  # renderers made in this process: fonts, stylesheet and templates parsed


def renderer_loads() -> int:
    """How many times this process parsed the fonts, stylesheet and templates (1 in a worker)."""
    return _LOADS


def get_renderer() -> Renderer:
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = Renderer()
    return _RENDERER


def _remove_font_folder(fonts: FontConfiguration) -> None:
    folder = getattr(fonts, "_folder", None)  # WeasyPrint's own temporary copies of the fonts
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def init_worker() -> None:
    """ProcessPoolExecutor initializer: parse fonts, stylesheet and templates once.

    Then freeze what exists (modules, stylesheet, fonts, templates) out of the collector's
    reach: a worker process only renders, so none of it will ever be garbage, and the
    collections after each job never walk it again.
    """
    die_with_parent()
    renderer = get_renderer()
    # a worker ends by os._exit, which never runs the fonts' __del__ that removes their
    # temporary folder; multiprocessing runs this at the worker's exit instead
    multiprocessing.util.Finalize(renderer, _remove_font_folder, args=(renderer.font_config,),
                                  exitpriority=10)
    for name in ("unit.html.j2", "summary.html.j2", "criteria.html.j2", "slips.html.j2",
                 "notice.html.j2"):
        renderer.env.get_template(name)  # compiled before the freeze, shared by every job
    gc.collect()
    gc.freeze()


_RENDER_LOCK = threading.Lock()


def render_job(job: RenderJob) -> RenderResult:
    """The job function of every backend (in process, process pool, Dask): one PDF as bytes.

    One render at a time per process: the renderer's state and the paused garbage collector
    are process-wide (a Dask worker started with several threads still renders correctly).
    """
    with _RENDER_LOCK:
        return get_renderer().render(job)

"""The PDF reports layer: contents read back from the PDFs, scope, layout smoke tests,
determinism, the resource fetcher, fonts, and the import boundary."""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

try:
    from report_fixtures import Person, Unit, descendants, sized_tree, small_tree, write_run
except ImportError:  # tests/ collected as a package
    from tests.report_fixtures import (  # type: ignore[no-redef]
        Person,
        Unit,
        descendants,
        sized_tree,
        small_tree,
        write_run,
    )

from scoring.reports.formatting import fmt_number, fmt_points, slug, unit_file_name
from scoring.reports.render import (
    CRITERIA_FILE,
    SUMMARY_FILE,
    last_results,
    render_criteria_sheet,
    render_run_reports,
)

ROOT = Path(__file__).resolve().parents[2]
CRITERIA_PATH = ROOT / "criteria" / "skhcn-quy-2025.yaml"
AGENCY = "UBND TỈNH QUẢNG NGÃI\nSỞ KHOA HỌC VÀ CÔNG NGHỆ"

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm, pdffonts) not installed",
)
pytestmark = needs_poppler


# ---------------------------------------------------------------------------------------------
# helpers


@contextlib.contextmanager
def render_warnings() -> Iterator[list[str]]:
    """Collect WARNING+ records of WeasyPrint and of the reports layer (missing glyphs,
    refused resources, CSS problems, font fallbacks)."""
    messages: list[str] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(f"{record.name}: {record.getMessage()}")

    handler = Handler(logging.WARNING)
    loggers = [logging.getLogger("weasyprint"), logging.getLogger("scoring.reports")]
    for lg in loggers:
        lg.addHandler(handler)
    try:
        yield messages
    finally:
        for lg in loggers:
            lg.removeHandler(handler)


def pdf_text(path: Path, *, layout: bool = False, page: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(path), "-"], check=True, capture_output=True).stdout
    return unicodedata.normalize("NFC", out.decode("utf-8"))


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])  # type: ignore[index]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def has_name(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", flat(text)) is not None


@pytest.fixture(scope="module")
def criteria():
    loader = pytest.importorskip("scoring.rules.loader")
    if not CRITERIA_PATH.is_file():
        pytest.skip(f"{CRITERIA_PATH} not found")
    return loader.load_criteria_file(CRITERIA_PATH)


@pytest.fixture(scope="module")
def small_run(criteria, tmp_path_factory):
    """The 4-unit fixture, two earlier quarters as siblings, rendered once with 1 worker."""
    base = tmp_path_factory.mktemp("runs")
    units, people = small_tree()
    write_run(base / "2024-Q3", criteria, units, people, period="2024-Q3", run_date="2024-10-04",
              seed=2)
    write_run(base / "2024-Q4", criteria, units, people, period="2024-Q4", run_date="2025-01-06",
              seed=1)
    run = write_run(base / "2025-Q1", criteria, units, people)
    out = base / "reports-1"
    with render_warnings() as warnings:
        paths = render_run_reports(run, criteria, out_dir=out, workers=1, agency=AGENCY,
                                   place="Quảng Ngãi")
    results = last_results()
    return {"run": run, "out": out, "paths": paths, "results": results, "units": units,
            "people": people, "warnings": warnings}


# ---------------------------------------------------------------------------------------------
# pure helpers


def test_file_names_are_ascii_slugs():
    assert unit_file_name("VP", "Văn phòng") == "don-vi_VP_van-phong.pdf"
    assert unit_file_name("CC-DL", "Phòng Quản lý Đo lường") == "don-vi_CC-DL_phong-quan-ly-do-luong.pdf"
    assert slug("Kế hoạch – Tài chính / 2025") == "ke-hoach-tai-chinh-2025"
    assert unit_file_name("../x", "<b>") == "don-vi_x_b.pdf"
    assert unit_file_name("Đ", "!!") == "don-vi_D_x.pdf"


def test_unit_file_names_are_unique_after_case_folding():
    from scoring.reports.formatting import unit_file_names

    pairs = [("VP", "Văn phòng"), ("vp", "Văn phòng"), ("Đ-1", "Tổ A"), ("D.1", "To a"),
             ("KT", "Kế toán")]
    names = unit_file_names(pairs)
    assert len({n.casefold() for n in names}) == len(names)
    assert names[-1] == "don-vi_KT_ke-toan.pdf"  # a name that collides with none is unchanged
    assert names[0].startswith("don-vi_VP_van-phong_") and names[1].startswith("don-vi_vp_van-phong_")
    assert unit_file_names(pairs[::-1]) == names[::-1]  # the name does not depend on the order


def test_units_whose_ids_differ_only_by_case_get_two_distinct_pdfs(criteria, tmp_path):
    """On a case-insensitive file system (Windows, macOS) don-vi_VP_… and don-vi_vp_… are one
    file: one unit's report would overwrite the other's."""
    units = [Unit("SO", "Sở Khoa học và Công nghệ", None, "board"),
             Unit("VP", "Văn phòng", "SO", "office"), Unit("vp", "Văn phòng", "SO", "office")]
    people = [Person("E1", "Nguyễn Văn An", "SO", "director"),
              Person("E2", "Trần Thị Bình", "VP", "head"),
              Person("E3", "Lê Minh Cường", "vp", "head")]
    run = write_run(tmp_path / "run", criteria, units, people)
    paths = render_run_reports(run, criteria, out_dir=tmp_path / "out", workers=1)
    unit_pdfs = [p for p in paths if p.name.startswith("don-vi_")]
    assert len({p.name.casefold() for p in unit_pdfs}) == 3
    by_unit = {p.name.split("_")[1]: pdf_text(p) for p in unit_pdfs}
    assert has_name(by_unit["VP"], "Trần Thị Bình") and not has_name(by_unit["VP"], "Lê Minh Cường")
    assert has_name(by_unit["vp"], "Lê Minh Cường") and not has_name(by_unit["vp"], "Trần Thị Bình")


def test_number_format_follows_language():
    assert fmt_number(1250.5, "vi") == "1.250,5"
    assert fmt_number(1250.5, "en") == "1,250.5"
    assert fmt_points(87.0, "vi") == "87"
    assert fmt_points(-0.0, "vi") == "0"
    assert fmt_points(None, "vi") == "–"


# ---------------------------------------------------------------------------------------------
# the rendered set


def test_every_report_is_written_without_warnings(small_run):
    out = small_run["out"]
    names = [p.relative_to(out).as_posix() for p in small_run["paths"]]
    units = [
        "don-vi_SO_so-khoa-hoc-va-cong-nghe.pdf",
        "don-vi_VP_van-phong-so.pdf",
        "don-vi_CC_chi-cuc-tieu-chuan-do-luong-chat-luong.pdf",
        "don-vi_CC-DL_phong-quan-ly-do-luong.pdf",
    ]
    assert names[:6] == [*units, SUMMARY_FILE, CRITERIA_FILE]
    # then each unit's slips (units with people of their own), the notice, each person's slip
    slips = [n for n in names[6:] if n.count("/") == 1]
    assert slips and all(n.removeprefix("phieu/") in units for n in slips)
    assert names[6 + len(slips)] == "thong-bao-cong-khai.pdf"
    people = names[7 + len(slips):]
    assert people and all(n.count("/") == 2 and n.startswith("phieu/") for n in people)
    assert small_run["warnings"] == []
    assert all(r.warnings == () for r in small_run["results"])
    # nothing half-written is left behind
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(names)


def test_page_counts_match(small_run):
    for res in small_run["results"]:
        assert pdf_pages(Path(res.path)) == res.pages >= 1
        last = pdf_text(Path(res.path), page=res.pages)
        if Path(res.path).parent.name == "phieu":  # slips are cut into people: no page counter
            assert "Trang " not in last
            continue
        assert f"Trang {res.pages}/{res.pages}" in last


def test_unit_reports_show_names_totals_and_ratings_of_the_scores_table(small_run):
    scores = pl.read_parquet(small_run["run"] / "scores.parquet")
    units = small_run["units"]
    for unit in units:
        path = small_run["out"] / unit_file_name(unit.unit_id, unit.name)
        lines = pdf_text(path, layout=True).splitlines()
        scope = descendants(units, unit.unit_id)
        in_scope = scores.filter(pl.col("unit_id").is_in(sorted(scope)))
        for row in in_scope.iter_rows(named=True):
            line = next((ln for ln in lines if has_name(ln, row["full_name"])), None)
            assert line is not None, (unit.unit_id, row["full_name"])
            rest = line.split(row["full_name"], 1)[1].split()
            rating = row["rating"] if row["status"] == "rated" else "KXL"
            assert fmt_points(row["total"], "vi") in rest, (row["full_name"], line)
            assert rating in rest, (row["full_name"], line)
        others = scores.filter(~pl.col("unit_id").is_in(sorted(scope)))
        text = pdf_text(path)
        for name in others["full_name"]:
            assert not has_name(text, name), (unit.unit_id, name)


def test_unit_report_layout_text(small_run):
    path = small_run["out"] / "don-vi_VP_van-phong-so.pdf"
    first = flat(pdf_text(path, page=1))
    for expected in (
        "UBND TỈNH QUẢNG NGÃI",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Quảng Ngãi, ngày 05 tháng 4 năm 2025",  # from manifest run_date, never the clock
        "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG QUÝ I/2025",
        "Văn phòng Sở",
        "skhcn_quarterly",
        "phiên bản 2025.1",
        "Trang 1/",
    ):
        assert expected in first, expected
    every = flat(pdf_text(path))
    assert "Nơi nhận:" in every and "Như trên;" in every and "Lưu: VT, TCCB." in every
    # footer with the short SHA-256 of the criteria on every page
    manifest_sha = (small_run["run"] / "manifest.json").read_text(encoding="utf-8")
    sha = re.search(r'"sha256": "([0-9a-f]{64})"', manifest_sha)[1]  # type: ignore[index]
    pages = pdf_pages(path)
    for page in range(1, pages + 1):
        text = flat(pdf_text(path, page=page))
        assert f"SHA-256 {sha[:12]}" in text and f"Trang {page}/{pages}" in text


def test_explanations_list_every_adjusted_person(small_run):
    ex = pl.read_parquet(small_run["run"] / "explanations.parquet")
    scores = pl.read_parquet(small_run["run"] / "scores.parquet")
    root = small_run["out"] / "don-vi_SO_so-khoa-hoc-va-cong-nghe.pdf"
    section = flat(pdf_text(root)).split("GIẢI TRÌNH", 1)[1]
    adjusted = ex.filter(
        pl.col("kind").is_in(["override", "quota", "status"])
        | (pl.col("kind").is_in(["deduction", "bonus", "clip"]) & (pl.col("points") != 0))
    )["employee_id"].unique()
    assert len(adjusted) > 0
    for row in scores.filter(pl.col("employee_id").is_in(adjusted)).iter_rows(named=True):
        assert has_name(section, row["full_name"])
    for row in ex.filter(pl.col("kind") == "override").iter_rows(named=True):
        assert flat(row["label"])[:40] in section
        if row["record_ids"]:
            assert row["record_ids"] in section


def test_summary_shows_every_unit_and_override_counts(small_run):
    text = flat(pdf_text(small_run["out"] / SUMMARY_FILE))
    for unit in small_run["units"]:
        assert unit.name in text
    assert "TÁC ĐỘNG CỦA CÁC QUY ĐỊNH ĐIỀU CHỈNH XẾP LOẠI" in text
    assert "NHỮNG ĐIỂM CẦN LƯU Ý" in text
    units = pl.read_parquet(small_run["run"] / "units.parquet")
    root = units.filter(pl.col("level") == 0).row(0, named=True)
    assert f"{root['headcount']} người" in text
    for name in (p.full_name for p in small_run["people"]):
        assert not has_name(text, name)  # the summary names units, not people


def test_trend_uses_earlier_sibling_runs(small_run, criteria):
    from scoring.reports.builder import ReportBuilder
    from scoring.reports.run_reader import discover_history, load_run

    text = flat(pdf_text(small_run["out"] / "don-vi_VP_van-phong-so.pdf"))
    assert "DIỄN BIẾN QUA CÁC KỲ" in text
    assert "Quý III/2024" in text and "Quý IV/2024" in text
    found = discover_history(small_run["run"], "2025-Q1")
    assert [p.name for p in found] == ["2024-Q3", "2024-Q4"]  # oldest first, never the run itself
    assert discover_history(small_run["run"], "2024-Q4") == (found[0],)
    without = ReportBuilder(load_run(small_run["run"]), criteria)  # history=[] turns it off
    assert without.unit_report("VP").trend is None


def test_pages_rasterise(small_run, tmp_path):
    pdf = small_run["out"] / "don-vi_SO_so-khoa-hoc-va-cong-nghe.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000


def test_only_the_bundled_font_is_embedded(small_run):
    for path in small_run["paths"]:
        out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
        fonts = [ln.split()[0] for ln in out.stdout.splitlines()[2:] if ln.strip()]
        assert fonts, path
        for font in fonts:
            assert re.fullmatch(r"[A-Z]{6}\+ReportSerif(-Bold)?(-Italic)?", font), font


def test_long_unit_repeats_table_header(criteria, tmp_path):
    from scoring.reports import pdf
    from scoring.reports.builder import ReportBuilder
    from scoring.reports.run_reader import load_run

    units, people = sized_tree(1, 60)
    run = write_run(tmp_path / "run", criteria, units, people)
    ctx = ReportBuilder(load_run(run), criteria).unit_report("SO")
    paths = [tmp_path / "so.pdf"]
    with render_warnings() as warnings:
        result = pdf.render_job(pdf.RenderJob("unit.html.j2", ctx, str(paths[0]), "0" * 32))
    assert warnings == [] and result.warnings == ()
    paths[0].write_bytes(result.data)  # a job gives bytes; its runner writes them
    pages = pdf_pages(paths[0])
    assert pages >= 3
    staff_pages = 0
    for page in range(1, pages + 1):
        text = pdf_text(paths[0], layout=True, page=page)
        in_explanations = "GIẢI TRÌNH" in text
        lines = text.split("GIẢI TRÌNH")[0].splitlines()
        rows = [ln for ln in lines for p in people
                if re.match(rf"\s*\d+\s+{re.escape(p.employee_id)}\s+{re.escape(p.full_name)}(?!\w)", ln)]
        if rows:
            staff_pages += 1
            assert any("Họ và tên" in ln for ln in lines), page  # thead repeated
            for ln in rows:  # rows are never split: name, total and rating on one line
                assert re.search(r"\b(HTXS|HTT|HT|KHT|KXL)\b", ln), ln
        if in_explanations:
            break
    assert staff_pages >= 2


def test_english_labels(small_run, criteria, tmp_path):
    paths = render_run_reports(small_run["run"], criteria, out_dir=tmp_path, lang="en",
                               workers=2, agency=AGENCY, place="Quảng Ngãi")
    text = flat(pdf_text(paths[1]))
    assert "SOCIALIST REPUBLIC OF VIET NAM" in text
    assert "Independence - Freedom - Happiness" in text
    assert "Quảng Ngãi, 5 April 2025" in text
    assert "REPORT ON QUALITY EVALUATION AND RATING, Q1 2025" in text
    assert "Page 1/" in text
    assert "Compliance with traffic-safety law" in text


# ---------------------------------------------------------------------------------------------
# determinism


def test_same_inputs_give_the_same_bytes_with_one_or_two_workers(small_run, criteria, tmp_path):
    with render_warnings() as warnings:
        paths = render_run_reports(small_run["run"], criteria, out_dir=tmp_path,
                                   workers=2, agency=AGENCY, place="Quảng Ngãi")
    assert warnings == []
    assert all(r.warnings == () for r in last_results())
    for a, b in zip(small_run["paths"], paths, strict=True):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes(), a.name


def test_pdf_identifier_and_dates_come_from_the_run(small_run, criteria):
    from pypdf import PdfReader
    from scoring.reports.builder import ReportBuilder
    from scoring.reports.run_reader import load_run

    expected = ReportBuilder(load_run(small_run["run"]), criteria).unit_report("SO")
    reader = PdfReader(small_run["paths"][0])
    ident = [str(part) for part in reader.trailer["/ID"]]
    # first half: our identifier (a hash of the run's inputs), second: a hash of the content
    assert ident[0] == expected.doc.meta.identifier
    assert re.fullmatch(r"[0-9a-f]{32}", ident[1])
    assert reader.metadata["/CreationDate"].startswith("D:20250405")
    assert reader.metadata["/ModDate"].startswith("D:20250405")


# ---------------------------------------------------------------------------------------------
# the scope of a unit report, over random organisation trees

_family = st.sampled_from(("Nguyễn", "Trần", "Lê", "Phạm", "Võ", "Đặng", "Bùi", "Hồ"))
_middle = st.sampled_from(("Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thu"))
_given = st.sampled_from(("An", "Anh", "Bình", "Hà", "Hải", "Lan", "Long", "Nam", "Tâm", "Yến"))


@st.composite
def org_trees(draw):
    n_units = draw(st.integers(1, 4))
    units = []
    for k in range(n_units):
        parent = None if k == 0 else f"U{draw(st.integers(0, k - 1))}"
        units.append(Unit(f"U{k}", f"Đơn vị số {k}", parent, "division" if k else "board"))
    names = draw(
        st.lists(st.tuples(_family, _middle, _given).map(" ".join), min_size=1, max_size=7,
                 unique=True)
    )
    people = [
        Person(f"E{i:03d}", name, f"U{draw(st.integers(0, n_units - 1))}",
               draw(st.sampled_from(("head", "deputy_head", "staff"))))
        for i, name in enumerate(names)
    ]
    return units, people


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=org_trees(), seed=st.integers(0, 5))
def test_a_unit_report_contains_exactly_its_scope(criteria, tree, seed):
    from scoring.reports import pdf
    from scoring.reports.builder import ReportBuilder
    from scoring.reports.run_reader import load_run

    units, people = tree
    with tempfile.TemporaryDirectory() as tmp:
        run = write_run(Path(tmp) / "run", criteria, units, people, seed=seed)
        builder = ReportBuilder(load_run(run), criteria)
        renderer = pdf.get_renderer()
        for unit in units:
            ctx = builder.unit_report(unit.unit_id)
            out = Path(tmp) / f"{unit.unit_id}.pdf"
            result = renderer.render(pdf.RenderJob("unit.html.j2", ctx, str(out), "x" * 32))
            assert result.warnings == ()
            out.write_bytes(result.data)
            text = pdf_text(out)
            scope = descendants(units, unit.unit_id)
            for p in people:
                assert has_name(text, p.full_name) == (p.unit_id in scope), (unit, p)


# ---------------------------------------------------------------------------------------------
# safety


def test_fetcher_serves_only_bundled_files(tmp_path):
    from scoring.reports import pdf

    root = pdf.assets_root()
    fetcher = pdf.PackageURLFetcher(root)
    font = root / "fonts" / pdf.FONT_FILES[0]
    assert fetcher.fetch(font.as_uri()).read()[:4] == b"\x00\x01\x00\x00"
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    for url in (
        outside.as_uri(),
        "file:///etc/passwd",
        (root / "fonts").as_uri() + "/../../../../etc/passwd",
        "http://example.com/logo.png",
        "https://example.com/style.css",
        "ftp://example.com/x",
        "data:text/plain,hello",
        "file://otherhost/share/x.png",
    ):
        with pytest.raises(pdf.RefusedResource):
            fetcher.fetch(url)


def test_renderer_refuses_outside_file_and_network(tmp_path):
    from scoring.reports import pdf

    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }", encoding="utf-8")
    html = (
        "<html><head>"
        f'<link rel="stylesheet" href="{secret.as_uri()}">'
        '<link rel="stylesheet" href="http://example.com/x.css">'
        "</head><body><p>Xin chào</p>"
        f'<img src="{(tmp_path / "x.png").as_uri()}">'
        '<img src="http://example.com/logo.png">'
        "</body></html>"
    )
    renderer = pdf.get_renderer()
    before = len(renderer.fetcher.refused)
    with render_warnings() as warnings:
        _, pages = renderer.pdf_bytes(html, "0" * 32)
    assert pages == 1
    refused = renderer.fetcher.refused[before:]
    assert secret.as_uri() in refused
    assert "http://example.com/x.css" in refused
    assert "http://example.com/logo.png" in refused
    assert any("refused" in w for w in warnings)  # WeasyPrint logs every refusal


def test_templates_escape_and_are_strict(small_run, criteria, tmp_path):
    import jinja2
    from scoring.reports import pdf
    from scoring.reports.builder import ReportBuilder
    from scoring.reports.run_reader import load_run

    units = [Unit("A", "Phòng <b>A</b> & B", None, "board")]
    people = [Person("E1", "Lê <script>x</script>", "A", "head")]
    run = write_run(tmp_path / "run", criteria, units, people)
    ctx = ReportBuilder(load_run(run), criteria).unit_report("A")
    html = pdf.get_renderer().html("unit.html.j2", ctx)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Phòng &lt;b&gt;A&lt;/b&gt; &amp; B" in html
    with pytest.raises(jinja2.UndefinedError):
        pdf.get_renderer().html("unit.html.j2", object())


def test_missing_glyph_is_reported(criteria, tmp_path):
    from scoring.reports import pdf
    from scoring.reports.builder import ReportBuilder
    from scoring.reports.run_reader import load_run

    units = [Unit("A", "Phòng A", None, "board")]
    people = [Person("E1", "Lê Văn 漢", "A", "head")]
    run = write_run(tmp_path / "run", criteria, units, people)
    ctx = ReportBuilder(load_run(run), criteria).unit_report("A")
    result = pdf.get_renderer().render(pdf.RenderJob("unit.html.j2", ctx, str(tmp_path / "a.pdf"),
                                                     "0" * 32))
    assert any("U+6F22" in w for w in result.warnings)


def test_criteria_of_another_run_are_refused(small_run, criteria, tmp_path):
    from scoring.errors import ScoringError

    other = criteria.model_copy(update={"version": "1999.9"})
    with pytest.raises(ScoringError, match="criteria.version"):
        render_run_reports(small_run["run"], other, out_dir=tmp_path, workers=1)
    assert not any(tmp_path.iterdir())


# ---------------------------------------------------------------------------------------------
# the criteria sheet


def test_criteria_sheet_reads_as_the_rules(criteria, tmp_path):
    with render_warnings() as warnings:
        path = render_criteria_sheet(criteria, tmp_path / "tieu-chi.pdf", "vi",
                                     sha256="ab" * 32, agency=AGENCY, place="Quảng Ngãi")
    assert warnings == []
    text = flat(pdf_text(path))
    assert criteria.id in text and criteria.version in text and "SHA-256 abababababab" in text
    assert "Quảng Ngãi, ngày 20 tháng 12 năm 2024" in text  # approval date, not the clock
    for doc in criteria.legal_basis:
        assert doc.code in text
    for group in criteria.groups:
        assert group.label in text
        for item in group.items:
            assert item.id in text
            for rule in (*item.deductions, *item.bonuses):
                assert rule.id in text
    for m in criteria.measures:
        assert m.id in text
    for band in criteria.ratings:
        assert band.code in text and band.label in text
    positions = [text.index(o.id) for o in criteria.overrides]
    assert positions == sorted(positions)  # in order
    for ex in criteria.examples:
        assert flat(ex.name) in text


# ---------------------------------------------------------------------------------------------
# the import boundary


@pytest.mark.parametrize("module", ["scoring.engine.score", "scoring.reports.render"])
def test_scoring_alone_never_loads_the_renderer(module):
    pytest.importorskip(module)
    code = (
        f"import sys, {module}\n"
        "bad = [m for m in ('jinja2', 'weasyprint') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_criteria_diff_pdf(criteria, tmp_path):
    """`diff --pdf` is a document of tables: each changed rule with its field, before and after
    in the document's number format; the transition matrix; the people who move."""
    from scoring.reports.diff_report import write_diff_pdf

    from scoring.audit.diff import impact, rule_changes
    from scoring.inputs.readers import read_inputs
    from scoring.periods import parse_period

    quota = criteria.quotas[0]
    stricter = criteria.model_copy(update={"quotas": (
        quota.model_copy(update={"max_percent": 5}), *criteria.quotas[1:])})
    changes = rule_changes(criteria, stricter)
    imp = impact(criteria, stricter, read_inputs(ROOT / "sample_data"), parse_period("2025-Q1"))
    moved = imp.joined.filter(pl.col("rating") != pl.col("rating_new"))
    assert moved.height > 0
    with render_warnings() as warnings:
        path = write_diff_pdf(changes, imp, tmp_path / "diff.pdf", title="a.yaml → b.yaml")
    assert warnings == []
    text = flat(pdf_text(path))
    assert "Thay đổi quy tắc (1)" in text and "max_percent" in text
    assert "Trước \\ Sau" in text and "Những người thay đổi xếp loại" in text
    assert f"Số người thay đổi xếp loại: {moved.height} / {imp.joined.height}" in text
    for r in moved.iter_rows(named=True):
        assert has_name(text, r["full_name"])
        assert fmt_points(r["total"], "vi") in text
    table_rows = [ln for ln in pdf_text(path, layout=True).splitlines() if "max_percent" in ln]
    before = fmt_points(quota.max_percent, "vi")
    assert [ln for ln in table_rows if re.search(rf"max_percent\s+{before}\s+5$", ln.strip())]
    again = write_diff_pdf(changes, imp, tmp_path / "again.pdf", title="a.yaml → b.yaml")
    assert path.read_bytes() == again.read_bytes()
    english = write_diff_pdf(changes, None, tmp_path / "en.pdf", title="a → b", lang="en")
    assert "Changes to the rules (1)" in flat(pdf_text(english))


def test_identifier_ignores_the_reports_listed_in_the_manifest(small_run, criteria):
    """`scoring run` adds the PDFs' hashes to the manifest; re-rendering later must not change
    the PDF identifier."""
    import dataclasses

    from scoring.reports.builder import ReportBuilder
    from scoring.reports.run_reader import load_run

    run = load_run(small_run["run"])
    manifest = dict(run.manifest)
    manifest["outputs"] = [*manifest["outputs"], {"path": "reports/tong-hop_so.pdf", "sha256": "f" * 64}]
    later = dataclasses.replace(run, manifest=manifest)
    a = ReportBuilder(run, criteria).unit_report("VP").doc.meta.identifier
    b = ReportBuilder(later, criteria).unit_report("VP").doc.meta.identifier
    assert a == b


def test_reports_from_a_real_run_of_the_engine(criteria, tmp_path):
    """The engine's own outputs (sample data) fit the reports: every context builds, and a unit
    PDF shows exactly its people with their totals and ratings."""
    import json

    engine = pytest.importorskip("scoring.engine.score")
    readers = pytest.importorskip("scoring.inputs.readers")
    from scoring.reports import pdf
    from scoring.reports.builder import ReportBuilder
    from scoring.reports.criteria_sheet import build_criteria_sheet
    from scoring.reports.run_reader import load_run

    from scoring.outputs.wording import with_details
    from scoring.periods import parse_period

    result = engine.score(criteria, readers.read_inputs(ROOT / "sample_data"), parse_period("2025-Q1"))
    run = tmp_path / "run"
    run.mkdir()
    result.scores.write_parquet(run / "scores.parquet")
    explanations = with_details(result.explanations, criteria)  # as the run writes them
    explanations.write_parquet(run / "explanations.parquet")
    result.units.write_parquet(run / "units.parquet")
    crit = {"id": criteria.id, "version": criteria.version, "sha256": "ab" * 32}
    manifest = {"tool": {"name": "scoring"}, "period": "2025-Q1", "run_date": "2025-04-05",
                "criteria": crit, "outputs": []}
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    builder = ReportBuilder(load_run(run), criteria)
    contexts = {uid: builder.unit_report(uid) for uid in builder.unit_ids()}
    assert builder.summary_report().totals.headcount == result.scores.height
    build_criteria_sheet(criteria, sha256="ab" * 32)
    units = result.units.sort("headcount").filter(pl.col("headcount") > 0)
    unit_id = units["unit_id"][0]
    out = tmp_path / "unit.pdf"
    res = pdf.get_renderer().render(pdf.RenderJob("unit.html.j2", contexts[unit_id], str(out), "0" * 32))
    assert res.warnings == ()
    out.write_bytes(res.data)
    scope = set(builder.descendants[unit_id])
    lines = pdf_text(out, layout=True).splitlines()
    for row in result.scores.iter_rows(named=True):
        line = next((ln for ln in lines if has_name(ln, row["full_name"])), None)
        if row["unit_id"] not in scope:
            assert line is None, row["full_name"]
            continue
        assert line is not None, row["full_name"]
        rest = line.split(row["full_name"], 1)[1].split()
        assert fmt_points(row["total"], "vi") in rest
        assert (row["rating"] if row["status"] == "rated" else "KXL") in rest
    # a unit whose people have a training bonus and a per-violation deduction: the Vietnamese
    # explanation names the measure by its label, with decimal commas, never its id
    worded = explanations.filter(pl.col("basis") == "condition", pl.col("kind") == "bonus")
    person = result.scores.filter(pl.col("employee_id") == worded["employee_id"][0])
    res = pdf.get_renderer().render(pdf.RenderJob(
        "unit.html.j2", contexts[person["unit_id"][0]], str(out), "0" * 32))
    out.write_bytes(res.data)
    text = flat(pdf_text(out))
    measures = [m.id for m in criteria.measures]
    assert not [m for m in measures if m in text]
    assert flat(criteria.measure("ts_training_hours").label)[:30] in text
    unit_people = result.scores.filter(pl.col("unit_id") == person["unit_id"][0])["employee_id"]
    shown = explanations.filter(pl.col("employee_id").is_in(unit_people.implode()),
                                pl.col("kind").is_in(["deduction", "bonus"]))["detail"]
    assert shown.len() > 0
    for detail in shown:
        assert flat(detail)[:25] in text and not re.search(r"\d\.\d", detail)
    # without --agency or --place, the letterhead comes from the criteria: governing body,
    # issuing body and the place on the date line
    assert "UBND TỈNH QUẢNG NGÃI" in text
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH QUẢNG NGÃI" in text
    assert "Quảng Ngãi, ngày 05 tháng 4 năm 2025" in text

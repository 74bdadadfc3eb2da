"""Command line: ``scoring run | validate | explain | check-data | report``.

Messages are Vietnamese first; ``--lang en`` (or SCORING_LANG=en) gives English. User errors
print every problem without a traceback and exit 2; a failing worked example exits 1.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from scoring import __version__
from scoring.errors import CriteriaError, InputDataError, ScoringError, group_issues

__all__ = ["main"]

# User text (titles, example names, paths, values) may hold "[...]" or ":x:": it is escaped
# before Rich renders it, and emoji codes are never expanded.
_err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
_out = Console(highlight=False, soft_wrap=True, emoji=False)

_MSG: dict[str, tuple[str, str]] = {
    "criteria": ("Đọc và kiểm tra tiêu chí", "Loading and checking the criteria"),
    "read": ("Đọc và kiểm tra dữ liệu đầu vào", "Reading and validating the input data"),
    "score": ("Tính điểm và xếp loại", "Scoring and rating"),
    "write": ("Ghi kết quả", "Writing the results"),
    "reports": ("Xuất báo cáo PDF", "Rendering the PDF reports"),
    "done": ("Hoàn thành. Kết quả ở", "Done. Results are in"),
    "staff": ("Số người trong kỳ", "Staff in the period"),
    "rated": ("Được xếp loại", "Rated"),
    "not_rated": ("Không xếp loại", "Not rated"),
    "examples_ok": ("Tất cả ví dụ đều đúng", "All examples pass"),
    "examples_fail": ("Có ví dụ không đúng", "Some examples fail"),
    "valid": ("Tệp tiêu chí hợp lệ", "The criteria file is valid"),
    "data_ok": ("Dữ liệu hợp lệ", "The data is valid"),
    "no_employee": ("Không tìm thấy người có mã", "No employee with id"),
    "no_run": ("Không phải thư mục kết quả (thiếu scores.parquet)",
               "Not a run folder (no scores.parquet)"),
    "interrupted": ("Đã dừng; không ghi kết quả nào", "Interrupted; nothing was written"),
    "expected": ("mong đợi", "expected"),
    "verify": ("Tính lại từ dữ liệu và tiêu chí", "Recomputing from the data and criteria"),
    "verify_ok": ("Kết quả khớp hoàn toàn với dữ liệu và tiêu chí",
                  "The outputs match the data and criteria exactly"),
    "verify_fail": ("Có phần không khớp", "Some parts do not match"),
    "overlap": ("Cảnh báo: hiệu lực chồng lấn với tệp khác trong thư mục",
                "Warning: effective period overlaps another file in the folder"),
    "actual": ("thực tế", "actual"),
    "ignored": ("bỏ qua", "ignored"),
    "read_file": ("đã đọc", "read"),
    "kinds": ("loại / kinds", "kinds"),
    "rows": ("dòng / rows", "rows"),
    "templates": ("Đã ghi các tệp mẫu; điền xong đặt chung một thư mục và dùng làm --data",
                  "Templates written; once filled, put them in one folder and pass it as --data"),
    "signing": ("Ký số các PDF", "Signing the PDFs"),
    "signing_as": ("Ký bởi", "Signing as"),
    "sign_passphrase": ("Mật khẩu của {file}", "Passphrase of {file}"),
    "resumed": ("Tiếp tục lần xuất trước bị dừng: {n}/{total} PDF đã có, không xuất lại",
                "Resuming an interrupted rendering: {n} of {total} PDFs were already written"),
}


def _lang() -> str:
    ctx = click.get_current_context(silent=True)
    lang = ctx.find_root().params.get("lang") if ctx else None
    return lang or os.environ.get("SCORING_LANG", "vi")


def t(key: str, **kw: object) -> str:
    vi, en = _MSG[key]
    return (en if _lang() == "en" else vi).format(**kw)


@contextlib.contextmanager
def _step(key: str) -> Iterator[None]:
    started = time.perf_counter()
    with _err.status(t(key) + " …"):
        yield
    _err.print(f"[green]✓[/] {t(key)} ({time.perf_counter() - started:.1f} s)")


def _fail(exc: ScoringError) -> None:
    """Every problem, grouped by kind: a kind with several rows gets a line with its count,
    then its first rows with their values. Input errors end with the files read and ignored."""
    groups = group_issues(exc.issues)
    total = sum(g.total for g in groups)
    kinds = f"; {len(groups)} {t('kinds')}" if len(groups) > 1 else ""
    _err.print(f"[bold red]{exc.title}[/] ({total}{kinds}):")
    for g in groups:
        if g.total == 1:
            _err.print(g.first.with_code(), markup=False)
            continue
        where = g.first.file + (f": {g.first.where}" if g.first.where else "")
        _err.print(f"▸ {where}: {g.message} [{g.first.code}] — {g.total} {t('rows')}:", markup=False)
        for line in g.row_lines():
            _err.print(f"    {line}", markup=False)
    if isinstance(exc, InputDataError):
        for table, file in exc.read:
            _err.print(f"  {t('read_file')}: {table}: {file}", markup=False)
        for file, reason in exc.ignored:
            _err.print(f"  {t('ignored')}: {file}: {reason}", markup=False)
    sys.exit(2)


_data_source_option = click.option(
    "--data-source", "data_source", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Tệp nguồn dữ liệu YAML: tệp, trang, dòng tiêu đề, tên cột, chữ của từng bảng / the "
         "data-source file: per table its file, sheet, header row, columns and words "
         "(docs/inputs.md).")


class _Group(click.Group):
    """Turns every user error into a message and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ScoringError as exc:
            _fail(exc)
        except KeyboardInterrupt:
            _err.print(t("interrupted"))
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None,
              help="Ngôn ngữ thông báo và báo cáo / language of messages and reports (vi, en).")
@click.version_option(__version__, prog_name="scoring")
def main(lang: str | None) -> None:
    """Chấm điểm, xếp loại chất lượng theo tháng, quý hoặc năm, có tiêu chí chấp hành pháp luật
    về trật tự, an toàn giao thông.

    Monthly, quarterly or yearly performance scoring and rating with traffic-safety compliance.
    """


@main.command()
@click.option("--criteria", "criteria_path", required=True,
              type=click.Path(exists=True, path_type=Path),
              help="Tệp tiêu chí YAML, hoặc thư mục các tệp có thời hạn hiệu lực (chọn tệp có hiệu "
                   "lực cho kỳ) / criteria YAML file, or a folder of dated files (the one in force "
                   "for the period is used).")
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, path_type=Path),
              help="Thư mục dữ liệu đầu vào, hoặc một tệp Excel có mỗi bảng một trang / input data "
                   "folder, or one workbook holding every table as a sheet.")
@click.option("--period", required=True, help="Kỳ đánh giá / period: 2025-Q1, 2025-03, 2025.")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="Thư mục kết quả (tạo mới) / output folder (created).")
@click.option("--force", is_flag=True, help="Ghi đè thư mục kết quả cũ / replace an existing output folder.")
@click.option("--reports/--no-reports", default=True, show_default=True,
              help="Xuất báo cáo PDF / render the PDF reports.")
@click.option("--run-date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Ngày lập báo cáo (mặc định hôm nay theo múi giờ của cơ quan, scoring.toml [run] "
                   "time_zone, mặc định Asia/Ho_Chi_Minh) / date printed on reports (default: "
                   "today in the agency's time zone, Asia/Ho_Chi_Minh unless scoring.toml says).")
@_data_source_option
@click.option("--columns", "columns_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Tệp ánh xạ tên cột / column-name mapping file (see docs/inputs.md).")
@click.option("--sheet", help="Tên trang tính Excel (mặc định trang đầu) / Excel sheet name.")
@click.option("--header-row", type=click.IntRange(1), help="Dòng tên cột trong Excel / Excel header row.")
@click.option("--agency", help="Tên cơ quan trên đầu báo cáo, các dòng cách nhau bởi '\\n' / "
                               "letterhead lines of the reports, separated by '\\n'.")
@click.option("--place", help="Địa danh ở dòng ngày tháng / place on the date line (e.g. Quảng Ngãi).")
@click.option("--full-csv", is_flag=True,
              help="Luôn ghi explanations.csv, kể cả khi quá 1.048.575 dòng (bảng tính không mở "
                   "được) / always write explanations.csv, even above 1,048,575 rows (too many for "
                   "a spreadsheet).")
def run(criteria_path: Path, data_dir: Path, period: str, out: Path, force: bool, reports: bool,
        run_date, data_source: Path | None, columns_file: Path | None, sheet: str | None,
        header_row: int | None, agency: str | None, place: str | None, full_csv: bool) -> None:
    """Chấm điểm một kỳ và ghi kết quả / score one period and write the results."""
    from scoring.clock import agency_today
    from scoring.periods import parse_period
    from scoring.run import RunOptions, run_scoring
    from scoring.settings import load_settings

    try:
        parse_period(period)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    settings = load_settings()
    opts = RunOptions(
        criteria_path=criteria_path, data_dir=data_dir, period=period, out=out,
        # the agency's calendar date, never the process's TZ (scoring.toml [run] time_zone)
        run_date=run_date.date() if run_date else agency_today(settings.time_zone),
        reports=reports, lang=_lang(), force=force, columns_file=columns_file, sheet=sheet,
        header_row=header_row, data_source=data_source,
        agency=agency.replace("\\n", "\n") if agency else None, place=place, full_csv=full_csv,
        settings=settings,
    )
    summary = run_scoring(opts, _step)
    for note in summary.recovered:
        _err.print(f"[yellow]![/] {escape(note)}")
    c = summary.counts
    _out.print(f"{t('staff')}: {c['staff']} · {t('rated')}: {c['rated']} · "
               f"{t('not_rated')}: {c['not_rated']}")
    _out.print("  ".join(f"{code}: {n}" for code, n in c["ratings"].items()))
    for note in summary.notes:
        _err.print(f"[yellow]![/] {escape(note)}")
    for line in summary.read:
        _err.print(f"  {t('read_file')}: {line}", markup=False)
    for line in summary.ignored:
        _err.print(f"  {t('ignored')}: {line}", markup=False)
    _out.print(f"{t('done')} {summary.out}", markup=False)


@main.command()
@click.argument("criteria_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate(criteria_file: Path) -> None:
    """Kiểm tra tệp tiêu chí và chạy các ví dụ minh họa / check a criteria file and run its examples."""
    from scoring.audit.examples import run_examples
    from scoring.rules.loader import load_criteria_file
    from scoring.rules.select import load_folder, overlaps, rollup_issues

    criteria = load_criteria_file(criteria_file)
    # what a run would refuse without reading data: the roll-up's parts in every period in force
    problems = rollup_issues(criteria_file, criteria)
    if problems:
        raise CriteriaError(problems)
    named = escape(f"{criteria.id} {criteria.version} — {criteria.title}")
    _out.print(f"[green]✓[/] {t('valid')}: {named}")

    try:  # the file itself is not read again
        siblings = load_folder(criteria_file.parent, skip=criteria_file)
    except ScoringError:
        siblings = []  # a broken neighbour is its own file's problem
    for problem in overlaps([(criteria_file, criteria), *siblings]):
        if criteria_file.name in str(problem):
            _out.print(f"[yellow]! {t('overlap')}[/]: {escape(str(problem))}")
    if criteria.replaces:
        _out.print(f"  replaces: {criteria.replaces}", markup=False)
    results = run_examples(criteria, source=criteria_file.name)
    for r in results:
        mark = "[green]✓[/]" if r.passed else "[red]✗[/]"
        _out.print(f"{mark} {escape(r.name)}")
        for what, expected, actual, ok in r.checks:
            if not ok:
                _out.print(f"    {what}: {t('expected')} {expected!r}, {t('actual')} {actual!r}",
                           markup=False)
    failed = sum(not r.passed for r in results)
    if failed:
        _out.print(f"[red]{t('examples_fail')}: {failed}/{len(results)}[/]")
        sys.exit(1)
    _out.print(f"[green]{t('examples_ok')} ({len(results)})[/]")


@main.command()
@click.option("--run", "run_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Thư mục kết quả của một lần chạy / a run's output folder.")
@click.option("--employee", required=True, help="Mã cán bộ / employee id.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(run_dir: Path, employee: str, fmt: str) -> None:
    """Giải thích điểm và xếp loại của một người / explain one person's total and rating."""
    import polars as pl

    from scoring.audit.explain_text import render_explanation

    if not (run_dir / "scores.parquet").exists():
        _err.print(f"[red]{t('no_run')}[/]: {escape(str(run_dir))}")
        sys.exit(2)
    # scans with a filter: a national run's tables are never loaded whole for one person
    scores = pl.scan_parquet(run_dir / "scores.parquet", glob=False).filter(
        pl.col("employee_id") == employee).collect()
    if scores.is_empty():
        _err.print(f"[red]{t('no_employee')}[/] {escape(repr(employee))}")
        sys.exit(2)
    rows = (pl.scan_parquet(run_dir / "explanations.parquet", glob=False)
            .filter(pl.col("employee_id") == employee).sort("seq").collect().to_dicts())
    person = scores.row(0, named=True)
    if fmt == "json":
        _out.print_json(json.dumps({"employee": person, "explanations": rows}, ensure_ascii=False,
                                   default=str))
        return
    _out.print(render_explanation(person, rows, lang=_lang()), markup=False)


@main.command("check-data")
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, path_type=Path),
              help="Thư mục dữ liệu đầu vào, hoặc một tệp Excel có mỗi bảng một trang / input data "
                   "folder, or one workbook holding every table as a sheet.")
@click.option("--criteria", "criteria_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Kiểm tra thêm thang điểm theo tiêu chí / also check scores against these criteria.")
@_data_source_option
@click.option("--columns", "columns_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Tệp ánh xạ tên cột / column-name mapping file.")
@click.option("--sheet", help="Tên trang tính Excel (mặc định trang đầu) / Excel sheet name.")
@click.option("--header-row", type=click.IntRange(1), help="Dòng tên cột trong Excel / Excel header row.")
def check_data(data_dir: Path, criteria_path: Path | None, data_source: Path | None,
               columns_file: Path | None, sheet: str | None, header_row: int | None) -> None:
    """Kiểm tra dữ liệu đầu vào, không chấm điểm / validate input data without scoring."""
    from scoring.inputs.column_map import column_map_from_file
    from scoring.inputs.data_source import load_data_source
    from scoring.inputs.readers import read_inputs
    from scoring.rules.loader import load_criteria_file
    from scoring.rules.needs import criteria_needs

    needs = criteria_needs(load_criteria_file(criteria_path)) if criteria_path else None
    with _step("read"):
        inputs = read_inputs(
            data_dir,
            column_map=column_map_from_file(columns_file) if columns_file else None,
            needs=needs, sheet=sheet, header_row=header_row,
            data_source=load_data_source(data_source) if data_source else None,
        )
    for s in inputs.sources:
        where = f"{s.path} › {s.sheet}" if s.sheet else s.path
        _out.print(f"  {s.table}: {where}: {s.rows}" + (f" ({s.skipped})" if s.skipped else ""),
                   markup=False)
    for f in inputs.ignored:
        _out.print(f"  {t('ignored')}: {f.path}: {f.reason}", markup=False)
    _out.print(f"[green]✓[/] {t('data_ok')}")


@main.command()
@click.option("--run", "run_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Thư mục kết quả cần kiểm tra / the run folder to verify.")
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, path_type=Path),
              help="Thư mục (hoặc tệp Excel) dữ liệu đầu vào / the input data folder (or workbook).")
@click.option("--columns", "columns_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Tệp ánh xạ tên cột đã dùng (mặc định: bản lưu trong thư mục kết quả) / the "
                   "column-name mapping used (default: the copy kept in the run folder).")
@click.option("--data-source", "data_source", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Tệp nguồn dữ liệu đã dùng (mặc định: bản lưu trong thư mục kết quả) / the "
                   "data-source file used (default: the copy kept in the run folder).")
def verify(run_dir: Path, data_dir: Path, columns_file: Path | None, data_source: Path | None) -> None:
    """Tính lại và xác nhận kết quả khớp / recompute a run and confirm its outputs match."""
    from scoring.audit.verify import verify_run

    with _step("verify"):
        checks = verify_run(run_dir, data_dir, columns_file, data_source)
    checks += _signature_checks(run_dir)
    for c in checks:
        mark = "[green]✓[/]" if c.ok else "[red]✗[/]"
        _out.print(f"{mark} " + escape(f"{c.what}" + (f": {c.detail}" if c.detail else "")))
    failed = [c for c in checks if not c.ok]
    if failed:
        _out.print(f"[red]{t('verify_fail')}: {len(failed)}[/]")
        sys.exit(1)
    _out.print(f"[green]{t('verify_ok')}[/]")


@main.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data", "data_dir", type=click.Path(exists=True, path_type=Path),
              help="Chấm điểm cả hai trên dữ liệu này (thư mục hoặc tệp Excel) để thấy ảnh hưởng / "
                   "score both on this data (a folder or a workbook).")
@click.option("--period", help="Kỳ dùng để chấm điểm / the period to score (with --data).")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Ghi thêm báo cáo PDF / also write a PDF report.")
@_data_source_option
@click.option("--columns", "columns_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Tệp ánh xạ tên cột / column-name mapping file.")
@click.option("--sheet", help="Tên trang tính Excel / Excel sheet name.")
@click.option("--header-row", type=click.IntRange(1), help="Dòng tên cột trong Excel / Excel header row.")
@click.option("--like-run", "like_run", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Đọc dữ liệu như lần chạy này (tệp nguồn dữ liệu, ánh xạ cột, trang, dòng tiêu "
                   "đề lưu trong thư mục kết quả) / read the data as this run did (the data-source "
                   "file, column mapping, sheet and header row kept in its folder).")
def diff(old: Path, new: Path, data_dir: Path | None, period: str | None, pdf_path: Path | None,
         data_source: Path | None, columns_file: Path | None, sheet: str | None,
         header_row: int | None, like_run: Path | None) -> None:
    """So sánh hai tệp tiêu chí và ảnh hưởng / compare two criteria files and their impact."""
    from scoring.audit.diff import impact, render_diff, rule_changes
    from scoring.periods import parse_period
    from scoring.rules.loader import load_criteria_file

    a, b = load_criteria_file(old), load_criteria_file(new)
    changes = rule_changes(a, b)
    imp = None
    if data_dir:
        if not period:
            raise click.UsageError("--data cần --period / --data needs --period")
        from scoring.audit.read_options import ReadOptions, read_with
        from scoring.rules.needs import criteria_needs, merge_needs

        given = ReadOptions(columns_file, data_source, sheet, header_row)
        read = ReadOptions.of_run(like_run).overridden_by(given) if like_run else given
        with _step("score"):
            needs = merge_needs(criteria_needs(a), criteria_needs(b))
            imp = impact(a, b, read_with(read, data_dir, needs), parse_period(period))
    text = render_diff(changes, imp, lang=_lang())
    _out.print(text, markup=False)
    if pdf_path:
        from scoring.reports.diff_report import write_diff_pdf

        write_diff_pdf(changes, imp, pdf_path, title=f"{old.name} → {new.name}", lang=_lang())
        _out.print(f"PDF: {pdf_path}", markup=False)


@main.command()
@click.option("--run", "run_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Thư mục kết quả / a run's output folder.")
@click.option("--scheduler",
              help="Xuất trên cụm Dask có bộ lập lịch này, vd. tcp://HOST:8786 (mặc định: mục "
                   "reports.scheduler của scoring.toml, nếu không có thì trên máy này) / render on "
                   "the Dask cluster of this scheduler (default: reports.scheduler in "
                   "scoring.toml, else on this machine).")
@click.option("--sign", "sign_key", type=click.Path(dir_okay=False, path_type=Path),
              help="Ký số các PDF (PAdES) bằng tệp khoá PKCS#12 của cơ quan; mật khẩu lấy từ biến "
                   "SCORING_SIGN_PASSPHRASE hoặc được hỏi / sign the PDFs (PAdES) with the agency's "
                   "PKCS#12 key file; the passphrase from SCORING_SIGN_PASSPHRASE or a prompt.")
def report(run_dir: Path, scheduler: str | None, sign_key: Path | None) -> None:
    """Xuất lại báo cáo PDF của một lần chạy / re-render the PDF reports of a finished run.

    Có thể tiếp tục: nếu lần trước bị dừng, các PDF đã xuất đúng được giữ lại / resumable: after
    an interruption, the PDFs already written correctly are kept and the rest are rendered.
    """
    from scoring.outputs.env_errors import environment_errors
    from scoring.outputs.manifest import read_manifest
    from scoring.outputs.out_guard import PARTIAL_REPORTS
    from scoring.outputs.run_folder import recover, reports_subdir, write_step
    from scoring.reports.render import last_written, render_run_reports
    from scoring.rules.loader import load_criteria_file
    from scoring.settings import check_scheduler, load_settings

    for note in recover(run_dir):
        _err.print(f"[yellow]![/] {escape(note)}")
    manifest = read_manifest(run_dir)
    if manifest is None:
        _err.print(f"[red]{t('no_run')}[/]: {escape(str(run_dir))}")
        sys.exit(2)
    settings = load_settings()
    scheduler = check_scheduler(scheduler, "--scheduler") if scheduler else settings.scheduler
    signer = _load_signer(sign_key) if sign_key else None  # before any work: a wrong passphrase
    criteria = load_criteria_file(run_dir / manifest["criteria"]["path"])
    options = manifest.get("options", {})
    # PDFs are written into a hidden folder of the run that survives an interruption; the
    # journal in it lets the next call keep what was written. The run changes only once every
    # PDF is there, as a whole (_swap_reports).
    with environment_errors(run_dir, option="--run"):  # read-only, full disk: one line
        staging = run_dir / PARTIAL_REPORTS
        staging.mkdir(mode=0o700, exist_ok=True)
        journal = staging / ".journal.jsonl"
        with _step("reports"):
            pdfs = render_run_reports(run_dir, criteria, out_dir=staging, lang=_lang(),
                                      agency=options.get("agency"), place=options.get("place"),
                                      workers=settings.workers, scheduler=scheduler,
                                      scheduler_timeout=settings.connect_timeout, journal=journal)
        write_step("reports")
        resumed = sum(w.skipped for w in last_written())
        if resumed:
            _err.print(t("resumed", n=resumed, total=len(pdfs)))
        names = sorted(p.relative_to(staging).as_posix() for p in pdfs)
        for leftover in {p for p in staging.rglob("*") if p.is_file()} - {staging / n for n in names}:
            leftover.unlink()  # the journal, PDFs of other units
        sub = reports_subdir(_lang())
        if signer is not None:
            staging = _sign_staged(staging, names, signer)
        _swap_reports(run_dir, staging, manifest | {"options": options | {"lang": _lang()}}, names, sub)
    for n in names:
        _out.print(f"  {sub}/{n}")
    _out.print(f"{t('done')} {escape(str(run_dir / sub))}")


def _signature_checks(run_dir: Path) -> list:
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


def _load_signer(path: Path) -> object:
    """The signer of the PKCS#12 file; its passphrase from the environment, else asked for."""
    from scoring.reports.signing import load_signer, passphrase_from_env, signer_name

    passphrase = passphrase_from_env()
    if passphrase is None:
        passphrase = click.prompt(t("sign_passphrase", file=str(path)), hide_input=True,
                                  default="", show_default=False, err=True)
    signer = load_signer(path, passphrase)
    _err.print(f"{t('signing_as')}: {escape(signer_name(signer))}")
    return signer


def _sign_staged(staging: Path, names: list[str], signer: object) -> Path:
    """Signed copies of the staged PDFs in a folder of the staging folder, made afresh; the
    staged PDFs stay unsigned, so a resumed call never signs a PDF twice."""
    import shutil

    from scoring.reports.signing import sign_pdf

    signed = staging / ".signed"
    shutil.rmtree(signed, ignore_errors=True)
    with _step("signing"):
        for n in names:
            target = signed / n
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(sign_pdf((staging / n).read_bytes(), signer))
    return signed


def _swap_reports(run_dir: Path, staging: Path, manifest: dict, names: list[str], sub: str) -> None:
    """A new run folder: the files kept (hard links), the new PDFs in ``sub`` (the reports of
    one language: those of the other languages are kept), the manifest last; it replaces the
    run in one step, so the PDFs and the manifest always agree."""
    from scoring.outputs.manifest import write_manifest
    from scoring.outputs.out_guard import PARTIAL_REPORTS
    from scoring.outputs.run_folder import atomic_folder, is_report_of, link_or_copy, write_step

    lang = manifest["options"]["lang"]
    old_reports = {o["path"] for o in manifest["outputs"] if is_report_of(o["path"], lang)}
    kept = [o["path"] for o in manifest["outputs"] if o["path"] not in old_reports]
    new = [f"{sub}/{n}" for n in names]
    with atomic_folder(run_dir, replace=True) as tmp:
        for path in sorted(p for p in run_dir.rglob("*") if p.is_file()):
            rel = path.relative_to(run_dir)
            if (rel.as_posix() not in old_reports and rel.as_posix() != "manifest.json"
                    and rel.parts[0] != PARTIAL_REPORTS):
                link_or_copy(path, tmp / rel)  # also files of the user's, never lost
        write_step("files kept")
        for n, target in zip(names, new, strict=True):  # staged PDFs stay until the old run goes
            link_or_copy(staging / n, tmp / target)
        write_step("reports linked")
        paths = [tmp / p for p in kept] + [tmp / p for p in new]
        others = [p for p in manifest.get("reports", []) if p in kept]
        write_manifest(tmp, manifest | {"reports": sorted(others + new)}, paths)
        write_step("manifest")


@main.command()
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi các tệp mẫu / folder for the blank workbooks.")
@click.option("--criteria", "criteria_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Thêm các cột điểm mà tiêu chí dùng / add the score columns these criteria use.")
@click.option("--period", help="Kỳ ghi ở dòng ví dụ / the period of the example row (2025-Q1).")
@click.option("--force", is_flag=True, help="Ghi đè tệp mẫu đã có / replace existing workbooks.")
def template(out: Path, criteria_path: Path | None, period: str | None, force: bool) -> None:
    """Ghi các tệp Excel mẫu để đơn vị điền / write blank input workbooks for units to fill in."""
    from scoring.codes import Code
    from scoring.errors import InputDataError, issue
    from scoring.inputs.template import TEMPLATE_FILES, write_templates
    from scoring.periods import parse_period

    scores: list[tuple[str, str, float | None]] = []
    if criteria_path:
        from scoring.rules.loader import load_criteria_file

        criteria = load_criteria_file(criteria_path)
        labels = {i.assessment: i.label for i in criteria.items if i.assessment}
        scores = [(c, labels.get(c, c), m) for c, m in criteria.assessment_ranges.items()]
    try:
        title = parse_period(period).title_vi() if period else "quý I/2025"
        label = title[0].upper() + title[1:]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    there = [f"{n}.xlsx" for n in TEMPLATE_FILES.values() if (out / f"{n}.xlsx").exists()]
    if there and not force:
        raise InputDataError([issue(str(out), None, "--out", "đã có tệp mẫu, dùng --force để ghi đè / "
                                    "the workbooks are already there: use --force to replace them",
                                    ", ".join(there), code=Code.OUT_REFUSED)])
    for path in write_templates(out, scores, label):
        _out.print(f"  {path}", markup=False)
    _out.print(f"[green]✓[/] {t('templates')}")


@main.command()
@click.option("--data-source", "data_source", is_flag=True,
              help="JSON Schema của tệp nguồn dữ liệu / the data-source file's JSON Schema.")
def schema(data_source: bool) -> None:
    """In JSON Schema của ngôn ngữ tiêu chí / print the JSON Schema of the criteria language."""
    if data_source:
        from scoring.inputs.data_source import data_source_schema_text

        click.echo(data_source_schema_text(), nl=False)
        return
    from scoring.rules.json_schema import schema_text

    click.echo(schema_text(), nl=False)


def _add_portal_commands() -> None:
    from scoring.portal.commands import serve, users  # only click at import; the rest when run

    main.add_command(serve)
    main.add_command(users)


_add_portal_commands()


def _set_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.find_root().params["lang"] = value


def _lang_everywhere(group: click.Group) -> None:
    """``--lang`` works before and after the subcommand (``scoring report --run O --lang en``);
    eager, so that the messages about the other options are in that language already."""
    for cmd in group.commands.values():
        if isinstance(cmd, click.Group):
            _lang_everywhere(cmd)
        elif not any(p.name == "lang" for p in cmd.params):
            cmd.params.append(click.Option(
                ["--lang"], type=click.Choice(["vi", "en"]), default=None, expose_value=False,
                is_eager=True, callback=_set_lang,
                help="Ngôn ngữ thông báo và báo cáo / language of messages and reports."))


_lang_everywhere(main)


if __name__ == "__main__":  # pragma: no cover
    main()


"""The commands of a scoring run and its inputs: ``scoring run``, ``validate`` (a criteria file and
its worked examples), ``explain`` (one person), ``check-data``, ``template`` (blank workbooks for
units) and ``schema`` (the JSON Schemas). Each imports what it runs when it runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.markup import escape

from scoring.cli.group import read_options
from scoring.cli.messages import ERR, OUT, current_lang, step, t
from scoring.cli.signing import open_pdf_signer, sign_option
from scoring.errors import CriteriaError, ScoringError

__all__ = ["run", "validate", "explain", "check_data", "template", "schema"]


@click.command()
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
@read_options
@click.option("--agency", help="Tên cơ quan trên đầu báo cáo, các dòng cách nhau bởi '\\n' / "
                               "letterhead lines of the reports, separated by '\\n'.")
@click.option("--place", help="Địa danh ở dòng ngày tháng / place on the date line (e.g. Quảng Ngãi).")
@click.option("--full-csv", is_flag=True,
              help="Luôn ghi explanations.csv, kể cả khi quá 1.048.575 dòng (bảng tính không mở "
                   "được) / always write explanations.csv, even above 1,048,575 rows (too many for "
                   "a spreadsheet).")
@sign_option
def run(criteria_path: Path, data_dir: Path, period: str, out: Path, force: bool, reports: bool,
        run_date, data_source: Path | None, columns_file: Path | None, sheet: str | None,
        header_row: int | None, agency: str | None, place: str | None, full_csv: bool,
        sign_key: Path | None) -> None:
    """Chấm điểm một kỳ và ghi kết quả / score one period and write the results."""
    from scoring.clock import agency_today
    from scoring.periods import parse_period
    from scoring.run import RunOptions, run_scoring
    from scoring.settings import load_settings

    try:
        parse_period(period)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    if sign_key and not reports:
        raise click.UsageError("--sign cần báo cáo PDF: bỏ --no-reports / --sign needs the PDF "
                               "reports: drop --no-reports")
    settings = load_settings()
    # before any work: a wrong passphrase writes nothing
    sign = open_pdf_signer(sign_key, settings.time_zone) if sign_key else None
    opts = RunOptions(
        criteria_path=criteria_path, data_dir=data_dir, period=period, out=out,
        # the agency's calendar date, never the process's TZ (scoring.toml [run] time_zone)
        run_date=run_date.date() if run_date else agency_today(settings.time_zone),
        reports=reports, lang=current_lang(), force=force, columns_file=columns_file, sheet=sheet,
        header_row=header_row, data_source=data_source,
        agency=agency.replace("\\n", "\n") if agency else None, place=place, full_csv=full_csv,
        settings=settings, sign=sign,
    )
    summary = run_scoring(opts, step)
    for note in summary.recovered:
        ERR.print(f"[yellow]![/] {escape(note)}")
    c = summary.counts
    OUT.print(f"{t('staff')}: {c['staff']} · {t('rated')}: {c['rated']} · "
               f"{t('not_rated')}: {c['not_rated']}")
    OUT.print("  ".join(f"{code}: {n}" for code, n in c["ratings"].items()))
    for note in summary.notes:
        ERR.print(f"[yellow]![/] {escape(note)}")
    for line in summary.read:
        ERR.print(f"  {t('read_file')}: {line}", markup=False)
    for line in summary.ignored:
        ERR.print(f"  {t('ignored')}: {line}", markup=False)
    OUT.print(f"{t('done')} {summary.out}", markup=False)


@click.command()
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
    OUT.print(f"[green]✓[/] {t('valid')}: {named}")

    try:  # the file itself is not read again
        siblings = load_folder(criteria_file.parent, skip=criteria_file)
    except ScoringError:
        siblings = []  # a broken neighbour is its own file's problem
    for problem in overlaps([(criteria_file, criteria), *siblings]):
        if criteria_file.name in str(problem):
            OUT.print(f"[yellow]! {t('overlap')}[/]: {escape(str(problem))}")
    if criteria.replaces:
        OUT.print(f"  replaces: {criteria.replaces}", markup=False)
    results = run_examples(criteria, source=criteria_file.name)
    for r in results:
        mark = "[green]✓[/]" if r.passed else "[red]✗[/]"
        OUT.print(f"{mark} {escape(r.name)}")
        for what, expected, actual, ok in r.checks:
            if not ok:
                OUT.print(f"    {what}: {t('expected')} {expected!r}, {t('actual')} {actual!r}",
                           markup=False)
    failed = sum(not r.passed for r in results)
    if failed:
        OUT.print(f"[red]{t('examples_fail')}: {failed}/{len(results)}[/]")
        sys.exit(1)
    OUT.print(f"[green]{t('examples_ok')} ({len(results)})[/]")


@click.command()
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
        ERR.print(f"[red]{t('no_run')}[/]: {escape(str(run_dir))}")
        sys.exit(2)
    # scans with a filter: a national run's tables are never loaded whole for one person
    scores = pl.scan_parquet(run_dir / "scores.parquet", glob=False).filter(
        pl.col("employee_id") == employee).collect()
    if scores.is_empty():
        ERR.print(f"[red]{t('no_employee')}[/] {escape(repr(employee))}")
        sys.exit(2)
    rows = (pl.scan_parquet(run_dir / "explanations.parquet", glob=False)
            .filter(pl.col("employee_id") == employee).sort("seq").collect().to_dicts())
    person = scores.row(0, named=True)
    if fmt == "json":
        OUT.print_json(json.dumps({"employee": person, "explanations": rows}, ensure_ascii=False,
                                   default=str))
        return
    OUT.print(render_explanation(person, rows, lang=current_lang()), markup=False)


@click.command("check-data")
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, path_type=Path),
              help="Thư mục dữ liệu đầu vào, hoặc một tệp Excel có mỗi bảng một trang / input data "
                   "folder, or one workbook holding every table as a sheet.")
@click.option("--criteria", "criteria_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Kiểm tra thêm thang điểm theo tiêu chí / also check scores against these criteria.")
@read_options
def check_data(data_dir: Path, criteria_path: Path | None, data_source: Path | None,
               columns_file: Path | None, sheet: str | None, header_row: int | None) -> None:
    """Kiểm tra dữ liệu đầu vào, không chấm điểm / validate input data without scoring."""
    from scoring.inputs.column_map import column_map_from_file
    from scoring.inputs.data_source import load_data_source
    from scoring.inputs.readers import read_inputs
    from scoring.rules.loader import load_criteria_file
    from scoring.rules.needs import criteria_needs

    needs = criteria_needs(load_criteria_file(criteria_path)) if criteria_path else None
    with step("read"):
        inputs = read_inputs(
            data_dir,
            column_map=column_map_from_file(columns_file) if columns_file else None,
            needs=needs, sheet=sheet, header_row=header_row,
            data_source=load_data_source(data_source) if data_source else None,
        )
    for s in inputs.sources:
        where = f"{s.path} › {s.sheet}" if s.sheet else s.path
        OUT.print(f"  {s.table}: {where}: {s.rows}" + (f" ({s.skipped})" if s.skipped else ""),
                   markup=False)
    for f in inputs.ignored:
        OUT.print(f"  {t('ignored')}: {f.path}: {f.reason}", markup=False)
    OUT.print(f"[green]✓[/] {t('data_ok')}")


@click.command()
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
        OUT.print(f"  {path}", markup=False)
    OUT.print(f"[green]✓[/] {t('templates')}")


@click.command()
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

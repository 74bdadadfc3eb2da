"""The auditors' commands: ``scoring verify`` (recompute a run from its data and criteria and
check its signed PDFs) and ``scoring diff`` (two criteria files, their rule changes and, on
data, their impact on the ratings). The work is done by ``scoring.audit``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape

from scoring.cli.group import read_options
from scoring.cli.messages import OUT, current_lang, step, t
from scoring.cli.signing import signature_checks

__all__ = ["verify", "diff"]


@click.command()
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

    with step("verify"):
        checks = verify_run(run_dir, data_dir, columns_file, data_source)
    checks += signature_checks(run_dir)
    for c in checks:
        mark = "[green]✓[/]" if c.ok else "[red]✗[/]"
        OUT.print(f"{mark} " + escape(f"{c.what}" + (f": {c.detail}" if c.detail else "")))
    failed = [c for c in checks if not c.ok]
    if failed:
        OUT.print(f"[red]{t('verify_fail')}: {len(failed)}[/]")
        sys.exit(1)
    OUT.print(f"[green]{t('verify_ok')}[/]")


@click.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data", "data_dir", type=click.Path(exists=True, path_type=Path),
              help="Chấm điểm cả hai trên dữ liệu này (thư mục hoặc tệp Excel) để thấy ảnh hưởng / "
                   "score both on this data (a folder or a workbook).")
@click.option("--period", help="Kỳ dùng để chấm điểm / the period to score (with --data).")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Ghi thêm báo cáo PDF / also write a PDF report.")
@read_options
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
        with step("score"):
            needs = merge_needs(criteria_needs(a), criteria_needs(b))
            imp = impact(a, b, read_with(read, data_dir, needs), parse_period(period))
    text = render_diff(changes, imp, lang=current_lang())
    OUT.print(text, markup=False)
    if pdf_path:
        from scoring.reports.diff_report import write_diff_pdf

        write_diff_pdf(changes, imp, pdf_path, title=f"{old.name} → {new.name}", lang=current_lang())
        OUT.print(f"PDF: {pdf_path}", markup=False)

"""The command line's words and console: the messages in Vietnamese and English, the language
of the call, a timed progress step, and every user error printed without a traceback (exit 2).

User text (titles, example names, paths, values) may hold "[...]" or ":x:": it is escaped
before Rich renders it, and emoji codes are never expanded.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator

import click
from rich.console import Console

from scoring.errors import InputDataError, ScoringError, group_issues

__all__ = ["ERR", "OUT", "current_lang", "t", "step", "fail"]

ERR = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
OUT = Console(highlight=False, soft_wrap=True, emoji=False)

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


def current_lang() -> str:
    """The language of this call: ``--lang`` (before or after the command), else SCORING_LANG."""
    ctx = click.get_current_context(silent=True)
    lang = ctx.find_root().params.get("lang") if ctx else None
    return lang or os.environ.get("SCORING_LANG", "vi")


def t(key: str, **kw: object) -> str:
    vi, en = _MSG[key]
    return (en if current_lang() == "en" else vi).format(**kw)


@contextlib.contextmanager
def step(key: str) -> Iterator[None]:
    started = time.perf_counter()
    with ERR.status(t(key) + " …"):
        yield
    ERR.print(f"[green]✓[/] {t(key)} ({time.perf_counter() - started:.1f} s)")


def fail(exc: ScoringError) -> None:
    """Every problem, grouped by kind: a kind with several rows gets a line with its count,
    then its first rows with their values. Input errors end with the files read and ignored."""
    groups = group_issues(exc.issues)
    total = sum(g.total for g in groups)
    kinds = f"; {len(groups)} {t('kinds')}" if len(groups) > 1 else ""
    ERR.print(f"[bold red]{exc.title}[/] ({total}{kinds}):")
    for g in groups:
        if g.total == 1:
            ERR.print(g.first.with_code(), markup=False)
            continue
        where = g.first.file + (f": {g.first.where}" if g.first.where else "")
        ERR.print(f"▸ {where}: {g.message} [{g.first.code}] — {g.total} {t('rows')}:", markup=False)
        for line in g.row_lines():
            ERR.print(f"    {line}", markup=False)
    if isinstance(exc, InputDataError):
        for table, file in exc.read:
            ERR.print(f"  {t('read_file')}: {table}: {file}", markup=False)
        for file, reason in exc.ignored:
            ERR.print(f"  {t('ignored')}: {file}: {reason}", markup=False)
    sys.exit(2)

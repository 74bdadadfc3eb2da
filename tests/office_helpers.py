"""Helpers for the office-workbook tests: the sample department as CSV rows, workbooks written
from them with openpyxl, and scoring a data folder the way ``scoring run`` does."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
from pathlib import Path

import openpyxl
import polars as pl

from scoring.run import compute

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CRITERIA = ROOT / "criteria" / "skhcn-quy-2025.yaml"
SAMPLE_DATA = ROOT / "sample_data"
TABLE_FILES = ("units", "staff", "assessments", "violations", "training", "discipline", "leave")


def sample_rows(table: str, folder: Path = SAMPLE_DATA) -> list[list[str]]:
    text = (folder / f"{table}.csv").read_text("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def copy_sample(target: Path) -> Path:
    """The sample department's tables (not its generator scripts) in ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for table in TABLE_FILES:
        shutil.copy(SAMPLE_DATA / f"{table}.csv", target / f"{table}.csv")
    return target


def write_csv_rows(path: Path, rows: list[list[object]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def write_workbook(path: Path, sheets: dict[str, list[list[object]]], *,
                   hidden: tuple[str, ...] = ()) -> Path:
    """One sheet per entry, cells as given (text stays text); ``hidden`` sheets are hidden."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append([None if c == "" else c for c in row])
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def _quiet(_key: str):
    return contextlib.nullcontext()


def scores_of(data: Path, period: str = "2025-Q1", criteria: Path = SAMPLE_CRITERIA,
              **options) -> pl.DataFrame:
    """The scores table a run would write (raises the run's errors)."""
    return compute(criteria, data, period, _quiet, **options).result.scores


# ----------------------------------------------------------------------------- office forms

# The sample's assessment columns under the labels of the criteria (what an office writes).
ASSESSMENT_HEADERS = {
    "politics_ethics": "Chính trị, tư tưởng, đạo đức, lối sống",
    "culture_attitude": "Văn hóa công vụ, thái độ phục vụ",
    "discipline": "Ý thức tổ chức kỷ luật",
    "task_quantity": "Số lượng công việc",
    "task_quality": "Chất lượng công việc",
    "task_timeliness": "Tiến độ, thời hạn hoàn thành",
}
EXTRA_HEADERS = {"ghi_chu": "Ghi chú", "topic_name": "Nội dung"}
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def column_mapping_yaml() -> str:
    """The ``--columns`` file an office needs for those labels."""
    return "".join(f'"{label}": {column}\n' for column, label in ASSESSMENT_HEADERS.items())


def office_header(table: str, column: str) -> str:
    from scoring.inputs.vocabulary import HEADER_WORDS

    words = HEADER_WORDS.get(table, {}).get(column)
    return words[0] if words else ASSESSMENT_HEADERS.get(column) or EXTRA_HEADERS.get(column, column)


def office_value(table: str, column: str, value: str, *, date_cells: bool = False) -> object:
    """One CSV cell of the sample as an office types it: Vietnamese words, dd/mm/yyyy,
    decimal commas, dot thousands, ``Quý I/2025``."""
    import datetime as dt

    from scoring.inputs.contract import TABLES
    from scoring.inputs.vocabulary import VALUE_WORDS

    if value == "":
        return ""
    spec = TABLES[table].column(column) if column in TABLES[table].column_names else None
    if spec is not None and column in VALUE_WORDS and spec.allowed:
        return VALUE_WORDS[column][value][0]
    if spec is not None and spec.dtype == pl.Date:
        day = dt.date.fromisoformat(value)
        return dt.datetime(day.year, day.month, day.day) if date_cells else day.strftime("%d/%m/%Y")
    if column == "fine_vnd":
        return f"{int(value):,}".replace(",", ".") + " đ"
    if spec is not None and spec.dtype == pl.Boolean:
        return "Có" if value == "true" else "Không"
    if column == "period" and "-Q" in value:
        year, quarter = value.split("-Q")
        return f"Quý {_ROMAN[quarter]}/{year}"
    if column in ASSESSMENT_HEADERS or column == "hours":
        return value.replace(".", ",")
    return value


def office_rows(table: str, rows: list[list[str]], *, date_cells: bool = False,
                unit_names: dict[str, str] | None = None) -> list[list[object]]:
    """A sample table as an office keeps it; ``unit_names`` puts staff units by name."""
    header = rows[0]
    out: list[list[object]] = [[office_header(table, c) for c in header]]
    for row in rows[1:]:
        cells = [office_value(table, c, v, date_cells=date_cells) for c, v in zip(header, row, strict=True)]
        if unit_names and table == "staff":
            j = header.index("unit_id")
            cells[j] = unit_names[row[j]]
        out.append(cells)
    return out


def with_furniture(rows: list[list[object]], title: str) -> list[list[object]]:
    """Title rows, the column-number row, a blank row, totals and the signature block."""
    width = len(rows[0])
    middle = len(rows) // 2
    return [
        ["SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH QUẢNG NGÃI"], [title], [], rows[0],
        [f"({i + 1})" for i in range(width)], *rows[1:middle], [], *rows[middle:],
        ["Tổng cộng", f"{len(rows) - 1} người"], [],
        ["", "Người lập biểu", "", "Thủ trưởng đơn vị"], ["", "(Ký, ghi rõ họ tên)"],
    ]


def convert_with_libreoffice(sources: list[Path], out_dir: Path) -> list[Path]:
    """Open and save each workbook with LibreOffice Calc (headless): what an office's
    spreadsheet writes, formulas computed, styles and sheets as Calc keeps them."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir),
             *map(str, sources)],
            check=True, capture_output=True, timeout=600,
        )
    return [out_dir / p.name for p in sources]

"""Reading a department's office workbooks: ``read_inputs`` vs fastexcel alone on the same sheets.

    python benchmarks/bench_office_read.py --staff 27000 [--runs 3]

The generated national data (``generate_national.py``, cached under /tmp/scoring-bench) is
written as an office keeps it, one workbook per table under its Vietnamese name: title rows,
Vietnamese headers and words for every coded value, text dates ``dd/mm/yyyy``, amounts
``2.500.000 đ``, decimal commas, ``Quý I/2025``, the column-number row, a totals row and the
signature block. Then, best of ``--runs``:

- floor: fastexcel alone loading every sheet of those workbooks into Polars frames;
- ``read_inputs`` with the sample criteria's needs, as ``scoring run`` reads them (finding the
  tables and sheets, headers, furniture, words, dates, numbers, every check).

Prints the wall and CPU seconds of each and the ratio read_inputs / fastexcel (target ≤ 2).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import fastexcel
import polars as pl
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import CACHE, CRITERIA, PERIOD, TABLES, ensure_data

from scoring.inputs.contract import TABLES as CONTRACT
from scoring.inputs.readers import read_inputs
from scoring.inputs.vocabulary import HEADER_WORDS, VALUE_WORDS
from scoring.rules.loader import load_criteria_file
from scoring.rules.needs import criteria_needs

FILES = {"units": "Danh sách đơn vị", "staff": "Danh sách cán bộ",
         "assessments": "Kết quả đánh giá quý I", "violations": "Vi phạm giao thông",
         "training": "Tuyên truyền ATGT", "discipline": "Kỷ luật", "leave": "Nghỉ phép"}
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def _office(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The table as text cells the way an office types them."""
    out = []
    for name, dtype in frame.schema.items():
        c = pl.col(name)
        spec = CONTRACT[table].column(name) if name in CONTRACT[table].column_names else None
        if spec is not None and spec.allowed and name in VALUE_WORDS:
            words = {code: w[0] for code, w in VALUE_WORDS[name].items()}
            e = c.replace_strict(words, default=c.cast(pl.String), return_dtype=pl.String)
        elif dtype == pl.Date:
            e = c.dt.strftime("%d/%m/%Y")
        elif name == "fine_vnd":
            digits = c.cast(pl.String)
            e = digits.str.reverse().str.replace_all(r"(\d{3})", "$1.").str.reverse() \
                .str.strip_chars_start(".") + " đ"
        elif dtype == pl.Boolean:
            e = pl.when(c).then(pl.lit("Có")).when(~c).then(pl.lit("Không"))
        elif name == "period":
            e = pl.format("Quý {}/{}", c.str.slice(6, 1).replace(_ROMAN), c.str.slice(0, 4))
        elif dtype == pl.Float64:
            e = c.cast(pl.String).str.replace(".", ",", literal=True)
        else:
            e = c.cast(pl.String)
        out.append(e.alias(HEADER_WORDS.get(table, {}).get(name, (name,))[0]))
    return frame.select(out)


def write_office_workbooks(source: Path, target: Path) -> list[tuple[Path, str]]:
    """One workbook per table, with the furniture; returns (workbook, sheet) pairs."""
    target.mkdir(parents=True, exist_ok=True)
    sheets = []
    for table in TABLES:
        frame = _office(table, pl.read_parquet(source / f"{table}.parquet"))
        path = target / f"{FILES[table]}.xlsx"
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        ws = wb.add_worksheet("Danh sách")
        ws.write_row(0, 0, ["SỞ KHOA HỌC VÀ CÔNG NGHỆ"])
        ws.write_row(1, 0, [FILES[table].upper()])
        ws.write_row(3, 0, frame.columns)
        ws.write_row(4, 0, [f"({i + 1})" for i in range(frame.width)])
        r = 5
        for row in frame.iter_rows():
            for j, cell in enumerate(row):
                if cell is not None:
                    ws.write_string(r, j, cell)
            r += 1
        ws.write_row(r, 0, ["Tổng cộng", f"{frame.height} dòng"])
        ws.write_row(r + 2, 1, ["Người lập biểu", "", "Thủ trưởng đơn vị"])
        ws.write_row(r + 3, 1, ["(Ký, ghi rõ họ tên)"])
        wb.close()
        sheets.append((path, "Danh sách"))
    return sheets


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _timed(fn) -> tuple[float, float]:
    cpu, wall = _cpu(), time.perf_counter()
    fn()
    return time.perf_counter() - wall, _cpu() - cpu


def fastexcel_alone(sheets: list[tuple[Path, str]]) -> None:
    for path, sheet in sheets:
        fastexcel.read_excel(path).load_sheet(sheet, header_row=None).to_polars()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=27_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = ensure_data(args.staff)
    target = CACHE / f"office-{args.staff}"
    started = time.perf_counter()
    sheets = [(target / f"{FILES[t]}.xlsx", "Danh sách") for t in TABLES]
    if not all(p.is_file() for p, _ in sheets):
        sheets = write_office_workbooks(source, target)
    size = sum(p.stat().st_size for p, _ in sheets) / 1e6
    print(f"{args.staff:,} staff: {len(sheets)} workbooks, {size:.1f} MB, written in "
          f"{time.perf_counter() - started:.1f} s ({target})")
    needs = criteria_needs(load_criteria_file(CRITERIA))
    floor, ours = [], []
    for run in range(args.runs):
        floor.append(_timed(lambda: fastexcel_alone(sheets)))
        ours.append(_timed(lambda: read_inputs(target, needs=needs, period=PERIOD)))
        print(f"run {run + 1}: fastexcel {floor[-1][0]:.2f} s wall ({floor[-1][1]:.2f} CPU-s), "
              f"read_inputs {ours[-1][0]:.2f} s wall ({ours[-1][1]:.2f} CPU-s)")
    best_floor, best_ours = min(w for w, _ in floor), min(w for w, _ in ours)
    print(f"best: fastexcel {best_floor:.2f} s, read_inputs {best_ours:.2f} s, "
          f"ratio {best_ours / best_floor:.2f} (target ≤ 2)")


if __name__ == "__main__":
    main()

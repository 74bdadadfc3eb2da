"""The printable workbook writer against Polars' ``write_excel`` of the same sheets, side by side.

    python benchmarks/bench_workbook.py                 # 27,000 staff (a province)
    python benchmarks/bench_workbook.py --staff 2000 --repeat 1

Both write the sheets of the run's ``scores.xlsx`` (``reports/workbook_sheets.py``: the
scores, the explanations HR reads and the units of one run, generated data scored once into a
cache folder) with the same headers and header bands, number formats, column widths, row
heights, frozen panes and page setup: ``polars`` through ``DataFrame.write_excel`` into an
xlsxwriter workbook, ``product`` through ``scoring.outputs.workbook.write_workbook`` (what the
run uses). Prints wall and CPU seconds (the machine may be
shared: CPU time is the fairer figure) and the ratios, medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import CACHE, CRITERIA, PERIOD, ensure_data

from scoring.outputs.workbook import Sheet, write_workbook

CREATED = datetime(2025, 4, 5)


def _run_folder(staff: int) -> Path:
    out = CACHE / f"run-{staff}"
    if not (out / "scores.parquet").is_file():
        from scoring.run import RunOptions, run_scoring

        opts = RunOptions(criteria_path=CRITERIA, data_dir=ensure_data(staff), period=PERIOD,
                          out=out, run_date=date(2025, 4, 5), reports=False, force=True)
        run_scoring(opts, lambda _name: _Quiet())
    return out


class _Quiet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_exc: object) -> None:
        return None


def _sheets(run: Path) -> list[Sheet]:
    from scoring.reports.workbook_sheets import BookContext, workbook_sheets

    from scoring.rules.loader import load_criteria_file

    ctx = BookContext(load_criteria_file(CRITERIA), "vi", PERIOD)
    sheets, _notes = workbook_sheets(ctx, pl.read_parquet(run / "scores.parquet"),
                                     pl.scan_parquet(run / "explanations.parquet"),
                                     pl.read_parquet(run / "units.parquet"))
    return sheets


def _polars(sheets: list[Sheet], path: Path) -> None:
    import xlsxwriter

    from scoring.outputs.workbook import _header_points, _header_rows, _row_height

    with xlsxwriter.Workbook(str(path)) as wb:
        head = wb.add_format({"bold": True, "text_wrap": True, "valign": "vcenter",
                              "align": "center", "border": 1, "bg_color": "#DDEBF7",
                              "font_size": 10})
        for s in sheets:
            top = _header_rows(s)
            s.frame.write_excel(
                wb, worksheet=s.name, position=(top - 1, 0), autofit=False,
                column_formats={c.name: c.num_format for c in s.columns if c.num_format},
                header_format={"bold": True, "text_wrap": True, "border": 1, "font_size": 10,
                               "bg_color": "#DDEBF7", "align": "center", "valign": "vcenter"},
                column_widths={c.name: int(c.width * 7 + 5) for c in s.columns},
                freeze_panes=(top, 2))
            ws = wb.get_worksheet_by_name(s.name)
            for first, last, text in s.bands:
                if first == last:
                    ws.write_string(0, first, text, head)
                else:
                    ws.merge_range(0, first, 0, last, text, head)
            for r in range(top):
                ws.set_row(r, _header_points(s, r))
            # the same row heights as the product's, one call a row
            heights = s.frame.select(_row_height(s.frame, s.columns)).to_series()
            for i, h in enumerate(heights.to_list()):
                if h:
                    ws.set_row(top + i, float(h.split('"')[1]))
            ws.set_landscape()
            ws.set_paper(9)
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(0, top - 1)
            ws.set_header(s.page_header)
            ws.set_footer(s.page_footer)


def _timed(fn, *args) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--staff", type=int, default=27_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sheets = _sheets(_run_folder(args.staff))
    work = CACHE / "bench-workbook"
    work.mkdir(parents=True, exist_ok=True)
    runs: dict[str, list[tuple[float, float]]] = {"polars": [], "product": []}
    for _ in range(args.repeat):  # interleaved, so both see the same load
        runs["polars"].append(_timed(_polars, sheets, work / "polars.xlsx"))
        runs["product"].append(_timed(
            lambda: write_workbook(sheets, work / "product.xlsx", created=CREATED, title="scores")))
    cells = sum(s.frame.height * len(s.columns) for s in sheets)
    print(f"workbook of {args.staff:,} staff: {cells:,} cells, median of {args.repeat}")
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in runs.items()}
    for kind, (wall, cpu) in med.items():
        mb = (work / f"{kind}.xlsx").stat().st_size / 1e6
        print(f"  {kind:8} wall {wall:6.2f} s   cpu {cpu:6.2f} s   {mb:5.1f} MB")
    print(f"  ratio polars / product: wall {med['polars'][0] / med['product'][0]:.1f}x, "
          f"cpu {med['polars'][1] / med['product'][1]:.1f}x")


if __name__ == "__main__":
    main()

"""Writing a run's tables: Parquet and CSV (into the run folder); the limits of the Excel workbook
(written by ``scoring/outputs/workbook.py`` from ``reports/workbook_sheets.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import polars as pl

__all__ = [
    "EXCEL_MAX_ROWS",
    "CSV_MAX_ROWS",
    "neutralise_formulas",
    "write_table",
    "write_csv",
    "write_slices",
    "parquet_rows",
    "csv_skipped_note",
    "EXCEL_SHEET_LIMITS",
]

EXCEL_MAX_ROWS = 1_048_575  # one header row + 1,048,575 data rows per sheet
# Beyond this many rows a sheet is left out of the workbook (it takes minutes to write and is
# unusable in Excel); the CSV and Parquet files always hold everything.
EXCEL_SHEET_LIMITS = {"scores": 50_000, "explanations": 50_000, "units": 50_000}
# A CSV longer than a spreadsheet's sheet opens in no spreadsheet; for the explanations (about
# eight rows a person, gigabytes at national scale) the Parquet file is then the useful copy.
CSV_MAX_ROWS = EXCEL_MAX_ROWS
PARQUET_ROW_GROUP = 250_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe.

    Such cells are rare: find them with one scan, then rewrite only those cells (rewriting
    whole columns costs a copy of every string of the table).
    """
    text_cols = [c for c, t in df.schema.items() if t == pl.String]
    if not text_cols:
        return df
    risky = "^[" + "".join("\\" + c if c in "-+" else c for c in _FORMULA_START) + "]"
    masks = df.select(pl.col(text_cols).str.contains(risky).fill_null(False))
    out = []
    for name in text_cols:
        mask = masks[name]
        if mask.any():
            s = df[name]
            idx = mask.arg_true()
            out.append(s.scatter(idx, "'" + s.gather(idx)))
    return df.with_columns(out) if out else df


def write_table(df: pl.DataFrame, folder: Path, name: str, *, csv: bool = True) -> list[Path]:
    """Write ``name.parquet`` (exact) and ``name.csv`` (UTF-8 with BOM, formulas neutralised)."""
    parquet = folder / f"{name}.parquet"
    # a fixed row-group size: otherwise the groups follow the frame's memory chunks, which
    # depend on thread timing, and the same table would not give the same bytes
    df.write_parquet(parquet, compression="zstd", statistics=False, row_group_size=PARQUET_ROW_GROUP)
    return [parquet, write_csv(df, folder, name)] if csv else [parquet]


def write_csv(df: pl.DataFrame, folder: Path, name: str) -> Path:
    """``name.csv``: UTF-8 with a BOM (Excel reads Vietnamese right), formulas neutralised."""
    path = folder / f"{name}.csv"
    neutralise_formulas(df).write_csv(path, include_bom=True)
    return path


def write_slices(frames: Callable[[], Iterator[pl.DataFrame]], schema: pl.Schema,
                 folder: Path, name: str) -> Path:
    """Write ``name.parquet`` from consecutive slices of one table (``frames()`` yields them in
    order, each of ``schema``), each dropped once written.

    Polars' streaming sink reads the slices as a source and writes while the next slice is
    built. Its source API is marked unstable; without it, pyarrow writes the same rows.
    """
    parquet = folder / f"{name}.parquet"
    try:
        from polars.io.plugins import register_io_source
    except ImportError:
        return _write_slices_pyarrow(frames(), parquet)

    def source(with_columns: list[str] | None, predicate: pl.Expr | None, n_rows: int | None,
               _batch_size: int | None) -> Iterator[pl.DataFrame]:
        for df in frames():
            if with_columns is not None:
                df = df.select(with_columns)
            if predicate is not None:
                df = df.filter(predicate)
            if n_rows is not None:
                df = df.head(n_rows)
                n_rows -= df.height
            yield df
            if n_rows == 0:
                return

    register_io_source(source, schema=schema).sink_parquet(
        parquet, compression="zstd", statistics=False, row_group_size=PARQUET_ROW_GROUP,
        maintain_order=True)
    return parquet


def _write_slices_pyarrow(frames: Iterable[pl.DataFrame], parquet: Path) -> Path:
    """``write_slices`` with pyarrow: each slice written on a second thread while the next one
    is built (both release the GIL), always in order, by one writer."""
    import pyarrow.parquet as pq

    writer = None
    pending: Future[None] | None = None
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            for df in frames:
                table = df.to_arrow()
                if writer is None:
                    # dictionary pages only where texts repeat (enum columns): on ids they cost
                    repeated = [n for n, t in df.schema.items()
                                if isinstance(t, pl.Enum | pl.Categorical)]
                    writer = pq.ParquetWriter(parquet, table.schema, compression="zstd",
                                              write_statistics=False, use_dictionary=repeated)
                if pending is not None:
                    pending.result()
                pending = pool.submit(writer.write_table, table, row_group_size=PARQUET_ROW_GROUP)
            if pending is not None:
                pending.result()
        finally:
            if writer is not None:
                writer.close()
    return parquet


def parquet_rows(path: Path) -> int:
    return pl.scan_parquet(path, glob=False).select(pl.len()).collect().item()


def csv_skipped_note(name: str, rows: int) -> str:
    return (f"{name}: {rows} dòng, quá lớn cho bảng tính nên không ghi {name}.csv; dùng "
            f"{name}.parquet, lệnh `scoring explain`, hoặc chạy lại với --full-csv / {rows} rows, "
            f"too large for a spreadsheet: {name}.csv not written; use {name}.parquet, "
            f"`scoring explain`, or run again with --full-csv")

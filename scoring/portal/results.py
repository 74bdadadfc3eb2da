"""Read a finished run folder for the pages: the tables, cached per folder version."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import polars as pl

__all__ = ["RunTables", "load_tables", "unit_report", "person_rows"]

_cache: dict[Path, tuple[float, RunTables]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class RunTables:
    folder: Path
    scores: pl.DataFrame
    units: pl.DataFrame

    @property
    def edges(self) -> list[tuple[str, str | None]]:
        return list(zip(self.units["unit_id"].to_list(), self.units["parent_id"].to_list(), strict=True))


def load_tables(folder: Path) -> RunTables:
    """The scores and units of a run folder (the explanations are read per person, lazily)."""
    stamp = (folder / "manifest.json").stat().st_mtime
    with _lock:
        hit = _cache.get(folder)
        if hit and hit[0] == stamp:
            return hit[1]
    tables = RunTables(folder, pl.read_parquet(folder / "scores.parquet", glob=False),
                       pl.read_parquet(folder / "units.parquet", glob=False))
    with _lock:
        _cache[folder] = (stamp, tables)
    return tables


def unit_report(tables: RunTables, unit_id: str) -> Path | None:
    """The unit's PDF report, named as the reports name it (from every unit of the run: names
    that collide get a hash), if the run rendered one."""
    from scoring.reports.formatting import unit_file_names

    units = tables.units
    ids = units["unit_id"].to_list()
    names = unit_file_names(list(zip(ids, units["name"].to_list(), strict=True)))
    path = tables.folder / "reports" / dict(zip(ids, names, strict=True))[unit_id]
    return path if path.is_file() else None


def person_rows(folder: Path, employee_id: str) -> list[dict]:
    return (pl.scan_parquet(folder / "explanations.parquet", glob=False)
            .filter(pl.col("employee_id") == employee_id).sort("seq").collect().to_dicts())

"""Reading a run folder (the outputs of ``scoring run``) for the reports.

Only the files described in ``docs/outputs.md`` are read; nothing is recomputed. A run is
reported only with the criteria it was scored with (``check_criteria``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from scoring.codes import Code
from scoring.engine.columns import ITEM_PREFIX
from scoring.errors import ScoringError, issue
from scoring.outputs.manifest import finished_run, read_manifest
from scoring.periods import Period, parse_period

from .criteria_view import CriteriaView

__all__ = ["RunData", "HistoryRun", "load_run", "check_criteria", "load_history", "discover_history"]

_REQUIRED = ("scores.parquet", "explanations.parquet", "units.parquet", "manifest.json")


@dataclass(frozen=True)
class RunData:
    """The tables and manifest of one run."""

    run_dir: Path
    manifest: dict[str, Any]
    scores: pl.DataFrame
    explanations: pl.DataFrame
    units: pl.DataFrame

    @property
    def period(self) -> str:
        return str(self.manifest["period"])


@dataclass(frozen=True)
class HistoryRun:
    """An earlier run, as far as the trend needs it: its period and unit figures."""

    run_dir: Path
    period: Period
    units: pl.DataFrame


def load_run(run_dir: Path) -> RunData:
    """Read the four tables the reports need; report every missing or unreadable file at once."""
    run_dir = Path(run_dir)
    problems = []
    for name in _REQUIRED:
        if not (run_dir / name).is_file():
            problems.append(issue(str(run_dir / name), None, None, "không có tệp / file not found",
                                  code=Code.RUN_FILE_MISSING))
    if problems:
        raise ScoringError(problems, title="Thư mục kết quả không đầy đủ / Incomplete run folder")
    try:
        manifest = read_manifest(run_dir)
        if manifest is None:
            raise ValueError("không phải manifest của công cụ này / not a manifest of this tool")
        for key in ("period", "run_date", "criteria"):
            if key not in manifest:
                raise ValueError(f"missing key {key!r}")
        parse_period(str(manifest["period"]))
    except (OSError, ValueError) as exc:
        raise ScoringError(
            [issue(str(run_dir / "manifest.json"), None, None, f"không đọc được / unreadable: {exc}",
                   code=Code.RUN_FILE_UNREADABLE)],
            title="Thư mục kết quả không hợp lệ / Invalid run folder",
        ) from exc
    return RunData(
        run_dir=run_dir,
        manifest=manifest,
        scores=pl.read_parquet(run_dir / "scores.parquet", glob=False),
        explanations=pl.read_parquet(run_dir / "explanations.parquet", glob=False),
        units=pl.read_parquet(run_dir / "units.parquet", glob=False),
    )


def check_criteria(run: RunData, view: CriteriaView) -> None:
    """Refuse to report a run with other criteria than it was scored with: the manifest's
    criteria id and version, and a score column for every item of the criteria."""
    crit = run.manifest.get("criteria", {})
    problems = []
    for key, have in (("id", view.id), ("version", view.version)):
        if key in crit and str(crit[key]) != have:
            problems.append(
                issue(
                    str(run.run_dir / "manifest.json"),
                    None,
                    f"criteria.{key}",
                    f"kết quả được tính theo tiêu chí khác / the run used other criteria "
                    f"(reports were asked for {have!r})",
                    crit[key], code=Code.RUN_INCONSISTENT
                )
            )
    missing = [ITEM_PREFIX + i.item_id for i in view.items
               if ITEM_PREFIX + i.item_id not in run.scores.columns]
    if missing:
        problems.append(
            issue(
                str(run.run_dir / "scores.parquet"),
                None,
                ", ".join(missing),
                "thiếu cột điểm của tiêu chí / missing item columns", code=Code.RUN_INCONSISTENT
            )
        )
    if problems:
        raise ScoringError(problems, title="Tiêu chí không khớp với kết quả / Criteria do not match the run")


def discover_history(run_dir: Path, period: str, limit: int = 8) -> tuple[Path, ...]:
    """Sibling run folders of earlier periods of the same kind, oldest first, one per period.

    A sibling counts when it is a finished run (``finished_run``) and its period is
    earlier than ``period``; when several runs cover one period the one with the latest
    ``run_date`` (then folder name) wins. At most ``limit`` periods are kept (the latest).
    """
    run_dir = Path(run_dir).resolve()
    current = parse_period(period)
    best: dict[Period, tuple[str, str, Path]] = {}
    try:
        siblings = sorted(p for p in run_dir.parent.iterdir() if p.is_dir())
    except OSError:
        return ()
    for sib in siblings:
        if sib.resolve() == run_dir:
            continue
        # only finished runs: our manifest, every file it lists there, units.parquet as hashed
        # (never the partial folder of a killed run, never a run changed since)
        if sib.name.startswith(".") or not finished_run(sib, check={"units.parquet"}):
            continue
        try:
            manifest = read_manifest(sib)
            if manifest is None:
                continue
            p = parse_period(str(manifest["period"]))
        except (OSError, ValueError, KeyError):
            continue
        if p.kind != current.kind or p.start >= current.start:
            continue
        key = (str(manifest.get("run_date", "")), sib.name, sib)
        if p not in best or key[:2] > best[p][:2]:
            best[p] = key
    chosen = sorted(best.items())[-limit:] if limit else []
    return tuple(entry[2] for _, entry in chosen)


def load_history(paths: list[Path] | tuple[Path, ...], period: str) -> tuple[HistoryRun, ...]:
    """Read the earlier runs given by the caller (only periods before ``period`` are kept)."""
    current = parse_period(period)
    out: dict[Period, HistoryRun] = {}
    for path in paths:
        path = Path(path)
        manifest = read_manifest(path)
        if manifest is None:
            raise ValueError(f"{path}: không phải thư mục kết quả / not a run folder of scoring")
        p = parse_period(str(manifest["period"]))
        if p.start >= current.start:
            continue
        out[p] = HistoryRun(path, p, pl.read_parquet(path / "units.parquet", glob=False))
    return tuple(out[p] for p in sorted(out))

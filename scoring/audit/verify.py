"""Verify a finished run: same criteria, same inputs, and recomputed tables byte for byte."""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scoring.audit.read_options import ReadOptions, run_manifest
from scoring.outputs.manifest import sha256_file

__all__ = ["Check", "verify_run"]


@dataclass(frozen=True)
class Check:
    what: str
    ok: bool
    detail: str = ""


def _quiet(_key: str):
    return contextlib.nullcontext()


def verify_run(run_dir: Path, data_dir: Path, columns_file: Path | None = None,
               data_source: Path | None = None) -> list[Check]:
    """Every check made, in order; the run is verified when all are ``ok``.

    The inputs are read as the run read them: its kept copies of the data-source file and the
    column mapping, its sheet and header row (``columns_file`` and ``data_source`` replace a
    copy when given).
    """
    from scoring.run import compute, write_tables

    manifest = run_manifest(run_dir)
    checks: list[Check] = []
    criteria_copy = run_dir / manifest["criteria"]["path"]
    same_criteria = criteria_copy.exists() and sha256_file(criteria_copy) == manifest["criteria"]["sha256"]
    checks.append(Check(f"tiêu chí / criteria {manifest['criteria']['path']}", same_criteria,
                        "" if same_criteria else "tệp tiêu chí trong thư mục kết quả đã bị thay đổi "
                        "/ the criteria file in the run folder was changed"))
    options = manifest.get("options", {})
    read = ReadOptions.of_run(run_dir)
    for kept in ("columns", "data_source"):
        if isinstance(options.get(kept), dict):
            path = options[kept]["path"]
            ok = path not in read.changed
            checks.append(Check(f"cách đọc dữ liệu / read options {path}", ok, "" if ok else
                                "bản lưu đã bị thay đổi / the kept copy was changed"))
    read = read.overridden_by(ReadOptions(columns_file, data_source))
    computed = compute(criteria_copy, data_dir, manifest["period"], _quiet, read.columns_file,
                       read.sheet, read.header_row, read.data_source)
    now = {s.table: s for s in computed.inputs.sources}
    for entry in manifest["inputs"]:
        current = now.get(entry["table"])
        if current is None:
            checks.append(Check(f"dữ liệu / input {entry['path']}", False, "không còn / missing"))
            continue
        ok = current.sha256 == entry["sha256"]
        checks.append(Check(f"dữ liệu / input {entry['path']}", ok, "" if ok else
                            f"nội dung khác ({entry['rows']} → {current.rows} dòng) / content "
                            f"differs ({entry['rows']} → {current.rows} rows)"))
    recorded = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    with tempfile.TemporaryDirectory() as tmp:
        for path in write_tables(computed.result, computed.criteria, Path(tmp),
                                 full_csv=bool(options.get("full_csv"))):
            ok = recorded.get(path.name) == sha256_file(path)
            checks.append(Check(f"kết quả / output {path.name}", ok, "" if ok else
                                "tính lại cho kết quả khác / recomputing gives different content"))
    return checks

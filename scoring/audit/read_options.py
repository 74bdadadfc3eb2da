"""How a run read its inputs (data-source file, column mapping, sheet, header row), taken back
from its folder so that ``verify`` and ``diff --like-run`` read the same data the same way."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scoring.codes import Code
from scoring.errors import InputDataError, issue
from scoring.inputs.frames import InputFrames, InputNeeds
from scoring.outputs.manifest import read_manifest, sha256_file

__all__ = ["ReadOptions", "read_with", "run_manifest"]


def run_manifest(run_dir: Path) -> dict[str, Any]:
    manifest = read_manifest(run_dir)
    if manifest is None:
        raise InputDataError([issue(str(run_dir), None, None, "không phải thư mục kết quả (thiếu "
                                    "manifest.json của công cụ) / not a run folder (no manifest.json "
                                    "of scoring)", code=Code.NOT_A_RUN)])
    return manifest


@dataclass(frozen=True)
class ReadOptions:
    columns_file: Path | None = None
    data_source: Path | None = None
    sheet: str | None = None
    header_row: int | None = None
    changed: tuple[str, ...] = ()  # kept copies whose content no longer matches the manifest

    @classmethod
    def of_run(cls, run_dir: Path) -> ReadOptions:
        """The options a run was made with; the files are its own copies."""
        options = run_manifest(run_dir).get("options", {})
        files: dict[str, Path | None] = {}
        changed = []
        for key in ("columns", "data_source"):
            kept = options.get(key)
            if not isinstance(kept, dict):  # none, or a run made before copies were kept
                files[key] = None
                continue
            copy = run_dir / kept["path"]
            if not copy.is_file():
                raise InputDataError([issue(str(run_dir), None, kept["path"], "thiếu bản lưu của "
                                            "tệp đã dùng để đọc dữ liệu / the kept copy of a file "
                                            "the inputs were read with is missing",
                                            code=Code.RUN_FILE_MISSING)])
            if sha256_file(copy) != kept.get("sha256"):
                changed.append(kept["path"])
            files[key] = copy
        return cls(files["columns"], files["data_source"], options.get("sheet"),
                   options.get("header_row"), tuple(changed))

    def overridden_by(self, other: ReadOptions) -> ReadOptions:
        """These options with every one ``other`` gives instead."""
        return replace(self, columns_file=other.columns_file or self.columns_file,
                       data_source=other.data_source or self.data_source,
                       sheet=other.sheet if other.sheet is not None else self.sheet,
                       header_row=other.header_row if other.header_row is not None else self.header_row)


def read_with(options: ReadOptions, data_dir: Path, needs: InputNeeds | None = None,
              period: str | None = None) -> InputFrames:
    from scoring.inputs.column_map import column_map_from_file
    from scoring.inputs.data_source import load_data_source
    from scoring.inputs.readers import read_inputs

    return read_inputs(
        data_dir, needs=needs, period=period, sheet=options.sheet, header_row=options.header_row,
        column_map=column_map_from_file(options.columns_file) if options.columns_file else None,
        data_source=load_data_source(options.data_source) if options.data_source else None,
    )

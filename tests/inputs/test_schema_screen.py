"""The one-pass screen in front of pandera: it says "nothing to report" exactly when pandera
finds nothing, so every table with a failing cell is still validated and reported by pandera."""

from __future__ import annotations

import math
import shutil
from datetime import date
from pathlib import Path

import pandera.polars as pa
import polars as pl
import pytest
from pandera.errors import SchemaErrors

from scoring.inputs import table_schema as ts
from scoring.inputs.contract import TABLES
from scoring.inputs.readers import read_inputs
from scoring.inputs.row_issues import ROW

BASE = Path(__file__).parents[1] / "cases" / "bad_inputs" / "valid_base"
RANGES = {"discipline": (0.0, 5.0)}


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pl.DataFrame]:
    folder = tmp_path_factory.mktemp("screen") / "data"
    shutil.copytree(BASE, folder)
    read = read_inputs(folder)
    return {t: read.table(t).with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
            for t in TABLES}


def _schema(table: str, frame: pl.DataFrame) -> pa.DataFrameSchema:
    scores = ("discipline",) if table == "assessments" else ()
    return ts.schema_for(table, tuple(frame.columns), scores, tuple(sorted(RANGES.items())))


def _pandera_ok(frame: pl.DataFrame, schema: pa.DataFrameSchema) -> bool:
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors:
        return False
    return True


def _bad_values(table: str, column: str, dtype: pl.DataType) -> list[object]:
    """Values breaking each check the contract puts on ``column`` (and a null)."""
    spec = next((c for c in TABLES[table].columns if c.name == column), None)
    out: list[object] = [None]
    if spec is not None and spec.allowed is not None:
        out.append("not_a_code" if dtype == pl.String else 99)
    if dtype == pl.Date:
        out += [date(1900, 1, 1), date(2200, 1, 1)]
    if (table, column) in ts._BOUNDS:
        out += [-1.0 if dtype == pl.Float64 else -1, 0 if dtype != pl.Float64 else 0.0]
    if column == "period":
        out += ["2025Q1", "Q1-2025"]
    if column in RANGES:
        out += [5.5, -0.5, math.nan]
    if dtype == pl.Float64:
        out.append(math.nan)
    return out


def test_valid_tables_pass_the_screen_and_pandera(frames: dict[str, pl.DataFrame]) -> None:
    for table, frame in frames.items():
        schema = _schema(table, frame)
        assert ts._screen(schema) is not None, table  # every contract schema is screened
        assert ts._passes(frame, schema) and _pandera_ok(frame, schema), table
        assert ts.pandera_issues(frame, "f.csv", schema, None) == []


def test_the_screen_agrees_with_pandera_on_every_broken_cell(
        frames: dict[str, pl.DataFrame]) -> None:
    tried = 0
    for table, frame in frames.items():
        if frame.is_empty():
            continue
        schema = _schema(table, frame)
        for column, dtype in frame.schema.items():
            if column == ROW or column not in schema.columns:
                continue
            for value in _bad_values(table, column, dtype):
                cell = pl.Series(column, [value], dtype=dtype, strict=False)
                broken = frame.with_columns(frame[column].scatter(0, cell[0]))
                tried += 1
                assert ts._passes(broken, schema) == _pandera_ok(broken, schema), (
                    table, column, value)
    assert tried > 60


def test_a_failing_table_is_reported_by_pandera_as_before(
        frames: dict[str, pl.DataFrame]) -> None:
    staff = frames["staff"]
    broken = staff.with_columns(staff["position"].scatter(1, "chief"))
    schema = _schema("staff", broken)
    issues = ts.pandera_issues(broken, "staff.csv", schema, None)
    assert [(i.line, i.where) for i in issues] == [(3, "position")]
    assert "chief" in str(issues[0])


def test_a_wrong_column_type_is_left_to_pandera(frames: dict[str, pl.DataFrame]) -> None:
    staff = frames["staff"].with_columns(pl.col("start_date").cast(pl.String))
    schema = _schema("staff", frames["staff"])
    assert not ts._passes(staff, schema)
    assert not _pandera_ok(staff, schema)


def test_schemas_the_screen_cannot_read_go_to_pandera(frames: dict[str, pl.DataFrame]) -> None:
    units = frames["units"]
    custom = pa.DataFrameSchema({"unit_id": pa.Column(pl.String, pa.Check(
        lambda v: v != "U1", element_wise=True))})
    assert ts._screen(custom) is None and not ts._passes(units, custom)
    wide = pa.DataFrameSchema({"unit_id": pa.Column(pl.String)},
                              checks=[pa.Check(lambda d: d.lazyframe.select(pl.lit(True)))])
    assert ts._screen(wide) is None


def test_every_schema_is_screened_in_a_fresh_process_before_pandera_has_run() -> None:
    """pandera registers its Polars checks on its first validation; the first tables a run
    read used to miss the screen (the national assessments then took pandera's full path)."""
    import subprocess
    import sys

    code = ("from scoring.inputs import table_schema as ts\n"
            "from scoring.inputs.contract import TABLES\n"
            "missed = [t for t in TABLES if ts._screen(ts.table_schema(t)) is None]\n"
            "print(missed)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr

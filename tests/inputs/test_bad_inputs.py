"""Bad input data: every case folder gives exactly its expected errors, through the CLI.

The corpus is ``tests/cases/bad_inputs/<case>/`` (written by ``make_cases.py`` there): a tiny
valid dataset with one defect, ``expected.txt`` (the exact error lines, in order) and
``exit_code`` (2 for invalid data, 0 for valid but unusual data). Each line ends with its stable
problem code (``[D401]``, docs/errors.md), compared exactly with the location.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.cli import main
from scoring.errors import InputDataError
from scoring.inputs.column_map import column_map_from_file
from scoring.inputs.contract import TABLES
from scoring.inputs.readers import read_inputs

CASES = Path(__file__).parents[1] / "cases" / "bad_inputs"
CASE_DIRS = sorted(p for p in CASES.iterdir() if (p / "exit_code").is_file())
BASE = CASES / "valid_base"


def _code(line: str) -> tuple[str, str]:
    """A printed issue split into its text and its problem code (``… [D401]``)."""
    text, _, code = line.rpartition(" [")
    return text, code.removesuffix("]")


def _matches(expected: str, line: str) -> bool:
    """Same problem code; an expected text ending in "…" matches any text starting with it."""
    (want, want_code), (got, got_code) = _code(expected), _code(line)
    if want_code != got_code:
        return False
    return got.startswith(want[:-1]) if want.endswith("…") else got == want


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_corpus_is_large_enough() -> None:
    assert len(CASE_DIRS) >= 25
    assert sum((p / "exit_code").read_text().strip() == "0" for p in CASE_DIRS) >= 8


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [ln for ln in (case / "expected.txt").read_text("utf-8").splitlines() if ln]
    exit_code = int((case / "exit_code").read_text().strip())
    args = ["check-data", "--data", str(case)]
    if (case / "columns.yaml").is_file():
        args += ["--columns", str(case / "columns.yaml")]
    before = _snapshot(case)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert not any(tmp_path.iterdir()), "check-data must not write anything"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == exit_code, result.output
    assert _snapshot(case) == before
    if exit_code == 0:
        assert not expected
        return
    # The reader raises exactly the expected issues, in order; the CLI prints a title line,
    # then each of them: whole when alone of its kind, else as a row under its kind's count.
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines[0].startswith("Dữ liệu đầu vào không hợp lệ / Invalid input data")
    columns = column_map_from_file(case / "columns.yaml") if (case / "columns.yaml").is_file() else None
    with pytest.raises(InputDataError) as info:
        read_inputs(case, column_map=columns)
    got_lines = [i.with_code() for i in info.value.issues]
    assert len(got_lines) == len(expected), "\n".join(got_lines)
    for want, got in zip(expected, got_lines, strict=True):
        assert _matches(want, got), f"\nexpected: {want}\n     got: {got}"
    for i in info.value.issues:  # (the line counting the rows not listed says only how many)
        if not i.message.endswith(" more rows"):
            assert (i.file if i.line is None else f"{i.file}:{i.line}") in result.stderr


# ----------------------------------------------------------------------------- property

# the maxima of criteria/skhcn-quy-2025.yaml, which the base dataset follows
RANGES = {
    "politics_ethics": (0.0, 8.0), "culture_attitude": (0.0, 7.0), "discipline": (0.0, 5.0),
    "task_quantity": (0.0, 25.0), "task_quality": (0.0, 25.0), "task_timeliness": (0.0, 20.0),
}


def _read_base() -> dict[str, list[list[str]]]:
    return {
        p.stem: list(csv.reader(io.StringIO(p.read_text("utf-8"), newline="")))
        for p in sorted(BASE.glob("*.csv"))
    }


def _bad_values(table: str, column: str) -> list[str]:
    """Values that make one cell of ``column`` invalid, whatever the rest of the data."""
    if table == "assessments" and column in RANGES:
        return ["abc", "11e9", "-1"]
    if table == "assessments" and column == "period":
        return ["2025-Q5", "25-Q1", "Q5/2025", ""]
    spec = TABLES[table].column(column)
    values: list[str] = []
    if spec.required:
        values.append("")
    if spec.dtype.is_temporal():
        values += ["2024-02-30", "31/13/2024", "không rõ", "1900-01-01"]
    elif spec.dtype.is_integer():
        values += ["abc", "1.5"]
    elif spec.dtype.is_float():
        values += ["abc", "0", "-2", "nan"]
    elif spec.dtype == pl.Boolean:
        values += ["maybe", "2"]
    elif spec.allowed is not None:
        values += ["bogus", "Staffer"]
    if column == "employee_id" and table != "staff":
        values.append("NOBODY")
    if (table, column) in {("staff", "unit_id"), ("units", "parent_id")}:
        values.append("NOUNIT")
    return values


BASE_TABLES = _read_base()
CELLS = [
    (table, row, column, value)
    for table, rows in BASE_TABLES.items()
    for column in rows[0]
    for row in range(1, len(rows))
    for value in _bad_values(table, column)
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cell=st.sampled_from(CELLS))
def test_any_bad_cell_is_located(cell: tuple[str, int, str, str]) -> None:
    """Replace one cell of the valid base with an invalid value: the error names its place."""
    table, row, column, value = cell
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for path in BASE.glob("*.csv"):
            shutil.copy(path, folder / path.name)
        rows = [list(r) for r in BASE_TABLES[table]]
        rows[row][rows[0].index(column)] = value
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        (folder / f"{table}.csv").write_text(buf.getvalue(), encoding="utf-8")
        with pytest.raises(InputDataError) as info:
            read_inputs(folder, assessment_ranges=RANGES)
    # the header is line 1, so data row `row` is line row + 1
    located = {(i.file, i.line, i.where) for i in info.value.issues}
    assert (f"{table}.csv", row + 1, column) in located, [str(i) for i in info.value.issues]


def test_base_is_valid_with_ranges() -> None:
    frames = read_inputs(BASE, assessment_ranges=RANGES)
    assert frames.staff.height == 5

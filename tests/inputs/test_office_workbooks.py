"""The corpus of office workbooks saved by LibreOffice Calc (``tests/cases/office_workbooks``):
each case scores exactly like the CSV sample, or stops with exactly its expected errors."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from office_helpers import (
    SAMPLE_DATA,
    TABLE_FILES,
    column_mapping_yaml,
    convert_with_libreoffice,
    copy_sample,
    office_header,
    office_rows,
    sample_rows,
    scores_of,
    with_furniture,
    write_workbook,
)
from polars.testing import assert_frame_equal

from scoring.errors import InputDataError
from scoring.inputs.contract import TABLES

CORPUS = Path(__file__).parents[1] / "cases" / "office_workbooks"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "expected.txt").is_file())


@pytest.fixture(scope="module")
def sample_scores():
    return scores_of(SAMPLE_DATA)


def test_corpus_is_saved_by_libreoffice() -> None:
    books = [p for case in CASES for p in case.glob("*.xlsx")]
    assert len(CASES) >= 5 and len(books) >= 27
    for book in books:
        with zipfile.ZipFile(book) as z:
            assert b"LibreOffice" in z.read("docProps/app.xml"), book


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case(case: Path, sample_scores) -> None:
    expected = [ln for ln in (case / "expected.txt").read_text("utf-8").splitlines() if ln]
    source = case / "nguon-du-lieu.yaml"  # a data-source file, or the --columns mapping
    options = {"data_source": source} if source.is_file() else {"columns_file": case / "columns.yaml"}
    if not expected:
        assert_frame_equal(scores_of(case, **options), sample_scores)
        return
    with pytest.raises(InputDataError) as info:
        scores_of(case, **options)
    assert [str(i) for i in info.value.issues] == expected


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by .ci/install")
def test_a_workbook_saved_by_this_libreoffice_scores_like_the_csv(tmp_path: Path, sample_scores) -> None:
    """The installed LibreOffice, not only the one that wrote the corpus."""
    data = copy_sample(tmp_path / "data")
    (data / "violations.csv").unlink()
    made = tmp_path / "made"
    made.mkdir()
    rows = with_furniture(office_rows("violations", sample_rows("violations"), date_cells=True), "VI PHẠM")
    book = write_workbook(made / "Vi phạm giao thông.xlsx", {"Sheet1": rows})
    convert_with_libreoffice([book], data)
    assert_frame_equal(scores_of(data), sample_scores)


# ----------------------------------------------------------------------------- property

FURNITURE = st.fixed_dictionaries({
    "title_rows": st.integers(0, 4),
    "blank_rows": st.lists(st.integers(1, 40), max_size=3),
    "totals": st.booleans(),
    "column_numbers": st.booleans(),
    "signature": st.booleans(),
    "order": st.randoms(use_true_random=False),
    "office_words": st.booleans(),
    "table": st.sampled_from(["staff", "violations", "training", "assessments"]),
})


def _furnished(table: str, f: dict) -> list[list[object]]:
    rows = office_rows(table, sample_rows(table)) if f["office_words"] else sample_rows(table)
    order = list(range(len(rows[0])))
    f["order"].shuffle(order)
    rows = [[r[j] for j in order] for r in rows]
    body = rows[1:]
    for at in sorted(f["blank_rows"], reverse=True):
        body.insert(min(at, len(body)), [])
    out: list[list[object]] = [["TIÊU ĐỀ"] for _ in range(f["title_rows"])] + [rows[0]]
    if f["column_numbers"]:
        out.append([str(i + 1) for i in range(len(rows[0]))])
    out += body
    if f["totals"]:
        out.append(["Tổng cộng"])
    if f["signature"]:
        # the words stand under a column that is not the key: a row holding a key is a record
        # (it stays, and an error names what it lacks), never furniture
        key = TABLES[table].key or "employee_id"
        at = next(j for j in range(1, len(rows[0])) if rows[0][j] not in (key, office_header(table, key)))
        out += [[], [""] * at + ["Người lập biểu"], [""] * at + ["(Ký, ghi rõ họ tên)"]]
    return out


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(furniture=FURNITURE)
def test_a_workbook_and_the_same_records_as_csv_score_alike(tmp_path_factory, sample_scores,
                                                            furniture) -> None:
    """Whatever the furniture (title rows, blank rows, totals, column order, header wording)."""
    data = copy_sample(tmp_path_factory.mktemp("data"))
    table = furniture["table"]
    (data / f"{table}.csv").unlink()
    write_workbook(data / f"{table}.xlsx", {"Sheet1": _furnished(table, furniture)})
    options = {}
    if furniture["office_words"] and table == "assessments":
        (data / "columns.yaml").write_text(column_mapping_yaml(), "utf-8")
        options["columns_file"] = data / "columns.yaml"
    assert_frame_equal(scores_of(data, **options), sample_scores)


def test_every_sample_table_has_an_office_form() -> None:
    for table in TABLE_FILES:
        rows = office_rows(table, sample_rows(table))
        assert len(rows) == len(sample_rows(table))


def test_the_own_names_case_needs_its_data_source_file() -> None:
    """The files are named after no table: without the data-source file nothing is guessed."""
    case = CORPUS / "own_names"
    with pytest.raises(InputDataError) as info:
        scores_of(case)
    assert {i.code for i in info.value.issues} == {"D103", "D105"}  # named after no table; missing
    assert "Trưởng khoa" in (case / "nguon-du-lieu.yaml").read_text("utf-8")

"""The explanations in words: numbers and codes from the engine, one sentence per language."""

from __future__ import annotations

import re

import polars as pl
import pytest

from scoring.engine.score import score
from scoring.inputs.readers import read_inputs
from scoring.outputs.wording import row_words, with_details
from scoring.periods import parse_period
from tests.helpers import SAMPLE_DATA


@pytest.fixture(scope="module")
def result(criteria):
    return score(criteria, read_inputs(SAMPLE_DATA), parse_period("2025-Q1"))


@pytest.fixture(scope="module")
def worded(result, criteria):
    return with_details(result.explanations, criteria)


def test_the_run_words_rows_as_it_builds_them_exactly_as_with_details(result, criteria, worded):
    """The run words each row kind on its own rows (``row_words``); the same words as worded
    afterwards, column for column, in the same order."""
    built = pl.concat(result.explanation_frames(row_words(criteria)))
    assert built.columns == worded.columns and built.equals(worded)


def test_every_row_is_worded_in_both_languages(worded):
    kinds = set(worded["kind"].cast(pl.String))
    assert {"base", "deduction", "bonus", "band", "override", "quota", "status"} <= kinds
    blank = worded.filter((pl.col("detail") == "") | (pl.col("detail_en") == "")
                          | pl.col("detail").is_null() | pl.col("detail_en").is_null())
    # only a condition rule that looked at no number says nothing more than its label
    assert set(blank["basis"].cast(pl.String)) <= {"condition"}
    assert (blank["values"] == "").all() and blank["window"].is_null().all()


def test_vietnamese_has_decimal_commas_and_labels_english_decimal_points(worded, criteria):
    vi, en = worded["detail"].to_list(), worded["detail_en"].to_list()
    assert not [d for d in vi if re.search(r"\d\.\d", d)]
    assert not [d for d in en if re.search(r"\d,\d", d)]
    assert any(re.search(r"\d,\d", d) for d in vi) and any(re.search(r"\d\.\d", d) for d in en)
    ids = [m.id for m in (*criteria.measures, *criteria.leaders.measures)]
    assert not [d for d in vi + en for m in ids if m in d]
    training = criteria.measure("ts_training_hours")
    bonus = worded.filter(pl.col("values").str.starts_with("ts_training_hours="))
    assert bonus.height > 0
    assert bonus["detail"].str.starts_with(training.label + " = ").all()
    assert bonus["detail_en"].str.starts_with(training.label_en + " = ").all()


def test_the_words_follow_the_numbers(worded):
    per = worded.filter(pl.col("basis") == "per").row(0, named=True)
    count = f"{per['count']:g}"
    assert per["detail_en"].startswith(f"{count} × {per['unit_points']:g}")
    assert per["detail"].startswith(f"{count.replace('.', ',')} × ")
    cap = worded.filter(pl.col("basis") == "cap", pl.col("before") == pl.col("after")).row(0, named=True)
    assert cap["detail"] == f"{cap['before']} (không đổi)" and cap["detail_en"].endswith("(unchanged)")
    band = worded.filter(pl.col("kind") == "band").row(0, named=True)
    assert band["detail_en"] == f"{band['before']} → {band['after']}"

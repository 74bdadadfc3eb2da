"""Inputs lent to the engine (``LentInputs``): the same results as inputs given, and each
table let go of once used, so that a national run's peak of memory does not hold them."""

from __future__ import annotations

import gc
import weakref

from polars.testing import assert_frame_equal

from scoring.engine.score import evaluate, score
from scoring.engine.unit_summary import summary_tables
from scoring.inputs.frames import LentInputs
from scoring.inputs.readers import read_inputs
from scoring.periods import parse_period
from tests.helpers import SAMPLE_DATA

Q1 = parse_period("2025-Q1")


def test_lent_inputs_score_as_given_inputs_and_are_let_go_of(criteria):
    given = score(criteria, read_inputs(SAMPLE_DATA), Q1)
    lent = LentInputs(read_inputs(SAMPLE_DATA))
    result = score(criteria, lent, Q1)
    for name in ("scores", "people", "units"):
        assert_frame_equal(getattr(result, name), getattr(given, name))
    assert_frame_equal(result.explanations, given.explanations)
    # every table is empty once scored; where the inputs came from stays
    assert all(lent.inputs.table(t).height == 0 for t in
               ("units", "staff", "assessments", "violations", "training", "discipline", "leave"))
    assert lent.inputs.sources


def test_the_roster_and_assessments_are_freed_once_the_context_is_built(criteria):
    inputs = read_inputs(SAMPLE_DATA)
    roster = weakref.ref(inputs.staff)  # a DataFrame: weakly referable
    lent = LentInputs(inputs)
    del inputs
    evaluate(criteria, lent, Q1)
    gc.collect()
    assert roster() is None, "the engine (or a caller) still holds the roster"
    kept = {t for t in ("units", "staff", "assessments", "violations", "training")
            if lent.inputs.table(t).height}
    assert kept == summary_tables(criteria) == {"units", "violations"}

"""Worked examples scored together in one pass give what each gives scored alone."""

from __future__ import annotations

import pytest

from scoring.audit.examples import run_examples
from scoring.rules.loader import load_criteria, load_criteria_file
from tests.helpers import ROOT


@pytest.mark.parametrize("name", ["skhcn-quy-2025.yaml", "skhcn-nam-2025.yaml"])
def test_one_pass_equals_each_example_alone(name):
    c = load_criteria_file(ROOT / "criteria" / name)
    together = run_examples(c.model_copy(update={"quota_examples": ()}))
    alone = [run_examples(c.model_copy(update={"examples": (ex,), "quota_examples": ()}))[0]
             for ex in c.examples]
    assert [(r.name, r.checks) for r in together] == [(r.name, r.checks) for r in alone]
    assert len(together) == len(c.examples) > 4


def test_examples_do_not_see_each_other_and_periods_are_scored_apart():
    """A leader with a violation and a colleague without, side by side, plus an example of
    another quarter: each is scored as if alone (the sample quarterly file's rules: 8 − 3 per
    violation; the leader's unit share comes only from `unit:`)."""
    text = (ROOT / "criteria" / "skhcn-quy-2025.yaml").read_text("utf-8")
    head = text[:text.index("\nexamples:")]
    marks = ("{politics_ethics: 8, culture_attitude: 7, discipline: 5, task_quantity: 25, "
             "task_quality: 25, task_timeliness: 20}")
    c = load_criteria(head + f"""
examples:
  - name: a
    employee: {{position: head}}
    assessment: {marks}
    violations: [{{category: speeding}}]
    expect: {{items: {{traffic_safety: 5}}}}
  - name: b
    assessment: {marks}
    expect: {{items: {{traffic_safety: 8}}}}
  - name: c
    period: 2025-Q2
    assessment: {marks}
    violations: [{{category: speeding}}, {{category: speeding}}]
    expect: {{items: {{traffic_safety: 2}}}}
  - name: d
    employee: {{position: head}}
    unit: {{unit_violator_share: 0.5}}
    assessment: {marks}
    expect: {{items: {{traffic_safety: 6}}}}
""", source="x.yaml")
    results = run_examples(c)
    assert [r.passed for r in results] == [True] * 4, [r.checks for r in results]


def test_an_example_with_no_row_to_score_is_an_error_never_a_key_error(criteria):
    """The loader refuses, with its line, an example whose person is out of the period; built
    past the loader (as a program could), the one pass still reports it as a criteria error."""
    from datetime import date

    from scoring.errors import CriteriaError

    ex = criteria.examples[0]
    gone = ex.model_copy(update={"employee": {**ex.employee, "start_date": date(2099, 1, 1)}})
    c = criteria.model_copy(update={"examples": (criteria.examples[1], gone), "quota_examples": ()})
    with pytest.raises(CriteriaError) as info:
        run_examples(c, source="x.yaml")
    assert [(i.code, i.where) for i in info.value.issues] == [("C314", "examples[1].employee")]

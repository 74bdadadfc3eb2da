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

"""How big a criteria file may be: a located refusal past the limits, never minutes of reading."""

from __future__ import annotations

import pytest

from scoring.errors import CriteriaError
from scoring.rules import limits
from scoring.rules.loader import load_criteria
from tests.helpers import SAMPLE_CRITERIA

SAMPLE = SAMPLE_CRITERIA.read_text(encoding="utf-8")


def _measures(n: int) -> str:
    extra = "".join(f"  - {{id: m{i}, label: Chỉ số {i}, table: violations, agg: count}}\n"
                    for i in range(n))
    return SAMPLE.replace("measures:\n", "measures:\n" + extra, 1)


def _refused(text: str) -> list:
    with pytest.raises(CriteriaError) as info:
        load_criteria(text, source="big.yaml")
    return info.value.issues


def test_one_measure_too_many_is_refused_at_that_measure(criteria):
    text = _measures(1001 - 5)  # 996 added before the sample's own 5
    (problem,) = _refused(text)
    assert (problem.code, problem.where) == ("C205", "measures[1000]")
    assert text.splitlines()[problem.line - 1].strip() == f"- id: {criteria.measures[4].id}"
    assert "1001" in problem.message and "1000" in problem.message


def test_rules_count_deductions_bonuses_and_overrides_together():
    rule = "          - {id: r%d, label: Trừ %d, points: 1, when: \"violations_effective > 0\"}\n"
    marker = "        deductions:\n"
    assert marker in SAMPLE
    text = SAMPLE.replace(marker, marker + "".join(rule % (i, i) for i in range(1000)), 1)
    (problem,) = _refused(text)
    assert problem.code == "C205" and problem.where.startswith("groups[")
    assert "rules" in problem.message


def test_the_limits_leave_room_for_a_real_file():
    load_criteria(_measures(1000 - 5))  # at the limit: loads (its cost is the engine's concern)
    counter = limits._CountingLoader(SAMPLE)
    try:
        counter.get_single_node()
    finally:
        counter.dispose()
    assert counter.values * 20 < limits.MAX_VALUES  # the sample: about 900 values


def test_the_reader_stops_at_the_value_budget(monkeypatch):
    """A 2 MB file of tiny values would take minutes to read: the reader stops at the budget
    (shown here with a small one), naming the line where it stopped."""
    monkeypatch.setattr(limits, "MAX_VALUES", 300)
    (problem,) = _refused(SAMPLE)
    assert problem.code == "C113" and problem.line is not None
    assert 1 < problem.line < len(SAMPLE.splitlines())
    assert "300" in problem.message

"""The criteria loader: the sample loads; every bad case gives its located message; nothing crashes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from scoring.audit.examples import run_examples
from scoring.errors import CriteriaError
from scoring.rules.loader import load_criteria, load_criteria_file
from tests.helpers import SAMPLE_CRITERIA

CASES = sorted((Path(__file__).parents[1] / "cases" / "bad_criteria").glob("*.yaml"))


def test_sample_criteria_load_into_frozen_tuples(criteria):
    assert criteria.id == "skhcn_quarterly"
    assert [g.max for g in criteria.groups] == [30, 70] and criteria.max_total == 100
    assert [b.code for b in criteria.ratings] == ["HTXS", "HTT", "HT", "KHT"]
    assert isinstance(criteria.groups, tuple) and isinstance(criteria.groups[0].items, tuple)
    with pytest.raises(ValidationError):
        criteria.version = "x"  # frozen


def test_sample_examples_all_pass(criteria):
    results = run_examples(criteria)
    assert len(results) >= 7
    assert [r.name for r in results if not r.passed] == []


def test_a_wrong_example_fails_with_expected_and_actual():
    text = SAMPLE_CRITERIA.read_text(encoding="utf-8").replace(
        "items: {traffic_safety: 8}\n      total: 88.5", "items: {traffic_safety: 8}\n      total: 88"
    )
    results = run_examples(load_criteria(text))
    failed = [r for r in results if not r.passed]
    assert len(failed) == 1
    assert [(w, e, a) for w, e, a, ok in failed[0].checks if not ok] == [("total", 88.0, 88.5)]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_criteria_case(case: Path):
    text = case.read_text(encoding="utf-8")
    # first line: "# expect: [CODE] text": an issue with that stable code whose text holds it
    code, _, expected = text.splitlines()[0].removeprefix("# expect: [").partition("] ")
    with pytest.raises(CriteriaError) as info:
        load_criteria(text, source=case.name)
    messages = [str(i) for i in info.value.issues]
    assert any(i.code == code and expected in str(i) for i in info.value.issues), messages
    for issue in info.value.issues:
        assert issue.file == case.name
        assert issue.line is not None and issue.line >= 1


def test_every_problem_is_reported_at_once():
    text = SAMPLE_CRITERIA.read_text(encoding="utf-8")
    text = text.replace("per: licence_points_lost", "per: nope")
    text = text.replace("    rating: HT\n", "    rating: X\n")
    with pytest.raises(CriteriaError) as info:
        load_criteria(text, source="s.yaml")
    where = {i.where for i in info.value.issues}
    assert {"groups[0].items[3].deductions[2].per", "overrides[2].rating"} <= where


def test_error_line_points_at_the_bad_key():
    text = SAMPLE_CRITERIA.read_text(encoding="utf-8")
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if "per: licence_points_lost" in line)
    lines[target] = lines[target].replace("licence_points_lost", "lost")
    with pytest.raises(CriteriaError) as info:
        load_criteria("\n".join(lines), source="s.yaml")
    assert [i.line for i in info.value.issues] == [target + 1]


def test_unreadable_and_non_utf8_files(tmp_path):
    with pytest.raises(CriteriaError, match="cannot read file"):
        load_criteria_file(tmp_path / "missing.yaml")
    bad = tmp_path / "latin.yaml"
    bad.write_bytes("title: Tiêu chí".encode("utf-16"))
    with pytest.raises(CriteriaError, match="UTF-8"):
        load_criteria_file(bad)


SAMPLE_LINES = SAMPLE_CRITERIA.read_text(encoding="utf-8").splitlines()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_loader_never_crashes_on_any_text(text):
    try:
        load_criteria(text)
    except CriteriaError:
        pass


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_loader_never_crashes_on_mutated_sample(data):
    lines = list(SAMPLE_LINES)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.sampled_from(["delete", "duplicate", "value", "indent"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            value = data.draw(st.sampled_from(["", "-1", "[]", "{}", "null", "'x'", "1e999", "true",
                                               "2025-13-45", "~", "[1, 2]", "HTX", "a > "]))
            lines[i] = f"{key}: {value}"
        if not lines:
            break
    try:
        load_criteria("\n".join(lines))
    except CriteriaError:
        pass


def test_yaml_is_loaded_safely_no_python_objects():
    text = "id: !!python/object/apply:os.system ['echo pwned']\n"
    with pytest.raises(CriteriaError):
        load_criteria(text)
    assert yaml.safe_load("a: 1") == {"a": 1}

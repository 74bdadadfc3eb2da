"""Auditor tooling: JSON Schema, verify, diff with impact, criteria history warnings."""

from __future__ import annotations

import json
import shutil

import polars as pl
import pytest
from click.testing import CliRunner

from scoring.audit.diff import impact, rule_changes
from scoring.cli import main
from scoring.inputs.readers import read_inputs
from scoring.periods import parse_period
from scoring.rules.json_schema import packaged_schema_text, schema_text
from scoring.rules.loader import load_criteria
from tests.helpers import ROOT, SAMPLE_CRITERIA, SAMPLE_DATA


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_packaged_json_schema_is_in_step_with_the_model():
    assert packaged_schema_text() == schema_text(), "run: scoring schema > scoring/criteria.schema.json"
    schema = json.loads(schema_text())
    assert schema["additionalProperties"] is False and "groups" in schema["required"]
    assert "quotas" in schema["properties"] and "leaders" in schema["properties"]


BUNDLED_CRITERIA = sorted((ROOT / "criteria").rglob("*.yaml"))  # both examples


def test_sample_criteria_point_editors_at_the_schema():
    assert len(BUNDLED_CRITERIA) >= 5
    for f in BUNDLED_CRITERIA:
        up = "../" * len(f.relative_to(ROOT).parts[:-1])
        first = f.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema={up}scoring/criteria.schema.json", f


def test_sample_criteria_validate_against_the_json_schema():
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads(schema_text())
    for f in BUNDLED_CRITERIA:
        data = json.loads(json.dumps(yaml.safe_load(f.read_text(encoding="utf-8")), default=str))
        jsonschema.validate(data, schema)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("audit") / "q1"
    result = invoke("run", "--criteria", SAMPLE_CRITERIA, "--data", SAMPLE_DATA, "--period",
                    "2025-Q1", "--out", out, "--no-reports", "--run-date", "2025-04-05")
    assert result.exit_code == 0, result.output
    return out


def test_verify_confirms_an_untouched_run(run_dir):
    result = invoke("verify", "--run", run_dir, "--data", SAMPLE_DATA)
    assert result.exit_code == 0, result.output
    assert "✗" not in result.output and "scores.parquet" in result.output


def test_verify_names_what_differs(run_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, data)
    text = (data / "assessments.csv").read_text(encoding="utf-8")
    (data / "assessments.csv").write_text(text.replace("NV0047,2025-Q1,8.0", "NV0047,2025-Q1,7.0"),
                                          encoding="utf-8")
    result = invoke("verify", "--run", run_dir, "--data", data)
    assert result.exit_code == 1
    bad = [line for line in result.output.splitlines() if line.startswith("✗")]
    assert any("assessments.csv" in line for line in bad)
    assert any("scores.parquet" in line for line in bad)
    assert not any("staff.csv" in line for line in bad)


def test_verify_detects_an_edited_criteria_copy(run_dir, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    crit = copy / "criteria" / SAMPLE_CRITERIA.name
    crit.write_text(crit.read_text(encoding="utf-8").replace("points: 3\n", "points: 2\n", 1),
                    encoding="utf-8")
    result = invoke("verify", "--run", copy, "--data", SAMPLE_DATA)
    assert result.exit_code == 1 and "✗ tiêu chí / criteria" in result.output


def test_rule_changes_in_words():
    old = load_criteria(SAMPLE_CRITERIA.read_text(encoding="utf-8"))
    text = SAMPLE_CRITERIA.read_text(encoding="utf-8")
    text = text.replace("            points: 4\n", "            points: 6\n", 1)
    text = text.replace("leader_unit_alcohol", "leader_alcohol")
    new = load_criteria(text)
    changes = {(c.kind, c.what, c.field) for c in rule_changes(old, new)}
    assert ("changed", "deduction traffic_safety/alcohol", "points") in changes
    assert ("removed", "override leader_unit_alcohol", None) in changes
    assert ("added", "override leader_alcohol", None) in changes
    assert rule_changes(old, old) == []


def test_impact_of_a_heavier_violation_deduction():
    old = load_criteria(SAMPLE_CRITERIA.read_text(encoding="utf-8"))
    new = load_criteria(SAMPLE_CRITERIA.read_text(encoding="utf-8").replace(
        "            points: 3\n", "            points: 4\n", 1))
    imp = impact(old, new, read_inputs(SAMPLE_DATA), parse_period("2025-Q1"))
    j = imp.joined
    # one more point per effective violation: nobody gains, only people with violations lose
    assert (j["delta"].fill_null(0) <= 0).all()
    losers = set(j.filter(pl.col("delta") < 0)["employee_id"])
    q1 = read_inputs(SAMPLE_DATA).violations.filter(
        (pl.col("status") == "effective") & pl.col("violation_date").is_between(
            parse_period("2025-Q1").start, parse_period("2025-Q1").end))
    assert losers <= set(q1["employee_id"])
    assert int(imp.matrix.drop("rating").sum_horizontal().sum()) == j.height


def test_cli_diff_with_impact(tmp_path):
    new = tmp_path / "new.yaml"
    new.write_text(SAMPLE_CRITERIA.read_text(encoding="utf-8").replace(
        "            points: 3\n", "            points: 4\n", 1), encoding="utf-8")
    result = invoke("diff", SAMPLE_CRITERIA, new, "--data", SAMPLE_DATA, "--period", "2025-Q1")
    assert result.exit_code == 0
    assert "deduction traffic_safety/per_violation" in result.output and "3 → 4" in result.output
    assert "Số người thay đổi xếp loại" in result.output


def test_validate_warns_about_overlapping_files(tmp_path):
    shutil.copy(SAMPLE_CRITERIA, tmp_path / "a.yaml")
    shutil.copy(SAMPLE_CRITERIA, tmp_path / "b.yaml")
    result = invoke("validate", tmp_path / "a.yaml")
    assert result.exit_code == 0 and "overlapping" in result.output

"""What a criteria file cannot do (docs/security.md): reach a file, the network or a subquery,
or get an expression past load time that cannot be typed; and no input makes a traceback.

The hostile corpus (tests/cases/hostile_expressions) runs with a canary FIFO and a 127.0.0.1
listener that must see nothing; the typed corpus (tests/cases/typed_expressions) checks that
each type hole is a located error saying what to write. A reduced criteria fuzz (fixed seed)
runs here; the full one is ``benchmarks/fuzz_criteria.py``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from scoring.cli import main
from scoring.errors import CriteriaError
from scoring.rules.loader import load_criteria
from tests.helpers import ROOT, SAMPLE_CRITERIA

CASES = ROOT / "tests" / "cases"
HOSTILE = sorted((CASES / "hostile_expressions").glob("*.yaml"))
TYPED = sorted((CASES / "typed_expressions").glob("*.yaml"))
SAMPLE = SAMPLE_CRITERIA.read_text(encoding="utf-8")
# Where a case's expression goes in the sample: the line it replaces.
PLACES = {
    "violations": "    where: status = 'effective'\n",
    "training": "    where: topic = 'traffic_safety' AND attendance = 'attended'\n",
    "when": "    when: days_worked < 45\n",
    "per": "            per: violations_effective\n",
}


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


sentinels = _bench("sentinels")
fuzz = _bench("fuzz_criteria")


def with_expression(place: str, expression: str) -> str:
    line = PLACES[place]
    key = line.split(":")[0]
    assert line in SAMPLE
    return SAMPLE.replace(line, f"{key}: {json.dumps(expression, ensure_ascii=False)}\n", 1)


def _refusal(case: Path, **values: str) -> tuple[str, list[str]]:
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    expression = spec["expression"]
    for key, value in values.items():
        expression = expression.replace("{" + key + "}", value)
    with pytest.raises(CriteriaError) as info:
        load_criteria(with_expression(spec["place"], expression), source="case.yaml")
    messages = [str(i) for i in info.value.issues]
    assert any(spec["expect"] in m for m in messages), messages
    assert {i.code for i in info.value.issues} == {spec["code"]}, messages
    assert all(i.line is not None and i.where for i in info.value.issues), messages
    return expression, messages


def test_hostile_expressions_never_reach_a_file_or_the_network(tmp_path):
    assert len(HOSTILE) >= 60
    with sentinels.Sentinels(tmp_path) as s:
        for case in HOSTILE:
            _, messages = _refusal(case, canary=str(s.canary), url=s.url)
            text = " ".join(messages)
            assert sentinels.CANARY_SECRET not in text and "No such file" not in text, case.name
            assert "os error" not in text and "HTTP" not in text, case.name
    assert (s.opened, s.connections) == (0, 0)


def test_the_sentinels_do_see_polars_reading(tmp_path):
    """The oracle can fail: Polars' SQL translator itself opens files and makes requests."""
    import polars as pl

    with sentinels.Sentinels(tmp_path) as s:
        for text in (f"topic IN (SELECT topic FROM read_csv('{s.canary}'))",
                     f"topic IN (SELECT topic FROM read_json('{s.url}'))"):
            with pytest.raises(Exception):  # noqa: B017 - any failure; the oracle is the counts
                pl.sql_expr(text)
    assert s.opened > 0 and s.connections > 0


@pytest.mark.parametrize("case", TYPED, ids=[c.stem for c in TYPED])
def test_untypable_expressions_are_refused_with_what_to_write(case: Path):
    _refusal(case)


def test_documented_forms_mean_what_polars_reads_in_the_text():
    """Polars gets the checked tree's rendering, not the text: both must give the same values."""
    from datetime import date

    import polars as pl

    from scoring.rules.expressions import compile_expression

    frame = pl.DataFrame({"a": [1, 2, None, 7], "t": ["x", "y", "x", None], "b": [True, False, None, True],
                          "d": [date(2025, 1, 1), date(2025, 2, 1), None, date(2025, 3, 9)]})
    texts = [
        "a > 1 AND NOT b", "NOT a > 1 OR b", "t IN ('x') OR a BETWEEN 2 AND 3", "a NOT IN (1, 7)",
        "a IS NULL", "a IS NOT NULL AND t <> 'x'", "t != 'y'", "d >= DATE '2025-02-01'",
        "d BETWEEN DATE '2025-01-01' AND DATE '2025-02-01'",
        "CASE WHEN a > 1 THEN 10 ELSE 0 END + LEAST(a, 1) * GREATEST(a, 0) >= 10",
        "ROUND(COALESCE(a, 0) / 3, 1) = 0.7 OR ABS(-a) % 2 = 1", "b = true", "(a + 1) * 2 - -a / 4 > 3",
        "a - 1 - 1 = 0 AND 12 / a / 2 >= 1", "LEAST(d, DATE '2025-02-01') = DATE '2025-02-01'",
    ]
    for text in texts:
        expr = compile_expression(text, dict(frame.schema), kind="condition")
        ours = frame.select(expr.alias("r"))["r"].to_list()
        assert ours == frame.select(pl.sql_expr(text).alias("r"))["r"].to_list(), text
        assert any(v is not None for v in ours), text


def test_rich_markup_in_user_text_is_shown_as_written(tmp_path):
    path = tmp_path / "markup.yaml"
    title = next(line for line in SAMPLE.splitlines() if line.startswith("title: "))
    path.write_text(SAMPLE.replace(title, "title: '[/dự thảo] [bold]:x: Tiêu chí'", 1)
                    .replace("  - name: Không vi phạm, không tham dự tuyên truyền",
                             "  - name: '[/dự thảo] Không vi phạm'", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "[/dự thảo] [bold]:x: Tiêu chí" in result.output
    assert "[/dự thảo] Không vi phạm" in result.output


def test_reduced_criteria_fuzz_has_no_traceback():
    tally = fuzz.run_fuzz(seed=14, count=40, sample=SAMPLE)
    assert tally.crashes == [], tally.crashes[:3]
    assert tally.total == 40 and tally.refused > 0


def test_a_rule_that_gives_no_finite_number_stops_the_run():
    from scoring.engine.score import score
    from scoring.errors import ComputationError
    from scoring.periods import parse_period
    from tests.helpers import make_inputs

    text = SAMPLE.replace(PLACES["per"], "            per: 10 / days_on_leave\n", 1)
    criteria = load_criteria(text)
    inputs = make_inputs([{"employee_id": "NV1"}, {"employee_id": "NV2"}],
                         leave=[{"employee_id": "NV2", "start_date": date(2025, 1, 6),
                                 "end_date": date(2025, 1, 7), "kind": "sick"}])
    with pytest.raises(ComputationError) as info:
        score(criteria, inputs, parse_period("2025-Q1"))
    (problem,) = info.value.issues
    assert problem.where == "groups.common.items.traffic_safety.deductions.per_violation"
    assert "NV1" in problem.message and "NV2" not in problem.message

"""The bundled data folders as a new user meets them: a first run reads every table and lists
no ignored file (the generator scripts live outside the folders the reader scans), and the
sample department is exactly what its generator writes."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scoring.cli import main
from tests.helpers import ROOT, SAMPLE_CRITERIA, SAMPLE_DATA

GENERATOR = SAMPLE_DATA / "generator" / "generate.py"
EXAMPLES = {  # the README's first run and docs/criteria.md section 18's monthly example
    "sample": (SAMPLE_CRITERIA, SAMPLE_DATA, "2025-Q1"),
    "trung-tam": (ROOT / "criteria" / "trung-tam", ROOT / "docs" / "examples" / "trung-tam" / "data",
                  "2025-01"),
}


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_a_first_run_on_a_bundled_folder_lists_no_ignored_file(example, tmp_path: Path) -> None:
    criteria, data, period = EXAMPLES[example]
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", "--criteria", str(criteria), "--data", str(data),
                                       "--period", period, "--out", str(out), "--no-reports",
                                       "--run-date", "2025-04-05"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert len([ln for ln in lines if ln.startswith("  đã đọc: ")]) == 7, result.stderr
    assert not [ln for ln in lines if ln.startswith("  bỏ qua: ")], result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["ignored_inputs"] == []


def test_the_sample_data_is_what_its_generator_writes(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(tmp_path)], check=True, cwd=ROOT,
                   capture_output=True)
    names = sorted(p.name for p in SAMPLE_DATA.iterdir() if p.is_file())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(SAMPLE_DATA, tmp_path, names, shallow=False)
    assert not mismatch and not errors, f"run: python {GENERATOR.relative_to(ROOT)}"

"""The layers' import contracts (import-linter, configured in pyproject.toml)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint(tmp_path: Path, engine_extra: str | None = None) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the package as installed, where ``reports/`` is ``scoring.reports``.

    The source tree keeps the reports beside the package, so the check runs on a tree of links
    that puts them where the installed package has them (``engine_extra``: one more engine
    module, to show that a broken contract is caught).
    """
    farm = tmp_path / "scoring"
    farm.mkdir()
    for entry in (ROOT / "scoring").iterdir():
        if entry.name != "engine":
            (farm / entry.name).symlink_to(entry)
    (farm / "engine").mkdir()
    for module in (ROOT / "scoring" / "engine").glob("*.py"):
        (farm / "engine" / module.name).symlink_to(module)
    if engine_extra:
        (farm / "engine" / "extra.py").write_text(engine_extra, encoding="utf-8")
    (farm / "reports").symlink_to(ROOT / "reports")
    lint = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run([str(lint), str(ROOT / "pyproject.toml"), "--no-cache"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def test_import_contracts_are_kept(tmp_path):
    out = _lint(tmp_path)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert ", 0 broken." in out.stdout


def test_a_broken_contract_is_reported(tmp_path):
    out = _lint(tmp_path, "import scoring.outputs.tables\n")
    assert out.returncode != 0
    assert "scoring.engine.extra -> scoring.outputs.tables" in out.stdout


def test_mypy_is_clean():
    """mypy on the package and the reports; strict on the criteria language and the engine."""
    mypy = Path(sys.executable).with_name("mypy")
    out = subprocess.run([str(mypy), "scoring", "reports"], cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stdout[-4000:]


def test_ruff_is_clean():
    """ruff, including RUF100: no ``noqa`` that silences nothing."""
    ruff = Path(sys.executable).with_name("ruff")
    out = subprocess.run([str(ruff), "check", "."], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-4000:]

"""Fixtures of the output tests."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers import SAMPLE_CRITERIA, SAMPLE_DATA


@pytest.fixture
def project(tmp_path):
    """A copy of the sample data and criteria: a failing test destroys only copies."""
    data = tmp_path / "project" / "data"
    shutil.copytree(SAMPLE_DATA, data, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    criteria = tmp_path / "project" / "criteria" / SAMPLE_CRITERIA.name
    criteria.parent.mkdir()
    shutil.copyfile(SAMPLE_CRITERIA, criteria)
    return tmp_path / "project"

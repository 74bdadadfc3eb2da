"""Shared fixtures: the sample criteria (helpers that are not fixtures: ``tests/helpers.py``)."""

from __future__ import annotations

import pytest

from scoring.rules.loader import load_criteria_file
from tests.helpers import SAMPLE_CRITERIA


@pytest.fixture(scope="session")
def criteria():
    return load_criteria_file(SAMPLE_CRITERIA)

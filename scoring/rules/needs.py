"""What a criteria file needs from the input data (``InputNeeds``), for the readers to check.

A criteria file reads optional contract columns (``licence_points`` in a ``sum``, ``topic`` in a
``where``); when a table lacks one, every person would silently get no deduction. And a
``where`` compares free-text columns with words (``topic = 'traffic_safety'``) that the office
may have typed differently. The readers turn both into errors from what is listed here.
"""

from __future__ import annotations

import polars as pl

from scoring.inputs.contract import TABLES
from scoring.inputs.frames import InputNeeds
from scoring.rules.grammar import check_expression
from scoring.rules.model import Criteria
from scoring.rules.names import DERIVED_COLUMNS, record_schema

__all__ = ["criteria_needs", "merge_needs", "ENGINE_COLUMNS"]

# Optional columns the engine itself reads, whatever the criteria: the end of employment.
ENGINE_COLUMNS: dict[str, frozenset[str]] = {"staff": frozenset({"end_date"})}


def _free_text_columns(table: str) -> list[str]:
    return [c.name for c in TABLES[table].columns if c.dtype == pl.String and not c.allowed]


def criteria_needs(criteria: Criteria) -> InputNeeds:
    """The assessment ranges, used optional columns and ``where`` literals of ``criteria``."""
    ranges = {c: (0.0, m) for c, m in criteria.assessment_ranges.items() if m is not None}
    columns: dict[str, set[str]] = {t: set(c) for t, c in ENGINE_COLUMNS.items()}
    literals: list[tuple[str, str, str, str]] = []
    dates: list[tuple[str, str, str]] = []
    summary = [m for m in criteria.summary_measures() if m is not None]
    for m in (*criteria.measures, *(m for m in summary if not any(m is x for x in criteria.measures))):
        known = set(TABLES[m.table].column_names)
        used = columns.setdefault(m.table, set())
        if m.of and m.of in known:
            used.add(m.of)
        placed_by = criteria.date_column(m)
        if placed_by and placed_by in known:
            used.add(placed_by)
            dates.append((m.table, placed_by, m.id))
        if not m.where:
            continue
        derived = DERIVED_COLUMNS.get(m.table, {})
        checked = check_expression(m.where, record_schema(m.table))
        used.update((set(checked.names) - set(derived)) & known)
        for column in _free_text_columns(m.table):
            for value in checked.literals.get(column, ()):
                if value not in m.may_be_absent:
                    literals.append((m.table, column, value, m.id))
    optional = {t: frozenset(c - set(TABLES[t].required)) for t, c in columns.items()}
    return InputNeeds(ranges=ranges, columns={t: c for t, c in optional.items() if c},
                      literals=tuple(dict.fromkeys(literals)), dates=tuple(dict.fromkeys(dates)))


def merge_needs(*needs: InputNeeds) -> InputNeeds:
    """What several criteria files need together (a yearly sheet and its quarterly ones)."""
    ranges: dict[str, tuple[float, float]] = {}
    columns: dict[str, frozenset[str]] = {}
    literals: list[tuple[str, str, str, str]] = []
    dates: list[tuple[str, str, str]] = []
    for n in needs:
        for name, (lo, hi) in n.ranges.items():
            old = ranges.get(name)
            ranges[name] = (lo, hi) if old is None else (max(old[0], lo), min(old[1], hi))
        for table, cols in n.columns.items():
            columns[table] = columns.get(table, frozenset()) | cols
        literals += n.literals
        dates += n.dates
    return InputNeeds(ranges, columns, tuple(dict.fromkeys(literals)), tuple(dict.fromkeys(dates)))

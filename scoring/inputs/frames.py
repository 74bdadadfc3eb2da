"""The validated inputs of a run, as typed Polars frames, and where they came from."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace

import polars as pl

__all__ = ["SourceFile", "IgnoredFile", "InputNeeds", "InputFrames", "LentInputs"]


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file as read: its name, SHA-256 and number of data rows."""

    table: str
    path: str
    sha256: str
    rows: int
    sheet: str | None = None  # the sheet read, when the workbook has several visible ones
    skipped: str | None = None  # rows below the table not read (the signature block), said so


@dataclass(frozen=True, slots=True)
class IgnoredFile:
    """A file of the data folder that holds no table, and why it was not read."""

    path: str
    reason: str


@dataclass(frozen=True)
class InputNeeds:
    """What the criteria need from the inputs beyond the contract's required columns.

    ``ranges``: assessment score columns and their closed range. ``columns``: optional
    contract columns the criteria (or the engine) read, per table: a table without one is an
    error, not a column of nulls. ``literals``: text values that a measure's ``where``
    compares a free-text column with, as ``(table, column, value, measure id)``: a value that
    no row holds while the column has values is an error (a vocabulary mismatch). ``dates``:
    the date columns that place records in a period, as ``(table, column, measure id)``: a
    blank one is an error (the record would silently count in no period).
    """

    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    columns: dict[str, frozenset[str]] = field(default_factory=dict)
    literals: tuple[tuple[str, str, str, str], ...] = ()
    dates: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class InputFrames:
    """Every table of the input contract, validated, typed and NFC-normalised.

    Column types follow ``scoring.inputs.contract.TABLES``; assessment score columns are Float64.
    Absent optional tables are empty frames with the contract's columns.
    """

    units: pl.DataFrame
    staff: pl.DataFrame
    assessments: pl.DataFrame
    violations: pl.DataFrame
    training: pl.DataFrame
    discipline: pl.DataFrame
    leave: pl.DataFrame
    sources: tuple[SourceFile, ...] = field(default=())
    ignored: tuple[IgnoredFile, ...] = field(default=())

    def table(self, name: str) -> pl.DataFrame:
        frame: pl.DataFrame = getattr(self, name)
        return frame

    def sources_only(self) -> InputFrames:
        """Where the inputs came from, without their rows (every table empty): what a run
        still needs once scored, so that the tables' memory is free while it writes."""
        return self.keeping(())

    def keeping(self, tables: Collection[str]) -> InputFrames:
        """The same inputs with the rows of ``tables`` only (the others empty, same columns)."""
        return replace(self, **{f: getattr(self, f).clear() for f in _TABLE_FIELDS
                                if f not in tables})

    def with_assessments_of(self, periods: Collection[str]) -> InputFrames:
        """The same inputs with only the assessment rows of ``periods`` (a file often holds a
        whole year: the other rows would be carried through the run for nothing)."""
        keep = self.assessments.filter(pl.col("period").is_in(list(periods)))
        return replace(self, assessments=keep)


_TABLE_FIELDS = ("units", "staff", "assessments", "violations", "training", "discipline", "leave")


class LentInputs:
    """Input frames lent to the engine, which lets go of each table once it has used it.

    Whoever lends them keeps no other reference: a national run's roster, assessments and
    training records (about 0.7 GB) are then freed as soon as the context is built, before
    the rating passes reach the run's peak of memory.
    """

    def __init__(self, inputs: InputFrames) -> None:
        self.inputs = inputs

    def release_all_but(self, tables: Collection[str]) -> None:
        self.inputs = self.inputs.keeping(tables)

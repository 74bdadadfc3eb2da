"""Names of the engine's working columns, and how numbers and rating codes become columns."""

from __future__ import annotations

import polars as pl

from scoring.inputs.contract import TABLES
from scoring.rules.model import Criteria, Group, Item, Measure, Override

__all__ = ["base_column", "clip_column", "item_column", "group_column", "fired_column", "number_text",
           "code_of", "ids_column", "ITEM_PREFIX", "window_column", "shows_window", "REASON"]

ITEM_PREFIX = "item_"  # item points in the scores table: ``item_<item id>``
REASON = {"vi": "_reason_vi", "en": "_reason_en"}  # the two sides of ``status_reason``


def base_column(item: Item) -> str:
    return f"_base__{item.id}"


def clip_column(item: Item) -> str:
    return f"_clip__{item.id}"


def item_column(item: Item) -> str:
    return f"{ITEM_PREFIX}{item.id}"


def group_column(group: Group) -> str:
    return f"group_{group.id}"


def fired_column(override: Override) -> str:
    return f"_fired__{override.id}"



def code_of(criteria: Criteria, rank: pl.Expr) -> pl.Expr:
    codes = [b.code for b in criteria.ratings]
    return rank.replace_strict(list(range(len(codes))), codes, return_dtype=pl.String)


def number_text(expr: pl.Expr) -> pl.Expr:
    """A number as people write it: 4 rather than 4.0, 2.5 as is."""
    return expr.cast(pl.Float64).round(2).cast(pl.String).str.strip_suffix(".0")


def window_column(measure_id: str) -> str:
    """The context column saying a measure's window and placing date, when not the default."""
    return f"{measure_id}__window"


def shows_window(criteria: Criteria, measure: Measure) -> bool:
    """A measure over another window than the period, or placed by another date than its
    table's own, says its bounds in the explanations (else the period says it)."""
    return measure.window != "period" or criteria.date_column(measure) != TABLES[measure.table].date_column


def ids_column(measure_id: str) -> str:
    """The context column of the record ids behind a record measure."""
    return f"{measure_id}__ids"

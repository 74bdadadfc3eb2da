"""The compiled points sheet: every rule, formula and override as Polars expressions, once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from scoring.engine.columns import ids_column, number_text, shows_window, window_column
from scoring.engine.compiled import per_criteria
from scoring.inputs.contract import TABLES
from scoring.rules.expressions import compile_expression, referenced_names
from scoring.rules.model import Criteria, Group, Item, Override, Rule
from scoring.rules.names import context_allowed_values, context_schema

__all__ = ["RuleTerm", "SheetPlan", "plan_sheet", "values_of", "windows_of"]


@dataclass(frozen=True)
class RuleTerm:
    """One deduction or bonus of one item, as columns of the context."""

    group: Group
    item: Item
    rule: Rule
    kind: str  # "deduction" | "bonus"
    column: str  # positive amount of points
    values: pl.Expr  # ``measure=number; …`` for every number the condition looked at, or ""
    windows: pl.Expr | None  # the windows of the measures it names that show one
    record_ids: pl.Expr  # ids of the records behind it, sorted, joined by "; "
    when: pl.Expr | None  # the compiled condition, if any
    per: pl.Expr | None  # the compiled per-occurrence count, if any


@dataclass(frozen=True)
class SheetPlan:
    criteria: Criteria
    terms: tuple[RuleTerm, ...]
    overrides: tuple[tuple[Override, pl.Expr, pl.Expr], ...]  # (override, condition, record ids)
    formulas: tuple[tuple[str, pl.Expr], ...]  # (item id, compiled formula)

    def formula(self, item: Item) -> pl.Expr:
        return dict(self.formulas)[item.id]



def _record_measures(criteria: Criteria) -> set[str]:
    return {m.id for m in criteria.measures if TABLES[m.table].key == "record_id"}


def _ids_of(names: tuple[str, ...], record_measures: set[str]) -> pl.Expr:
    """The ids behind ``names``: one measure's text as is, several merged (sorted, unique)."""
    cols = [pl.col(ids_column(n)) for n in names if n in record_measures]
    if not cols:
        return pl.lit("")
    if len(cols) == 1:
        return cols[0]
    merged = pl.concat_str([pl.when(c != "").then(c) for c in cols], separator="; ",
                           ignore_nulls=True)
    return pl.when(merged == "").then(pl.lit("")).otherwise(
        merged.str.split("; ").list.unique().list.sort().list.join("; "))


def values_of(names: tuple[str, ...], schema: Mapping[str, Any]) -> pl.Expr:
    """``name=value; …`` for every number a condition looked at (attributes speak for
    themselves): ids and plain numbers, worded per language by ``scoring.outputs.wording``."""
    names = tuple(n for n in names if schema.get(n) in (pl.Int64, pl.Float64))
    if not names:
        return pl.lit("")
    template = "; ".join(f"{n}={{}}" for n in names)
    return pl.format(template, *[number_text(pl.col(n)) for n in names])


def windows_of(names: tuple[str, ...], criteria: Criteria) -> pl.Expr | None:
    """The window of each measure named that shows one (``m=2024-04-01..2025-03-31@date``)."""
    shown = [pl.col(window_column(m.id)) for n in names
             if (m := criteria.measure(n)) is not None and shows_window(criteria, m)]
    return pl.concat_str(shown, separator="; ") if shown else None


def _compile(criteria: Criteria, text: str, kind: str) -> pl.Expr:
    return compile_expression(
        text, context_schema(criteria), kind=kind, allowed_values=context_allowed_values()  # type: ignore[arg-type]
    )


def plan_sheet(criteria: Criteria) -> SheetPlan:
    """The compiled sheet of ``criteria``: each expression compiled once, kept while it lives."""
    return per_criteria(criteria, "sheet", _plan_sheet)


def _plan_sheet(criteria: Criteria) -> SheetPlan:
    """Compile every rule, formula and override of the sheet into context expressions."""
    record_measures = _record_measures(criteria)
    terms = []
    for group in criteria.groups:
        for item in group.items:
            for kind, rules in (("deduction", item.deductions), ("bonus", item.bonuses)):
                for rule in rules:
                    cond = _compile(criteria, rule.when, "condition") if rule.when else None
                    names = referenced_names(cond) if cond is not None else ()
                    per = None
                    if rule.per:
                        per = _compile(criteria, rule.per, "number")
                        names = tuple(dict.fromkeys((*referenced_names(per), *names)))
                        values = pl.lit("")
                    else:
                        values = values_of(names, context_schema(criteria))
                    terms.append(
                        RuleTerm(group, item, rule, kind, f"_amt__{item.id}__{kind}__{rule.id}",
                                 values, windows_of(names, criteria),
                                 _ids_of(names, record_measures), cond, per)
                    )
    overrides = []
    for o in criteria.overrides:
        cond = _compile(criteria, o.when, "condition")
        overrides.append((o, cond, _ids_of(referenced_names(cond), record_measures)))
    formulas = tuple((i.id, _compile(criteria, i.formula, "number")) for i in criteria.items if i.formula)
    return SheetPlan(criteria, tuple(terms), tuple(overrides), formulas)

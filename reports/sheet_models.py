"""The criteria sheet's context (``criteria_sheet``): frozen dataclasses of plain values, as the
other documents' in ``models``: the groups and items with their rules, the measures, the rating
bands, the overrides and quotas, and the worked examples, formatted for one language.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Document

__all__ = [
    "RuleLine",
    "SheetItem",
    "SheetGroup",
    "MeasureRow",
    "BandRow",
    "OverrideRow",
    "QuotaRow",
    "ExampleBlock",
    "CriteriaSheet",
]


@dataclass(frozen=True, slots=True)
class RuleLine:
    rule_id: str
    kind: str  # "deduction" / "bonus"
    sign: str  # "Trừ 3" / "Cộng 2"
    label: str
    how: str  # "× Số lần vi phạm … (violations_effective)", "khi ts_training_hours >= 2"
    legal_ref: str


@dataclass(frozen=True, slots=True)
class SheetItem:
    number: str
    item_id: str
    label: str
    max: str
    source: str
    description: str
    rules: tuple[RuleLine, ...]
    legal_ref: str


@dataclass(frozen=True, slots=True)
class SheetGroup:
    number: str
    group_id: str
    label: str
    max: str
    items: tuple[SheetItem, ...]


@dataclass(frozen=True, slots=True)
class MeasureRow:
    measure_id: str
    label: str
    table: str
    where: str
    agg: str
    window: str
    section: str  # "" (record measures), "leader", "builtin"


@dataclass(frozen=True, slots=True)
class BandRow:
    code: str
    label: str
    range: str


@dataclass(frozen=True, slots=True)
class OverrideRow:
    number: int
    code: str
    override_id: str
    label: str
    condition: str
    action: str
    legal_ref: str


@dataclass(frozen=True, slots=True)
class QuotaRow:
    code: str
    quota_id: str
    label: str
    rule: str
    scopes: str
    tie_break: str
    legal_ref: str


@dataclass(frozen=True, slots=True)
class ExampleBlock:
    number: int
    name: str
    description: str
    given: tuple[tuple[str, str], ...]
    expect: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class CriteriaSheet:
    doc: Document
    intro: str
    identity: tuple[tuple[str, str], ...]
    legal: tuple[tuple[str, str, str], ...]  # code, title, articles
    groups: tuple[SheetGroup, ...]
    total_max: str
    measures: tuple[MeasureRow, ...]
    bands: tuple[BandRow, ...]
    overrides: tuple[OverrideRow, ...]
    quotas: tuple[QuotaRow, ...]
    leader_positions: str
    examples: tuple[ExampleBlock, ...]

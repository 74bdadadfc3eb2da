"""What the reports need from the criteria object, read once into plain values.

Together with ``criteria_sheet`` this is the only reports module that reads a criteria object
(duck-typed: ``id``, ``version``, ``title``/``title_en``, ``groups[].items[]`` with ``label``,
``label_en``, ``max`` and their rules, ``measures``, ``ratings``, ``overrides``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scoring.inputs.vocabulary import HEADER_WORDS

from . import i18n

__all__ = ["ItemInfo", "OverrideInfo", "CriteriaView", "criteria_view"]

_TRAFFIC_WORDS = re.compile(r"traffic|atgt|giao_thong", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ItemInfo:
    item_id: str
    label: str
    max: float
    group_label: str
    traffic: bool


@dataclass(frozen=True, slots=True)
class OverrideInfo:
    code: str
    label: str
    legal_ref: str
    kind: str  # "override" or "quota"


@dataclass(frozen=True, slots=True)
class CriteriaView:
    """The labels and structure of the criteria in one language (plain values only)."""

    lang: str
    id: str
    version: str
    title: str
    items: tuple[ItemInfo, ...]
    item_labels: Mapping[str, str]
    ratings: tuple[tuple[str, str], ...]  # (code, label) best first
    pass_codes: frozenset[str]  # ratings other than the lowest
    overrides: Mapping[str, OverrideInfo]  # overrides, then quotas, in criteria order
    override_order: tuple[str, ...]
    figure_rules: tuple[str, ...] = ()  # which measure each count of the figures follows


def _label(obj: Any, lang: str) -> str:
    if lang == "en":
        en = getattr(obj, "label_en", None) or getattr(obj, "title_en", None)
        if en:
            return i18n.nfc(str(en))
    return i18n.nfc(str(getattr(obj, "label", None) or getattr(obj, "title", "")))


def _expression_texts(item: Any) -> list[str]:
    texts = [str(getattr(item, "formula", None) or "")]
    for rule in (*getattr(item, "deductions", ()), *getattr(item, "bonuses", ())):
        texts += [str(getattr(rule, "per", None) or ""), str(getattr(rule, "when", None) or "")]
    return texts


def _is_traffic(item: Any, group: Any, violation_measures: set[str]) -> bool:
    """An item belongs to the traffic-safety column when it is named so or reads violations."""
    if _TRAFFIC_WORDS.search(str(item.id)) or _TRAFFIC_WORDS.search(str(group.id)):
        return True
    words = {w for text in _expression_texts(item) for w in re.findall(r"[A-Za-z_]\w*", text)}
    return bool(words & violation_measures)


def criteria_view(criteria: Any, lang: str) -> CriteriaView:
    violation_measures = {
        str(m.id) for m in getattr(criteria, "measures", ()) if getattr(m, "table", "") == "violations"
    }
    items = []
    for group in criteria.groups:
        for item in group.items:
            items.append(
                ItemInfo(
                    item_id=str(item.id),
                    label=_label(item, lang),
                    max=float(item.max),
                    group_label=_label(group, lang),
                    traffic=_is_traffic(item, group, violation_measures),
                )
            )
    # Overrides (ĐC1, ĐC2 …) then quotas (HM1 …): every rule that can change a rating.
    overrides: dict[str, OverrideInfo] = {}
    for attr, (vi, en) in (("overrides", ("ĐC", "A")), ("quotas", ("HM", "Q"))):
        for i, o in enumerate(getattr(criteria, attr, ()) or (), start=1):
            overrides[str(o.id)] = OverrideInfo(
                code=f"{en if lang == 'en' else vi}{i}",
                label=_label(o, lang),
                legal_ref=i18n.nfc(str(getattr(o, "legal_ref", None) or "")),
                kind="quota" if attr == "quotas" else "override",
            )
    ratings = tuple((str(b.code), _label(b, lang)) for b in criteria.ratings)
    return CriteriaView(
        lang=lang,
        id=str(criteria.id),
        version=str(criteria.version),
        title=_label(criteria, lang),
        items=tuple(items),
        item_labels={i.item_id: i.label for i in items},
        ratings=ratings,
        pass_codes=frozenset(code for code, _ in ratings[:-1]),
        overrides=overrides,
        override_order=tuple(overrides),
        figure_rules=_figure_rules(criteria, lang),
    )


def _figure_rules(criteria: Any, lang: str) -> tuple[str, ...]:
    """One line per counted figure: the criteria's measure it follows, its window and date."""
    if not hasattr(criteria, "summary_measures"):
        return ()
    violations, violators, training = criteria.summary_measures()
    lines = []
    for key, m in (("violations", violations), ("violators", violators), ("trained", training)):
        name = i18n.text(lang, key)
        if m is None:
            lines.append(f"{name}: {i18n.text(lang, 'rule_none')}")
            continue
        dated = criteria.date_column(m)
        own = any(m is x for x in criteria.measures)  # else the default count (no measure id)
        how = i18n.text(lang, "rule_measure" if own else "rule_default").format(
            id=m.id, label=_label(m, lang), window=i18n.text(lang, f"window_{m.window}"),
            date=f", {i18n.text(lang, 'rule_by')} {_column_words(m.table, dated, lang)}"
            if dated else "")
        lines.append(i18n.nfc(f"{name}: {how}"))
    return tuple(lines)


def _column_words(table: str, column: str, lang: str) -> str:
    """A data column as its readers call it ("ngày vi phạm", "violation date"), not its id."""
    words = HEADER_WORDS.get(table, {}).get(column)
    if lang == "vi" and words:
        return words[0][:1].lower() + words[0][1:]
    return column.replace("_", " ")

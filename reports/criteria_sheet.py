"""Context of the criteria sheet: the criteria written out as a document for auditors.

Identity, legal basis, the points sheet (groups, items, what each item is computed from, every
deduction and bonus), measures, rating bands, overrides in order, and the worked examples with
their expected results. Reads the criteria object; the template never sees it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import i18n
from .builder import Document, Footer, Letterhead, Meta, make_letterhead
from .formatting import fmt_number

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
    "build_criteria_sheet",
]

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_RECORD_TABLE_LABELS = {
    "violations": ("Vi phạm giao thông", "Traffic violations"),
    "training": ("Tuyên truyền, tập huấn", "Training"),
    "discipline": ("Kỷ luật", "Discipline"),
    "leave": ("Nghỉ", "Leave"),
}


def _t(lang: str, key: str, **kw: object) -> str:
    return i18n.nfc(i18n.text(lang, key).format(**kw))


def _s(value: object) -> str:
    return i18n.nfc(str(value)) if value is not None else ""


def _label(obj: Any, lang: str, attr: str = "label") -> str:
    if lang == "en":
        en = getattr(obj, f"{attr}_en", None)
        if en:
            return _s(en)
    return _s(getattr(obj, attr, ""))


def _date(value: date | None, lang: str) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()


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


class _SheetBuilder:
    def __init__(self, criteria: Any, lang: str) -> None:
        self.c = criteria
        self.lang = lang
        self.measure_labels: dict[str, str] = {
            str(m.id): _label(m, lang) for m in getattr(criteria, "measures", ())
        }
        for mid, (vi, en) in _builtin_measures().items():
            self.measure_labels.setdefault(mid, en if lang == "en" else vi)
        self.item_labels = {str(i.id): _label(i, lang) for g in criteria.groups for i in g.items}
        self.assessment_items = {
            str(i.assessment): _label(i, lang)
            for g in criteria.groups
            for i in g.items
            if getattr(i, "assessment", None)
        }
        self.band_labels = {str(b.code): _label(b, lang) for b in criteria.ratings}
        prefix = "ĐC" if lang == "vi" else "A"
        self.override_codes = {
            str(o.id): f"{prefix}{n}" for n, o in enumerate(getattr(criteria, "overrides", ()), 1)
        }

    def num(self, value: float | int | None) -> str:
        return fmt_number(value, self.lang)

    # -- parts ---------------------------------------------------------------------------

    def identity(self, sha256: str | None) -> tuple[tuple[str, str], ...]:
        c, lang = self.c, self.lang
        rows = [
            (_t(lang, "c_id"), _s(c.id)),
            (_t(lang, "c_version"), _s(c.version)),
            (_t(lang, "c_title"), _label(c, lang, "title")),
            (_t(lang, "c_organisation"), _s(c.organisation)),
        ]
        approval = getattr(c, "approval", None)
        if approval is not None:
            rows.append(
                (
                    _t(lang, "c_approval"),
                    f"{_s(approval.decision)} — {_s(approval.by)}, {_date(approval.date, lang)}",
                )
            )
        until = getattr(c, "effective_until", None)
        rows.append(
            (
                _t(lang, "c_effective"),
                f"{_t(lang, 'c_from')} {_date(c.effective_from, lang)} "
                + (f"{_t(lang, 'c_until')} {_date(until, lang)}" if until else _t(lang, "c_open")),
            )
        )
        kind = str(getattr(c, "period_kind", ""))
        rows.append((_t(lang, "c_period_kind"), _t(lang, f"kind_{kind}") if kind else ""))
        applies = [
            i18n.EMPLOYMENT_LABELS.get(str(a), (str(a), str(a)))[1 if lang == "en" else 0]
            for a in getattr(c, "applies_to", ())
        ]
        rows.append((_t(lang, "c_applies_to"), ", ".join(applies)))
        if getattr(c, "replaces", None):
            rows.append(("replaces", _s(c.replaces)))
        extra_columns = getattr(c, "assessment_columns", ()) or ()
        if extra_columns:
            rows.append((_t(lang, "c_assessment_columns"), ", ".join(map(str, extra_columns))))
        rollup = getattr(c, "rollup", None)
        if rollup is not None:
            rows.append((_t(lang, "c_rollup"), _s(getattr(rollup, "criteria", ""))))
        if sha256:
            rows.append((_t(lang, "c_sha"), sha256))
        return tuple(rows)

    def legal(self) -> tuple[tuple[str, str, str], ...]:
        return tuple(
            (_s(d.code), _label(d, self.lang, "title"), _s(getattr(d, "articles", None) or ""))
            for d in getattr(self.c, "legal_basis", ())
        )

    def _rule(self, rule: Any, kind: str) -> RuleLine:
        lang = self.lang
        how = []
        per = getattr(rule, "per", None)
        if per:
            label = self.measure_labels.get(str(per))
            how.append(f"× {label} ({per})" if label else f"× {per}")
        when = getattr(rule, "when", None)
        if when:
            how.append(f"{_t(lang, 'c_when')} {when}")
        limit = getattr(rule, "limit", None)
        if limit is not None:
            how.append(_t(lang, "c_limit", points=self.num(limit)))
        return RuleLine(
            rule_id=_s(rule.id),
            kind=kind,
            sign=("−" if kind == "deduction" else "+") + self.num(rule.points),
            label=_label(rule, lang),
            how=i18n.nfc("; ".join(how)),
            legal_ref=_s(getattr(rule, "legal_ref", None) or ""),
        )

    def _source(self, item: Any) -> str:
        lang = self.lang
        parts = []
        if getattr(item, "assessment", None):
            parts.append(_t(lang, "c_from_assessment", col=item.assessment))
        if getattr(item, "start", None) is not None:
            parts.append(_t(lang, "c_start", points=self.num(item.start)))
        formula = getattr(item, "formula", None)
        if formula and not getattr(item, "assessment", None):
            parts.append(_t(lang, "c_formula", formula=formula))
        return "; ".join(parts)

    def groups(self) -> tuple[SheetGroup, ...]:
        out = []
        for gi, g in enumerate(self.c.groups):
            items = []
            for ii, item in enumerate(g.items, start=1):
                rules = tuple(self._rule(r, "deduction") for r in getattr(item, "deductions", ()))
                rules += tuple(self._rule(r, "bonus") for r in getattr(item, "bonuses", ()))
                items.append(
                    SheetItem(
                        number=str(ii),
                        item_id=_s(item.id),
                        label=_label(item, self.lang),
                        max=self.num(item.max),
                        source=self._source(item),
                        description=_s(getattr(item, "description", None) or ""),
                        rules=rules,
                        legal_ref=_s(getattr(item, "legal_ref", None) or ""),
                    )
                )
            out.append(
                SheetGroup(
                    number=_ROMAN[gi] if gi < len(_ROMAN) else str(gi + 1),
                    group_id=_s(g.id),
                    label=_label(g, self.lang),
                    max=self.num(g.max),
                    items=tuple(items),
                )
            )
        return tuple(out)

    def measures(self) -> tuple[MeasureRow, ...]:
        lang = self.lang
        rows = []
        for m in getattr(self.c, "measures", ()):
            agg = str(getattr(m, "agg", "count") or "count")
            of = getattr(m, "of", None)
            table = str(m.table)
            pair = _RECORD_TABLE_LABELS.get(table)
            rows.append(
                MeasureRow(
                    measure_id=_s(m.id),
                    label=_label(m, lang),
                    table=f"{pair[1] if lang == 'en' else pair[0]} ({table})" if pair else table,
                    where=_s(getattr(m, "where", None) or _t(lang, "c_all_records")),
                    agg=_t(lang, f"agg_{agg}", of=of or ""),
                    window=_t(lang, f"window_{getattr(m, 'window', 'period') or 'period'}"),
                    section="",
                )
            )
        leaders = getattr(self.c, "leaders", None)
        for m in getattr(leaders, "measures", ()) or ():
            agg = str(getattr(m, "agg", "count") or "count")
            rows.append(
                MeasureRow(
                    measure_id=_s(m.id),
                    label=_label(m, lang),
                    table=_t(lang, "c_subordinates"),
                    where=_s(m.where),
                    agg=_t(lang, "agg_people" if agg == "count" else f"agg_{agg}", of=""),
                    window=_t(lang, "window_period"),
                    section="leader",
                )
            )
        for mid, (vi, en) in _builtin_measures().items():
            rows.append(MeasureRow(mid, en if lang == "en" else vi, "", "", "", "", "builtin"))
        return tuple(rows)

    def leader_positions(self) -> str:
        leaders = getattr(self.c, "leaders", None)
        positions = getattr(leaders, "positions", ()) or ()
        return ", ".join(
            i18n.POSITION_LABELS.get(str(p), (str(p), str(p)))[1 if self.lang == "en" else 0]
            for p in positions
        )

    def quotas(self) -> tuple[QuotaRow, ...]:
        lang = self.lang
        rows = []
        for n, q in enumerate(getattr(self.c, "quotas", ()) or (), start=1):
            more = "".join(
                f", {tb.by} ({_t(lang, str(getattr(tb, 'direction', 'asc')))})"
                for tb in getattr(q, "tie_break", ()) or ()
            )
            rows.append(
                QuotaRow(
                    code=f"{'Q' if lang == 'en' else 'HM'}{n}",
                    quota_id=_s(q.id),
                    label=_label(q, lang),
                    rule=_t(
                        lang,
                        "c_quota_rule",
                        rating=q.rating,
                        pct=self.num(q.max_percent),
                        relative=q.relative_to,
                    ),
                    scopes=", ".join(_t(lang, f"scope_{sc}") for sc in q.scopes),
                    tie_break=_t(lang, "c_tie_break_text", more=more),
                    legal_ref=_s(getattr(q, "legal_ref", None) or ""),
                )
            )
        return tuple(rows)

    def bands(self) -> tuple[BandRow, ...]:
        rows = []
        upper = None
        for b in self.c.ratings:
            low = self.num(b.min)
            text = (
                _t(self.lang, "c_band_from", min=low)
                if upper is None
                else _t(self.lang, "c_band_between", min=low, upper=upper)
            )
            rows.append(BandRow(_s(b.code), _label(b, self.lang), text))
            upper = low
        return tuple(rows)

    def overrides(self) -> tuple[OverrideRow, ...]:
        lang = self.lang
        rows = []
        for n, o in enumerate(getattr(self.c, "overrides", ()), start=1):
            action = str(o.action)
            rating = getattr(o, "rating", None)
            rating_text = f"{rating} ({self.band_labels.get(str(rating), '')})" if rating else ""
            rows.append(
                OverrideRow(
                    number=n,
                    code=self.override_codes[str(o.id)],
                    override_id=_s(o.id),
                    label=_label(o, lang),
                    condition=_s(o.when),
                    action=_t(lang, f"action_{action}", rating=rating_text),
                    legal_ref=_s(getattr(o, "legal_ref", None) or ""),
                )
            )
        return tuple(rows)

    def _records(self, records: Any) -> str:
        return " | ".join(", ".join(f"{k} = {self._value(v)}" for k, v in dict(r).items()) for r in records)

    def _value(self, v: object) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return self.num(v)
        if isinstance(v, date):
            return _date(v, self.lang)
        return _s(v)

    def examples(self) -> tuple[ExampleBlock, ...]:
        lang = self.lang
        out = []
        for n, ex in enumerate(getattr(self.c, "examples", ()), start=1):
            given: list[tuple[str, str]] = []
            if getattr(ex, "period", None):
                given.append((_t(lang, "c_period"), _s(ex.period)))
            employee: Mapping[str, Any] = getattr(ex, "employee", None) or {}
            if employee:
                given.append((_t(lang, "c_employee"), self._records([employee])))
            assessment: Mapping[str, Any] = getattr(ex, "assessment", None) or {}
            if assessment:
                given.append(
                    (
                        _t(lang, "c_assessment"),
                        "; ".join(f"{k} = {self._value(v)}" for k, v in assessment.items()),
                    )
                )
            quarters: Mapping[str, Any] = getattr(ex, "quarters", None) or {}
            if quarters:
                given.append(
                    (
                        _t(lang, "c_quarters"),
                        "; ".join(f"{k} = {self._value(v)}" for k, v in quarters.items()),
                    )
                )
            unit: Mapping[str, Any] = getattr(ex, "unit", None) or {}
            if unit:
                given.append(
                    (
                        "Unit measures (given)" if lang == "en" else "Chỉ số đơn vị (cho trước)",
                        "; ".join(f"{k} = {self._value(v)}" for k, v in unit.items()),
                    )
                )
            for table, pair in _RECORD_TABLE_LABELS.items():
                records = getattr(ex, table, ()) or ()
                if records:
                    label = pair[1] if lang == "en" else pair[0]
                    given.append((f"{label} ({len(records)})", self._records(records)))
            out.append(
                ExampleBlock(
                    number=n,
                    name=_s(ex.name),
                    description=_s(getattr(ex, "description", None) or ""),
                    given=tuple(given),
                    expect=self._expect(ex.expect),
                )
            )
        en = lang == "en"
        for ex in getattr(self.c, "quota_examples", ()) or ():
            counts = "; ".join(f"{code}: {n}" for code, n in ex.counts.items())
            out.append(
                ExampleBlock(
                    number=len(out) + 1,
                    name=_s(ex.name),
                    description="",
                    given=(("Quota" if en else "Hạn mức", _s(ex.quota)),
                           ("People in one group" if en else "Số người trong một nhóm", counts)),
                    expect=(("Keep the rating" if en else "Được giữ mức", self.num(ex.expect_kept)),),
                )
            )
        return tuple(out)

    def _expect(self, expect: Any) -> tuple[tuple[str, str], ...]:
        lang = self.lang
        rows = []
        items = getattr(expect, "items", None)
        if items:
            for item_id, pts in dict(items).items():
                rows.append((self.item_labels.get(str(item_id), str(item_id)), self.num(pts)))
        total = getattr(expect, "total", None)
        if total is not None:
            rows.append((_t(lang, "expect_total"), self.num(total)))
        rating = getattr(expect, "rating", None)
        if rating:
            rows.append((_t(lang, "expect_rating"), f"{rating} – {self.band_labels.get(str(rating), '')}"))
        status = getattr(expect, "status", None)
        if status:
            rows.append((_t(lang, "expect_status"), _t(lang, f"status_{status}")))
        overrides = getattr(expect, "overrides", None)
        if overrides is not None:
            rows.append(
                (
                    _t(lang, "expect_overrides"),
                    ", ".join(f"{self.override_codes.get(str(o), '')} {o}".strip() for o in overrides)
                    or _t(lang, "c_none"),
                )
            )
        return tuple(rows)


def _builtin_measures() -> dict[str, tuple[str, str]]:
    try:
        from scoring.rules.model import BUILTIN_MEASURES
    except ImportError:  # pragma: no cover - the model defines them
        return {}
    return dict(BUILTIN_MEASURES)


def build_criteria_sheet(
    criteria: Any,
    *,
    lang: str = "vi",
    sha256: str | None = None,
    letterhead: Letterhead | None = None,
    agency: str | None = None,
    place: str | None = None,
    run_date: date | None = None,
) -> CriteriaSheet:
    """The criteria sheet context. Dated ``run_date`` when given (a run's sheet), else the
    approval date, else the effective date (never the clock)."""
    b = _SheetBuilder(criteria, lang)
    approval = getattr(criteria, "approval", None)
    day = run_date or (approval.date if approval is not None else criteria.effective_from)
    if letterhead is None:
        letterhead = make_letterhead(agency, place, day, lang, str(criteria.organisation))
    title = _t(lang, "criteria_title")
    subtitle = _label(criteria, lang, "title")
    ident = hashlib.sha256(
        "|".join(["criteria", lang, str(criteria.id), str(criteria.version), sha256 or "",
                  day.isoformat()]).encode()
    ).hexdigest()[:32]
    doc = Document(
        lang=lang,
        letterhead=letterhead,
        footer=Footer(
            criteria_id=str(criteria.id),
            criteria_version=str(criteria.version),
            sha_short=(sha256 or "")[:12],
            note=f"{_t(lang, 'c_effective').lower()} {_t(lang, 'c_from')} "
            f"{_date(criteria.effective_from, lang)}",
        ),
        meta=Meta(
            title=f"{title} – {subtitle}",
            author=letterhead.issuer,
            keywords=f"{criteria.id} {criteria.version}",
            created=day.isoformat(),
            generator="scoring",
            identifier=ident,
        ),
        title=title,
        subtitle=subtitle,
        recipients=i18n.lines(lang, "recipients_criteria"),
    )
    groups = b.groups()
    return CriteriaSheet(
        doc=doc,
        intro=_s(getattr(criteria, "title_en", None) or "") if lang == "vi" else "",
        identity=b.identity(sha256),
        legal=b.legal(),
        groups=groups,
        total_max=b.num(sum(float(g.max) for g in criteria.groups)),
        measures=b.measures(),
        bands=b.bands(),
        overrides=b.overrides(),
        quotas=b.quotas(),
        leader_positions=b.leader_positions(),
        examples=b.examples(),
    )

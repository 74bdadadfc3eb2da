"""Context of the criteria sheet: the criteria written out as a document for auditors.

Identity, legal basis, the points sheet (groups, items, what each item is computed from, every
deduction and bonus), measures, rating bands, overrides in order, and the worked examples with
their expected results. Reads the criteria object; the template never sees it.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from . import i18n
from .criteria_examples import ExampleWriter
from .criteria_text import RECORD_TABLE_LABELS, date_text, label_of, text_of
from .formatting import fmt_number
from .i18n import fmt as _t
from .models import Document, Footer, Letterhead, Meta, make_letterhead
from .sheet_models import (
    BandRow,
    CriteriaSheet,
    ExampleBlock,
    MeasureRow,
    OverrideRow,
    QuotaRow,
    RuleLine,
    SheetGroup,
    SheetItem,
)

__all__ = ["build_criteria_sheet"]

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
class _SheetBuilder:
    def __init__(self, criteria: Any, lang: str) -> None:
        self.c = criteria
        self.lang = lang
        self.measure_labels: dict[str, str] = {
            str(m.id): label_of(m, lang) for m in getattr(criteria, "measures", ())
        }
        for mid, (vi, en) in _builtin_measures().items():
            self.measure_labels.setdefault(mid, en if lang == "en" else vi)
        self.item_labels = {str(i.id): label_of(i, lang) for g in criteria.groups for i in g.items}
        self.assessment_items = {
            str(i.assessment): label_of(i, lang)
            for g in criteria.groups
            for i in g.items
            if getattr(i, "assessment", None)
        }
        self.band_labels = {str(b.code): label_of(b, lang) for b in criteria.ratings}
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
            (_t(lang, "c_id"), text_of(c.id)),
            (_t(lang, "c_version"), text_of(c.version)),
            (_t(lang, "c_title"), label_of(c, lang, "title")),
            (_t(lang, "c_organisation"), text_of(c.organisation)),
        ]
        approval = getattr(c, "approval", None)
        if approval is not None:
            rows.append(
                (
                    _t(lang, "c_approval"),
                    f"{text_of(approval.decision)} — {text_of(approval.by)}, "
                    f"{date_text(approval.date, lang)}",
                )
            )
        until = getattr(c, "effective_until", None)
        rows.append(
            (
                _t(lang, "c_effective"),
                f"{_t(lang, 'c_from')} {date_text(c.effective_from, lang)} "
                + (f"{_t(lang, 'c_until')} {date_text(until, lang)}" if until else _t(lang, "c_open")),
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
            rows.append(("replaces", text_of(c.replaces)))
        extra_columns = getattr(c, "assessment_columns", ()) or ()
        if extra_columns:
            rows.append((_t(lang, "c_assessment_columns"), ", ".join(map(str, extra_columns))))
        rollup = getattr(c, "rollup", None)
        if rollup is not None:
            key = "c_rollup_month" if getattr(rollup, "of", "quarter") == "month" else "c_rollup"
            rows.append((_t(lang, key), text_of(getattr(rollup, "criteria", ""))))
        if sha256:
            rows.append((_t(lang, "c_sha"), sha256))
        return tuple(rows)

    def legal(self) -> tuple[tuple[str, str, str], ...]:
        return tuple(
            (text_of(d.code), label_of(d, self.lang, "title"), text_of(getattr(d, "articles", None) or ""))
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
            rule_id=text_of(rule.id),
            kind=kind,
            sign=("−" if kind == "deduction" else "+") + self.num(rule.points),
            label=label_of(rule, lang),
            how=i18n.nfc("; ".join(how)),
            legal_ref=text_of(getattr(rule, "legal_ref", None) or ""),
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
                        item_id=text_of(item.id),
                        label=label_of(item, self.lang),
                        max=self.num(item.max),
                        source=self._source(item),
                        description=text_of(getattr(item, "description", None) or ""),
                        rules=rules,
                        legal_ref=text_of(getattr(item, "legal_ref", None) or ""),
                    )
                )
            out.append(
                SheetGroup(
                    number=_ROMAN[gi] if gi < len(_ROMAN) else str(gi + 1),
                    group_id=text_of(g.id),
                    label=label_of(g, self.lang),
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
            pair = RECORD_TABLE_LABELS.get(table)
            rows.append(
                MeasureRow(
                    measure_id=text_of(m.id),
                    label=label_of(m, lang),
                    table=f"{pair[1] if lang == 'en' else pair[0]} ({table})" if pair else table,
                    where=text_of(getattr(m, "where", None) or _t(lang, "c_all_records")),
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
                    measure_id=text_of(m.id),
                    label=label_of(m, lang),
                    table=_t(lang, "c_subordinates"),
                    where=text_of(m.where),
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
                    quota_id=text_of(q.id),
                    label=label_of(q, lang),
                    rule=_t(
                        lang,
                        "c_quota_rule",
                        rating=q.rating,
                        pct=self.num(q.max_percent),
                        relative=q.relative_to,
                    ),
                    scopes=", ".join(_t(lang, f"scope_{sc}") for sc in q.scopes),
                    tie_break=_t(lang, "c_tie_break_text", more=more),
                    legal_ref=text_of(getattr(q, "legal_ref", None) or ""),
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
            rows.append(BandRow(text_of(b.code), label_of(b, self.lang), text))
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
                    override_id=text_of(o.id),
                    label=label_of(o, lang),
                    condition=text_of(o.when),
                    action=_t(lang, f"action_{action}", rating=rating_text),
                    legal_ref=text_of(getattr(o, "legal_ref", None) or ""),
                )
            )
        return tuple(rows)

    def examples(self) -> tuple[ExampleBlock, ...]:
        return ExampleWriter(self.c, self.lang, self.num, self.item_labels, self.band_labels,
                             self.override_codes).examples()


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
        letterhead = make_letterhead(agency, place, day, lang, str(criteria.organisation), criteria)
    title = _t(lang, "criteria_title")
    subtitle = label_of(criteria, lang, "title")
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
            f"{date_text(criteria.effective_from, lang)}",
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
        intro=text_of(getattr(criteria, "title_en", None) or "") if lang == "vi" else "",
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

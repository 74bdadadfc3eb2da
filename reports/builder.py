"""Step 1 of a report: build the plain context objects of a run's reports.

``ReportBuilder`` reads a run's tables (``run_reader``) and a ``CriteriaView`` of the criteria, and
returns the frozen contexts of ``contexts``: one ``UnitReport`` per unit (its staff and the staff
of its sub-units only) and the department ``SummaryReport``. All text is NFC and every number is
formatted for the language here, so templates only place values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date
from itertools import accumulate
from typing import Any

import polars as pl

from scoring.codes import Code
from scoring.engine.columns import ITEM_PREFIX
from scoring.errors import ScoringError, issue
from scoring.inputs.contract import POSITIONS, VIOLATION_CATEGORIES
from scoring.outputs.wording import DETAIL_COLUMNS

from . import i18n
from .charts import BAR_COLOUR, NOT_RATED_COLOUR, HBarChart, hbar_chart, rating_colours, stacked_chart
from .criteria_view import criteria_view
from .formatting import fmt_number, fmt_percent, fmt_points, fmt_signed
from .i18n import fmt as _t
from .models import (
    CategoryCount,
    Document,
    ExplanationLine,
    Figures,
    Footer,
    ItemColumn,
    Letterhead,
    Meta,
    PersonExplanation,
    RatingCount,
    StaffBlock,
    StaffRow,
    SummaryReport,
    Trend,
    TrendRow,
    UnitLine,
    UnitReport,
    make_letterhead,
)
from .run_reader import HistoryRun, RunData
from .summary import notable, override_effects
from .units import sum_rows, tree_order

__all__ = ["ReportBuilder", "CATEGORIES", "CONTENT_WIDTH_MM"]

CATEGORIES = VIOLATION_CATEGORIES
_POSITION_RANK = {p: i for i, p in enumerate(POSITIONS)}  # document order: the most senior first
_EXPLAINED_KINDS = ("deduction", "bonus", "clip", "override", "quota", "status")


class ReportBuilder:
    """Builds every report context of one run in one language."""

    def __init__(
        self,
        run: RunData,
        criteria: Any,
        *,
        lang: str = "vi",
        agency: str | None = None,
        place: str | None = None,
        history: tuple[HistoryRun, ...] = (),
    ) -> None:
        if lang not in i18n.LANGS:
            raise ValueError(f"lang must be one of {i18n.LANGS}, not {lang!r}")
        self.run = run
        self.criteria = criteria
        self.lang = lang
        self.view = criteria_view(criteria, lang)
        self.history = history
        self._check_criteria_matches()
        manifest = run.manifest
        self.period = run.period
        self.run_date = date.fromisoformat(str(manifest["run_date"])[:10])
        crit = manifest.get("criteria", {})
        self.sha = str(crit.get("sha256", ""))
        self.order, self.descendants = tree_order(run.units)
        self.units_by_id = {u.unit_id: u for u in self.order}
        self.unit_rank = {u.unit_id: i for i, u in enumerate(self.order)}
        self.colours = rating_colours([c for c, _ in self.view.ratings])
        options = manifest.get("options") or {}
        self.letterhead = self._letterhead(
            agency if agency is not None else options.get("agency"),
            place if place is not None else options.get("place"),
        )
        self.footer = Footer(
            criteria_id=self.view.id,
            criteria_version=self.view.version,
            sha_short=self.sha[:12],
            note=f"{_t(lang, 'footer_period')} {i18n.period_short(self.period, lang)}",
        )
        # Scores sorted by unit and explanations by person, once, with the row span of each:
        # a report takes its rows by slicing, never by scanning a national table per unit.
        self._scores, self._unit_spans = _spans(run.scores.sort("unit_id", maintain_order=True), "unit_id")
        self._explanations, self._person_spans = _spans(self._explained_rows(), "employee_id")

    # -- checks and shared parts ---------------------------------------------------------

    def _check_criteria_matches(self) -> None:
        crit = self.run.manifest.get("criteria", {})
        problems = []
        for key, have in (("id", self.view.id), ("version", self.view.version)):
            if key in crit and str(crit[key]) != have:
                problems.append(
                    issue(
                        str(self.run.run_dir / "manifest.json"),
                        None,
                        f"criteria.{key}",
                        f"kết quả được tính theo tiêu chí khác / the run used other criteria "
                        f"(reports were asked for {have!r})",
                        crit[key], code=Code.RUN_INCONSISTENT
                    )
                )
        missing = [
            ITEM_PREFIX + i.item_id for i in self.view.items
            if ITEM_PREFIX + i.item_id not in self.run.scores.columns
        ]
        if missing:
            problems.append(
                issue(
                    str(self.run.run_dir / "scores.parquet"),
                    None,
                    ", ".join(missing),
                    "thiếu cột điểm của tiêu chí / missing item columns", code=Code.RUN_INCONSISTENT
                )
            )
        if problems:
            raise ScoringError(
                problems, title="Tiêu chí không khớp với kết quả / Criteria do not match the run"
            )

    def _letterhead(self, agency: str | None, place: str | None) -> Letterhead:
        roots = [u for u in self.order if u.level == 0]
        root_name = roots[0].name if len(roots) == 1 else ""
        return make_letterhead(agency, place, self.run_date, self.lang, root_name, self.criteria)

    def _document(self, kind: str, key: str, title: str, subtitle: str, recipients: str) -> Document:
        tool = self.run.manifest.get("tool", {})
        # the run's tables, not the PDFs (a later `scoring report` must give the same /ID)
        tables = sorted(
            str(o.get("sha256", ""))
            for o in self.run.manifest.get("outputs", ())
            if str(o.get("path", "")).split(".")[0] in ("scores", "explanations", "units")
        )
        ident_src = "|".join(
            [kind, key, self.lang, self.view.id, self.view.version, self.sha, self.period,
             self.run_date.isoformat(), *tables]
        )
        meta = Meta(
            title=i18n.nfc(f"{title} – {subtitle}" if subtitle else title),
            author=self.letterhead.issuer,
            keywords=f"{self.view.id} {self.view.version} {self.period}",
            created=self.run_date.isoformat(),
            generator=f"{tool.get('name', 'scoring')} {tool.get('version', '')}".strip(),
            identifier=hashlib.sha256(ident_src.encode()).hexdigest()[:32],
        )
        return Document(
            lang=self.lang,
            letterhead=self.letterhead,
            footer=self.footer,
            meta=meta,
            title=title,
            subtitle=subtitle,
            recipients=i18n.lines(self.lang, recipients),
        )

    def _intro(self) -> str:
        from scoring.periods import parse_period

        p = parse_period(self.period)
        title = self.view.title
        if self.lang == "vi":
            title = title[:1].lower() + title[1:]
            period = p.title_vi()
        else:
            period = p.title_en()
        return _t(self.lang, "criteria_ref", title=title, id=self.view.id,
                  version=self.view.version, period=period)

    # -- figures -------------------------------------------------------------------------

    def _figures(self, row: Mapping[str, Any]) -> Figures:
        lang = self.lang
        headcount = int(row.get("headcount") or 0)
        ratings = []
        for code, label in self.view.ratings:
            n = int(row.get(f"rating_{code}") or 0)
            share = fmt_percent(n / headcount, lang) if headcount else "–"
            ratings.append(RatingCount(code, label, n, share, self.colours[code]))
        cats = tuple(
            CategoryCount(c, i18n.nfc(i18n.category_label(c, lang)), int(row.get(f"violations_{c}") or 0))
            for c in CATEGORIES
        )
        mean = row.get("mean_total")
        return Figures(
            headcount=headcount,
            direct_headcount=int(row.get("direct_headcount") or 0),
            rated=int(row.get("rated") or 0),
            not_rated=int(row.get("not_rated") or 0),
            ratings=tuple(ratings),
            violations=int(row.get("violations") or 0),
            categories=cats,
            violators=int(row.get("violators") or 0),
            trained=int(row.get("trained") or 0),
            training_reach=fmt_percent(float(row.get("training_reach") or 0.0), lang),
            mean_total=fmt_points(mean, lang) if mean is not None else "–",
            rules=self.view.figure_rules,
        )

    def _rating_chart(self, f: Figures) -> HBarChart:
        rows = [
            (
                f"{r.code} – {r.label}" if len(r.label) <= 14 else r.code,
                float(r.count),
                f"{r.count}",
                r.colour,
            )
            for r in f.ratings
        ]
        rows.append((_t(self.lang, "not_rated"), float(f.not_rated), str(f.not_rated), NOT_RATED_COLOUR))
        return hbar_chart(rows, width=235.0, label_width=78.0)

    def _violation_chart(self, f: Figures) -> HBarChart | None:
        if f.violations == 0:
            return None
        rows = [(c.label, float(c.count), str(c.count), BAR_COLOUR) for c in f.categories]
        return hbar_chart(rows, width=235.0, label_width=100.0, row_height=13.0)

    # -- staff ---------------------------------------------------------------------------

    def _explained_rows(self) -> pl.DataFrame:
        ex = self.run.explanations
        if ex.is_empty():
            return pl.DataFrame(schema={"employee_id": pl.String})
        ex = ex.filter(pl.col("kind").is_in(_EXPLAINED_KINDS)).filter(
            ~pl.col("kind").is_in(("deduction", "bonus", "clip")) | (pl.col("points").fill_null(0.0) != 0.0)
        )
        return ex.sort("employee_id", "seq")

    def _rows(self, frame: pl.DataFrame, spans: dict[str, tuple[int, int]], key: str) -> pl.DataFrame:
        start, length = spans.get(key, (0, 0))
        return frame.slice(start, length)

    def _adjust_codes(self, *fields: str | None) -> str:
        """``ĐC2, HM1`` from the ``overrides`` and ``quota`` cells (``; ``-separated ids)."""
        ids = [s.strip() for f in fields for s in (f or "").split(";") if s.strip()]
        return ", ".join(self.view.overrides[i].code if i in self.view.overrides else i for i in ids)

    def _rating_text(self, r: Mapping[str, Any]) -> str:
        if r.get("status") == "not_rated" or not r.get("rating"):
            return _t(self.lang, "not_rated_short")
        return str(r["rating"])

    def direct_people(self, unit_id: str) -> list[str]:
        """The ids of the people directly in ``unit_id``, in document order."""
        rows = self._rows(self._scores, self._unit_spans, unit_id).iter_rows(named=True)
        return [r["employee_id"] for r in sorted(rows, key=self.person_order)]

    def direct_headcount(self, unit_id: str) -> int:
        return self._unit_spans.get(unit_id, (0, 0))[1]

    def summary_headcount(self) -> int:
        return self._scores.height

    def person_order(self, r: Mapping[str, Any]) -> tuple[int, int, str]:
        """Document order of people: by unit, the most senior first, then by id."""
        return (self.unit_rank.get(r["unit_id"], 1 << 30),
                _POSITION_RANK.get(r.get("position") or "", 9), r["employee_id"])

    def position_text(self, r: Mapping[str, Any]) -> str:
        """A person's title as the unit calls it (Chánh Văn phòng, Chi cục trưởng …)."""
        unit = self.units_by_id.get(r["unit_id"])
        return i18n.nfc(i18n.position_label(str(r.get("position") or ""),
                                            str(r.get("employment_type") or ""),
                                            unit.kind if unit else None, self.lang))

    def _staff_rows(self, scope: list[str]) -> tuple[list[StaffBlock], list[PersonExplanation]]:
        lang = self.lang
        plain_items = [i for i in self.view.items if not i.traffic]
        traffic_items = [i for i in self.view.items if i.traffic]
        records = sorted(
            (r for u in scope for r in self._rows(self._scores, self._unit_spans, u).iter_rows(named=True)),
            key=self.person_order,
        )
        blocks: list[StaffBlock] = []
        current: list[StaffRow] = []
        current_unit: str | None = None
        explanations: list[PersonExplanation] = []

        def close() -> None:
            if current_unit is not None:
                u = self.units_by_id.get(current_unit)
                blocks.append(
                    StaffBlock(
                        current_unit,
                        u.name if u else current_unit,
                        u.level if u else 0,
                        tuple(current),
                    )
                )

        for stt, r in enumerate(records, start=1):
            if r["unit_id"] != current_unit:
                close()
                current = []
                current_unit = r["unit_id"]
            traffic = (
                fmt_points(sum(float(r[ITEM_PREFIX + i.item_id] or 0.0) for i in traffic_items), lang)
                if traffic_items
                else ""
            )
            rating = self._rating_text(r)
            name = i18n.nfc(str(r["full_name"]))
            row = StaffRow(
                stt=stt,
                employee_id=str(r["employee_id"]),
                name=name,
                position=self.position_text(r),
                cells=tuple(fmt_points(r[ITEM_PREFIX + i.item_id], lang) for i in plain_items),
                traffic=traffic,
                total=fmt_points(r["total"], lang),
                rating=rating,
                adjust=self._adjust_codes(r.get("overrides"), r.get("quota")),
                highlight=rating not in self.view.pass_codes,
            )
            current.append(row)
            lines = self._explain(r["employee_id"])
            if lines:
                explanations.append(PersonExplanation(stt, name, row.total, rating, lines))
        close()
        return blocks, explanations

    def _explain(self, employee_id: str) -> tuple[ExplanationLine, ...]:
        lang = self.lang
        out = []
        for e in self._rows(self._explanations, self._person_spans, employee_id).iter_rows(named=True):
            label = e.get("label_en") if lang == "en" and e.get("label_en") else e.get("label")
            item = e.get("item")
            out.append(
                ExplanationLine(
                    kind=str(e["kind"]),
                    # rule labels name their item; a clip row does not
                    subject=self.view.item_labels.get(str(item), str(item))
                    if item and e["kind"] == "clip"
                    else "",
                    label=i18n.nfc(str(label or e.get("rule") or "")),
                    points=(
                        fmt_signed(e["points"], lang)
                        if e.get("points") is not None
                        else self._adjust_codes(str(e.get("rule") or ""))
                        if e["kind"] in ("override", "quota")
                        else ""
                    ),
                    detail=i18n.nfc(str(e.get(DETAIL_COLUMNS[lang]) or "")),
                    records=i18n.nfc(str(e.get("record_ids") or "")),
                    legal_ref=i18n.nfc(str(e.get("legal_ref") or "")),
                )
            )
        return tuple(out)

    # -- trend ---------------------------------------------------------------------------

    def _trend(self, unit_ids: Iterable[str], current: Mapping[str, Any]) -> Trend | None:
        if not self.history:
            return None
        codes = tuple(c for c, _ in self.view.ratings)
        rows: list[TrendRow] = []
        wanted = list(unit_ids)
        for h in self.history:
            frame = h.units.filter(pl.col("unit_id").is_in(wanted))
            if frame.is_empty():
                continue
            agg = sum_rows(list(frame.iter_rows(named=True)))
            rows.append(self._trend_row(i18n.period_short(h.period.label, self.lang), agg, False))
        if not rows:
            return None
        rows.append(self._trend_row(i18n.period_short(self.period, self.lang), current, True))
        series = [(c, self.colours[c]) for c in codes]
        series.append((_t(self.lang, "not_rated_short"), NOT_RATED_COLOUR))
        chart = stacked_chart(
            [(r.period, (*r.counts, r.not_rated), r.mean_total) for r in rows],
            series,
            width=228.0,
            label_width=52.0,
        )
        return Trend(codes=codes, rows=tuple(rows), chart=chart)

    def _trend_row(self, label: str, row: Mapping[str, Any], current: bool) -> TrendRow:
        codes = [c for c, _ in self.view.ratings]
        mean = row.get("mean_total")
        return TrendRow(
            period=label,
            headcount=int(row.get("headcount") or 0),
            counts=tuple(int(row.get(f"rating_{c}") or 0) for c in codes),
            not_rated=int(row.get("not_rated") or 0),
            mean_total=fmt_points(mean, self.lang) if mean is not None else "–",
            current=current,
        )

    # -- reports -------------------------------------------------------------------------

    def unit_ids(self) -> tuple[str, ...]:
        return tuple(u.unit_id for u in self.order)

    def unit_report(self, unit_id: str) -> UnitReport:
        lang = self.lang
        unit = self.units_by_id[unit_id]
        scope = self.descendants[unit_id]
        figures = self._figures(unit.row)
        blocks, explanations = self._staff_rows(scope)
        plain_items = [i for i in self.view.items if not i.traffic]
        columns = tuple(
            ItemColumn(f"({n})", i.item_id, i.label, fmt_number(i.max, lang), i.group_label)
            for n, i in enumerate(plain_items, start=1)
        )
        traffic = [i for i in self.view.items if i.traffic]
        traffic_legend = "; ".join(
            f"{i.label} ({_t(lang, 'max_prefix')} {fmt_number(i.max, lang)})" for i in traffic
        )
        subs = [self.units_by_id[u].name for u in scope[1:]]
        scope_text = (
            _t(lang, "scope_with_sub", unit=unit.name, n=len(subs), names="; ".join(subs))
            if subs
            else _t(lang, "scope_note", unit=unit.name)
        )
        if subs:
            scope_text = _t(lang, "scope_note", unit=scope_text)
        title = _t(lang, "unit_title", period=i18n.period_title(self.period, lang))
        doc = self._document("unit", unit_id, title, unit.name, "recipients_unit")
        return UnitReport(
            doc=doc,
            unit_id=unit_id,
            unit_name=unit.name,
            addressee=_t(lang, "addressee", unit=unit.name),
            scope=scope_text,
            intro=self._intro(),
            figures=figures,
            rating_chart=self._rating_chart(figures),
            violation_chart=self._violation_chart(figures),
            columns=columns,
            traffic_items=traffic_legend,
            traffic_max=fmt_number(sum(i.max for i in traffic), lang),
            col_widths=_staff_widths(len(plain_items), bool(traffic)),
            blocks=tuple(blocks),
            headcount=sum(len(b.rows) for b in blocks),
            rating_legend=self.view.ratings,
            override_legend=tuple((o.code, o.label, o.legal_ref) for o in self.view.overrides.values()),
            explanations=tuple(explanations),
            trend=self._trend([unit_id], unit.row),
        )

    def summary_report(self) -> SummaryReport:
        lang = self.lang
        roots = [u for u in self.order if u.level == 0]
        totals_row = sum_rows([u.row for u in roots]) if len(roots) != 1 else roots[0].row
        totals = self._figures(totals_row)
        lines = tuple(UnitLine(u.unit_id, u.name, u.level, self._figures(u.row)) for u in self.order)
        codes = tuple(c for c, _ in self.view.ratings)
        series = [(c, self.colours[c]) for c in codes]
        series.append((_t(lang, "not_rated_short"), NOT_RATED_COLOUR))
        units_chart = stacked_chart(
            [
                (
                    ("\u2003" * min(line.level, 3)) + line.name,
                    (*(r.count for r in line.figures.ratings), line.figures.not_rated),
                    str(line.figures.headcount),
                )
                for line in lines
            ],
            series,
            width=480.0,
            label_width=160.0,
        )
        title = _t(lang, "summary_title", period=i18n.period_title(self.period, lang))
        doc = self._document("summary", "", title, "", "recipients_summary")
        return SummaryReport(
            doc=doc,
            intro=self._intro(),
            totals=totals,
            rating_chart=self._rating_chart(totals),
            violation_chart=self._violation_chart(totals),
            units=lines,
            units_chart=units_chart,
            rating_codes=codes,
            rating_legend=self.view.ratings,
            overrides=override_effects(self.view, self.run.explanations, lang),
            notable=notable(self.view, lines, lang),
            trend=self._trend([u.unit_id for u in roots], totals_row),
        )


CONTENT_WIDTH_MM = 165.0  # A4 minus the 30 mm + 15 mm side margins


def _spans(frame: pl.DataFrame, key: str) -> tuple[pl.DataFrame, dict[str, tuple[int, int]]]:
    """``frame`` (sorted by ``key``) and the (start, length) of each key's rows in it."""
    runs = frame[key].rle()
    lengths = runs.struct.field("len").to_list()
    starts = [0, *accumulate(lengths)]
    return frame, dict(zip(runs.struct.field("value").to_list(), zip(starts, lengths, strict=False),
                           strict=True))


def _staff_widths(n_items: int, traffic: bool) -> tuple[float, ...]:
    """Column widths of the staff table (fixed table layout is much faster to lay out)."""
    # the id fits "NV000097"; adjust fits the English header "Adjusted"
    stt, emp_id, total, rating, adjust, traffic_w = 7.0, 14.0, 10.5, 10.5, 13.5, 10.0
    fixed = stt + emp_id + total + rating + adjust + (traffic_w if traffic else 0.0)
    item = min(9.0, max(6.5, (CONTENT_WIDTH_MM - fixed - 60.0) / max(n_items, 1)))
    rest = CONTENT_WIDTH_MM - fixed - n_items * item
    name = round(min(38.0, max(26.0, rest * 0.58)), 2)
    position = round(max(rest - name, 14.0), 2)
    widths = [stt, emp_id, name, position, *([round(item, 2)] * n_items)]
    if traffic:
        widths.append(traffic_w)
    return (*widths, total, rating, adjust)

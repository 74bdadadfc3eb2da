"""Step 1 of a report: build the plain context objects of a run's reports.

``ReportBuilder`` reads a run's tables (``run_reader``) and a ``CriteriaView`` of the criteria, and
returns the frozen contexts of ``models``: one ``UnitReport`` per unit (its staff and the staff
of its sub-units only) and the department ``SummaryReport``; the parts other documents share
(the document frame, a unit's people in document order, a person's explanation lines, the staff
table); figures, charts and the trend come from ``figures``. All text is NFC and every number
is formatted for the language here, so templates only place values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from datetime import date
from itertools import accumulate, groupby
from typing import Any

import polars as pl

from scoring.engine.columns import ITEM_PREFIX
from scoring.inputs.contract import POSITIONS
from scoring.outputs.wording import DETAIL_COLUMNS

from . import i18n
from .charts import rating_colours, stacked_chart
from .criteria_view import criteria_view
from .figures import FigureMaker
from .formatting import fmt_number, fmt_points, fmt_signed
from .i18n import fmt as _t
from .models import (
    Document,
    ExplanationLine,
    Footer,
    ItemColumn,
    Letterhead,
    Meta,
    PersonExplanation,
    StaffBlock,
    StaffRow,
    SummaryReport,
    UnitLine,
    UnitReport,
    make_letterhead,
)
from .run_reader import HistoryRun, RunData, check_criteria
from .summary import notable, override_effects
from .units import sum_rows, tree_order

__all__ = ["ReportBuilder", "CONTENT_WIDTH_MM"]

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
        check_criteria(run, self.view)
        manifest = run.manifest
        self.period = run.period
        self.run_date = date.fromisoformat(str(manifest["run_date"])[:10])
        crit = manifest.get("criteria", {})
        self.sha = str(crit.get("sha256", ""))
        self.order, self.descendants = tree_order(run.units)
        self.units_by_id = {u.unit_id: u for u in self.order}
        self.unit_rank = {u.unit_id: i for i, u in enumerate(self.order)}
        self.plain_items = tuple(i for i in self.view.items if not i.traffic)
        self.traffic_items = tuple(i for i in self.view.items if i.traffic)
        self.colours = rating_colours([c for c, _ in self.view.ratings])
        self.figs = FigureMaker(self.view, self.colours, self.period, history)
        options = manifest.get("options") or {}
        self._agency = agency if agency is not None else options.get("agency")
        self._place = place if place is not None else options.get("place")
        self._letterheads: dict[str, Letterhead] = {}
        self.letterhead = self.letterhead_of("report")
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

    # -- the document frame --------------------------------------------------------------

    def letterhead_of(self, kind: str) -> Letterhead:
        """The letterhead of a document of ``kind`` (its number line names its type)."""
        if kind not in self._letterheads:
            roots = [u.name for u in self.order if u.level == 0]
            root_name = roots[0] if len(roots) == 1 else ""
            self._letterheads[kind] = make_letterhead(self._agency, self._place, self.run_date, self.lang,
                                                      root_name, self.criteria, kind=kind)
        return self._letterheads[kind]

    def document(self, kind: str, key: str, title: str, subtitle: str, recipients: str) -> Document:
        """The frame of a document: letterhead, footer, PDF metadata (its /ID from the run's
        tables, the same on every rendering), title and recipients."""
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
            letterhead=self.letterhead_of(kind),
            footer=self.footer,
            meta=meta,
            title=title,
            subtitle=subtitle,
            recipients=i18n.lines(self.lang, recipients),
        )

    def intro(self) -> str:
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

    # -- people --------------------------------------------------------------------------

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

    def _unit_rows(self, unit_id: str) -> Iterator[dict[str, Any]]:
        return self._rows(self._scores, self._unit_spans, unit_id).iter_rows(named=True)

    def direct_rows(self, unit_id: str) -> list[dict[str, Any]]:
        """The score rows of the people directly in ``unit_id``, in document order."""
        return sorted(self._unit_rows(unit_id), key=self.person_order)

    def direct_headcount(self, unit_id: str) -> int:
        """How many people are directly in ``unit_id`` (its sub-units' people not counted)."""
        return self._unit_spans.get(unit_id, (0, 0))[1]

    def headcount(self, unit_id: str | None = None) -> int:
        """People in a unit's scope (the unit and its sub-units), from the units table; without
        ``unit_id``, in the whole department."""
        units = [self.units_by_id[unit_id]] if unit_id else [u for u in self.order if u.level == 0]
        return sum(int(u.row.get("headcount") or 0) for u in units)

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

    def _adjust_codes(self, *fields: str | None) -> str:
        """``ĐC2, HM1`` from the ``overrides`` and ``quota`` cells (``; ``-separated ids)."""
        ids = [s.strip() for f in fields for s in (f or "").split(";") if s.strip()]
        return ", ".join(self.view.overrides[i].code if i in self.view.overrides else i for i in ids)

    def _rating_text(self, r: Mapping[str, Any]) -> str:
        if r.get("status") == "not_rated" or not r.get("rating"):
            return _t(self.lang, "not_rated_short")
        return str(r["rating"])

    # -- the staff table -----------------------------------------------------------------

    def staff_blocks(
        self, scope: list[str], *, explain: bool = True
    ) -> tuple[list[StaffBlock[StaffRow]], list[PersonExplanation]]:
        """The staff table of the units of ``scope``: one block per unit in document order, rows
        numbered through; and, with ``explain``, the explanation of every person who has one."""
        records = sorted((r for u in scope for r in self._unit_rows(u)), key=self.person_order)
        blocks: list[StaffBlock[StaffRow]] = []
        explanations: list[PersonExplanation] = []
        numbered = enumerate(records, start=1)
        for unit_id, people in groupby(numbered, key=lambda person: person[1]["unit_id"]):
            rows = []
            for stt, r in people:
                row = self._staff_row(stt, r)
                rows.append(row)
                lines = self.explanation_lines(r["employee_id"]) if explain else ()
                if lines:
                    explanations.append(PersonExplanation(stt, row.name, row.total, row.rating, lines))
            u = self.units_by_id.get(unit_id)
            blocks.append(StaffBlock(unit_id, u.name if u else unit_id, u.level if u else 0, tuple(rows)))
        return blocks, explanations

    def _staff_row(self, stt: int, r: Mapping[str, Any]) -> StaffRow:
        lang = self.lang
        plain_items, traffic_items = self.plain_items, self.traffic_items
        traffic = (
            fmt_points(sum(float(r[ITEM_PREFIX + i.item_id] or 0.0) for i in traffic_items), lang)
            if traffic_items
            else ""
        )
        rating = self._rating_text(r)
        return StaffRow(
            stt=stt,
            employee_id=str(r["employee_id"]),
            name=i18n.nfc(str(r["full_name"])),
            position=self.position_text(r),
            cells=tuple(fmt_points(r[ITEM_PREFIX + i.item_id], lang) for i in plain_items),
            traffic=traffic,
            total=fmt_points(r["total"], lang),
            rating=rating,
            adjust=self._adjust_codes(r.get("overrides"), r.get("quota")),
            highlight=rating not in self.view.pass_codes,
        )

    def explanation_lines(self, employee_id: str) -> tuple[ExplanationLine, ...]:
        """A person's explanation: a line per deduction, bonus, clip, override, quota or status."""
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

    # -- reports -------------------------------------------------------------------------

    def unit_ids(self) -> tuple[str, ...]:
        return tuple(u.unit_id for u in self.order)

    def unit_report(self, unit_id: str) -> UnitReport:
        lang = self.lang
        unit = self.units_by_id[unit_id]
        scope = self.descendants[unit_id]
        figures = self.figs.figures(unit.row)
        blocks, explanations = self.staff_blocks(scope)
        columns = tuple(
            ItemColumn(f"({n})", i.item_id, i.label, fmt_number(i.max, lang), i.group_label)
            for n, i in enumerate(self.plain_items, start=1)
        )
        traffic = self.traffic_items
        traffic_legend = "; ".join(
            f"{i.label} ({_t(lang, 'max_prefix')} {fmt_number(i.max, lang)})" for i in traffic
        )
        title = _t(lang, "unit_title", period=i18n.period_title(self.period, lang))
        doc = self.document("unit", unit_id, title, unit.name, "recipients_unit")
        return UnitReport(
            doc=doc,
            unit_id=unit_id,
            unit_name=unit.name,
            addressee=_t(lang, "addressee", unit=unit.name),
            scope=self._scope_text(unit.name, scope),
            intro=self.intro(),
            figures=figures,
            rating_chart=self.figs.rating_chart(figures),
            violation_chart=self.figs.violation_chart(figures),
            columns=columns,
            traffic_items=traffic_legend,
            traffic_max=fmt_number(sum(i.max for i in traffic), lang),
            col_widths=_staff_widths(len(self.plain_items), bool(traffic)),
            blocks=tuple(blocks),
            headcount=sum(len(b.rows) for b in blocks),
            rating_legend=self.view.ratings,
            override_legend=tuple((o.code, o.label, o.legal_ref) for o in self.view.overrides.values()),
            explanations=tuple(explanations),
            trend=self.figs.trend([unit_id], unit.row),
        )

    def _scope_text(self, unit_name: str, scope: list[str]) -> str:
        """``Phạm vi báo cáo: <unit> và 2 đơn vị trực thuộc (…)``."""
        subs = [self.units_by_id[u].name for u in scope[1:]]
        if not subs:
            return _t(self.lang, "scope_note", unit=unit_name)
        with_subs = _t(self.lang, "scope_with_sub", unit=unit_name, n=len(subs), names="; ".join(subs))
        return _t(self.lang, "scope_note", unit=with_subs)

    def summary_report(self) -> SummaryReport:
        lang = self.lang
        roots = [u for u in self.order if u.level == 0]
        totals_row = sum_rows([u.row for u in roots]) if len(roots) != 1 else roots[0].row
        totals = self.figs.figures(totals_row)
        lines = tuple(UnitLine(u.unit_id, u.name, u.level, self.figs.figures(u.row)) for u in self.order)
        codes = tuple(c for c, _ in self.view.ratings)
        units_chart = stacked_chart(
            [
                (
                    ("\u2003" * min(line.level, 3)) + line.name,
                    (*(r.count for r in line.figures.ratings), line.figures.not_rated),
                    str(line.figures.headcount),
                )
                for line in lines
            ],
            self.figs.rating_series(),
            width=480.0,
            label_width=160.0,
        )
        title = _t(lang, "summary_title", period=i18n.period_title(self.period, lang))
        doc = self.document("summary", "", title, "", "recipients_summary")
        return SummaryReport(
            doc=doc,
            intro=self.intro(),
            totals=totals,
            rating_chart=self.figs.rating_chart(totals),
            violation_chart=self.figs.violation_chart(totals),
            units=lines,
            units_chart=units_chart,
            rating_codes=codes,
            rating_legend=self.view.ratings,
            overrides=override_effects(self.view, self.run.explanations, lang),
            notable=notable(self.view, lines, lang),
            trend=self.figs.trend([u.unit_id for u in roots], totals_row),
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

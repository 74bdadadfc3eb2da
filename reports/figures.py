"""The figures of a unit or of the whole department, from its row of the units table.

The counts and shares of each rating, the violations by category, training reach and the mean
total, formatted for the document's language; the two bar charts drawn from them; and the trend
of the same figures over the run's earlier periods (``HistoryRun``). Used by ``builder``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from scoring.inputs.contract import VIOLATION_CATEGORIES

from . import i18n
from .charts import BAR_COLOUR, NOT_RATED_COLOUR, HBarChart, hbar_chart, stacked_chart
from .criteria_view import CriteriaView
from .formatting import fmt_percent, fmt_points
from .i18n import fmt as _t
from .models import CategoryCount, Figures, RatingCount, Trend, TrendRow
from .run_reader import HistoryRun
from .units import sum_rows

__all__ = ["FigureMaker"]


class FigureMaker:
    """Figures, charts and trends of one run's reports in one language."""

    def __init__(self, view: CriteriaView, colours: Mapping[str, str], period: str,
                 history: tuple[HistoryRun, ...] = ()) -> None:
        self.view = view
        self.lang = view.lang
        self.colours = colours
        self.period = period
        self.history = history

    def figures(self, row: Mapping[str, Any]) -> Figures:
        lang = self.lang
        headcount = int(row.get("headcount") or 0)
        ratings = []
        for code, label in self.view.ratings:
            n = int(row.get(f"rating_{code}") or 0)
            share = fmt_percent(n / headcount, lang) if headcount else "–"
            ratings.append(RatingCount(code, label, n, share, self.colours[code]))
        cats = tuple(
            CategoryCount(c, i18n.nfc(i18n.category_label(c, lang)), int(row.get(f"violations_{c}") or 0))
            for c in VIOLATION_CATEGORIES
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

    def rating_chart(self, f: Figures) -> HBarChart:
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

    def violation_chart(self, f: Figures) -> HBarChart | None:
        if f.violations == 0:
            return None
        rows = [(c.label, float(c.count), str(c.count), BAR_COLOUR) for c in f.categories]
        return hbar_chart(rows, width=235.0, label_width=100.0, row_height=13.0)

    def rating_series(self) -> list[tuple[str, str]]:
        """The stacked charts' series: each rating with its colour, then "not rated"."""
        series = [(c, self.colours[c]) for c, _ in self.view.ratings]
        series.append((_t(self.lang, "not_rated_short"), NOT_RATED_COLOUR))
        return series

    def trend(self, unit_ids: Iterable[str], current: Mapping[str, Any]) -> Trend | None:
        """The figures of ``unit_ids`` (summed) in each earlier period, then ``current``."""
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
        chart = stacked_chart(
            [(r.period, (*r.counts, r.not_rated), r.mean_total) for r in rows],
            self.rating_series(),
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

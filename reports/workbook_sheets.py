"""The run's workbook for HR (``scores.xlsx``): the scores, the explanations worth reading and
the units, in words (Vietnamese; English with ``--lang en``), laid out to print.

The codes of the tables become the words the reports use (positions, employment types,
ratings, statuses, violation categories: ``reports/i18n.py`` and ``texts/*.yaml``), the item
and rule labels come from the criteria, and the columns get number formats: percentages as
percentages, points with one decimal where the criteria use halves (two where a value needs
them). ``scoring/outputs/workbook.py`` writes the sheets. The machine-readable tables
(``scores.csv``, ``*.parquet``) keep their English column names and codes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

import polars as pl
from scoring.reports import i18n

from scoring.engine.columns import number_text
from scoring.inputs.vocabulary import HEADER_WORDS
from scoring.outputs.tables import EXCEL_SHEET_LIMITS, neutralise_formulas
from scoring.outputs.workbook import Column, Sheet, write_workbook
from scoring.rules.model import Criteria

__all__ = ["WORDS", "BookContext", "workbook_sheets", "write_run_workbook", "HR_KINDS"]

# The words of the workbook the reports' texts do not have, (Vietnamese, English).
WORDS: dict[str, tuple[str, str]] = {
    "sheet_scores": ("Kết quả xếp loại", "Ratings"),
    "sheet_explanations": ("Giải trình", "Explanations"),
    "sheet_units": ("Đơn vị", "Units"),
    "sheet_notes": ("Ghi chú", "Notes"),
    "title_scores": ("KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG {period}",
                     "EVALUATION AND RATING RESULTS, {period}"),
    "title_explanations": ("GIẢI TRÌNH ĐIỂM TRỪ, ĐIỂM CỘNG VÀ ĐIỀU CHỈNH {period}",
                           "DEDUCTIONS, BONUSES AND ADJUSTMENTS, {period}"),
    "title_units": ("KẾT QUẢ THEO ĐƠN VỊ {period}", "RESULTS BY UNIT, {period}"),
    "employee_id": (HEADER_WORDS["staff"]["employee_id"][0], "Employee ID"),
    "employment_type": (HEADER_WORDS["staff"]["employment_type"][0], "Employment type"),
    "unit_id": (HEADER_WORDS["units"]["unit_id"][0], "Unit ID"),
    "unit_name": (HEADER_WORDS["units"]["name"][0], "Unit name"),
    "subtotal": ("Cộng", "Subtotal"),
    "note": ("Ghi chú", "Notes"),
    "item": ("Tiêu chí", "Criterion"),
    "detail": ("Cách tính", "How computed"),
    "records": ("Hồ sơ", "Records"),
    "legal_ref": ("Căn cứ", "Legal basis"),
    "page_of": ("Trang &P/&N", "Page &P of &N"),
}
# The explanation rows the workbook shows: what changed a person's points or rating. The
# ``base`` rows are the item points of the first sheet, the ``band`` rows its total's band;
# explanations.csv/parquet hold every row.
HR_KINDS = ("deduction", "bonus", "clip", "rollup", "override", "quota", "status")
_HEADER_LIMIT = 250  # Excel refuses a page header or footer over 255 characters
_CONTROL = re.compile(r"[\x00-\x1f]")


class Labelled(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def label_en(self) -> str | None: ...


@dataclass(frozen=True)
class BookContext:
    """What every sheet needs: the criteria, the language, the period, the agency."""

    criteria: Criteria
    lang: str
    period: str
    agency: str | None = None  # letterhead lines, "\n"-separated; else the criteria's organisation


def _w(ctx: BookContext, key: str) -> str:
    pair = WORDS[key]
    return i18n.nfc(pair[1] if ctx.lang == "en" else pair[0])


def _t(ctx: BookContext, key: str) -> str:
    return i18n.nfc(i18n.text(ctx.lang, key))


def _label(obj: Labelled, lang: str) -> str:
    return i18n.nfc(obj.label_en if lang == "en" and obj.label_en else obj.label)


def _num(value: float, lang: str) -> str:
    text = str(pl.select(number_text(pl.lit(float(value)))).item())
    return text.replace(".", ",") if lang == "vi" else text


def _header_text(text: str) -> str:
    """Text for a page header or footer: ``&`` doubled, no control characters, short enough."""
    text = _CONTROL.sub(" ", text.replace("\r", "")).strip()
    return text[:_HEADER_LIMIT].replace("&", "&&")


def _page(ctx: BookContext, title_key: str) -> tuple[str, str]:
    """The page header (agency, title, period) and footer (criteria, page number)."""
    lines = [s.strip() for s in (ctx.agency or "").splitlines() if s.strip()]
    agency = "\n".join(lines) if lines else ctx.criteria.organisation
    period = i18n.period_short(ctx.period, ctx.lang)
    title = WORDS[title_key][1 if ctx.lang == "en" else 0].format(
        period=i18n.period_title(ctx.period, ctx.lang).replace("\u00a0", " "))
    c = ctx.criteria
    crit = f"{_t(ctx, 'footer_criteria')} {c.id}, {_t(ctx, 'footer_version')} {c.version}"
    header = (f"&L&9{_header_text(i18n.nfc(agency))}&C&B&10{_header_text(i18n.nfc(title))}"
              f"&R&9{_header_text(period)}")
    footer = f"&L&8{_header_text(crit)}&C&9{_w(ctx, 'page_of')}"
    return header, footer


def _halves(criteria: Criteria) -> bool:
    """Whether the criteria give points in fractions (``0.5`` points a licence point, …)."""
    values: list[float] = []
    for g in criteria.groups:
        values.append(g.max)
        for it in g.items:
            values += [it.max, *([it.start] if it.start is not None else [])]
            values += [r.points for r in (*it.deductions, *it.bonuses)]
    return any(float(v) != int(v) for v in values)


def _points_format(values: pl.Series, floor: int, signed: bool = False) -> str:
    """``0``, ``0.0`` or ``0.0#``: ``floor`` decimals (1 where the criteria use halves), a
    second one shown only on a value that has it (a total of 72.75, half of 19.5)."""
    finite = values.cast(pl.Float64).filter(values.cast(pl.Float64).is_finite())
    places = 0
    while places < 2 and finite.len() and \
            bool(((finite * 10 ** places).round(0) - finite * 10 ** places).abs().max() > 1e-6):
        places += 1
    fixed = max(floor, min(places, 1))
    body = "0" + ("." + "0" * fixed + "#" * (places - fixed) if places or fixed else "")
    return f"+{body};-{body};0" if signed else body


def _code_words(column: pl.Expr, words: dict[str, str]) -> pl.Expr:
    """A code column in words (a code without a word stays as it is)."""
    return column.replace_strict(words, default=column, return_dtype=pl.String)


def _positions(scores: pl.DataFrame, units: pl.DataFrame, lang: str) -> pl.Series:
    """Each person's position as the reports write it (``Phó Chánh Thanh tra``, ``Chuyên viên``):
    a head's title depends on the kind of unit."""
    kinds = units.select(pl.col("unit_id"), pl.col("kind").alias("_kind"))
    keyed = scores.select("unit_id", "position").join(kinds, on="unit_id", how="left",
                                                      maintain_order="left")
    key = pl.concat_str([pl.col("position"), pl.col("_kind").fill_null("")], separator="/")
    words = {}
    for position, kind in keyed.select("position", "_kind").unique().rows():
        if position in ("head", "deputy_head"):
            word = i18n.position_label(str(position), "", kind, lang)
        else:
            pair = i18n.POSITION_LABELS.get(str(position))
            word = (pair[1] if lang == "en" else pair[0]) if pair else str(position or "")
        words[f"{position}/{kind or ''}"] = i18n.nfc(word)
    return keyed.select(_code_words(key, words)).to_series()


def _scores_sheet(ctx: BookContext, scores: pl.DataFrame, units: pl.DataFrame,
                  hr_rows: pl.DataFrame) -> Sheet:
    c, lang = ctx.criteria, ctx.lang
    floor = 1 if _halves(c) else 0
    ratings = {b.code: _label(b, lang) for b in c.ratings}
    employment = {k: v[1] if lang == "en" else v[0] for k, v in i18n.EMPLOYMENT_LABELS.items()}
    rule_words = {o.id: _label(o, lang) for o in c.overrides} | {
        q.id: _label(q, lang) for q in c.quotas}
    status = hr_rows.filter(pl.col("kind") == "status").group_by("employee_id", maintain_order=True) \
        .agg(pl.col("detail").str.join("; ").alias("_status"))
    frame = scores.with_columns(
        _positions(scores, units, lang).alias("position"),
        _code_words(pl.col("employment_type"), employment).alias("employment_type"),
        pl.when(pl.col("status") == "rated").then(_code_words(pl.col("rating"), ratings))
        .otherwise(pl.lit(_t(ctx, "not_rated"))).alias("rating"),
    ).join(status, on="employee_id", how="left", maintain_order="left")
    notes = [pl.col("_status")]
    for col in ("overrides", "quota"):
        notes.append(pl.col(col).str.split("; ").list.eval(
            _code_words(pl.element(), rule_words)).list.join("; "))
    frame = frame.with_columns(pl.concat_str(notes, separator="; ", ignore_nulls=True)
                               .str.replace_all(r"^(; )+|(; )+$", "").str.replace_all(r"(; ){2,}", "; ")
                               .replace("", None).alias("_note"))
    columns = [Column("employee_id", _w(ctx, "employee_id"), 9),
               Column("full_name", _t(ctx, "name"), 19), Column("unit_name", _t(ctx, "unit"), 19),
               Column("position", _t(ctx, "position"), 13),
               Column("employment_type", _w(ctx, "employment_type"), 11)]
    bands = []
    top = _t(ctx, "max_prefix")
    for g in c.groups:
        first = len(columns)
        for it in g.items:
            name = f"item_{it.id}"
            columns.append(Column(name, f"{_label(it, lang)} ({top} {_num(it.max, lang)})", 8,
                                  _points_format(frame[name], floor)))
        columns.append(Column(f"group_{g.id}", _w(ctx, "subtotal"), 7,
                              _points_format(frame[f"group_{g.id}"], floor)))
        bands.append((first, len(columns) - 1, f"{_label(g, lang)} ({top} {_num(g.max, lang)})"))
    columns += [Column("total", _t(ctx, "total"), 7, _points_format(frame["total"], floor)),
                Column("rating", _t(ctx, "rating"), 24), Column("_note", _w(ctx, "note"), 28)]
    header, footer = _page(ctx, "title_scores")
    return Sheet(_w(ctx, "sheet_scores"), _display(frame, columns), columns, bands=bands,
                 page_header=header, page_footer=footer)


def _explanations_sheet(ctx: BookContext, hr_rows: pl.DataFrame, scores: pl.DataFrame) -> Sheet:
    lang = ctx.lang
    items = {it.id: _label(it, lang) for g in ctx.criteria.groups for it in g.items}
    frame = hr_rows.join(scores.select("employee_id", "full_name"), on="employee_id", how="left",
                         maintain_order="left").with_columns(
        _code_words(pl.col("item").cast(pl.String), items).alias("item"),
        pl.col("label_en" if lang == "en" else "label").cast(pl.String).alias("label"),
        pl.col("detail_en" if lang == "en" else "detail").alias("detail"),
        pl.col("legal_ref").cast(pl.String))
    floor = 1 if _halves(ctx.criteria) else 0
    columns = [Column("employee_id", _w(ctx, "employee_id"), 9),
               Column("full_name", _t(ctx, "name"), 18), Column("item", _w(ctx, "item"), 24),
               Column("label", _t(ctx, "content_col"), 40),
               Column("points", _t(ctx, "points_col"), 7,
                      _points_format(frame["points"], floor, signed=True)),
               Column("detail", _w(ctx, "detail"), 34), Column("record_ids", _w(ctx, "records"), 14),
               Column("legal_ref", _w(ctx, "legal_ref"), 30)]
    header, footer = _page(ctx, "title_explanations")
    return Sheet(_w(ctx, "sheet_explanations"), _display(frame, columns), columns,
                 page_header=header, page_footer=footer)


def _units_sheet(ctx: BookContext, units: pl.DataFrame) -> Sheet:
    lang = ctx.lang
    frame = units.with_columns(
        (pl.lit("   ").repeat_by(pl.col("level")).list.join("") + pl.col("name")).alias("name"))
    count = "#,##0"
    columns = [Column("unit_id", _w(ctx, "unit_id"), 9), Column("name", _w(ctx, "unit_name"), 40),
               Column("headcount", _t(ctx, "headcount"), 9, count),
               Column("direct_headcount", _t(ctx, "direct_headcount"), 9, count),
               Column("rated", _t(ctx, "rated"), 8, count),
               Column("not_rated", _t(ctx, "not_rated"), 8, count)]
    first = len(columns)
    columns += [Column(f"rating_{b.code}", _label(b, lang), 9, count) for b in ctx.criteria.ratings
                if f"rating_{b.code}" in frame.columns]
    bands = [(first, len(columns) - 1, _t(ctx, "distribution"))]
    columns.append(Column("violations", _t(ctx, "violations"), 9, count))
    first = len(columns)
    columns += [Column(n, i18n.category_label(n.removeprefix("violations_"), lang), 8, count)
                for n in frame.columns if n.startswith("violations_")]
    if len(columns) > first:
        bands.append((first, len(columns) - 1, _t(ctx, "by_category")))
    columns += [Column("violators", _t(ctx, "violators"), 9, count),
                Column("trained", _t(ctx, "trained"), 11, count),
                Column("training_reach", _t(ctx, "training_reach"), 9, "0.0%"),
                Column("mean_total", _t(ctx, "mean_total"), 8,
                       _points_format(frame["mean_total"], 1 if _halves(ctx.criteria) else 0))]
    header, footer = _page(ctx, "title_units")
    return Sheet(_w(ctx, "sheet_units"), _display(frame, columns), columns, bands=bands,
                 page_header=header, page_footer=footer)


def _display(frame: pl.DataFrame, columns: Sequence[Column]) -> pl.DataFrame:
    """The sheet's cells: its columns only, text neutralised (never run as a formula)."""
    return neutralise_formulas(frame.select(c.name for c in columns))


def _left_out(name: str, rows: int, see: str) -> str:
    return (f"{name}: {rows} dòng, quá nhiều cho Excel nên không đưa vào tệp .xlsx, xem {see} / "
            f"{rows} rows, too many for Excel: left out of the workbook, see {see}")


def workbook_sheets(ctx: BookContext, scores: pl.DataFrame, explanations: pl.LazyFrame,
                    units: pl.DataFrame, *, elsewhere: dict[str, str] | None = None,
                    ) -> tuple[list[Sheet], list[str]]:
    """The sheets of the workbook and the notes about tables too long for it (those are left
    out: ``EXCEL_SHEET_LIMITS``; ``elsewhere`` names the file holding a table in full)."""
    elsewhere = elsewhere or {}
    hr = explanations.filter(pl.col("kind").cast(pl.String).is_in(HR_KINDS))
    rows = {"scores": scores.height, "units": units.height,
            "explanations": hr.select(pl.len()).collect().item()}
    notes = [_left_out(n, r, elsewhere.get(n, f"{n}.csv")) for n, r in rows.items()
             if r > EXCEL_SHEET_LIMITS.get(n, r)]
    fits = {n for n, r in rows.items() if r <= EXCEL_SHEET_LIMITS.get(n, r)}
    hr_rows = hr.select("employee_id", "item", "kind", "label", "label_en", "points", "detail",
                        "detail_en", "record_ids", "legal_ref").collect() \
        if "explanations" in fits or "scores" in fits else pl.DataFrame()
    sheets = []
    if "scores" in fits:
        sheets.append(_scores_sheet(ctx, scores, units, hr_rows))
    if "explanations" in fits:
        sheets.append(_explanations_sheet(ctx, hr_rows, scores))
    if "units" in fits:
        sheets.append(_units_sheet(ctx, units))
    if notes:
        note = pl.DataFrame({"note": notes})
        sheets.append(Sheet(_w(ctx, "sheet_notes"), note, [Column("note", _w(ctx, "note"), 120)],
                            page_footer=f"&C{_w(ctx, 'page_of')}"))
    return sheets, notes


def write_run_workbook(ctx: BookContext, scores: pl.DataFrame, explanations: pl.LazyFrame,
                       units: pl.DataFrame, path: Path, *, created: datetime,
                       elsewhere: dict[str, str] | None = None) -> list[str]:
    """Write ``scores.xlsx``; return the notes about tables left out of it."""
    sheets, notes = workbook_sheets(ctx, scores, explanations, units, elsewhere=elsewhere)
    write_workbook(sheets, path, created=created, title=_w(ctx, "sheet_scores"))
    return notes

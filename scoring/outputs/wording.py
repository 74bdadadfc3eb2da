"""The explanations in words: the engine's numbers, ids and codes as one sentence per row, in
Vietnamese (decimal comma, dd/mm/yyyy, measures by their label) or English.

One vectorised expression per language over the explanations' columns, used by the tables, the
CLI and the reports alike, so that a row reads the same everywhere.
"""

from __future__ import annotations

from typing import TypeVar

import polars as pl

from scoring.engine.columns import number_text
from scoring.rules.model import Criteria, Measure, UnitMeasure

__all__ = ["detail", "rating_change", "with_details", "DETAIL_COLUMNS", "LANGS"]

LANGS = ("vi", "en")
DETAIL_COLUMNS = {"vi": "detail", "en": "detail_en"}

_WORDS = {
    "vi": {"assessment": "điểm đánh giá của đơn vị (cột {})", "formula": "công thức: {}",
           "start": "điểm khởi đầu: {}", "at_most": " (tối đa {})", "not_rated": "{} → không xếp loại",
           "unchanged": "{} (không đổi)", "by": " (theo cột {})"},
    "en": {"assessment": "unit assessment (column {})", "formula": "formula: {}",
           "start": "starting points: {}", "at_most": " (at most {})", "not_rated": "{} → not rated",
           "unchanged": "{} (unchanged)", "by": " (by {})"},
}
_ISO_DATE = r"(\d{4})-(\d{2})-(\d{2})"
_WINDOW = rf"(?:^|; )(\w+)={_ISO_DATE}\.\.{_ISO_DATE}"


def _decimal(text: pl.Expr, lang: str) -> pl.Expr:
    return text.str.replace_all(r"(\d)\.(\d)", "${1},${2}") if lang == "vi" else text


def _number(col: str, lang: str) -> pl.Expr:
    return _decimal(number_text(pl.col(col)), lang)


def _labelled(text: pl.Expr, criteria: Criteria, lang: str, sep: str) -> pl.Expr:
    """``m=…`` pairs (``; ``-separated) with each measure's label for its id."""
    measures: list[Measure | UnitMeasure] = [*criteria.measures, *criteria.leaders.measures]
    label = {m.id: (m.label_en or m.label) if lang == "en" else m.label for m in measures}
    if not label:
        return text
    keys = [f"; {m}=" for m in label]
    # a leading separator makes every key start at a pair's boundary: no id matches inside another
    marked = pl.concat_str([pl.lit("; "), text])
    return marked.str.replace_many(keys, [f"; {v}{sep}" for v in label.values()]).str.slice(2)


def _windows(criteria: Criteria, lang: str) -> pl.Expr:
    """`` [label: 01/04/2024 – 31/03/2025 (theo cột decision_date); …]``, or "" without one."""
    w = pl.col("window")
    if lang == "vi":
        text = w.str.replace_all(_WINDOW, "; ${1}=${4}/${3}/${2} – ${7}/${6}/${5}")
    else:
        text = w.str.replace_all(_WINDOW, "; ${1}=${2}-${3}-${4} – ${5}-${6}-${7}")
    by = _WORDS[lang]["by"].replace("{}", "${1}")
    text = text.str.replace_all(r"@(\w+)", by).str.strip_prefix("; ")
    text = _labelled(text, criteria, lang, ": ")
    return pl.when(w.is_null() | (w == "")).then(pl.lit("")).otherwise(
        pl.format(" [{}]", text))


def rating_change(lang: str) -> pl.Expr:
    """What an override or quota row did to the rating: ``HTT → HT``, ``HTT (không đổi)``,
    ``HTT → không xếp loại``."""
    words = _WORDS[lang]
    before, after = pl.col("before"), pl.col("after")
    return (pl.when(pl.col("basis").cast(pl.String) == "not_rated")
            .then(pl.format(words["not_rated"], before))
            .when(before == after).then(pl.format(words["unchanged"], before))
            .otherwise(pl.format("{} → {}", before, after)))


def detail(criteria: Criteria, lang: str) -> pl.Expr:
    """How the row's points or rating came about, in ``lang`` (``vi`` or ``en``)."""
    words = _WORDS[lang]
    basis, kind = pl.col("basis").cast(pl.String), pl.col("kind").cast(pl.String)
    source = pl.col("source").cast(pl.String)
    limit = pl.when(pl.col("limit").is_null()).then(pl.lit("")).otherwise(
        pl.format(words["at_most"], _number("limit", lang)))
    values = _labelled(_decimal(pl.col("values").fill_null(""), lang), criteria, lang, " = ")
    change = pl.format("{} → {}", _decimal(pl.col("before"), lang), _decimal(pl.col("after"), lang))
    text = pl.col("text_en" if lang == "en" else "text").fill_null("")
    windows = _windows(criteria, lang)
    return (
        pl.when(basis == "assessment").then(pl.format(words["assessment"], source))
        .when(basis == "formula").then(pl.format(words["formula"], source))
        .when(basis == "start").then(pl.format(words["start"], _decimal(source, lang)))
        .when(basis == "per").then(pl.format("{} × {}{}{}", _number("count", lang),
                                             _number("unit_points", lang), limit, windows))
        .when(basis == "condition").then(pl.format("{}{}{}", values, limit, windows))
        .when(kind.is_in(["clip", "band"])).then(change)
        .when(kind == "rollup").then(values)
        .when(kind == "override").then(pl.format("{}{}", rating_change(lang), windows))
        .when(kind == "quota").then(_decimal(text, lang) if lang == "vi" else text)
        .otherwise(text)
        .str.strip_prefix(" ")
        .alias(DETAIL_COLUMNS[lang])
    )


F = TypeVar("F", pl.DataFrame, pl.LazyFrame)


def with_details(frame: F, criteria: Criteria) -> F:
    """``frame`` (explanations) with ``detail`` in Vietnamese and ``detail_en`` in English,
    placed after ``label_en``."""
    out = frame.with_columns(detail(criteria, lang) for lang in LANGS)
    names: list[str] = list(frame.collect_schema().names())
    at: int = names.index("label_en") + 1
    return out.select([*names[:at], *DETAIL_COLUMNS.values(), *names[at:]])

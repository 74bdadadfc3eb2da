"""The explanations in words: the engine's numbers, ids and codes as one sentence per row, in
Vietnamese (decimal comma, dd/mm/yyyy, measures by their label) or English.

One vectorised expression per language over the explanations' columns, used by the tables, the
CLI and the reports alike, so that a row reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import polars as pl

from scoring.engine.columns import number_text
from scoring.rules.model import Criteria, Measure, UnitMeasure

__all__ = ["rating_change", "row_words", "with_details", "DETAIL_COLUMNS", "LANGS"]

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
_INDEX = "_row"
_ISO_DATE = r"(\d{4})-(\d{2})-(\d{2})"
_WINDOW = rf"(?:^|; )(\w+)={_ISO_DATE}\.\.{_ISO_DATE}"


def _decimal(text: pl.Expr, lang: str) -> pl.Expr:
    return text.str.replace_all(r"(\d)\.(\d)", "${1},${2}") if lang == "vi" else text


def _plain_number(text: pl.Expr, lang: str) -> pl.Expr:
    """A number (or a rating code) as text, with a decimal comma in Vietnamese."""
    return text.str.replace(".", ",", literal=True) if lang == "vi" else text


def _number(col: str, lang: str) -> pl.Expr:
    return _plain_number(number_text(pl.col(col)), lang)


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


def _family(basis: str, criteria: Criteria, lang: str) -> pl.Expr:
    """How a row of ``basis`` came about, in ``lang`` (``vi`` or ``en``)."""
    words = _WORDS[lang]
    source = pl.col("source").cast(pl.String)
    limit = pl.when(pl.col("limit").is_null()).then(pl.lit("")).otherwise(
        pl.format(words["at_most"], _number("limit", lang)))
    text = pl.col("text_en" if lang == "en" else "text").fill_null("")
    if basis in ("assessment", "formula"):
        return pl.format(words[basis], source)
    if basis == "start":
        return pl.format(words["start"], _decimal(source, lang))
    if basis == "per":
        return pl.format("{} × {}{}{}", _number("count", lang), _number("unit_points", lang),
                         limit, _windows(criteria, lang))
    if basis == "condition":
        values = _labelled(_decimal(pl.col("values").fill_null(""), lang), criteria, lang, " = ")
        return pl.format("{}{}{}", values, limit, _windows(criteria, lang)).str.strip_prefix(" ")
    if basis in ("clip", "band"):
        return pl.format("{} → {}", _plain_number(pl.col("before"), lang),
                         _plain_number(pl.col("after"), lang))
    if basis == "rollup":
        return _decimal(pl.col("values"), lang)
    if basis in ("force", "cap", "not_rated"):
        return pl.format("{}{}", rating_change(lang), _windows(criteria, lang))
    if basis == "quota":
        return _decimal(text, lang)
    return text  # status


def row_words(criteria: Criteria) -> Callable[[Mapping[str, str | None]], list[pl.Expr]]:
    """For the engine's explanation layout: the ``detail`` and ``detail_en`` expressions of a
    row of the layout, from its constants (``basis``, ``source``, …). Each row kind is worded
    on its own rows only, and a row whose words are fixed by the criteria gets them as a literal."""
    def words(constants: Mapping[str, str | None]) -> list[pl.Expr]:
        basis = str(constants["basis"])
        out = []
        for lang in LANGS:
            if basis in ("assessment", "formula", "start"):
                source = str(constants["source"])
                if basis == "start" and lang == "vi":
                    source = source.replace(".", ",")
                expr = pl.lit(_WORDS[lang][basis].format(source), pl.String)
            else:
                expr = _family(basis, criteria, lang)
            out.append(expr.alias(DETAIL_COLUMNS[lang]))
        return out
    return words


def with_details(frame: pl.DataFrame, criteria: Criteria) -> pl.DataFrame:
    """``frame`` (explanations) with ``detail`` in Vietnamese and ``detail_en`` in English,
    placed after ``label_en`` (a run words them as it builds them: ``row_words``)."""
    names = frame.columns
    at = names.index("label_en") + 1
    order = [*names[:at], *DETAIL_COLUMNS.values(), *names[at:]]
    indexed = frame.with_row_index(_INDEX)
    parts = [indexed.filter(pl.col("basis") == basis).with_columns(
                 _family(basis, criteria, lang).alias(DETAIL_COLUMNS[lang]) for lang in LANGS)
             for basis in frame["basis"].cast(pl.String).unique().to_list()]
    if not parts:
        return frame.with_columns(pl.lit(None, pl.String).alias(c)
                                  for c in DETAIL_COLUMNS.values()).select(order)
    return pl.concat(parts).sort(_INDEX).select(order)

"""Reading cells: text cleaning and turning cells into the contract's types.

Text cells are stripped, empty text becomes null and text is normalised to NFC
(``clean_text``). Columns get their contract type (``cast_columns``): ISO dates, plain numbers
and true/false words first; the cells that fail that are retried with the other forms people
type or tools export (stray spaces, date-times, Excel serial day numbers, ``2.0`` for a whole
number). A cell that no form reads is a failure, reported by the caller with ``cast_message``.

Cost (2 cores, 2.7 million staff, 10.6 million assessment rows, Parquet): most of it is the
per-cell work of Polars' string kernels, 20-40 ns a cell, so every probe runs once per column,
on the cells that hold a value, and all columns of a table in one ``select`` (one column a
thread). Null cells are skipped: a regex over a mostly empty column costs more per null
than per value. Only columns holding text to fix are rewritten; only non-ASCII columns are
tested for NFC, and only the suspect cells are normalised. A column already of its type is
not cast; the slower forms only run on the cells that failed the fast one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import polars as pl

from scoring.inputs.vocabulary import norm_word

__all__ = [
    "NFC_SUSPECT",
    "MSG_DATE",
    "MSG_INTEGER",
    "MSG_NUMBER",
    "MSG_BOOLEAN",
    "NESTED",
    "cast_message",
    "cast_columns",
    "clean_text",
    "recode",
]

MSG_DATE = (
    "ngày không hợp lệ, dùng dạng dd/mm/yyyy hoặc YYYY-MM-DD / invalid date, use dd/mm/yyyy "
    "or YYYY-MM-DD"
)
MSG_INTEGER = (
    "không phải số nguyên (ví dụ 2500000 hoặc 2.500.000) / not a whole number (e.g. 2500000 or "
    "2.500.000)"
)
MSG_NUMBER = "không phải số (ví dụ 7,5 hoặc 7.5) / not a number (e.g. 7,5 or 7.5)"
MSG_BOOLEAN = (
    "giá trị đúng/sai không hợp lệ, dùng có/không hoặc true/false / invalid yes/no value, use "
    "có/không or true/false"
)

# Characters that NFC can change: combining marks (Vietnamese typed with decomposed accents
# is the usual case), Hangul jamo and the few canonical singletons. A superset is harmless;
# strings without any of these are already NFC and skip the (slow) normalisation.
NFC_SUSPECT = (
    r"[\p{M}\x{0340}-\x{0387}\x{0958}-\x{0F69}\x{1100}-\x{11FF}\x{1F71}-\x{1FFD}"
    r"\x{2000}\x{2001}\x{2126}\x{212A}\x{212B}\x{2329}\x{232A}\x{2ADC}\x{F900}-\x{FAFF}"
    r"\x{FB1D}-\x{FB4E}\x{1D15E}-\x{1D1C0}\x{2F800}-\x{2FA1F}]"
)
_DATETIME_TEXT = r"^(\d{4}-\d{1,2}-\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
# Excel serial day numbers: day 25569 is 1970-01-01 (the 1900 leap-year bug only affects
# serials before March 1900, far outside the accepted date range).
_EXCEL_EPOCH_SERIAL = 25569
_BOOLEAN_WORDS = {
    "true": True, "false": False, "1": True, "0": False, "1.0": True, "0.0": False,
    "yes": True, "no": False, "y": True, "n": False, "x": True,
    "có": True, "không": False, "đúng": True, "sai": False, "đã ký": True, "chưa ký": False,
}
# Text dates are day first, as written in Vietnam: 05/03/2025, 5/3/2025, 5-3-2025, 5.3.2025.
_DAY_FIRST = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
# Amounts: 2.500.000, 2 500 000, with or without the currency (2.500.000 đ, 2.500.000 VNĐ).
_CURRENCY = r"(?i)\s*(?:đồng|đ|vnđ|vnd)\.?$"
_THOUSANDS = r"^-?\d{1,3}(?:[. \x{00A0}]\d{3})+$"
# Decimals with a comma: 7,5 and 1.234,5.
_DECIMAL_COMMA = r"^-?(?:\d+|\d{1,3}(?:\.\d{3})+),\d+$"
# Column types no cell of which can be read as a contract type.
NESTED = (pl.List, pl.Array, pl.Struct, pl.Object)


def cast_message(dtype: pl.DataType) -> str:
    """What is wrong with a cell that cannot be read as ``dtype``."""
    if dtype == pl.Date:
        return MSG_DATE
    if dtype == pl.Int64:
        return MSG_INTEGER
    if dtype == pl.Boolean:
        return MSG_BOOLEAN
    return MSG_NUMBER


# ----------------------------------------------------------------------------- types


def _finite(e: pl.Expr) -> pl.Expr:
    """NaN and infinity are not scores or amounts: they count as unreadable."""
    return pl.when(e.is_finite()).then(e)


def _from_text(e: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """The fast parse of a text column: clean ISO dates, plain numbers, true/false words."""
    if dtype == pl.Date:
        return e.str.to_date("%Y-%m-%d", strict=False)
    if dtype == pl.Int64:
        return e.cast(pl.Int64, strict=False)
    if dtype == pl.Float64:
        return _finite(e.cast(pl.Float64, strict=False))
    return e.str.to_lowercase().replace_strict(_BOOLEAN_WORDS, default=None, return_dtype=pl.Boolean)


def _fast(name: str, src: pl.DataType, dtype: pl.DataType) -> pl.Expr:
    c = pl.col(name)
    if src == dtype:
        expr = _finite(c) if dtype == pl.Float64 else c
    elif src == pl.String:
        expr = _from_text(c, dtype)
    elif dtype == pl.Date and isinstance(src, pl.Datetime):
        expr = c.dt.date()
    elif dtype == pl.Float64 and src.is_numeric():
        expr = _finite(c.cast(pl.Float64))
    elif dtype == pl.Int64 and src.is_integer():
        expr = c.cast(pl.Int64)
    else:
        expr = _from_text(c.cast(pl.String), dtype)
    return expr.alias(name)


def _strip(e: pl.Expr) -> pl.Expr:
    stripped = e.str.strip_chars()
    return pl.when(stripped.str.len_bytes() > 0).then(stripped)


def _slow(text: pl.Series, dtype: pl.DataType, excel: bool) -> pl.Series:
    """Parse stripped text with every accepted form (only for cells the fast parse failed).

    The forms are tried one after the other, each on the cells none before it read (an
    office's column of text dates is read by the first form; the others never see it).
    """
    e = pl.col(text.name)
    forms = [_from_text(e, dtype)]
    if dtype == pl.Date:
        day_first = e.str.replace(_DAY_FIRST, "$1/$2/$3")
        forms.append(pl.when(e.str.contains(_DAY_FIRST)).then(day_first)
                     .str.to_date("%d/%m/%Y", strict=False))
        # 2025-01-05 00:00:00 (a date-time cell or export) is that date
        forms.append(e.str.extract(_DATETIME_TEXT).str.to_date("%Y-%m-%d", strict=False))
        if excel:  # a date cell formatted as a number shows its serial day number
            serial = e.cast(pl.Float64, strict=False)
            days = (serial.floor() - _EXCEL_EPOCH_SERIAL).cast(pl.Int32, strict=False)
            forms.append(pl.when(serial.is_between(1, 2958465)).then(days).cast(pl.Date))
    elif dtype == pl.Int64:
        # "2.0" is how many tools write a whole number; "2.5" stays an error
        forms.append(e.str.strip_suffix(".0").cast(pl.Int64, strict=False))
        amount = e.str.replace(_CURRENCY, "").str.strip_chars()
        grouped = pl.when(amount.str.contains(_THOUSANDS)).then(amount.str.replace_all(r"[. \x{00A0}]", ""))
        forms.append(grouped.cast(pl.Int64, strict=False))
        forms.append(e.str.to_lowercase().str.extract(r"^mức\s*(\d)$").cast(pl.Int64, strict=False))
    elif dtype == pl.Float64:
        comma = pl.when(e.str.contains(_DECIMAL_COMMA)).then(
            e.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        forms.append(_finite(comma.cast(pl.Float64, strict=False)))
    else:
        forms.append(e.str.to_lowercase().str.replace_all(r"\s+", " ")
                     .replace_strict(_BOOLEAN_WORDS, default=None, return_dtype=pl.Boolean))
    frame = text.to_frame()
    result = frame.select(forms[0].alias(text.name)).to_series()
    for form in forms[1:]:
        left = (result.is_null() & text.is_not_null()).arg_true()
        if left.is_empty():
            break
        parsed = frame[left].select(form.alias(text.name)).to_series()
        result = result.scatter(left, parsed)
    return result


def cast_columns(
    frame: pl.DataFrame,
    targets: Mapping[str, pl.DataType],
    *,
    excel: bool = False,
    optional: Collection[str] = (),
) -> tuple[pl.DataFrame, dict[str, pl.DataFrame], list[str]]:
    """Give each column of ``targets`` (none of them String) its type.

    Returns ``(frame, failures, untyped)``. ``failures`` maps a column to its unreadable cells:
    ``index`` (position in ``frame``) and ``value`` (the stripped text); such cells are null.
    A column of ``optional`` with an unreadable cell is left as it was and listed in
    ``untyped`` instead (text in an assessment column: not a score). ``excel`` accepts serial
    day numbers in date columns.
    """
    schema = frame.schema
    # Columns of their type already: only floats need a look (NaN and infinity are unreadable).
    floats = [n for n, d in targets.items() if d == schema[n] == pl.Float64]
    odd = frame.select((~pl.col(n).is_finite()).any() for n in floats).row(0) if floats else ()
    cast = [n for n, d in targets.items() if schema[n] != d]
    cast += [n for n, bad in zip(floats, odd, strict=True) if bad]
    if not cast:
        return frame, {}, []
    typed = frame.select(_fast(n, schema[n], targets[n]) for n in cast)
    failures: dict[str, pl.DataFrame] = {}
    untyped: list[str] = []
    done: list[pl.Series] = []
    for name in cast:
        result, source = typed[name], frame[name]
        if result.null_count() > source.null_count():  # some cell did not parse
            index = (result.is_null() & source.is_not_null()).arg_true()
            text = source.gather(index).cast(pl.String).to_frame().select(_strip(pl.col(name))).to_series()
            parsed = _slow(text, targets[name], excel)
            bad = text.is_not_null() & parsed.is_null()
            if bad.any():
                if name in optional:
                    untyped.append(name)
                    continue
                failures[name] = pl.DataFrame({"index": index, "value": text}).filter(bad)
            result = result.scatter(index, parsed)
        done.append(result)
    return frame.with_columns(done), failures, untyped


# ----------------------------------------------------------------------------- text


def clean_text(frame: pl.DataFrame, columns: Sequence[str]) -> tuple[pl.DataFrame, list[str]]:
    """Strip the text cells of ``columns``, turn empty text into null, normalise to NFC; also
    the columns that held a non-ASCII character (only those can hold an invisible one).

    One ``select`` probes every column, on its values only: is any cell empty or padded with
    whitespace (``dirty``), does any hold a non-ASCII character (``wide``: ASCII cannot change
    under NFC). Dirty columns are stripped; in wide ones a second ``select`` finds the cells
    holding a character NFC may change, and only those are normalised.
    """
    columns = [c for c in columns if frame[c].null_count() < frame.height]
    if not columns:
        return frame, []
    probes: list[pl.Expr] = []
    for i, name in enumerate(columns):
        values = pl.col(name).drop_nulls()
        size = values.str.len_bytes()
        # stripping shortens it, or it is empty (each subexpression is computed once: no CSE)
        kept = values.str.strip_chars().str.len_bytes()
        probes.append((kept < size.clip(lower_bound=1)).any().alias(f"dirty{i}"))
        probes.append((size != values.str.len_chars()).any().alias(f"wide{i}"))
    found = frame.select(probes).row(0)
    dirty = [c for i, c in enumerate(columns) if found[2 * i]]
    wide = [c for i, c in enumerate(columns) if found[2 * i + 1]]
    if dirty:
        frame = frame.with_columns(_strip(pl.col(c)).alias(c) for c in dirty)
    if not wide:
        return frame, wide
    # positions of the suspect cells: among the positions of the values, those that match
    where = frame.select(
        pl.col(c).is_not_null().arg_true().filter(pl.col(c).drop_nulls().str.contains(NFC_SUSPECT))
        .implode().alias(c)
        for c in wide
    )
    out = []
    for name in wide:
        index = where[name][0]
        if len(index):
            s = frame[name]
            out.append(s.scatter(index, s.gather(index).str.normalize("NFC")))
    return (frame.with_columns(out) if out else frame), wide


# ----------------------------------------------------------------------------- coded values


def recode(frame: pl.DataFrame, lookups: Mapping[str, Mapping[str, str]],
           allowed: Mapping[str, Collection[object]]) -> pl.DataFrame:
    """Replace the words of coded text columns by their codes (``Giám đốc`` → ``director``).

    ``lookups[column]`` maps a normalised word (``scoring.inputs.vocabulary.norm_word``) to its code.
    A column whose values are all codes already is left as it is (one probe for all of them);
    otherwise only its distinct values are looked up. A value that is no word stays as it is,
    for the schema to report.
    """
    columns = [c for c in lookups if c in frame.columns and frame.schema[c] == pl.String]
    if not columns:
        return frame
    clean = frame.select(
        pl.col(c).drop_nulls().is_in(list(allowed[c])).all().alias(c) for c in columns
    ).row(0)
    out = []
    for name, ok in zip(columns, clean, strict=True):
        if ok:
            continue
        lookup = lookups[name]
        values = frame[name].drop_nulls().unique().to_list()
        mapping = {v: lookup[norm_word(v)] for v in values if norm_word(v) in lookup}
        mapping = {k: v for k, v in mapping.items() if k != v}
        if mapping:
            out.append(pl.col(name).replace(mapping))
    return frame.with_columns(out) if out else frame

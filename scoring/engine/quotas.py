"""Quotas: at most P % of the number rated R2 may be rated R1, in every group of every scope.

Exact rule, per group (the whole agency, one unit, one duty group): with h people rated R1 and
t rated R2, when the excess moves down into R2 itself, moving k people gives h−k rated R1 and
t+k rated R2, so the largest number that may stay is

    allowed = floor(P × (t + h) / (100 + P))        (integer arithmetic, rounded down)

which is the largest h' with h' ≤ floor(P/100 × (t + h − h')). When the band below R1 is not
R2, allowed = floor(P/100 × t). With ``rounding: half_up`` the share is rounded to the nearest
whole number, halves up: h' ≤ floor(P/100 × (t + h − h') + 1/2), that is

    allowed = floor((2P × (t + h) + 100) / (2 × (100 + P)))    (or floor((2P × t + 100) / 200))

The excess h − allowed moves down one band: lowest total first, then by the criteria's
tie-breaks, then by employee id; each moved person's line says that order with its numbers.
Scopes are applied in the order listed, each on the ratings left by the previous one; a move
only lowers R1 counts and raises R2 counts, so a scope that held still holds afterwards.
"""

from __future__ import annotations

from fractions import Fraction

import polars as pl

from scoring.engine.columns import number_text
from scoring.rules.model import BUILTIN_MEASURES, ROLLUP_MEASURES, Criteria, Quota

__all__ = ["apply_quotas", "quota_column", "allowed_count"]

_SCOPE_KEY = {"agency": None, "unit": "unit_id", "duty_group": "duty_group"}
_SCOPE_VI = {"agency": "toàn cơ quan", "unit": "đơn vị", "duty_group": "nhóm nhiệm vụ"}


def quota_column(quota: Quota, lang: str = "vi") -> str:
    """The column saying why a person was moved by ``quota`` (in Vietnamese, or English)."""
    return f"_quota__{quota.id}" + ("__en" if lang == "en" else "")


def allowed_count(h: int, t: int, percent: float, moves_into_relative: bool = True,
                  rounding: str = "floor") -> int:
    """The rule above in plain Python (documentation and tests)."""
    share = Fraction(str(percent)) / 100
    num, den = share.numerator, share.denominator
    if rounding == "half_up":
        if moves_into_relative:
            return int((2 * num * (t + h) + den) // (2 * (num + den)))
        return int((2 * num * t + den) // (2 * den))
    if moves_into_relative:
        return int((num * (t + h)) // (num + den))
    return int((num * t) // den)


def _allowed(q: Quota, num: int, den: int, into_relative: bool, h: pl.Expr, t: pl.Expr) -> pl.Expr:
    """``allowed_count`` as an expression over a group's counts."""
    if q.rounding == "half_up":
        if into_relative:
            return (2 * num * (t + h) + den) // (2 * (num + den))
        return (2 * num * t + den) // (2 * den)
    return (num * (t + h)) // (num + den) if into_relative else (num * t) // den


def _name(criteria: Criteria, column: str, lang: str) -> str:
    """A tie-break's column as readers know it: the item's or measure's label, else its id."""
    named = next((i for i in criteria.items if i.id == column), None) or criteria.measure(column)
    if named is not None:
        return (named.label_en or named.label) if lang == "en" else named.label
    builtin = BUILTIN_MEASURES.get(column) or ROLLUP_MEASURES.get(column)
    return (builtin[1] if lang == "en" else builtin[0]) if builtin else column


def _order_text(criteria: Criteria, q: Quota, lang: str) -> pl.Expr:
    """The values that placed a moved person in the order: total, tie-breaks, employee id."""
    total, emp = ("total", "employee id") if lang == "en" else ("tổng điểm", "mã cán bộ")
    parts = [pl.format(f"{total} = {{}}", number_text(pl.col("total")).fill_null("—"))]
    parts += [pl.format(f"{_name(criteria, tb.by, lang)} = {{}}",
                        number_text(pl.col(tb.by)).fill_null("—")) for tb in q.tie_break]
    parts.append(pl.format(f"{emp} = {{}}", pl.col("employee_id")))
    return pl.concat_str(parts, separator=", ", ignore_nulls=False)


def _order_words(criteria: Criteria, q: Quota) -> tuple[str, str]:
    """How the order is written: lowest total first, then each tie-break, then the id."""
    vi = ["tổng điểm thấp nhất trước"]
    en = ["lowest total first"]
    for tb in q.tie_break:
        vi.append(f"{_name(criteria, tb.by, 'vi')} {'tăng dần' if tb.direction == 'asc' else 'giảm dần'}")
        en.append(f"{_name(criteria, tb.by, 'en')} "
                  f"{'ascending' if tb.direction == 'asc' else 'descending'}")
    vi.append("mã cán bộ")
    en.append("employee id")
    return ", rồi ".join(vi), ", then ".join(en)


def _apply_one(df: pl.DataFrame, criteria: Criteria, q: Quota, scope: str) -> pl.DataFrame:
    codes = [b.code for b in criteria.ratings]
    down = codes[codes.index(q.rating) + 1]
    share = Fraction(str(q.max_percent)) / 100
    num, den = share.numerator, share.denominator
    key = _SCOPE_KEY[scope]
    group = pl.col(key) if key else pl.lit("*")
    h = (pl.col("rating") == q.rating).sum().cast(pl.Int64)
    t = (pl.col("rating") == q.relative_to).sum().cast(pl.Int64)
    allowed = _allowed(q, num, den, down == q.relative_to, h, t)
    counts = (
        df.group_by(group.alias("_group"))
        .agg(h.alias("_h"), t.alias("_t"), allowed.alias("_allowed"))
        .filter(pl.col("_h") > pl.col("_allowed"))
    )
    if counts.is_empty():
        return df
    order = ["_group", "total", *[tb.by for tb in q.tie_break], "employee_id"]
    descending = [False, False, *[tb.direction == "desc" for tb in q.tie_break], False]
    where_vi = f"{_SCOPE_VI[scope]} {{}}" if key else _SCOPE_VI[scope]
    where_en = f"{scope} {{}}" if key else "agency"
    keys = [pl.col("_group")] if key else []
    order_vi, order_en = _order_words(criteria, q)
    details = {
        "vi": pl.format(
            f"{where_vi}: {{}} {q.rating}, {{}} {q.relative_to}, tối đa {{}} {q.rating}; "
            f"{q.rating} → {down}; hạ {{}} người theo thứ tự {order_vi}; người này thứ {{}}: {{}}",
            *keys, "_h", "_t", "_allowed", "_moved", "_place", "_values_vi"),
        "en": pl.format(
            f"{where_en}: {{}} {q.rating}, {{}} {q.relative_to}, at most {{}} {q.rating}; "
            f"{q.rating} → {down}; {{}} moved in the order {order_en}; this person is number {{}}: {{}}",
            *keys, "_h", "_t", "_allowed", "_moved", "_place", "_values_en"),
    }
    # Only the people holding the limited rating in an over-quota group are ordered.
    moved = (
        df.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"), "employee_id",
                  group.alias("_group"), "rating", "total", *[tb.by for tb in q.tie_break])
        .filter(pl.col("rating") == q.rating)
        .join(counts, on="_group", how="inner")
        .sort(order, descending=descending, nulls_last=True)
        .with_columns((pl.int_range(pl.len()).over("_group") + 1).alias("_place"),
                      (pl.col("_h") - pl.col("_allowed")).alias("_moved"),
                      _order_text(criteria, q, "vi").alias("_values_vi"),
                      _order_text(criteria, q, "en").alias("_values_en"))
        .filter(pl.col("_place") <= pl.col("_moved"))
        .select("_row", *[d.alias(f"_detail_{lang}") for lang, d in details.items()])
    )
    # written into place by row number: joining back would copy every column of the frame
    decided = {lang: pl.Series(dtype=pl.String).extend_constant(None, df.height)
               .scatter(moved["_row"], moved[f"_detail_{lang}"]) for lang in details}
    return df.with_columns(
        pl.when(decided["vi"].is_not_null()).then(pl.lit(down)).otherwise(pl.col("rating"))
        .alias("rating"),
        *[pl.coalesce(d, quota_column(q, lang)).alias(quota_column(q, lang))
          for lang, d in decided.items()],
    )


def apply_quotas(criteria: Criteria, scored: pl.DataFrame) -> pl.DataFrame:
    """Move the excess of every quota down one band; record why in ``_quota__<id>``."""
    df = scored.with_columns(pl.lit(None, pl.String).alias(quota_column(q, lang))
                             for q in criteria.quotas for lang in ("vi", "en"))
    # One pass settles a single quota (a move only relaxes its other scopes); with several quotas
    # a later one can add to a band an earlier one limits, so passes repeat until nobody moves.
    # Every move lowers someone's rating, so this ends.
    for _ in range(df.height * len(criteria.ratings) + 1):
        before = df["rating"]
        for q in criteria.quotas:
            for scope in q.scopes:
                df = _apply_one(df, criteria, q, scope)
        if len(criteria.quotas) == 1 or df["rating"].equals(before):
            break
    return df

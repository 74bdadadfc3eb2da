"""Chart geometry for the reports' inline SVG charts.

The geometry (positions, sizes, ticks, colours) is computed here as frozen dataclasses of plain
numbers and strings; ``templates/_charts.html.j2`` only draws it. Coordinates are in points (the
SVG viewBox is sized so that one unit is 1 pt) and rounded to 0.01 so that the output is the same
on every machine. Pure Python: no Jinja2, no WeasyPrint, no plotting package.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "Tick",
    "HBar",
    "HBarChart",
    "Segment",
    "StackedRow",
    "LegendEntry",
    "StackedChart",
    "hbar_chart",
    "stacked_chart",
    "wrap_label",
    "rating_colours",
    "nice_ticks",
    "BAR_COLOUR",
    "NOT_RATED_COLOUR",
]

# Best → worst; a criteria file with more bands reuses the middle colours.
_RATING_PALETTE = ("#1e5a32", "#4f8f4f", "#d4a72c", "#a52a2a")
_MIDDLE = ("#7aa76a", "#b9b24a", "#e0c070")
NOT_RATED_COLOUR = "#9a9a9a"
BAR_COLOUR = "#3d566e"


def rating_colours(codes: Sequence[str]) -> dict[str, str]:
    """A colour per rating code, best first: dark green … red."""
    n = len(codes)
    if n <= 4:
        picks = (_RATING_PALETTE[: n - 1] + _RATING_PALETTE[-1:]) if n else ()
    else:
        middle = tuple(_MIDDLE[i % len(_MIDDLE)] for i in range(n - 4))
        picks = _RATING_PALETTE[:2] + middle + _RATING_PALETTE[2:]
    return dict(zip(codes, picks, strict=True))


def _ink(colour: str) -> str:
    """Black or white text, whichever reads better on ``colour`` (``#rrggbb``)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def _r(value: float) -> float:
    return round(value + 0.0, 2)


@dataclass(frozen=True, slots=True)
class Tick:
    pos: float
    text: str


def nice_ticks(top: float, count: int = 4) -> tuple[float, ...]:
    """0, step, 2·step … up to the first multiple of a 1-2-5 step at or above ``top``."""
    top = max(float(top), 1.0)
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0) if top >= 1 else step
    n = math.ceil(top / step - 1e-9)
    return tuple(_r(i * step) for i in range(n + 1))


@dataclass(frozen=True, slots=True)
class HBar:
    label: str
    value_text: str
    y: float
    height: float
    width: float
    colour: str
    text_y: float
    value_x: float


@dataclass(frozen=True, slots=True)
class HBarChart:
    """Horizontal bars with labels on the left and values at the end of each bar."""

    width: float
    height: float
    plot_x: float
    plot_width: float
    plot_top: float
    plot_bottom: float
    bars: tuple[HBar, ...]
    ticks: tuple[Tick, ...]
    font_size: float


def hbar_chart(
    rows: Sequence[tuple[str, float, str, str]],
    *,
    width: float = 240.0,
    label_width: float = 92.0,
    row_height: float = 17.0,
    font_size: float = 7.5,
) -> HBarChart:
    """``rows`` are ``(label, value, value_text, colour)``; values must be >= 0."""
    ticks = nice_ticks(max((v for _, v, _, _ in rows), default=0.0))
    top_value = ticks[-1] or 1.0
    plot_x = label_width
    plot_width = width - label_width - 22.0  # room for the value after the longest bar
    top = 4.0
    bars = []
    for i, (label, value, value_text, colour) in enumerate(rows):
        y = top + i * row_height + 2.5
        h = row_height - 5.0
        w = plot_width * max(value, 0.0) / top_value
        bars.append(
            HBar(
                label=label,
                value_text=value_text,
                y=_r(y),
                height=_r(h),
                width=_r(w),
                colour=colour,
                text_y=_r(y + h / 2 + font_size * 0.35),
                value_x=_r(plot_x + w + 3.0),
            )
        )
    bottom = top + len(rows) * row_height
    tick_objs = tuple(Tick(_r(plot_x + plot_width * t / top_value), _fmt_tick(t)) for t in ticks)
    return HBarChart(
        width=_r(width),
        height=_r(bottom + font_size + 6.0),
        plot_x=_r(plot_x),
        plot_width=_r(plot_width),
        plot_top=_r(top),
        plot_bottom=_r(bottom),
        bars=tuple(bars),
        ticks=tick_objs,
        font_size=font_size,
    )


def _fmt_tick(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True, slots=True)
class Segment:
    x: float
    width: float
    colour: str
    text: str  # printed inside the segment when it is wide enough, else ""
    text_x: float
    text_colour: str


@dataclass(frozen=True, slots=True)
class StackedRow:
    label: str
    y: float
    height: float
    text_y: float
    segments: tuple[Segment, ...]
    total_text: str
    label_lines: tuple[tuple[float, str], ...] = ()  # (baseline y, text) of each label line


_CHAR_WIDTH = 0.48  # mean advance of the serif's characters, in ems: what fits in a label


def wrap_label(label: str, fit: int, max_lines: int = 3) -> tuple[str, ...]:
    """``label`` in lines of at most ``fit`` characters, broken between words; the indent
    (leading em spaces) is repeated on each line. A unit's name is never cut: only a label
    longer than ``max_lines`` lines loses its end (with "…")."""
    body = label.lstrip("\u2003")
    indent = label[: len(label) - len(body)]
    room = max(fit - len(indent), 8)
    lines: list[str] = []
    for word in body.split():
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])[: room - 1] + "…"]
    return tuple(indent + ln for ln in lines) or (label,)


@dataclass(frozen=True, slots=True)
class LegendEntry:
    x: float
    y: float
    colour: str
    label: str


@dataclass(frozen=True, slots=True)
class StackedChart:
    """100% stacked horizontal bars (one row per unit or period) with a legend."""

    width: float
    height: float
    plot_x: float
    plot_width: float
    plot_top: float
    plot_bottom: float
    rows: tuple[StackedRow, ...]
    legend: tuple[LegendEntry, ...]
    ticks: tuple[Tick, ...]
    font_size: float


def _stacked_row(label: str, counts: Sequence[int], total_text: str,
                 series: Sequence[tuple[str, str]], top: float, fit: int, row_height: float,
                 plot_x: float, plot_width: float, font_size: float) -> StackedRow:
    """One bar of shares starting at ``top``; a label that wraps makes the row taller."""
    lines = wrap_label(label, fit)
    line_height = font_size * 1.15
    extra = (len(lines) - 1) * line_height
    y = top + 2.0
    h = row_height - 4.0 + extra
    total = sum(counts)
    segs = []
    cx = plot_x
    for count, (_, colour) in zip(counts, series, strict=True):
        w = plot_width * count / total if total else 0.0
        text = str(count) if count and w >= font_size * (0.6 * len(str(count)) + 0.6) else ""
        segs.append(Segment(_r(cx), _r(w), colour, text, _r(cx + w / 2), _ink(colour)))
        cx += w
    text_y = y + h / 2 + font_size * 0.35
    first = text_y - extra / 2
    return StackedRow(
        label=label,
        y=_r(y),
        height=_r(h),
        text_y=_r(text_y),
        segments=tuple(s for s in segs if s.width > 0),
        total_text=total_text,
        label_lines=tuple((_r(first + k * line_height), ln) for k, ln in enumerate(lines)),
    )


def stacked_chart(
    rows: Sequence[tuple[str, Sequence[int], str]],
    series: Sequence[tuple[str, str]],
    *,
    width: float = 480.0,
    label_width: float = 150.0,
    row_height: float = 15.0,
    font_size: float = 7.0,
) -> StackedChart:
    """``rows`` are ``(label, counts per series, total text)``; ``series`` ``(label, colour)``.

    Each row is drawn as shares of its own sum; a segment shows its count when wide enough.
    """
    plot_x = label_width
    plot_width = width - label_width - 30.0
    legend_height = 14.0
    top = legend_height + 4.0
    legend = []
    x = plot_x
    for label, colour in series:
        legend.append(LegendEntry(_r(x), _r(2.0), colour, label))
        x += 16.0 + 0.48 * font_size * len(label)
    fit = int((label_width - 6.0) / (_CHAR_WIDTH * font_size))
    out_rows = []
    y_next = top
    for label, counts, total_text in rows:
        row = _stacked_row(label, counts, total_text, series, y_next, fit, row_height,
                           plot_x, plot_width, font_size)
        out_rows.append(row)
        y_next = row.y - 2.0 + row.height + 4.0
    bottom = y_next
    ticks = tuple(Tick(_r(plot_x + plot_width * p / 100), f"{p}%") for p in (0, 25, 50, 75, 100))
    return StackedChart(
        width=_r(width),
        height=_r(bottom + font_size + 6.0),
        plot_x=_r(plot_x),
        plot_width=_r(plot_width),
        plot_top=_r(top),
        plot_bottom=_r(bottom),
        rows=tuple(out_rows),
        legend=tuple(legend),
        ticks=ticks,
        font_size=font_size,
    )

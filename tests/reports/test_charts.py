"""Chart geometry: unit names are wrapped, never cut, and their rows grow to hold them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from scoring.reports.charts import stacked_chart, wrap_label

LONG = "Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ tỉnh Quảng Ngãi"


def test_a_long_unit_name_wraps_onto_lines_that_keep_every_word():
    lines = wrap_label("\u2003" + LONG, 40)
    assert len(lines) == 2
    assert all(ln.startswith("\u2003") and len(ln) <= 40 for ln in lines)
    assert " ".join(ln.strip("\u2003") for ln in lines) == LONG


def test_a_wrapped_row_is_taller_and_the_next_row_starts_below_it():
    series = [("HTXS", "#1e5a32"), ("HTT", "#4f8f4f")]
    ch = stacked_chart([(LONG, [1, 2], "3"), ("Văn phòng", [2, 1], "3")], series)
    first, second = ch.rows
    assert len(first.label_lines) == 2 and len(second.label_lines) == 1
    assert first.height > second.height
    assert second.y >= first.y + first.height
    assert ch.plot_bottom >= second.y + second.height
    baselines = [y for y, _ in first.label_lines]
    assert first.y <= baselines[0] < baselines[1] <= first.y + first.height + 2


@given(st.lists(st.text("abcđêơ ", min_size=1, max_size=12), min_size=1, max_size=12),
       st.integers(12, 60))
def test_wrapping_loses_no_word_unless_it_needs_more_than_three_lines(words, fit):
    label = " ".join(w.strip() or "x" for w in words)
    lines = wrap_label(label, fit)
    assert 1 <= len(lines) <= 3
    if not lines[-1].endswith("…"):  # only a label longer than three lines is shortened
        assert " ".join(lines).split() == label.split()

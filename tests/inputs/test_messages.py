"""Messages HR can act on (issue 13 §5): errors grouped by kind with a count per kind and the
first rows with their values; the files read and ignored, also when a run fails."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from office_helpers import SAMPLE_CRITERIA, copy_sample, sample_rows, write_csv_rows

from scoring.cli import main
from scoring.codes import Code
from scoring.errors import group_issues, issue


def _messy_staff(data: Path) -> None:
    """200 people under a position word that does not exist, 8 with an impossible date."""
    rows = sample_rows("staff")
    j, d = rows[0].index("position"), rows[0].index("start_date")
    body = rows[1:]
    extra = [[f"NX{n:04d}", *r[1:]] for n, r in enumerate(body * 2)][: 200 - len(body)]
    body = body + extra
    for i, r in enumerate(body):
        r[j] = "Trưởng khoa"
        if i % 25 == 3:
            r[d] = "31/02/2024"
    write_csv_rows(data / "staff.csv", [rows[0], *body])
    (data / "ghi chú.txt").write_text("ghi chú của phòng", encoding="utf-8")


def test_a_file_with_hundreds_of_errors_is_summarised_by_kind(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    _messy_staff(data)
    result = CliRunner().invoke(main, ["check-data", "--data", str(data)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "Dữ liệu đầu vào không hợp lệ / Invalid input data (208; 2 loại / kinds):"
    heads = [ln for ln in lines if ln.startswith("▸ ")]
    # the kinds in the order of their first row
    assert heads[0].startswith("▸ staff.csv: position: giá trị không được phép")
    assert heads[0].endswith("[D302] — 200 dòng / rows:")
    assert heads[1].startswith("▸ staff.csv: start_date: ngày không hợp lệ")
    assert heads[1].endswith("[D301] — 8 dòng / rows:")
    # under each count, its first rows with their values, then how many more
    at = lines.index(heads[0])
    shown = lines[at + 1: at + 7]
    assert shown == [f"    staff.csv:{r} ('Trưởng khoa')" for r in range(2, 7)] + [
        "    … và 195 dòng khác / and 195 more rows"]
    assert "Trưởng khoa" not in heads[0]  # the message once, in the kind's line
    # and what was looked at
    assert "  đã đọc: staff: staff.csv" in lines
    assert any(ln.startswith("  bỏ qua: ghi chú.txt: ") for ln in lines)


def test_a_failing_run_lists_the_files_read_and_ignored(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    _messy_staff(data)
    result = CliRunner().invoke(main, ["run", "--criteria", str(SAMPLE_CRITERIA), "--data", str(data),
                                       "--period", "2025-Q1", "--out", str(tmp_path / "out"),
                                       "--no-reports"])
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    lines = result.stderr.splitlines()
    read = [ln for ln in lines if ln.startswith("  đã đọc: ")]
    assert len(read) == 7 and "  đã đọc: leave: leave.csv" in read
    assert any(ln.startswith("  bỏ qua: ghi chú.txt: ") for ln in lines)


def test_a_successful_run_lists_the_files_read(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    result = CliRunner().invoke(main, ["run", "--criteria", str(SAMPLE_CRITERIA), "--data", str(data),
                                       "--period", "2025-Q1", "--out", str(tmp_path / "out"),
                                       "--no-reports", "--run-date", "2025-04-05"])
    assert result.exit_code == 0, result.output
    assert "  đã đọc: staff: staff.csv (130)" in result.stderr.splitlines()


def test_one_problem_alone_has_no_count_line(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    text = (data / "staff.csv").read_text("utf-8").replace(",2004-04-03,", ",2004-02-30,", 1)
    (data / "staff.csv").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check-data", "--data", str(data)])
    lines = result.stderr.splitlines()
    assert lines[0] == "Dữ liệu đầu vào không hợp lệ / Invalid input data (1):"
    assert lines[1].startswith("staff.csv:2: start_date: ") and not any(ln.startswith("▸") for ln in lines)


def test_grouping_counts_the_rows_not_listed() -> None:
    a = [issue("f.csv", r, "x", "sai / wrong", code=Code.CELL_CHECK) for r in (2, 3)]
    more = issue("f.csv", 9, "x", "sai / wrong ... và 40 dòng khác / and 40 more rows", code=Code.CELL_CHECK)
    other = issue("f.csv", 4, "y", "sai / wrong", code=Code.CELL_CHECK)
    groups = group_issues([a[0], a[1], other, more])
    assert [(g.first.where, g.total, len(g.issues)) for g in groups] == [("x", 42, 3), ("y", 1, 1)]
    assert groups[0].issues[-1] is more and groups[0].message == "sai / wrong"


def test_a_missing_column_under_title_rows_says_which_row_is_the_header(tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data")
    rows = sample_rows("staff")
    rows[0][rows[0].index("position")] = "Chức danh"
    write_csv_rows(data / "staff.csv", [["SỞ KHOA HỌC VÀ CÔNG NGHỆ"], ["DANH SÁCH CÁN BỘ"], *rows])
    result = CliRunner().invoke(main, ["check-data", "--data", str(data)])
    line = result.stderr.splitlines()[1]
    assert line.startswith("staff.csv:3: position: thiếu cột bắt buộc")
    assert "; có phải 'Chức danh'? / did you mean 'Chức danh'?" in line
    assert line.endswith("; dòng tiêu đề là dòng 3 (các dòng trên là tiêu đề bảng) / the header is row 3 "
                         "(the rows above are titles) [D201]")

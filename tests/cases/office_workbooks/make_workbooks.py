"""Write the office-workbook corpus: the sample department as offices keep it, saved by
LibreOffice Calc.

Run from the repository root: ``.venv/bin/python tests/cases/office_workbooks/make_workbooks.py``
(needs ``soffice``, installed by ``.ci/install``). Each case folder is deleted and written
again: workbooks made with openpyxl from ``sample_data/`` and then opened and saved by
LibreOffice Calc (the files committed are Calc's), ``columns.yaml`` (the labels of the
assessment columns) and ``expected.txt``: empty when the case must score exactly like the CSV
sample for 2025-Q1, else the exact error lines, written by hand below.

Why a committed corpus rather than converting at test time: the tests then read the very bytes
a reviewer can open, on any machine and in seconds, and a LibreOffice upgrade cannot change
them silently; ``tests/inputs/test_office_workbooks.py`` still converts one fresh workbook with the
installed LibreOffice to check the pipeline against the current version.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from office_helpers import (  # noqa: E402
    ASSESSMENT_HEADERS,
    column_mapping_yaml,
    convert_with_libreoffice,
    office_rows,
    sample_rows,
    with_furniture,
    write_workbook,
)

SHEETS = {"units": "Đơn vị", "staff": "Danh sách cán bộ", "assessments": "Kết quả đánh giá quý I",
          "violations": "Vi phạm giao thông", "training": "Tuyên truyền", "discipline": "Kỷ luật",
          "leave": "Nghỉ phép"}
FILES = {"units": "Danh sách đơn vị", "staff": "Danh sách cán bộ",
         "assessments": "Kết quả đánh giá quý I", "violations": "Vi phạm giao thông",
         "training": "Tuyên truyền ATGT", "discipline": "Kỷ luật", "leave": "Nghỉ phép"}


def _unit_names() -> dict[str, str]:
    return {r[0]: r[1] for r in sample_rows("units")[1:]}


def one_workbook(tmp: Path) -> list[Path]:
    """Every table a sheet of one workbook, with an instruction sheet; text dates."""
    sheets: dict[str, list[list[object]]] = {"Hướng dẫn": [["Dữ liệu đánh giá quý I/2025"]]}
    sheets |= {SHEETS[t]: office_rows(t, sample_rows(t)) for t in SHEETS}
    return [write_workbook(tmp / "Dữ liệu đánh giá quý I-2025.xlsx", sheets)]


def _messy(tmp: Path, change=lambda table, rows: rows) -> list[Path]:
    """One workbook per table, Vietnamese file names, furniture, date cells, units by name, a
    hidden old copy of the staff list, a two-level header in the assessments."""
    out = []
    for table, name in FILES.items():
        rows = office_rows(table, sample_rows(table), date_cells=table != "training",
                           unit_names=_unit_names())
        rows = change(table, rows)
        hidden: tuple[str, ...] = ()
        if table == "assessments":
            top = [rows[0][0], rows[0][1], "Điểm theo tiêu chí", *[""] * (len(rows[0]) - 3)]
            rows = [top, ["", "", *rows[0][2:]], *rows[1:]]
            sheets = {"Sheet1": rows}
        else:
            sheets = {"Sheet1": with_furniture(rows, f"DANH SÁCH {name.upper()}")}
        if table == "staff":
            old = [r[:3] + ["Chuyên viên"] + r[4:] for r in rows]
            sheets = {"Cũ": old, "Danh sách": sheets["Sheet1"]}
            hidden = ("Cũ",)
        out.append(write_workbook(tmp / f"{name}.xlsx", sheets, hidden=hidden))
    return out


def _set(table: str, column: int, row: int, value: object):
    def change(t: str, rows: list[list[object]]) -> list[list[object]]:
        if t == table:
            rows[row][column] = value
        return rows
    return change


OWN_NAMES = {"units": "DV", "staff": "Nhân lực 2025", "assessments": "Bảng điểm Q1",
             "violations": "CSGT gửi", "training": "Hội nghị", "discipline": "QĐ", "leave": "Nghỉ"}


def own_names(tmp: Path) -> list[Path]:
    """The messy department under file names of the office's own, read with a data-source
    file (``nguon-du-lieu.yaml``, below): its own id header and position word, the staff list
    on a second visible sheet, the assessments' labels mapped there instead of --columns."""
    def change(table: str, rows: list[list[object]]) -> list[list[object]]:
        if table == "staff":
            rows[0][0] = "Số hiệu CB"
            j = rows[0].index("Chức vụ")
            for r in rows[1:]:
                r[j] = "Trưởng khoa" if r[j] == "Chánh Văn phòng" else r[j]
        return rows

    out = []
    for path in _messy(tmp, change):
        table = next(t for t, n in FILES.items() if f"{n}.xlsx" == path.name)
        target = path.with_name(f"{OWN_NAMES[table]}.xlsx")
        path.rename(target)
        out.append(target)
    return out


def own_names_source() -> str:
    labels = "".join(f'      "{label}": {column}\n' for column, label in ASSESSMENT_HEADERS.items())
    files = {t: f"{n}.xlsx" for t, n in OWN_NAMES.items()}
    return (
        "# yaml-language-server: $schema=../../../../scoring/data-source.schema.json\n"
        "tables:\n"
        f"  units: {{file: {files['units']}}}\n"
        "  staff:\n"
        f"    file: {files['staff']}\n"
        "    sheet: Danh sách\n"
        "    columns: {Số hiệu CB: employee_id}\n"
        "    values:\n"
        "      position: {Trưởng khoa: head}\n"
        "  assessments:\n"
        f"    file: {files['assessments']}\n"
        "    header_row: 2\n"
        "    header_rows: 2\n"
        f"    columns:\n{labels}"
        + "".join(f"  {t}: {{file: {files[t]}}}\n" for t in ("violations", "training",
                                                              "discipline", "leave"))
    )


CASES = {
    "one_workbook": (one_workbook, ()),
    "messy_department": (_messy, ()),
    "unknown_position_word": (
        lambda tmp: _messy(tmp, _set("staff", 3, 4, "Trưởng khoa")),
        ("Danh sách cán bộ.xlsx:9: position: giá trị không được phép, dùng một trong / "
         "value not allowed, use one of: director (Giám đốc), deputy_director (Phó Giám đốc), head "
         "(Chánh Văn phòng), deputy_head (Phó Chánh Văn phòng), staff (Chuyên viên) "
         "('Trưởng khoa')",),
    ),
    "own_names": (own_names, ()),
    "month_first_date": (
        lambda tmp: _messy(tmp, _set("training", 2, 3, "01/16/2025")),
        ("Tuyên truyền ATGT.xlsx:8: session_date: ngày không hợp lệ, dùng dạng dd/mm/yyyy hoặc "
         "YYYY-MM-DD / invalid date, use dd/mm/yyyy or YYYY-MM-DD ('01/16/2025')",),
    ),
}


def main(only: list[str]) -> None:
    for name, (build, expected) in CASES.items():
        if only and name not in only:
            continue
        folder = HERE / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        with tempfile.TemporaryDirectory() as tmp:
            convert_with_libreoffice(build(Path(tmp)), folder)
        if name == "own_names":
            (folder / "nguon-du-lieu.yaml").write_text(own_names_source(), encoding="utf-8")
        else:
            (folder / "columns.yaml").write_text(column_mapping_yaml(), encoding="utf-8")
        (folder / "expected.txt").write_text("".join(f"{e}\n" for e in expected), encoding="utf-8")
    print(f"wrote {len(only) or len(CASES)} cases in {HERE}")


if __name__ == "__main__":
    main(sys.argv[1:])  # case names: only those are written again

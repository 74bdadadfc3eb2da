"""Generate contract-valid input data at any scale (up to a national run), as Parquet.

    python benchmarks/generate_national.py --staff 2700000 --seed 2025 --out /tmp/national

Writes ``units``, ``staff``, ``assessments``, ``violations``, ``training``, ``discipline`` and
``leave`` as ``.parquet`` into ``--out``. The shape follows the sample department
(``sample_data/generator/generate.py``), scaled up:

- a unit tree: the country → provinces (up to 34) → departments (a board holding the director
  and 2-3 deputies) → divisions, offices, inspectorates and centres of 5-60 staff (a head, 1-3
  deputies, staff; the last unit may be smaller so that the total is exactly ``--staff``);
- staff with Vietnamese names (NFC), positions, employment types (centres employ public
  employees, about 7% workers of whom some drivers, a few cadres), start dates, about 2% hired
  and 1.5% leaving during 2025, e-mail addresses (none for workers);
- an assessment for each quarter of 2025 a person is employed in (0.3% missing), with the
  sample's score columns and ranges (politics_ethics 0-8, culture_attitude 0-7, discipline 0-5,
  task_quantity 0-25, task_quality 0-25, task_timeliness 0-20) and an extra note column;
- traffic violations for about 25% of staff in 2025 (some two or three), drawn from the sample's
  2025 category / alcohol level / vehicle / status mix, with the fines and licence points of
  Decree 168/2024/NĐ-CP, plus about 5% of staff with a late-2024 record (no licence points);
- training for about 60% of staff (1-4 records: traffic safety, professional, digital skills;
  86% attended), discipline for about 0.3%, leave for about 3%.

Vectorised with numpy and Polars (no per-row Python loops): 2.7 million staff take about half a
minute on 2 cores. Deterministic: the same ``--staff`` and ``--seed`` give byte-identical files.
All people are fictitious.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import unicodedata
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from scoring.inputs.contract import TABLES

# the fine tables of the sample generator (Decree 168/2024/NĐ-CP, Decree 100/2019/NĐ-CP)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sample_data"))
from fines import FINES_2024, FINES_2025

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import MARKS, MAX
from bench_common import TABLES as TABLE_NAMES

__all__ = ["generate", "write_dataset", "TABLE_NAMES", "SCORE_MAX"]

SCORE_MAX = {m: MAX[m] for m in MARKS}  # the assessment score columns and their ranges
YEAR_START, YEAR_END = date(2025, 1, 1), date(2025, 12, 31)
QUARTERS = [(f"2025-Q{q}", date(2025, 3 * q - 2, 1), date(2025, 3 * q, [31, 30, 30, 31][q - 1]))
            for q in range(1, 5)]
EPOCH = date(1970, 1, 1)


def _nfc(items):
    return [unicodedata.normalize("NFC", s) for s in items]


# The 34 provinces and centrally-run cities (2025), with rough weights for their size.
PROVINCES = _nfc([
    "Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Lai Châu",
    "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
    "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Ninh Bình", "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk",
    "Đồng Nai", "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
])
PROVINCE_WEIGHTS = np.array([8, 9, 4, 3, 2, 2] + [1.5] * 28, dtype=float)
PROVINCE_TITLES = _nfc([("thành phố " if i < 6 else "tỉnh ") + p for i, p in enumerate(PROVINCES)])
# (name, its divisions are centres employing public employees?)
DEPARTMENTS = _nfc([
    "Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Sở Xây dựng", "Sở Y tế",
    "Sở Giáo dục và Đào tạo", "Sở Khoa học và Công nghệ", "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường", "Sở Văn hóa, Thể thao và Du lịch", "Thanh tra tỉnh",
    "Văn phòng Ủy ban nhân dân tỉnh", "Ban Quản lý các khu công nghiệp", "Ủy ban nhân dân xã",
    "Ủy ban nhân dân phường", "Sở Dân tộc và Tôn giáo",
])
# (kind, name) of the units inside a department; centres employ public employees.
DIVISIONS = [(k, unicodedata.normalize("NFC", n)) for k, n in [
    ("office", "Văn phòng"), ("inspectorate", "Thanh tra"),
    ("division", "Phòng Kế hoạch – Tài chính"), ("division", "Phòng Tổ chức cán bộ"),
    ("division", "Phòng Quản lý chuyên ngành"), ("division", "Phòng Pháp chế"),
    ("division", "Phòng Chính sách"), ("section", "Chi cục"), ("centre", "Trung tâm Dịch vụ"),
    ("centre", "Trung tâm Kỹ thuật"), ("division", "Phòng Hợp tác"),
    ("division", "Phòng Chuyển đổi số"), ("centre", "Trung tâm Thông tin"),
    ("division", "Phòng Thống kê"), ("section", "Đội Kiểm tra"),
]]
FAMILY = _nfc(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
               "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"])
FAMILY_W = np.array([30, 10, 9, 6, 3, 6, 5, 2, 8, 3, 3, 3, 4, 3, 2, 1], dtype=float)
MIDDLE_M = _nfc(["Văn", "Văn", "Minh", "Thanh", "Hữu", "Đức", "Quốc", "Công", "Tấn", "Ngọc",
                 "Đình"])
MIDDLE_F = _nfc(["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Minh", "Kim", "Mỹ", "Hoài"])
GIVEN_M = _nfc(["An", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hiếu", "Hùng", "Huy", "Khánh",
                "Long", "Nam", "Phong", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Trung",
                "Tuấn", "Việt", "Vinh", "Lộc", "Khoa", "Tâm", "Hòa", "Nhân", "Kiên", "Đạt"])
GIVEN_F = _nfc(["Anh", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương",
                "Lan", "Linh", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên",
                "Thảo", "Trang", "Trâm", "Uyên", "Vân", "Yến", "Thủy", "Nhi", "Loan", "Tuyết"])

# The 2025 violations of the sample department (sample_data/generator/generate.py, VIOLATION_PLAN):
# (category, variant, vehicle, status); drawn uniformly, this is the sample's mix.
VIOLATION_MIX_2025 = [
    ("speeding", "10_20", "motorbike", "effective"), ("alcohol", 1, "motorbike", "effective"),
    ("speeding", "20_35", "motorbike", "appealed"), ("red_light", None, "motorbike", "annulled"),
    ("helmet_seatbelt", None, "motorbike", "effective"), ("phone", None, "motorbike", "effective"),
    ("speeding", "10_20", "car", "effective"), ("wrong_way", None, "motorbike", "effective"),
    ("speeding", "20_35", "car", "effective"), ("alcohol", 2, "motorbike", "effective"),
    ("speeding", "10_20", "motorbike", "effective"), ("speeding", "10_20", "motorbike", "effective"),
    ("red_light", None, "motorbike", "effective"), ("helmet_seatbelt", None, "car", "effective"),
    ("other", None, "motorbike", "effective"), ("phone", None, "motorbike", "appealed"),
    ("speeding", "lt10", "motorbike", "effective"), ("alcohol", 3, "motorbike", "effective"),
    ("red_light", None, "motorbike", "effective"), ("speeding", "20_35", "motorbike", "effective"),
    ("speeding", "gt35", "car", "annulled"), ("helmet_seatbelt", None, "motorbike", "effective"),
    ("wrong_way", None, "motorbike", "effective"), ("speeding", "10_20", "motorbike", "effective"),
    ("phone", None, "car", "effective"), ("alcohol", 1, "motorbike", "effective"),
    ("alcohol", 1, "car", "effective"), ("speeding", "10_20", "motorbike", "appealed"),
    ("speeding", "10_20", "motorbike", "effective"), ("red_light", None, "car", "effective"),
    ("helmet_seatbelt", None, "motorbike", "effective"), ("other", None, "motorbike", "effective"),
    ("speeding", "20_35", "motorbike", "effective"), ("wrong_way", None, "car", "effective"),
    ("speeding", "10_20", "motorbike", "effective"),
]
VIOLATION_MIX_2024 = [
    ("speeding", "10_20", "motorbike", "effective"), ("red_light", None, "motorbike", "effective"),
    ("helmet_seatbelt", None, "motorbike", "effective"), ("phone", None, "motorbike", "effective"),
    ("alcohol", 1, "motorbike", "effective"),
]
DISCIPLINE_FORMS = ["reprimand", "warning", "salary_demotion", "demotion", "dismissal_from_post",
                    "forced_resignation"]
DISCIPLINE_W = np.array([0.55, 0.30, 0.05, 0.04, 0.03, 0.03])
DISCIPLINE_REASONS = _nfc([
    "Thiếu trách nhiệm trong thực hiện nhiệm vụ được giao, để chậm trễ kéo dài",
    "Vi phạm quy định về quản lý tài chính, tài sản công",
    "Vi phạm quy tắc ứng xử của cán bộ, công chức, viên chức",
    "Vi phạm quy định về phòng, chống tham nhũng, tiêu cực",
])
NOTES = _nfc(["Có sáng kiến được Hội đồng sáng kiến cơ sở công nhận",
              "Chậm tiến độ một số nhiệm vụ được giao, cần khắc phục",
              "Được Chủ tịch Ủy ban nhân dân tỉnh tặng bằng khen"])
# topic, code for the session id, weight, hours to choose from
TOPICS = [("traffic_safety", "ATGT", 0.55, [2.0, 2.5, 3.0]), ("professional", "NV", 0.20, [4.0]),
          ("digital_skills", "KNS", 0.25, [2.0, 2.5, 3.0])]
LEAVE_KINDS = [("maternity", 0.30, 180, 180), ("sick", 0.45, 3, 20), ("unpaid", 0.10, 30, 60),
               ("other", 0.15, 2, 10)]


def _days(d: date) -> int:
    return (d - EPOCH).days


def _as_date(days: np.ndarray, name: str) -> pl.Series:
    return pl.Series(name, days.astype(np.int32)).cast(pl.Date)


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _pick(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _seq(n: int, width: int) -> pl.Expr:
    """1..n as zero-padded text."""
    return (pl.int_range(1, n + 1, dtype=pl.Int64).cast(pl.String).str.zfill(width))


def _within(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A uniform day in [lo, hi] (day numbers), element-wise; hi >= lo."""
    return lo + np.floor(rng.random(lo.size) * (hi - lo + 1)).astype(np.int64)


# ----------------------------------------------------------------------------- units and staff


def _unit_tree(rng: np.random.Generator, n_staff: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(units, the staffed units in order with their size, kind, department and province)."""
    # Departments: a board of 3-4 leaders and 3-15 divisions of 5-60 staff (mostly 8-30).
    max_dept = n_staff // 18 + 2  # the smallest department has 3 + 3 * 5 staff
    n_div_of = rng.integers(3, 16, max_dept)
    board = rng.integers(3, 5, max_dept)
    first_div = np.cumsum(n_div_of) - n_div_of
    div_size = np.clip(np.round(rng.lognormal(np.log(16.0), 0.55, int(n_div_of.sum()))), 5, 60)
    div_size = div_size.astype(np.int64)
    div_kind = rng.integers(0, len(DIVISIONS), div_size.size)
    dept_staff = np.cumsum(board + np.add.reduceat(div_size, first_div))
    n_dept = int(np.searchsorted(dept_staff, n_staff) + 1)  # departments needed for n_staff
    n_div_of, board = n_div_of[:n_dept], board[:n_dept]
    n_divs = int(n_div_of.sum())
    div_size, div_kind = div_size[:n_divs], div_kind[:n_divs]
    div_dept = np.repeat(np.arange(n_dept), n_div_of)
    div_no = np.arange(n_divs) - first_div[div_dept]

    n_prov = int(min(len(PROVINCES), max(1, round(n_dept / 5))))
    dept_prov = np.sort(_pick(rng, PROVINCE_WEIGHTS[:n_prov], n_dept))
    dept_kind = rng.integers(0, len(DEPARTMENTS), n_dept)

    prov_ids = pl.Series([f"P{i + 1:02d}" for i in range(n_prov)])
    dept_id = "D" + pl.Series(np.arange(1, n_dept + 1)).cast(pl.String).str.zfill(6)
    provinces = pl.DataFrame({
        "unit_id": ["VN", *prov_ids],
        "name": [*_nfc(["Cả nước"]), *_nfc(f"Ủy ban nhân dân {p}" for p in PROVINCE_TITLES[:n_prov])],
        "parent_id": [None, *(["VN"] * n_prov)],
        "kind": ["country", *(["province"] * n_prov)],
    })
    departments = pl.DataFrame({
        "unit_id": dept_id,
        "name": pl.Series(DEPARTMENTS).gather(dept_kind) + " "
        + pl.Series(PROVINCE_TITLES).gather(dept_prov) + " (" + dept_id + ")",
        "parent_id": prov_ids.gather(dept_prov),
        "kind": pl.repeat("board", n_dept, eager=True),
    })
    div_no_text = pl.Series(div_no + 1).cast(pl.String)
    divisions = pl.DataFrame({
        "unit_id": dept_id.gather(div_dept) + "-" + div_no_text.str.zfill(2),
        "name": pl.Series([n for _, n in DIVISIONS]).gather(div_kind) + " " + div_no_text,
        "parent_id": dept_id.gather(div_dept),
        "kind": pl.Series([k for k, _ in DIVISIONS]).gather(div_kind),
    })
    # Staffed units in order: each department's board, then its divisions; cut at n_staff.
    holders = pl.concat([
        pl.DataFrame({"unit_id": dept_id, "size": board, "kind": departments["kind"],
                      "dept": np.arange(n_dept), "order": np.arange(n_dept) * 100}),
        pl.DataFrame({"unit_id": divisions["unit_id"], "size": div_size, "kind": divisions["kind"],
                      "dept": div_dept, "order": div_dept * 100 + div_no + 1}),
    ]).sort("order")
    before = holders["size"].cum_sum() - holders["size"]
    holders = (
        holders.with_columns(size=pl.min_horizontal(pl.col("size"), pl.lit(n_staff) - before))
        .filter(pl.col("size") > 0)
        .with_columns(province=pl.lit(pl.Series(dept_prov)).gather(pl.col("dept")))
        .drop("order")
    )
    # The tree holds the staffed units, their departments and provinces, and the country.
    units = pl.concat([provinces, departments, divisions]).filter(
        pl.col("unit_id").is_in(holders["unit_id"].implode())
        | (pl.col("kind") == "country")
        | pl.col("unit_id").is_in(prov_ids.gather(holders["province"].unique()).implode())
    )
    return units, holders


def _staff(rng: np.random.Generator, n: int, holders: pl.DataFrame) -> pl.DataFrame:
    size = holders["size"].to_numpy()
    unit_idx = np.repeat(np.arange(holders.height), size)
    rank = np.arange(n) - np.repeat(np.cumsum(size) - size, size)
    kind = holders["kind"].to_numpy()[unit_idx]
    is_board = kind == "board"
    n_deputies = np.where(size < 15, 1, np.where(size < 40, 2, 3))[unit_idx]
    # position codes: contract order director, deputy_director, head, deputy_head, staff
    position = np.where(is_board, np.where(rank == 0, 0, 1),
                        np.where(rank == 0, 2, np.where(rank <= n_deputies, 3, 4)))
    is_staff = position == 4
    # employment type codes: cadre, civil_servant, public_employee, worker
    etype = np.where(kind == "centre", 2, 1)
    u = rng.random(n)
    worker = is_staff & (u < 0.07)
    etype[worker] = 3
    etype[is_staff & (u >= 0.07) & (u < 0.085) & (kind == "office")] = 0
    duty = np.full(n, 2)  # 0 driver, 1 inspector, 2 none
    duty[worker & (rng.random(n) < 0.4)] = 0
    duty[is_staff & ~worker & (kind == "inspectorate")] = 1

    male = rng.random(n) < 0.55
    family = _pick(rng, FAMILY_W, n)
    middle = np.where(male, rng.integers(0, len(MIDDLE_M), n),
                      len(MIDDLE_M) + rng.integers(0, len(MIDDLE_F), n))
    given = np.where(male, rng.integers(0, len(GIVEN_M), n),
                     len(GIVEN_M) + rng.integers(0, len(GIVEN_F), n))
    givens = GIVEN_M + GIVEN_F

    # Start dates by position; 2% of staff hired during 2025, 1.5% leaving during 2025.
    lo = np.array([_days(date(y, 1, 1)) for y in (1995, 1998, 1995, 1998, 2000)])[position]
    hi = np.where(is_staff, _days(date(2024, 12, 31)), _days(date(2018, 12, 31)))
    start = _within(rng, lo, hi)
    hired = is_staff & (rng.random(n) < 0.02)
    start[hired] = _within(rng, np.full(hired.sum(), _days(date(2025, 1, 2))),
                           np.full(hired.sum(), _days(date(2025, 11, 30))))
    leaving = ~hired & (rng.random(n) < 0.015)
    end = np.full(n, -1, dtype=np.int64)
    end[leaving] = _within(rng, np.full(leaving.sum(), _days(date(2025, 1, 15))),
                           np.full(leaving.sum(), _days(date(2025, 12, 30))))

    domains = pl.Series([_ascii(p).replace(" ", "") + ".gov.vn" for p in PROVINCES])
    frame = pl.DataFrame({
        "employee_id": pl.select("NV" + _seq(n, max(7, len(str(n))))).to_series(),
        "full_name": pl.Series(FAMILY).gather(family) + " " + pl.Series(MIDDLE_M + MIDDLE_F)
        .gather(middle) + " " + pl.Series(givens).gather(given),
        "unit_id": holders["unit_id"].gather(unit_idx),
        "position": pl.Series(TABLES["staff"].column("position").allowed).gather(position),
        "employment_type": pl.Series(TABLES["staff"].column("employment_type").allowed)
        .gather(etype),
        "duty_group": pl.Series(["driver", "inspector", None], dtype=pl.String).gather(duty),
        "start_date": _as_date(start, "start_date"),
        "end_date": _as_date(end, "end_date"),
        "_stem": pl.Series([_ascii(g) for g in givens]).gather(given) + "."
        + pl.Series([_ascii(f) for f in FAMILY]).gather(family),
        "_domain": domains.gather(holders["province"].gather(unit_idx)),
        "_key": (holders["province"].to_numpy()[unit_idx] * len(givens) + given) * len(FAMILY)
        + family,
        "_worker": worker,
    }).with_columns(end_date=pl.when(pl.col("end_date") > pl.date(1970, 1, 1)).then("end_date"))
    n_same = pl.int_range(pl.len()).over("_key")  # people with the same address so far
    email = pl.concat_str(
        "_stem", pl.when(n_same > 0).then(n_same.cast(pl.String)).otherwise(pl.lit("")),
        pl.lit("@"), "_domain",
    )
    return frame.with_columns(email=pl.when(~pl.col("_worker")).then(email)).drop(
        "_stem", "_domain", "_key", "_worker"
    )


# ----------------------------------------------------------------------------- records


def _employed_span(staff: pl.DataFrame, lo: date, hi: date) -> tuple[np.ndarray, np.ndarray]:
    s = staff["start_date"].cast(pl.Int64).to_numpy()
    e = staff["end_date"].cast(pl.Int64).fill_null(_days(hi)).to_numpy()
    return np.maximum(s, _days(lo)), np.minimum(e, _days(hi))


def _assessments(rng: np.random.Generator, staff: pl.DataFrame) -> pl.DataFrame:
    n = staff.height
    leader = (staff["position"] != "staff").to_numpy()
    weak = rng.random(n) < 0.08
    ability = np.where(weak, rng.normal(0.52, 0.04, n),
                       np.minimum(0.96, rng.normal(0.78, 0.065, n) + 0.03 * leader))
    start = staff["start_date"].cast(pl.Int64).to_numpy()
    end = staff["end_date"].cast(pl.Int64).fill_null(1 << 40).to_numpy()
    # One row per person and quarter employed (0.3% missing); nonzero() keeps (person, quarter)
    # order, which is the (employee_id, period) order.
    on = np.stack([(start <= _days(last)) & (end >= _days(first)) for _, first, last in QUARTERS],
                  axis=1)
    on &= rng.random(on.shape) >= 0.003
    who, quarter = np.nonzero(on)
    m = who.size
    # Half-point marks: the common criteria lose 0-1 point (good) or 1-2.5 points (weak), the
    # task results follow the person's level for the quarter.
    level = ability[who] + rng.normal(0, 0.03, m)
    draws = {f"_o{j}": rng.integers(0, 4 if j == 2 else 5, m, dtype=np.int8) for j in range(3)}
    draws |= {f"_w{j}": rng.integers(0, 4, m, dtype=np.int8) for j in range(3)}
    draws |= {f"_n{j}": rng.normal(0, 0.035, m) for j in range(3)}
    u = rng.random(m)
    frame = pl.DataFrame({"_level": level, "_u": u, **draws})
    good = pl.col("_level") >= 0.6
    off_good = pl.lit(pl.Series([0.0, 0.0, 0.5, 0.5, 1.0]))
    off_weak = pl.lit(pl.Series([1.0, 1.5, 2.0, 2.5]))
    marks = {}
    for j, col in enumerate(("politics_ethics", "culture_attitude", "discipline")):
        off = pl.when(good).then(off_good.gather(pl.col(f"_o{j}"))).otherwise(
            off_weak.gather(pl.col(f"_w{j}")))
        marks[col] = SCORE_MAX[col] - off
    for j, col in enumerate(("task_quantity", "task_quality", "task_timeliness")):
        marks[col] = ((SCORE_MAX[col] * (pl.col("_level") + pl.col(f"_n{j}")) * 2).round() / 2)
    frame = frame.select(
        employee_id=staff["employee_id"].gather(who),
        period=pl.lit(pl.Series([q[0] for q in QUARTERS])).gather(pl.lit(pl.Series(quarter))),
        **{c: e.clip(0, SCORE_MAX[c]).cast(pl.Float64) for c, e in marks.items()},
        _u=pl.col("_u"),
    )
    total = pl.sum_horizontal(list(SCORE_MAX))
    note = (pl.when((total > 90) & (pl.col("_u") > 0.995)).then(pl.lit(NOTES[2]))
            .when((total > 84) & (pl.col("_u") < 0.05)).then(pl.lit(NOTES[0]))
            .when(total < 45).then(pl.lit(NOTES[1])))
    return frame.with_columns(ghi_chu=note).drop("_u")


def _fines_table(mix, fines) -> pl.DataFrame:
    rows = []
    for category, variant, vehicle, status in mix:
        lo, hi, points, revoked = fines[(category, variant)][vehicle]
        rows.append({"category": category, "alcohol_level": variant if category == "alcohol" else None,
                     "vehicle": vehicle, "status": status, "fine_lo": round(lo * 10),
                     "fine_hi": round(hi * 10), "licence_points": points,
                     "rev_lo": revoked[0] if revoked else None,
                     "rev_hi": revoked[1] if revoked else None})
    return pl.DataFrame(rows, schema={"category": pl.String, "alcohol_level": pl.Int64,
                                      "vehicle": pl.String, "status": pl.String,
                                      "fine_lo": pl.Int64, "fine_hi": pl.Int64,
                                      "licence_points": pl.Int64, "rev_lo": pl.Int64,
                                      "rev_hi": pl.Int64})


def _violations(rng: np.random.Generator, staff: pl.DataFrame) -> pl.DataFrame:
    n = staff.height
    parts = []
    for year, mix, fines, share, counts in (
        (2024, VIOLATION_MIX_2024, FINES_2024, 0.05, [1.0]),
        (2025, VIOLATION_MIX_2025, FINES_2025, 0.25, [0.85, 0.12, 0.03]),
    ):
        lo_d, hi_d = (date(2024, 10, 1), date(2024, 12, 31)) if year == 2024 else (YEAR_START, YEAR_END)
        lo, hi = _employed_span(staff, lo_d, hi_d)
        has = (rng.random(n) < share) & (hi >= lo)
        k = np.where(has, 1 + _pick(rng, np.array(counts), n), 0)
        who = np.repeat(np.arange(n), k)
        m = who.size
        table = _fines_table(mix, fines)
        pick = rng.integers(0, table.height, m)
        day = _within(rng, lo[who], hi[who])
        rec = table[pick].with_columns(
            who=who,
            employee_id=staff["employee_id"].gather(who),
            violation_date=_as_date(day, "violation_date"),
            u_fine=rng.random(m), u_rev=rng.random(m), u_acc=rng.random(m),
            d_dec=rng.integers(1, 8, m), d_notice=rng.integers(3, 21, m),
            n_dec=rng.integers(1, 10_000, m), n_notice=rng.integers(1, 5_000, m),
        )
        steps = pl.col("fine_hi") - pl.col("fine_lo") + 1
        rec = rec.with_columns(
            fine_vnd=(pl.col("fine_lo") + (pl.col("u_fine") * steps).floor().cast(pl.Int64)) * 100_000,
            licence_revoked_months=pl.col("rev_lo")
            + (pl.col("u_rev") * (pl.col("rev_hi") - pl.col("rev_lo") + 1)).floor().cast(pl.Int64),
            caused_accident=pl.col("u_acc") < 0.03,
            decision_no=pl.format("{}/QĐ-XPHC", pl.col("n_dec")),
            decision_date=pl.col("violation_date") + pl.duration(days=pl.col("d_dec")),
            notice_no=pl.format("{}/TB-CSGT", pl.col("n_notice")),
        ).with_columns(notice_date=pl.col("decision_date") + pl.duration(days=pl.col("d_notice")))
        rec = rec.sort("violation_date", "who", "u_fine")
        rec = rec.with_columns(record_id=pl.format(f"VP-{year}-{{}}", _seq(m, 7)))
        parts.append(rec)
    cols = TABLES["violations"].column_names
    return pl.concat([p.select(cols) for p in parts])


def _training(rng: np.random.Generator, staff: pl.DataFrame, dept_of: np.ndarray) -> pl.DataFrame:
    n = staff.height
    lo, hi = _employed_span(staff, YEAR_START, YEAR_END)
    takes = (rng.random(n) < 0.65) & (hi >= lo)
    k = np.where(takes, 1 + _pick(rng, np.array([0.35, 0.35, 0.2, 0.1]), n), 0)
    who = np.repeat(np.arange(n), k)
    m = who.size
    topic = _pick(rng, np.array([t[2] for t in TOPICS]), m)
    hours_table = np.array([[h[min(i, len(h) - 1)] for i in range(3)] for *_, h in TOPICS])
    hours = hours_table[topic, rng.integers(0, 3, m)]
    day = _within(rng, lo[who], hi[who])
    jan = np.datetime64("2025-01", "M")
    month = (day.astype("datetime64[D]").astype("datetime64[M]") - jan).astype(np.int64)  # 0-11
    u, signs = rng.random(m), rng.random(m)
    # One session per department, topic and month, on a day that depends on the department;
    # one record per person and session; records in (session date, person, topic) order.
    dept = dept_of[who]
    _, first = np.unique((who * 4 + topic) * 16 + month, return_index=True)
    who, topic, hours, dept, month = who[first], topic[first], hours[first], dept[first], month[first]
    u, signs = u[first], signs[first]
    month_start = (jan + month).astype("datetime64[D]").astype(np.int64)
    session_day = month_start + 2 + (dept * 7 + topic) % 25
    order = np.argsort((session_day * n + who) * 4 + topic, kind="stable")
    frame = pl.DataFrame({
        "who": who[order], "topic_no": topic[order], "hours": hours[order], "dept": dept[order],
        "month": month[order] + 1, "u": u[order], "s": signs[order],
        "session_date": _as_date(session_day[order], "session_date"),
    })
    attendance = (pl.when(pl.col("u") < 0.86).then(pl.lit("attended"))
                  .when(pl.col("u") < 0.94).then(pl.lit("excused")).otherwise(pl.lit("absent")))
    topics = pl.Series([t[0] for t in TOPICS])
    codes = pl.Series([t[1] for t in TOPICS])
    frame = frame.with_columns(
        record_id=pl.format("DT-{}", _seq(frame.height, 8)),
        employee_id=staff["employee_id"].gather(frame["who"]),
        topic=topics.gather(frame["topic_no"]),
        attendance=attendance,
        commitment_signed=pl.when(pl.col("topic_no") == 0)
        .then((pl.col("u") < 0.86) & (pl.col("s") < 0.92)),
        session_id=pl.format("S-D{}-{}-{}", (pl.col("dept") + 1).cast(pl.String).str.zfill(6),
                             codes.gather(frame["topic_no"]),
                             pl.col("month").cast(pl.String).str.zfill(2)),
    )
    return frame.select(TABLES["training"].column_names)


def _discipline(rng: np.random.Generator, staff: pl.DataFrame) -> pl.DataFrame:
    n = staff.height
    lo, hi = _employed_span(staff, YEAR_START, date(2025, 12, 15))
    idx = np.flatnonzero((rng.random(n) < 0.003) & (hi >= lo))
    m = idx.size
    frame = pl.DataFrame({
        "employee_id": staff["employee_id"].gather(idx),
        "decision_date": _as_date(_within(rng, lo[idx], hi[idx]), "decision_date"),
        "form": pl.Series(DISCIPLINE_FORMS).gather(_pick(rng, DISCIPLINE_W, m)),
        "duty_related": rng.random(m) < 0.7,
        "reason": pl.Series(DISCIPLINE_REASONS).gather(rng.integers(0, len(DISCIPLINE_REASONS), m)),
    }).sort("decision_date", "employee_id")
    frame = frame.with_columns(record_id=pl.format("KL-2025-{}", _seq(m, 6)))
    return frame.select(TABLES["discipline"].column_names)


def _leave(rng: np.random.Generator, staff: pl.DataFrame) -> pl.DataFrame:
    n = staff.height
    lo, hi = _employed_span(staff, YEAR_START, YEAR_END)
    idx = np.flatnonzero((rng.random(n) < 0.03) & (hi >= lo))
    m = idx.size
    kind = _pick(rng, np.array([k[1] for k in LEAVE_KINDS]), m)
    dmin = np.array([k[2] for k in LEAVE_KINDS])[kind]
    dmax = np.array([k[3] for k in LEAVE_KINDS])[kind]
    length = _within(rng, dmin, dmax)
    start = _within(rng, lo[idx], hi[idx])
    return pl.DataFrame({
        "employee_id": staff["employee_id"].gather(idx),
        "start_date": _as_date(start, "start_date"),
        "end_date": _as_date(start + length - 1, "end_date"),
        "kind": pl.Series([k[0] for k in LEAVE_KINDS]).gather(kind),
    }).sort("employee_id", "start_date")


# ----------------------------------------------------------------------------- public API


def generate(n_staff: int, seed: int = 2025) -> dict[str, pl.DataFrame]:
    """Every input table for ``n_staff`` people, deterministic for ``seed``."""
    if n_staff < 10:
        raise ValueError("--staff must be at least 10")
    rng = np.random.default_rng(seed)
    units, holders = _unit_tree(rng, n_staff)
    staff = _staff(rng, n_staff, holders)
    dept_of = np.repeat(holders["dept"].to_numpy(), holders["size"].to_numpy())
    return {
        "units": units,
        "staff": staff,
        "assessments": _assessments(rng, staff),
        "violations": _violations(rng, staff),
        "training": _training(rng, staff, dept_of),
        "discipline": _discipline(rng, staff),
        "leave": _leave(rng, staff),
    }


def write_dataset(tables: dict[str, pl.DataFrame], out: Path) -> None:
    """Write every table as Parquet into ``out`` atomically (a temporary folder renamed)."""
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        for name, frame in tables.items():
            frame.write_parquet(tmp / f"{name}.parquet", compression="zstd")
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, required=True, help="number of staff")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--check", action="store_true",
                        help="read the files back with scoring.inputs.readers.read_inputs")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tables = generate(args.staff, args.seed)
    built = time.perf_counter()
    write_dataset(tables, args.out)
    done = time.perf_counter()
    rows = ", ".join(f"{n}: {df.height:,}" for n, df in tables.items())
    print(f"{rows}\ngenerated in {built - started:.1f} s, written in {done - built:.1f} s "
          f"→ {args.out}", file=sys.stderr)
    if args.check:
        from scoring.inputs.readers import read_inputs

        ranges = {c: (0.0, float(m)) for c, m in SCORE_MAX.items()}
        read_inputs(args.out, assessment_ranges=ranges)
        print(f"read_inputs: valid ({time.perf_counter() - done:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Generate the data of the second bundled example: a public-service centre scored monthly.

Trung tâm Phục vụ hành chính công tỉnh Quảng Ngãi: 18 staff in 4 units, their monthly assessments
of 2025, and a few planted records, each showing one rule of ``criteria/trung-tam/`` (walked
through in docs/criteria.md, section 18):

- TT11: a violation of 22/12/2024, noticed 05/01/2025, decided 09/01/2025 → counted in January;
- TT13: decisions of 15/07/2024 and 12/03/2025 → a repeat within 12 months from March to June;
- TT05: an alcohol violation decided in May → May and the year at most HT;
- TT16: a violation under appeal → counted nowhere; TT10: violated 27/12/2025, decided 2026;
- TT17: a violation of November decided in December;
- TT14: a reprimand in August → August and the year KHT;
- TT09: maternity leave June–November (6 rated months: the minimum for the year);
- TT07: unpaid leave in July; TT18: hired 24/09/2025 (too few months for the year);
- traffic-safety talks of 2 hours on 14/03 and 20/06 → 4 hours by June for those at both.

    python docs/examples/trung-tam/generate.py [--out docs/examples/trung-tam/data]

Deterministic (seed 2025): the same run gives byte-identical files. All people are fictitious.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

import polars as pl

SEED = 2025
DOMAIN = "ttpvhcc.quangngai.gov.vn"
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]

UNITS = [
    ("TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh Quảng Ngãi", None, "centre"),
    ("HCTH", "Phòng Hành chính – Tổng hợp", "TTPVHCC", "division"),
    ("TNTKQ", "Phòng Tiếp nhận và Trả kết quả", "TTPVHCC", "division"),
    ("KSTT", "Phòng Kiểm soát thủ tục hành chính và Chuyển đổi số", "TTPVHCC", "division"),
]
# employee_id, full_name, unit_id, position, employment_type, duty_group, start_date
STAFF = [
    ("TT01", "Phạm Minh Quân", "TTPVHCC", "director", "public_employee", None, date(2008, 3, 1)),
    ("TT02", "Nguyễn Thị Thu Hà", "TTPVHCC", "deputy_director", "public_employee", None, date(2010, 9, 1)),
    ("TT03", "Võ Văn Hậu", "TTPVHCC", "deputy_director", "public_employee", None, date(2012, 2, 15)),
    ("TT04", "Lê Thị Mỹ Linh", "HCTH", "head", "public_employee", None, date(2013, 6, 3)),
    ("TT05", "Trần Quốc Bảo", "HCTH", "staff", "public_employee", None, date(2016, 8, 1)),
    ("TT06", "Huỳnh Thị Ngọc Ánh", "HCTH", "staff", "public_employee", None, date(2019, 4, 1)),
    ("TT07", "Đặng Văn Tín", "HCTH", "staff", "worker", "driver", date(2015, 1, 5)),
    ("TT08", "Nguyễn Văn Thành", "TNTKQ", "head", "public_employee", None, date(2011, 10, 10)),
    ("TT09", "Phan Thị Kim Oanh", "TNTKQ", "deputy_head", "public_employee", None, date(2014, 3, 17)),
    ("TT10", "Bùi Thanh Tùng", "TNTKQ", "staff", "public_employee", None, date(2017, 7, 1)),
    ("TT11", "Lê Hoàng Nam", "TNTKQ", "staff", "public_employee", None, date(2018, 5, 2)),
    ("TT12", "Trương Thị Diễm", "TNTKQ", "staff", "public_employee", None, date(2019, 11, 1)),
    ("TT13", "Hồ Văn Lực", "TNTKQ", "staff", "public_employee", None, date(2020, 2, 3)),
    ("TT14", "Ngô Thị Phương", "TNTKQ", "staff", "public_employee", None, date(2021, 6, 1)),
    ("TT15", "Đỗ Minh Khang", "TNTKQ", "staff", "public_employee", None, date(2022, 9, 5)),
    ("TT16", "Võ Thị Thanh Tâm", "KSTT", "head", "public_employee", None, date(2012, 12, 1)),
    ("TT17", "Nguyễn Hữu Phước", "KSTT", "staff", "public_employee", None, date(2020, 8, 17)),
    ("TT18", "Lý Thị Bích Trâm", "KSTT", "staff", "public_employee", None, date(2025, 9, 24)),
]
# Months without an assessment row: on leave the whole month (or nearly).
NOT_ASSESSED = {"TT09": {f"2025-{m:02d}" for m in range(6, 12)}, "TT07": {"2025-07"}}
LEAVE = [
    ("TT09", date(2025, 6, 2), date(2025, 11, 30), "maternity"),
    ("TT07", date(2025, 7, 1), date(2025, 7, 31), "unpaid"),
]
VIOLATION_COLUMNS = ("record_id", "employee_id", "violation_date", "category", "vehicle",
                     "alcohol_level", "fine_vnd", "licence_points", "licence_revoked_months",
                     "caused_accident", "status", "decision_no", "decision_date", "notice_no",
                     "notice_date")
# record, employee, violated, category, alcohol level, fine, points, status, decided, noticed
VIOLATIONS = [
    ("VP-2024-07", "TT13", date(2024, 7, 10), "phone", None, 900_000, None, "effective",
     date(2024, 7, 15), date(2024, 7, 29)),
    ("VP-2024-12", "TT11", date(2024, 12, 22), "speeding", None, 900_000, None, "effective",
     date(2025, 1, 9), date(2025, 1, 5)),
    ("VP-2025-03", "TT13", date(2025, 3, 4), "red_light", None, 5_000_000, 4, "effective",
     date(2025, 3, 12), date(2025, 3, 24)),
    ("VP-2025-05", "TT05", date(2025, 5, 3), "alcohol", 1, 2_500_000, 4, "effective",
     date(2025, 5, 6), date(2025, 5, 19)),
    ("VP-2025-06", "TT16", date(2025, 6, 28), "speeding", None, 4_500_000, 2, "appealed",
     date(2025, 7, 8), date(2025, 7, 21)),
    ("VP-2025-11", "TT17", date(2025, 11, 20), "helmet_seatbelt", None, 500_000, None,
     "effective", date(2025, 12, 4), date(2025, 12, 2)),
    ("VP-2025-12", "TT10", date(2025, 12, 27), "speeding", None, 900_000, None, "effective",
     date(2026, 1, 8), date(2026, 1, 6)),
]
# session, date, topic, hours, title; who did not attend (absent or excused)
SESSIONS = [
    ("S2025-03", date(2025, 3, 14), "traffic_safety", 2.0,
     "Quán triệt Chỉ thị 10/CT-TTg và Luật Trật tự, an toàn giao thông đường bộ",
     {"TT12": "absent", "TT15": "excused"}),
    ("S2025-06", date(2025, 6, 20), "traffic_safety", 2.0,
     "Công an tỉnh nói chuyện chuyên đề an toàn giao thông mùa mưa bão", {"TT06": "absent"}),
    ("S2025-10", date(2025, 10, 10), "professional", 4.0,
     "Tập huấn nghiệp vụ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", {}),
]
DISCIPLINE = [("KL-2025-01", "TT14", date(2025, 8, 20), "reprimand", True,
               "Để quá hạn nhiều hồ sơ đất đai mà không thông báo xin lỗi người dân")]


def month_bounds(label: str) -> tuple[date, date]:
    y, m = int(label[:4]), int(label[5:])
    first = date(y, m, 1)
    return first, (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))


def on_leave(emp: str, day: date) -> bool:
    return any(e == emp and a <= day <= b for e, a, b, _ in LEAVE)




def assessments(rng: random.Random) -> list[dict]:
    rows = []
    for emp, *_rest in STAFF:
        start = next(s[6] for s in STAFF if s[0] == emp)
        # each person's usual level, then a small monthly spread
        level = rng.choice([0.76, 0.8, 0.84, 0.88, 0.92])
        for label in MONTHS:
            first, last = month_bounds(label)
            if start > last or label in NOT_ASSESSED.get(emp, ()):
                continue

            def mark(top: float, level: float = level, step: float = 0.5) -> float:
                value = top * min(1.0, level + rng.uniform(-0.06, 0.05))
                return round(value / step) * step

            rows.append({
                "employee_id": emp, "period": label,
                "politics_ethics": mark(10), "service_attitude": mark(10),
                "dossier_quantity": mark(25), "dossier_quality": mark(25),
                "late_dossiers": rng.choice([0, 0, 0, 0, 0, 1, 1, 2]),
            })
    return rows


def write(out: Path, name: str, rows: list[dict], columns: tuple[str, ...]) -> None:
    frame = pl.DataFrame([{c: r.get(c) for c in columns} for r in rows], infer_schema_length=None)
    frame.write_csv(out / f"{name}.csv", date_format="%Y-%m-%d")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    unit_cols = ("unit_id", "name", "parent_id", "kind")
    write(out, "units", [dict(zip(unit_cols, u, strict=True)) for u in UNITS], unit_cols)
    staff_cols = ("employee_id", "full_name", "unit_id", "position", "employment_type",
                  "duty_group", "start_date")
    write(out, "staff", [dict(zip(staff_cols, s, strict=True))
                         | {"end_date": None, "email": f"{s[0].lower()}@{DOMAIN}"} for s in STAFF],
          (*staff_cols, "end_date", "email"))
    write(out, "assessments", assessments(rng),
          ("employee_id", "period", "politics_ethics", "service_attitude", "dossier_quantity",
           "dossier_quality", "late_dossiers"))
    violations = []
    for n, (rid, emp, day, cat, level, fine, points, status, decided, noticed) in enumerate(
            VIOLATIONS, start=1):
        violations.append({
            "record_id": rid, "employee_id": emp, "violation_date": day, "category": cat,
            "vehicle": "motorbike", "alcohol_level": level, "fine_vnd": fine,
            "licence_points": points, "licence_revoked_months": None, "caused_accident": False,
            "status": status, "decision_no": f"{100 + n}/QĐ-XPHC", "decision_date": decided,
            "notice_no": f"{40 + n}/TB-CSGT", "notice_date": noticed,
        })
    write(out, "violations", violations, VIOLATION_COLUMNS)
    training = []
    for sid, day, topic, hours, title, missed in SESSIONS:
        for emp, _name, *_r, start in ((s[0], s[1], s[6]) for s in STAFF):
            if start > day or on_leave(emp, day):
                continue
            training.append({
                "record_id": f"TS-{len(training) + 1:04d}", "employee_id": emp,
                "session_date": day, "topic": topic, "hours": hours,
                "attendance": missed.get(emp, "attended"),
                "commitment_signed": topic == "traffic_safety" and emp not in missed,
                "session_id": sid, "topic_name": title,
            })
    write(out, "training", training,
          ("record_id", "employee_id", "session_date", "topic", "hours", "attendance",
           "commitment_signed", "session_id", "topic_name"))
    discipline_cols = ("record_id", "employee_id", "decision_date", "form", "duty_related", "reason")
    write(out, "discipline", [dict(zip(discipline_cols, d, strict=True)) for d in DISCIPLINE],
          discipline_cols)
    leave_cols = ("employee_id", "start_date", "end_date", "kind")
    write(out, "leave", [dict(zip(leave_cols, x, strict=True)) for x in LEAVE], leave_cols)


if __name__ == "__main__":
    main()

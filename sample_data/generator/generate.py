"""Generate the synthetic sample department in the input contract (v1).

A provincial Department of Science and Technology (Sở Khoa học và Công nghệ tỉnh Quảng Ngãi):
about 130 staff in 11 units, with their 2025 quarterly assessments, traffic violations (plus a few
from late 2024, before the licence-points regime), training, discipline and leave.

    python sample_data/generator/generate.py [--seed 2025] [--out sample_data]

It lives in a subfolder so that a run on ``sample_data/`` reads only the tables: the reader does
not look into subfolders, so a new user's first run lists no ignored file.

Deterministic: the same seed gives byte-identical files. Fines and licence points follow
Decree 168/2024/NĐ-CP (2025) and Decree 100/2019/NĐ-CP as amended by 123/2021/NĐ-CP (2024).
All people are fictitious.
"""

from __future__ import annotations

import argparse
import random
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from scoring.inputs.contract import TABLES

# the fine tables (sample_data/fines/), shared with benchmarks/generate_national.py
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fines import FINES_2024, FINES_2025

SAMPLE_DATA = Path(__file__).resolve().parents[1]  # the data folder this script writes

DOMAIN = "skhcn.quangngai.gov.vn"
QUARTERS = {  # first and last day
    "2024-Q4": (date(2024, 10, 1), date(2024, 12, 31)),
    "2025-Q1": (date(2025, 1, 1), date(2025, 3, 31)),
    "2025-Q2": (date(2025, 4, 1), date(2025, 6, 30)),
    "2025-Q3": (date(2025, 7, 1), date(2025, 9, 30)),
    "2025-Q4": (date(2025, 10, 1), date(2025, 12, 31)),
}

# unit_id, name, parent_id, kind, number of deputies, staff (incl. workers), drivers, guards
UNITS = [
    ("SKHCN", "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", None, "board", 3, 0, 0, 0),
    ("VP", "Văn phòng Sở", "SKHCN", "office", 2, 14, 3, 2),
    ("TTRA", "Thanh tra Sở", "SKHCN", "inspectorate", 1, 6, 0, 0),
    ("KHTC", "Phòng Kế hoạch – Tài chính", "SKHCN", "division", 1, 7, 0, 0),
    ("QLKH", "Phòng Quản lý khoa học", "SKHCN", "division", 2, 8, 0, 0),
    ("QLCN", "Phòng Quản lý công nghệ và Đổi mới sáng tạo", "SKHCN", "division", 1, 8, 0, 0),
    ("CCTDC", "Chi cục Tiêu chuẩn Đo lường Chất lượng", "SKHCN", "sub_department", 2, 3, 0, 0),
    ("CC-TC", "Phòng Quản lý Tiêu chuẩn Chất lượng", "CCTDC", "section", 1, 5, 0, 0),
    ("CC-DL", "Phòng Quản lý Đo lường", "CCTDC", "section", 1, 5, 0, 0),
    ("TTKT", "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng", "SKHCN", "centre", 2, 22, 1, 1),
    ("TTUD", "Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ", "SKHCN", "centre", 2, 20, 1, 1),
]
# Staff who join in 2025 (their ids come last, as ids are given on hiring).
HIRES_2025 = [(date(2025, 3, 3), "QLKH"), (date(2025, 5, 10), "TTUD"), (date(2025, 8, 1), "TTKT")]

FAMILY = {"Nguyễn": 30, "Trần": 10, "Lê": 9, "Phạm": 6, "Hoàng": 3, "Huỳnh": 6, "Phan": 5,
          "Vũ": 2, "Võ": 8, "Đặng": 3, "Bùi": 3, "Đỗ": 3, "Hồ": 4, "Ngô": 3, "Dương": 2, "Lý": 1}
MIDDLE_M = ["Văn", "Văn", "Minh", "Thanh", "Hữu", "Đức", "Quốc", "Công", "Tấn", "Ngọc", "Đình"]
MIDDLE_F = ["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Minh", "Kim", "Mỹ", "Hoài"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Long",
           "Nam", "Phong", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Trung", "Tuấn",
           "Việt", "Vinh", "Lộc", "Khoa", "Tâm", "Hòa", "Nhân", "Kiên", "Đạt"]
GIVEN_F = ["Anh", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Lan",
           "Linh", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo",
           "Trang", "Trâm", "Uyên", "Vân", "Yến", "Thủy", "Nhi", "Loan", "Tuyết"]

# when, category, variant (speed band / alcohol level), vehicle, status, who, caused_accident.
# who: a role, "unit:X" (staff of X), "head:X" / "deputy:X", "driver", "repeat" (someone fined
# before) or "any" (non-driver staff outside TTKT, the unit with several violators, and outside
# units that already have four records).
VIOLATION_PLAN = """
2024-Q4 speeding        10_20 motorbike effective unit:TTKT  -
2024-Q4 red_light       -     motorbike effective any        -
2024-Q4 helmet_seatbelt -     motorbike effective any        -
2024-Q4 phone           -     motorbike effective any        -
2024-Q4 alcohol         1     motorbike effective any        -
2025-Q1 speeding        10_20 motorbike effective speeding   -
2025-Q1 alcohol         1     motorbike effective alcohol    -
2025-Q1 speeding        20_35 motorbike appealed  unit:TTKT  -
2025-Q1 red_light       -     motorbike annulled  any        -
2025-Q1 helmet_seatbelt -     motorbike effective unit:TTKT  -
2025-Q1 phone           -     motorbike effective any        -
2025-Q1 speeding        10_20 car       effective driver     -
2025-Q1 wrong_way       -     motorbike effective any        -
2025-Q2 speeding        20_35 car       effective head:TTKT  -
2025-Q2 alcohol         2     motorbike effective unit:TTKT  -
2025-Q2 speeding        10_20 motorbike effective any        -
2025-Q2 speeding        10_20 motorbike effective any        -
2025-Q2 red_light       -     motorbike effective any        -
2025-Q2 helmet_seatbelt -     car       effective any        -
2025-Q2 other           -     motorbike effective any        -
2025-Q2 phone           -     motorbike appealed  any        -
2025-Q2 speeding        lt10  motorbike effective any        -
2025-Q3 alcohol         3     motorbike effective any        -
2025-Q3 red_light       -     motorbike effective deputy:QLCN -
2025-Q3 speeding        20_35 motorbike effective unit:TTKT  -
2025-Q3 speeding        gt35  car       annulled  driver     -
2025-Q3 helmet_seatbelt -     motorbike effective any        -
2025-Q3 wrong_way       -     motorbike effective any        accident
2025-Q3 speeding        10_20 motorbike effective repeat     -
2025-Q3 phone           -     car       effective any        -
2025-Q3 alcohol         1     motorbike effective any        -
2025-Q4 alcohol         1     car       effective any        -
2025-Q4 speeding        10_20 motorbike appealed  any        -
2025-Q4 speeding        10_20 motorbike effective any        -
2025-Q4 red_light       -     car       effective any        -
2025-Q4 helmet_seatbelt -     motorbike effective any        -
2025-Q4 other           -     motorbike effective any        -
2025-Q4 speeding        20_35 motorbike effective any        -
2025-Q4 wrong_way       -     car       effective any        -
2025-Q4 speeding        10_20 motorbike effective deputy:TTUD -
"""
# Fines and licence points (FINES_2025, FINES_2024) are in sample_data/fines/__init__.py.

# session date, topic, hours, invited units ("*" = all), topic_name (ignored column)
TRAINING_PLAN = [
    (date(2025, 1, 16), "professional", 4.0, "QLKH QLCN",
     "Tập huấn nghiệp vụ quản lý nhiệm vụ khoa học và công nghệ"),
    (date(2025, 2, 25), "traffic_safety", 3.0, "SKHCN VP TTRA KHTC QLKH QLCN CCTDC CC-TC CC-DL",
     "Quán triệt Chỉ thị 10/CT-TTg về bảo đảm trật tự, an toàn giao thông"),
    (date(2025, 3, 20), "digital_skills", 2.0, "TTKT",
     "Bồi dưỡng kỹ năng số và an toàn thông tin"),
    (date(2025, 4, 22), "traffic_safety", 2.0, "CCTDC CC-TC CC-DL TTKT TTUD",
     "Tuyên truyền Luật Trật tự, an toàn giao thông đường bộ 2024"),
    (date(2025, 5, 27), "digital_skills", 2.5, "*",
     "Tập huấn sử dụng hệ thống quản lý văn bản và điều hành, chữ ký số"),
    (date(2025, 6, 17), "traffic_safety", 2.0, "VP TTRA KHTC",
     "Phổ biến Nghị định 168/2024/NĐ-CP về xử phạt vi phạm hành chính về trật tự, an toàn giao thông"),
    (date(2025, 7, 15), "professional", 4.0, "TTRA CCTDC CC-TC CC-DL",
     "Nghiệp vụ thanh tra, kiểm tra chuyên ngành khoa học và công nghệ"),
    (date(2025, 8, 26), "traffic_safety", 2.5, "*",
     "Nói chuyện chuyên đề về an toàn giao thông của Phòng Cảnh sát giao thông Công an tỉnh"),
    (date(2025, 10, 14), "professional", 4.0, "TTKT CC-DL",
     "Tập huấn nghiệp vụ kiểm định, hiệu chuẩn phương tiện đo"),
    (date(2025, 11, 18), "traffic_safety", 2.0, "*",
     "Hội nghị ký cam kết chấp hành pháp luật về trật tự, an toàn giao thông năm 2025"),
    (date(2025, 12, 9), "digital_skills", 3.0, "VP QLKH QLCN TTUD",
     "Ứng dụng trí tuệ nhân tạo trong công tác tham mưu, văn phòng"),
]
# Hand-set 2025-Q1 scores of the worked examples (politics_ethics, culture_attitude, discipline,
# task_quantity, task_quality, task_timeliness).
EXAMPLE_Q1 = {
    "clean_trained": (8, 7, 5, 22, 22.5, 18), "clean_untrained": (7.5, 6.5, 4.5, 20, 19.5, 17),
    "speeding": (7.5, 6.5, 5, 21, 20, 17), "alcohol": (7, 6, 4.5, 20, 19, 16),
    "disciplined": (7, 6, 3.5, 17, 16.5, 14),
}
SCORE_MAX = {"politics_ethics": 8, "culture_attitude": 7, "discipline": 5,
             "task_quantity": 25, "task_quality": 25, "task_timeliness": 20}


def nfc(text: str | None) -> str | None:
    return None if text is None else unicodedata.normalize("NFC", text)


def ascii_fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def rand_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def employed(p: dict, first: date, last: date | None = None) -> bool:
    """Employed on at least one day of [first, last]."""
    return p["start_date"] <= (last or first) and (p["end_date"] is None or p["end_date"] >= first)


def make_staff(rng: random.Random) -> list[dict]:
    staff: list[dict] = []
    emails: list[str] = []

    def person(unit: str, position: str, start: date, etype: str, duty: str | None = None,
               male: bool | None = None) -> dict:
        male = rng.random() < 0.55 if male is None else male
        family = rng.choices(list(FAMILY), weights=list(FAMILY.values()))[0]
        middle = rng.choice(MIDDLE_M if male else MIDDLE_F)
        given = rng.choice(GIVEN_M if male else GIVEN_F)
        email = None
        if etype != "worker":
            stem = f"{ascii_fold(given)}.{ascii_fold(family)}"
            email = stem + (str(emails.count(stem) + 1) if stem in emails else "") + "@" + DOMAIN
            emails.append(stem)
        p = {"employee_id": f"NV{len(staff) + 1:04d}", "full_name": f"{family} {middle} {given}",
             "unit_id": unit, "position": position, "employment_type": etype, "duty_group": duty,
             "start_date": start, "end_date": None, "email": email, "male": male, "notes": {}}
        staff.append(p)
        return p

    def years(a: int, b: int) -> date:
        return rand_date(rng, date(a, 1, 1), date(b, 12, 31))

    for uid, _name, _parent, kind, deputies, n_staff, drivers, guards in UNITS:
        etype = "public_employee" if kind == "centre" else "civil_servant"
        if kind == "board":
            person(uid, "director", years(1998, 2004), etype)
            for _ in range(deputies):
                person(uid, "deputy_director", years(2000, 2008), etype)
            continue
        person(uid, "head", years(2000, 2012), etype)
        for _ in range(deputies):
            person(uid, "deputy_head", years(2003, 2015), etype)
        for i in range(n_staff):
            if i < drivers:
                person(uid, "staff", years(2008, 2022), "worker", "driver", male=True)
            elif i < drivers + guards:
                person(uid, "staff", years(2008, 2022), "worker", male=True)
            else:
                duty = "inspector" if kind == "inspectorate" else None
                person(uid, "staff", years(2005, 2022), etype, duty)
    for p in [p for p in staff if p["unit_id"] == "VP" and p["employment_type"] != "worker"
              and p["position"] == "staff"][:2]:
        p["employment_type"] = "cadre"  # full-time Party / trade-union officers
    leaver = rng.choice([p for p in staff if p["unit_id"] == "KHTC" and p["position"] == "staff"])
    leaver["end_date"] = date(2025, 2, 20)
    leaver["notes"]["2025-Q1"] = "Chuyển công tác từ ngày 21/02/2025"
    retiree = rng.choice([p for p in staff if p["unit_id"] == "TTKT" and p["position"] == "staff"
                          and p["employment_type"] != "worker"])
    retiree["start_date"], retiree["end_date"] = date(1994, 8, 1), date(2025, 9, 30)
    retiree["notes"]["2025-Q3"] = "Nghỉ hưu theo chế độ từ ngày 01/10/2025"
    for start, uid in HIRES_2025:
        hire = person(uid, "staff", start, "public_employee" if uid[:2] == "TT" else "civil_servant")
        hire["notes"][f"2025-Q{(start.month - 1) // 3 + 1}"] = f"Tuyển dụng từ ngày {start:%d/%m/%Y}"
    return staff


def pick_roles(rng: random.Random, staff: list[dict]) -> dict[str, dict]:
    """The people the hand-worked tests and the notable cases are built around."""
    roles: dict[str, dict] = {}

    def regular(unit: str) -> list[dict]:  # staff employed all year, not yet given a role
        return [p for p in staff if p["unit_id"] == unit and p["position"] == "staff"
                and p["employment_type"] != "worker" and p["start_date"] < date(2025, 1, 1)
                and p["end_date"] is None and p not in roles.values()]

    for role, unit in [("clean_trained", "QLKH"), ("clean_untrained", "KHTC"),
                       ("speeding", "TTUD"), ("alcohol", "TTKT"), ("disciplined", "QLCN"),
                       ("warning", "TTUD"), ("poor", "VP"), ("sick_q1", "VP")]:
        roles[role] = rng.choice(regular(unit))
    mother = rng.choice([p for p in regular("TTUD") if not p["male"] and p["start_date"].year > 2009])
    family, _middle, given = mother["full_name"].split()
    mother["full_name"] = f"{family} Thị {given}"
    for period in ("2025-Q2", "2025-Q3"):
        mother["notes"][period] = "Nghỉ thai sản từ 01/04/2025 đến 30/09/2025"
    roles["maternity"] = mother
    return roles


def make_assessments(rng: random.Random, staff: list[dict], roles: dict) -> list[dict]:
    rows = []
    example_q1 = {roles[r]["employee_id"]: v for r, v in EXAMPLE_Q1.items()}
    for p in staff:
        if p is roles["poor"]:
            ability = 0.33
        elif rng.random() < 0.08 and p is not roles["maternity"]:
            ability = rng.gauss(0.52, 0.04)
        else:
            ability = min(0.96, rng.gauss(0.78, 0.065) + (0.03 if p["position"] != "staff" else 0))
        for period, (first, last) in QUARTERS.items():
            if not period.startswith("2025") or not employed(p, first, last):
                continue
            level = ability + rng.gauss(0, 0.03)
            off = [0, 0, 0.5, 0.5, 1] if level >= 0.6 else [1, 1.5, 2, 2.5]
            values = (8 - rng.choice(off), 7 - rng.choice(off), 5 - rng.choice(off[:4]),
                      *(m * (level + rng.gauss(0, 0.035)) for m in (25, 25, 20)))
            if period == "2025-Q1" and p["employee_id"] in example_q1:
                values = example_q1[p["employee_id"]]
            row = {"employee_id": p["employee_id"], "period": period}
            for (col, hi), v in zip(SCORE_MAX.items(), values, strict=True):
                row[col] = min(hi, max(0.0, round(v * 2) / 2))
            row["ghi_chu"] = p["notes"].get(period)
            if row["ghi_chu"] is None and sum(values) > 84 and rng.random() < 0.2:
                row["ghi_chu"] = "Có sáng kiến được Hội đồng sáng kiến cơ sở công nhận"
            elif row["ghi_chu"] is None and sum(values) < 45:
                row["ghi_chu"] = "Chậm tiến độ nhiều nhiệm vụ được giao, cần khắc phục"
            rows.append(row)
    return rows


def make_violations(rng: random.Random, staff: list[dict], roles: dict) -> list[dict]:
    reserved = [roles[r] for r in ("clean_trained", "clean_untrained", "disciplined", "warning",
                                   "speeding", "alcohol", "maternity")]
    used: list[dict] = []
    plan = [line.split() for line in VIOLATION_PLAN.strip().splitlines()]
    rows = []
    for when, category, variant, vehicle, status, who, accident in plan:
        variant = None if variant == "-" else int(variant) if variant.isdigit() else variant
        first, last = QUARTERS[when]
        if when == "2025-Q4":
            last = date(2025, 11, 30)  # so that the police notice arrives within the year
        day = rand_date(rng, first, last)
        if who in roles:
            p = roles[who]
        else:
            pool = [p for p in staff if employed(p, day) and p not in reserved]
            if who.startswith(("head:", "deputy:")):
                pos, unit = who.split(":")
                pool = [p for p in pool if p["unit_id"] == unit and p["position"].startswith(pos)]
            elif who == "repeat":
                pool = [p for p in used if p in pool and p["position"] == "staff"]
            else:
                pool = [p for p in pool if p["position"] == "staff" and p not in used
                        and (p["duty_group"] == "driver") == (who == "driver")]
                if who.startswith("unit:"):
                    pool = [p for p in pool if p["unit_id"] == who[5:]]
                elif who == "any":
                    pool = [p for p in pool if p["unit_id"] != "TTKT"
                            and sum(q["unit_id"] == p["unit_id"] for q in used) < 4]
            assert pool, f"nobody to give the {when} {category} record to ({who})"
            p = rng.choice(pool)
        used.append(p)
        fines = FINES_2024 if day.year < 2025 else FINES_2025
        lo, hi, points, revoked = fines[(category, variant)][vehicle]
        decided = day + timedelta(days=rng.randint(1, 7))
        rows.append({
            "employee_id": p["employee_id"], "violation_date": day, "category": category,
            "vehicle": vehicle, "alcohol_level": variant if category == "alcohol" else None,
            "fine_vnd": rng.randrange(round(lo * 1e6), round(hi * 1e6) + 1, 100_000),
            "licence_points": points,
            "licence_revoked_months": rng.randint(*revoked) if revoked else None,
            "caused_accident": accident == "accident", "status": status,
            "decision_date": decided, "notice_date": decided + timedelta(days=rng.randint(3, 20)),
        })
    rows.sort(key=lambda r: (r["violation_date"], r["employee_id"]))
    counters: dict[int, list[int]] = {}
    for r in rows:
        year = r["violation_date"].year
        seq = counters.setdefault(year, [0, rng.randint(20, 80), rng.randint(5, 30)])
        seq[0] += 1
        seq[1] += rng.randint(3, 40)
        seq[2] += rng.randint(2, 15)
        r["record_id"] = f"VP-{year}-{seq[0]:04d}"
        r["decision_no"] = f"{seq[1]}/QĐ-XPHC"
        r["notice_no"] = f"{seq[2]}/TB-CSGT"
    return rows


def make_training(rng: random.Random, staff: list[dict], roles: dict, leave: list[dict]) -> list[dict]:
    rows = []
    for n, (day, topic, hours, units, topic_name) in enumerate(TRAINING_PLAN, start=1):
        for p in staff:
            if not employed(p, day) or (units != "*" and p["unit_id"] not in units.split()):
                continue
            on_leave = any(lv["employee_id"] == p["employee_id"]
                           and lv["start_date"] <= day <= lv["end_date"] for lv in leave)
            u = rng.random()
            attendance = "attended" if u < 0.86 else "excused" if u < 0.95 else "absent"
            if on_leave:
                attendance = "excused"
            elif p is roles["clean_trained"]:
                attendance = "attended"
            elif p is roles["clean_untrained"] and day.month <= 3:
                attendance = "absent"
            signed = None
            if topic == "traffic_safety":
                signed = attendance == "attended" and (rng.random() < 0.92 or
                                                      p is roles["clean_trained"])
            rows.append({"record_id": f"DT-{len(rows) + 1:04d}", "employee_id": p["employee_id"],
                         "session_date": day, "topic": topic, "hours": hours,
                         "attendance": attendance, "commitment_signed": signed,
                         "session_id": f"S2025-{n:02d}", "topic_name": topic_name})
    return rows


def make_leave(rng: random.Random, staff: list[dict], roles: dict) -> list[dict]:
    busy = [roles[r] for r in ("clean_trained", "clean_untrained", "speeding", "alcohol",
                               "disciplined", "warning", "maternity", "sick_q1")]
    spans = [(roles["maternity"], date(2025, 4, 1), date(2025, 9, 30), "maternity"),
             (roles["sick_q1"], date(2025, 1, 13), date(2025, 1, 24), "sick")]
    for first, last, kind in [(date(2025, 3, 3), date(2025, 3, 5), "sick"),
                              (date(2025, 6, 9), date(2025, 6, 20), "sick"),
                              (date(2025, 8, 4), date(2025, 8, 8), "other"),
                              (date(2025, 10, 1), date(2025, 11, 30), "unpaid"),
                              (date(2025, 10, 20), date(2025, 11, 7), "sick")]:
        pool = [p for p in staff if p["position"] == "staff" and p["end_date"] is None
                and p["start_date"] < first and p not in busy]
        busy.append(rng.choice(pool))
        spans.append((busy[-1], first, last, kind))
    return [{"employee_id": p["employee_id"], "start_date": a, "end_date": b, "kind": k}
            for p, a, b, k in spans]


def write(out: Path, name: str, rows: list[dict], extra: tuple[str, ...] = ()) -> pl.DataFrame:
    schema = {c.name: c.dtype for c in TABLES[name].columns} if name != "assessments" else {
        "employee_id": pl.String, "period": pl.String, **dict.fromkeys(SCORE_MAX, pl.Float64)}
    schema |= dict.fromkeys(extra, pl.String)
    df = pl.DataFrame([{k: nfc(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows],
                      schema=schema) if rows else pl.DataFrame(schema=schema)
    df.write_csv(out / f"{name}.csv")
    return df


def check(out: Path) -> dict[str, pl.DataFrame]:
    """Read every file back and check it against the contract."""
    frames = {n: pl.read_csv(out / f"{n}.csv", try_parse_dates=True) for n in TABLES}
    ids = set(frames["staff"]["employee_id"])
    units = set(frames["units"]["unit_id"])
    for name, df in frames.items():
        table = TABLES[name]
        assert set(table.required) <= set(df.columns), name
        for col in table.columns:
            if col.name not in df.columns:
                continue
            assert col.nullable or df[col.name].null_count() == 0, (name, col.name)
            if col.allowed is not None:
                bad = set(df[col.name].drop_nulls()) - set(col.allowed)
                assert not bad, (name, col.name, bad)
            if col.dtype == pl.Date:
                assert df[col.name].dtype == pl.Date, (name, col.name, df[col.name].dtype)
        if table.key:
            assert df[table.key].is_unique().all(), (name, "duplicate ids")
        if "employee_id" in df.columns and name != "staff":
            assert set(df["employee_id"]) <= ids, (name, "unknown employee")
        for col in df.columns:
            if df[col].dtype == pl.String:
                assert all(unicodedata.is_normalized("NFC", v) for v in df[col].drop_nulls()), col
    assert set(frames["staff"]["unit_id"]) <= units
    assert set(frames["units"]["parent_id"].drop_nulls()) <= units
    assert frames["assessments"].select(["employee_id", "period"]).is_unique().all()
    return frames


def summary(frames: dict[str, pl.DataFrame], roles: dict) -> None:
    """Check and print the 2025-Q1 worked examples, then the row counts (on stderr)."""
    q1 = QUARTERS["2025-Q1"]
    for role in EXAMPLE_Q1:
        eid = roles[role]["employee_id"]
        rows = {}
        for name, col in [("violations", "violation_date"), ("training", "session_date"),
                          ("discipline", "decision_date")]:
            rows[name] = frames[name].filter(pl.col("employee_id") == eid,
                                             pl.col(col).is_between(*q1))
        viol = list(zip(rows["violations"]["category"], rows["violations"]["status"], strict=True))
        hours = rows["training"].filter(pl.col("attendance") == "attended",
                                        pl.col("topic") == "traffic_safety")["hours"].sum()
        assert {"clean_trained": not viol and hours >= 2,
                "clean_untrained": not viol and hours == 0 and not rows["discipline"].height,
                "speeding": viol == [("speeding", "effective")] and not rows["training"].height,
                "alcohol": ("alcohol", "effective") in viol,
                "disciplined": not viol and rows["discipline"].height == 1}[role], role
        print(f"{role:16} {eid} {roles[role]['full_name']} ({roles[role]['unit_id']}): "
              f"Q1 violations {viol}, training {rows['training']['attendance'].to_list()}, "
              f"traffic-safety hours {hours}", file=sys.stderr)
    print(", ".join(f"{n}: {df.height}" for n, df in frames.items()), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--out", type=Path, default=SAMPLE_DATA)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)

    staff = make_staff(rng)
    roles = pick_roles(rng, staff)
    leave = make_leave(rng, staff, roles)
    violations = make_violations(rng, staff, roles)
    training = make_training(rng, staff, roles, leave)
    discipline = [
        {"record_id": "KL-2025-001", "employee_id": roles["disciplined"]["employee_id"],
         "decision_date": date(2025, 3, 10), "form": "reprimand", "duty_related": True,
         "reason": "Thiếu trách nhiệm trong tham mưu thẩm định hồ sơ chuyển giao công nghệ, "
                   "để chậm trễ kéo dài, ảnh hưởng đến uy tín của cơ quan"},
        {"record_id": "KL-2025-002", "employee_id": roles["warning"]["employee_id"],
         "decision_date": date(2025, 8, 15), "form": "warning", "duty_related": True,
         "reason": "Vi phạm quy định về quản lý tài chính trong thực hiện hợp đồng dịch vụ "
                   "khoa học và công nghệ"},
    ]
    units = [{"unit_id": u[0], "name": u[1], "parent_id": u[2], "kind": u[3]} for u in UNITS]
    write(args.out, "units", units)
    write(args.out, "staff", [{k: p[k] for k in TABLES["staff"].column_names} for p in staff])
    write(args.out, "assessments", make_assessments(rng, staff, roles), ("ghi_chu",))
    write(args.out, "violations", violations)
    write(args.out, "training", training, ("topic_name",))
    write(args.out, "discipline", discipline)
    write(args.out, "leave", leave)
    summary(check(args.out), roles)


if __name__ == "__main__":
    main()

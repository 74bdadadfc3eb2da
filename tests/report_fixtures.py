"""Hand-made run folders for the report tests and the report benchmark.

``write_run`` writes ``scores``, ``explanations``, ``units`` (Parquet) and ``manifest.json``
exactly as ``docs/outputs.md`` describes them, for any unit tree and staff list, consistent
with a criteria object (item ids, rules, bands and overrides are taken from it). The numbers
are made up but coherent: explanation points add up to the total, unit figures are counted
over each unit and its sub-units.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from scoring.outputs.wording import with_details

CATEGORIES = ("alcohol", "speeding", "red_light", "phone", "helmet_seatbelt", "wrong_way", "other")

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý", "Phan", "Trương")
MIDDLE = ("Văn", "Thị", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Đức", "Hữu", "Phương",
          "Xuân", "Kim")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân",
         "Quỳnh", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Uyên", "Việt", "Yến",
         "Ánh", "Đạt", "Ngân", "Nhung", "Tài", "Thủy", "Tùng", "Vy")

UNIT_NAMES = ("Văn phòng Sở", "Thanh tra Sở", "Phòng Kế hoạch – Tài chính",
              "Phòng Quản lý khoa học", "Phòng Quản lý công nghệ và Đổi mới sáng tạo",
              "Chi cục Tiêu chuẩn Đo lường Chất lượng", "Phòng Quản lý Đo lường",
              "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng",
              "Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ", "Phòng Thông tin – Thống kê",
              "Phòng Quản lý chuyên ngành", "Tổ Hành chính – Quản trị")


def name_for(i: int) -> str:
    """A distinct Vietnamese full name for every i < 16 × 12 × 40."""
    g = GIVEN[i % len(GIVEN)]
    m = MIDDLE[(i // len(GIVEN)) % len(MIDDLE)]
    f = FAMILY[(i // (len(GIVEN) * len(MIDDLE))) % len(FAMILY)]
    return f"{f} {m} {g}"


@dataclass(frozen=True)
class Unit:
    unit_id: str
    name: str
    parent_id: str | None
    kind: str


@dataclass(frozen=True)
class Person:
    employee_id: str
    full_name: str
    unit_id: str
    position: str = "staff"
    employment_type: str = "civil_servant"


def _h(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def small_tree() -> tuple[list[Unit], list[Person]]:
    """3 units (a department, its office, and a sub-department with one section), 11 people."""
    units = [
        Unit("SO", "Sở Khoa học và Công nghệ", None, "board"),
        Unit("VP", "Văn phòng Sở", "SO", "office"),
        Unit("CC", "Chi cục Tiêu chuẩn Đo lường Chất lượng", "SO", "sub_department"),
        Unit("CC-DL", "Phòng Quản lý Đo lường", "CC", "section"),
    ]
    layout = [
        ("SO", "director"), ("SO", "deputy_director"),
        ("VP", "head"), ("VP", "deputy_head"), ("VP", "staff"), ("VP", "staff"),
        ("CC", "head"), ("CC", "staff"),
        ("CC-DL", "deputy_head"), ("CC-DL", "staff"), ("CC-DL", "staff"),
    ]
    people = [
        Person(f"NV{i + 1:04d}", name_for(i * 7 + 3), uid, pos,
               "public_employee" if uid.startswith("CC") and pos == "staff" else "civil_servant")
        for i, (uid, pos) in enumerate(layout)
    ]
    return units, people


def sized_tree(n_units: int, per_unit: int) -> tuple[list[Unit], list[Person]]:
    """A department root with ``n_units - 1`` divisions, ``per_unit`` people in each unit."""
    units = [Unit("SO", "Sở Khoa học và Công nghệ", None, "board")]
    for k in range(1, n_units):
        units.append(Unit(f"U{k:02d}", UNIT_NAMES[(k - 1) % len(UNIT_NAMES)]
                          + ("" if k <= len(UNIT_NAMES) else f" {k}"), "SO", "division"))
    people = []
    i = 0
    for u in units:
        for j in range(per_unit):
            pos = (
                "director"
                if u.parent_id is None and j == 0
                else ("head" if j == 0 else "deputy_head" if j == 1 else "staff")
            )
            people.append(Person(f"NV{i + 1:05d}", name_for(i), u.unit_id, pos))
            i += 1
    return units, people


# --------------------------------------------------------------------------------------------


def _plan(criteria: Any) -> dict[str, Any]:
    items = [(g, it) for g in criteria.groups for it in g.items]
    ruled = next(((g, it) for g, it in items if it.deductions), None)
    overrides: dict[str, Any] = {}
    for o in criteria.overrides:  # the first override of each action
        overrides.setdefault(o.action, o)
    return {"items": items, "ruled": ruled, "overrides": overrides}


def _band(criteria: Any, total: float) -> str:
    for b in criteria.ratings:
        if total >= b.min:
            return b.code
    return criteria.ratings[-1].code


def write_run(
    run_dir: Path,
    criteria: Any,
    units: Sequence[Unit],
    people: Sequence[Person],
    *,
    period: str = "2025-Q1",
    run_date: str = "2025-04-05",
    seed: int = 0,
    options: dict[str, Any] | None = None,
) -> Path:
    """Write a run folder; returns ``run_dir``."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    plan = _plan(criteria)
    codes = [b.code for b in criteria.ratings]
    rank = {c: i for i, c in enumerate(codes)}
    unit_names = {u.unit_id: u.name for u in units}
    score_rows: list[dict[str, Any]] = []
    expl_rows: list[dict[str, Any]] = []
    person_facts: dict[str, dict[str, Any]] = {}
    vid = 0
    for idx, p in enumerate(sorted(people, key=lambda p: (p.unit_id, p.employee_id))):
        r = _h(seed, p.employee_id)
        # every 11th person from the 3rd has an alcohol violation, from the 5th is disciplined,
        # from the 7th scores high enough for the top band (and meets the quota), from the 11th
        # is not rated; the others get random traits
        slot = idx % 11
        n_viol = 1 if r % 5 == 1 or slot == 2 else 2 if r % 17 == 3 else 0
        alcohol = n_viol > 0 and (r % 3 == 0 or slot == 2)
        disciplined = r % 19 == 7 or slot == 4
        short = r % 23 == 11 or slot == 10
        excellent = slot == 6
        trained = r % 4 != 0
        cats = []
        for k in range(n_viol):
            cats.append("alcohol" if alcohol and k == 0 else CATEGORIES[1 + (r >> (k + 3)) % 6])
        vids = []
        for _ in cats:
            vid += 1
            vids.append(f"VP{vid:05d}")
        seq = 0
        row: dict[str, Any] = {
            "employee_id": p.employee_id, "full_name": p.full_name, "unit_id": p.unit_id,
            "unit_name": unit_names[p.unit_id], "position": p.position,
            "employment_type": p.employment_type, "duty_group": p.position, "period": period,
        }
        group_totals: dict[str, float] = {}
        for g, it in plan["items"]:
            seq += 1
            if plan["ruled"] is not None and it is plan["ruled"][1]:
                start = float(it.start if it.start is not None else it.max)
                points = start
                expl_rows.append(_ex(p, seq, g.id, it.id, it.id, "base", start, it.label,
                                     it.label_en, "", basis="start", source=f"{start:g}"))
                for rule in it.deductions:
                    n = 0
                    ids: list[str] = []
                    if "alcohol" in rule.id:
                        n = sum(1 for c in cats if c == "alcohol")
                        ids = [v for v, c in zip(vids, cats, strict=True) if c == "alcohol"]
                    elif "licence" in rule.id:
                        n = 4 * len(cats)
                        ids = vids
                    elif rule is it.deductions[0]:
                        n, ids = len(cats), vids
                    if n:
                        seq += 1
                        pts = -float(rule.points) * n
                        points += pts
                        expl_rows.append(_ex(p, seq, g.id, it.id, rule.id, "deduction", pts,
                                             rule.label, rule.label_en, "; ".join(ids),
                                             rule.legal_ref or "", basis="per", count=float(n),
                                             unit_points=float(rule.points)))
                for rule in it.bonuses:
                    if trained:
                        seq += 1
                        points += float(rule.points)
                        expl_rows.append(_ex(p, seq, g.id, it.id, rule.id, "bonus",
                                             float(rule.points), rule.label, rule.label_en,
                                             f"TR{idx:05d}", basis="condition",
                                             values=f"ts_training_hours={idx % 4 + 1}"))
                clipped = min(max(points, 0.0), float(it.max))
                if clipped != points:
                    seq += 1
                    expl_rows.append(_ex(p, seq, g.id, it.id, "clip", "clip", clipped - points,
                                         "Giới hạn trong [0, tối đa]", "Clipped to [0, max]",
                                         "", before=f"{points:g}", after=f"{clipped:g}"))
                points = clipped
            else:
                frac = 0.6 + ((r >> (len(group_totals) + seq)) % 40) / 100.0
                frac = 0.97 if excellent else frac
                points = round(float(it.max) * frac * 2) / 2
                expl_rows.append(_ex(p, seq, g.id, it.id, it.id, "base", points, it.label,
                                     it.label_en, "", basis="assessment", source=it.id))
            row[f"item_{it.id}"] = points
            group_totals[g.id] = group_totals.get(g.id, 0.0) + points
        for g in criteria.groups:
            row[f"group_{g.id}"] = min(group_totals[g.id], float(g.max))
        total = round(sum(row[f"group_{g.id}"] for g in criteria.groups), 2)
        band = _band(criteria, total)
        seq += 1
        expl_rows.append(_ex(p, seq, None, None, "band", "band", None, f"Xếp loại theo điểm: {band}",
                             f"Band from points: {band}", "", before=f"{total:g}", after=band))
        rating: str | None = band
        status, reason, applied = "rated", None, []
        ov = plan["overrides"]
        if short and "not_rated" in ov:
            o = ov["not_rated"]
            seq += 1
            expl_rows.append(_ex(p, seq, None, None, o.id, "override", None, o.label, o.label_en,
                                 "", o.legal_ref or "", basis="not_rated", before=band))
            reason = f"{o.label} / {o.label_en or o.label}"
            rating, status = None, "not_rated"
            applied.append(o.id)
            seq += 1
            expl_rows.append(_ex(p, seq, None, None, "status", "status", None, "Không xếp loại",
                                 "Not rated", "", text=o.label, text_en=o.label_en or o.label))
        else:
            if disciplined and "force" in ov:
                o = ov["force"]
                if rating != o.rating:
                    seq += 1
                    expl_rows.append(_ex(p, seq, None, None, o.id, "override", None, o.label,
                                         o.label_en, f"KL{idx:04d}", o.legal_ref or "",
                                         basis="force", before=rating, after=o.rating))
                    rating = o.rating
                    applied.append(o.id)
            if alcohol and "cap" in ov:
                o = ov["cap"]
                changed = rating is not None and rank[rating] < rank[o.rating]
                seq += 1
                expl_rows.append(_ex(p, seq, None, None, o.id, "override", None, o.label,
                                     o.label_en, vids[0], o.legal_ref or "", basis="cap",
                                     before=rating, after=o.rating if changed else rating))
                rating = o.rating if changed else rating
                applied.append(o.id)
        quota_ids: list[str] = []
        quotas = list(getattr(criteria, "quotas", ()) or ())
        if quotas and rating == codes[0] and (r % 3 == 1 or excellent):
            q = quotas[0]
            down = codes[1]
            seq += 1
            expl_rows.append(_ex(p, seq, None, None, q.id, "quota", None, q.label, q.label_en,
                                 "", q.legal_ref or "", before=rating, after=down,
                                 text=f"đơn vị {p.unit_id}: 2 {rating}, 6 {down}, tối đa 1 "
                                 f"{rating}; {rating} → {down}",
                                 text_en=f"unit {p.unit_id}: 2 {rating}, 6 {down}, at most 1 "
                                 f"{rating}; {rating} → {down}"))
            rating = down
            quota_ids.append(q.id)
        label = next((b.label for b in criteria.ratings if b.code == rating), None)
        row.update({"total": total, "band": band, "rating": rating, "rating_label": label,
                    "status": status, "status_reason": reason, "overrides": "; ".join(applied),
                    "quota": "; ".join(quota_ids)})
        score_rows.append(row)
        person_facts[p.employee_id] = {"unit_id": p.unit_id, "cats": cats, "trained": trained,
                                       "rating": rating, "status": status, "total": total}

    item_cols = [f"item_{it.id}" for _, it in plan["items"]]
    group_cols = [f"group_{g.id}" for g in criteria.groups]
    str_cols = ["employee_id", "full_name", "unit_id", "unit_name", "position",
                "employment_type", "duty_group", "period"]
    schema: dict[str, Any] = {c: pl.String for c in str_cols}
    schema.update({c: pl.Float64 for c in [*item_cols, *group_cols, "total"]})
    schema.update({c: pl.String for c in ["band", "rating", "rating_label", "status",
                                          "status_reason", "overrides", "quota"]})
    scores = pl.DataFrame(score_rows, schema=schema).sort("unit_id", "employee_id")
    explanations = with_details(pl.DataFrame(expl_rows, schema=_EXPLANATION_SCHEMA), criteria)
    units_frame = _units_frame(units, person_facts, codes)
    scores.write_parquet(run_dir / "scores.parquet")
    explanations.write_parquet(run_dir / "explanations.parquet")
    units_frame.write_parquet(run_dir / "units.parquet")
    counts = {c: int((scores["rating"] == c).sum()) for c in codes}
    manifest = {
        "tool": {"name": "scoring", "version": "0.1.0", "python": "3.11", "polars": pl.__version__},
        "period": period,
        "run_date": run_date,
        "criteria": {"id": criteria.id, "version": criteria.version,
                     "sha256": hashlib.sha256(f"{criteria.id}{criteria.version}".encode()).hexdigest(),
                     "path": "criteria/skhcn-quy-2025.yaml"},
        "inputs": [{"table": "staff", "path": "staff.csv", "sha256": "0" * 64, "rows": len(people)}],
        "options": options or {},
        "counts": {"staff": len(people), "rated": int((scores["status"] == "rated").sum()),
                   "not_rated": int((scores["status"] == "not_rated").sum()), "ratings": counts},
        # real hashes: history reads only runs whose files match their manifest
        "outputs": [{"path": f"{t}.parquet",
                     "sha256": hashlib.sha256((run_dir / f"{t}.parquet").read_bytes()).hexdigest()}
                    for t in ("scores", "explanations", "units")],
    }
    (run_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return run_dir


_EXPLANATION_SCHEMA = {
    "employee_id": pl.String, "seq": pl.Int32, "group": pl.String, "item": pl.String,
    "rule": pl.String, "kind": pl.String, "points": pl.Float64, "label": pl.String,
    "label_en": pl.String, "basis": pl.String, "source": pl.String, "count": pl.Float64,
    "unit_points": pl.Float64, "limit": pl.Float64, "values": pl.String, "window": pl.String,
    "before": pl.String, "after": pl.String, "text": pl.String, "text_en": pl.String,
    "record_ids": pl.String, "legal_ref": pl.String,
}


def _ex(p: Person, seq: int, group: str | None, item: str | None, rule: str, kind: str,
        points: float | None, label: str, label_en: str | None, records: str,
        legal_ref: str = "", **fields: Any) -> dict[str, Any]:
    """One explanation row as the engine writes it (``fields``: basis, count, before, …)."""
    row = {"employee_id": p.employee_id, "seq": seq, "group": group, "item": item, "rule": rule,
           "kind": kind, "points": points, "label": label, "label_en": label_en or label,
           "record_ids": records, "legal_ref": legal_ref, "basis": kind}
    return {name: None for name in _EXPLANATION_SCHEMA} | row | fields


def descendants(units: Sequence[Unit], unit_id: str) -> set[str]:
    return _closure(_children(units), unit_id)


def _children(units: Sequence[Unit]) -> dict[str | None, list[str]]:
    children: dict[str | None, list[str]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u.unit_id)
    return children


def _closure(children: dict[str | None, list[str]], unit_id: str) -> set[str]:
    out, todo = {unit_id}, [unit_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _units_frame(units: Sequence[Unit], facts: dict[str, dict[str, Any]], codes: list[str]) -> pl.DataFrame:
    by_id = {u.unit_id: u for u in units}
    children = _children(units)
    by_unit: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for i, f in enumerate(facts.values()):
        by_unit.setdefault(f["unit_id"], []).append((i, f))
    rows = []
    for u in units:
        level, cur = 0, u
        while cur.parent_id is not None:
            level += 1
            cur = by_id[cur.parent_id]
        scope = _closure(children, u.unit_id)
        ppl = [f for _, f in sorted(e for uid in scope for e in by_unit.get(uid, ()))]  # people order
        rated = [f for f in ppl if f["status"] == "rated"]
        row: dict[str, Any] = {
            "unit_id": u.unit_id, "name": u.name, "parent_id": u.parent_id, "kind": u.kind,
            "level": level, "headcount": len(ppl),
            "direct_headcount": len(by_unit.get(u.unit_id, ())),
            "rated": len(rated), "not_rated": len(ppl) - len(rated),
        }
        for c in codes:
            row[f"rating_{c}"] = sum(1 for f in ppl if f["rating"] == c)
        row["violations"] = sum(len(f["cats"]) for f in ppl)
        for cat in CATEGORIES:
            row[f"violations_{cat}"] = sum(f["cats"].count(cat) for f in ppl)
        row["violators"] = sum(1 for f in ppl if f["cats"])
        row["trained"] = sum(1 for f in ppl if f["trained"])
        row["training_reach"] = round(row["trained"] / len(ppl), 4) if ppl else 0.0
        row["mean_total"] = round(sum(f["total"] for f in rated) / len(rated), 2) if rated else None
        rows.append(row)
    u32 = [k for k in rows[0] if k not in ("unit_id", "name", "parent_id", "kind", "level",
                                           "training_reach", "mean_total")]
    schema: dict[str, Any] = {"unit_id": pl.String, "name": pl.String, "parent_id": pl.String,
                              "kind": pl.String, "level": pl.Int32}
    schema.update({k: pl.UInt32 for k in u32})
    schema.update({"training_reach": pl.Float64, "mean_total": pl.Float64})
    return pl.DataFrame(rows, schema=schema).sort("level", "unit_id")

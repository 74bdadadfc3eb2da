"""The sample criteria (criteria/skhcn-quy-2025.yaml) written directly in pandas: the peer.

    python benchmarks/pandas_peer.py --data DIR --out DIR [--period 2025-Q1]

What a competent analyst would write by hand for this one criteria file, without the engine:
read the Parquet inputs with pandas, aggregate each measure with ``groupby``, ``merge`` them
onto the roster, compute the items, groups, total and band with vectorised column arithmetic,
the leaders' unit measures over their subordinates (iterated until the ratings settle, as they
depend on the subordinates' ratings), the overrides in order and the HTXS quota per unit and
agency-wide, then write ``scores.parquet``. No validation, no explanations, no unit summary,
no CSV or Excel: the benchmark compares it with the engine doing the same (and with the full
run). Its scores are checked against the engine's, column by column, so it is a faithful
implementation rather than a strawman.

Prints one JSON line: seconds to read, compute and write, and the number of rows.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import (
    CODES,
    COMMON,
    DATES,
    LABELS,
    LEADERS,
    MARKS,
    MAX,
    MISSING_SCORE,
    NO_ASSESSMENT,
    POSITION_RANK,
    RESULTS,
    SHORT_SERVICE,
    TABLES,
)


def quarter(label: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    year, q = int(label[:4]), int(label[-1])
    start = pd.Timestamp(year, 3 * q - 2, 1)
    return start, start + pd.offsets.QuarterEnd(0)


def read(data: Path) -> dict[str, pd.DataFrame]:
    frames = {}
    for name in TABLES:
        df = pd.read_parquet(data / f"{name}.parquet")
        for col in DATES.get(name, []):
            df[col] = pd.to_datetime(df[col])
        frames[name] = df
    return frames


def unit_closure(units: pd.DataFrame) -> pd.DataFrame:
    """(unit_id, ancestor_id) pairs, each unit with itself and every unit above it."""
    parents = units[["unit_id", "parent_id"]].dropna()
    pairs = [units[["unit_id"]].assign(ancestor_id=units["unit_id"])]
    frontier = pairs[0]
    while not frontier.empty:
        frontier = (frontier.merge(parents, left_on="ancestor_id", right_on="unit_id",
                                   suffixes=("", "_p"))
                    [["unit_id", "parent_id"]].rename(columns={"parent_id": "ancestor_id"}))
        pairs.append(frontier)
    return pd.concat(pairs, ignore_index=True)


def context(t: dict[str, pd.DataFrame], label: str) -> pd.DataFrame:
    start, end = quarter(label)
    s = t["staff"]
    ctx = s[(s["start_date"] <= end) & (s["end_date"].isna() | (s["end_date"] >= start))].copy()
    ctx = ctx.merge(t["units"][["unit_id", "name"]].rename(columns={"name": "unit_name"}),
                    on="unit_id", how="left")
    ctx["duty_group"] = ctx["duty_group"].fillna(ctx["position"])
    ctx["is_leader"] = ctx["position"].isin(LEADERS)
    ctx["emp_start"] = ctx["start_date"].clip(lower=start)
    ctx["emp_end"] = ctx["end_date"].fillna(end).clip(upper=end)
    ctx["days_employed"] = (ctx["emp_end"] - ctx["emp_start"]).dt.days + 1

    leave = t["leave"].merge(ctx[["employee_id", "emp_start", "emp_end"]], on="employee_id")
    overlap = (np.minimum(leave["end_date"], leave["emp_end"])
               - np.maximum(leave["start_date"], leave["emp_start"])).dt.days + 1
    leave_days = overlap.clip(lower=0).groupby(leave["employee_id"]).sum().rename("days_on_leave")
    ctx = ctx.merge(leave_days, left_on="employee_id", right_index=True, how="left")
    ctx["days_on_leave"] = np.minimum(ctx["days_on_leave"].fillna(0), ctx["days_employed"])
    ctx["days_worked"] = ctx["days_employed"] - ctx["days_on_leave"]

    a = t["assessments"]
    a = a.loc[a["period"] == label, ["employee_id", *MARKS]].assign(has_assessment=True)
    ctx = ctx.merge(a, on="employee_id", how="left")
    ctx["has_assessment"] = ctx["has_assessment"].fillna(False).astype(bool)

    v = t["violations"]
    v = v[v["violation_date"].between(start, end)]
    effective = v["status"] == "effective"
    per_person = pd.DataFrame({
        "employee_id": v["employee_id"],
        "violations_effective": effective.astype("int64"),
        "alcohol_violations": (effective & (v["category"] == "alcohol")).astype("int64"),
        "licence_points_lost": v["licence_points"].where(effective, 0).fillna(0).astype(float),
    }).groupby("employee_id").sum()
    tr = t["training"]
    tr = tr[tr["session_date"].between(start, end)
            & (tr["topic"] == "traffic_safety") & (tr["attendance"] == "attended")]
    hours = tr.groupby("employee_id")["hours"].sum().rename("ts_training_hours")
    d = t["discipline"]
    d = d[d["decision_date"].between(start, end) & d["duty_related"].fillna(False).astype(bool)]
    disciplined = d.groupby("employee_id").size().rename("discipline_reprimand_or_above")
    for measure in (per_person, hours, disciplined):
        ctx = ctx.merge(measure, left_on="employee_id", right_index=True, how="left")
    counts = ["violations_effective", "alcohol_violations", "discipline_reprimand_or_above"]
    ctx[counts] = ctx[counts].fillna(0).astype("int64")
    ctx[["licence_points_lost", "ts_training_hours"]] = (
        ctx[["licence_points_lost", "ts_training_hours"]].fillna(0.0))
    return ctx.sort_values("employee_id", ignore_index=True)


def rate(ctx: pd.DataFrame, unit: pd.DataFrame) -> pd.DataFrame:
    """Items, groups, total, band, status and overrides, given the leaders' unit measures."""
    df = ctx.merge(unit, on="employee_id", how="left")
    items = pd.DataFrame(index=df.index)
    for col in MARKS:
        items[col] = df[col].round(2)
    leader = df["is_leader"]
    traffic = (8.0 - (3.0 * df["violations_effective"]).round(2)
               - (4.0 * df["alcohol_violations"]).round(2)
               - (0.5 * df["licence_points_lost"]).round(2)
               - np.where(leader & (df["unit_violator_share"] > 0.1), 2.0, 0.0)
               + np.where(df["ts_training_hours"] >= 2, 2.0, 0.0))
    items["traffic_safety"] = traffic
    half = (0.5 * df["task_quality"]).round(2).where(leader & (df["unit_kht_count"] > 0), 0.0)
    items["task_quality"] = df["task_quality"].round(2) - half
    for col, hi in MAX.items():
        items[col] = items[col].clip(0.0, hi).round(2)
    common = items[COMMON].sum(axis=1, min_count=len(COMMON)).clip(upper=30).round(2)
    results = items[RESULTS].sum(axis=1, min_count=len(RESULTS)).clip(upper=70).round(2)
    common[items[COMMON].isna().any(axis=1)] = np.nan
    results[items[RESULTS].isna().any(axis=1)] = np.nan
    total = (common + results).round(2)

    out = df[["employee_id", "full_name", "unit_id", "unit_name", "position", "employment_type",
              "duty_group", "task_quality"]].copy()
    for col in MAX:
        out[f"item_{col}"] = items[col]
    out["group_common"], out["group_results"], out["total"] = common, results, total
    band = pd.Series(np.select([total >= 90, total >= 70, total >= 50], [0, 1, 2], 3),
                     index=df.index).where(total.notna())
    rated = df["has_assessment"] & total.notna()
    reason = pd.Series(np.where(df["has_assessment"], MISSING_SCORE, NO_ASSESSMENT), index=df.index)
    status_reason = reason.where(~rated)
    rank = band.copy()
    fired = {}
    fired["short_service"] = rated & (df["days_worked"] < 45)
    rated = rated & ~fired["short_service"]
    status_reason = status_reason.mask(fired["short_service"], SHORT_SERVICE)
    fired["discipline_kht"] = rated & (df["discipline_reprimand_or_above"] > 0)
    rank = rank.mask(fired["discipline_kht"], 3)
    fired["alcohol_cap"] = rated & (df["alcohol_violations"] > 0)
    rank = rank.mask(fired["alcohol_cap"], np.maximum(rank, 2))
    fired["leader_unit_alcohol"] = (rated & df["position"].isin(["director", "head"])
                                    & (df["unit_alcohol_count"] > 0))
    rank = rank.mask(fired["leader_unit_alcohol"], np.maximum(rank, 1))
    codes = pd.Series(CODES)
    out["band"] = band.map(codes)
    out["rating"] = rank.map(codes).where(rated)
    out["status"] = np.where(rated, "rated", "not_rated")
    out["status_reason"] = status_reason
    ids = pd.Series("", index=df.index)
    for name, mask in fired.items():
        ids = ids.mask(mask, ids.where(ids == "", ids + "; ") + name)
    out["overrides"] = ids
    for col in ("violations_effective", "alcohol_violations", "is_leader"):
        out[col] = df[col]
    return out


def unit_measures(people: pd.DataFrame, closure: pd.DataFrame) -> pd.DataFrame:
    """Per leader: share of subordinates with a violation, count with alcohol, count rated KHT."""
    p = pd.DataFrame({
        "employee_id": people["employee_id"], "unit_id": people["unit_id"],
        "rank": people["position"].map(POSITION_RANK), "n": 1,
        "viol": (people["violations_effective"] > 0).astype("int64"),
        "alc": (people["alcohol_violations"] > 0).astype("int64"),
        "kht": (people["rating"] == "KHT").astype("int64"),
    })
    sums = ["n", "viol", "alc", "kht"]
    per_unit_rank = p.groupby(["unit_id", "rank"], as_index=False)[sums].sum()
    below = (per_unit_rank.merge(closure, on="unit_id")
             .groupby("ancestor_id")[sums].sum())
    leaders = p.loc[people["is_leader"].to_numpy(), ["employee_id", "unit_id", "rank"]]
    same = leaders.merge(per_unit_rank, on="unit_id", suffixes=("", "_other"))
    same = same[same["rank_other"] < same["rank"]].groupby("employee_id")[sums].sum()
    total = (leaders.join(below, on="unit_id").set_index("employee_id")[sums].fillna(0)
             .add(same, fill_value=0))
    values = pd.DataFrame({
        "unit_violator_share": np.where(total["n"] > 0, (total["viol"] / total["n"]).round(4), 0.0),
        "unit_alcohol_count": total["alc"].astype("int64"),
        "unit_kht_count": total["kht"].astype("int64"),
    }, index=total.index)
    out = people[["employee_id"]].join(values, on="employee_id")
    return out.fillna({"unit_violator_share": 0.0, "unit_alcohol_count": 0, "unit_kht_count": 0}
                      ).astype({"unit_alcohol_count": "int64", "unit_kht_count": "int64"})


def quota(df: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """HTXS at most 20% of HTT within each group; the excess (lowest total first) → HTT."""
    keys = [by] if by else []
    df = df.sort_values([*keys, "total", "task_quality", "employee_id"], na_position="last",
                        kind="stable", ignore_index=True)
    is_r = (df["rating"] == "HTXS").astype("int64")
    is_t = (df["rating"] == "HTT").astype("int64")
    if by:
        grouped = df.assign(r=is_r, t=is_t).groupby(by)
        h, t, position = grouped["r"].transform("sum"), grouped["t"].transform("sum"), \
            grouped["r"].cumsum()
    else:
        h, t, position = is_r.sum(), is_t.sum(), is_r.cumsum()
    allowed = (t + h) // 6  # floor(20 × (t + h) / 120): the excess moves down into HTT itself
    move = (is_r == 1) & (position <= np.maximum(h - allowed, 0))
    df.loc[move, "rating"] = "HTT"
    df.loc[move, "quota"] = "htxs_quota"
    return df


def score(t: dict[str, pd.DataFrame], label: str) -> pd.DataFrame:
    ctx = context(t, label)
    closure = unit_closure(t["units"])
    closure = closure[closure["unit_id"] != closure["ancestor_id"]]
    zero = ctx[["employee_id"]].assign(unit_violator_share=0.0, unit_alcohol_count=0,
                                       unit_kht_count=0)
    scored = rate(ctx, zero)
    previous = None
    while True:  # the unit measures depend on the subordinates' ratings: iterate to a fixed point
        values = unit_measures(scored, closure)
        if previous is not None and values.equals(previous):
            break
        previous = values
        scored = rate(ctx, values)
    scored["quota"] = ""
    scored = quota(quota(scored, "unit_id"), None)
    scored["rating_label"] = scored["rating"].map(LABELS)
    scored["period"] = label
    columns = ["employee_id", "full_name", "unit_id", "unit_name", "position", "employment_type",
               "duty_group", "period", *[f"item_{c}" for c in MAX], "group_common",
               "group_results", "total", "band", "rating", "rating_label", "status",
               "status_reason", "overrides", "quota"]
    return scored.sort_values(["unit_id", "employee_id"], ignore_index=True)[columns]


def run(data: Path, out: Path, label: str = "2025-Q1") -> dict[str, float]:
    started = time.perf_counter()
    tables = read(Path(data))
    read_done = time.perf_counter()
    scores = score(tables, label)
    scored = time.perf_counter()
    Path(out).mkdir(parents=True, exist_ok=True)
    scores.to_parquet(Path(out) / "scores.parquet", index=False)
    done = time.perf_counter()
    return {"read": read_done - started, "compute": scored - read_done, "write": done - scored,
            "total": done - started, "rows": len(scores)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--period", default="2025-Q1")
    args = parser.parse_args()
    result = run(args.data, args.out, args.period)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result |= {"cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
               "pandas": pd.__version__}
    print(json.dumps(result))


if __name__ == "__main__":
    main()

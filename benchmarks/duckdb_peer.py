"""The sample criteria (criteria/skhcn-quy-2025.yaml) written directly in DuckDB SQL: a peer.

    python benchmarks/duckdb_peer.py --data DIR --out DIR [--period 2025-Q1]

The same work as ``pandas_peer.py``, as an analyst fluent in SQL would write it by hand for this
one criteria file: read the Parquet inputs into DuckDB tables, aggregate each measure with
``GROUP BY``, join them onto the roster, compute the items, groups, total and band in one
``SELECT``, the leaders' unit measures over their subordinates (a recursive closure of the unit
tree; iterated until the ratings settle, as they depend on the subordinates' ratings), the
overrides in order and the HTXS quota per unit and agency-wide (window functions), then
``COPY`` the scores to ``scores.parquet``. No validation, no explanations, no unit summary. Its
scores are checked against the engine's, column by column (``bench_scale.compare_scores``).

Rounding is half to even (``round_even``), as numpy's and the engine's. Prints one JSON line:
seconds to read, compute and write, the number of rows, CPU time and peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import date
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import (
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

COLUMNS = ["employee_id", "full_name", "unit_id", "unit_name", "position", "employment_type",
           "duty_group", "period", *[f"item_{c}" for c in MAX], "group_common",
           "group_results", "total", "band", "rating", "rating_label", "status",
           "status_reason", "overrides", "quota"]


def q(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def in_list(values: list[str]) -> str:
    return "(" + ", ".join(q(v) for v in values) + ")"


def clip(expr: str, lo: float | None, hi: float) -> str:
    """Clip a DOUBLE, keeping NULL (DuckDB's least/greatest would skip it)."""
    inner = f"least({expr}, {hi}::DOUBLE)" if lo is None else \
        f"least(greatest({expr}, {lo}::DOUBLE), {hi}::DOUBLE)"
    return f"CASE WHEN ({expr}) IS NULL THEN NULL ELSE {inner} END"


def quarter(label: str) -> tuple[date, date]:
    year, n = int(label[:4]), int(label[-1])
    start = date(year, 3 * n - 2, 1)
    end = date(year + 1, 1, 1) if n == 4 else date(year, 3 * n + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def read(con: duckdb.DuckDBPyConnection, data: Path) -> None:
    for name in TABLES:
        path = q(str(data / f"{name}.parquet"))
        dates = DATES.get(name, [])
        replace = f" REPLACE ({', '.join(f'CAST({c} AS DATE) AS {c}' for c in dates)})" \
            if dates else ""
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT *{replace} FROM read_parquet({path})")


def context(con: duckdb.DuckDBPyConnection, label: str) -> None:
    """One row per person employed in the quarter, with their marks and measures."""
    start, end = (f"DATE {q(d.isoformat())}" for d in quarter(label))
    marks = ", ".join(f"a.{m}" for m in MARKS)
    con.execute(f"""
    CREATE OR REPLACE TABLE ctx AS
    WITH s AS (
      SELECT s.employee_id, s.full_name, s.unit_id, u.name AS unit_name, s.position,
             s.employment_type, coalesce(s.duty_group, s.position) AS duty_group,
             s.position IN {in_list(LEADERS)} AS is_leader,
             greatest(s.start_date, {start}) AS emp_start,
             least(coalesce(s.end_date, {end}), {end}) AS emp_end
      FROM staff s LEFT JOIN units u USING (unit_id)
      WHERE s.start_date <= {end} AND (s.end_date IS NULL OR s.end_date >= {start})
    ), lv AS (
      SELECT l.employee_id, sum(CASE WHEN l.start_date IS NULL OR l.end_date IS NULL THEN NULL
             ELSE greatest(least(l.end_date, s.emp_end) - greatest(l.start_date, s.emp_start)
                           + 1, 0) END) AS days
      FROM leave l JOIN s USING (employee_id) GROUP BY l.employee_id
    ), v AS (
      SELECT employee_id,
             sum(CASE WHEN status = 'effective' THEN 1 ELSE 0 END) AS violations_effective,
             sum(CASE WHEN status = 'effective' AND category = 'alcohol' THEN 1 ELSE 0 END)
               AS alcohol_violations,
             sum(CASE WHEN status = 'effective' THEN coalesce(licence_points, 0) ELSE 0 END)
               ::DOUBLE AS licence_points_lost
      FROM violations WHERE violation_date BETWEEN {start} AND {end} GROUP BY employee_id
    ), tr AS (
      SELECT employee_id, sum(hours)::DOUBLE AS hours FROM training
      WHERE session_date BETWEEN {start} AND {end} AND topic = 'traffic_safety'
        AND attendance = 'attended' GROUP BY employee_id
    ), d AS (
      SELECT employee_id, count(*) AS n FROM discipline
      WHERE decision_date BETWEEN {start} AND {end} AND coalesce(duty_related, false)
      GROUP BY employee_id
    ), a AS (SELECT * FROM assessments WHERE period = {q(label)})
    SELECT s.*, (s.emp_end - s.emp_start + 1) - least(coalesce(lv.days, 0),
             s.emp_end - s.emp_start + 1) AS days_worked,
           {marks}, a.employee_id IS NOT NULL AS has_assessment,
           coalesce(v.violations_effective, 0)::BIGINT AS violations_effective,
           coalesce(v.alcohol_violations, 0)::BIGINT AS alcohol_violations,
           coalesce(v.licence_points_lost, 0.0) AS licence_points_lost,
           coalesce(tr.hours, 0.0) AS ts_training_hours,
           coalesce(d.n, 0)::BIGINT AS discipline_reprimand_or_above
    FROM s LEFT JOIN lv USING (employee_id) LEFT JOIN a USING (employee_id)
      LEFT JOIN v USING (employee_id) LEFT JOIN tr USING (employee_id)
      LEFT JOIN d USING (employee_id)
    ORDER BY s.employee_id""")


def _items_sql() -> str:
    """The items, groups and total of ``rate``, as SELECT expressions over ``ctx ⋈ um``."""
    r = "round_even"
    raw = {m: f"{r}(c.{m}::DOUBLE, 2)" for m in MARKS}
    raw["traffic_safety"] = (
        f"8.0::DOUBLE - {r}(3.0::DOUBLE * c.violations_effective, 2)"
        f" - {r}(4.0::DOUBLE * c.alcohol_violations, 2)"
        f" - {r}(0.5::DOUBLE * c.licence_points_lost, 2)"
        " - CASE WHEN c.is_leader AND um.unit_violator_share > 0.1 THEN 2.0::DOUBLE ELSE 0.0 END"
        " + CASE WHEN c.ts_training_hours >= 2 THEN 2.0::DOUBLE ELSE 0.0 END")
    raw["task_quality"] = (
        f"{raw['task_quality']} - CASE WHEN c.is_leader AND um.unit_kht_count > 0 "
        f"THEN {r}(0.5::DOUBLE * c.task_quality, 2) ELSE 0.0::DOUBLE END")
    items = [f"{r}({clip(raw[c], 0, hi)}, 2) AS item_{c}" for c, hi in MAX.items()]
    return ",\n           ".join(items)


def rate(con: duckdb.DuckDBPyConnection) -> None:
    """Items, groups, total, band, status and overrides, given the leaders' unit measures ``um``."""
    common = " + ".join(f"item_{c}" for c in COMMON)
    results = " + ".join(f"item_{c}" for c in RESULTS)
    code = "CASE {x} WHEN 0 THEN 'HTXS' WHEN 1 THEN 'HTT' WHEN 2 THEN 'HT' WHEN 3 THEN 'KHT' END"
    con.execute(f"""
    CREATE OR REPLACE TABLE scored AS
    WITH i AS (
      SELECT c.*, um.unit_alcohol_count,
           {_items_sql()}
      FROM ctx c LEFT JOIN um USING (employee_id)
    ), g AS (
      SELECT *, round_even({clip(common, None, 30)}, 2) AS group_common,
             round_even({clip(results, None, 70)}, 2) AS group_results FROM i
    ), t AS (
      SELECT *, round_even(group_common + group_results, 2) AS total FROM g
    ), b AS (
      SELECT *, CASE WHEN total >= 90 THEN 0 WHEN total >= 70 THEN 1 WHEN total >= 50 THEN 2
                     WHEN total IS NOT NULL THEN 3 END AS band_rank,
             has_assessment AND total IS NOT NULL AS rated0 FROM t
    ), o1 AS (
      SELECT *, rated0 AND days_worked < 45 AS f_short FROM b
    ), o2 AS (
      SELECT *, rated0 AND NOT f_short AS rated FROM o1
    ), o3 AS (
      SELECT *, rated AND discipline_reprimand_or_above > 0 AS f_disc,
             rated AND alcohol_violations > 0 AS f_alc,
             rated AND position IN ('director', 'head') AND unit_alcohol_count > 0 AS f_lead
      FROM o2
    ), o4 AS (
      SELECT *, CASE WHEN f_disc THEN 3 ELSE band_rank END AS r1 FROM o3
    ), o5 AS (
      SELECT *, CASE WHEN f_alc THEN greatest(r1, 2) ELSE r1 END AS r2 FROM o4
    ), o6 AS (
      SELECT *, CASE WHEN f_lead THEN greatest(r2, 1) ELSE r2 END AS r3 FROM o5
    )
    SELECT employee_id, full_name, unit_id, unit_name, position, employment_type, duty_group,
           task_quality, {", ".join(f"item_{c}" for c in MAX)}, group_common, group_results,
           total, {code.format(x="band_rank")} AS band,
           CASE WHEN rated THEN {code.format(x="r3")} END AS rating,
           CASE WHEN rated THEN 'rated' ELSE 'not_rated' END AS status,
           CASE WHEN f_short THEN {q(SHORT_SERVICE)} WHEN rated0 THEN NULL
                WHEN has_assessment THEN {q(MISSING_SCORE)} ELSE {q(NO_ASSESSMENT)} END
             AS status_reason,
           coalesce(concat_ws('; ', CASE WHEN f_short THEN 'short_service' END,
                    CASE WHEN f_disc THEN 'discipline_kht' END,
                    CASE WHEN f_alc THEN 'alcohol_cap' END,
                    CASE WHEN f_lead THEN 'leader_unit_alcohol' END), '') AS overrides,
           violations_effective, alcohol_violations, is_leader
    FROM o6""")


def closure(con: duckdb.DuckDBPyConnection) -> None:
    """(unit_id, ancestor_id) pairs: each unit with every unit above it (not itself)."""
    con.execute("""
    CREATE OR REPLACE TABLE closure AS
    WITH RECURSIVE c(unit_id, ancestor_id) AS (
      SELECT unit_id, unit_id FROM units
      UNION ALL
      SELECT c.unit_id, u.parent_id FROM c JOIN units u ON u.unit_id = c.ancestor_id
      WHERE u.parent_id IS NOT NULL
    ) SELECT * FROM c WHERE unit_id <> ancestor_id""")


def unit_measures(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Per leader: share of subordinates with a violation, count with alcohol, count rated KHT."""
    ranks = " ".join(f"WHEN {q(k)} THEN {v}" for k, v in POSITION_RANK.items())
    con.execute(f"""
    CREATE OR REPLACE TABLE {table} AS
    WITH p AS (
      SELECT employee_id, unit_id, is_leader, CASE position {ranks} END AS rank, 1 AS n,
             (violations_effective > 0)::BIGINT AS viol, (alcohol_violations > 0)::BIGINT AS alc,
             (coalesce(rating, '') = 'KHT')::BIGINT AS kht
      FROM scored
    ), pur AS (
      SELECT unit_id, rank, sum(n) AS n, sum(viol) AS viol, sum(alc) AS alc, sum(kht) AS kht
      FROM p WHERE rank IS NOT NULL GROUP BY unit_id, rank
    ), below AS (
      SELECT c.ancestor_id AS unit_id, sum(n) AS n, sum(viol) AS viol, sum(alc) AS alc,
             sum(kht) AS kht
      FROM pur JOIN closure c USING (unit_id) GROUP BY c.ancestor_id
    ), same AS (
      SELECT l.employee_id, sum(o.n) AS n, sum(o.viol) AS viol, sum(o.alc) AS alc,
             sum(o.kht) AS kht
      FROM p l JOIN pur o ON o.unit_id = l.unit_id AND o.rank < l.rank
      WHERE l.is_leader GROUP BY l.employee_id
    ), tot AS (
      SELECT l.employee_id,
             coalesce(b.n, 0) + coalesce(s.n, 0) AS n, coalesce(b.viol, 0) + coalesce(s.viol, 0)
               AS viol, coalesce(b.alc, 0) + coalesce(s.alc, 0) AS alc,
             coalesce(b.kht, 0) + coalesce(s.kht, 0) AS kht
      FROM p l LEFT JOIN below b USING (unit_id) LEFT JOIN same s USING (employee_id)
      WHERE l.is_leader
    )
    SELECT p.employee_id,
           coalesce(CASE WHEN t.n > 0 THEN round_even(t.viol::DOUBLE / t.n, 4) ELSE 0.0 END,
                    0.0)::DOUBLE AS unit_violator_share,
           coalesce(t.alc, 0)::BIGINT AS unit_alcohol_count,
           coalesce(t.kht, 0)::BIGINT AS unit_kht_count
    FROM p LEFT JOIN tot t USING (employee_id)""")


def settled(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the unit measures ``um_new`` equal the previous ones ``um``."""
    row = con.execute("""
      SELECT count(*) FROM um_new n FULL JOIN um o USING (employee_id)
      WHERE n.unit_violator_share IS DISTINCT FROM o.unit_violator_share
         OR n.unit_alcohol_count IS DISTINCT FROM o.unit_alcohol_count
         OR n.unit_kht_count IS DISTINCT FROM o.unit_kht_count""").fetchone()
    return row is not None and row[0] == 0


def quota(con: duckdb.DuckDBPyConnection, by: str | None) -> None:
    """HTXS at most 20% of HTT within each group; the excess (lowest total first) → HTT."""
    part = f"PARTITION BY {by}" if by else ""
    order = "ORDER BY total ASC NULLS LAST, task_quality ASC NULLS LAST, employee_id"
    con.execute(f"""
    CREATE OR REPLACE TABLE scored AS
    WITH w AS (
      SELECT *, sum((rating = 'HTXS')::BIGINT) OVER (PARTITION BY {by or 'NULL'}) AS h,
             sum((rating = 'HTT')::BIGINT) OVER (PARTITION BY {by or 'NULL'}) AS t,
             sum((coalesce(rating, '') = 'HTXS')::BIGINT)
               OVER ({part} {order} ROWS UNBOUNDED PRECEDING) AS position_
      FROM scored
    ), m AS (
      SELECT *, coalesce(rating, '') = 'HTXS'
                AND position_ <= greatest(coalesce(h, 0) - (coalesce(t, 0) + coalesce(h, 0)) // 6,
                                          0) AS move
      FROM w
    )
    SELECT * EXCLUDE (h, t, position_, move, rating, quota),
           CASE WHEN move THEN 'HTT' ELSE rating END AS rating,
           CASE WHEN move THEN 'htxs_quota' ELSE quota END AS quota
    FROM m""")


def score(con: duckdb.DuckDBPyConnection, label: str) -> None:
    context(con, label)
    closure(con)
    con.execute("CREATE OR REPLACE TABLE um AS SELECT employee_id, 0.0::DOUBLE AS "
                "unit_violator_share, 0::BIGINT AS unit_alcohol_count, 0::BIGINT AS unit_kht_count"
                " FROM ctx")
    rate(con)
    first = True
    while True:  # the unit measures depend on the subordinates' ratings: iterate to a fixed point
        unit_measures(con, "um_new")
        if not first and settled(con):
            break
        first = False
        con.execute("CREATE OR REPLACE TABLE um AS SELECT * FROM um_new")
        rate(con)
    con.execute("CREATE OR REPLACE TABLE scored AS SELECT *, '' AS quota FROM scored")
    quota(con, "unit_id")
    quota(con, None)
    labels = " ".join(f"WHEN {q(k)} THEN {q(v)}" for k, v in LABELS.items())
    con.execute(f"""
    CREATE OR REPLACE TABLE scores AS
    SELECT {", ".join(c for c in COLUMNS if c not in ("period", "rating_label"))},
           {q(label)} AS period, CASE rating {labels} END AS rating_label
    FROM scored ORDER BY unit_id, employee_id""")


def run(data: Path, out: Path, label: str = "2025-Q1") -> dict[str, float]:
    con = duckdb.connect()  # in memory, every core DuckDB sees
    started = time.perf_counter()
    read(con, Path(data))
    read_done = time.perf_counter()
    score(con, label)
    scored = time.perf_counter()
    Path(out).mkdir(parents=True, exist_ok=True)
    path = q(str(Path(out) / "scores.parquet"))
    con.execute(f"COPY (SELECT {', '.join(COLUMNS)} FROM scores ORDER BY unit_id, employee_id) "
                f"TO {path} (FORMAT parquet, COMPRESSION zstd)")
    done = time.perf_counter()
    row = con.execute("SELECT count(*) FROM scores").fetchone()
    rows = row[0] if row else 0
    con.close()
    return {"read": read_done - started, "compute": scored - read_done, "write": done - scored,
            "total": done - started, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--period", default="2025-Q1")
    args = parser.parse_args()
    result: dict[str, object] = dict(run(args.data, args.out, args.period))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result |= {"cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
               "duckdb": duckdb.__version__}
    print(json.dumps(result))


if __name__ == "__main__":
    main()

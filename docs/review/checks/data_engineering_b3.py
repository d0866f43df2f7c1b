"""Checks of the numbers, SQL and claims in data_engineering batch 3 (issue 14).

Run: python3 docs/review/checks/data_engineering_b3.py
Plain Python 3 and its sqlite3 module (SQLite 3.40 here); no third-party packages.
Each section prints the figure an item quotes, and the wrong answers its tolerance rejects.
Engine behaviour that SQLite cannot show (Kafka, Spark, Delta, Iceberg, BigQuery,
PostgreSQL's planner) is argued in docs/review/data_engineering.md, "Batch 3".
"""
import datetime as dt
import sqlite3


def q(db, sql, *args):
    return db.execute(sql, args).fetchall()


# ---- data_engineering.sql_aggregation.002: counting refunds when status can be NULL ----
db = sqlite3.connect(":memory:")
db.executescript("""
CREATE TABLE payments (id INTEGER, status TEXT);
INSERT INTO payments VALUES (1,'paid'),(2,'refund'),(3,'paid'),(4,NULL),(5,'refund'),(6,NULL),(7,'paid'),(8,'refund');
""")
exprs = [
    "SUM(CASE WHEN status = 'refund' THEN 1 ELSE 0 END)",
    "COUNT(CASE WHEN status = 'refund' THEN 1 ELSE 0 END)",
    "COUNT(CASE WHEN status = 'refund' THEN 1 END)",
    "COUNT(*) - COUNT(CASE WHEN status <> 'refund' THEN 1 END)",
    "COUNT(*) FILTER (WHERE status = 'refund')",
    "COUNT(status = 'refund')",
]
print("sql_aggregation.002: 8 rows, 3 refunds, 2 NULL status")
for e in exprs:
    print("   %-60s -> %s" % (e, q(db, "SELECT " + e + " FROM payments")[0][0]))

# ---- data_engineering.null_semantics.003: SUM(gross - refund) when refund is NULL ----
db = sqlite3.connect(":memory:")
db.executescript("""
CREATE TABLE order_lines (line_id INTEGER, gross INTEGER, refund INTEGER);
INSERT INTO order_lines VALUES (1,100,10),(2,50,NULL),(3,80,0),(4,40,NULL),(5,30,5);
""")
print("null_semantics.003: SUM(gross - refund) =", q(db, "SELECT SUM(gross - refund) FROM order_lines")[0][0],
      "; intended SUM(gross) - SUM(refund) =", q(db, "SELECT SUM(gross) - SUM(refund) FROM order_lines")[0][0],
      "; SUM(gross) =", q(db, "SELECT SUM(gross) FROM order_lines")[0][0])

# ---- data_engineering.null_semantics.001 (converted to numeric): NOT IN with a NULL in the subquery ----
db = sqlite3.connect(":memory:")
db.execute("CREATE TABLE users (user_id INTEGER)")
db.execute("CREATE TABLE banned (user_id INTEGER)")
db.executemany("INSERT INTO users VALUES (?)", [(i,) for i in range(10000)])
db.executemany("INSERT INTO banned VALUES (?)", [(i,) for i in range(49)] + [(None,)])
print("null_semantics.001: NOT IN rows =", q(db, "SELECT COUNT(*) FROM users WHERE user_id NOT IN (SELECT user_id FROM banned)")[0][0],
      "; NOT EXISTS rows =", q(db, "SELECT COUNT(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM banned b WHERE b.user_id = u.user_id)")[0][0])

# ---- data_engineering.window_functions.002 (re-rated hard): default frame with peer rows ----
db = sqlite3.connect(":memory:")
db.executescript("""
CREATE TABLE daily (day TEXT, amount INTEGER);
INSERT INTO daily VALUES ('2024-05-01',10),('2024-05-02',5),('2024-05-02',7),('2024-05-03',1);
""")
print("window_functions.002: RANGE default", q(db, "SELECT day, SUM(amount) OVER (ORDER BY day) FROM daily ORDER BY day"),
      "; ROWS frame", q(db, "SELECT day, SUM(amount) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) FROM daily ORDER BY day"))

# ---- data_engineering.window_functions.003 (converted to numeric): sessionization ----
db = sqlite3.connect(":memory:")
db.execute("CREATE TABLE clicks (ts INTEGER)")
db.executemany("INSERT INTO clicks VALUES (?)", [(t,) for t in (0, 10, 45, 50, 120, 125, 200)])
print("window_functions.003: session_id by ts", q(db, """
SELECT ts, SUM(new_session) OVER (ORDER BY ts) AS session_id
FROM (SELECT ts, CASE WHEN ts - LAG(ts) OVER (ORDER BY ts) > 30 THEN 1 ELSE 0 END AS new_session FROM clicks) t"""))

# ---- data_engineering.window_functions.004: a ROWS frame over a table with missing days ----
db = sqlite3.connect(":memory:")
db.execute("CREATE TABLE daily_sales (day TEXT, amount INTEGER)")
rows = [("2024-06-01", 5), ("2024-06-02", 3), ("2024-06-03", 4), ("2024-06-05", 6),
        ("2024-06-06", 2), ("2024-06-08", 7), ("2024-06-09", 1), ("2024-06-10", 8)]
db.executemany("INSERT INTO daily_sales VALUES (?, ?)", rows)
res = dict(q(db, """SELECT day, SUM(amount) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) FROM daily_sales"""))
cal = sum(a for d, a in rows if "2024-06-04" <= d <= "2024-06-10")
print("window_functions.004: sum_7d on 2024-06-10 =", res["2024-06-10"], "; calendar 7 days (06-04..06-10) =", cal,
      "; all rows to date =", sum(a for _, a in rows))

# ---- data_engineering.window_functions.005: gaps and islands with duplicate days ----
db = sqlite3.connect(":memory:")
db.execute("CREATE TABLE logins (user_id INTEGER, day INTEGER)")
days = [1, 2, 2, 3, 5, 6, 7, 7, 8, 10]
db.executemany("INSERT INTO logins VALUES (1, ?)", [(d,) for d in days])
buggy = """
SELECT MAX(n) FROM (
  SELECT COUNT(*) AS n
  FROM (SELECT day, day - ROW_NUMBER() OVER (ORDER BY day) AS grp
        FROM logins WHERE user_id = 1) t
  GROUP BY grp
) s"""
fixed = """
SELECT MAX(n) FROM (
  SELECT COUNT(*) AS n
  FROM (SELECT day, day - DENSE_RANK() OVER (ORDER BY day) AS grp
        FROM (SELECT DISTINCT day FROM logins WHERE user_id = 1)) t
  GROUP BY grp
) s"""
print("window_functions.005: buggy query returns", q(db, buggy)[0][0], "; groups",
      q(db, "SELECT grp, COUNT(*) FROM (SELECT day - ROW_NUMBER() OVER (ORDER BY day) AS grp FROM logins) GROUP BY grp ORDER BY grp"),
      "; true longest streak", q(db, fixed)[0][0],
      "; DENSE_RANK with COUNT(DISTINCT day)",
      q(db, "SELECT MAX(n) FROM (SELECT COUNT(DISTINCT day) AS n FROM (SELECT day, day - DENSE_RANK() OVER (ORDER BY day) AS grp FROM logins) GROUP BY grp)")[0][0],
      "; COUNT(DISTINCT day) per ROW_NUMBER group max",
      q(db, "SELECT MAX(n) FROM (SELECT COUNT(DISTINCT day) AS n FROM (SELECT day, day - ROW_NUMBER() OVER (ORDER BY day) AS grp FROM logins) GROUP BY grp)")[0][0])

# ---- data_engineering.query_plans.001: which predicates can use the index on created_at ----
db = sqlite3.connect(":memory:")
db.executescript("""
CREATE TABLE events (id INTEGER PRIMARY KEY, user_id INTEGER, created_at TEXT, payload TEXT);
CREATE INDEX events_created_at ON events (created_at);
""")
preds = [
    "created_at >= '2024-05-01' AND created_at < '2024-05-02'",
    "date(created_at) = '2024-05-01'",
    "created_at >= datetime('now', '-1 day')",
    "created_at >= '2024-05-01' OR user_id = 42",
    "created_at BETWEEN '2024-05-01 00:00:00' AND '2024-05-01 23:59:59'",
]
print("query_plans.001: EXPLAIN QUERY PLAN per predicate")
for p in preds:
    plan = " | ".join(r[-1] for r in q(db, "EXPLAIN QUERY PLAN SELECT * FROM events WHERE " + p))
    print("   %-70s -> %s" % (p, plan))

# ---- data_engineering.query_plans.002: independence assumption on correlated predicates ----
n, p_city, p_country = 100_000_000, 0.01, 0.02
print("query_plans.002: estimate under independence %d rows; actual (every Paris row is FR) %d rows; ratio %.0fx"
      % (n * p_city * p_country, n * p_city, (n * p_city) / (n * p_city * p_country)))

# ---- data_engineering.watermarks.002: how many events a watermark drops ----
arrivals = [1, 4, 12, 8, 16, 9, 21, 14, 27, 19, 11, 33, 24]
size, delay = 10, 5
max_seen, dropped, behind_wm, out_of_order = None, [], [], []
for t in arrivals:
    wm = None if max_seen is None else max_seen - delay
    if max_seen is not None and t < max_seen:
        out_of_order.append(t)
    if wm is not None and t < wm:
        behind_wm.append(t)
    end = (t // size + 1) * size
    if wm is not None and wm >= end:       # its window was finalized already
        dropped.append(t)
    max_seen = t if max_seen is None else max(max_seen, t)
print("watermarks.002: dropped", dropped, "=", len(dropped), "; behind the watermark", behind_wm, "=", len(behind_wm),
      "; out of order", out_of_order, "=", len(out_of_order))

# ---- data_engineering.cost.001: BigQuery on-demand cost of a dashboard query (LIMIT does not cut bytes read) ----
tib, parts, cols = 50, 400, 100
per_run_tib = tib * 4 / cols * 30 / parts
runs = 24 * 60 // 5
print("cost.001: %.4f TiB per run, %d runs/day, $%.2f/day; wrong: no pruning $%.0f, 3 columns $%.1f, all columns $%.0f"
      % (per_run_tib, runs, per_run_tib * 6.25 * runs, tib * 4 / cols * 6.25 * runs,
         tib * 3 / cols * 30 / parts * 6.25 * runs, tib * 30 / parts * 6.25 * runs))

# ---- data_engineering.backfills.001: partitions of a 30-day rolling feature touched by 3 bad days ----
bad = [dt.date(2024, 3, 10) + dt.timedelta(days=i) for i in range(3)]
today = dt.date(2024, 6, 1)
affected = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range((today - dt.date(2024, 1, 1)).days + 1)]
affected = [d for d in affected if any(d - dt.timedelta(days=29) <= b <= d for b in bad)]
print("backfills.001: %d partitions, %s .. %s" % (len(affected), affected[0], affected[-1]))

# ---- data_engineering.table_formats.002: copy-on-write rewrites whole files ----
print("table_formats.002: 200 files x 512 MiB = %.1f GiB written (whole table %.1f GiB)" % (200 * 512 / 1024, 1000 * 512 / 1024))

# ---- data_engineering.point_in_time.003: bitemporal as-of lookup ----
rows = [  # (as_of, ingested_at, balance)
    (dt.datetime(2024, 3, 4, 0), dt.datetime(2024, 3, 4, 2), 120),
    (dt.datetime(2024, 3, 5, 0), dt.datetime(2024, 3, 5, 9), 180),
    (dt.datetime(2024, 3, 5, 0), dt.datetime(2024, 3, 5, 15), 175),
]
t = dt.datetime(2024, 3, 5, 8)
known = [r for r in rows if r[0] <= t and r[1] <= t]
pit = max(known, key=lambda r: (r[0], r[1]))[2]
by_event = [r for r in rows if r[0] <= t]
latest_version = max(by_event, key=lambda r: (r[0], r[1]))[2]
first_version = min((r for r in by_event if r[0] == max(x[0] for x in by_event)), key=lambda r: r[1])[2]
print("point_in_time.003: point-in-time value", pit, "; as-of on as_of only, latest version", latest_version,
      "; first version", first_version)

# ---- data_engineering.data_modeling.002: a semi-additive balance measure ----
db = sqlite3.connect(":memory:")
db.execute("CREATE TABLE fact_balance (account_id INTEGER, day TEXT, balance INTEGER)")
acct = {1: [100] * 31, 2: [200] * 15 + [260] * 16}
for a, bal in acct.items():
    for d, v in enumerate(bal, start=1):
        db.execute("INSERT INTO fact_balance VALUES (?, ?, ?)", (a, "2024-03-%02d" % d, v))
print("data_modeling.002: month-end total", q(db, "SELECT SUM(balance) FROM fact_balance WHERE day = (SELECT MAX(day) FROM fact_balance)")[0][0],
      "; SUM over the month", q(db, "SELECT SUM(balance) FROM fact_balance")[0][0],
      "; average daily balance per account", q(db, "SELECT account_id, ROUND(AVG(balance), 2) FROM fact_balance GROUP BY account_id"))

# ---- data_engineering.backfills.002: static partition overwrite drops every other partition ----
# Spark is not on this machine: a model of DataFrameWriter.mode("overwrite").partitionBy("day") on a path,
# spark.sql.sources.partitionOverwriteMode = static (the default) versus dynamic.
existing = {"day=%s" % (dt.date(2023, 6, 1) + dt.timedelta(days=i)) for i in range(365)}
written = {"day=2024-01-0%d" % d for d in (3, 4, 5)}
static_after = set(written)                     # static: the whole output path is replaced
dynamic_after = (existing - written) | written  # dynamic: only the partitions present in the data
print("backfills.002: partitions after static overwrite %d, after dynamic overwrite %d" % (len(static_after), len(dynamic_after)))

# ---- the skill's length cues and key positions, as `bank lint` counts them (docs/bank-lint.md) ----
import json
import os
bank = json.load(open(os.path.join(os.path.dirname(__file__), "..", "..", "..", "data", "bank", "data_engineering.json")))
longest = shortest = 0.0
n, pos = 0, [0] * 5
for it in bank["items"]:
    if it.get("retired") or it["type"] != "mcq":
        continue
    lens = [len(o) for o in it["options"]]
    k = it["key"]
    longest += (lens[k] == max(lens)) / lens.count(max(lens))
    shortest += (lens[k] == min(lens)) / lens.count(min(lens))
    n += 1
    pos[k] += 1
print("length cues over %d mcq items: pick the longest %.1f%%, pick the shortest %.1f%%; key positions %s"
      % (n, 100 * longest / n, 100 * shortest / n, pos[:4]))

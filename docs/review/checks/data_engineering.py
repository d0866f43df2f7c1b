"""Checks of the numbers and claims in the new data_engineering items."""
import random, sqlite3, zlib
rng = random.Random(14)

# data_engineering.skew.001: hash partitioning puts a hot key in one partition, whatever the partition count;
# salting the hot key spreads it.
N = 200000
keys = ["0" if rng.random() < 0.30 else str(rng.randrange(10 ** 7)) for _ in range(N)]
for parts in (200, 2000):
    load = [0] * parts
    for k in keys:
        load[zlib.crc32(k.encode()) % parts] += 1
    print("skew.001: %4d partitions: largest %.1f%% of rows, median %.3f%%" % (parts, 100 * max(load) / N, 100 * sorted(load)[parts // 2] / N))
load = [0] * 200
for k in keys:
    salted = k + "#" + str(rng.randrange(64)) if k == "0" else k
    load[zlib.crc32(salted.encode()) % 200] += 1
print("   salted hot key into 64 sub-keys: largest %.1f%%" % (100 * max(load) / N))

# data_engineering.late_arriving.001: an inner join to the dimension drops facts whose customer is not loaded yet;
# an inferred (placeholder) member keeps them and is completed later without touching the facts.
db = sqlite3.connect(":memory:")
db.executescript("""
CREATE TABLE dim_customer (customer_key INTEGER PRIMARY KEY, customer_id TEXT UNIQUE, region TEXT, inferred INTEGER DEFAULT 0);
CREATE TABLE staged_orders (order_id INTEGER, customer_id TEXT, amount REAL);
CREATE TABLE fact_orders (order_id INTEGER, customer_key INTEGER, amount REAL);
INSERT INTO dim_customer (customer_id, region) VALUES ('c1', 'EU'), ('c2', 'US');
INSERT INTO staged_orders VALUES (1, 'c1', 10), (2, 'c2', 20), (3, 'c3', 30);  -- c3 signed up after the dimension load
""")
inner = db.execute("SELECT COUNT(*) FROM staged_orders s JOIN dim_customer d ON d.customer_id = s.customer_id").fetchone()[0]
db.executescript("""
INSERT INTO dim_customer (customer_id, region, inferred)
  SELECT DISTINCT s.customer_id, 'unknown', 1 FROM staged_orders s
  WHERE NOT EXISTS (SELECT 1 FROM dim_customer d WHERE d.customer_id = s.customer_id);
INSERT INTO fact_orders SELECT s.order_id, d.customer_key, s.amount FROM staged_orders s JOIN dim_customer d ON d.customer_id = s.customer_id;
-- next night the real c3 arrives: update the inferred row in place
UPDATE dim_customer SET region = 'APAC', inferred = 0 WHERE customer_id = 'c3' AND inferred = 1;
""")
facts = db.execute("SELECT COUNT(*) FROM fact_orders").fetchone()[0]
by_region = db.execute("SELECT d.region, SUM(f.amount) FROM fact_orders f JOIN dim_customer d USING (customer_key) GROUP BY d.region ORDER BY 1").fetchall()
print("late_arriving.001: inner join keeps %d of 3 orders; with an inferred member %d, revenue by region after the update %s" % (inner, facts, by_region))

# ---- numeric and multiple-select items ----
# data_engineering.sql_joins.003: inner join row count with duplicate keys and NULLs.
db = sqlite3.connect(":memory:")
db.executescript("""
CREATE TABLE a (k INTEGER); INSERT INTO a VALUES (1), (1), (2), (3), (NULL);
CREATE TABLE b (k INTEGER); INSERT INTO b VALUES (1), (1), (1), (2), (NULL), (NULL);
""")
print("sql_joins.003: inner join rows =", db.execute("SELECT COUNT(*) FROM a JOIN b ON a.k = b.k").fetchone()[0],
      "; left join rows =", db.execute("SELECT COUNT(*) FROM a LEFT JOIN b ON a.k = b.k").fetchone()[0])

# data_engineering.streaming.005: 6 partitions, 50k msg/s in, each consumer 7k msg/s; 10 consumers.
parts, consumers, rate_in, per = 6, 10, 50000, 7000
active = min(parts, consumers)
print("streaming.005: active consumers %d, capacity %d msg/s, lag growth %d msg/s" % (active, active * per, rate_in - active * per))

# data_engineering.streaming.006: dedup state for 24 h of event ids at 5,000 events/s, 64 bytes per entry.
print("streaming.006: state size %.2f GB (1e9 bytes)" % (5000 * 86400 * 64 / 1e9))

# data_engineering.null_semantics.002: which predicates keep the row whose discount is NULL.
db.executescript("CREATE TABLE o (id INTEGER, discount REAL); INSERT INTO o VALUES (1, NULL), (2, 5), (3, 0);")
preds = ["discount IS NULL", "discount = NULL", "COALESCE(discount, 0) = 0", "NOT (discount > 0)",
         "discount IS DISTINCT FROM 5", "discount <> 5"]
for p in preds:
    ids = [r[0] for r in db.execute(f"SELECT id FROM o WHERE {p} ORDER BY id")]
    print("null_semantics.002: %-28s -> ids %s (NULL row kept: %s)" % (p, ids, 1 in ids))

# data_engineering.data_types.001: float sums of money drift; integer cents and decimals do not.
from decimal import Decimal
amounts = ["19.99", "0.10", "0.20", "5.05"] * 250000
fl = 0.0
for x in amounts:
    fl += float(x)
cents = sum(int(Decimal(x) * 100) for x in amounts)
dec = sum(Decimal(x) for x in amounts)
print("data_types.001: float sum %.10f, integer cents %d, decimal %s" % (fl, cents, dec))

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

"""Checks for the fourth batch of MCQs (itemsA, expert-aimed), one block per item id."""
import math, random, sqlite3
rng = random.Random(77)

# linear_algebra.conjugate_gradient.001: CG iterations grow like sqrt(kappa).
def cg_iters(eigs, tol=1e-8):
    n = len(eigs); b = [1.0] * n; x = [0.0] * n
    r = b[:]; p = r[:]; rr = sum(v * v for v in r); b0 = math.sqrt(rr)
    for k in range(1, 10 * n):
        Ap = [e * v for e, v in zip(eigs, p)]
        a = rr / sum(u * v for u, v in zip(p, Ap))
        x = [xi + a * pi for xi, pi in zip(x, p)]
        r = [ri - a * api for ri, api in zip(r, Ap)]
        rr2 = sum(v * v for v in r)
        if math.sqrt(rr2) < tol * b0:
            return k
        p = [ri + rr2 / rr * pi for ri, pi in zip(r, p)]
        rr = rr2
    return None
n = 2000
for kappa in (1e2, 1e4, 1e6):
    eigs = [kappa ** (i / (n - 1)) for i in range(n)]   # log-spaced spectrum from 1 to kappa
    print("conjugate_gradient.001: kappa %.0e -> %s iterations (sqrt kappa %.0f)" % (kappa, cg_iters(eigs), math.sqrt(kappa)))

# probability_statistics.autocorrelation.001: AR(1) with rho 0.8: true SE of the mean vs naive.
rho, N, reps = 0.8, 400, 2000
means, naive = [], []
for _ in range(reps):
    x = rng.gauss(0, 1 / math.sqrt(1 - rho * rho)); xs = []
    for _ in range(N):
        x = rho * x + rng.gauss(0, 1); xs.append(x)
    m = sum(xs) / N; means.append(m)
    naive.append(math.sqrt(sum((v - m) ** 2 for v in xs) / (N - 1) / N))
mm = sum(means) / reps; true_se = math.sqrt(sum((v - mm) ** 2 for v in means) / reps)
print("autocorrelation.001: true SE / naive SE = %.2f (theory sqrt((1+rho)/(1-rho)) = %.2f)" % (true_se / (sum(naive) / reps), math.sqrt((1 + rho) / (1 - rho))))

# calculus_optimization.proximal.001: ISTA gives exact zeros, subgradient descent does not.
X = [[rng.gauss(0, 1) for _ in range(5)] for _ in range(40)]
wt = [2.0, 0.0, 0.0, -1.5, 0.0]
y = [sum(a * b for a, b in zip(r, wt)) + 0.1 * rng.gauss(0, 1) for r in X]
lam, L = 5.0, 0.0
XtX = [[sum(X[k][i] * X[k][j] for k in range(40)) for j in range(5)] for i in range(5)]
L = max(sum(abs(v) for v in row) for row in XtX)      # a bound on the largest eigenvalue (Gershgorin)
def grad(w):
    res = [sum(a * b for a, b in zip(r, w)) - yy for r, yy in zip(X, y)]
    return [sum(X[k][j] * res[k] for k in range(40)) for j in range(5)]
w = [0.0] * 5
for _ in range(3000):
    g = grad(w); z = [wi - gi / L for wi, gi in zip(w, g)]
    w = [math.copysign(max(abs(v) - lam / L, 0.0), v) for v in z]
ws = [0.0] * 5
for t in range(1, 3001):
    g = grad(ws); sg = [gi + lam * (1 if wi > 0 else -1 if wi < 0 else 0) for gi, wi in zip(g, ws)]
    ws = [wi - (0.5 / L) / math.sqrt(t) * s for wi, s in zip(ws, sg)]
print("proximal.001: ISTA weights %s" % " ".join("%.4f" % v for v in w))
print("   subgradient weights %s" % " ".join("%.2e" % v for v in ws))

# algorithms_data_structures.top_k.001: merging per-shard top-k of summed counts is not exact.
shards = []
for s in range(100):
    c = {"q_popular": 50}                       # 50 on every shard: 5,000 in total, never in a local top 3
    c.update({f"q_local{s}_{i}": 200 + i for i in range(3)})   # 3 shard-specific queries of 200-202
    shards.append(c)
true_tot = {}
for c in shards:
    for k, v in c.items():
        true_tot[k] = true_tot.get(k, 0) + v
true_top = sorted(true_tot, key=lambda k: -true_tot[k])[:3]
cand = {}
for c in shards:
    for k in sorted(c, key=lambda k: -c[k])[:3]:
        cand[k] = cand.get(k, 0) + c[k]
merged_top = sorted(cand, key=lambda k: -cand[k])[:3]
print("top_k.001: true top 3 %s (q_popular %d); merged local top-3 lists give %s" % (true_top, true_tot["q_popular"], merged_top))

# software_engineering.numerics.002: E[x^2] - E[x]^2 on epoch timestamps cancels catastrophically.
ts = [1.7e9 + rng.uniform(0, 100) for _ in range(10000)]
m = sum(ts) / len(ts)
naive_var = sum(t * t for t in ts) / len(ts) - m * m
two_pass = sum((t - m) ** 2 for t in ts) / len(ts)
print("numerics.002: naive variance %.3f, two-pass %.3f (true about 100^2/12 = %.1f)" % (naive_var, two_pass, 100 ** 2 / 12))

# data_engineering.cdc.001: out-of-order CDC events: blind overwrite vs version-guarded upsert.
db = sqlite3.connect(":memory:")
db.execute("CREATE TABLE t (id INT PRIMARY KEY, email TEXT, lsn INT)")
events = [(1, "a@x", 100), (1, "c@x", 300), (1, "b@x", 200)]    # the update with LSN 200 arrives last
for i, e, l in events:
    db.execute("INSERT INTO t VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET email = excluded.email, lsn = excluded.lsn", (i, e, l))
blind = db.execute("SELECT email FROM t").fetchone()[0]
db.execute("DELETE FROM t")
for i, e, l in events:
    db.execute("INSERT INTO t VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET email = excluded.email, lsn = excluded.lsn WHERE excluded.lsn > t.lsn", (i, e, l))
guarded = db.execute("SELECT email FROM t").fetchone()[0]
print("cdc.001: blind upsert ends with %s, version-guarded upsert ends with %s (latest is c@x)" % (blind, guarded))

# data_analysis.effect_scales.001: 2% -> 3% and 20% -> 25%.
print("effect_scales.001: A +%.0f pp (%.0f%% relative), B +%.0f pp (%.0f%% relative); odds ratios %.2f and %.2f"
      % (1, 50, 5, 25, (0.03 / 0.97) / (0.02 / 0.98), (0.25 / 0.75) / (0.2 / 0.8)))

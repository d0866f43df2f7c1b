"""Checks for the third batch of MCQs (itemsA, hard and expert-aimed), one block per item id."""
import math, random, sys, os, sqlite3
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(__file__))
from la import matmul, T, eye, add, inv, rank, sym_eig, svd, fro, randn
rng = random.Random(2026)

# linear_algebra.sherman_morrison.001: rank-1 update of an inverse.
d = 5
A = add(matmul(T(randn(8, d, rng)), randn(8, d, rng)), eye(d, 3.0))
A = [[(A[i][j] + A[j][i]) / 2 for j in range(d)] for i in range(d)]
Ai = inv(A); x = [[rng.gauss(0, 1)] for _ in range(d)]
Aix = matmul(Ai, x); den = 1 + matmul(T(x), Aix)[0][0]
SM = add(Ai, [[-Aix[i][0] * Aix[j][0] / den for j in range(d)] for i in range(d)])
direct = inv(add(A, matmul(x, T(x))))
print("sherman_morrison.001: max |SM - direct inverse| = %.2e" % max(abs(SM[i][j] - direct[i][j]) for i in range(d) for j in range(d)))
changed = sum(1 for i in range(d) for j in range(d) if abs(direct[i][j] - Ai[i][j]) > 1e-12)
print("   entries of the inverse that change: %d of %d" % (changed, d * d))

# linear_algebra.orthogonal.001: exp(A - A^T) is orthogonal with det +1.
def expm(M, terms=40):
    n = len(M); R = eye(n); P = eye(n)
    for k in range(1, terms):
        P = [[v / k for v in row] for row in matmul(P, M)]
        R = add(R, P)
    return R
def det(M):
    M = [row[:] for row in M]; n = len(M); dt = 1.0
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        if abs(M[p][c]) < 1e-15: return 0.0
        if p != c: M[c], M[p] = M[p], M[c]; dt = -dt
        dt *= M[c][c]
        for r in range(c + 1, n):
            f = M[r][c] / M[c][c]; M[r] = [a - f * b for a, b in zip(M[r], M[c])]
    return dt
B = randn(4, 4, rng); S = add(B, [[-v for v in row] for row in T(B)])
Q = expm(S)
print("orthogonal.001: ||Q^T Q - I|| = %.2e, det Q = %.6f" % (fro(add(matmul(T(Q), Q), [[-v for v in r] for r in eye(4)])), det(Q)))
E2 = expm(B)
print("   exp(B) for a general B: ||E^T E - I|| = %.2f" % fro(add(matmul(T(E2), E2), [[-v for v in r] for r in eye(4)])))

# linear_algebra.determinant.002: det of a 2000x2000 covariance underflows; slogdet via Cholesky does not.
eigs = [0.5] * 2000           # a well-conditioned covariance with all eigenvalues 0.5
print("determinant.002: det = 0.5^2000 = %r in float64; log det = %.1f" % (0.5 ** 2000, 2000 * math.log(0.5)))
def cholesky(M):
    n = len(M); L = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = sum(L[i][k] * L[j][k] for k in range(j))
            L[i][j] = math.sqrt(M[i][i] - s) if i == j else (M[i][j] - s) / L[j][j]
    return L
C = add(eye(6, 0.5), [[0.1 * (i == j + 1 or j == i + 1) for j in range(6)] for i in range(6)])
L = cholesky(C)
print("   6x6 check: 2*sum log diag(L) = %.6f, log det = %.6f" % (2 * sum(math.log(L[i][i]) for i in range(6)), math.log(det(C))))

# linear_algebra.associativity.001: cost of X^T (X w) vs (X^T X) w.
n_, d_ = 10 ** 6, 10 ** 3
print("associativity.001: (X^T X) w costs ~%.1e multiply-adds, X^T (X w) ~%.1e" % (n_ * d_ * d_ + d_ * d_, 2 * n_ * d_))

# probability_statistics.permutation_tests.001: permutation test of a mean difference, equal means, unequal
# variances and sizes: not exact for "equal means".
def perm_reject(n1, s1, n2, s2, reps=300, perms=200, alpha=0.05):
    rej = 0
    for _ in range(reps):
        a = [rng.gauss(0, s1) for _ in range(n1)]; b = [rng.gauss(0, s2) for _ in range(n2)]
        obs = abs(sum(a) / n1 - sum(b) / n2)
        pool = a + b; cnt = 0
        for _ in range(perms):
            rng.shuffle(pool)
            if abs(sum(pool[:n1]) / n1 - sum(pool[n1:]) / n2) >= obs:
                cnt += 1
        if (cnt + 1) / (perms + 1) <= alpha:
            rej += 1
    return rej / reps
print("permutation_tests.001: rejection rate, equal means, n=10 sd=5 vs n=100 sd=1: %.3f" % perm_reject(10, 5, 100, 1))
print("   same sizes and variances (n=10 sd=1 vs n=100 sd=1): %.3f" % perm_reject(10, 1, 100, 1))
# Welch's t statistic as the comparison (normal approximation)
rej = 0
for _ in range(2000):
    a = [rng.gauss(0, 5) for _ in range(10)]; b = [rng.gauss(0, 1) for _ in range(100)]
    ma, mb = sum(a) / 10, sum(b) / 100
    va = sum((x - ma) ** 2 for x in a) / 9; vb = sum((x - mb) ** 2 for x in b) / 99
    t = (ma - mb) / math.sqrt(va / 10 + vb / 100)
    rej += abs(t) > 2.26   # t quantile with about 9 df
print("   Welch test rejection rate: %.3f" % (rej / 2000))

# probability_statistics.censoring.001: exponential MLE with right-censoring = failures / total time at risk.
lam_true = 1 / 5000.0
n, Tend = 100, 1000.0
est_mle, est_failed_only, est_naive = [], [], []
for _ in range(3000):
    times = [rng.expovariate(lam_true) for _ in range(n)]
    fails = [t for t in times if t <= Tend]
    k = len(fails)
    if k == 0:
        continue
    exposure = sum(fails) + (n - k) * Tend
    est_mle.append(k / exposure)
    est_failed_only.append(k / sum(fails))
    est_naive.append(k / (n * Tend))
avg = lambda v: sum(v) / len(v)
print("censoring.001: true rate %.2e; failures/total time at risk %.2e; failures/failed units' time %.2e; failures/(n*T) %.2e"
      % (lam_true, avg(est_mle), avg(est_failed_only), avg(est_naive)))

# calculus_optimization.implicit_differentiation.001: ridge w*(lam) = (X^T X + lam I)^-1 X^T y; dw*/dlam = -(X^T X + lam I)^-1 w*.
X = randn(12, 3, rng); y = [[rng.gauss(0, 1)] for _ in range(12)]
def wstar(lam):
    return matmul(inv(add(matmul(T(X), X), eye(3, lam))), matmul(T(X), y))
lam, h = 0.7, 1e-6
fd = [(a[0] - b[0]) / (2 * h) for a, b in zip(wstar(lam + h), wstar(lam - h))]
impl = [v[0] for v in matmul(inv(add(matmul(T(X), X), eye(3, lam))), wstar(lam))]
print("implicit_differentiation.001: finite differences %s; -(X^T X + lam I)^-1 w* %s"
      % (" ".join("%.6f" % v for v in fd), " ".join("%.6f" % -v for v in impl)))
wrong = [-v[0] for v in wstar(lam)]
print("   -w* (ignoring the inverse) %s" % " ".join("%.6f" % v for v in wrong))

# calculus_optimization.distillation.001: gradient of KL(softmax(t/T) || softmax(z/T)) w.r.t. student logits z shrinks like 1/T^2.
def softmax(v):
    m = max(v); e = [math.exp(x - m) for x in v]; s = sum(e); return [x / s for x in e]
t = [2.0, 0.5, -1.0, 0.0]; z = [1.0, 1.0, -0.5, 0.2]
for Tt in (1, 2, 4, 8, 16):
    p = softmax([x / Tt for x in t]); q = softmax([x / Tt for x in z])
    g = [(qi - pi) / Tt for qi, pi in zip(q, p)]
    nrm = math.sqrt(sum(v * v for v in g))
    print("distillation.001: T=%2d |grad| = %.5f, T^2 |grad| = %.4f" % (Tt, nrm, Tt * Tt * nrm))

# algorithms_data_structures.heavy_hitters.001: Misra-Gries with k-1 counters.
def misra_gries(stream, k):
    c = {}
    for x in stream:
        if x in c:
            c[x] += 1
        elif len(c) < k - 1:
            c[x] = 1
        else:
            for key in list(c):
                c[key] -= 1
                if c[key] == 0:
                    del c[key]
    return c
n = 200000
stream = []
for i in range(n):
    r = rng.random()
    stream.append("A" if r < 0.15 else "B" if r < 0.27 else "C" if r < 0.33 else "u%d" % rng.randrange(10 ** 6))
rng.shuffle(stream)
mg = misra_gries(stream, 10)
true = {x: stream.count(x) for x in ("A", "B", "C")}
print("heavy_hitters.001: true counts %s; Misra-Gries (9 counters) %s; n/k = %d"
      % (true, {x: mg.get(x) for x in ("A", "B", "C")}, n // 10))
print("   counters kept: %d, all items above n/10 kept: %s, max undercount %d"
      % (len(mg), all(x in mg for x in true if true[x] > n / 10), max(true[x] - mg.get(x, 0) for x in true)))

# algorithms_data_structures.dags.001: critical path of a task DAG = longest path, O(V+E) in topological order.
dur = {"extract": 30, "clean": 20, "features": 45, "labels": 15, "train": 60, "eval": 10, "report": 5}
deps = {"clean": ["extract"], "features": ["clean"], "labels": ["extract"], "train": ["features", "labels"],
        "eval": ["train"], "report": ["eval", "labels"]}
order = ["extract", "clean", "labels", "features", "train", "eval", "report"]
finish = {}
for t in order:
    finish[t] = dur[t] + max((finish[d] for d in deps.get(t, [])), default=0)
print("dags.001: earliest finish of the whole pipeline = %d minutes (sum of all durations %d)" % (max(finish.values()), sum(dur.values())))

# software_engineering.nondeterminism.001: floating-point addition is not associative; the reduction order
# (which depends on batch size in many kernels) changes the last bits, which can flip a near-tie argmax.
import struct
def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]
vals = [f32(rng.gauss(0, 1)) for _ in range(4096)]
def sum32(xs):
    s = 0.0
    for x in xs:
        s = f32(s + x)
    return s
def chunked(xs, c):
    parts = [sum32(xs[i:i + c]) for i in range(0, len(xs), c)]
    return sum32(parts)
print("nondeterminism.001: float32 sums of the same 4096 values: sequential %.9g, chunks of 64 %.9g, chunks of 256 %.9g"
      % (sum32(vals), chunked(vals, 64), chunked(vals, 256)))
a_seq, a_ch = sum32(vals), chunked(vals, 64)
other = (a_seq + a_ch) / 2          # a competing logit that falls between the two results
print("   argmax(logit, competitor) flips: %s" % ((a_seq > other) != (a_ch > other)))

# data_engineering.scd2_joins.001: inclusive BETWEEN on both ends double-matches facts on the change date.
db = sqlite3.connect(":memory:")
db.executescript("""
CREATE TABLE dim_customer (customer_id INT, region TEXT, valid_from TEXT, valid_to TEXT);
INSERT INTO dim_customer VALUES (7, 'North', '2024-01-01', '2024-06-15'), (7, 'South', '2024-06-15', '9999-12-31');
CREATE TABLE fact_sales (customer_id INT, sale_date TEXT, amount REAL);
INSERT INTO fact_sales VALUES (7, '2024-03-01', 100), (7, '2024-06-15', 50), (7, '2024-09-01', 80);
""")
between = db.execute("""SELECT COUNT(*), SUM(f.amount) FROM fact_sales f JOIN dim_customer d
  ON d.customer_id = f.customer_id AND f.sale_date BETWEEN d.valid_from AND d.valid_to""").fetchone()
half = db.execute("""SELECT COUNT(*), SUM(f.amount) FROM fact_sales f JOIN dim_customer d
  ON d.customer_id = f.customer_id AND f.sale_date >= d.valid_from AND f.sale_date < d.valid_to""").fetchone()
print("scd2_joins.001: BETWEEN: %d rows, revenue %.0f; half-open: %d rows, revenue %.0f (true 230)" % (between + half))

# data_analysis.length_bias.001: sessions sampled at random moments are length-biased: mean E[L^2]/E[L].
sessions = [rng.expovariate(1 / 15) for _ in range(200000)]
import bisect, itertools
starts = list(itertools.accumulate([0.0] + sessions[:-1]))
total = starts[-1] + sessions[-1]
picked = []
for _ in range(50000):
    t = rng.random() * total
    i = bisect.bisect_right(starts, t) - 1
    picked.append(sessions[i])
print("length_bias.001: mean session %.1f min; mean of sessions in progress at random moments %.1f min (theory 30)"
      % (sum(sessions) / len(sessions), sum(picked) / len(picked)))

# data_analysis.ecological.001: individual correlation weak, correlation of regional averages strong.
xs, ys, reg = [], [], []
for r in range(50):
    u = rng.gauss(0, 1)
    for _ in range(400):
        xs.append(u + rng.gauss(0, 2)); ys.append(u + rng.gauss(0, 2)); reg.append(r)
def pearson(a, b):
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    return cov / math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))
mx = [sum(xs[r * 400:(r + 1) * 400]) / 400 for r in range(50)]
my = [sum(ys[r * 400:(r + 1) * 400]) / 400 for r in range(50)]
print("ecological.001: individual-level r = %.2f, region-average r = %.2f" % (pearson(xs, ys), pearson(mx, my)))

# experimentation.quantile_effects.001: a drop in p95 does not mean most requests got faster.
ctrl = [rng.lognormvariate(4.0, 0.6) for _ in range(100000)]
# treatment: every request under 150 ms gets 5 ms slower, every slower one 25% faster
treat = [x + 5 if x < 150 else 0.75 * x for x in ctrl]
q = lambda v, p: sorted(v)[int(p * len(v))]
print("quantile_effects.001: p95 control %.0f ms, treatment %.0f ms; share of requests that got slower %.0f%%"
      % (q(ctrl, 0.95), q(treat, 0.95), 100 * sum(1 for a, b in zip(ctrl, treat) if b > a) / len(ctrl)))

# experimentation.carryover.001: re-using the same hash buckets across experiments carries old effects.
# users of buckets 0-49 were in experiment 1's treatment, which lifted their engagement by 3% durably;
# experiment 2 re-uses the split: treatment = buckets 0-49 again. Its true effect is 0.
base = 1.0
print("carryover.001: experiment 2 measures %.1f%% with re-used buckets, 0.0%% with a fresh hash salt" % (100 * ((base * 1.03) / base - 1)))

# experimentation.balance_checks.001: 20 independent pre-treatment covariates at the 5% level.
print("balance_checks.001: P(at least one of 20 significant by chance) = %.2f" % (1 - 0.95 ** 20))

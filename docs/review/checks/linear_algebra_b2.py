"""Checks of the numbers in the second batch of linear_algebra items for issue 14
(run: python3 docs/review/checks/linear_algebra_b2.py; plain Python, seeded)."""
import math, random, sys, os
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(__file__))
from la import matmul, T, eye, add, inv, rank, sym_eig, svd, fro, randn

rng = random.Random(1402)

# random_matrix.001: spectral norm of an n x n matrix with N(0, 1/n) entries is about 2 (Bai-Yin),
# while a random unit input is stretched by about 1.
n = 300
W = [[rng.gauss(0, 1 / math.sqrt(n)) for _ in range(n)] for _ in range(n)]
def mv(A, x): return [sum(a * b for a, b in zip(r, x)) for r in A]
Wt = T(W)
x = [rng.gauss(0, 1) for _ in range(n)]; nx = math.sqrt(sum(v * v for v in x)); x = [v / nx for v in x]
print("random_matrix.001: ||Wx|| for a random unit x =", round(math.sqrt(sum(v * v for v in mv(W, x))), 3))
v = x[:]
for _ in range(300):
    v = mv(Wt, mv(W, v)); s = math.sqrt(sum(t * t for t in v)); v = [t / s for t in v]
sig = math.sqrt(sum(t * t for t in mv(W, v)))
print("   spectral norm (power iteration on W^T W, n = 300) =", round(sig, 3), "(-> 2 as n grows; finite-n value slightly below 2)")

# min_norm.001: y = 3 x1, x2 = 2 x1 duplicated (scaled) column; gradient descent from 0 converges to the
# minimum-norm solution w1 + 2 w2 = 3 -> w = 3 (1, 2) / 5.
xs = [rng.gauss(0, 1) for _ in range(50)]
X = [[a, 2 * a] for a in xs]; y = [3 * a for a in xs]
w = [0.0, 0.0]
for _ in range(5000):
    r = [w[0] * a + w[1] * b - t for (a, b), t in zip(X, y)]
    g = [sum(ri * row[j] for ri, row in zip(r, X)) / len(X) for j in range(2)]
    w = [w[j] - 0.05 * g[j] for j in range(2)]
print("min_norm.001: GD from 0 ->", [round(t, 4) for t in w], " (min-norm: 0.6, 1.2)")
w = [1.0, 0.0]
for _ in range(5000):
    r = [w[0] * a + w[1] * b - t for (a, b), t in zip(X, y)]
    g = [sum(ri * row[j] for ri, row in zip(r, X)) / len(X) for j in range(2)]
    w = [w[j] - 0.05 * g[j] for j in range(2)]
print("   GD from (1, 0) ->", [round(t, 4) for t in w], " (depends on the start: not min-norm)")

# conditioning.003: 50 standardized features, all pairwise correlations 0.9.
p, rho = 50, 0.9
C = [[1.0 if i == j else rho for j in range(p)] for i in range(p)]
ev = sorted(sym_eig(C)[0])
print("conditioning.003: eigenvalues min/max =", round(ev[0], 4), round(ev[-1], 4), " cond =", round(ev[-1] / ev[0], 2))

# ridge_dof.001: effective degrees of freedom trace(X (X^T X + lam I)^-1 X^T) = sum d^2/(d^2+lam).
d = [10.0, 3.0, 1.0]; lam = 1.0
print("ridge_dof.001: sum d^2/(d^2+lam) =", round(sum(s * s / (s * s + lam) for s in d), 4))
# with a concrete X having those singular values (X = U diag(d) V^T, U 5x3 orthonormal columns)
A = randn(5, 3, rng)
# Gram-Schmidt for U
U = []
for j in range(3):
    c = [A[i][j] for i in range(5)]
    for u in U:
        dp = sum(a * b for a, b in zip(c, u)); c = [a - dp * b for a, b in zip(c, u)]
    nc = math.sqrt(sum(a * a for a in c)); U.append([a / nc for a in c])
Xr = [[U[j][i] * d[j] for j in range(3)] for i in range(5)]
H = matmul(Xr, matmul(inv(add(matmul(T(Xr), Xr), eye(3, lam))), T(Xr)))
print("   trace of the ridge hat matrix on a 5x3 X =", round(sum(H[i][i] for i in range(5)), 4), " (OLS would give 3)")

# conditioning.004: feature with mean 100, SD 1, plus intercept column: X^T X / n = [[1, 100], [100, 10001]].
M = [[1.0, 100.0], [100.0, 10001.0]]
tr, det = 10002.0, 1.0
lmax = (tr + math.sqrt(tr * tr - 4 * det)) / 2; lmin = det / lmax
print("conditioning.004: cond (uncentered) = %.4e" % (lmax / lmin), " naive guess (SD ratio squared) = 1e4;"
      " centered: cond = 1")

# anisotropy.001: u = m + a, v = m + b, ||m|| = 3, a, b unit, orthogonal to each other and to m.
m, a, b = [3.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]
u = [p + q for p, q in zip(m, a)]; w2 = [p + q for p, q in zip(m, b)]
cos = sum(p * q for p, q in zip(u, w2)) / math.sqrt(sum(p * p for p in u) * sum(q * q for q in w2))
print("anisotropy.001: raw cosine =", round(cos, 4), " after removing the mean: 0")

# compression.001: rank-r factorization of a 4096 x 11008 matrix saves parameters iff r (m + n) < m n.
mm, nn = 4096, 11008
print("compression.001: break-even rank m n / (m + n) =", round(mm * nn / (mm + nn), 2), "-> largest saving r =",
      math.ceil(mm * nn / (mm + nn)) - 1)

# lora.001: B = 0 at init -> Delta W = 0; grad_A = B^T G = 0; grad_B = G A^T != 0; rank(B1 A1 + B2 A2) can be 2r.
r, dd = 2, 6
A1, B1 = randn(r, dd, rng), [[0.0] * r for _ in range(dd)]
G = randn(dd, dd, rng)
gA = matmul(T(B1), G); gB = matmul(G, T(A1))
print("lora.001: |grad_A| =", round(fro(gA), 4), " |grad_B| =", round(fro(gB), 4))
P1 = matmul(randn(dd, r, rng), randn(r, dd, rng)); P2 = matmul(randn(dd, r, rng), randn(r, dd, rng))
print("   rank of a sum of two rank-2 updates (6x6):", rank(add(P1, P2)))

# singular_values.001: which operations keep singular values.
Wm = randn(4, 3, rng)
def sv(A): return sorted(round(s, 6) for s in svd(A)[1])
Q = svd(randn(4, 4, rng))[0]
print("singular_values.001: W", sv(Wm))
print("   QW", sv(matmul(Q, Wm)), " W^T", sv(T(Wm)), " row-permuted", sv([Wm[2], Wm[0], Wm[3], Wm[1]]))
print("   diag-scaled rows", sv([[2 * x for x in Wm[0]]] + Wm[1:]), " W + 1 (all entries)", sv([[x + 1 for x in r] for r in Wm]))
print("   -W", sv([[-x for x in r] for r in Wm]))

# converted items
print("svd.001: sqrt(5) =", round(math.sqrt(5), 4))
print("conditioning.001: (100 + 1) / (0.01 + 1) =", round(101 / 1.01, 4))
print("svd.002: 900 / (900 + 400 + 100) =", round(900 / 1400, 4))
print("eigen.001: rank <= n - 1 = 49 -> zero eigenvalues >= 200 - 49 =", 200 - 49)
Xc = randn(5, 8, rng); mu = [sum(Xc[i][j] for i in range(5)) / 5 for j in range(8)]
Xc = [[Xc[i][j] - mu[j] for j in range(8)] for i in range(5)]
print("   check 5 samples x 8 features: rank of centered covariance =", rank(matmul(T(Xc), Xc)))
Wn = [[1.0, 10.0], [0.0, 1.0]]
print("norms.002: top singular value of [[1,10],[0,1]] =", round(max(svd(Wn)[1]), 4), " (= 5 + sqrt(26) =", round(5 + math.sqrt(26), 4), ")")
Xp = randn(6, 2, rng); yp = [[rng.gauss(0, 1)] for _ in range(6)]
f = matmul(Xp, matmul(inv(matmul(T(Xp), Xp)), matmul(T(Xp), yp))); rr = [[a[0] - b[0]] for a, b in zip(yp, f)]
print("projection.001: X^T r =", [round(t[0], 10) for t in matmul(T(Xp), rr)], " f.r =", round(sum(a[0] * b[0] for a, b in zip(f, rr)), 10),
      " sum r =", round(sum(t[0] for t in rr), 4), " y.r =", round(sum(a[0] * b[0] for a, b in zip(yp, rr)), 4))


# embedding_memory.001: 50,000 x 4,096 bf16 entries.
print("embedding_memory.001:", 50000 * 4096 * 2 / 1e6, "MB")

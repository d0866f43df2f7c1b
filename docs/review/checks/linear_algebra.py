"""Checks of the numbers and claims in the new linear_algebra items (run: python3 docs/review/checks/linear_algebra.py)."""
import math, random, sys, os
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(__file__))
from la import matmul, T, eye, add, inv, rank, sym_eig, svd, fro, randn

rng = random.Random(14)

# linear_algebra.attention.001: logits QK^T of rank <= d, but exp(QK^T) (and the row-normalized softmax) full rank.
n, d = 10, 2
Q, K = randn(n, d, rng), randn(n, d, rng)
S = matmul(Q, T(K))
E = [[math.exp(x) for x in r] for r in S]
P = [[x / sum(r) for x in r] for r in E]
print("attention.001: rank S =", rank(S), " rank exp(S) =", rank(E), " rank softmax(S) =", rank(P))
assert rank(S) == d and rank(P) == n
# "rank at most d+1" distractor is false too: P has rank n = 10 > 3.

# linear_algebra.kernels.001: -0.3 is far above what rounding can produce at scale 150 in float64.
print("kernels.001: rounding-level eigenvalue error ~ n*eps*||K|| =", 2000 * 2.2e-16 * 150)
# and scaling a matrix by a positive constant does not change eigenvalue signs:
M = [[1.0, 2.0], [2.0, 1.0]]
print("   eig of [[1,2],[2,1]]:", sorted(sym_eig(M)[0]), "scaled by 1/150:", sorted(sym_eig([[x / 150 for x in r] for r in M])[0]))

# linear_algebra.least_squares.004: push-through identity (X^T X + lam I)^-1 X^T y = X^T (X X^T + lam I)^-1 y.
n, d, lam = 3, 6, 0.7
X = randn(n, d, rng); y = [[rng.gauss(0, 1)] for _ in range(n)]
w_primal = matmul(inv(add(matmul(T(X), X), eye(d, lam))), matmul(T(X), y))
w_dual = matmul(T(X), matmul(inv(add(matmul(X, T(X)), eye(n, lam))), y))
w_shrunk = [[v[0] / (1 + lam)] for v in matmul(T(X), matmul(inv(matmul(X, T(X))), y))]
diff = lambda a, b: max(abs(p[0] - q[0]) for p, q in zip(a, b))
print("least_squares.004: primal vs dual", diff(w_primal, w_dual), " primal vs shrunk min-norm", diff(w_primal, w_shrunk))
assert diff(w_primal, w_dual) < 1e-9 and diff(w_primal, w_shrunk) > 1e-3
# cost: d x d system ~ d^3/3 flops vs forming XX^T (n^2 d) + n^3/3
nn, dd = 2000, 200000
print("   flops d^3/3 = %.2g, n^2 d + n^3/3 = %.2g" % (dd ** 3 / 3, nn * nn * dd + nn ** 3 / 3))

# linear_algebra.procrustes.001: min ||XR - Y||_F over orthogonal R is R = U V^T with U S V^T = svd(X^T Y).
d, n = 3, 12
R_true = None
A = randn(d, d, rng)
# random orthogonal matrix via Gram-Schmidt
def gram_schmidt(A):
    cols = T(A); out = []
    for c in cols:
        for o in out:
            dot = sum(a * b for a, b in zip(c, o)); c = [a - dot * b for a, b in zip(c, o)]
        nrm = math.sqrt(sum(a * a for a in c)); out.append([a / nrm for a in c])
    return T(out)
R_true = gram_schmidt(A)
X = randn(n, d, rng)
Y = add(matmul(X, R_true), [[0.05 * rng.gauss(0, 1) for _ in range(d)] for _ in range(n)])
U, s, V = svd(matmul(T(X), Y))
R_key = matmul(U, T(V))
R_swap = matmul(V, T(U))
R_ls = matmul(inv(matmul(T(X), X)), matmul(T(X), Y))
R_qr = gram_schmidt(matmul(T(X), Y))  # orthogonal factor Q of the QR decomposition of X^T Y
err = lambda R: fro(add(matmul(X, R), [[-v for v in r] for r in Y]))
orth = lambda R: fro(add(matmul(T(R), R), [[-v for v in r] for r in eye(d)]))
for name, R in [("U V^T (key)", R_key), ("V U^T", R_swap), ("QR factor", R_qr), ("least squares", R_ls)]:
    print("procrustes.001: %-14s residual %.4f  ||R^T R - I|| %.2e" % (name, err(R), orth(R)))
assert err(R_key) < err(R_swap) and err(R_key) < err(R_qr) and orth(R_ls) > 1e-3
# random search over orthogonal matrices never beats the key
best = min(err(gram_schmidt(randn(d, d, rng))) for _ in range(3000))
print("   best of 3000 random orthogonal R:", round(best, 4))
assert best >= err(R_key) - 1e-9
print("all linear_algebra checks passed")

# ---- numeric and multiple-select items ----
# linear_algebra.power_iteration.001: smallest k with 0.9^k <= 1e-6.
k = next(k for k in range(1, 1000) if 0.9 ** k <= 1e-6)
print("power_iteration.001: k =", k, "(0.9^131 = %.3g, 0.9^132 = %.3g)" % (0.9 ** 131, 0.9 ** 132))
assert k == 132

# linear_algebra.random_projection.001: R is k x d with N(0, 1/k) entries, ||x|| = 10, k = 200: SD of ||Rx||^2.
kk, dd = 200, 50
x = [rng.gauss(0, 1) for _ in range(dd)]; s = math.sqrt(sum(v * v for v in x)); x = [10 * v / s for v in x]
vals = []
for _ in range(3000):
    R = [[rng.gauss(0, 1 / math.sqrt(kk)) for _ in range(dd)] for _ in range(kk)]
    y = [sum(a * b for a, b in zip(r, x)) for r in R]
    vals.append(sum(v * v for v in y))
m = sum(vals) / len(vals); sd = math.sqrt(sum((v - m) ** 2 for v in vals) / len(vals))
print("random_projection.001: mean %.2f (theory 100), SD %.2f (theory sqrt(2*100^2/200) = %.2f)" % (m, sd, math.sqrt(2 * 100 ** 2 / kk)))

# linear_algebra.flops.001: forward 2*B*n*m, backward twice that.
B, n_, m_ = 32, 4096, 4096
fwd = 2 * B * n_ * m_
print("flops.001: forward %.4f GFLOP, forward+backward %.4f GFLOP" % (fwd / 1e9, 3 * fwd / 1e9))

# linear_algebra.invariance.001: rotate features by a random orthogonal Q; which models' predictions are unchanged?
d, n = 3, 40
Q = gram_schmidt(randn(d, d, rng))
Xtr = randn(n, d, rng); ytr = [[sum(Xtr[i]) + 0.3 * rng.gauss(0, 1)] for i in range(n)]
Xte = randn(10, d, rng)
lab = [1 if Xtr[i][0] + 0.5 * Xtr[i][1] > 0 else 0 for i in range(n)]
def ols(X, y):
    return matmul(inv(matmul(T(X), X)), matmul(T(X), y))
def ridge(X, y, lam=2.0):
    return matmul(inv(add(matmul(T(X), X), eye(len(X[0]), lam))), matmul(T(X), y))
def lasso(X, y, lam=8.0, iters=2000):
    p = len(X[0]); w = [0.0] * p; yy = [v[0] for v in y]
    for _ in range(iters):
        for j in range(p):
            r = [yy[i] - sum(X[i][k] * w[k] for k in range(p) if k != j) for i in range(len(X))]
            rho = sum(X[i][j] * r[i] for i in range(len(X))); z = sum(X[i][j] ** 2 for i in range(len(X)))
            w[j] = (math.copysign(max(abs(rho) - lam / 2, 0.0), rho)) / z
    return [[v] for v in w]
def knn(X, labels, Xq, k=3):
    out = []
    for q in Xq:
        ds = sorted((sum((a - b) ** 2 for a, b in zip(q, x)), labels[i]) for i, x in enumerate(X))
        out.append(round(sum(l for _, l in ds[:k]) / k, 12))
    return out
def stump(X, labels, Xq):
    best = None
    for j in range(len(X[0])):
        for t in sorted(x[j] for x in X):
            left = [labels[i] for i, x in enumerate(X) if x[j] <= t]; right = [labels[i] for i, x in enumerate(X) if x[j] > t]
            if not left or not right:
                continue
            pl, pr = sum(left) / len(left), sum(right) / len(right)
            err = sum((l - pl) ** 2 for l in left) + sum((l - pr) ** 2 for l in right)
            if best is None or err < best[0]:
                best = (err, j, t, pl, pr)
    _, j, t, pl, pr = best
    return [pl if q[j] <= t else pr for q in Xq]
def gnb(X, labels, Xq):
    out = []
    stats = {}
    for c in (0, 1):
        rows = [x for i, x in enumerate(X) if labels[i] == c]
        mu = [sum(r[j] for r in rows) / len(rows) for j in range(d)]
        var = [sum((r[j] - mu[j]) ** 2 for r in rows) / len(rows) for j in range(d)]
        stats[c] = (len(rows) / len(X), mu, var)
    for q in Xq:
        lp = {}
        for c in (0, 1):
            pi, mu, var = stats[c]
            lp[c] = math.log(pi) - sum(0.5 * math.log(var[j]) + (q[j] - mu[j]) ** 2 / (2 * var[j]) for j in range(d))
        out.append(1 / (1 + math.exp(lp[0] - lp[1])))
    return out
XtrQ, XteQ = matmul(Xtr, Q), matmul(Xte, Q)
pred = lambda X, w: [sum(a * b[0] for a, b in zip(x, w)) for x in X]
mx = lambda a, b: max(abs(p - q) for p, q in zip(a, b))
res = {
    "OLS": mx(pred(Xte, ols(Xtr, ytr)), pred(XteQ, ols(XtrQ, ytr))),
    "ridge": mx(pred(Xte, ridge(Xtr, ytr)), pred(XteQ, ridge(XtrQ, ytr))),
    "kNN": mx(knn(Xtr, lab, Xte), knn(XtrQ, lab, XteQ)),
    "lasso": mx(pred(Xte, lasso(Xtr, ytr)), pred(XteQ, lasso(XtrQ, ytr))),
    "tree stump": mx(stump(Xtr, lab, Xte), stump(XtrQ, lab, XteQ)),
    "Gaussian NB": mx(gnb(Xtr, lab, Xte), gnb(XtrQ, lab, XteQ)),
}
for k_, v in res.items():
    print("invariance.001: %-12s max change in test predictions after rotation %.2e" % (k_, v))
assert res["OLS"] < 1e-9 and res["ridge"] < 1e-9 and res["kNN"] < 1e-9
assert res["lasso"] > 1e-3 and res["tree stump"] > 1e-3 and res["Gaussian NB"] > 1e-3

# linear_algebra.psd.001: which matrices are always PSD.
def min_eig(M):
    return min(sym_eig(M)[0])
X = randn(6, 3, rng)
XtX = matmul(T(X), X)
mu = [sum(r[j] for r in X) / 6 for j in range(3)]
C = [[sum((r[i] - mu[i]) * (r[j] - mu[j]) for r in X) / 5 for j in range(3)] for i in range(3)]
pts = [[rng.gauss(0, 1) for _ in range(2)] for _ in range(6)]
K = [[math.exp(-sum((a - b) ** 2 for a, b in zip(p, q)) / 2) for q in pts] for p in pts]
u = [rng.gauss(0, 1) for _ in range(3)]; uu = sum(v * v for v in u)
P = [[(1.0 if i == j else 0.0) - u[i] * u[j] / uu for j in range(3)] for i in range(3)]
A = randn(3, 3, rng); AAt = add(A, T(A))
H = [[0.0, -2.0], [-2.0, 0.0]]   # Hessian of (w1*w2 - 1)^2 at w = (0, 0): a two-weight linear network
for name, M in [("X^T X", XtX), ("covariance", C), ("RBF Gram", K), ("I - uu^T/|u|^2", P), ("A + A^T", AAt), ("net Hessian", H)]:
    print("psd.001: %-15s min eigenvalue %+.3f" % (name, min_eig(M)))

# linear_algebra.low_rank.001: truncation error in spectral norm = sigma_{k+1}; output bound; data-aware beats SVD on data.
W = randn(6, 6, rng)
U, s, V = svd(W)
k = 2
Wk = [[sum(U[i][r] * s[r] * V[j][r] for r in range(k)) for j in range(6)] for i in range(6)]
E = add(W, [[-v for v in row] for row in Wk])
sE = svd(E)[1]
print("low_rank.001: spectral error %.4f, sigma_3 %.4f, sum of dropped sigmas %.4f" % (sE[0], s[2], sum(s[2:])))
worst = 0.0
for _ in range(2000):
    xv = [rng.gauss(0, 1) for _ in range(6)]
    Ex = [sum(E[i][j] * xv[j] for j in range(6)) for i in range(6)]
    worst = max(worst, math.sqrt(sum(v * v for v in Ex)) / math.sqrt(sum(v * v for v in xv)))
print("   max ||(W - W_k)x|| / ||x|| over random x: %.4f <= sigma_3" % worst)
# inputs living near a 2-D subspace: the data-aware rank-2 map (best rank-2 approx of W restricted to the data) beats SVD
basis = T(gram_schmidt(randn(6, 2, rng)))   # 2 orthonormal vectors (rows)
def on_subspace():
    c = (rng.gauss(0, 3), rng.gauss(0, 3))
    return [c[0] * basis[0][j] + c[1] * basis[1][j] + 0.01 * rng.gauss(0, 1) for j in range(6)]
Xd = [on_subspace() for _ in range(200)]
def out_err(M):
    return sum(sum((sum((W[i][j] - M[i][j]) * x[j] for j in range(6))) ** 2 for i in range(6)) for x in Xd)
Pb = matmul(T(basis), basis)                # projector onto the data subspace
Wdata = matmul(W, Pb)                       # rank 2, exact on the subspace
print("   output error on data: truncated SVD %.1f, data-aware rank-2 map %.3f" % (out_err(Wk), out_err(Wdata)))

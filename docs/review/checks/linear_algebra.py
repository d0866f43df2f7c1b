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

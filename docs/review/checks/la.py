"""Small pure-Python linear algebra used by the item checks (no NumPy on the build machine)."""
import math, random


def matmul(A, B):
    return [[sum(A[i][k] * B[k][j] for k in range(len(B))) for j in range(len(B[0]))] for i in range(len(A))]


def T(A):
    return [list(r) for r in zip(*A)]


def eye(n, s=1.0):
    return [[s if i == j else 0.0 for j in range(n)] for i in range(n)]


def add(A, B):
    return [[a + b for a, b in zip(r, s)] for r, s in zip(A, B)]


def inv(A):
    n = len(A)
    M = [list(map(float, r)) + eye(n)[i] for i, r in enumerate(A)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        d = M[c][c]
        M[c] = [x / d for x in M[c]]
        for r in range(n):
            if r != c:
                f = M[r][c]
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return [r[n:] for r in M]


def rank(A, rtol=1e-9):
    M = [list(map(float, r)) for r in A]
    scale = max(abs(x) for r in M for x in r) or 1.0
    rk, rows, cols = 0, len(M), len(M[0])
    for c in range(cols):
        p = max(range(rk, rows), key=lambda r: abs(M[r][c]), default=None)
        if p is None or abs(M[p][c]) <= rtol * scale:
            continue
        M[rk], M[p] = M[p], M[rk]
        for r in range(rk + 1, rows):
            f = M[r][c] / M[rk][c]
            M[r] = [x - f * y for x, y in zip(M[r], M[rk])]
        rk += 1
        if rk == rows:
            break
    return rk


def sym_eig(S, sweeps=100):
    """Jacobi eigenvalue method for a symmetric matrix: returns (values, vectors as columns)."""
    n = len(S)
    A = [list(map(float, r)) for r in S]
    V = eye(n)
    for _ in range(sweeps):
        off = sum(A[i][j] ** 2 for i in range(n) for j in range(n) if i != j)
        if off < 1e-22:
            break
        for p in range(n):
            for q in range(p + 1, n):
                if abs(A[p][q]) < 1e-300:
                    continue
                th = 0.5 * math.atan2(2 * A[p][q], A[q][q] - A[p][p])
                c, s = math.cos(th), math.sin(th)
                for k in range(n):
                    akp, akq = A[k][p], A[k][q]
                    A[k][p], A[k][q] = c * akp - s * akq, s * akp + c * akq
                for k in range(n):
                    apk, aqk = A[p][k], A[q][k]
                    A[p][k], A[q][k] = c * apk - s * aqk, s * apk + c * aqk
                for k in range(n):
                    vkp, vkq = V[k][p], V[k][q]
                    V[k][p], V[k][q] = c * vkp - s * vkq, s * vkp + c * vkq
    return [A[i][i] for i in range(n)], V


def svd(A):
    """Thin SVD of a square or tall matrix via the eigendecomposition of A^T A (fine for checks)."""
    vals, V = sym_eig(matmul(T(A), A))
    order = sorted(range(len(vals)), key=lambda i: -vals[i])
    s = [math.sqrt(max(vals[i], 0.0)) for i in order]
    Vs = [[V[r][i] for i in order] for r in range(len(V))]
    AV = matmul(A, Vs)
    U = [[AV[r][j] / s[j] if s[j] > 1e-12 else 0.0 for j in range(len(s))] for r in range(len(AV))]
    return U, s, Vs


def fro(A):
    return math.sqrt(sum(x * x for r in A for x in r))


def randn(rows, cols, rng):
    return [[rng.gauss(0, 1) for _ in range(cols)] for _ in range(rows)]

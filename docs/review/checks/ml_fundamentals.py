"""Checks of the numbers in the new ml_fundamentals items (run: python3 docs/review/checks/ml_fundamentals.py).

regularization.003: ridge with a feature copied 4 times; bias_variance.004: double descent of min-norm least squares."""
import random, math
rng=random.Random(14)
def solve(A,b):
    n=len(A); M=[r[:]+[b[i]] for i,r in enumerate(A)]
    for c in range(n):
        p=max(range(c,n),key=lambda r:abs(M[r][c])); M[c],M[p]=M[p],M[c]
        for r in range(n):
            if r!=c:
                f=M[r][c]/M[c][c]
                for k in range(c,n+1): M[r][k]-=f*M[c][k]
    return [M[i][n]/M[i][i] for i in range(n)]
# ridge duplication: 1 copy vs 4 copies
xs=[rng.gauss(0,1) for _ in range(50)]; ys=[0.8*x+rng.gauss(0,1) for x in xs]; lam=20.0
def ridge(X,y,lam):
    p=len(X[0]); A=[[sum(X[n][i]*X[n][j] for n in range(len(X)))+(lam if i==j else 0) for j in range(p)] for i in range(p)]
    b=[sum(X[n][i]*y[n] for n in range(len(X))) for i in range(p)]
    return solve(A,b)
w1=ridge([[x] for x in xs],ys,lam); w4=ridge([[x]*4 for x in xs],ys,lam)
print("ridge 1 copy w=%.4f; 4 copies each=%.4f total=%.4f; 1 copy with lam/4: %.4f"%(w1[0],w4[0],sum(w4),ridge([[x] for x in xs],ys,lam/4)[0]))
# double descent: min-norm least squares on p of D features, n=40
D=120; n=40; ntest=400
beta=[rng.gauss(0,1)/math.sqrt(D) for _ in range(D)]
def gen(m):
    X=[[rng.gauss(0,1) for _ in range(D)] for _ in range(m)]
    y=[sum(a*b for a,b in zip(r,beta))+rng.gauss(0,0.5) for r in X]; return X,y
Xtr,ytr=gen(n); Xte,yte=gen(ntest)
def fit(p,lam):
    X=[r[:p] for r in Xtr]
    if p<n and lam==0:
        return ridge(X,ytr,0)
    K=[[sum(a*b for a,b in zip(X[i],X[j]))+(lam if i==j else 0) for j in range(n)] for i in range(n)]
    al=solve(K,ytr); return [sum(al[i]*X[i][k] for i in range(n)) for k in range(p)]
def mse(w,p): return sum((sum(a*b for a,b in zip(r[:p],w))-y)**2 for r,y in zip(Xte,yte))/ntest
for p in [10,20,30,36,40,44,50,60,80,120]:
    print("p=%3d minnorm test mse %.2f   ridge(lam=5) %.2f"%(p, mse(fit(p,0),p), mse(fit(p,5.0),p)))

# ml_fundamentals.label_noise.001: symmetric flips with rate 0.1.
print("label_noise.001: P(noisy=1) = %.2f (flip only positives: %.2f)" % (0.1 + 0.8 * 0.7, 0.7 * 0.9))
# ml_fundamentals.trees.003: Gini decrease of a split.
g = lambda a, b: 1 - (a / (a + b)) ** 2 - (b / (a + b)) ** 2
dec = 0.5 - (0.4 * g(30, 10) + 0.6 * g(20, 40))
print("trees.003: weighted Gini decrease %.4f; unweighted %.4f" % (dec, 0.5 - (g(30, 10) + g(20, 40)) / 2))
assert round(dec, 3) == 0.083
# ml_fundamentals.curse_of_dimensionality.001: edge of a sub-cube holding 1% in 10 dimensions.
print("curse_of_dimensionality.001: edge %.4f (2 dims: %.2f)" % (0.01 ** 0.1, 0.01 ** 0.5))

# ml_fundamentals.covariate_shift.001: density ratio from a calibrated domain classifier on pooled data.
print("covariate_shift.001: weight %.1f (odds alone %.1f)" % ((0.8 / 0.2) * (50000 / 10000), 0.8 / 0.2))

# ---- issue 14, second batch (itemsB, 2026-12-06) ----
import math as _m
assert round(2 * 0.375 * 0.75 / (0.375 + 0.75), 2) == 0.50          # metrics.001 (now numeric): F1
o = 1 / 99; assert round(o / (1 + o), 3) == 0.010                     # imbalance.002 (now numeric)
o = 1.5 * _m.exp(0.7); print("linear_models.001: %.4f" % (o / (1 + o))); assert round(o / (1 + o), 2) == 0.75
assert 10 * 5 + 1 == 51                                               # validation.003
assert round(1 / (1 + _m.exp(-1.2)), 2) == 0.77                       # linear_models.003
print("ensembles.002: OOB share %.4f" % ((1 - 1e-4) ** 10000)); assert round(100 * (1 - 1e-4) ** 10000, 1) == 36.8
H = -(0.1 * _m.log(0.1) + 0.9 * _m.log(0.9)); print("loss_functions.003: %.4f" % H); assert round(H, 3) == 0.325
# validation.004: leave-one-out accuracy of the majority-class baseline on 50/50 data.
labels = [1] * 50 + [0] * 50
hits = 0
for k in range(100):
    rest = labels[:k] + labels[k + 1:]
    pred = 1 if sum(rest) > len(rest) / 2 else 0
    hits += pred == labels[k]
print("validation.004: LOO accuracy", hits / 100); assert hits == 0
# naive_bayes.001: prior odds 1/9, likelihood ratio 3 counted 3 times.
o = (1 / 9) * 27; assert round(o / (1 + o), 2) == 0.75
# decision_thresholds.001: cost threshold 1/21 on true p; model odds = 9 x true odds.
o = 9 * (1 / 20); print("decision_thresholds.001: %.4f" % (o / (1 + o))); assert round(o / (1 + o), 2) == 0.31
# hyperparameter_search.001
print("hyperparameter_search.001: %.4f" % (1 - 0.95 ** 60)); assert round(100 * (1 - 0.95 ** 60)) == 95
# scoring_rules.001: expected absolute error q(1-p) + (1-q)p is minimized at p in {0, 1}.
q = 0.7
best = min((q * (1 - p / 100) + (1 - q) * p / 100, p) for p in range(101))
print("scoring_rules.001: absolute error minimized at p =", best[1] / 100); assert best[1] == 100

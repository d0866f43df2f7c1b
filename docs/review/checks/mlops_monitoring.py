"""Checks of the numbers in the new mlops_monitoring items (run: python3 docs/review/checks/mlops_monitoring.py)."""
import math, random

rng = random.Random(14)

# mlops_monitoring.drift.005: PSI of a stable feature, 10 decile bins, by daily sample size.
def psi(counts, n, q=0.1, eps=1e-4):
    s = 0.0
    for c in counts:
        p = max(c / n, eps)
        s += (p - q) * math.log(p / q)
    return s

for n, days in [(100, 2000), (50000, 300)]:
    vals = []
    for _ in range(days):
        c = [0] * 10
        for _ in range(n):
            c[min(9, int(rng.random() * 10))] += 1
        vals.append(psi(c, n))
    print("drift.005: n=%d mean PSI %.4f, share of days > 0.1: %.2f, (B-1)/n = %.4f"
          % (n, sum(vals) / days, sum(v > 0.1 for v in vals) / days, 9 / n))
print("   P(a 10%% bin is empty at n=100) = %.1g; 50 bins: (B-1)/n = %.2f" % (0.9 ** 100, 49 / 100))

# mlops_monitoring.alerting.003: daily AUC with 10 positives and 190 negatives.
mu = 1.65
Phi = lambda z: 0.5 * (1 + math.erf(z / math.sqrt(2)))
aucs = []
for _ in range(3000):
    pos = [rng.gauss(mu, 1) for _ in range(10)]
    neg = [rng.gauss(0, 1) for _ in range(190)]
    aucs.append(sum(p > q for p in pos for q in neg) / 1900)
m = sum(aucs) / len(aucs)
sd = math.sqrt(sum((a - m) ** 2 for a in aucs) / len(aucs))
aucs.sort()
A, n1, n2 = 0.88, 10, 190
Q1, Q2 = A / (2 - A), 2 * A * A / (1 + A)
hm = math.sqrt((A * (1 - A) + (n1 - 1) * (Q1 - A * A) + (n2 - 1) * (Q2 - A * A)) / (n1 * n2))
print("alerting.003: true AUC %.3f, simulated daily SD %.3f, 5-95%% %.3f-%.3f, Hanley-McNeil SE %.3f"
      % (Phi(mu / math.sqrt(2)), sd, aucs[150], aucs[2850], hm))

# mlops_monitoring.production_readiness.002: 4% per release over 14 releases.
print("production_readiness.002: 1.04^14 = %.2f, 40 ms -> %.0f ms" % (1.04 ** 14, 40 * 1.04 ** 14))

# mlops_monitoring.production_readiness.003: ML Test Score = min of section sums.
sections = {"data": 4 + 2 * 0.5, "model": 3 + 0.5, "infrastructure": 2 + 0.5, "monitoring": 3 + 2 * 0.5}
print("production_readiness.003:", sections, "final", min(sections.values()), "mean", sum(sections.values()) / 4)
# mlops_monitoring.drift.006: PSI of 40/30/20/10 against 25% each.
print("drift.006: PSI %.4f" % sum((o - 0.25) * math.log(o / 0.25) for o in [0.4, 0.3, 0.2, 0.1]))
# mlops_monitoring.label_sampling.001: n for SE 0.01 at p = 0.8.
print("label_sampling.001: n = %.0f (95%% half-width reading: %.0f; p = 0.5: %.0f)" % (0.16 / 1e-4, 1.96 ** 2 * 1600, 0.25 / 1e-4))

# mlops_monitoring.label_shift.001: adjusted classify-and-count.
pi = (0.38 - 0.2) / (0.9 - 0.2)
print("label_shift.001: prevalence %.3f" % pi)

# ---- issue 14, second batch (itemsB, 2026-12-06) ----
import math as _m, random as _r
# alerting.005: 200 tests x 1% x 7 days.
assert round(200 * 0.01 * 7) == 14
# label_delay.001: 120 confirmed at 40% maturity of 1,000 flagged.
print("label_delay.001: precision %.2f (immature %.2f)" % (120 / 0.4 / 1000, 120 / 1000))
# production_readiness.004: best placement of two +1 tests, final = min of sections.
from itertools import combinations_with_replacement as _cwr
secs = [4.5, 3, 2, 2.5]
best = max(min(s + sum(1 for k in c if k == i) for i, s in enumerate(secs)) for c in _cwr(range(4), 2))
print("production_readiness.004: best final score", best, "; both into infrastructure:", min(4.5, 3, 4, 2.5))
assert best == 3
# intervention_effect.001: treatment halving churn in the top decile lowers the measured AUC.
rng = _r.Random(3)
rows = []
for _ in range(200000):
    z = rng.gauss(0, 1)
    rows.append((z + rng.gauss(0, 0.6), 1 / (1 + _m.exp(-(-2.2 + 1.6 * z)))))
cut = sorted(s for s, _ in rows)[int(0.9 * len(rows))]
def _auc(pairs):
    pairs = sorted(pairs); pos = sum(y for _, y in pairs); neg = len(pairs) - pos
    return (sum(i for i, (_, y) in enumerate(pairs) if y) - pos * (pos - 1) / 2) / (pos * neg)
a0 = _auc([(s, rng.random() < p) for s, p in rows])
a1 = _auc([(s, rng.random() < (p / 2 if s >= cut else p)) for s, p in rows])
print("intervention_effect.001: AUC untreated %.3f, with the offer in the top decile %.3f" % (a0, a1))
assert a1 < a0 - 0.04
# model_disagreement.001: max accuracy of the new model = agree&old right + disagree&old wrong.
old_acc, dis = 0.92, 0.26
print("model_disagreement.001: new accuracy at most %.2f" % ((1 - dis) + (1 - old_acc)))
assert round(100 * ((1 - dis) + (1 - old_acc))) == 82
# performance_estimation.001: Kish ESS.
w = [4] * 2000 + [0.25] * 8000
ess = sum(w) ** 2 / sum(x * x for x in w)
print("performance_estimation.001: ESS %.0f, CI widening %.2f" % (ess, _m.sqrt(10000 / ess)))
assert round(ess, -2) == 3100
# calibration_monitoring.001: ECE of a perfectly calibrated model, 15 bins, 300 vs 100,000 predictions.
def _ece(n, rng, bins=15):
    s = [rng.betavariate(1, 4) for _ in range(n)]
    y = [rng.random() < p for p in s]
    tot = 0.0
    for b in range(bins):
        idx = [i for i in range(n) if b / bins <= s[i] < (b + 1) / bins]
        if idx:
            tot += len(idx) / n * abs(sum(y[i] for i in idx) / len(idx) - sum(s[i] for i in idx) / len(idx))
    return tot
rng = _r.Random(7)
v = sorted(_ece(300, rng) for _ in range(200))
print("calibration_monitoring.001: ECE at n=300 mean %.3f, 5%%-95%% %.3f-%.3f; at n=100,000 %.4f"
      % (sum(v) / len(v), v[10], v[189], _ece(100000, rng)))
# label_delay.002: share of frauds in a 90-day window not yet labelled, delay U(0, 60).
lab = (30 + 30) / 90  # closed form: (integral of a/60 over 0..60, plus 30 fully labelled days) / 90
grid = sum(min(1.0, (k + 0.5) / 1000 * 90 / 60) for k in range(1000)) / 1000
print("label_delay.002: unlabelled share %.3f (grid %.3f)" % (1 - lab, 1 - grid))
assert round(100 * (1 - grid)) == 33
# slices.002: 0.95 * 94 + 0.05 x = 92.5.
x = (92.5 - 0.95 * 94.0) / 0.05
print("slices.002: new segment accuracy %.1f%%" % x)
assert round(x) == 64
# staleness.001: largest whole k with 0.004 k <= 0.01.
assert max(k for k in range(10) if 0.004 * k <= 0.01 + 1e-12) == 2

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

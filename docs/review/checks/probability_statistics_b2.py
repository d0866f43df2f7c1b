"""Checks of the numbers in the second batch of probability_statistics items for issue 14
(run: python3 docs/review/checks/probability_statistics_b2.py; plain Python, seeded)."""
import math, random
rng = random.Random(1403)

# inspection_paradox.001: half the jobs take 1 min, half 9 min; the job running at a random moment.
print("inspection_paradox.001: E[S^2]/E[S] =", (0.5 * 1 + 0.5 * 81) / 5)
t, jobs, clock = 0.0, [], 0.0
for _ in range(200000):
    d = rng.choice([1.0, 9.0]); jobs.append((clock, clock + d)); clock += d
import bisect
starts = [a for a, _ in jobs]
hits = []
for _ in range(100000):
    u = rng.uniform(0, clock); k = bisect.bisect_right(starts, u) - 1; hits.append(jobs[k][1] - jobs[k][0])
print("   simulated:", round(sum(hits) / len(hits), 3))

# ess.001: 990 weights of 1 and 10 of 100.
w = [1.0] * 990 + [100.0] * 10
print("ess.001: Kish ESS =", round(sum(w) ** 2 / sum(x * x for x in w), 2))

# attenuation.001: y = 2 x + e, observed x' = x + u, Var x = 4, Var u = 1 -> slope 2 * 4 / 5.
n = 200000
xs = [rng.gauss(0, 2) for _ in range(n)]; xo = [x + rng.gauss(0, 1) for x in xs]; ys = [2 * x + rng.gauss(0, 1) for x in xs]
mx, my = sum(xo) / n, sum(ys) / n
slope = sum((a - mx) * (b - my) for a, b in zip(xo, ys)) / sum((a - mx) ** 2 for a in xo)
print("attenuation.001: 2 * 4 / 5 =", 2 * 4 / 5, " simulated slope:", round(slope, 4))

# design_effect.001: 1,000 questions in 100 clusters of 10, ICC 0.2.
deff = 1 + (10 - 1) * 0.2
print("design_effect.001: deff =", deff, " effective n =", round(1000 / deff, 2))
# simulate: cluster effect variance 0.2, item noise 0.8 (continuous scores), SE of the mean
means = []
for _ in range(4000):
    s = 0.0
    for c in range(100):
        ce = rng.gauss(0, math.sqrt(0.2))
        for i in range(10):
            s += ce + rng.gauss(0, math.sqrt(0.8))
    means.append(s / 1000)
m = sum(means) / len(means); sd = math.sqrt(sum((v - m) ** 2 for v in means) / len(means))
print("   simulated SE of the mean:", round(sd, 5), " iid SE sqrt(1/1000):", round(math.sqrt(1 / 1000), 5),
      " implied effective n:", round(1 / sd ** 2, 1))

# bh.001: Benjamini-Hochberg at q = 0.05 on 10 sorted p-values.
p = [0.001, 0.008, 0.012, 0.02, 0.028, 0.029, 0.045, 0.2, 0.5, 0.9]
m_ = len(p)
k_up = max([k for k in range(1, m_ + 1) if p[k - 1] <= k * 0.05 / m_] or [0])
k_down = 0
while k_down < m_ and p[k_down] <= (k_down + 1) * 0.05 / m_: k_down += 1
print("bh.001: BH step-up rejects", k_up, "; stopping at the first failure gives", k_down,
      "; Bonferroni (0.005) rejects", sum(x <= 0.005 for x in p), "; unadjusted 0.05:", sum(x <= 0.05 for x in p))

# indicators.001: 2,000 draws with replacement from 1,000 examples: expected distinct.
print("indicators.001: 1000 (1 - 0.999^2000) =", round(1000 * (1 - 0.999 ** 2000), 3))
sim = [len(set(rng.randrange(1000) for _ in range(2000))) for _ in range(2000)]
print("   simulated:", round(sum(sim) / len(sim), 2))

# fan_out.001: request waits for 100 independent calls; per-call quantile q with q^100 = 0.99.
q = 0.99 ** (1 / 100)
print("fan_out.001: per-call quantile =", round(100 * q, 5), "%  (p99 per call gives", round(100 * 0.99 ** 100, 2), "% of requests in time)")

# lognormal.001: median 20 ms, log-SD 1 -> mean 20 e^{0.5}.
print("lognormal.001: mean =", round(20 * math.exp(0.5), 4))
sim = [math.exp(math.log(20) + rng.gauss(0, 1)) for _ in range(400000)]
print("   simulated mean:", round(sum(sim) / len(sim), 3))

# paired_se.001: SD 0.5 each, correlation 0.8, 1,000 questions.
print("paired_se.001: paired SE =", round(math.sqrt(2 * 0.25 * (1 - 0.8) / 1000), 5), " unpaired SE =", round(math.sqrt(2 * 0.25 / 1000), 5))

# coupon.001: 10 balanced classes, expected draws to see every class.
print("coupon.001: 10 H_10 =", round(10 * sum(1 / k for k in range(1, 11)), 4))
runs = []
for _ in range(20000):
    seen, c = set(), 0
    while len(seen) < 10: seen.add(rng.randrange(10)); c += 1
    runs.append(c)
print("   simulated:", round(sum(runs) / len(runs), 3))

# standard_error.001: accuracy 80% on 2,500 examples.
print("standard_error.001: SE =", round(100 * math.sqrt(0.8 * 0.2 / 2500), 4), "percentage points")

# converted items
print("variance.001: 4 + 4 =", 8)
print("confidence_intervals.001: 400 * 2^2 =", 1600)
print("distributions.001: e^-3 =", round(100 * math.exp(-3), 3), "%")
pf = 0.005 * 0.98 / (0.005 * 0.98 + 0.995 * 0.02)
print("bayes.001: P(fraud | flag) =", round(100 * pf, 3), "%")
print("estimation.001: (n-1)/n =", 4 / 5)
print("multiple_comparisons.001: 1 - 0.95^20 =", round(100 * (1 - 0.95 ** 20), 3), "%")
print("variance.002: rho + (1-rho)/10 =", 0.5 + 0.5 / 10)
print("confidence_intervals.003: exact 1 - 0.05^(1/300) =", round(100 * (1 - 0.05 ** (1 / 300)), 4), "%  rule of three:", 100 * 3 / 300)
print("autocorrelation.001: sqrt((1+0.8)/(1-0.8)) =", round(math.sqrt(1.8 / 0.2), 4))
print("memorylessness.001: 100 hours")

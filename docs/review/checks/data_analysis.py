"""Checks of the numbers and claims in the new data_analysis items."""
import math, random
rng = random.Random(14)

# data_analysis.transformations.001: exp(mean of log) is the median; mean/median = exp(sigma^2/2) for lognormal.
sigma = 0.67
print("transformations.001: exp(sigma^2/2) = %.3f -> forecast/actual = %.3f" % (math.exp(sigma ** 2 / 2), 1 / math.exp(sigma ** 2 / 2)))
ys = [math.exp(rng.gauss(3, sigma)) for _ in range(200000)]
naive = math.exp(sum(math.log(y) for y in ys) / len(ys)) * len(ys)
print("   simulated: sum of exp(mean log) / actual sum = %.3f" % (naive / sum(ys)))
resid = [math.log(y) - 3 for y in ys]
smear = sum(math.exp(r) for r in resid) / len(resid)
print("   Duan smearing factor %.3f" % smear)

# data_analysis.survey_weights.001: Kish effective sample size and margins of error.
moe = lambda n: 1.96 * math.sqrt(0.25 / n)
print("survey_weights.001: MOE n=1000 %.3f, n_eff=250 %.3f, 4x %.3f, n=4000 %.3f" % (moe(1000), moe(250), 4 * moe(1000), moe(4000)))
# simulate: weighted proportion with weights giving n_eff = 250 has SE ~ sqrt(.25/250)
w = [1.0] * 800 + [None] * 200
# choose weight W for 200 young so that (sum w)^2 / sum w^2 = 250: (800 + 200W)^2 = 250 (800 + 200 W^2)
for W in [x / 10 for x in range(10, 10000)]:
    if (800 + 200 * W) ** 2 <= 250 * (800 + 200 * W * W):
        break
w = [1.0] * 800 + [W] * 200
print("   weight of young respondents W = %.2f, n_eff = %.1f" % (W, (sum(w)) ** 2 / sum(x * x for x in w)))
ests = []
for _ in range(4000):
    ys_ = [1 if rng.random() < 0.5 else 0 for _ in w]
    ests.append(sum(a * b for a, b in zip(w, ys_)) / sum(w))
m = sum(ests) / len(ests); sd = math.sqrt(sum((e - m) ** 2 for e in ests) / len(ests))
print("   simulated 1.96*SE of weighted proportion: %.3f" % (1.96 * sd))

# data_analysis.odds_ratio.001: baseline 40%, odds ratio 2.
odds = 0.4 / 0.6 * 2
print("odds_ratio.001: implied probability %.3f; 'OR 2 = odds 2' gives %.3f; '0.4 as odds' gives %.3f" % (odds / (1 + odds), 2 / 3, 0.8 / 1.8))

# data_analysis.small_samples.001: equal true rates; extremes of observed rates are the small stores.
stores = []
for i in range(2000):
    n = int(math.exp(rng.uniform(math.log(30), math.log(20000))))
    conv = sum(1 for _ in range(n) if rng.random() < 0.05) if n < 3000 else int(round(rng.gauss(0.05 * n, math.sqrt(n * 0.05 * 0.95))))
    stores.append((conv / n, n, conv))
stores.sort()
small = lambda xs: sum(1 for s in xs if s[1] < 100)
print("small_samples.001: stores under 100 visitors: %d of 2000; among top 20: %d; among bottom 20: %d" % (small(stores), small(stores[-20:]), small(stores[:20])))
# shrinkage: beta prior with mean 0.05 and strength 200
shr = sorted(((c + 0.05 * 200) / (n + 200), n) for _, n, c in stores)
print("   after shrinkage, stores under 100 visitors among top 20: %d" % sum(1 for s in shr[-20:] if s[1] < 100))
big = sorted(s for s in stores if s[1] >= 100)
print("   dropping <100 visitors: share of top 20 with < 300 visitors: %d of 20 (such stores are %.0f%% of the rest)" %
      (sum(1 for s in big[-20:] if s[1] < 300), 100 * sum(1 for s in big if s[1] < 300) / len(big)))

# ---- numeric and multiple-select items ----
# data_analysis.percent_change.001: -20% then +20%.
print("percent_change.001: net change %.1f%%" % (100 * (0.8 * 1.2 - 1)))

# data_analysis.elasticity.001: log-log slope -1.8, price +10%.
print("elasticity.001: exact %.2f%%, linear approximation %.1f%%" % (100 * (1.1 ** -1.8 - 1), -18.0))

# data_analysis.retention.001: constant 5% monthly churn: median lifetime and mean lifetime.
med = math.log(0.5) / math.log(0.95)
print("retention.001: median lifetime %.2f months (continuous), first month with survival < 50%%: %d; mean lifetime 1/0.05 = %.0f"
      % (med, next(t for t in range(1, 100) if 0.95 ** t < 0.5), 1 / 0.05))

# data_analysis.correlation.003: r = 0.5 between standardized X and Y.
n = 100000
xs = [rng.gauss(0, 1) for _ in range(n)]
ys = [0.5 * x + math.sqrt(1 - 0.25) * rng.gauss(0, 1) for x in xs]
sx = math.sqrt(sum(x * x for x in xs) / n); sy = math.sqrt(sum(y * y for y in ys) / n)
cxy = sum(x * y for x, y in zip(xs, ys)) / n
print("correlation.003: r = %.3f, slope of Y on X = %.3f, slope of X on Y = %.3f, r^2 = %.3f" % (cxy / sx / sy, cxy / sx ** 2, cxy / sy ** 2, (cxy / sx / sy) ** 2))

# data_analysis.missing_data.001: mean imputation with values missing mostly among high earners.
inc = [rng.lognormvariate(10, 0.5) for _ in range(50000)]
spend = [0.3 * v + rng.gauss(0, 3000) for v in inc]
cut = sorted(inc)[int(0.7 * len(inc))]
obs = [(v if (v < cut and rng.random() < 0.9) or (v >= cut and rng.random() < 0.2) else None) for v in inc]
seen = [v for v in obs if v is not None]
mean_seen = sum(seen) / len(seen)
imp = [v if v is not None else mean_seen for v in obs]
sd = lambda a: math.sqrt(sum((x - sum(a) / len(a)) ** 2 for x in a) / len(a))
def corr(a, b):
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    return sum((x - ma) * (y - mb) for x, y in zip(a, b)) / len(a) / sd(a) / sd(b)
print("missing_data.001: missing share %.2f; true mean %.0f, observed mean %.0f, imputed mean %.0f"
      % (1 - len(seen) / len(inc), sum(inc) / len(inc), mean_seen, sum(imp) / len(imp)))
print("   SD true %.0f, observed %.0f, imputed %.0f; corr(income, spend) true %.3f, imputed %.3f"
      % (sd(inc), sd(seen), sd(imp), corr(inc, spend), corr(imp, spend)))

# ---- issue 14, second batch (itemsB, 2026-12-06) ----
import math as _m
assert round((1000 * 50 + 10 * 150) / 1010) == 51                           # aggregation.001 (now numeric)
assert 40 * 0.05 == 2                                                       # multiple_comparisons.001
assert round(100 * (260 / 300 - 1)) == -13                                  # normalization.001
o = 0.4 / 0.6 * 2; assert round(100 * o / (1 + o)) == 57                    # odds_ratio.001
assert round(100 * 1.96 * _m.sqrt(0.25 / 250), 1) == 6.2                    # survey_weights.001
assert round(100 * (9.2 - 8.0) / 8.0) == 15                                 # growth.001
assert round(0.8 * 2 + 0.2 * 10, 1) == 3.6                                  # weighted_average.001
print("growth.002: %.4f" % (1.5 ** (1 / 6) - 1)); assert round(100 * (1.5 ** (1 / 6) - 1), 1) == 7.0
print("confidence_intervals.001: %.4f" % (1.96 * _m.sqrt(0.21 / 400))); assert round(100 * 1.96 * _m.sqrt(0.21 / 400), 1) == 4.5
assert round(100 * 0.2 * 0.6 * 0.6, 1) == 7.2                               # funnels.001
# measurement_error.001: attenuation, with a seeded simulation.
import random as _r
rng = _r.Random(21); xs = []; ys = []
for _ in range(200000):
    t = rng.gauss(0, 1); u = 0.6 * t + _m.sqrt(1 - 0.36) * rng.gauss(0, 1)
    xs.append(_m.sqrt(0.7) * t + _m.sqrt(0.3) * rng.gauss(0, 1)); ys.append(_m.sqrt(0.8) * u + _m.sqrt(0.2) * rng.gauss(0, 1))
mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
c = sum((a - mx) * (b - my) for a, b in zip(xs, ys)); vx = sum((a - mx) ** 2 for a in xs); vy = sum((b - my) ** 2 for b in ys)
print("measurement_error.001: formula %.3f, simulated %.3f" % (0.6 * _m.sqrt(0.56), c / _m.sqrt(vx * vy)))
assert round(0.6 * _m.sqrt(0.56), 2) == 0.45
km = (90 / 100) * (45 / 60)
print("survival.001: KM %.3f; naive %.3f; dropping censored %.3f" % (km, 75 / 100, 45 / 70)); assert round(100 * km, 1) == 67.5
assert 100 + 5 / 8 * 100 == 162.5                                           # percentiles.001

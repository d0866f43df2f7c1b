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

"""Checks of the numbers and claims in the new probability_statistics items."""
import math, random
rng = random.Random(14)

# probability_statistics.bootstrap.001: resamples of n points contain the sample maximum with prob 1-(1-1/n)^n.
n = 5000
xs = [rng.lognormvariate(3, 0.5) for _ in range(n)]
mx = max(xs)
B = 400
hits = sum(1 for _ in range(B) if max(rng.choice(xs) for _ in range(n)) == mx)
print("bootstrap.001: share of resamples whose max is the sample max: %.3f (theory %.3f)" % (hits / B, 1 - (1 - 1 / n) ** n))
print("   no resample max can exceed the sample max, so a percentile interval ends at", round(mx, 2))

# probability_statistics.poisson.001: given X+Y=80 and equal rates, X ~ Binomial(80, 1/2).
def binom_cdf(k, n, p):
    return sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k + 1))
def pois_cdf(k, lam):
    return sum(math.exp(-lam) * lam ** i / math.factorial(i) for i in range(k + 1))
p_bin = 2 * binom_cdf(30, 80, 0.5)
p_pois = 2 * pois_cdf(30, 40)
print("poisson.001: two-sided exact binomial p = %.4f; Poisson(40) p = %.4f; one-sided binomial %.4f" % (p_bin, p_pois, p_bin / 2))
# Simulation of the conditioning claim: X~Pois(3), Y~Pois(3), keep X+Y=8, X's distribution vs Binomial(8, .5)
def pois(lam):
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p < L:
            return k
        k += 1
cnt = [0] * 9; tot = 0
for _ in range(200000):
    x, y = pois(3), pois(3)
    if x + y == 8:
        cnt[x] += 1; tot += 1
print("   conditional P(X=4 | X+Y=8) sim %.3f vs Binomial %.3f" % (cnt[4] / tot, math.comb(8, 4) / 256))

# probability_statistics.conformal.001: split conformal; marginal coverage >= 90%, conditional coverage is not.
def sample():
    x = rng.random()
    sd = 0.1 if x < 0.5 else 1.0          # heteroscedastic noise
    return x, rng.gauss(0, sd)             # the model predicts 0; the score is |y - 0|
ncal, reps = 19, 20000
k = math.ceil((ncal + 1) * 0.9)            # 18th smallest of 19 scores
cover = cover_lo = cover_hi = n_lo = n_hi = 0
for _ in range(reps):
    scores = sorted(abs(sample()[1]) for _ in range(ncal))
    q = scores[k - 1]
    x, y = sample()
    c = abs(y) <= q
    cover += c
    if x < 0.5:
        n_lo += 1; cover_lo += c
    else:
        n_hi += 1; cover_hi += c
print("conformal.001: marginal coverage %.3f (guarantee >= %.3f); low-noise region %.3f; high-noise region %.3f"
      % (cover / reps, k / (ncal + 1), cover_lo / n_lo, cover_hi / n_hi))

# probability_statistics.importance_sampling.001: IPS is unbiased but its variance explodes with large weights.
# Old policy shows item 1 with prob 0.001, new policy with prob 0.5; clicks on item 1 are rare/valuable.
p_old = {0: 0.999, 1: 0.001}; p_new = {0: 0.5, 1: 0.5}; ctr = {0: 0.05, 1: 0.20}
true_val = sum(p_new[a] * ctr[a] for a in (0, 1))
def ips(N, clip=None):
    s = 0.0
    for _ in range(N):
        a = 1 if rng.random() < p_old[1] else 0
        r = 1.0 if rng.random() < ctr[a] else 0.0
        w = p_new[a] / p_old[a]
        if clip is not None:
            w = min(w, clip)
        s += w * r
    return s / N
ests = [ips(2000) for _ in range(400)]
m = sum(ests) / len(ests); sd = (sum((e - m) ** 2 for e in ests) / len(ests)) ** 0.5
clipped = [ips(2000, clip=10) for _ in range(400)]
mc = sum(clipped) / len(clipped)
print("importance_sampling.001: true %.4f; IPS mean %.4f sd %.4f; clipped at 10: mean %.4f (biased)" % (true_val, m, sd, mc))
print("   effective sample size share: (E w)^2 / E w^2 = %.4f" % ((1.0) ** 2 / (p_new[0] ** 2 / p_old[0] + p_new[1] ** 2 / p_old[1])))

# ---- numeric and multiple-select items ----
# probability_statistics.mixtures.001: 90% N(50, 10^2), 10% N(250, 50^2): overall SD.
m = 0.9 * 50 + 0.1 * 250
ex2 = 0.9 * (10 ** 2 + 50 ** 2) + 0.1 * (50 ** 2 + 250 ** 2)
print("mixtures.001: mean %.1f, SD %.2f; naive weighted SD %.1f" % (m, math.sqrt(ex2 - m * m), 0.9 * 10 + 0.1 * 50))
xs = [rng.gauss(50, 10) if rng.random() < 0.9 else rng.gauss(250, 50) for _ in range(200000)]
mu = sum(xs) / len(xs); print("   simulated SD %.2f" % math.sqrt(sum((x - mu) ** 2 for x in xs) / len(xs)))

# probability_statistics.random_search.001: smallest n with 1 - 0.95^n >= 0.95.
n = next(n for n in range(1, 1000) if 1 - 0.95 ** n >= 0.95)
print("random_search.001: n = %d (1-0.95^58 = %.4f, 1-0.95^59 = %.4f)" % (n, 1 - 0.95 ** 58, 1 - 0.95 ** 59))

# probability_statistics.confidence_intervals.004: p-value from a 95% normal CI [0.2, 4.2].
est, se = 2.2, 2.0 / 1.959964
z = est / se
p = math.erfc(z / math.sqrt(2))
print("confidence_intervals.004: z = %.3f, two-sided p = %.4f (one-sided %.4f)" % (z, p, p / 2))

# probability_statistics.calibration.001: calibrated scores; threshold 0.5 maximizes accuracy; sum of p = expected positives.
scores = [rng.betavariate(2, 3) for _ in range(100000)]
ys = [1 if rng.random() < s else 0 for s in scores]
for t in (0.3, 0.4, 0.5, 0.6, 0.7):
    acc = sum((s >= t) == (y == 1) for s, y in zip(scores, ys)) / len(ys)
    print("calibration.001: threshold %.1f accuracy %.4f" % (t, acc))
print("   sum of scores %.0f, positives %d" % (sum(scores), sum(ys)))
# a calibrated but uninformative model: everyone gets the base rate -> AUC 0.5
print("   a model that predicts the base rate %.3f for everyone is calibrated and has AUC 0.5" % (sum(ys) / len(ys)))

# probability_statistics.sampling.001: which designs estimate the population mean without bias.
pop = [("big", rng.gauss(10, 2)) for _ in range(9000)] + [("small", rng.gauss(30, 2)) for _ in range(1000)]
true_mean = sum(v for _, v in pop) / len(pop)
big = [v for s, v in pop if s == "big"]; small = [v for s, v in pop if s == "small"]
srs, strat_w, strat_unw, syst = [], [], [], []
for _ in range(2000):
    srs.append(sum(rng.sample([v for _, v in pop], 200)) / 200)
    b_, s_ = rng.sample(big, 100), rng.sample(small, 100)
    strat_w.append(0.9 * sum(b_) / 100 + 0.1 * sum(s_) / 100)
    strat_unw.append((sum(b_) + sum(s_)) / 200)
order = [v for _, v in pop]; rng.shuffle(order)
for _ in range(2000):
    st = rng.randrange(50); syst.append(sum(order[st::50]) / len(order[st::50]))
avg = lambda a: sum(a) / len(a)
print("sampling.001: true mean %.3f; SRS %.3f; stratified weighted %.3f; stratified unweighted %.3f; systematic %.3f"
      % (true_mean, avg(srs), avg(strat_w), avg(strat_unw), avg(syst)))

# probability_statistics.poisson.002: Poisson variance = mean; small counts are fine for a Poisson model.
lam = 1.2
cnt = [pois(lam) for _ in range(100000)]
mu = avg(cnt); var = avg([(c - mu) ** 2 for c in cnt])
print("poisson.002: Poisson(1.2) simulated mean %.3f variance %.3f; P(0) = %.3f" % (mu, var, math.exp(-lam)))

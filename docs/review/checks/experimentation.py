"""Checks of the numbers and claims in the new experimentation items."""
import math, random
rng = random.Random(14)

# experimentation.switchback.001: carryover of about an hour; 30-minute periods vs longer periods with burn-in dropped.
def switchback(period, burn, carry=60, effect=-2.0, days=60):
    T = days * 24 * 60
    arms = []
    for s in range(0, T, period):
        arms.append(rng.random() < 0.5)
    treat = [arms[t // period] for t in range(T)]
    # wait time at minute t depends on the share of the last `carry` minutes run by the new algorithm
    csum = [0]
    for x in treat:
        csum.append(csum[-1] + x)
    diffs = {True: [], False: []}
    for t in range(carry, T):
        share = (csum[t + 1] - csum[t + 1 - carry]) / carry
        y = 10 + effect * share + rng.gauss(0, 1)
        if t % period >= burn:
            diffs[treat[t]].append(y)
    return sum(diffs[True]) / len(diffs[True]) - sum(diffs[False]) / len(diffs[False])
print("switchback.001: true effect -2.00; 30-min periods, no burn-in: %.2f" % switchback(30, 0))
print("   30-min periods, first 5 minutes only (burn 0, keep <5): n/a by design; 2-h periods, 60-min burn-in dropped: %.2f" % switchback(120, 60))
print("   2-h periods, no burn-in: %.2f" % switchback(120, 0))

# experimentation.bandits.001: Thompson sampling shifts traffic to C before a sale lifts everyone's conversion.
def shifted_run(true=(0.050, 0.050, 0.055), sale_lift=0.03, per_week=30000):
    # weeks 1-2: equal split; weeks 3-4 (sale): the bandit sends 90% to C, 5% to each of A and B
    alloc = [(1 / 3, 1 / 3, 1 / 3)] * 2 + [(0.05, 0.05, 0.90)] * 2
    n = [[0, 0] for _ in range(3)]; conv = [[0, 0] for _ in range(3)]
    for w, shares in enumerate(alloc):
        sale = w >= 2
        for i in range(3):
            m = int(per_week * shares[i])
            p = true[i] + (sale_lift if sale else 0.0)
            n[i][sale] += m; conv[i][sale] += sum(1 for _ in range(m) if rng.random() < p)
    return n, conv
n, conv = shifted_run()
raw = [sum(conv[i]) / sum(n[i]) for i in range(3)]
print("bandits.001: true C - A = 0.005; raw arm rates A %.4f B %.4f C %.4f; raw C - A = %.4f" % (raw[0], raw[1], raw[2], raw[2] - raw[0]))
strat = sum(conv[2][s] / n[2][s] - conv[0][s] / n[0][s] for s in (0, 1)) / 2
print("   period-stratified C - A = %.4f" % strat)
# negative bias of adaptively collected means, two equal arms, many reps
reps, bias = 300, [0.0, 0.0]
for _ in range(reps):
    a = [1, 1]; b = [1, 1]; s = [0, 0]; c = [0, 0]
    for _ in range(300):
        arm = 0 if rng.betavariate(a[0], b[0]) > rng.betavariate(a[1], b[1]) else 1
        y = rng.random() < 0.3
        a[arm] += y; b[arm] += 1 - y; s[arm] += y; c[arm] += 1
    for i in (0, 1):
        bias[i] += (s[i] / c[i] if c[i] else 0.3) - 0.3
print("   mean bias of each arm's sample mean under Thompson sampling (true 0.3): %.4f %.4f" % (bias[0] / reps, bias[1] / reps))

# experimentation.holdout.001: sum of significant measured lifts vs their true lifts (winner's curse).
tot_meas = tot_true = k = 0
for _ in range(200000):
    true = rng.gauss(0.2, 0.5)      # true lifts in %, most changes small
    se = 0.6
    meas = true + rng.gauss(0, se)
    if meas / se > 1.96:
        tot_meas += meas; tot_true += true; k += 1
print("holdout.001: among significant tests, mean measured lift %.2f%% vs mean true lift %.2f%% (ratio %.2f)" % (tot_meas / k, tot_true / k, tot_meas / tot_true))

# ---- numeric and multiple-select items ----
# experimentation.cluster_randomization.001: 200 classrooms of 20 students, ICC 0.05.
m_, icc, N = 20, 0.05, 4000
de = 1 + (m_ - 1) * icc
print("cluster_randomization.001: design effect %.2f, effective sample size %.1f" % (de, N / de))
# simulate: cluster means with ICC 0.05, variance of the overall mean vs iid
def overall_mean():
    tot = 0.0
    for c in range(200):
        u = rng.gauss(0, math.sqrt(icc))
        tot += sum(u + rng.gauss(0, math.sqrt(1 - icc)) for _ in range(m_))
    return tot / N
vals = [overall_mean() for _ in range(1500)]
mv = sum(vals) / len(vals); var = sum((v - mv) ** 2 for v in vals) / len(vals)
print("   simulated variance ratio vs iid: %.2f" % (var / (1 / N)))

# experimentation.z_test.001: 10.0% vs 10.6%, 20,000 users per arm (unpooled SE).
p1, p2, n = 0.100, 0.106, 20000
se = math.sqrt(p1 * (1 - p1) / n + p2 * (1 - p2) / n)
pp = (p1 + p2) / 2; se_pooled = math.sqrt(pp * (1 - pp) * 2 / n)
print("z_test.001: z unpooled %.3f, pooled %.3f, two-sided p %.4f" % ((p2 - p1) / se, (p2 - p1) / se_pooled, math.erfc((p2 - p1) / se / math.sqrt(2))))

# experimentation.bayesian.001: Beta(1,1) priors; A 100/1000, B 120/1000; P(p_B > p_A).
def beta_pdf_grid(a, b, grid):
    lg = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    return [math.exp(lg + (a - 1) * math.log(x) + (b - 1) * math.log(1 - x)) for x in grid]
G = 20000
grid = [(i + 0.5) / G for i in range(G)]
fa = beta_pdf_grid(101, 901, grid); fb = beta_pdf_grid(121, 881, grid)
cdfA, acc = [], 0.0
for v in fa:
    acc += v / G; cdfA.append(acc)
prob = sum(fb[i] / G * cdfA[i] for i in range(G))
print("bayesian.001: P(B > A) = %.4f (normal approximation %.4f)" % (prob, 0.5 * math.erfc(-(0.02 / math.sqrt(0.1 * 0.9 / 1000 + 0.12 * 0.88 / 1000)) / math.sqrt(2))))

# experimentation.aa_tests.001: in a healthy A/A test with 100 independent metrics at 5%, how often >= 30 significant?
def binom_sf(k, n, p):
    return sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k, n + 1))
print("aa_tests.001: P(>= 30 of 100 significant) = %.2e; P(>= 10) = %.3f; expected 5" % (binom_sf(30, 100, 0.05), binom_sf(10, 100, 0.05)))
print("   P(one given metric significant in each of 5 independent A/A runs) = %.1e" % (0.05 ** 5))

# experimentation.power.004: power of a two-sided z-test for effect d (in SE units of one user) with n per arm.
Phi = lambda z: 0.5 * math.erfc(-z / math.sqrt(2))
def power(delta, sd, n, alpha=0.05, one_sided=False):
    z = 1.959964 if not one_sided else 1.644854
    se = sd * math.sqrt(2 / n)
    return Phi(delta / se - z)
base = power(0.5, 10, 4000)
print("power.004: base %.3f; more users %.3f; larger effect %.3f; lower SD %.3f; one-sided %.3f; half the users (shorter) %.3f; 3 variants sharing traffic %.3f"
      % (base, power(0.5, 10, 8000), power(0.7, 10, 4000), power(0.5, 8, 4000), power(0.5, 10, 4000, one_sided=True), power(0.5, 10, 2000), power(0.5, 10, 4000 * 2 // 3)))

# experimentation.feedback_loops.001: two models retrained on pooled logs of a 90/10 split (toy: each model's quality
# grows with the amount of data generated under its own policy that it trains on).
def quality(own_share_of_training):
    return 0.5 + 0.1 * own_share_of_training      # learns best from data its own policy generated (toy assumption)
pooled_A, pooled_B = quality(0.9), quality(0.1)   # both train on the same pooled logs: 90% from A's policy
own_A, own_B = quality(1.0), quality(1.0)
print("feedback_loops.001 (toy): pooled training, A %.2f vs B %.2f (gap from the split alone); own-arm training A %.2f vs B %.2f"
      % (pooled_A, pooled_B, own_A, own_B))

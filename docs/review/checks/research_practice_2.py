"""Checks of the numbers in the research_practice items added or converted by itemsC (issue 14, second batch).
Run: python3 docs/review/checks/research_practice_2.py (plain Python, seeded)."""
import math, random
from statistics import NormalDist
N = NormalDist()
rng = random.Random(1414)

# statistics.001 (converted): n for a +-1 point 95% CI at 90% accuracy
print("statistics.001: n = %.1f (1.96^2), %.1f (z = 2)" % (1.96 ** 2 * 0.09 / 1e-4, 4 * 0.09 / 1e-4))
# seeds_variance.003 (converted): smallest n with 0.6 sqrt(2/n) <= 0.2
print("seeds_variance.003: n = %d" % next(n for n in range(1, 100) if 0.6 * math.sqrt(2 / n) <= 0.2 + 1e-12))

# statistics.006: McNemar z on 2,000 paired examples, discordant 60 vs 36
b, c = 60, 36
zm = (b - c) / math.sqrt(b + c)
pa, pb = 0.912, 0.900
pbar = (pa + pb) / 2
zu = (pa - pb) / math.sqrt(2 * pbar * (1 - pbar) / 2000)
print("statistics.006: McNemar z %.3f (p %.3f); unpaired z %.3f (p %.3f)" % (zm, 2 * (1 - N.cdf(zm)), zu, 2 * (1 - N.cdf(zu))))

# statistics.007: paired sample size for a 1-point difference, discordance 8%, 80% power, two-sided 5%
za, zb = N.inv_cdf(0.975), N.inv_cdf(0.8)
n_p = (za + zb) ** 2 * 0.08 / 0.01 ** 2
n_u = (za + zb) ** 2 * 2 * 0.9 * 0.1 / 0.01 ** 2
print("statistics.007: paired n %.0f (with 7.84: %.0f); unpaired n %.0f" % (n_p, 7.84 * 0.08 / 1e-4, n_u))
# simulate power of McNemar at n = 6300 with discordance 8% and difference 1 point
def mcnemar_power(n, reps=4000):
    hit = 0
    pb_ = 0.045; pc_ = 0.035  # discordant cells: A-only right, B-only right
    for _ in range(reps):
        bb = cc = 0
        for _ in range(1):
            pass
        # multinomial via normal approximation of counts is enough here; draw directly
        u = [rng.random() for _ in range(n)]
        bb = sum(1 for x in u if x < pb_); cc = sum(1 for x in u if pb_ <= x < pb_ + pc_)
        if bb + cc and abs(bb - cc) / math.sqrt(bb + cc) > za: hit += 1
    return hit / reps
print("   simulated McNemar power at n = 6,300: %.3f" % mcnemar_power(6300, 1500))

# scaling_laws.001: L = E + A C^-alpha with E = 1.8
E = 1.8
r = (2.4 - E) / (3.0 - E)
print("scaling_laws.001: with E: %.3f; pure power law: %.3f" % (E + (2.4 - E) * r, 2.4 * (2.4 / 3.0)))

# baselines.004: expected max of n standard normals
def emax(n, reps=200000):
    return sum(max(rng.gauss(0, 1) for _ in range(n)) for _ in range(reps // n if n > 20 else reps)) / (reps // n if n > 20 else reps)
e5, e50 = 1.16296, 2.24907
print("baselines.004: 0.6 x (2.25 - 1.16) = %.3f; exact %.3f; simulated E[max of 5] %.3f" % (0.6 * (2.25 - 1.16), 0.6 * (e50 - e5), emax(5, 100000)))

# evaluation_flaws.008: measured accuracy with 5% label noise on a 3-class task, true accuracy 92%
acc, noise = 0.92, 0.05
print("evaluation_flaws.008: measured %.4f (ignoring chance matches %.4f)" % (acc * (1 - noise) + (1 - acc) * noise * 0.5, acc * (1 - noise)))
def sim_noise(n=400000):
    ok = 0
    for _ in range(n):
        y = rng.randrange(3)
        pred = y if rng.random() < acc else (y + 1 + rng.randrange(2)) % 3
        lab = y if rng.random() >= noise else (y + 1 + rng.randrange(2)) % 3
        ok += pred == lab
    return ok / n
print("   simulated %.4f" % sim_noise())

# benchmark_construction.002: regression to the mean after filtering on failures
fail_hi, fail_lo = 500 * 0.1, 500 * 0.7
print("benchmark_construction.002: rerun accuracy on failed subset %.1f%%" % (100 * (fail_hi * 0.9 + fail_lo * 0.3) / (fail_hi + fail_lo)))

# baselines.006: compute-matched sample count
print("baselines.006: 8 generations + 8 verifier passes = %d answer-equivalents" % (8 + 8))

# seeds_variance.004: seeds per arm for 80% power at a 0.3-point difference, SD 0.6
n = 2 * ((1.96 + 0.84) * 0.6 / 0.3) ** 2
print("seeds_variance.004: n = %.2f -> %d (single-mean slip %.2f)" % (n, math.ceil(n), n / 2))
# statistics.007 with the exact McNemar sample-size formula
pd, d = 0.08, 0.01
print("statistics.007: exact-formula n = %.0f" % ((1.96 * math.sqrt(pd) + 0.84 * math.sqrt(pd - d * d)) ** 2 / d ** 2))

"""Checks of the numbers in the experimentation items added or converted by itemsC (issue 14, second batch).
Run: python3 docs/review/checks/experimentation_2.py (plain Python, seeded)."""
import math, random
from statistics import NormalDist
N = NormalDist()
rng = random.Random(1414)

# sample_size.001 (converted to numeric): n = 16 p(1-p) / delta^2
print("sample_size.001: n per arm = %.1f" % (16 * 0.05 * 0.95 / 0.005 ** 2))

# allocation.001 (converted): users factor for 90/10 vs 50/50
f = (1 / 0.9 + 1 / 0.1) / 4
print("allocation.001: variance factor = %.4f, SE factor %.3f" % (f, math.sqrt(f)))

# dilution.001: triggered lift 2% relative on revenue; triggered users 10% of users with 3x revenue per user
share = 0.1 * 3 / (0.1 * 3 + 0.9 * 1)
print("dilution.001: triggered revenue share %.3f, site-wide lift %.3f%% (trap: 0.1*2 = %.2f%%)" % (share, 2 * share, 0.2))

# winners_curse.001: 20% power, two-sided 5%; exaggeration of significant (right-sign) estimates
z = N.inv_cdf(0.975)
delta = z - N.inv_cdf(0.8)  # P(Zhat > 1.96) = 0.2 when delta = 1.96 - 0.8416
p_up = 1 - N.cdf(z - delta)
p_down = N.cdf(-z - delta)
print("winners_curse.001: delta=%.4f SE, P(sig, right sign)=%.4f, P(sig, wrong sign)=%.5f" % (delta, p_up, p_down))
a = z - delta
cond_mean = delta + N.pdf(a) / (1 - N.cdf(a))
print("   E[est | sig, right sign] = %.4f SE, exaggeration = %.3f" % (cond_mean, cond_mean / delta))
sims = [delta + rng.gauss(0, 1) for _ in range(400000)]
sig = [x for x in sims if x > z]
print("   simulation: %.3f" % (sum(sig) / len(sig) / delta))

# interference.001: fixed supply of 1,000 units sold out in both arms; treatment buyers take 60%
print("interference.001: measured relative lift in units per buyer = %.1f%%, global effect 0" % (100 * (600 / 400 - 1)))

# multiple_testing.002: Benjamini-Hochberg step-up at q = 0.05
ps = [0.001, 0.008, 0.016, 0.022, 0.027, 0.029, 0.040, 0.45, 0.60, 0.90]
m = len(ps); q = 0.05
kmax = max([k for k in range(1, m + 1) if sorted(ps)[k - 1] <= k * q / m] or [0])
stepdown = 0
for k in range(1, m + 1):
    if sorted(ps)[k - 1] <= k * q / m: stepdown = k
    else: break
print("multiple_testing.002: BH rejects %d; stopping at first failure: %d; Bonferroni: %d; unadjusted: %d" % (
    kmax, stepdown, sum(p <= q / m for p in ps), sum(p <= q for p in ps)))
for k, p in enumerate(sorted(ps), 1):
    print("   k=%d p=%.3f threshold=%.3f %s" % (k, p, k * q / m, "ok" if p <= k * q / m else "-"))

# ramp_up.001: day 1 10% treatment, day 2 50%
c = [(90000, 0.100), (50000, 0.050)]; t = [(10000, 0.105), (50000, 0.052)]
pc = sum(n * r for n, r in c) / sum(n for n, _ in c); pt = sum(n * r for n, r in t) / sum(n for n, _ in t)
print("ramp_up.001: pooled control %.4f treatment %.4f diff %.4f; per-day diffs %s" % (
    pc, pt, pt - pc, [round(t[i][1] - c[i][1], 4) for i in range(2)]))

# off_policy.001: two segments, logging propensity of B 0.1 and 0.5
n1, n2 = 600, 400
b1, clicks1 = 60, 12
b2, clicks2 = 200, 20
naive = (clicks1 + clicks2) / (b1 + b2)
ips = (clicks1 / 0.1 + clicks2 / 0.5) / (n1 + n2)
truth = 0.6 * clicks1 / b1 + 0.4 * clicks2 / b2
print("off_policy.001: naive CTR of B %.4f, IPS %.4f, segment-weighted truth %.4f" % (naive, ips, truth))

# power.005: test sized for 80% power at delta; true effect delta/2
zb = N.inv_cdf(0.8)
d = (z + zb) / 2
pw = 1 - N.cdf(z - d) + N.cdf(-z - d)
print("power.005: power at half the MDE = %.4f (trap 0.40)" % pw)

# variance_reduction.002: CUPED with correlation 0.6, 100,000 users per arm before
print("variance_reduction.002: users per arm with CUPED = %.0f" % (100000 * (1 - 0.6 ** 2)))

# variance_reduction.003: CUPED with a covariate the treatment moves
print("variance_reduction.003: estimate = 1.0 - 0.8 * 0.5 = %.2f" % (1.0 - 0.8 * 0.5))
# simulate: X = 0.5 T + u, Y = 1.0 T + 0.8 u' where cov makes theta about 0.8
def cuped_sim(n=200000):
    xs, ys, ts = [], [], []
    for _ in range(n):
        tt = rng.random() < 0.5
        u = rng.gauss(0, 1)
        x = 0.5 * tt + u
        y = 1.0 * tt + 0.8 * u + rng.gauss(0, 0.6)
        xs.append(x); ys.append(y); ts.append(tt)
    mx = sum(xs) / n; my = sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / n
    vx = sum((x - mx) ** 2 for x in xs) / n
    th = cov / vx
    adj = [y - th * (x - mx) for x, y in zip(xs, ys)]
    mt = sum(a for a, tt in zip(adj, ts) if tt) / sum(ts); mc = sum(a for a, tt in zip(adj, ts) if not tt) / (n - sum(ts))
    return th, mt - mc
th, est = cuped_sim()
print("   simulation: pooled theta %.3f, CUPED estimate %.3f (true effect 1.0)" % (th, est))

# srm.002: per arm 97,000 fast users at 10% and 3,000 slow users at 2%; treatment loses its slow users from the log
ctrl = (97000 * 0.10 + 3000 * 0.02) / 100000
treat_logged = 0.10
print("srm.002: control %.4f, logged treatment %.4f, relative lift %.2f%%" % (ctrl, treat_logged, 100 * (treat_logged / ctrl - 1)))
# chi-square of 100,000 vs 97,000
e = (100000 + 97000) / 2
chi = ((100000 - e) ** 2 + (97000 - e) ** 2) / e
print("   SRM chi-square %.1f" % chi)

# winners_curse.001 with the wrong-sign tail counted in the 20% power
lo, hi = 0.5, 2.0
for _ in range(60):
    mid = (lo + hi) / 2
    if 1 - N.cdf(z - mid) + N.cdf(-z - mid) < 0.2: lo = mid
    else: hi = mid
a2 = z - lo
print("winners_curse.001 (two tails in power): delta=%.4f, exaggeration %.3f" % (lo, (lo + N.pdf(a2) / (1 - N.cdf(a2))) / lo))

# variance_reduction.003 with theta fixed at 0.8 as the stem says
def cuped_fixed(n=200000, th=0.8):
    s = {True: [0.0, 0], False: [0.0, 0]}
    for _ in range(n):
        tt = rng.random() < 0.5
        u = rng.gauss(0, 1)
        x = 0.5 * tt + u
        y = 1.0 * tt + 0.8 * u + rng.gauss(0, 0.6)
        s[tt][0] += y - th * x; s[tt][1] += 1
    return s[True][0] / s[True][1] - s[False][0] / s[False][1]
print("variance_reduction.003: simulated CUPED estimate with theta 0.8: %.3f (true effect 1.0)" % cuped_fixed())

# sequential_testing.001: false-positive rates of the procedures over 30 daily looks under the null
def seq_sim(reps=20000, looks=30):
    res = {"first p<.05": 0, "first p<.05 after day 7": 0, "two consecutive days": 0, "Bonferroni 0.05/30": 0}
    zb = N.inv_cdf(1 - 0.05 / 30 / 2)
    for _ in range(reps):
        s = 0.0; f = {k: False for k in res}; prev = False
        for k in range(1, looks + 1):
            s += rng.gauss(0, 1)
            zz = abs(s / math.sqrt(k)); sig = zz > z
            if sig: f["first p<.05"] = True
            if sig and k >= 7: f["first p<.05 after day 7"] = True
            if sig and prev: f["two consecutive days"] = True
            if zz > zb: f["Bonferroni 0.05/30"] = True
            prev = sig
        for key in res: res[key] += f[key]
    for key in res: print("   sequential_testing.001: %-26s false-positive rate %.3f" % (key, res[key] / reps))
seq_sim()

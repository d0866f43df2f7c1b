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

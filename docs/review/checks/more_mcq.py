"""Checks for the second batch of MCQs (itemsA), one block per item:
linear_algebra.markov.001, probability_statistics.paired_tests.001, probability_statistics.memorylessness.001,
calculus_optimization.taylor.001, algorithms_data_structures.sliding_window.001, experimentation.allocation.001,
data_engineering.time_zones.001, data_analysis.cohorts.001, software_engineering.multiprocessing.001 (at the end)."""
import math, random, sys
rng = random.Random(14)
# markov: stationary distribution = left eigenvector for eigenvalue 1
P = [[0.5, 0.5, 0.0], [0.2, 0.3, 0.5], [0.4, 0.0, 0.6]]
pi = [1/3] * 3
for _ in range(2000):
    pi = [sum(pi[i] * P[i][j] for i in range(3)) for j in range(3)]
print("markov: stationary", [round(x, 4) for x in pi], "right eigvec of 1:", [sum(P[i]) for i in range(3)])
# paired: McNemar vs independent two-proportion test
n = 1000
print("paired: discordant 50 vs 30 -> McNemar z = %.3f" % ((50 - 30) / math.sqrt(50 + 30)))
p1, p2 = 0.71, 0.69
se = math.sqrt(p1 * (1 - p1) / n + p2 * (1 - p2) / n)
print("   unpaired z = %.3f" % ((p1 - p2) / se))
# memoryless
xs = [rng.expovariate(1 / 100) for _ in range(400000)]
rest = [x - 300 for x in xs if x > 300]
print("memoryless: mean remaining after 300h: %.1f (n=%d)" % (sum(rest) / len(rest), len(rest)))
# taylor: loss change along -g with step eta: -eta |g|^2 + 0.5 eta^2 g^T H g
g2, gHg = 4.0, 40.0
for eta in (0.1, 0.2, 0.25):
    print("taylor: eta %.2f -> predicted change %.3f" % (eta, -eta * g2 + 0.5 * eta ** 2 * gHg))
print("   threshold 2|g|^2 / g^T H g = %.3f; best eta |g|^2/gHg = %.3f" % (2 * g2 / gHg, g2 / gHg))
# deque sliding max
from collections import deque
def slide_max(a, k):
    dq, out = deque(), []
    for i, x in enumerate(a):
        while dq and a[dq[-1]] <= x:
            dq.pop()
        dq.append(i)
        if dq[0] <= i - k:
            dq.popleft()
        if i >= k - 1:
            out.append(a[dq[0]])
    return out
a = [rng.randrange(100) for _ in range(1000)]
assert slide_max(a, 7) == [max(a[i:i + 7]) for i in range(len(a) - 6)]
print("deque: sliding max verified against brute force")
# allocation: SE ratio 90/10 vs 50/50
r = math.sqrt((1 / 0.9 + 1 / 0.1) / (1 / 0.5 + 1 / 0.5))
print("allocation: SE ratio %.3f, users needed ratio %.3f" % (r, r * r))
# time zones
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
ts = datetime(2024, 7, 1, 22, 30, tzinfo=timezone.utc)
print("tz: 2024-07-01 22:30 UTC in Berlin:", ts.astimezone(ZoneInfo("Europe/Berlin")), "; +1h gives", (ts.replace(tzinfo=None)).isoformat(), "-> 23:30 same day")
ts2 = datetime(2024, 1, 15, 23, 30, tzinfo=timezone.utc)
print("    2024-01-15 23:30 UTC in Berlin:", ts2.astimezone(ZoneInfo("Europe/Berlin")))
# cohorts: conversion within 30 days, delay exponential mean 10 days; cohort observed for d days
for d in (5, 15, 30, 60):
    seen = 1 - math.exp(-min(d, 30) / 10)
    print("cohorts: cohort observed %2d days shows %.1f%% of its eventual 30-day conversions" % (d, 100 * seen / (1 - math.exp(-3))))

# software_engineering.multiprocessing.001: a lambda cannot be pickled for Pool.map, under fork or spawn.
import multiprocessing as mp
if __name__ == "__main__":
    for method in ("fork", "spawn"):
        try:
            with mp.get_context(method).Pool(2) as p:
                print(method, p.map(lambda x: x * 2, [1, 2, 3]))
        except Exception as e:
            print("multiprocessing: %s -> %s" % (method, type(e).__name__))

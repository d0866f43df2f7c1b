"""Checks of the numbers in the new ml_system_design items (run: python3 docs/review/checks/ml_system_design.py)."""
import math

# ml_system_design.retrieval_ranking.003: post-filtering 100 ANN candidates with a 2% pass rate.
p, k = 0.02, 100
print("retrieval_ranking.003: expected survivors %.1f, P(none) = %.3f; with 1,000 candidates: %.0f" % (k * p, (1 - p) ** k, 1000 * p))
assert abs((1 - p) ** k - 0.133) < 0.001

# ml_system_design.capacity_planning.001: GPUs for 500 candidates x 2,000 rps at 50,000 pairs/s and 60% load.
print("capacity_planning.001: %.1f GPUs -> %d" % (500 * 2000 / (50000 * 0.6), math.ceil(500 * 2000 / (50000 * 0.6))))
# ml_system_design.vector_search.001: 100M entries of 32-byte PQ codes plus 8-byte ids; raw float32.
print("vector_search.001: PQ + ids %.1f GB; raw %.1f GB; codes only %.1f GB" % (1e8 * 40 / 1e9, 1e8 * 256 * 4 / 1e9, 1e8 * 32 / 1e9))
# ml_system_design.vector_search.002: brute-force dot products.
print("vector_search.002: %.2f TFLOP/s" % (2 * 128 * 1e7 * 1000 / 1e12))
# ml_system_design.evaluation_labels.001: violations in a uniform sample of 3,000 at 0.2%.
print("evaluation_labels.001: expected violations in a uniform sample: %.0f" % (3000 * 0.002))

# ml_system_design.feature_hashing.001: share of 1M ids sharing a bucket among 2^24.
n, m = 10 ** 6, 2 ** 24
print("feature_hashing.001: %.2f%% share a bucket; colliding pairs %.0f (%.1f%% of ids)" % (100 * (1 - (1 - 1 / m) ** (n - 1)), n * n / (2 * m), 100 * n / (2 * m)))

# ---- issue 14, second batch (itemsB, 2026-12-06) ----
import math as _m
assert round(50e6 * 768 * 4 / 1e9) == 154                                   # embedding_storage.001
assert round(10e6 * 20 / 86400, -2) == 2300                                # traffic_estimation.001
assert round(100 * 0.85 * 0.95 * 0.6) == 48                                # funnel_recall.001
assert round(400 / 0.005) == 80000                                         # labeling_budget.001
dcg = lambda r, g: sum(g(x) / _m.log2(i + 2) for i, x in enumerate(r))
nd = dcg([3, 2, 0, 1], lambda x: 2 ** x - 1) / dcg([3, 2, 1, 0], lambda x: 2 ** x - 1)
nd_raw = dcg([3, 2, 0, 1], lambda x: x) / dcg([3, 2, 1, 0], lambda x: x)
print("ranking_metrics.001: NDCG %.4f (raw gains %.4f)" % (nd, nd_raw)); assert round(nd, 3) == 0.993
# off_policy_evaluation.002: Kish ESS of IPS weights; exact and a seeded simulation.
ew, ew2 = 0.2 * 0.05 * 20 + 0.8 * 0.5 * 2, 0.2 * 0.05 * 400 + 0.8 * 0.5 * 4
import random as _r
rng = _r.Random(11); s = s2 = 0.0
for _ in range(1000000):
    p = 0.05 if rng.random() < 0.2 else 0.5
    w = 1 / p if rng.random() < p else 0.0
    s += w; s2 += w * w
print("off_policy_evaluation.002: ESS exact %.0f, simulated %.0f" % (1e6 * ew * ew / ew2, s * s / s2))
assert round(1e6 / 5.6, -3) == 179000
rec = 0.6 * 10000 / (0.6 * 10000 + 0.002 * 990000)
print("evaluation_labels.002: recall %.4f (naive %.4f)" % (rec, 600 / 602)); assert round(100 * rec) == 75

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

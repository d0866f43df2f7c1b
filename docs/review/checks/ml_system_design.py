"""Checks of the numbers in the new ml_system_design items (run: python3 docs/review/checks/ml_system_design.py)."""
import math

# ml_system_design.retrieval_ranking.003: post-filtering 100 ANN candidates with a 2% pass rate.
p, k = 0.02, 100
print("retrieval_ranking.003: expected survivors %.1f, P(none) = %.3f; with 1,000 candidates: %.0f" % (k * p, (1 - p) ** k, 1000 * p))
assert abs((1 - p) ** k - 0.133) < 0.001

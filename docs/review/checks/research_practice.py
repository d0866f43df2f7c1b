"""Checks of the numbers in the new research_practice items (run: python3 docs/review/checks/research_practice.py)."""
import math

# research_practice.llm_evaluation.001: unbiased pass@k.
print("llm_evaluation.001: pass@5 = %.4f (with replacement: %.4f)" % (1 - math.comb(7, 5) / math.comb(10, 5), 1 - 0.7 ** 5))
# research_practice.statistics.004: two-sided sign test, 9 of 12.
one = sum(math.comb(12, k) for k in range(9, 13)) / 4096
print("statistics.004: one-sided %.4f, two-sided %.4f" % (one, 2 * one))
# research_practice.human_evaluation.001: Cohen's kappa.
pe = 0.7 * 0.7 + 0.3 * 0.3
print("human_evaluation.001: chance %.2f, kappa %.4f (chance 0.5: %.2f)" % (pe, (0.85 - pe) / (1 - pe), (0.85 - 0.5) / 0.5))

# research_practice.statistics.005: design effect of 100 clusters of 10 with ICC 0.3.
deff = 1 + 9 * 0.3
print("statistics.005: design effect %.1f, effective n %.1f, SE inflation %.2f" % (deff, 1000 / deff, math.sqrt(deff)))

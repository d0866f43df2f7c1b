"""Checks of the numbers in the new product_stakeholder items (run: python3 docs/review/checks/product_stakeholder.py)."""

# product_stakeholder.requirements.001: recall so that at most 0.1% of visible posts are bad, prevalence 0.5%.
p = 0.005
R = (p - 0.001) / (0.999 * p)
print("requirements.001: recall %.4f; check visible bad share %.5f" % (R, p * (1 - R) / (1 - p * R)))
# product_stakeholder.staffing.001: reviewers.
print("staffing.001: %.1f reviewers (8-hour day: %.1f); per 0.1 point of flag rate: %.2f" % (80000 * 0.012 * 6 / 60 / 6, 80000 * 0.012 * 6 / 60 / 8, 80000 * 0.001 * 6 / 60 / 6))
# product_stakeholder.prioritization.001: value over 12 months, in kUSD.
a, b = 11 * 60, 6 * 80
print("prioritization.001: A %d, B %d, difference %d kUSD; months for B to catch up: %.0f" % (a, b, a - b, (a - b) / 20))

# product_stakeholder.incremental_value.001: model vs rule, net value per week.
model = 1000 * 0.40 * 50 - 1000 * 5
rule = 800 * 0.35 * 50 - 800 * 5
print("incremental_value.001: model %.0f, rule %.0f, difference %.0f USD" % (model, rule, model - rule))

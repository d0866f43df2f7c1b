"""Checks of the numbers in the product_stakeholder items added or converted by itemsC (issue 14, second batch).
Run: python3 docs/review/checks/product_stakeholder_2.py (plain Python, seeded)."""
import math, random
from statistics import NormalDist
N = NormalDist()
rng = random.Random(1414)

# communication.002 (converted): 1,000,000 transactions, 0.1% fraud, recall 90%, precision 30%
tp = 1000 * 0.9; flags = tp / 0.3
print("communication.002: flags %.0f, legitimate flagged %.0f" % (flags, flags - tp))
# error_costs.002 (converted): flag when 200 p > 5
print("error_costs.002: threshold %.3f" % (5 / 200))
# error_costs.003 (converted): newsvendor critical ratio
print("error_costs.003: quantile %.0f%%" % (100 * 3 / (3 + 1)))
# expectations.004 (converted)
fpr = (0.76 * 0.05 / 0.8 - 0.76 * 0.05) / 0.95
prec = 0.76 * 0.005 / (0.76 * 0.005 + fpr * 0.995)
print("expectations.004: FPR %.4f, rollout precision %.3f" % (fpr, prec))

# value_of_information.001: EVPI
p_good, gain, loss = 0.6, 100, -50
ev_launch = p_good * gain + (1 - p_good) * loss
ev_perfect = p_good * gain + (1 - p_good) * 0
print("value_of_information.001: EV launch now %.0f, EV with perfect info %.0f, EVPI %.0f (k$/month)" % (ev_launch, ev_perfect, ev_perfect - max(ev_launch, 0)))

# effect_planning.001: normal-normal shrinkage of an A/B estimate
est, lo, hi, tau = 5.0, 1.1, 8.9, 2.0
se = (hi - lo) / (2 * 1.96)
k = tau ** 2 / (tau ** 2 + se ** 2)
print("effect_planning.001: se %.3f, shrink factor %.3f, posterior mean %.2f%%" % (se, k, k * est))
# simulate: draws of true effects N(0, tau), estimates with se; average truth among estimates near 5
acc = []; 
for _ in range(2000000):
    t = rng.gauss(0, tau); e = t + rng.gauss(0, se)
    if abs(e - est) < 0.1: acc.append(t)
print("   simulated mean true effect given estimate 5.0 +- 0.1: %.2f (n=%d)" % (sum(acc) / len(acc), len(acc)))

# unit_economics.001: LLM feature gross margin
price = 10.0
cost_req = 2000 * 3 / 1e6 + 400 * 15 / 1e6
mean_req, median_req = 200, 50
print("unit_economics.001: cost/request $%.4f, mean cost/user $%.2f, margin %.1f%% (median user: %.1f%%)" % (
    cost_req, cost_req * mean_req, 100 * (1 - cost_req * mean_req / price), 100 * (1 - cost_req * median_req / price)))

# value_of_accuracy.002: safety stock saving
z, sd_old, sd_new, L, hold = 1.645, 100, 50, 4, 2.0
saving_units = z * (sd_old - sd_new) * math.sqrt(L)
print("value_of_accuracy.002: fewer units %.1f, daily saving $%.1f, annual $%.0f (no sqrt: %.0f; times L: %.0f)" % (
    saving_units, saving_units * hold, saving_units * hold * 365, z * 50 * hold * 365, z * 50 * L * hold * 365))

# launch_decision.001: P(effect > 0) under a flat prior
est, lo, hi = 0.6, -0.6, 1.8
se = (hi - lo) / (2 * 1.96)
print("launch_decision.001: se %.4f, z %.3f, P(effect > 0) %.4f" % (se, est / se, N.cdf(est / se)))

# automation.001: break-even accuracy
# automated: 0.10 per ticket; wrong answers then also go to a human ($4) and cost $16 of goodwill
e = (4 - 0.10) / (4 + 16)
e_trap = (4 - 0.10) / 16
print("automation.001: max error %.4f -> min accuracy %.2f%% (ignoring re-handling: %.2f%%)" % (e, 100 * (1 - e), 100 * (1 - e_trap)))

# build_vs_buy.001: break-even API volume
fixed = 2 * 730 * 2.5 + 0.25 * 15000
print("build_vs_buy.001: self-hosted $%.0f/month, break-even %.0f M tokens/month (GPUs only: %.0f)" % (fixed, fixed / 5, 2 * 730 * 2.5 / 5))

# metric_decomposition.001: revenue = users x conversion x AOV
print("metric_decomposition.001: revenue change %.2f%%" % (100 * (1.05 * 0.97 - 1)))

# human_in_the_loop.002: two-stage precision
tp = 0.30 * 0.95; fp = 0.70 * 0.10
print("human_in_the_loop.002: confirmed precision %.2f%%; share of true frauds lost at review %.0f%%" % (100 * tp / (tp + fp), 5))

# segment_value.001: revenue-weighted accuracy
A = (0.95, 0.85); B = (0.90, 0.90)
acc_users = lambda m: 0.1 * m[0] + 0.9 * m[1]
acc_rev = lambda m: 0.7 * m[0] + 0.3 * m[1]
print("segment_value.001: account accuracy A %.3f B %.3f; revenue-weighted A %.3f B %.3f; B - A = %.1f points" % (
    acc_users(A), acc_users(B), acc_rev(A), acc_rev(B), 100 * (acc_rev(B) - acc_rev(A))))

"""Checks of the numbers in the new model_deployment items (run: python3 docs/review/checks/model_deployment.py)."""
import random, struct

rng = random.Random(14)

# model_deployment.latency.004: hedged requests after 20 ms.
def lat():
    t = rng.uniform(8, 14)
    if rng.random() < 0.03:
        t += rng.uniform(150, 250)
    return t

N = 400000
single = sorted(lat() for _ in range(N))
hedged, extra = [], 0
for _ in range(N):
    a = lat()
    if a > 20:
        extra += 1
        a = min(a, 20 + lat())
    hedged.append(a)
hedged.sort()
q = lambda s, p: s[int(p * len(s))]
print("latency.004: single p95 %.1f p99 %.1f ms; hedged p99 %.1f ms; extra requests %.1f%%"
      % (q(single, .95), q(single, .99), q(hedged, .99), 100 * extra / N))
assert 30 <= q(hedged, .99) <= 35 and 2.5 < 100 * extra / N < 3.5

# model_deployment.compression.004: per-tensor int8 scale set by outliers of magnitude 60.
step = 60 / 127
levels = sorted({round(x / 100 / step) for x in range(-100, 101)})
print("compression.004: step %.3f, integer levels used by values in [-1, 1]: %s" % (step, levels))
assert levels == [-2, -1, 0, 1, 2]

# model_deployment.numeric_precision.001: fp16 cannot hold 1.7e9 (max finite 65504).
try:
    struct.pack('<e', 1.7e9)
    print("numeric_precision.001: packed?!")
except OverflowError as e:
    print("numeric_precision.001: struct.pack('<e', 1.7e9) ->", e, "; largest fp16:", struct.unpack('<e', b'\xff\x7b')[0])

# model_deployment.capacity.001: M/M/1 mean time in system S/(1 - rho).
print("capacity.001: latency ratio %.2f (ratio of utilizations %.2f)" % ((1 / 0.1) / (1 / 0.3), 0.9 / 0.7))
# model_deployment.compression.005: 4-bit weights with an fp16 scale per 128 weights.
print("compression.005: %.3f GB (without scales %.2f GB)" % (7e9 * (0.5 + 2 / 128) / 1e9, 7e9 * 0.5 / 1e9))
# model_deployment.serving_cost.001: USD per million requests.
print("serving_cost.001: %.3f USD per million requests" % (2.5 / (400 * 3600) * 1e6))

# model_deployment.reliability.001: retries multiply across layers (4 attempts per caller, 2 calling layers).
print("reliability.001: %d calls (additive slip %d; one more layer %d)" % (4 ** 2, 4 + 4 + 4, 4 ** 3))

# ---- issue 14, second batch (itemsB, 2026-12-06) ----
import math as _m
assert round(100 * (1 - 0.99 ** 20)) == 18                                  # latency.003 (now numeric)
assert 200 * 0.05 == 10                                                     # latency.002 (now numeric)
assert 7e9 * 2 / 1e9 == 14                                                  # memory.001
print("availability.001: %.2f min" % (0.01 ** 2 * 30 * 24 * 60)); assert round(0.01 ** 2 * 43200, 1) == 4.3
print("batching.001: %.0f req/s (batch 1: %.0f)" % (32 / 0.026, 1 / 0.0105)); assert round(32 / 0.026, -1) == 1230
assert round(4 / (2500 * 3600) * 1e6, 2) == 0.44                            # serving_cost.002
sp = (1 - 0.8 ** 5) / 0.2 / (1 + 4 * 0.1)
print("speculative_decoding.001: tokens/pass %.3f, speedup %.3f" % ((1 - 0.8 ** 5) / 0.2, sp)); assert round(sp, 2) == 2.40
# Monte Carlo of the same acceptance process (accept each draft token w.p. 0.8, stop at first rejection, +1 token).
import random as _r
rng = _r.Random(5); tot = 0
for _ in range(200000):
    k = 0
    while k < 4 and rng.random() < 0.8:
        k += 1
    tot += k + 1
print("   simulated tokens per pass %.3f" % (tot / 200000))
print("llm_decoding.001: bandwidth bound %.0f tok/s, compute bound %.0f tok/s" % (2e12 / 14e9, 300e12 / 14e9)); assert round(2e12 / 14e9, -1) == 140
kv = 2 * 32 * 4096 * 2 * 4096
print("llm_capacity.001: %.3f GB per sequence, %.2f sequences; without x2: %.1f; all 80 GB: %.1f" % (kv / 1e9, 66e9 / kv, 66e9 / (kv / 2), 80e9 / kv))
assert int(66e9 // kv) == 30
x = 50 * _m.log(40); print("caching.001: p99 %.1f ms (no cache %.1f)" % (x, 50 * _m.log(100))); assert round(x) == 184
# seeded check of the mixture p99
rng = _r.Random(9)
lat = sorted(1.0 if rng.random() < 0.6 else rng.expovariate(1 / 50) for _ in range(400000))
print("   simulated p99 %.1f ms" % lat[int(0.99 * len(lat))])

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

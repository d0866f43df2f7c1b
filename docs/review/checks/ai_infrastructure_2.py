"""Checks of the numbers in the ai_infrastructure items added or converted by itemsC (issue 14, second batch).
Run: python3 docs/review/checks/ai_infrastructure_2.py (plain Python, seeded)."""
import math, random, struct
rng = random.Random(1414)

# memory.002 (converted): 16 bytes per parameter
print("memory.002: %.0f GB" % (7e9 * 16 / 1e9))
# reliability.001 (converted): expected interruptions
print("reliability.001: %.1f interruptions" % (500 * 500 / 50000))
# communication.001 (converted): ring all-reduce bytes sent per GPU, 1 GB buffer, 64 GPUs
print("communication.001: %.4f GB (8 GPUs: %.3f)" % (2 * 63 / 64, 2 * 7 / 8))

# pipeline_parallel.002: GPipe-style bubble, p = 8 stages, m = 24 micro-batches
p, m = 8, 24
print("pipeline_parallel.002: idle share %.4f; (p-1)/m = %.4f" % ((p - 1) / (m + p - 1), (p - 1) / m))
# simulate a fill-drain schedule with unit forward and 2-unit backward per micro-batch per stage
def gpipe(p, m, f=1, b=2):
    # forward: stage s runs micro-batch i at time i + s (units f); backward after all forwards, reversed
    t_fwd_end = (m + p - 1) * f
    total = t_fwd_end + (m + p - 1) * b
    busy = m * (f + b)
    return 1 - busy / total
print("   simulated fill-drain schedule (backward = 2x forward): idle %.4f" % gpipe(p, m))

# checkpointing.003: resumable checkpoint of a 70B model, bf16 weights + fp32 master + 2 fp32 Adam moments
n = 70e9
print("checkpointing.003: master + moments %.0f GB (plus bf16 copy %.0f, plus gradients %.0f, bf16 weights only %.0f)" % (n * 12 / 1e9, n * 14 / 1e9, n * 16 / 1e9, n * 2 / 1e9))

# sharding.002: ZeRO-2 on 8 GPUs, 13B params, 16 bytes per parameter in all
n = 13e9
z1 = n * (2 + 2 + 12 / 8); z2 = n * (2 + (2 + 12) / 8); z3 = n * 16 / 8
print("sharding.002: ZeRO-1 %.2f GB, ZeRO-2 %.2f GB, ZeRO-3 %.2f GB, none %.0f GB" % (z1 / 1e9, z2 / 1e9, z3 / 1e9, n * 16 / 1e9))

# moe.001: MoE with 47B total and 13B active parameters, bf16 weights
print("moe.001: weights %.0f GB (active only %.0f GB)" % (47e9 * 2 / 1e9, 13e9 * 2 / 1e9))

# compute_efficiency.002: HFU 52% with full activation recomputation -> MFU
print("compute_efficiency.002: MFU = %.1f%%" % (52 * 6 / 8))

# reliability.003: goodput with checkpoints and failures
compute, write, mtbf_h, restart = 60.0, 2.0, 5.0, 20.0
cycle = compute + write
lost_per_failure = cycle / 2 + restart
lost_per_hour = (60 / (mtbf_h * 60)) * lost_per_failure
useful = (60 - lost_per_hour) * compute / cycle
print("reliability.003: lost per failure %.1f min, goodput %.2f%%" % (lost_per_failure, 100 * useful / 60))
# simulation of the same process
def goodput_sim(hours=200000.0):
    t = 0.0; useful = 0.0; horizon = hours * 60
    next_fail = rng.expovariate(1 / (mtbf_h * 60))
    progress_since_ckpt = 0.0
    phase = 'compute'; phase_left = compute
    while t < horizon:
        dt = min(phase_left, next_fail - t)
        t += dt; phase_left -= dt
        if phase == 'compute': progress_since_ckpt += dt
        if t >= next_fail - 1e-12:
            progress_since_ckpt = 0.0  # lost
            t += restart
            next_fail = t + rng.expovariate(1 / (mtbf_h * 60))
            phase, phase_left = 'compute', compute
            continue
        if phase_left <= 1e-12:
            if phase == 'compute': phase, phase_left = 'write', write
            else:
                useful += progress_since_ckpt; progress_since_ckpt = 0.0
                phase, phase_left = 'compute', compute
    return useful / t
print("   simulated goodput %.4f (failures during writes and restarts allowed only during compute/write)" % goodput_sim())

# stragglers.002: 1,024 GPUs, each step 1.0 s, with prob 0.001 a GPU takes 5.0 s
pa = 1 - 0.999 ** 1024
print("stragglers.002: P(any hiccup) %.4f, expected step %.3f s (per-GPU mean %.3f)" % (pa, 1 + 4 * pa, 1 + 4 * 0.001))

# mixed_precision.005: accumulate 1.0 into a bf16 buffer 1,000 times, round to nearest even
def bf16(x):
    b = struct.unpack('<I', struct.pack('<f', x))[0]
    lsb = (b >> 16) & 1
    b = (b + 0x7FFF + lsb) & 0xFFFF0000
    return struct.unpack('<f', struct.pack('<I', b))[0]
acc = 0.0
for _ in range(1000): acc = bf16(acc + 1.0)
print("mixed_precision.005: bf16 accumulator after 1000 adds of 1.0 = %g" % acc)
acc = 0.0
for _ in range(1000): acc = bf16(acc + 0.01)
print("   (adds of 0.01: %g)" % acc)

# training_time.001: 70B params, 1.4T tokens, 6ND, 1,024 GPUs at 989 TFLOP/s, 40% MFU
C = 6 * 70e9 * 1.4e12
secs = C / (1024 * 989e12 * 0.40)
print("training_time.001: C = %.3g FLOPs, %.2f days (2ND: %.2f, no MFU: %.2f)" % (C, secs / 86400, secs / 3 / 86400, secs * 0.4 / 86400))

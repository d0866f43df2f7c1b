"""Checks of the numbers in the new deep_learning items (run: python3 docs/review/checks/deep_learning.py)."""
import math

# deep_learning.diffusion.001: linear beta schedule 1e-4..0.02 over T = 1000 steps leaves signal at t = T.
T = 1000
betas = [1e-4 + (0.02 - 1e-4) * t / (T - 1) for t in range(T)]
ab = 1.0
for b in betas:
    ab *= 1 - b
print("diffusion.001: alpha_bar_T = %.3g, sqrt(alpha_bar_T) = %.4f (signal coefficient of x0 at t = T)" % (ab, math.sqrt(ab)))
assert 3e-5 < ab < 5e-5

# deep_learning.positional_encoding.001: RoPE angles, head dim 128, base 10000.
d = 128
slow = 10000 ** (-(d - 2) / d)
print("positional_encoding.001: slowest pair %.3g rad/token, period %.0f tokens; max angle at 4096: %.2f, at 16384: %.2f"
      % (slow, 2 * math.pi / slow, slow * 4096, slow * 16384))
never = sum(1 for i in range(d // 2) if 2 * math.pi / (10000 ** (-2 * i / d)) > 4096)
print("   pairs that never complete a turn within 4096 tokens:", never, "of", d // 2, "; fastest period %.1f tokens" % (2 * math.pi))
assert never == 18

# deep_learning.contrastive.001: InfoNCE bound log(N) for local vs global batch.
print("contrastive.001: log 256 = %.2f nats, log 8192 = %.2f nats" % (math.log(256), math.log(8192)))

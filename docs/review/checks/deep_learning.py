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

# deep_learning.mixture_of_experts.001: active expert parameters with top-2 of 8 experts, d = 4096.
d = 4096
expert = 2 * d * 4 * d
print("mixture_of_experts.001: one expert %d params; active (top-2) %.1f M; all 8 experts %.1f M" % (expert, 2 * expert / 1e6, 8 * expert / 1e6))
assert round(2 * expert / 1e6) == 268

# deep_learning.attention_variants.001: Q, K, V, O projections with 8 KV heads of dim 128.
gqa = 2 * d * d + 2 * d * 8 * 128
print("attention_variants.001: GQA %.2f M parameters; MHA %.2f M" % (gqa / 1e6, 4 * d * d / 1e6))
assert round(gqa / 1e6) == 42

# deep_learning.scaling_laws.002: C = 6ND with D = 20N.
C = 5.88e23
N = math.sqrt(C / 120)
print("scaling_laws.002: N = %.3g (D = %.3g); forgetting the 6: N = %.3g" % (N, 20 * N, math.sqrt(C / 20)))
assert round(N / 1e9) == 70

# deep_learning.hyperparameter_transfer.001: muP with Adam scales hidden-weight learning rates as 1/width.
print("hyperparameter_transfer.001: %.3g (in 1e-4 units: %.2f); 1/sqrt(8) rule would give %.2f" % (3e-3 * 256 / 2048, 3e-3 * 256 / 2048 / 1e-4, 3e-3 / math.sqrt(8) / 1e-4))

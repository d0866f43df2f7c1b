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

# ---- issue 14, second batch (itemsB, 2026-12-06) ----
# deep_learning.cnn.001 (now numeric): 128 * (3*3*64 + 1).
assert 128 * (3 * 3 * 64 + 1) == 73856
# deep_learning.transformers.002 (now numeric): growth of 12nd^2 + 2n^2 d from n = 2048 to 4096, d = 4096.
f = lambda n, d=4096: 12 * n * d * d + 2 * n * n * d
print("transformers.002: growth %.4f" % (f(4096) / f(2048)))
assert round(f(4096) / f(2048), 2) == 2.15
# deep_learning.training_sanity.001: uniform softmax over 32,000 tokens.
print("training_sanity.001: ln 32000 = %.3f nats (log2: %.2f bits)" % (math.log(32000), math.log2(32000)))
assert round(math.log(32000), 1) == 10.4
# deep_learning.vision_transformer.001: 197 -> 577 tokens.
print("vision_transformer.001: (577/197)^2 = %.3f; without class token %.3f; linear %.2f" % ((577 / 197) ** 2, (576 / 196) ** 2, 577 / 197))
assert round((577 / 197) ** 2, 1) == 8.6
# deep_learning.distributed_training.001: ZeRO-2, 7e9 params, 8 GPUs.
N = 7e9
per_gpu = (2 + (2 + 12) / 8) * N / 1e9
print("distributed_training.001: ZeRO-2 per GPU %.2f GB; full state %.0f GB; stage 3 %.0f GB" % (per_gpu, 16 * N / 1e9, 16 * N / 8 / 1e9))
assert round(per_gpu) == 26
# deep_learning.peft.001: LoRA r = 16 on q (4096x4096) and v (4096->1024), 32 layers.
lora = 32 * 16 * ((4096 + 4096) + (4096 + 1024))
print("peft.001: %d LoRA params (%.1f M); v as 4096x4096: %.1f M" % (lora, lora / 1e6, 32 * 16 * 2 * 8192 / 1e6))
assert round(lora / 1e6, 1) == 6.8
# deep_learning.diffusion.003: x0 error amplification at alpha_bar = 0.01.
amp = math.sqrt(0.99) / math.sqrt(0.01)
print("diffusion.003: amplification %.3f, x0 RMSE %.4f" % (amp, 0.05 * amp))
assert round(0.05 * amp, 2) == 0.50
# deep_learning.mixture_of_experts.003: chance an expert is idle for a batch of 64 tokens, top-2 of 8, uniform.
import random
rnd = random.Random(14)
idle = sum(all(0 not in rnd.sample(range(8), 2) for _ in range(64)) for _ in range(100000)) / 100000
print("mixture_of_experts.003: P(expert idle) exact %.2e, simulated %.5f (100k layers)" % (0.75 ** 64, idle))
assert 0.75 ** 64 < 1e-7
# deep_learning.kv_cache.002: 2 * 32 layers * 8 heads * 128 * 2 bytes per token; 16 x 32768 tokens.
kv = 2 * 32 * 8 * 128 * 2 * 32768 * 16 / 2 ** 30
print("kv_cache.002: %.1f GiB (without the factor 2: %.0f; MHA: %.0f)" % (kv, kv / 2, kv * 4))
assert kv == 64
# deep_learning.training_setup.001: tokens per optimizer step.
print("training_setup.001: %d tokens" % (16 * 8 * 4 * 2048))
assert round(16 * 8 * 4 * 2048 / 1e6, 2) == 1.05
# deep_learning.label_smoothing.001: entropy of the smoothed target (1000 classes, eps 0.1).
p, q = 0.9 + 0.1 / 1000, 0.1 / 1000
H = -p * math.log(p) - 999 * q * math.log(q)
print("label_smoothing.001: loss floor %.4f nats (-log 0.9 = %.3f)" % (H, -math.log(0.9)))
assert round(H, 2) == 1.01
# deep_learning.language_model_eval.001: perplexity exp(2.3).
print("language_model_eval.001: exp(2.3) = %.3f; 2^2.3 = %.2f" % (math.exp(2.3), 2 ** 2.3))
assert round(math.exp(2.3)) == 10

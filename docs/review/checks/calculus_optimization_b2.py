"""Checks of the numbers in the second batch of calculus_optimization items for issue 14
(run: python3 docs/review/checks/calculus_optimization_b2.py; plain Python, seeded)."""
import math, random, struct
rng = random.Random(1404)

# logistic_smoothness.001: Hessian of mean logistic loss = X^T D X / n with D <= 1/4, so L = 8 / 4 = 2, eta < 2/L = 1.
# Check: on 1-D data with x^2 mean 8 (x = +-sqrt(8)), labels mixed; near w = 0 the curvature is 8 * 1/4 = 2.
xs = [math.sqrt(8), math.sqrt(8), -math.sqrt(8), -math.sqrt(8)] * 25; ys = [1, -1, 1, -1] * 25  # optimum at w = 0, curvature 2 there
def loss(w): return sum(math.log1p(math.exp(-y * w * x)) for x, y in zip(xs, ys)) / len(xs)
h = 1e-4
print("logistic_smoothness.001: curvature at w = 0:", round((loss(h) - 2 * loss(0) + loss(-h)) / h / h, 4), " -> eta < 2 / 2 = 1")
def grad(w): return sum(-y * x / (1 + math.exp(y * w * x)) for x, y in zip(xs, ys)) / len(xs)
for eta in (0.9, 1.1):
    w = 0.0
    wstar = 0.0
    for _ in range(20000): wstar -= 0.1 * grad(wstar)
    w = wstar + 0.01
    for _ in range(200): w -= eta * grad(w)
    print("   eta", eta, "distance to the optimum after 200 steps from w* + 0.01:", "%.3g" % abs(w - wstar), " (w* =", round(wstar, 4), ")")

# grad_accum_tokens.001: micro-batch 1 has 100 tokens, micro-batch 2 300 tokens; mean of per-micro-batch means.
print("grad_accum_tokens.001: token weight ratio (1/2 * 1/100) / (1/2 * 1/300) =", (0.5 / 100) / (0.5 / 300))

# adam_epsilon.001: constant gradient g = 1e-8, eps = 1e-8 -> update = lr * g / (|g| + eps).
b1, b2, eps, g = 0.9, 0.999, 1e-8, 1e-8
m = v = 0.0
for t in range(1, 5001):
    m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g * g
mh = m / (1 - b1 ** t); vh = v / (1 - b2 ** t)
print("adam_epsilon.001: update / lr after 5000 steps =", round(mh / (math.sqrt(vh) + eps), 6))

# bf16_updates.001: bf16 keeps 8 significant bits; spacing at 4.0 is 2^-5; half of it is lost by round-to-nearest-even.
def to_bf16(x):
    b = struct.unpack('>I', struct.pack('>f', x))[0]
    lsb = (b >> 16) & 1
    b = (b + 0x7FFF + lsb) & 0xFFFF0000   # round to nearest, ties to even
    return struct.unpack('>f', struct.pack('>I', b))[0]
print("bf16_updates.001: spacing at 4.0 =", to_bf16(4.0 + 0.03125) - 4.0, " half =", 2 ** -6)
w16, w32 = 4.0, 4.0
for _ in range(1000): w16 = to_bf16(w16 + 0.01); w32 += 0.01
print("   1,000 updates of +0.01: bf16 weight", w16, " exact", round(w32, 6))
w16 = 1.0
for _ in range(1000): w16 = to_bf16(w16 + 0.01)
print("   same from 1.0 (spacing 2^-7): bf16 weight", w16, "(stalls once the spacing exceeds 0.02)")

# label_smoothing.001: K = 10, eps = 0.1, p_true = 0.9: gradient wrt true logit = p - q = 0.9 - (0.9 + 0.01).
q_true = 1 - 0.1 + 0.1 / 10
print("label_smoothing.001: q_true =", q_true, " grad =", round(0.9 - q_true, 6))
# numeric check with logits giving p_true = 0.9, others equal
z = [math.log(0.9)] + [math.log(0.1 / 9)] * 9
def ce(zz):
    mx = max(zz); lse = mx + math.log(sum(math.exp(a - mx) for a in zz))
    q = [q_true] + [0.01] * 9
    return -sum(qi * (a - lse) for qi, a in zip(q, zz))
hh = 1e-6
zp = z[:]; zp[0] += hh; zm = z[:]; zm[0] -= hh
print("   finite difference:", round((ce(zp) - ce(zm)) / (2 * hh), 6))

# fixed_points.001: 1-D logistic regression on non-separable data: full-batch GD, momentum, Adam, clipping reach
# the same w*; L2 and label smoothing move it.
X1 = [rng.gauss(0, 1) for _ in range(200)]; Y1 = [1 if x + rng.gauss(0, 1) > 0 else 0 for x in X1]
def g1(w, lam=0.0, ls=0.0):
    return sum((1 / (1 + math.exp(-w * x)) - (y * (1 - ls) + ls / 2)) * x for x, y in zip(X1, Y1)) / len(X1) + lam * w
def run(kind):
    w, v, m, s = 0.0, 0.0, 0.0, 0.0
    for t in range(1, 20001):
        if kind == "l2": gg = g1(w, lam=0.1)
        elif kind == "ls": gg = g1(w, ls=0.2)
        else: gg = g1(w)
        if kind == "momentum": v = 0.9 * v + gg; w -= 0.05 * v
        elif kind == "adam":
            lr = 0.01 / math.sqrt(t)
            m = 0.9 * m + 0.1 * gg; s = 0.999 * s + 0.001 * gg * gg
            w -= lr * (m / (1 - 0.9 ** t)) / (math.sqrt(s / (1 - 0.999 ** t)) + 1e-12)
        elif kind == "clip": w -= 0.5 * (gg if abs(gg) <= 0.01 else 0.01 * gg / abs(gg))
        elif kind == "warmup": w -= 0.5 * min(1.0, t / 1000) * gg
        else: w -= 0.5 * gg
    return w
for kind in ("gd", "momentum", "adam", "clip", "warmup", "l2", "ls"):
    print("fixed_points.001:", kind, round(run(kind), 4))

# ema.001: EMA with decay 0.999, started at 0, weights constant w: fraction after 100 steps.
print("ema.001: 1 - 0.999^100 =", round(100 * (1 - 0.999 ** 100), 3), "%")
# clipping.001: global-norm clipping at 1.0 of tensors with norms 3 and 4.
print("clipping.001: first tensor norm after clipping =", 3 / 5, " (per-tensor clipping: 1.0)")
# log_sigmoid.001: d/dz log sigmoid(z) = 1 - sigmoid(z) at z = 0.
zz = 0.0
print("log_sigmoid.001: derivative at 0 =", round((math.log(1 / (1 + math.exp(-(zz + 1e-6)))) - math.log(1 / (1 + math.exp(-(zz - 1e-6))))) / 2e-6, 6))
# weight_decay.001: SGD lr 0.1, L2 term (lambda/2)||w||^2 with lambda = 1e-4, zero data gradient, 10,000 steps.
print("weight_decay.001: (1 - 0.1 * 1e-4)^10000 =", round((1 - 1e-5) ** 10000, 5))
# warmup.001: linear warmup to 3e-4 over 2,000 steps; lr at step 500 (lr_t = peak * t / 2000).
print("warmup.001: 3e-4 * 500 / 2000 =", 3e-4 * 500 / 2000)
# converted items
print("chain_rule.001:", 2 * (3 * 1 + 1) * 3)
print("newton.001:", 10 - (6 * 10 - 12) / 6)
print("momentum.001: 1 / (1 - 0.9) =", round(1 / (1 - 0.9), 6))
print("sgd.001: sqrt(64 / 256) =", math.sqrt(64 / 256))
print("constrained.002: 3 * 0.01 =", 3 * 0.01)
print("learning_rate.002: 2 / f'' = 2 / 10 =", 2 / 10)
# momentum.002 with h = 100: eta < 2 (1 + beta) / h
h_, beta = 100.0, 0.9
for eta in (0.0379, 0.0381):
    e0, e1 = 1.0, 1.0
    for _ in range(3000): e0, e1 = e1, (1 + beta - eta * h_) * e1 - beta * e0
    print("momentum.002: h = 100, eta =", eta, "|error| after 3000 steps = %.3g" % abs(e1))

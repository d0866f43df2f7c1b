"""Checks of the numbers and claims in the new calculus_optimization items."""
import math, random
rng = random.Random(14)

# calculus_optimization.stability.001: GD on a quadratic with curvature h is stable iff eta*h < 2 (limit 2/eta = 200).
eta = 0.01
for h in (190.0, 199.0, 201.0, 210.0):
    x = 1.0
    for _ in range(200):
        x -= eta * h * x
    print("stability.001: curvature %5.0f -> |x| after 200 steps %.3g" % (h, abs(x)))

# calculus_optimization.gradient_estimators.001: d/dmu E[1{z>0}], z ~ N(mu, 1) equals phi(mu).
mu = 0.3
true = math.exp(-mu * mu / 2) / math.sqrt(2 * math.pi)
N = 200000
zs = [mu + rng.gauss(0, 1) for _ in range(N)]
score = sum((1.0 if z > 0 else 0.0) * (z - mu) for z in zs) / N
pathwise = 0.0   # d/dz 1{z>0} is 0 wherever it exists, so autodiff returns 0 for every sample
sig = lambda t: 1 / (1 + math.exp(-t))
smooth = sum(sig(z / 0.5) * (1 - sig(z / 0.5)) / 0.5 for z in zs) / N   # pathwise gradient of a sigmoid-smoothed step
print("gradient_estimators.001: true %.4f  score-function %.4f  pathwise(autodiff) %.1f  smoothed(temp 0.5) %.4f" % (true, score, pathwise, smooth))

# calculus_optimization.gradient_check.001: central differences in float64, h=1e-12 vs h=1e-5.
f = lambda x: math.sin(x) * math.exp(x)
df = lambda x: (math.cos(x) + math.sin(x)) * math.exp(x)
for x in (0.3, 1.0, 2.0):
    for h in (1e-12, 1e-5):
        est = (f(x + h) - f(x - h)) / (2 * h)
        print("gradient_check.001: x=%.1f h=%g relative error %.1e" % (x, h, abs(est - df(x)) / abs(df(x))))
print("   x + 1e-12 == x ?", 1.0 + 1e-12 == 1.0, "; optimal h ~ eps^(1/3) =", 2.2e-16 ** (1 / 3))

# calculus_optimization.implicit_bias.001: GD on unregularized logistic loss, separable data.
pts = [((2.0, 1.0), 1), ((1.0, 2.5), 1), ((3.0, 2.0), 1), ((-1.0, -0.5), -1), ((-2.0, 0.5), -1), ((0.5, -2.0), -1)]
def margin_dir(theta):
    u = (math.cos(theta), math.sin(theta))
    return min(y * (u[0] * x[0] + u[1] * x[1]) for x, y in pts)
best = max((margin_dir(2 * math.pi * k / 200000), 2 * math.pi * k / 200000) for k in range(200000))
w = [0.0, 0.0]; lr = 0.5
for t in range(1, 200001):
    g = [0.0, 0.0]
    for x, y in pts:
        m = y * (w[0] * x[0] + w[1] * x[1])
        s = -y / (1 + math.exp(m)) if m > -30 else -y
        g[0] += s * x[0] / len(pts); g[1] += s * x[1] / len(pts)
    w = [w[0] - lr * g[0], w[1] - lr * g[1]]
    if t in (100, 1000, 10000, 100000, 200000):
        nrm = math.hypot(*w); ang = math.atan2(w[1], w[0]) % (2 * math.pi)
        print("implicit_bias.001: t=%6d |w|=%.2f angle %.4f (max-margin angle %.4f)" % (t, nrm, ang, best[1]))

# ---- numeric and multiple-select items ----
# calculus_optimization.conditioning.001: f = x^2 + 100 y^2 (Hessian eigenvalues 2, 200); best fixed step 2/(2+200).
l1, l2 = 2.0, 200.0
eta = 2 / (l1 + l2)
rate = max(abs(1 - eta * l1), abs(1 - eta * l2))
k = next(k for k in range(1, 100000) if rate ** k <= 1e-6)
print("conditioning.001: eta* = %.5f, factor %.5f = 99/101, iterations %d (log ratio %.2f)" % (eta, rate, k, math.log(1e-6) / math.log(rate)))
x = y = 1.0
for i in range(k):
    x -= eta * 2 * x; y -= eta * 200 * y
print("   after %d steps |x| = %.3g, |y| = %.3g" % (k, abs(x), abs(y)))

# calculus_optimization.adam.003: first Adam step without bias correction.
b1, b2, g = 0.9, 0.999, 0.37
m1, v1 = (1 - b1) * g, (1 - b2) * g * g
print("adam.003: uncorrected m/sqrt(v) = %.4f (corrected: %.1f)" % (m1 / math.sqrt(v1), (m1 / (1 - b1)) / math.sqrt(v1 / (1 - b2))))

# calculus_optimization.schedules.002: cosine decay from 1e-3 to 0 over 10,000 steps, value at step 2,500.
lr = 0.5 * 1e-3 * (1 + math.cos(math.pi * 2500 / 10000))
print("schedules.002: lr at step 2500 = %.4e" % lr)

# calculus_optimization.differentiability.001: which operations have zero/undefined gradients almost everywhere.
def num_grad(f, v, i, h=1e-6):
    a = list(v); b = list(v); a[i] += h; b[i] -= h
    fa, fb = f(a), f(b)
    return [(p - q) / (2 * h) for p, q in zip(fa, fb)] if isinstance(fa, list) else (fa - fb) / (2 * h)
v = [0.3, 1.7, -0.4, 0.9]
ops = {
    "argmax index": lambda z: float(max(range(len(z)), key=lambda i: z[i])),
    "round": lambda z: [float(round(t)) for t in z],
    "sorted values": lambda z: sorted(z),
    "relu": lambda z: [max(t, 0.0) for t in z],
    "max value": lambda z: max(z),
    "threshold": lambda z: [1.0 if t > 0 else 0.0 for t in z],
}
for name, f in ops.items():
    gs = [num_grad(f, v, i) for i in range(4)]
    nz = any(abs(x) > 1e-9 for gg in gs for x in (gg if isinstance(gg, list) else [gg]))
    print("differentiability.001: %-13s nonzero derivative somewhere at a generic point: %s" % (name, nz))

# calculus_optimization.robust_losses.001: gradient w.r.t. the prediction as the residual grows.
losses = {
    "squared": lambda r: r * r,
    "absolute": lambda r: abs(r),
    "huber(1)": lambda r: 0.5 * r * r if abs(r) <= 1 else abs(r) - 0.5,
    "log-cosh": lambda r: math.log(math.cosh(r)),
    "exponential": lambda r: math.exp(r),      # exp(-y f) with margin -r for a misclassified point
    "squared hinge": lambda r: max(0.0, 1 + r) ** 2,
}
for name, L in losses.items():
    gr = [(L(r + 1e-6) - L(r - 1e-6)) / 2e-6 for r in (1.0, 10.0, 100.0)]
    print("robust_losses.001: %-13s gradient at residual 1, 10, 100: %s" % (name, " ".join("%.3g" % x for x in gr)))

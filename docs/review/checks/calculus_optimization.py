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

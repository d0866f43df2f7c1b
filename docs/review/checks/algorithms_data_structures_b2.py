"""Checks of the numbers in the second batch of algorithms_data_structures items for issue 14
(run: python3 docs/review/checks/algorithms_data_structures_b2.py; plain Python, seeded)."""
import math, random, itertools, functools
from collections import OrderedDict, Counter
rng = random.Random(1405)

# shuffle_bug.001: for i in range(n): j = randrange(n); swap(a[i], a[j]) -- n = 3, all 27 choice sequences.
outs = Counter()
for js in itertools.product(range(3), repeat=3):
    a = [0, 1, 2]
    for i, j in enumerate(js): a[i], a[j] = a[j], a[i]
    outs[tuple(a)] += 1
print("shuffle_bug.001: outcome counts over 27:", dict(outs), " P(identity) =", outs[(0, 1, 2)], "/ 27 =", round(outs[(0, 1, 2)] / 27, 4))

# lru_cycle.001: capacity 100, keys 0..100 requested cyclically.
def lru_hits(cap, keys, rounds):
    c, hits, n = OrderedDict(), 0, 0
    for _ in range(rounds):
        for k in keys:
            n += 1
            if k in c: hits += 1; c.move_to_end(k)
            else:
                if len(c) >= cap: c.popitem(last=False)
                c[k] = 1
    return hits / n
def mru_hits(cap, keys, rounds):
    c, hits, n = OrderedDict(), 0, 0
    for _ in range(rounds):
        for k in keys:
            n += 1
            if k in c: hits += 1; c.move_to_end(k)
            else:
                if len(c) >= cap: c.popitem(last=True)
                c[k] = 1
    return hits / n
print("lru_cycle.001: LRU hit rate =", lru_hits(100, list(range(101)), 200), " MRU hit rate =", round(mru_hits(100, list(range(101)), 200), 4))

# array_thrash.001: capacity 1024, size 1024; 50 x (append, pop); double when full on append, halve when a pop
# leaves size <= capacity / 2; each resize copies the current elements.
cap, size, copies = 1024, 1024, 0
for _ in range(50):
    if size == cap: copies += size; cap *= 2
    size += 1
    size -= 1
    if size <= cap // 2: copies += size; cap //= 2
print("array_thrash.001: element copies =", copies)

# simhash.001: random-hyperplane bits differ with probability theta / pi; cosine 0.5 -> theta = pi / 3.
d = 64
u = [rng.gauss(0, 1) for _ in range(d)]; w = [rng.gauss(0, 1) for _ in range(d)]
# build v with cosine 0.5 to u
nu = math.sqrt(sum(x * x for x in u)); u = [x / nu for x in u]
dp = sum(a * b for a, b in zip(w, u)); w = [a - dp * b for a, b in zip(w, u)]; nw = math.sqrt(sum(x * x for x in w)); w = [x / nw for x in w]
v = [0.5 * a + math.sqrt(0.75) * b for a, b in zip(u, w)]
tot = 0
for _ in range(3000):
    ham = 0
    for _ in range(64):
        r = [rng.gauss(0, 1) for _ in range(d)]
        ham += (sum(a * b for a, b in zip(r, u)) > 0) != (sum(a * b for a, b in zip(r, v)) > 0)
    tot += ham
print("simhash.001: 64 / 3 =", round(64 / 3, 3), " simulated mean Hamming distance:", round(tot / 3000, 3))

# timsort.001: comparisons made by sorted() on an already sorted list of 10^6 distinct items.
class K:
    n = 0
    __slots__ = ("v",)
    def __init__(self, v): self.v = v
    def __lt__(self, o): K.n += 1; return self.v < o.v
xs = [K(i) for i in range(10 ** 6)]
K.n = 0; sorted(xs); print("timsort.001: comparisons on sorted input =", K.n)
ys = [K(i) for i in range(10 ** 6)]; rng.shuffle(ys)
K.n = 0; sorted(ys); print("   on shuffled input:", K.n, " (n log2 n =", round(10 ** 6 * math.log2(10 ** 6)), ")")

# reservoir_merge.001: expected share from the 3M stream when merging reservoirs of streams 3M and 1M.
print("reservoir_merge.001: 1000 * 3 / 4 =", 1000 * 3 / 4)

# wer.001: word-level edit distance.
def lev(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]
ref = "turn on the kitchen lights".split(); hyp = "turn the kitchen light on".split()
print("wer.001: distance =", lev(ref, hyp), " WER =", round(100 * lev(ref, hyp) / len(ref), 2), "%")

# ivf.001: 10,240,000 vectors, 4,096 lists of equal size, nprobe 16.
print("ivf.001: distances per query =", 4096 + 16 * 10240000 // 4096)

# dijkstra_dense.001: E log2 V vs V^2 with V = 10^4, E = V^2.
print("dijkstra_dense.001: log2(10^4) =", round(math.log2(1e4), 3))

# topo_count.001: A, B before C; C before D; E free.
cnt = 0
for p in itertools.permutations("ABCDE"):
    pos = {x: i for i, x in enumerate(p)}
    cnt += pos["A"] < pos["C"] and pos["B"] < pos["C"] and pos["C"] < pos["D"]
print("topo_count.001: valid orders =", cnt)

# bisection.001: [0, 1000] to width <= 0.001.
k = 0; wdt = 1000.0
while wdt > 1e-3: wdt /= 2; k += 1
print("bisection.001: halvings =", k)

# converted
print("searching.001: ceil(log2(1e9 + 1)) =", math.ceil(math.log2(1e9 + 1)))
print("sorting.003: runs =", 1024 // 16, "-> 1 run pass + 1 merge pass = 2")
moved = sum(1 for h in range(11 * 10 * 1000) if h % 10 != h % 11) / (11 * 10 * 1000)
print("hashing.001: share of keys moving from % 10 to % 11 =", round(100 * moved, 3), "%  (10/11 =", round(1000 / 11, 3), ")")
# streaming_one_pass.001: Welford's exact running variance
data = [rng.gauss(5, 2) for _ in range(1000)]
n = 0; mean = 0.0; m2 = 0.0
for x in data: n += 1; dl = x - mean; mean += dl / n; m2 += dl * (x - mean)
mu = sum(data) / len(data)
print("streaming_one_pass.001: Welford variance", round(m2 / (n - 1), 10), " two-pass", round(sum((x - mu) ** 2 for x in data) / (n - 1), 10))

"""Checks of the numbers and claims in the new algorithms_data_structures items."""
import math, random, heapq, hashlib, bisect
rng = random.Random(14)

# algorithms_data_structures.sampling.001: weighted reservoir keys; at k = 1, P(choose i) should be w_i / sum w.
ws = [1.0, 2.0, 7.0]
keys = {"u*w": lambda u, w: u * w, "u^w": lambda u, w: u ** w, "w/u": lambda u, w: w / u, "u^(1/w)": lambda u, w: u ** (1 / w)}
for name, kf in keys.items():
    cnt = [0, 0, 0]
    for _ in range(200000):
        best = max(range(3), key=lambda i: kf(rng.random(), ws[i]))
        cnt[best] += 1
    print("sampling.001: key %-8s P(choose) = %s (target 0.1 0.2 0.7)" % (name, " ".join("%.3f" % (c / 200000) for c in cnt)))

# algorithms_data_structures.ranking.001: discordant pairs = inversions, O(n log n) by merge sort; footrule differs.
def inversions(a):
    if len(a) <= 1:
        return a, 0
    m = len(a) // 2
    l, x = inversions(a[:m]); r, y = inversions(a[m:])
    out, i, j, inv = [], 0, 0, x + y
    while i < len(l) and j < len(r):
        if l[i] <= r[j]:
            out.append(l[i]); i += 1
        else:
            out.append(r[j]); j += 1; inv += len(l) - i
    out += l[i:] + r[j:]
    return out, inv
for trial in range(5):
    n = 60
    r1 = list(range(n)); rng.shuffle(r1)          # r1[item] = rank in ranking 1
    r2 = list(range(n)); rng.shuffle(r2)
    brute = sum(1 for i in range(n) for j in range(i + 1, n) if (r1[i] - r1[j]) * (r2[i] - r2[j]) < 0)
    order = sorted(range(n), key=lambda i: r1[i])
    fast = inversions([r2[i] for i in order])[1]
    footrule = sum(abs(r1[i] - r2[i]) for i in range(n))
    print("ranking.001: brute %d  merge-sort %d  footrule %d" % (brute, fast, footrule))
    assert brute == fast

# algorithms_data_structures.shortest_paths.001: -log(rate) weights can be negative; Dijkstra fails, Bellman-Ford works.
rates = {("USD", "EUR"): 0.90, ("USD", "GBP"): 0.80, ("GBP", "EUR"): 1.20, ("EUR", "JPY"): 160.0}
E = [(a, b, -math.log(r)) for (a, b), r in rates.items()]
nodes = {"USD", "EUR", "GBP", "JPY"}
def dijkstra(src):
    dist = {v: math.inf for v in nodes}; dist[src] = 0.0; done = set(); pq = [(0.0, src)]
    while pq:
        d, u = heapq.heappop(pq)
        if u in done:
            continue
        done.add(u)
        for a, b, w in E:
            if a == u and b not in done and d + w < dist[b]:
                dist[b] = d + w; heapq.heappush(pq, (dist[b], b))
    return dist
def bellman_ford(src):
    dist = {v: math.inf for v in nodes}; dist[src] = 0.0
    for _ in range(len(nodes) - 1):
        for a, b, w in E:
            if dist[a] + w < dist[b]:
                dist[b] = dist[a] + w
    neg = any(dist[a] + w < dist[b] - 1e-12 for a, b, w in E)
    return dist, neg
dj = dijkstra("USD"); bf, neg = bellman_ford("USD")
print("shortest_paths.001: USD->JPY Dijkstra rate %.2f, Bellman-Ford rate %.2f (best path USD-GBP-EUR-JPY = %.2f), negative cycle: %s"
      % (math.exp(-dj["JPY"]), math.exp(-bf["JPY"]), 0.8 * 1.2 * 160, neg))

# algorithms_data_structures.hashing.001: 10 -> 11 servers, mod N vs consistent hashing with virtual nodes.
keys_ = [hashlib.md5(str(i).encode()).hexdigest() for i in range(100000)]
h = [int(k, 16) for k in keys_]
moved_mod = sum(1 for x in h if x % 10 != x % 11) / len(h)
def ring(nserv, vnodes=200):
    pts = sorted((int(hashlib.md5(f"s{s}-v{v}".encode()).hexdigest(), 16), s) for s in range(nserv) for v in range(vnodes))
    return [p for p, _ in pts], [s for _, s in pts]
def owner(r, x):
    pos, srv = r
    i = bisect.bisect_right(pos, x) % len(pos)
    return srv[i]
r10, r11 = ring(10), ring(11)
hh = [int(hashlib.sha1(k.encode()).hexdigest(), 16) % (1 << 128) for k in keys_]
moved_ring = sum(1 for x in hh if owner(r10, x) != owner(r11, x)) / len(hh)
print("hashing.001: moved with mod N: %.3f (theory 10/11 = %.3f); with consistent hashing: %.3f (theory 1/11 = %.3f)"
      % (moved_mod, 10 / 11, moved_ring, 1 / 11))

# ---- numeric and multiple-select items ----
# algorithms_data_structures.bloom_filter.001: m/n = 10 bits per element, k = 7 hashes.
fp = (1 - math.exp(-7 / 10)) ** 7
print("bloom_filter.001: false-positive rate %.4f%%" % (100 * fp))
m, n_, kh = 10000, 1000, 7
bits = [False] * m
for i in range(n_):
    for j in range(kh):
        bits[int(hashlib.sha1(f"{i}-{j}".encode()).hexdigest(), 16) % m] = True
tests = 200000
fps = sum(all(bits[int(hashlib.sha1(f"x{i}-{j}".encode()).hexdigest(), 16) % m] for j in range(kh)) for i in range(tests))
print("   simulated false-positive rate %.3f%%" % (100 * fps / tests))

# algorithms_data_structures.hashing.002: expected colliding pairs among 1e9 random 64-bit hashes.
n_ = 10 ** 9
print("hashing.002: expected colliding pairs %.4f (64-bit), %.3g (32-bit)" % (n_ * (n_ - 1) / 2 / 2 ** 64, n_ * (n_ - 1) / 2 / 2 ** 32))

# algorithms_data_structures.lsh.001: MinHash LSH with b = 20 bands of r = 5 rows, Jaccard similarity 0.5.
for s in (0.3, 0.5, 0.8):
    print("lsh.001: similarity %.1f -> candidate probability %.4f" % (s, 1 - (1 - s ** 5) ** 20))
# simulate with random permutations on sets with Jaccard 0.5
U = list(range(300)); A = set(range(0, 200)); B = set(range(100, 300))   # |A&B| = 100, |A|B| = 300 -> 1/3
A = set(range(0, 150)); B = set(range(50, 200)); U = list(range(200))   # |A&B| = 100, |A|B| = 200 -> 0.5
hits = 0; R = 2000
for _ in range(R):
    cand = False
    for band in range(20):
        same = True
        for row in range(5):
            perm = U[:]; rng.shuffle(perm)
            rank = {v: i for i, v in enumerate(perm)}
            if min(rank[v] for v in A) != min(rank[v] for v in B):
                same = False
                break
        if same:
            cand = True
            break
    hits += cand
print("   simulated candidate probability at similarity 0.5: %.3f" % (hits / R))

# algorithms_data_structures.binary_search.001: binary search on a monotone predicate (largest batch that fits).
fits = lambda b: b * 3.1 + 7 <= 80          # monotone: fits for small batches, not for large
lo, hi = 1, 1024
while lo < hi:
    mid = (lo + hi + 1) // 2
    if fits(mid):
        lo = mid
    else:
        hi = mid - 1
print("binary_search.001: largest batch that fits = %d (direct %d)" % (lo, max(b for b in range(1, 1025) if fits(b))))

# algorithms_data_structures.union_find.001: union-find with sizes answers connectivity, component count and sizes.
parent = list(range(10)); size = [1] * 10; comps = 10
def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]; x = parent[x]
    return x
def union(a, b):
    global comps
    ra, rb = find(a), find(b)
    if ra == rb:
        return
    if size[ra] < size[rb]:
        ra, rb = rb, ra
    parent[rb] = ra; size[ra] += size[rb]; comps -= 1
for a, b in [(0, 1), (1, 2), (3, 4), (5, 6), (6, 7), (7, 5)]:
    union(a, b)
print("union_find.001: components %d, connected(0,2) %s, connected(0,3) %s, size of 5's component %d" % (comps, find(0) == find(2), find(0) == find(3), size[find(5)]))

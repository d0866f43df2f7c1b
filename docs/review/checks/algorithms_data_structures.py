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

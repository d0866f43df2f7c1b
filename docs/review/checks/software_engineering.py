"""Checks of the claims in the new software_engineering items (CPython 3)."""
import subprocess, sys, os, gc, weakref, functools, asyncio, time, threading

# software_engineering.hashing.001: str hashes are salted per process; int hashes and % are not the problem.
cmd = [sys.executable, "-c", "print(hash('user_42') % 1000, hash(42) % 1000, -7 % 1000)"]
env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
outs = [subprocess.run(cmd, capture_output=True, text=True, env=env).stdout.split() for _ in range(4)]
print("hashing.001: (str bucket, int bucket, -7 % 1000) in 4 processes:", outs)
assert len({o[0] for o in outs}) > 1 and len({o[1] for o in outs}) == 1 and outs[0][2] == "993"

# software_engineering.memory.003: lru_cache on a method keeps every instance alive.
class Model:
    def __init__(self):
        self.weights = bytearray(10 ** 6)
    @functools.lru_cache(maxsize=None)
    def embed(self, text):
        return len(text)
m = Model(); m.embed("a"); r = weakref.ref(m); del m; gc.collect()
print("memory.003: instance still alive after del + gc:", r() is not None, "; cache size", Model.embed.cache_info().currsize)
assert r() is not None
m2 = Model(); m2.embed("b"); print("   the cache is one per function, shared by instances:", Model.embed.cache_info().currsize)
Model.embed.cache_clear(); gc.collect(); print("   after cache_clear:", r() is None)

# software_engineering.async.001: a blocking call inside async def stalls the loop; to_thread does not.
def predict(_):
    time.sleep(0.2)   # stands in for a native call that releases the GIL
async def handler_blocking():
    await asyncio.sleep(0)
    predict(None)
async def handler_wrapped():
    async def predict_async(x):
        return predict(x)
    await predict_async(None)
async def handler_thread():
    await asyncio.to_thread(predict, None)
async def run(h):
    t = time.perf_counter()
    await asyncio.gather(*[h() for _ in range(10)])
    return time.perf_counter() - t
for name, h in [("blocking + sleep(0)", handler_blocking), ("async wrapper", handler_wrapped), ("to_thread", handler_thread)]:
    print("async.001: 10 concurrent requests, %-20s %.2f s" % (name, asyncio.run(run(h))))

# software_engineering.caching.001: on expiry, N concurrent misses recompute N times unless coalesced.
def stampede(coalesce, n=50):
    computes = [0]; lock = threading.Lock(); inflight = {}
    cache = {}
    def get(key):
        if key in cache:
            return cache[key]
        if coalesce:
            with lock:
                ev = inflight.get(key)
                leader = ev is None
                if leader:
                    ev = inflight[key] = threading.Event()
            if not leader:
                ev.wait(); return cache[key]
        computes[0] += 1; time.sleep(0.05); cache[key] = 1
        if coalesce:
            ev.set()
        return 1
    ts = [threading.Thread(target=get, args=("seg",)) for _ in range(n)]
    [t.start() for t in ts]; [t.join() for t in ts]
    return computes[0]
print("caching.001: recomputations for 50 concurrent misses: plain %d, single-flight %d" % (stampede(False), stampede(True)))

# ---- numeric and multiple-select items ----
# software_engineering.retries.001: three layers, each 1 try + 3 retries, bottom always fails.
calls = [0]
def layer(depth):
    if depth == 3:
        calls[0] += 1
        raise RuntimeError("down")
    for attempt in range(4):
        try:
            return layer(depth + 1)
        except RuntimeError:
            pass
    raise RuntimeError("gave up")
try:
    layer(0)
except RuntimeError:
    pass
print("retries.001: calls reaching the bottom service per user request:", calls[0])

# software_engineering.tail_latency.001: fan-out to 20 backends, each slow with probability 1%.
print("tail_latency.001: P(request slow) = %.2f%%" % (100 * (1 - 0.99 ** 20)))
import random
rng = random.Random(14)
sim = sum(any(rng.random() < 0.01 for _ in range(20)) for _ in range(200000)) / 200000
print("   simulated %.2f%%" % (100 * sim))

# software_engineering.capacity.001: Little's law L = lambda * W.
print("capacity.001: in flight = 200 req/s * 0.050 s = %.1f" % (200 * 0.050))

# software_engineering.copying.001: which expressions give an independent copy of a nested list.
import copy, json
a = [[1, 2], [3, 4]]
cands = {
    "copy.deepcopy(a)": lambda: copy.deepcopy(a),
    "a[:]": lambda: a[:],
    "list(a)": lambda: list(a),
    "[row[:] for row in a]": lambda: [row[:] for row in a],
    "a.copy()": lambda: a.copy(),
    "json.loads(json.dumps(a))": lambda: json.loads(json.dumps(a)),
}
for name, f in cands.items():
    b = f(); b[0][0] = 99
    print("copying.001: %-26s original after b[0][0] = 99: %s" % (name, a))
    a[0][0] = 1

# software_engineering.memory.004: tracemalloc shows a growing allocation site in a leaking loop.
import tracemalloc, gc
leak = []
class Req:
    def __init__(self):
        self.payload = bytearray(1000)
def handle(i):
    leak.append(Req())        # the bug: a module-level list keeps every request
tracemalloc.start()
for i in range(100):
    handle(i)
s1 = tracemalloc.take_snapshot()
for i in range(2000):
    handle(i)
s2 = tracemalloc.take_snapshot()
top = s2.compare_to(s1, "lineno")[0]
print("memory.004: top growing site between snapshots: %s" % top)
print("   live Req objects:", sum(1 for o in gc.get_objects() if isinstance(o, Req)))

"""Checks of the claims in the software_engineering items of batch 3 (issue 14).

Plain CPython 3 (3.11 here), no third-party packages; git for the merge item, a local venv
(no network) for the CI cache item. Seeded where random. Prints each figure the items quote.
Run: python3 docs/review/checks/software_engineering_b3.py
"""
import asyncio, cProfile, concurrent.futures, functools, heapq, io, ipaddress, math, operator
import os, pstats, random, socket, sqlite3, struct, subprocess, sys, tempfile, threading, time
from urllib.parse import urlsplit


def section(name):
    print("\n== " + name)


# ---------------------------------------------------------------- conversions of existing items
section("debugging.002 (now numeric): worst-case git bisect steps over 200 suspect commits")
def bisect_steps(n):
    # candidates for the first bad commit: n (the last one is known bad); each test halves the range
    worst = 0
    for first_bad in range(n):
        lo, hi, steps = 0, n - 1, 0          # answer in [lo, hi]
        while lo < hi:
            mid = (lo + hi) // 2
            steps += 1
            if mid >= first_bad:
                hi = mid
            else:
                lo = mid + 1
        worst = max(worst, steps)
    return worst
print("worst case tests:", bisect_steps(200), "; log2(200) = %.2f" % math.log2(200))
assert bisect_steps(200) == 8

# the same with git itself: 200 commits after a good release, for several positions of the first bad commit
def make_linear_repo(repo, n):
    # commits 0..n on main, commit i sets file v to i; built with one fast-import call (fast)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    stream = []
    for i in range(n + 1):
        data = str(i)
        stream.append("commit refs/heads/main\nmark :%d\ncommitter t <t@t> %d +0000\ndata 2\nc\n" % (i + 1, 1700000000 + i))
        if i:
            stream.append("from :%d\n" % i)
        stream.append("M 644 inline v\ndata %d\n%s\n" % (len(data), data))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input="".join(stream), text=True, check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)
def git_bisect_tests(repo, first_bad, n=200):
    run = lambda *a: subprocess.run(["git", *a], cwd=repo, capture_output=True, text=True, check=True).stdout
    revs = run("rev-list", "--reverse", "main").split()
    run("bisect", "start", revs[n], revs[0])
    tests = 0
    while True:
        cur = int(open(os.path.join(repo, "v")).read())
        tests += 1
        out = run("bisect", "bad" if cur >= first_bad else "good")
        if "is the first bad commit" in out:
            run("bisect", "reset")
            return tests
with tempfile.TemporaryDirectory() as repo:
    make_linear_repo(repo, 200)
    worst_git = max(git_bisect_tests(repo, fb) for fb in (1, 2, 64, 100, 101, 150, 199, 200))
print("git 2.39 bisect, worst of 8 positions of the first bad commit:", worst_git, "tests")
assert worst_git == 8

section("numerics.001 (now numeric): float32 counter incremented 20,000,000 times")
def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]
# every integer up to 2**24 is exact in float32 (spot-checked), so the counter reaches 2**24 - 3 exactly;
# run the last increments one float32 addition at a time
assert all(f32(float(k)) == k for k in range(0, 2 ** 24 + 1, 4093)) and f32(float(2 ** 24 - 1)) == 2 ** 24 - 1
total, done = f32(float(2 ** 24 - 3)), 2 ** 24 - 3
while done < 20_000_000:
    new = f32(total + 1.0); done += 1
    if new == total:
        break                         # stuck: every further addition rounds back to the same value
    total = new
print("float32 counter sticks at", int(total), "from increment", done, "on; 2**24 =", 2 ** 24, "; f32(2**24 + 1) =", int(f32(2.0 ** 24 + 1)))
assert int(total) == 16777216

section("debugging.003 (now multi): which definitions of scalers print [10, 20, 30]")
variants = {}
variants["A lambda x: x * k"] = [lambda x: x * k for k in range(1, 4)]
variants["B lambda x, k=k: x * k"] = [lambda x, k=k: x * k for k in range(1, 4)]
variants["C functools.partial(operator.mul, k)"] = [functools.partial(operator.mul, k) for k in range(1, 4)]
loop = []
for k in range(1, 4):
    loop.append(lambda x: x * k)
variants["D for-loop appending lambda x: x * k"] = loop
variants["E factory (lambda k: lambda x: x * k)(k)"] = [(lambda k: lambda x: x * k)(k) for k in range(1, 4)]
for name, fs in variants.items():
    print("%-42s -> %s" % (name, [f(10) for f in fs]))

section("environments.001 (now multi): pip never removes extras; documented, see ci_cache below")

# ---------------------------------------------------------------- new items
section("concurrency.004: a lock held by another thread at fork stays locked in the child")
client_lock = threading.Lock()           # stands in for a metrics client's buffer lock
held = threading.Event(); release = threading.Event()
def flusher():
    with client_lock:                    # the background thread is inside its critical section
        held.set(); release.wait()
t = threading.Thread(target=flusher); t.start(); held.wait()
pid = os.fork()
if pid == 0:                             # child: only the forking thread exists here
    got = client_lock.acquire(timeout=2.0)
    os._exit(0 if got else 7)
release.set(); t.join()
_, status = os.waitpid(pid, 0)
print("child could acquire the lock within 2 s:", os.waitstatus_to_exitcode(status) == 0,
      "(exit code %d; 7 = timed out, i.e. a real child would hang forever)" % os.waitstatus_to_exitcode(status))
print("threads alive in a forked child: only the caller of fork(); parent had", threading.active_count())
assert os.waitstatus_to_exitcode(status) == 7

section("async.002: wait_for on to_thread leaves hung calls occupying the pool")
async def cancellation_demo():
    loop = asyncio.get_running_loop()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=4)
    loop.set_default_executor(pool)
    never = threading.Event()
    def fetch(hang):
        if hang:
            never.wait(5)                # a call with no timeout of its own (bounded here so the script ends)
        return "ok"
    results = []
    # 12 requests, every third one hits a hung connection; each request times out after 0.2 s
    for i in range(12):
        try:
            await asyncio.wait_for(asyncio.to_thread(fetch, i % 3 == 0), timeout=0.2)
            results.append("ok")
        except asyncio.TimeoutError:
            results.append("timeout")
    never.set(); pool.shutdown(wait=True)
    return results
res = asyncio.run(cancellation_demo())
print("request outcomes (every 3rd hangs):", res)
print("fast requests that timed out after the pool filled:", sum(1 for i, r in enumerate(res) if i % 3 and r == "timeout"))
assert res[-1] == "timeout" and res[1] == "ok"

# a call still queued in the pool when its await is cancelled never runs
async def queued_cancel_demo():
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    asyncio.get_running_loop().set_default_executor(pool)
    ran = []
    gate = threading.Event()
    blocker = asyncio.ensure_future(asyncio.to_thread(gate.wait, 2))
    await asyncio.sleep(0.05)
    try:
        await asyncio.wait_for(asyncio.to_thread(ran.append, "queued call ran"), timeout=0.1)
    except asyncio.TimeoutError:
        pass
    gate.set(); await blocker; pool.shutdown(wait=True)
    return ran
print("queued call cancelled by its timeout, later ran:", asyncio.run(queued_cancel_demo()) != [])

section("version_control.004: re-merging a branch after reverting its merge")
def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout
with tempfile.TemporaryDirectory() as repo:
    env_args = ["-c", "user.name=t", "-c", "user.email=t@t"]
    def g(*a):
        return git(*env_args, *a, cwd=repo)
    g("init", "-q", "-b", "main")
    open(os.path.join(repo, "app.py"), "w").write("base\n")
    open(os.path.join(repo, "config.py"), "w").write("THRESHOLD = 0.5\n")
    g("add", "."); g("commit", "-qm", "base")
    g("checkout", "-qb", "ranker-v2")
    for i in range(12):
        open(os.path.join(repo, "ranker_%02d.py" % i), "w").write("feature %d\n" % i)
        g("add", "."); g("commit", "-qm", "feature %d" % i)
    g("checkout", "-q", "main")
    g("merge", "-q", "--no-ff", "-m", "merge ranker-v2", "ranker-v2")
    g("revert", "--no-edit", "-m", "1", "HEAD")
    n_after_revert = len([f for f in os.listdir(repo) if f.startswith("ranker_")])
    g("checkout", "-q", "ranker-v2")
    open(os.path.join(repo, "config.py"), "w").write("THRESHOLD = 0.7\n")     # fix F, a file the 12 did not touch
    g("commit", "-qam", "fix F")
    g("checkout", "-q", "main")
    g("merge", "-q", "--no-ff", "-m", "merge ranker-v2 again", "ranker-v2")
    feature_files = sorted(f for f in os.listdir(repo) if f.startswith("ranker_"))
    cfg = open(os.path.join(repo, "config.py")).read().strip()
    print("feature files after revert: %d; after re-merge: %d; config: %s" % (n_after_revert, len(feature_files), cfg))
    assert feature_files == [] and cfg == "THRESHOLD = 0.7"
    g("revert", "--no-edit", "HEAD~1")    # the fix: revert the revert (HEAD~1 is the revert commit)
    print("after reverting the revert:", len([f for f in os.listdir(repo) if f.startswith("ranker_")]), "feature files")

section("datetime.001: aware datetime + timedelta is wall-clock arithmetic")
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
last = datetime(2026, 3, 28, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
nxt = last + timedelta(hours=24)
real = (nxt.astimezone(timezone.utc) - last.astimezone(timezone.utc)).total_seconds() / 3600
print("last %s  nxt %s  nxt - last prints %s  real elapsed %.0f h (timestamps: %.0f h)" %
      (last, nxt, nxt - last, real, (nxt.timestamp() - last.timestamp()) / 3600))
print("29 March 2026 is a", datetime(2026, 3, 29).strftime("%A"), "(last Sunday of March: EU clocks go forward)")
print("absolute arithmetic instead: ", (last.astimezone(timezone.utc) + timedelta(hours=24)).astimezone(ZoneInfo("Europe/Berlin")))
assert real == 23 and str(nxt - last) == "1 day, 0:00:00"

section("api_design.004: check-then-act vs insert-first with a unique key")
def payout_demo(insert_first):
    db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    if insert_first:
        db.execute("CREATE TABLE idem (k TEXT PRIMARY KEY, status TEXT)")
    else:
        db.execute("CREATE TABLE idem (k TEXT, status TEXT)")
    payouts = []
    both_checked = threading.Barrier(2)
    def request(replica):
        if insert_first:
            try:
                db.execute("INSERT INTO idem VALUES ('key-1', 'pending')")
            except sqlite3.IntegrityError:
                return                                     # someone else owns the key
            payouts.append(replica)
            db.execute("UPDATE idem SET status = 'done' WHERE k = 'key-1'")
        else:
            seen = db.execute("SELECT 1 FROM idem WHERE k = 'key-1'").fetchone()
            both_checked.wait()                            # the unlucky interleaving: both look before either writes
            if seen is None:
                payouts.append(replica)
                db.execute("INSERT INTO idem VALUES ('key-1', 'done')")
    ts = [threading.Thread(target=request, args=(r,)) for r in ("replica-a", "replica-b")]
    [t.start() for t in ts]; [t.join() for t in ts]
    return len(payouts)
print("payouts for one key, look-up-then-insert:", payout_demo(False), "; insert-first under a unique key:", payout_demo(True))
assert payout_demo(False) == 2 and payout_demo(True) == 1

section("testing.005: numpy's allclose rule |a - b| <= atol + rtol * |b| (defaults rtol=1e-5, atol=1e-8)")
def allclose(a, b, rtol=1e-5, atol=1e-8):      # numpy.allclose's documented formula, element-wise
    return all(abs(x - y) <= atol + rtol * abs(y) for x, y in zip(a, b))
g_n = [1.0e-9, -2.5e-9, 0.7e-9, 3.1e-9]
g_a = [2 * v for v in g_n]                     # the bug: twice the true gradient
s = max(abs(v) for v in g_n)
rel = max(abs(x - y) / max(abs(x), abs(y)) for x, y in zip(g_a, g_n))
checks = {
    "0 allclose(g_a, g_n)": allclose(g_a, g_n),
    "1 allclose(g_a, g_n, atol=0)": allclose(g_a, g_n, atol=0),
    "2 allclose(g_a, g_n, rtol=1e-3)": allclose(g_a, g_n, rtol=1e-3),
    "3 allclose(g_a / s, g_n / s)": allclose([x / s for x in g_a], [y / s for y in g_n]),
    "4 max|g_a - g_n| < 1e-6": max(abs(x - y) for x, y in zip(g_a, g_n)) < 1e-6,
    "5 max relative error < 1e-4": rel < 1e-4,
}
for name, passed in checks.items():
    print("%-34s passes=%s -> %s" % (name, passed, "misses the bug" if passed else "catches the bug"))
print("max relative error:", rel)

section("security.001: address forms a string blocklist misses")
for host in ["169.254.169.254", "2852039166", "0xa9fea9fe", "169.254.43518"]:
    try:
        print("inet_aton(%r) -> %s" % (host, socket.inet_ntoa(socket.inet_aton(host))))
    except OSError as e:
        print(host, e)
print("urlsplit('http://2852039166/latest/meta-data/').hostname =", urlsplit("http://2852039166/latest/meta-data/").hostname)
for a in ["169.254.169.254", "127.0.0.1", "10.1.2.3", "::ffff:169.254.169.254", "8.8.8.8"]:
    ip = ipaddress.ip_address(a)
    mapped = getattr(ip, "ipv4_mapped", None)
    print("%-24s link_local=%s private=%s loopback=%s ipv4_mapped=%s" % (a, ip.is_link_local, ip.is_private, ip.is_loopback, mapped))

section("reliability.001: 120 req/s into a 100 req/s FIFO, clients wait 2 s")
def overload(sim_seconds=30, lam=120, mu=100, patience=2.0):
    # deterministic arrivals every 1/lam s, service 1/mu s each, FIFO, the server finishes every request
    first_late = None
    free_at = 0.0
    in_time_done = 0
    for i in range(int(sim_seconds * lam)):
        arr = i / lam
        start = max(arr, free_at)
        free_at = start + 1 / mu
        if start - arr > patience and first_late is None:
            first_late = arr
        if start - arr <= patience:
            in_time_done += 1
    return first_late
print("first arrival whose queueing wait exceeds 2 s: t = %.2f s after the jump" % overload())
print("closed form: queue grows 20/s, wait = queue/100 = 0.2 t s > 2 s when t > %.0f s" % (2.0 / 0.2))

section("ci.001: 50 flaky tests at 2%, each rerun once")
p_run = 1 - (1 - 0.02 ** 2) ** 50
print("P(run fails) with one rerun: %.4f%%; without rerun: %.2f%%; linear guess 50 x 0.04%% = %.2f%%" %
      (100 * p_run, 100 * (1 - 0.98 ** 50), 100 * 50 * 0.02 ** 2))
rng = random.Random(14)
runs = 200000
fails = sum(any(rng.random() < 0.02 and rng.random() < 0.02 for _ in range(50)) for _ in range(runs))
print("simulated: %.2f%%" % (100 * fails / runs))

section("ci.002 and environments.001: pip check looks only at declared dependencies")
# Creating a venv and installing local packages offline takes about 20 s here and needs `wheel`, which this
# machine lacks, so the uninstall behaviour is taken from pip's documentation: `pip install -r` and
# `pip install --upgrade -r` install or upgrade what the file lists and never remove anything else.
# `pip check` only verifies that installed packages' declared requirements are met: this environment has
# many packages that no requirements file lists, and pip check is silent about them.
chk = subprocess.run([sys.executable, "-m", "pip", "check", "--disable-pip-version-check"], capture_output=True, text=True)
n_inst = len(subprocess.run([sys.executable, "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
                            capture_output=True, text=True).stdout.split())
print("pip check on an environment of %d packages, none listed anywhere: %r (exit %d)" % (n_inst, chk.stdout.strip(), chk.returncode))

section("performance.003: 3 h job, 70% tokenization made 20x faster")
print("new runtime = 180 * (0.3 + 0.7 / 20) = %.1f min; speed-up %.2fx" % (180 * (0.3 + 0.7 / 20), 1 / (0.3 + 0.7 / 20)))

section("memory.005: list of floats vs array('d') on 64-bit CPython")
import array
fl = [float(i) + 0.5 for i in range(1000)]
per_obj = sys.getsizeof(fl[0]); ptr = struct.calcsize("P")
arr = array.array("d", fl)
print("float object %d B + pointer %d B = %d B vs %d B per element -> ratio %.1f" %
      (per_obj, ptr, per_obj + ptr, arr.itemsize, (per_obj + ptr) / arr.itemsize))
assert (per_obj + ptr) / arr.itemsize == 4.0

section("api_design.005: offset pages, 7 items inserted before page 4")
items = ["old%03d" % i for i in range(300)]           # newest first
seen = set()
for page in range(3):
    seen.update(items[page * 50:(page + 1) * 50])
items = ["new%d" % i for i in range(7)] + items          # 7 new items at the top
page4 = items[150:200]
print("items on page 4 already seen:", sum(1 for x in page4 if x in seen))
deleted = ["old%03d" % i for i in range(300)]
del deleted[10:17]                                       # the opposite case: 7 deletions before page 4
print("if instead 7 items of page 1 were deleted, items never shown:", len(set(["old%03d" % i for i in range(150, 157)]) - set(deleted[150:200]) - seen))

section("testing.006: what overfitting one batch can and cannot reveal")
# (a) softmax applied before a cross-entropy that expects logits: the loss has a floor above 0
for C in (2, 10):
    floor = -math.log(math.e / (math.e + (C - 1)))
    print("classes=%d: best possible loss with probabilities fed as logits = %.3f (not near 0)" % (C, floor))
# (b) labels shifted by one row (effectively random) are still memorized by an over-parameterized model
rng = random.Random(14)
n, dim = 32, 64
X = [[rng.gauss(0, 1) for _ in range(dim)] for _ in range(n)]
true_y = [1 if sum(x[:3]) > 0 else 0 for x in X]
y = true_y[1:] + true_y[:1]                                # each input gets the next row's label
w = [0.0] * dim
for step in range(500):
    grad = [0.0] * dim
    loss = 0.0
    for xi, yi in zip(X, y):
        z = sum(a * b for a, b in zip(w, xi)); p = 1 / (1 + math.exp(-z))
        loss += -(yi * math.log(max(p, 1e-12)) + (1 - yi) * math.log(max(1 - p, 1e-12)))
        for j in range(dim):
            grad[j] += (p - yi) * xi[j]
    w = [a - 0.5 * g / n for a, g in zip(w, grad)]
print("logistic model, 64 weights, 32 examples with shifted labels: train loss after 500 steps = %.4f" % (loss / n))
print("   labels that actually differ from the true ones: %d of 32" % sum(a != b for a, b in zip(y, true_y)))

section("code_review.002: the batching generator under review")
def batched(items, size):
    batch = []
    for x in items:
        batch.append(x)
        if len(batch) == size:
            yield batch
            batch.clear()
print("list(batched([1, 2, 3, 4, 5], 2)) =", list(batched([1, 2, 3, 4, 5], 2)))
print("printing while iterating:", [list(b) for b in batched([1, 2, 3, 4, 5], 2)], "(the 5 is never yielded)")
print("two calls give the same batches:", [list(b) for b in batched("abcd", 2)] == [list(b) for b in batched("abcd", 2)])
print("size=0 terminates and yields:", list(batched([1, 2, 3], 0)))

section("concurrency.005: 95 requests, Semaphore(10), 0.4 s each (scaled 1/10 here)")
async def sem_job(n=95, limit=10, dur=0.04):
    sem = asyncio.Semaphore(limit)
    async def one():
        async with sem:
            await asyncio.sleep(dur)
    t0 = time.perf_counter()
    await asyncio.gather(*[one() for _ in range(n)])
    return time.perf_counter() - t0
el = asyncio.run(sem_job())
print("elapsed %.3f s scaled -> %.2f s at 0.4 s per request (waves = ceil(95/10) = %d)" % (el, el * 10, math.ceil(95 / 10)))

section("reliability.002: retries that outlive the caller's deadline")
t = 0.0; starts = []
for attempt in range(4):
    starts.append(round(t, 3)); t += 0.8
    if attempt < 3:
        t += [0.1, 0.2, 0.4][attempt]
print("attempt starts:", starts, "; library stops at %.1f s; gateway gave up at 2.0 s -> %.1f s later" % (t, t - 2.0))
print("attempts started after the gateway gave up:", sum(1 for s in starts if s >= 2.0))

section("reliability.003: capacity 100, refill 10/s, 30 req/s for 10 s, starts full")
def bucket(rate_in=30, secs=10, cap=100.0, refill=10.0):
    tokens, last, ok = cap, 0.0, 0
    for i in range(rate_in * secs):
        t = i / rate_in
        tokens = min(cap, tokens + (t - last) * refill); last = t
        if tokens >= 1:
            tokens -= 1; ok += 1
    return ok
print("accepted: %d of 300 (closed form 100 + 10 x 10 = 200)" % bucket())

section("data_structures.001: equal priorities make heapq compare the payloads")
q = []
heapq.heappush(q, (2, {"id": "a"}))
heapq.heappush(q, (1, {"id": "b"}))
try:
    heapq.heappush(q, (1, {"id": "c"}))
    print("no error")
except TypeError as e:
    print("TypeError:", e)
import itertools
cnt = itertools.count(); q = []
for pr_, job in [(2, {"id": "a"}), (1, {"id": "b"}), (1, {"id": "c"})]:
    heapq.heappush(q, (pr_, next(cnt), job))
print("with a counter tie-breaker, pop order:", [heapq.heappop(q)[2]["id"] for _ in range(3)])

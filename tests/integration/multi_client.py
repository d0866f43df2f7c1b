#!/usr/bin/env python3
"""Candidates taking whole practice tests through the load balancer of
tests/integration/multi_process.sh while serve processes are killed and
restarted under them. Each candidate comes from its own loopback address
(127.0.1.K), takes TESTS tests one after the other and honours what the
deployment says: 429 and 503 wait their Retry-After; a 502/504 from the proxy
or a lost connection (the process died with the request) and 409 re-read the
test, whose state says what to answer next. Prints the answers acknowledged
(200) per test and the tests finished. Usage:
multi_client.py PORT CANDIDATES TESTS MARKER (MARKER is created once 50
answers are acknowledged: the kills may begin)."""
import json, sys, threading, time
sys.path.insert(0, "tests/integration")
from attacks import request, practice_start, cookie_of, answer_for

port, ncand, ntests, marker = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
lock = threading.Lock()
acked = {}         # test id -> answers acknowledged (200)
finished = []      # test ids the candidates saw finish
seen = {"429": 0, "502": 0, "503": 0, "409": 0, "lost": 0}
errors = []
DEADLINE = 240.0


def call(method, path, body=None, ip="127.0.0.1", headers=None):
    try:
        return request(port, method, path, body, ip=ip, headers=headers, timeout=20)
    except OSError:
        return 0, {}, None


def wait_for(st, h):
    key = {0: "lost", 504: "502"}.get(st, str(st))
    with lock:
        seen[key] = seen.get(key, 0) + 1
    time.sleep(min(float(h.get("retry-after", "0.3")), 3.0) if st in (429, 503) else 0.3)


def one_test(ip, t0):
    while True:
        try:
            st, h, j = practice_start(port, ip, "deep_learning")
        except OSError:
            st, h, j = 0, {}, None
        if st == 201:
            break
        if st not in (0, 429, 502, 503, 504) or time.monotonic() - t0 > DEADLINE:
            errors.append(f"{ip}: start: {st} {j}")
            return
        wait_for(st, h)
    tid, q = j["test"]["id"], j.get("question")
    hdr = {"Cookie": f"rf_session={cookie_of(h)}", "X-CSRF-Token": j.get("csrf", "")}
    with lock:
        acked[tid] = 0
    while q:
        if time.monotonic() - t0 > DEADLINE:
            errors.append(f"test {tid}: not finished in {DEADLINE} s")
            return
        st, h, r = call("POST", f"/api/tests/{tid}/answers", answer_for(q), ip, hdr)
        if st == 200:
            with lock:
                acked[tid] += 1
                if sum(acked.values()) == 50:
                    open(marker, "w").close()
            q = r.get("question")
            time.sleep(0.15)
            continue
        if st == 429:
            wait_for(st, h)
            continue
        if st not in (0, 409, 502, 503, 504):
            errors.append(f"test {tid}: answer: {st} {r}")
            return
        wait_for(st, h)
        # the answer may or may not be stored: the test's own state says what is next
        while True:
            st, h, g = call("GET", f"/api/tests/{tid}", None, ip, hdr)
            if st == 200:
                break
            if st not in (0, 429, 502, 503, 504) or time.monotonic() - t0 > DEADLINE:
                errors.append(f"test {tid}: get: {st} {g}")
                return
            wait_for(st, h)
        q = g.get("question")
    with lock:
        finished.append(tid)


def candidate(k):
    ip = f"127.0.1.{k + 1}"
    t0 = time.monotonic()
    for _ in range(ntests):
        one_test(ip, t0)


th = [threading.Thread(target=candidate, args=(k,)) for k in range(ncand)]
for t in th: t.start()
for t in th: t.join()
print("errors", len(errors))
for e in errors[:5]:
    print(" ", e)
print("seen", json.dumps(seen))
print("finished", len(finished))
print("acked", json.dumps(acked))
sys.exit(1 if errors else 0)

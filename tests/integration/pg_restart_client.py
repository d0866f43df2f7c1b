#!/usr/bin/env python3
"""Candidates taking whole practice tests while the database restarts
(tests/integration/store_pg.sh): 503 and 409 replies are followed by the
test's own state; prints the answers acknowledged per test. Usage:
pg_restart_client.py PORT CANDIDATES MARKER (MARKER is created once 20 answers
are acknowledged: the moment to restart the database)."""
import json, sys, threading, time
sys.path.insert(0, "tests/integration")
from attacks import request, practice_start, cookie_of, answer_for

port, ncand, marker = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lock = threading.Lock()
acked = {}      # test id -> answers acknowledged (200)
unavail = [0]   # 503 replies seen
errors = []

def candidate(k):
    t0 = time.monotonic()
    while True:
        st, h, j = practice_start(port, "127.0.0.1", "deep_learning")
        if st == 201:
            break
        if st != 503 or time.monotonic() - t0 > 60:
            errors.append(f"start: {st} {j}")
            return
        with lock:
            unavail[0] += 1
        time.sleep(float(h.get("retry-after", "1")))
    tid, q = j["test"]["id"], j.get("question")
    hdr = {"Cookie": f"rf_session={cookie_of(h)}", "X-CSRF-Token": j.get("csrf", "")}
    with lock:
        acked[tid] = 0
    while q:
        if time.monotonic() - t0 > 90:
            errors.append(f"test {tid}: not finished in 90 s")
            return
        st, h, r = request(port, "POST", f"/api/tests/{tid}/answers", answer_for(q), headers=hdr)
        if st == 200:
            with lock:
                acked[tid] += 1
                if sum(acked.values()) == 20:
                    open(marker, "w").close()
            q = r.get("question")
            time.sleep(0.05)
            continue
        if st == 503:
            if "retry-after" not in h:
                errors.append(f"test {tid}: 503 without Retry-After")
            with lock:
                unavail[0] += 1
            time.sleep(float(h.get("retry-after", "1")))
        elif st != 409:
            errors.append(f"test {tid}: answer: {st} {r}")
            return
        # 503 or 409 (the answer may have been stored before the reply was
        # lost): the test's own state says what to answer next
        while True:
            st, h, g = request(port, "GET", f"/api/tests/{tid}", headers=hdr)
            if st == 200:
                break
            if st != 503:
                errors.append(f"test {tid}: get: {st} {g}")
                return
            time.sleep(float(h.get("retry-after", "1")))
        q = g.get("question")

th = [threading.Thread(target=candidate, args=(k,)) for k in range(ncand)]
for t in th: t.start()
for t in th: t.join()
print("errors", len(errors))
for e in errors[:5]:
    print(" ", e)
print("unavailable", unavail[0])
print("acked", json.dumps(acked))
sys.exit(1 if errors else 0)

#!/usr/bin/env python3
"""Replays the availability attacks of issue 21 against a real `rolefit serve`.

The server runs on loopback with a temporary database. Attackers use source
addresses 127.0.x.y (Linux routes all of 127/8 to lo), so every attacker
address has its own per-address budgets, as on the Internet:

  slowloris  16 addresses x 64 connections, each sending one header byte at a
             time and reconnecting whenever the server sheds it;
  sign-in    40 addresses x 10 sign-ins (inside the per-address limit) with
             unknown e-mail addresses: every one costs an argon2 hash;
  practice   50 addresses x 21 practice starts, each with its proof of work.

During each attack a prober fetches /api/health on a fresh connection every
100 ms, and a legitimate user (its own address) signs in, starts a practice
test with its proof of work and answers it (to the end with --full).

Default (make test): functional checks only -- every probe answered 200, the
legitimate user served, the server alive and its peak memory bounded -- with
the slowloris attack shortened (5 s, a byte a second), the sign-in flood at
40 x 3, and the practice attack scaled down (caps 250 open / 5 per address,
50 x 6 starts: the same shape as 1000 / 20 and 50 x 21); about 30 s.
--full (make attacks): the issue's counts and timing, and the timing targets
(health p99 <= 200 ms) are checked too; figures are printed.

Output: one line per check ("ok ..." or "FAIL ..."), figures, and the closing
line "attacks: N passed, M failed". Exit status 0 when nothing failed.
Standard library only.
"""
import argparse
import hashlib
import http.client
import json
import os
import re
import resource
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

PASSWORD = "correct horse battery staple 42"
LEGIT_EMAIL = "legit@example.test"
PROBE_IP = "127.0.0.3"


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.lock = threading.Lock()

    def check(self, cond, name, detail=""):
        with self.lock:
            if cond:
                self.passed += 1
                print(f"ok {name}", flush=True)
            else:
                self.failed += 1
                print(f"FAIL {name}{': ' + detail if detail else ''}", flush=True)


def request(port, method, path, body=None, ip="127.0.0.1", headers=None, timeout=15.0):
    """One request on a fresh connection: (status, headers dict, parsed JSON or None)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(ip, 0))
    try:
        h = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        raw = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        try:
            j = json.loads(raw) if raw else None
        except ValueError:
            j = None
        return r.status, hdrs, j
    finally:
        c.close()


def solve(challenge, bits):
    """The least counter whose SHA-256 with the challenge starts with bits zero bits."""
    if bits == 0:
        return "0"
    n = 0
    while True:
        h = hashlib.sha256(f"{challenge}:{n}".encode()).digest()
        v = int.from_bytes(h[:8], "big")
        if v >> (64 - bits) == 0:
            return str(n)
        n += 1


def practice_start(port, ip, skill, cookie=None):
    """GET a challenge, solve it, POST the start: (status, headers, json)."""
    st, _, ch = request(port, "GET", "/api/practice/challenge", ip=ip)
    if st != 200:
        return st, {}, ch
    body = {"skills": [skill]}
    if ch.get("bits", 0):
        body["pow"] = {"challenge": ch["challenge"], "nonce": solve(ch["challenge"], ch["bits"])}
    return request(port, "POST", "/api/tests", body, ip=ip)


def cookie_of(hdrs):
    m = re.match(r"rf_session=([^;]*)", hdrs.get("set-cookie", ""))
    return m.group(1) if m else None


def answer_for(q):
    if q["type"] == "numeric":
        return {"item": q["item"], "value": "1"}
    if q["type"] == "multi":
        return {"item": q["item"], "selected": [0]}
    return {"item": q["item"], "choice": 0}


class Server:
    def __init__(self, binary, tmp, extra):
        self.tmp = tmp
        db = os.path.join(tmp, "attacks.db")
        add = subprocess.run([binary, "user", "add", "--db", db, "--email", LEGIT_EMAIL,
                              "--name", "Legit", "--org", "Legit org"],
                             input=PASSWORD + "\n", text=True, capture_output=True)
        if add.returncode != 0:
            raise RuntimeError("user add failed: " + add.stderr.strip())
        self.log_path = os.path.join(tmp, "server.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([binary, "serve", "--db", db, "--port", "0", "--quiet"]
                                     + extra, stdout=self.log, stderr=subprocess.STDOUT)
        self.port = None
        for _ in range(600):
            with open(self.log_path) as f:
                m = re.search(r"listening on http://[0-9.]+:(\d+)", f.read())
            if m:
                self.port = int(m.group(1))
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if not self.port:
            self.stop()
            raise RuntimeError("the server did not start:\n" + open(self.log_path).read())

    def alive(self):
        return self.proc.poll() is None

    def peak_rss_mib(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024.0
        except OSError:
            pass
        return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


def probe_loop(port, period=0.1):
    """The prober's own process (so that the attackers' threads in this one,
    which share Python's interpreter lock, do not slow its clock): GET
    /api/health on a fresh connection every period seconds until stdin
    closes; one line per probe, "SECONDS OK|problem"."""
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    while not stop.is_set():
        t0 = time.monotonic()
        try:
            st, _, j = request(port, "GET", "/api/health", ip=PROBE_IP, timeout=10)
            res = "OK" if st == 200 and j and j.get("status") == "ok" else f"status {st}"
        except OSError as e:
            res = f"{type(e).__name__}: {e}"
        dt = time.monotonic() - t0
        print(f"{dt:.6f} {res}", flush=True)
        stop.wait(max(0.0, period - dt))


class Prober:
    """probe_loop in a child process, started and finished around an attack."""

    def __init__(self, port):
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--probe",
                                      str(port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
        self.lat, self.bad = [], []

    def finish(self):
        out, _ = self.proc.communicate("", timeout=30)
        for line in out.splitlines():
            dt, res = line.split(" ", 1)
            self.lat.append(float(dt))
            if res != "OK":
                self.bad.append(res)

    def summary(self):
        s = sorted(self.lat)
        if not s:
            return 0, 0, 0, 0

        def q(p):
            return s[min(len(s) - 1, int(p * len(s)))]
        return len(s), q(0.5), q(0.99), s[-1]


def slowloris(port, addrs, per_addr, seconds, byte_every, stats):
    """Holds addrs x per_addr connections that send a request's headers one
    byte at a time; a connection the server closes (or refuses) is opened
    again at the next byte."""
    sel = selectors.DefaultSelector()
    head = b"GET /api/health HTTP/1.1\r\nHost: x\r\n"
    filler = b"X-a: " + b"b" * 100000
    conns = {}
    again = []

    def open_one(ip):
        s = socket.socket()
        s.setblocking(False)
        s.bind((ip, 0))
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        conns[s] = [ip, 0, time.monotonic()]
        sel.register(s, selectors.EVENT_READ)
        stats["opened"] += 1

    for a in range(addrs):
        for _ in range(per_addr):
            open_one(f"127.0.1.{a + 1}")
    end = time.monotonic() + seconds
    next_byte = time.monotonic()
    while time.monotonic() < end:
        for key, _ in sel.select(timeout=0.05):
            s = key.fileobj
            try:
                d = s.recv(4096)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                d = b""
            if not d:  # shed (or refused) by the server: come back at once
                ip = conns.pop(s)[0]
                sel.unregister(s)
                s.close()
                stats["closed"] += 1
                again.append(ip)
            else:
                stats["answered"] += 1  # should not happen: headers never complete
        if time.monotonic() >= next_byte:
            next_byte += byte_every
            while again:
                open_one(again.pop())
            for s, st in list(conns.items()):
                off = st[1]
                data = head[off:off + 1] if off < len(head) else filler[(off - len(head)) % len(filler):][:1]
                try:
                    if s.send(data) == 1:
                        st[1] += 1
                except OSError:
                    pass
    stats["held_at_end"] = len(conns)
    for s in list(conns):
        sel.unregister(s)
        s.close()


def flood(addrs, per_addr, subnet, attempt, stats):
    """addrs threads, one per address 127.0.<subnet>.a, each calling attempt(ip, i)
    per_addr times in a row; stats counts the statuses (or exception names),
    and stats["last"] those of each address's last attempt."""
    lock = threading.Lock()

    def worker(a):
        ip = f"127.0.{subnet}.{a + 1}"
        for i in range(per_addr):
            try:
                st = attempt(ip, i, a)
            except OSError as e:
                st = type(e).__name__
            with lock:
                stats[st] = stats.get(st, 0) + 1
                if i == per_addr - 1:
                    last = stats.setdefault("last", {})
                    last[st] = last.get(st, 0) + 1
    ts = [threading.Thread(target=worker, args=(a,)) for a in range(addrs)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def signin_flood(port, addrs, per_addr, stats):
    """Sign-ins with unknown e-mail addresses: each costs a (dummy) argon2 hash."""
    def attempt(ip, i, a):
        return request(port, "POST", "/api/login",
                       {"email": f"nobody{a}x{i}@example.test", "password": "wrong password!!"},
                       ip=ip, timeout=30)[0]
    flood(addrs, per_addr, 2, attempt, stats)


def practice_flood(port, addrs, per_addr, skill, stats):
    """Practice starts, each with its proof of work; a start turned away with
    503 (busy) is sent again at once with the same solution, until it gets
    201 or 429: the attacker wants the slots."""
    def attempt(ip, i, a):
        st, _, ch = request(port, "GET", "/api/practice/challenge", ip=ip)
        body = {"skills": [skill]}
        if ch.get("bits", 0):
            body["pow"] = {"challenge": ch["challenge"], "nonce": solve(ch["challenge"], ch["bits"])}
        while True:
            st = request(port, "POST", "/api/tests", body, ip=ip)[0]
            if st != 503:
                return st
            with busy_lock:
                stats["busy (503, sent again)"] = stats.get("busy (503, sent again)", 0) + 1
    busy_lock = threading.Lock()
    flood(addrs, per_addr, 3, attempt, stats)


def legit_signin(port, ip, deadline_s=40.0):
    """Signs in, honouring Retry-After on 429/503: (ok, attempts, seconds)."""
    t0 = time.monotonic()
    n = 0
    while time.monotonic() - t0 < deadline_s:
        n += 1
        try:
            st, h, j = request(port, "POST", "/api/login",
                               {"email": LEGIT_EMAIL, "password": PASSWORD}, ip=ip, timeout=30)
        except OSError:
            st, h, j = 0, {}, None
        if st == 200 and cookie_of(h):
            sid = cookie_of(h)
            st2, _, me = request(port, "GET", "/api/me", ip=ip,
                                 headers={"Cookie": f"rf_session={sid}"})
            return st2 == 200 and bool(me and me.get("user")), n, time.monotonic() - t0
        wait = float(h.get("retry-after", "1")) if st in (429, 503) else 0.5
        time.sleep(min(wait, 5.0))
    return False, n, time.monotonic() - t0


def legit_practice(port, ip, skill, answers, deadline_s=60.0):
    """Starts a practice test and answers `answers` questions (None: to the end),
    honouring Retry-After: (ok, detail, seconds)."""
    t0 = time.monotonic()
    while True:
        try:
            st, h, j = practice_start(port, ip, skill)
        except OSError as e:
            st, h, j = 0, {}, {"error": str(e)}
        if st == 201:
            break
        if time.monotonic() - t0 > deadline_s:
            return False, f"start: {st} {j}", time.monotonic() - t0
        time.sleep(min(float(h.get("retry-after", "1")), 5.0))
    tid, q = j["test"]["id"], j.get("question")
    hdr = {"Cookie": f"rf_session={cookie_of(h)}", "X-CSRF-Token": j.get("csrf", "")}
    if not j.get("csrf"):
        st, _, me = request(port, "GET", "/api/me", ip=ip, headers=hdr)
        hdr["X-CSRF-Token"] = (me or {}).get("csrf", "")
    done = 0
    while q and (answers is None or done < answers):
        st, h, r = request(port, "POST", f"/api/tests/{tid}/answers", answer_for(q), ip=ip,
                           headers=hdr)
        if st == 429:
            time.sleep(float(h.get("retry-after", "1")) * 0.25)
            continue
        if st != 200:
            return False, f"answer {done + 1}: {st} {r}", time.monotonic() - t0
        done += 1
        q = r.get("question")
        if time.monotonic() - t0 > deadline_s:
            return False, f"answered {done} in {deadline_s} s", time.monotonic() - t0
    if answers is None:
        st, _, rep = request(port, "GET", f"/api/tests/{tid}/report", ip=ip, headers=hdr)
        if st != 200:
            return False, f"report: {st} {rep}", time.monotonic() - t0
    return True, f"{done} answers", time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", action="store_true", help="the issue's counts, timing targets checked")
    ap.add_argument("--bin", default=os.path.join(os.environ.get("BUILD", "build"), "rolefit"))
    ap.add_argument("--only", choices=["slowloris", "sign-in", "practice"],
                    help="run one attack only")
    ap.add_argument("--probe", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.probe:
        probe_loop(args.probe)
        return 0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))

    full = args.full
    cfg = {
        "slow_seconds": 40.0 if full else 5.0, "slow_byte_every": 10.0 if full else 1.0,
        "signin_per_addr": 10 if full else 3,
        "practice_per_addr": 21 if full else 6,
        "serve": (["--practice-pow", "8"] if full else
                  ["--practice-pow", "4", "--practice-max", "250", "--practice-max-per-ip", "5"]),
        "legit_answers": None if full else 3,
    }
    cap_per_ip = 20 if full else 5
    ck = Checks()
    figures = []
    with tempfile.TemporaryDirectory(prefix="rf-attacks-") as tmp:
        srv = Server(args.bin, tmp, cfg["serve"])
        port = srv.port
        try:
            st, _, sk = request(port, "GET", "/api/skills")
            skill = sk["skills"][0]["id"]
            base_rss = srv.peak_rss_mib()

            def phase(name, attack):
                pr = Prober(port)
                th = threading.Thread(target=attack)
                t0 = time.monotonic()
                th.start()
                time.sleep(1.0)  # let the attack take hold
                # a legitimate user from an address of its own (one per attack: a
                # test left unfinished holds a practice slot for that address)
                legit_ip = f"127.0.0.{10 + len(figures)}"
                ok1, n1, s1 = legit_signin(port, legit_ip)
                ok2, d2, s2 = legit_practice(port, legit_ip, skill, cfg["legit_answers"])
                th.join()
                dur = time.monotonic() - t0
                pr.finish()
                n, p50, p99, mx = pr.summary()
                ck.check(not pr.bad, f"{name}: every health probe answered 200 ({n} probes)",
                         "; ".join(pr.bad[:5]))
                ck.check(ok1, f"{name}: the legitimate user signs in", f"{n1} attempts, {s1:.1f} s")
                ck.check(ok2, f"{name}: the legitimate user starts a practice test and answers",
                         f"{d2}, {s2:.1f} s")
                ck.check(srv.alive(), f"{name}: the server is still running")
                rss = srv.peak_rss_mib()
                if rss is not None:
                    ck.check(rss < 1024, f"{name}: peak memory {rss:.0f} MiB < 1024 MiB")
                if full:
                    ck.check(p99 <= 0.200, f"{name}: health p99 {p99 * 1e3:.0f} ms <= 200 ms")
                figures.append(f"{name}: {dur:.1f} s; health {n} probes p50 {p50 * 1e3:.1f} ms "
                               f"p99 {p99 * 1e3:.1f} ms max {mx * 1e3:.1f} ms; legit sign-in "
                               f"{s1:.2f} s ({n1} tries), practice {s2:.2f} s ({d2}); "
                               f"peak RSS {rss if rss is None else round(rss)} MiB")

            if args.only in (None, "slowloris"):
                sl = {"opened": 0, "closed": 0, "answered": 0, "held_at_end": 0}
                phase("slowloris 16x64", lambda: slowloris(port, 16, 64, cfg["slow_seconds"],
                                                           cfg["slow_byte_every"], sl))
                ck.check(sl["closed"] > 0, "slowloris: the server shed slow connections", f"{sl}")
                ck.check(sl["answered"] == 0, "slowloris: no incomplete request was answered")
                figures.append(f"  slowloris connections opened {sl['opened']}, closed by the "
                               f"server {sl['closed']}, held at the end {sl['held_at_end']}")

            if args.only in (None, "sign-in"):
                si = {}
                phase(f"sign-in flood 40x{cfg['signin_per_addr']}",
                      lambda: signin_flood(port, 40, cfg["signin_per_addr"], si))
                bad = {k: v for k, v in si.items() if k not in (401, 429, 503, "last")}
                ck.check(not bad, "sign-in flood: every attempt got 401, 429 or 503", f"{si}")
                figures.append(f"  sign-in attempts by status: "
                               f"{ {k: v for k, v in si.items() if k != 'last'} }")

            if args.only in (None, "practice"):
                pf = {}
                phase(f"practice 50x{cfg['practice_per_addr']}",
                      lambda: practice_flood(port, 50, cfg["practice_per_addr"], skill, pf))
                bad = {k: v for k, v in pf.items() if k not in (201, 429, "last", "busy (503, sent again)")}
                ck.check(not bad, "practice flood: every start got 201 or 429 (after 503s)", f"{pf}")
                ck.check(pf.get(201, 0) <= 50 * cap_per_ip,
                         f"practice flood: at most {cap_per_ip} slots per address", f"{pf}")
                ck.check(pf.get("last", {}).get(429, 0) == 50,
                         "practice flood: every address's last start is refused (429)", f"{pf}")
                figures.append(f"  practice starts by status: "
                               f"{ {k: v for k, v in pf.items() if k != 'last'} }")
            figures.append(f"baseline RSS {base_rss if base_rss is None else round(base_rss)} MiB")
        finally:
            rc = srv.stop()
            ck.check(rc == 0, "the server stops cleanly on SIGTERM", f"exit {rc}")
            with open(srv.log_path) as f:
                log = f.read()
            crash = [ln for ln in log.splitlines() if re.search(r"Sanitizer|runtime error|abort", ln)]
            ck.check(not crash, "no crash or sanitizer report in the server log", "; ".join(crash[:3]))
    print("figures" + (" (--full)" if full else " (quick: make test counts)") + ":")
    for f in figures:
        print("  " + f)
    print(f"attacks: {ck.passed} passed, {ck.failed} failed")
    return 0 if ck.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

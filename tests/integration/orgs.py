#!/usr/bin/env python3
"""Two organizations sharing an address, over HTTP (tests/integration/orgs.sh
sets them up): sign-in asks for the organization whatever the address, picks
the account of the one named, takes as long for an address of the other
organization or of none as for a wrong password, throttles per organization
and address; adding an account answers 409 only within the admin's own
organization. Usage: orgs.py PORT. Prints PASS/FAIL lines."""
import statistics, sys, time
sys.path.insert(0, "tests/integration")
from attacks import request

port = int(sys.argv[1])
ipn = [10]


def ip():
    """A new loopback address per sign-in: the per-address limit stays out of the way."""
    ipn[0] += 1
    return f"127.0.{ipn[0] // 250}.{ipn[0] % 250 + 2}"


def check(cond, name, detail=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else f": {detail}"), flush=True)


def login(email, password, org=None):
    """A sign-in, as a client would make it: a 503 (the hashing gate is full on
    a busy machine) is tried again after its Retry-After; the time is the
    last attempt's."""
    body = {"email": email, "password": password}
    if org is not None:
        body["organization"] = org
    for _ in range(10):
        t0 = time.monotonic()
        st, h, j = request(port, "POST", "/api/login", body, ip=ip())
        dt = time.monotonic() - t0
        if st != 503:
            break
        time.sleep(float(h.get("retry-after", "1")))
    return st, h, j or {}, dt


def cookie(h):
    return h.get("set-cookie", "").split(";")[0]


def main():
    st, _, me = request(port, "GET", "/api/me")
    check(st == 200 and me.get("organization_required") is True, "me: organization required", me)

    # no organization: the same 400 for an address of both, of one, of none
    bodies = []
    for who in ("ann@x.test", "bo@beta.test", "nobody@x.test"):
        st, _, j, _ = login(who, "whatever password")
        bodies.append((st, j))
    check(all(b == (400, bodies[0][1]) for b in bodies) and bodies[0][1].get("field") == "organization",
          "no organization: one 400 for every address", bodies)

    # timing: a failed sign-in at Acme costs one hash whoever the address belongs to
    # (Acme's ann with a wrong password, Beta's bo, nobody); 4 rounds, inside the
    # per-account throttle's free failures
    times = {"acme account": [], "beta's address": [], "no account": []}
    for _ in range(4):
        for key, who in (("acme account", "ann@x.test"), ("beta's address", "bo@beta.test"),
                         ("no account", "nobody@x.test")):
            st, _, j, dt = login(who, "not the password", "Acme")
            check(st == 401 and j.get("error") == "wrong organization, email or password",
                  f"failed sign-in at Acme: {who}", (st, j))
            times[key].append(dt)
    med = {k: statistics.median(v) for k, v in times.items()}
    print("sign-in failure, median of 4 (s): " +
          ", ".join(f"{k} {v:.3f}" for k, v in med.items()), flush=True)
    # a path without the hash would take a few ms against a hash's hundreds: the
    # bound leaves room for a busy machine and catches that
    check(min(med.values()) >= max(med.values()) / 3,
          "the same work for Acme's account, Beta's address and none", med)

    # the organization named picks the account (its name in any case)
    st, h, j, _ = login("ann@x.test", "acme ann password", "Acme")
    check(st == 200, "ann signs in at Acme", (st, j))
    acme = {"Cookie": cookie(h), "X-CSRF-Token": j.get("csrf", "")}
    st, h, j, _ = login("ANN@X.test", "beta ann password", "bETA")
    check(st == 200, "ann signs in at Beta", (st, j))
    beta = {"Cookie": cookie(h)}
    orgs = []
    for hd in (acme, beta):
        st, _, m = request(port, "GET", "/api/me", headers=hd)
        orgs.append(((m or {}).get("user") or {}).get("organization"))
    check(orgs == [1, 2], "each session is its organization's account", orgs)
    st, _, j, _ = login("ann@x.test", "beta ann password", "Acme")
    check(st == 401, "Beta's password does not open Acme's account", (st, j))

    # the throttle: Beta's ann locked out after her free failures, Acme's ann not
    for k in range(5):
        st, _, j, _ = login("ann@x.test", "a wrong password", "Beta")
        check(st == 401, f"Beta's ann: failure {k + 1}", (st, j))
    st, h, j, _ = login("ann@x.test", "a wrong password", "Beta")
    st2, _, j2, _ = login("ann@x.test", "beta ann password", "beta")
    check(st == 401 and st2 == 429, "Beta's ann is throttled (429, any case of the name)",
          (st, j, st2, j2))
    st, _, j, _ = login("ann@x.test", "acme ann password", "Acme")
    check(st == 200, "Acme's ann is not", (st, j))

    # adding accounts: 409 only for an address of the admin's own organization
    def add(email):
        for _ in range(10):  # a 503 of the hashing gate: again after Retry-After
            st, h, j = request(port, "POST", "/api/users",
                               {"email": email, "name": "X", "password": "a long enough password"},
                               headers=acme)
            if st != 503:
                break
            time.sleep(float(h.get("retry-after", "1")))
        return st, j or {}

    st, j = add("bo@beta.test")
    check(st == 201, "Acme adds Beta's bo: 201, nothing told", (st, j))
    st, j = add("BO@beta.test")
    check(st == 409 and j.get("field") == "email", "Acme adds bo again: 409", (st, j))
    st, j = add("Ann@x.test")
    check(st == 409 and j.get("field") == "email", "Acme adds its own ann: 409", (st, j))
    st, _, j, _ = login("bo@beta.test", "a long enough password", "Acme")
    check(st == 200, "Acme's new bo signs in at Acme", (st, j))
    st, _, j, _ = login("bo@beta.test", "a long enough password", "Beta")
    check(st == 401, "and not at Beta, where bo has another password", (st, j))


try:
    main()
except Exception as ex:  # a reply the checks did not expect: say which, not a traceback
    import traceback
    print(f"FAIL orgs.py stopped: {ex!r} at line {traceback.extract_tb(ex.__traceback__)[-1].lineno}",
          flush=True)

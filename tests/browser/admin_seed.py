#!/usr/bin/env python3
"""Data for the Admin page's walk (tests/browser/admin.mjs, run by
tests/integration/browser_admin.sh): what a server gathers over months,
written straight into its SQLite database so that the page has something
to show at once.

  admin_seed.py bank SRC DST   copies the bank SRC to DST with two mcq items
                               of ml_fundamentals marked pretest; prints their ids
  admin_seed.py db DB BANK     writes into DB (a running server's): 300 women
                               and 300 men who reported their groups (age band,
                               first language and country too), each with a
                               finished test of 12 answers on data_engineering
                               simulated from the bank's parameters, two items
                               1.5 logits harder for men (DIF); a calibration run
                               of the two pretest items (one ready, one not, one
                               reason per rule it fails) and a drift run flagging
                               one item in use; prints the DIF items' ids

Seeded (random.Random(1919)): the same data every run.
"""
import glob
import json
import math
import os
import random
import shutil
import sqlite3
import sys
import time


def items_of(bank):
    out = []
    for f in sorted(glob.glob(os.path.join(bank, "*.json"))):
        with open(f, encoding="utf-8") as fh:
            out += json.load(fh)["items"]
    return out


def bank_copy(src, dst):
    os.makedirs(dst, exist_ok=True)
    marked = []
    for f in sorted(glob.glob(os.path.join(src, "*.json"))):
        with open(f, encoding="utf-8") as fh:
            d = json.load(fh)
        if d.get("skill") == "ml_fundamentals":
            for it in d["items"]:
                if len(marked) < 2 and it.get("type") == "mcq" and not it.get("retired") and "pool" not in it:
                    it["pool"] = "pretest"
                    marked.append(it["id"])
        with open(os.path.join(dst, os.path.basename(f)), "w", encoding="utf-8") as fh:
            json.dump(d, fh, ensure_ascii=False, indent=1)
    for f in os.listdir(src):  # anything else of the bank directory
        if not f.endswith(".json"):
            p = os.path.join(src, f)
            (shutil.copytree if os.path.isdir(p) else shutil.copy)(p, os.path.join(dst, f))
    print(" ".join(marked))


def p3pl(it, theta, shift=0.0):
    a, b, c = it.get("a", 1.0), it.get("b", 0.0) + shift, it.get("c", 0.0)
    return c + (1 - c) / (1 + math.exp(-1.7 * a * (theta - b)))


def seed_db(db, bank):
    rng = random.Random(1919)
    items = items_of(bank)
    use = [it for it in items if it["skill"] == "data_engineering" and it.get("type") in ("mcq", "numeric")
           and not it.get("retired") and it.get("pool") in (None, "operational")]
    dif, rest = use[:2], use[2:]
    pretest = [it["id"] for it in items if it.get("pool") == "pretest"]
    assert len(rest) >= 10 and len(pretest) == 2, (len(rest), pretest)
    con = sqlite3.connect(db, timeout=30)
    now = int(time.time())
    cur = con.cursor()
    for t in range(600):
        man = t % 2
        theta = rng.gauss(0, 1)
        chosen = dif + rng.sample(rest, 10)
        ev = []
        for j, it in enumerate(chosen):
            right = rng.random() < p3pl(it, theta, 1.5 if j < 2 and man else 0.0)
            ev.append({"item": it["id"], "answer": int(right)})
        cur.execute("INSERT INTO candidates(org_id, name, email, created) VALUES (NULL, NULL, NULL, ?)", (now,))
        cand = cur.lastrowid
        cur.execute("INSERT INTO group_reports(candidate_id, declined, gender, age_band, first_language, country, updated) "
                    "VALUES (?, 0, ?, ?, ?, ?, ?)",
                    (cand, "man" if man else "woman", "25_34" if t % 5 < 3 else "35_44",
                     "ja" if t % 3 else "en", "JP" if t % 3 else "US", now))
        cur.execute("INSERT INTO tests(candidate_id, scope, state, status, profile, answers, created, updated, served_ms) "
                    "VALUES (?, '{}', ?, 'finished', '{\"skills\": []}', 1, ?, ?, ?)",
                    (cand, json.dumps({"events": ev}), now, now, now * 1000))
        tid = cur.lastrowid
        cur.execute("INSERT INTO answers(test_id, seq, item_id, choice, score, at) VALUES (?, 0, ?, 1, 1, ?)",
                    (tid, dif[0]["id"], now))
        if t < 7:  # the first pretest item answered in 7 finished tests (the live list's count)
            cur.execute("INSERT INTO answers(test_id, seq, item_id, choice, score, at) VALUES (?, 1, ?, 1, 1, ?)",
                        (tid, pretest[0], now))
    # and in a test still running: not counted (calibration reads finished tests only)
    cur.execute("INSERT INTO candidates(org_id, name, email, created) VALUES (NULL, NULL, NULL, ?)", (now,))
    cur.execute("INSERT INTO tests(candidate_id, scope, state, status, answers, created, updated, served_ms) "
                "VALUES (?, '{}', '{}', 'active', 1, ?, ?, ?)", (cur.lastrowid, now, now, now * 1000))
    cur.execute("INSERT INTO answers(test_id, seq, item_id, choice, score, at) VALUES (?, 0, ?, 1, 1, ?)",
                (cur.lastrowid, pretest[0], now))
    rules = {"min_n": 200, "max_se_a": 0.3, "max_se_b": 0.3, "min_fit_p": 0.01, "min_a": 0.3, "max_a": 3.0,
             "max_abs_b": 4.0}
    pre = {"items": [
        {"id": pretest[0], "n": 900, "estimated": True, "ready": True, "note": "passes every rule: ready for staff review",
         "model": "3PL", "a": 1.3, "b": 0.4, "c": 0.2, "se": {"a": 0.12, "b": 0.1, "c": 0.03},
         "fit": {"x2": 6.1, "df": 7, "p": 0.53}},
        {"id": pretest[1], "n": 150, "estimated": True, "ready": False,
         "note": "150 answers, fewer than 200; SE(a) 0.400 above 0.30; SE(b) 0.500 above 0.30; fit not measured (too few answers)",
         "model": "3PL", "a": 0.9, "b": -0.2, "c": 0.2, "se": {"a": 0.4, "b": 0.5, "c": 0.1}, "fit": None}],
        "rules": rules, "tests": 1000, "left_out": 0}
    drifted = rest[0]["id"]
    drift = {"items": [{"id": drifted, "n": 420, "shift": -0.45, "se": 0.1, "z": -4.5, "observed": 0.71,
                        "expected": 0.62, "tested": True, "flagged": True,
                        "note": "easier by 0.45 logits (SE 0.10, z -4.5)"}],
             "rules": {"min_n": 200, "min_shift": 0.3, "min_z": 3.0}, "tests": 600}
    # a re-estimate of the items in use, accepted, computed at revision 0
    changes = []
    for k, it in enumerate(rest[1:4]):
        frm = {"model": "3pl", "a": 1.0, "b": it.get("b", 0.0), "c": it.get("c", 0.25)}
        to = {"model": "3pl", "a": round(1.0 + 0.3 * (k - 1) + 0.05, 4), "b": round(it.get("b", 0.0) - 0.2 + 0.1 * k, 4),
              "c": round(it.get("c", 0.25) - 0.03, 4)}
        changes.append({"id": it["id"], "skill": it["skill"], "n": 240 + 20 * k, "from": frm, "to": to,
                        "se": {"a": 0.15, "b": 0.12, "c": 0.04}})
    recal = {"tests": 600, "answers": 7200, "in_use": 940, "estimated": 25, "changed": 3, "accept": True,
             "why": "accepted: held-out log-likelihood per answer -0.6120 -> -0.5980 (gain +0.0140, SE 0.0040, 1440 answers of 120 tests)",
             "hyper": {"mu_loga": 0.04, "sd_loga": 0.21, "sd_b": 0.43, "mu_c": 0.22},
             "heldout": {"answers": 1440, "tests": 120, "ll_current": -0.612, "ll_new": -0.598, "se": 0.004},
             "change": {"a": {"max": 0.35, "median": 0.05}, "b": {"max": 0.2, "median": 0.1}, "c": {"max": 0.03, "median": 0.03}},
             "items": changes, "latent": [{"skill": "data_engineering", "mean": 0.05, "sd": 0.97}]}
    for kind, res in (("pretest", pre), ("drift", drift), ("recal", recal)):
        cur.execute("INSERT INTO review_runs(kind, revision, result, created_by, created) VALUES (?, 0, ?, 1, ?)",
                    (kind, json.dumps(res), now))
    con.commit()
    con.close()
    print(" ".join(it["id"] for it in dif))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "bank":
        bank_copy(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "db":
        seed_db(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: admin_seed.py bank SRC DST | db DB BANK")

#!/usr/bin/env bash
# Interviews through HTTP against `rolefit serve` (issue 17): a recruiter
# adds two interviewers and assigns them to a candidate's rounds; each fills
# a scorecard in a client of their own, sees the other's only after
# submitting, and cannot submit twice; every save is kept with its author,
# time and the content it replaced. Every permission: an interviewer sees
# only the candidates assigned to them (404 for another candidate, another
# organization, another interviewer's history; 403 for staff pages); an
# interviewer and an admin of another organization find nothing; bad fields
# are 4xx naming the field and store nothing. Then the hiring packet and
# the interviewer calibration report read the submitted scorecards.
# RF_IV_DB=postgresql://... runs it on an empty PostgreSQL database instead of
# SQLite (scripts/pg-virtualenv bash -c 'RF_IV_DB="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE" bash tests/integration/interviews_http.sh').
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
DB=${RF_IV_DB:-$TMP/iv.db} # RF_IV_DB: a PostgreSQL URL instead (an empty database)

add() { # EMAIL PASSWORD ARGS...: rolefit user add, the password on stdin
    local email=$1 pw=$2; shift 2
    echo "$pw" | "$RF" user add --db "$DB" --email "$email" --name "${email%%@*}" "$@" >/dev/null
}
add ada@acme.test 'acme admin password 42' --org Acme && ok || bad "Acme's admin"
add rex@acme.test 'acme recruiter password 42' --org-id 1 && ok || bad "Acme's recruiter"
add bea@beta.test 'beta admin password 42' --org Beta && ok || bad "Beta's admin"
add eve@beta.test 'beta interviewer password 42' --org-id 2 --role interviewer && ok ||
    bad "Beta's interviewer (rolefit user add --role interviewer)"

serve_start "$TMP/serve.log" --db "$DB" --seed 5 --no-practice --rate 0 --answer-rate 0
[ -n "$PORT" ] && ok || bad "the server did not start: $(cat "$TMP/serve.log")"
if [ -n "$PORT" ]; then
    python3 - "$PORT" >"$TMP/iv.out" 2>&1 <<'EOF'
import http.client, json, sys

port = int(sys.argv[1])

def check(cond, name, detail=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else " " + str(detail)[:400]))

class Client:
    def __init__(self):
        self.cookie = None
        self.csrf = None

    def do(self, method, path, body=None):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        h = {"Accept": "application/json"}
        data = json.dumps(body) if body is not None else None
        if data is not None:
            h["Content-Type"] = "application/json"
        if self.cookie:
            h["Cookie"] = self.cookie
        if self.csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        text = r.read().decode()
        sc = r.getheader("Set-Cookie")
        if sc:
            self.cookie = sc.split(";")[0]
        try:
            j = json.loads(text)
        except ValueError:
            j = None
        if isinstance(j, dict) and "csrf" in j:
            self.csrf = j["csrf"]
        c.close()
        return r.status, j

def signin(email, password, org):
    c = Client()
    st, j = c.do("POST", "/api/login", {"email": email, "password": password,
                                        "organization": org})
    check(st == 200, f"{email} signs in", (st, j))
    return c

rex = signin("rex@acme.test", "acme recruiter password 42", "Acme")
bea = signin("bea@beta.test", "beta admin password 42", "Beta")
eve = signin("eve@beta.test", "beta interviewer password 42", "Beta")

# a recruiter invites interviewers (and only interviewers)
ids = {}
for who in ("ann", "bob", "cy"):
    st, j = rex.do("POST", "/api/users", {"email": f"{who}@acme.test", "name": who.title(),
                                          "password": f"{who} interviews password 42",
                                          "role": "interviewer"})
    check(st == 201 and j["role"] == "interviewer", f"the recruiter adds interviewer {who}",
          (st, j))
    ids[who] = j["id"]
st, j = rex.do("POST", "/api/users", {"email": "r2@acme.test", "name": "R2",
                                      "password": "r2 recruiter password 42",
                                      "role": "recruiter"})
check(st == 403, "a recruiter cannot add a recruiter", (st, j))
st, j = rex.do("GET", "/api/interviewers")
check(st == 200 and [x["name"] for x in j["interviewers"]] == ["Ann", "Bob", "Cy"],
      "the organization's interviewers", (st, j))
ann = signin("ann@acme.test", "ann interviews password 42", "Acme")
bob = signin("bob@acme.test", "bob interviews password 42", "Acme")
st, j = eve.do("GET", "/api/interviewers")
check(st == 403, "an interviewer does not list interviewers", (st, j))

# candidates: two of Acme, one of Beta
tokens = {}
def invite(c, label):
    st, j = c.do("POST", "/api/invites", {"role": "ml_engineer", "label": label})
    check(st == 201, f"invite {label}", (st, j))
    tokens[j["id"]] = j["token"]
    return j["id"]
cand_a, cand_b, cand_x = invite(rex, "Cand A"), invite(rex, "Cand B"), invite(bea, "Beta cand")

def assign(c, body):
    return c.do("POST", "/api/assignments", body)

assigned = {}
for who, rnd in (("ann", "coding_algorithmic"), ("bob", "coding_algorithmic"),
                 ("ann", "ml_system_design")):
    st, j = assign(rex, {"invite": cand_a, "round": rnd, "interviewer": ids[who]})
    check(st == 201 and j["assignment"]["state"] == "open" and j["assignment"]["slot"] == 1,
          f"assign {who} to {rnd}", (st, j))
    assigned[(who, rnd)] = j["assignment"]["id"]
st, j = assign(rex, {"invite": cand_b, "round": "behavioral", "interviewer": ids["bob"]})
check(st == 201, "assign bob to Cand B's behavioral", (st, j))

# bad assignments: each 4xx naming its field
for body, want, field, name in (
        ({"invite": cand_a, "round": "juggling", "interviewer": ids["ann"]}, 400, "round",
         "an unknown round"),
        ({"invite": cand_a, "round": "behavioral", "slot": 0, "interviewer": ids["ann"]}, 400,
         "slot", "slot 0"),
        ({"invite": cand_a, "round": "behavioral", "slot": 17, "interviewer": ids["ann"]}, 400,
         "slot", "slot 17"),
        ({"invite": cand_a, "round": "behavioral"}, 400, "interviewer", "no interviewer"),
        ({"invite": cand_x, "round": "behavioral", "interviewer": ids["ann"]}, 404, "invite",
         "another organization's candidate"),
        ({"invite": cand_a, "round": "behavioral", "interviewer": 4}, 404, "interviewer",
         "another organization's interviewer"),
        ({"invite": cand_a, "round": "behavioral", "interviewer": 2}, 400, "interviewer",
         "a recruiter is not an interviewer"),
        ({"invite": cand_a, "round": "coding_algorithmic", "interviewer": ids["ann"]}, 409,
         "interviewer", "the same assignment twice")):
    st, j = assign(rex, body)
    check(st == want and j.get("field") == field, f"assignment refused: {name}", (st, j))
st, j = assign(ann, {"invite": cand_a, "round": "behavioral", "interviewer": ids["ann"]})
check(st == 403, "an interviewer cannot assign", (st, j))
st, j = assign(bea, {"invite": cand_a, "round": "behavioral", "interviewer": ids["ann"]})
check(st == 404 and j.get("field") == "invite", "another organization's admin cannot assign",
      (st, j))

# what each sees
st, j = ann.do("GET", "/api/assignments")
check(st == 200 and sorted(a["round"] for a in j["assignments"]) ==
      ["coding_algorithmic", "ml_system_design"] and
      all(a["label"] == "Cand A" for a in j["assignments"]), "ann's assignments", (st, j))
st, j = eve.do("GET", "/api/assignments")
check(st == 200 and j["assignments"] == [], "Beta's interviewer has none", (st, j))
st, j = rex.do("GET", "/api/assignments")
check(st == 200 and len(j["assignments"]) == 4, "the recruiter sees all four", (st, j))
st, j = ann.do("GET", f"/api/interviews/{cand_a}")
check(st == 200 and j["candidate"]["label"] == "Cand A" and
      j["scale"] == {"min": 1, "max": 4} and
      len(j["kits"]["coding_algorithmic"]["criteria"]) == 3 and
      len(j["kits"]["coding_algorithmic"]["criteria"][0]["anchors"]) == 4 and
      len(j["kits"]["coding_algorithmic"]["questions"]) >= 3,
      "ann reads Cand A with the kits of her rounds", (st, j))
# the kit's texts in Japanese beside the English, from data/interviews.json
jk = j["kits"]["coding_algorithmic"]
src = next(r for r in json.load(open("data/interviews.json"))["rounds"] if r["id"] == "coding_algorithmic")
check(st == 200 and jk["name_ja"] == src["ja"]["name"] and
      [(c["name"], c["name_ja"], c["anchors_ja"]) for c in jk["criteria"]] ==
      [(c["name"], c["ja"]["name"], [c["ja"]["anchors"][k] for k in sorted(c["ja"]["anchors"], key=int)])
       for c in src["rubric"]] and
      [(q["prompt_ja"], q["follow_ups_ja"]) for q in jk["questions"]] ==
      [(q["ja"]["prompt"], q["ja"]["follow_ups"]) for q in src["questions"]],
      "the kit's names, anchors, questions and follow-ups in Japanese too", jk)
for c, cand, name in ((ann, cand_b, "ann: a candidate not assigned to her"),
                      (ann, cand_x, "ann: another organization's candidate"),
                      (eve, cand_a, "Beta's interviewer: Acme's candidate"),
                      (bea, cand_a, "Beta's admin: Acme's candidate")):
    st, j = c.do("GET", f"/api/interviews/{cand}")
    check(st == 404, name + " is 404", (st, j))
    st, j = c.do("PUT", f"/api/interviews/{cand}/scorecard",
                 {"round": "behavioral", "scores": {}})
    check(st == 404, name + ": a scorecard is 404", (st, j))
for path in ("/api/invites", "/api/postings", "/api/teams", "/api/interviewers"):
    st, j = ann.do("GET", path)
    check(st == 403, f"an interviewer is refused staff's {path}", (st, j))

def card(c, cand, body):
    return c.do("PUT", f"/api/interviews/{cand}/scorecard", body)

def history(c, aid):
    return c.do("GET", f"/api/assignments/{aid}/history")

a_code = assigned[("ann", "coding_algorithmic")]
b_code = assigned[("bob", "coding_algorithmic")]
st, j = card(ann, cand_a, {"round": "coding_algorithmic", "scores": {"approach": 2},
                           "notes": "first pass"})
check(st == 200 and j["state"] == "draft", "ann saves a partial draft", (st, j))
st, j = card(ann, cand_a, {"round": "coding_algorithmic", "scores": {"approach": 3,
                                                                     "correctness": 3},
                           "notes": "heap of size k, O(n log k)", "recommendation": "yes"})
check(st == 200 and j["state"] == "draft", "ann saves it again", (st, j))

# bad scorecards: 4xx naming the field, nothing stored
st, h0 = history(ann, a_code)
for body, want, field, name in (
        ({"round": "coding_algorithmic", "scores": {"approach": 5}}, 400, "scores",
         "a score above the scale"),
        ({"round": "coding_algorithmic", "scores": {"approach": 0}}, 400, "scores",
         "a score below the scale"),
        ({"round": "coding_algorithmic", "scores": {"approach": "3"}}, 400, "scores",
         "a score that is not a number"),
        ({"round": "coding_algorithmic", "scores": {"style": 3}}, 400, "scores",
         "a criterion not of the rubric"),
        ({"round": "coding_algorithmic", "scores": [3]}, 400, "scores", "scores not an object"),
        ({"round": "coding_algorithmic", "scores": {}, "recommendation": "maybe"}, 400,
         "recommendation", "an unknown recommendation"),
        ({"round": "coding_algorithmic", "scores": {"approach": 3}, "submit": True,
          "recommendation": "yes"}, 400, "scores", "a submission that leaves a criterion out"),
        ({"round": "coding_algorithmic", "scores": {"approach": 3, "correctness": 3,
                                                    "code_clarity": 3}, "submit": True}, 400,
         "recommendation", "a submission without a recommendation"),
        ({"round": "coding_algorithmic", "scores": {}, "submit": "yes"}, 400, "submit",
         "submit not a boolean"),
        ({"round": "behavioral", "scores": {"ownership": 3}}, 403, "round",
         "a round not assigned to her"),
        ({"round": "coding_algorithmic", "slot": 2, "scores": {}}, 403, "round",
         "a slot not assigned to her"),
        ({"round": "juggling", "scores": {}}, 400, "round", "an unknown round")):
    st, j = card(ann, cand_a, body)
    check(st == want and j.get("field") == field, f"scorecard refused: {name}", (st, j))
st, h1 = history(ann, a_code)
check(h0 == h1 and len(h1["history"]) == 2, "the refusals stored nothing", (h0, h1))

st, j = card(bob, cand_a, {"round": "coding_algorithmic",
                           "scores": {"approach": 2, "correctness": 2, "code_clarity": 3},
                           "notes": "needed a hint for the heap", "recommendation": "no"})
check(st == 200 and j["state"] == "draft", "bob saves a draft", (st, j))

def others(c, rnd):
    st, j = c.do("GET", f"/api/interviews/{cand_a}")
    return [a for a in j["assignments"] if a["round"] == rnd and not a["mine"]]

o = others(ann, "coding_algorithmic")
check(len(o) == 1 and o[0]["scorecard"] is None and o[0]["hidden"],
      "ann cannot read bob's draft", o)
full = {"approach": 3, "correctness": 4, "code_clarity": 3}
st, j = card(ann, cand_a, {"round": "coding_algorithmic", "scores": full,
                           "notes": "clean heap solution; tested edge cases",
                           "recommendation": "yes", "submit": True})
check(st == 200 and j["state"] == "submitted", "ann submits", (st, j))
o = others(ann, "coding_algorithmic")
check(o[0]["scorecard"] is None, "ann still cannot read bob's draft after submitting", o)
o = others(bob, "coding_algorithmic")
check(o[0]["scorecard"] is None and o[0]["state"] == "submitted",
      "bob sees that ann submitted, not what she wrote", o)
st, j = rex.do("GET", f"/api/interviews/{cand_a}")
seen = {(a["interviewer"]["name"], a["round"]): a for a in j["assignments"]}
check(seen[("Ann", "coding_algorithmic")]["scorecard"]["scores"] == full and
      seen[("Bob", "coding_algorithmic")]["scorecard"] is None,
      "the recruiter reads ann's submitted card, not bob's draft", j)
# each round's name in English and in Japanese, from the kits (data/interviews.json)
kits = json.load(open("data/interviews.json"))
names = {r["id"]: (r["name"], r.get("ja", {}).get("name", r["name"]))
         for r in kits["rounds"] + kits["take_homes"]}
check(all((a["round_name"], a["round_name_ja"]) == names[a["round"]] for a in j["assignments"]) and
      any(a["round_name_ja"] != a["round_name"] for a in j["assignments"]),
      "each round's name in English and Japanese", j["assignments"])
check(j["loop"] and all((l["name"], l["name_ja"]) == names[l["round"]] for l in j["loop"]) and
      j["candidate"]["role_name_ja"] != j["candidate"]["role_name"],
      "the loop's rounds and the candidate's role named in Japanese too", (j["loop"], j["candidate"]))

st, j = card(ann, cand_a, {"round": "coding_algorithmic", "scores": {"approach": 1,
                                                                     "correctness": 1,
                                                                     "code_clarity": 1},
                           "recommendation": "strong_no", "submit": True})
check(st == 409 and j.get("field") == "submit", "a second submission is 409 naming submit",
      (st, j))
st, j = card(ann, cand_a, {"round": "coding_algorithmic", "scores": {"approach": 1}})
check(st == 409 and j.get("field") == "submit", "a save after submitting is 409", (st, j))
st, j = ann.do("GET", f"/api/interviews/{cand_a}")
mine = [a for a in j["assignments"] if a["mine"] and a["round"] == "coding_algorithmic"][0]
check(mine["scorecard"]["scores"] == full and mine["state"] == "submitted",
      "the submitted card is unchanged", mine)

st, j = card(bob, cand_a, {"round": "coding_algorithmic",
                           "scores": {"approach": 3, "correctness": 3, "code_clarity": 3},
                           "notes": "needed a hint for the heap; correct after",
                           "recommendation": "yes", "submit": True})
check(st == 200 and j["state"] == "locked", "bob submits: the round is locked", (st, j))
o = others(ann, "coding_algorithmic")
check(o[0]["scorecard"] and o[0]["scorecard"]["recommendation"] == "yes" and
      o[0]["state"] == "locked", "ann reads bob's card once both are in", o)
st, j = assign(rex, {"invite": cand_a, "round": "coding_algorithmic",
                     "interviewer": ids["cy"], "slot": 1})
check(st == 409 and "locked" in j["error"], "a locked round takes no one new", (st, j))

# the history: every save, with author, time and what it replaced
st, j = history(ann, a_code)
hist = j["history"] if st == 200 else []
check(st == 200 and [x["action"] for x in hist] == ["save", "save", "submit"] and
      hist[0]["previous"] is None and hist[1]["previous"]["scores"] == {"approach": 2} and
      hist[2]["previous"]["scores"] == {"approach": 3, "correctness": 3} and
      hist[2]["previous"]["notes"] == "heap of size k, O(n log k)" and
      all(x["user"] == "ann@acme.test" and x["at"] > 0 for x in hist),
      "ann's history: three saves with what each replaced", (st, j))
st, j = history(rex, a_code)
check(st == 200 and len(j["history"]) == 3, "the recruiter reads the history", (st, j))
for c, name in ((bob, "bob: ann's history"), (eve, "Beta's interviewer: ann's history"),
                (bea, "Beta's admin: ann's history")):
    st, j = history(c, a_code)
    check(st == 404, name + " is 404", (st, j))

# Cand A takes the role test (every answer right): the packet joins it
import glob
right = {}
for f in glob.glob("data/bank/*.json"):
    d = json.load(open(f))
    for it in (d["items"] if isinstance(d, dict) else d):
        t = it.get("type", "mcq")
        right[it["id"]] = ({"value": repr(it["answer"])} if t == "numeric" else
                           {"selected": it["keys"]} if t == "multi" else {"choice": it["key"]})
def take(c, token, who):
    st, j = c.do("POST", "/api/tests", {"invite": token})
    check(st == 201, f"{who} starts the test", (st, j))
    tid, n = j["test"]["id"], 0
    while st in (200, 201) and j.get("question"):
        q = j["question"]
        st, j = c.do("POST", f"/api/tests/{tid}/answers", dict(item=q["item"], **right[q["item"]]))
        n += 1
    check(st == 200 and j["test"]["status"] == "finished", f"{who} finishes", (st, n, j))
    return tid
cand = Client()
tid = take(cand, tokens[cand_a], "Cand A")

# the interviewer calibration report: staff only, their organization's scorecards
st, j = rex.do("GET", "/api/interviewers/calibration")
ivs = {x["interviewer"]: x for x in j.get("interviewers", [])} if st == 200 else {}
rub = {x["rubric"]: x for x in j.get("rubrics", [])} if st == 200 else {}
check(st == 200 and j["ratings"] == 6 and j["scorecards"] == 2 and j["candidates"] == 1 and
      j["tested"] == 1 and
      sorted(ivs) == ["Ann", "Bob"] and ivs["Ann"]["ratings"] == 3 and
      ivs["Ann"]["id"] == ids["ann"] and
      all(isinstance(x["severity"], float) and x["se"] > 0 for x in ivs.values()),
      "the calibration report: each interviewer's severity and SE", (st, j))
check("coding_algorithmic" in rub and rub["coding_algorithmic"]["pairs"] == 3 and
      "kappa" in rub["coding_algorithmic"] and "icc" in rub["coding_algorithmic"] and
      rub["coding_algorithmic"]["not_separating"] == [],
      "agreement on the double-scored round: 3 pairs, kappa and ICC", rub)
check(ivs.get("Ann", {}).get("severity", 0) < ivs.get("Bob", {}).get("severity", 0),
      "bob, who scored the same answers lower, is the more severe", ivs)
# the criteria, calibrated from the organization's scorecards under priors at
# the kits' defaults (slope 1.2, thresholds -1, 0, 1): 2 ratings each move
# them little
crit = {x["criterion"]: x for x in j.get("criteria", [])} if st == 200 else {}
src = next(r for r in json.load(open("data/interviews.json"))["rounds"] if r["id"] == "coding_algorithmic")
check(all((crit[f"coding_algorithmic.{c['id']}"]["name"], crit[f"coding_algorithmic.{c['id']}"]["name_ja"]) ==
          (c["name"], c["ja"]["name"]) for c in src["rubric"]) if len(crit) == 3 else False,
      "each calibrated criterion named in English and Japanese from the kit", crit)
check(sorted(crit) == ["coding_algorithmic.approach", "coding_algorithmic.code_clarity",
                       "coding_algorithmic.correctness"] and
      all(x["ratings"] == 2 and x["kit"] == {"a": 1.2, "thresholds": [-1.0, 0.0, 1.0]} and
          len(x["thresholds"]) == 3 and x["a_se"] > 0 and
          abs(x["a"] - 1.2) < 0.3 and
          all(abs(b - k) < 0.5 for b, k in zip(x["thresholds"], x["kit"]["thresholds"])) and
          x["thresholds"] != x["kit"]["thresholds"]
          for x in crit.values()) and
      j.get("criteria_prior") == {"mean": "kit defaults", "a_sd": 0.3, "thresholds_sd": 0.5},
      "the calibration report: each rated criterion, calibrated near the kits' defaults", j)
print("INFO criteria:", json.dumps(j.get("criteria")))
st, j = bea.do("GET", "/api/interviewers/calibration")
check(st == 200 and j["ratings"] == 0 and j["interviewers"] == [],
      "another organization's admin sees none of it", (st, j))
for c, name in ((ann, "an interviewer"), (cand, "a candidate"), (Client(), "nobody")):
    st, j = c.do("GET", "/api/interviewers/calibration")
    check(st in (401, 403), f"{name} cannot read the calibration report", (st, j))

# the hiring packet
calls = {"meets", "below", "undecided", "not measured"}
st, j = rex.do("GET", f"/api/interviews/{cand_a}/packet")
reqs = {r["skill"]: r for r in j.get("requirements", [])} if st == 200 else {}
check(st == 200 and j["role"] == "ml_engineer" and j["test"] == tid and j["ratings"] == 6 and
      reqs and all(r["call"] in calls and 0 <= r["p_meets"] <= 1 for r in reqs.values()) and
      0 <= j["p_false_negative"] <= 1 and
      j["open"] == sum(r["call"] in ("undecided", "not measured") for r in reqs.values()),
      "Cand A's packet: P(meets) and a call per requirement, the open ones counted", (st, j))
ads = reqs.get("algorithms_data_structures", {})
check(ads.get("p_test") is not None and ads.get("p_interviews") is not None and
      ads.get("agree") in (True, False), "a requirement both the test and the coding round measured", ads)
check(all(r["settled_by"] is None or (r["call"] in ("undecided", "not measured") and
                                      r["settled_by_name"] and 0 <= r["p_settle"] <= 1)
          for r in reqs.values()), "only open requirements name a settling round", reqs)
check(j["role_name_ja"] != j["role_name"] and
      all(r["skill_name_ja"] and r["skill_name_ja"] != r["skill_name"] for r in reqs.values()),
      "the packet names the role and each requirement's skill in Japanese too", j)
st, j = rex.do("GET", f"/api/interviews/{cand_b}/packet")
check(st == 200 and j["test"] is None and j["ratings"] == 0 and
      all(r["call"] == "not measured" for r in j["requirements"]) and
      j["open"] == len(j["requirements"]) and
      any(r["settled_by"] for r in j["requirements"]),
      "Cand B, no test and no scorecard: every requirement open, rounds that would settle them",
      (st, j))
check(all(r["settled_by_name_ja"] == names[r["settled_by"]][1]
          for r in j["requirements"] if r["settled_by"]),
      "a settling round named in Japanese too", j["requirements"])
st, j = rex.do("GET", f"/api/interviews/{cand_a}/packet?role=data_scientist")
check(st == 200 and j["role"] == "data_scientist", "the packet for another role", (st, j))
st, j = rex.do("GET", f"/api/interviews/{cand_a}/packet?role=astronaut")
check(st == 400 and j.get("field") == "role", "an unknown role is 400 naming role", (st, j))
for c, want, name in ((bea, 404, "another organization's admin"), (eve, 403, "Beta's interviewer"),
                      (ann, 403, "an interviewer"), (cand, 403, "the candidate")):
    st, j = c.do("GET", f"/api/interviews/{cand_a}/packet")
    check(st == want, f"{name}: the packet is {want}", (st, j))
st, j = rex.do("GET", f"/api/interviews/{cand_x}/packet")
check(st == 404, "Acme's recruiter: Beta's candidate's packet is 404", (st, j))

# a team member's test counts in a packet only while the member shares it
st, j = rex.do("POST", "/api/teams", {"name": "Platform"})
team = j["team"]["id"]
st, j = rex.do("POST", f"/api/teams/{team}/members", {"label": "Mo Member", "role": "ml_engineer"})
check(st == 201, "a team member invited", (st, j))
mo_inv, mo = j["id"], Client()
mo_tid = take(mo, j["token"], "the member")
st, j = rex.do("GET", f"/api/interviews/{mo_inv}/packet")
check(st == 200 and j["test"] is None and all(r["p_test"] is None for r in j["requirements"]),
      "the member does not share: the packet has no test", (st, j))
st, j = mo.do("POST", f"/api/tests/{mo_tid}/share", {"share": True})
check(st == 200 and j["shared"], "the member shares", (st, j))
st, j = rex.do("GET", f"/api/interviews/{mo_inv}/packet")
check(st == 200 and j["test"] == mo_tid, "then the packet reads the member's test", (st, j))

# the staff report: the interviews' evidence beside the test's, per skill
def text(c, path):
    h = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    h.request("GET", path, headers={"Cookie": c.cookie} if c.cookie else {})
    r = h.getresponse()
    body = r.read().decode()
    h.close()
    return r.status, body
def near(a, b):
    return abs(a - b) <= 1e-9 * max(1, abs(a))
st, j = rex.do("GET", f"/api/tests/{tid}/report")
iv = j.get("interviews") if st == 200 else None
sk = {x["skill"]: x for x in iv["skills"]} if iv else {}
ads_a = sk.get("algorithms_data_structures", {})
check(st == 200 and j["viewer"] == "staff" and iv and iv["scorecards"] == 2 and
      iv["ratings"] == 6 and iv["agree_z"] == 1.96 and
      iv["disagree"] == sum(x["agree"] is False for x in sk.values()) and
      all(x["interviews"]["sd"] > 0 and x["combined"]["sd"] > 0 for x in sk.values()),
      "Cand A's staff report: the interviews' section, per skill the scorecards measured", (st, iv))
t_, v_, c_ = ads_a.get("test"), ads_a.get("interviews"), ads_a.get("combined")
check(t_ and v_ and c_ and c_["sd"] < min(t_["sd"], v_["sd"]) and
      ads_a["agree"] == (abs(t_["mean"] - v_["mean"]) <=
                         1.96 * (t_["sd"] ** 2 + v_["sd"] ** 2) ** 0.5) and
      ads_a["agree"] is True,
      "algorithms: test, interviews and both (narrower than either); they agree", ads_a)
print("INFO Cand A algorithms:", json.dumps(ads_a))
# the bar: Cand A is interviewed for ML engineer, which needs software
# engineering at advanced (cut 1) and algorithms at proficient (cut 0); both
# interviewers scored code clarity "meets the bar" (3), so the interviews
# read software engineering around advanced's start, not proficient's: 0.93
# with the role's bar, 0.66 with the kits' default bar for every rating
# (both above the two 3s' 0.27 under N(0, 1) alone: the severities are read
# against the test, which puts Cand A far above either cut)
se_a = sk.get("software_engineering", {}).get("interviews") or {}
check(0.8 < se_a.get("mean", 0) < 1.4,
      "software engineering scored at the bar reads at the role's level (advanced)", se_a)
print("INFO Cand A software engineering:", json.dumps(sk.get("software_engineering")))
st, pk = rex.do("GET", f"/api/interviews/{cand_a}/packet")
pr = {r["skill"]: r for r in pk.get("requirements", [])}
check(pr.get("algorithms_data_structures", {}).get("agree") == ads_a.get("agree"),
      "the report's agreement is the packet's", (pr.get("algorithms_data_structures"), ads_a))
st, j = cand.do("GET", f"/api/tests/{tid}/report")
check(st == 200 and j["viewer"] == "candidate" and "interviews" not in j,
      "the candidate's own report has no interview evidence", (st, sorted(j or {})))
st, h = text(cand, f"/api/tests/{tid}/report.html")
check(st == 200 and "What the interviews said" not in h and "scorecards said alone" not in h,
      "nor its HTML", st)
st, h = text(rex, f"/api/tests/{tid}/report.html")
check(st == 200 and "What the interviews said" in h and "Together" in h,
      "the staff's HTML report shows the section", st)
st, h = text(rex, f"/api/tests/{tid}/report.html?lang=ja")
check(st == 200 and "面接の評価" in h and "一致" in h, "and in Japanese", st)
# the Markdown form: the staff's has the section, the candidate's does not
st, md = text(rex, f"/api/tests/{tid}/report.md")
check(st == 200 and "## What the interviews said" in md and
      "| Algorithms and data structures | %.2f ± %.2f | %.2f ± %.2f | %.2f ± %.2f | yes |" % (
          t_["mean"], t_["sd"], v_["mean"], v_["sd"], c_["mean"], c_["sd"]) in md,
      "the staff's Markdown report: the interviews' section with the JSON's figures", md[:2000])
st, md = text(rex, f"/api/tests/{tid}/report.md?lang=ja")
check(st == 200 and "## 面接の評価" in md and "| はい |" in md, "and in Japanese", md[:300])
st, md = text(cand, f"/api/tests/{tid}/report.md")
check(st == 200 and "What the interviews said" not in md and md.startswith("# "),
      "the candidate's own Markdown report has none of it", md[:300])
st, j = bea.do("GET", f"/api/tests/{tid}/report")
check(st == 404, "another organization's admin cannot read the report", (st, j))

# Cand D answers every question right but both interviewers score the
# coding round at the bottom of the scale: the test and the interviews
# disagree on algorithms, and the report says so
cand_d = invite(rex, "Cand D")
for who, c in (("ann", ann), ("bob", bob)):
    st, j = assign(rex, {"invite": cand_d, "round": "coding_algorithmic",
                         "interviewer": ids[who]})
    check(st == 201, f"assign {who} to Cand D's coding round", (st, j))
cd = Client()
tid_d = take(cd, tokens[cand_d], "Cand D")
st, j = rex.do("GET", f"/api/tests/{tid_d}/report")
check(st == 200 and "interviews" not in j, "no submitted scorecard yet: no section", (st, sorted(j or {})))
low = {"approach": 1, "correctness": 1, "code_clarity": 1}
for who, c in (("ann", ann), ("bob", bob)):
    st, j = card(c, cand_d, {"round": "coding_algorithmic", "scores": low,
                             "notes": "could not start", "recommendation": "strong_no",
                             "submit": True})
    check(st == 200, f"{who} scores Cand D at the bottom", (st, j))
    # each submission shows in the staff report at once (nothing cached)
    n = 1 if who == "ann" else 2
    st, j = rex.do("GET", f"/api/tests/{tid_d}/report")
    iv = j.get("interviews") if st == 200 else None
    check(iv and iv["scorecards"] == n and iv["ratings"] == 3 * n,
          f"the staff report counts {n} scorecard(s) right after {who}'s submission", (st, iv))
st, j = rex.do("GET", f"/api/tests/{tid_d}/report")
iv = j.get("interviews") if st == 200 else None
ads_d = {x["skill"]: x for x in iv["skills"]}.get("algorithms_data_structures", {}) if iv else {}
check(iv and iv["ratings"] == 6 and ads_d.get("agree") is False and iv["disagree"] >= 1 and
      ads_d["interviews"]["mean"] < ads_d["test"]["mean"],
      "Cand D: the test and the interviews disagree on algorithms", ads_d)
print("INFO Cand D algorithms:", json.dumps(ads_d))
st, h = text(rex, f"/api/tests/{tid_d}/report.html")
check(st == 200 and "disagree on" in h, "the staff's HTML says they disagree", st)
st, md = text(rex, f"/api/tests/{tid_d}/report.md")
check(st == 200 and "**no**" in md and "**The test and the interviews disagree on " in md,
      "the staff's Markdown marks the disagreement", md[:3000])

# rankings count the interviews: Cand A and Cand D answered every test
# question right (the test alone ranks them alike); with their scorecards
# Cand D, scored at the bottom on algorithms, ranks below Cand A
st, po = rex.do("POST", "/api/postings", {"title": "Algorithms engineer", "text":
                "# Algorithms engineer\n\nRequirements\n- Expert in algorithms and data structures\n"})
check(st == 201, "a posting on algorithms", (st, po))
st, rk = rex.do("GET", f"/api/postings/{po.get('id')}/ranking?scope=org")
rows = {r["test"]: r for r in rk.get("candidates", [])} if st == 200 else {}
ra, rd = rows.get(tid, {}), rows.get(tid_d, {})
check(st == 200 and ra.get("interviews") == 6 and rd.get("interviews") == 6 and
      ra.get("reason", "").endswith("; interviews counted (6 scores of submitted scorecards)") and
      ra.get("fit", 0) > rd.get("fit", 1) + 0.1,
      "the ranking joins each candidate's scorecards to the test; the reason says so", rk)
print("INFO ranking:", json.dumps([(r["label"], round(r["fit"], 3), r["interviews"])
                                  for r in rk.get("candidates", [])]))
st, rk = rex.do("GET", f"/api/postings/{po.get('id')}/ranking?scope=org&lang=ja")
check(st == 200 and all(r["reason"].endswith("；面接の評価も含む（提出済み評価票の採点 6 件）")
                        for r in rk["candidates"] if r["test"] in (tid, tid_d)),
      "and in Japanese", rk)
st, j = cd.do("GET", f"/api/postings/{po.get('id')}/ranking?scope=org")
check(st in (401, 403, 404), "a candidate cannot read the ranking", (st, j))
st, j = cd.do("GET", f"/api/tests/{tid_d}/report")
check(st == 200 and "interviews" not in j, "Cand D's own report: none of it", (st, sorted(j or {})))
EOF
    grep -v '^PASS ' "$TMP/iv.out"
    pass=$((pass + $(grep -c '^PASS ' "$TMP/iv.out")))
    fail=$((fail + $(grep -c '^FAIL ' "$TMP/iv.out")))
    grep -q "^PASS Cand D's own report: none of it" "$TMP/iv.out" && ok ||
        bad "interviews_http.py did not run through"
fi
kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
finish

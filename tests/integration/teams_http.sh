#!/usr/bin/env bash
# Teams through HTTP against `rolefit serve` (issue 18): an admin makes a
# team and invites three members (two role tests, one find-my-role test);
# each takes the test in a client of its own and shares it; the team shows
# coverage of the eight deployment roles and five lifecycle tasks, single
# points of failure and the next hire with what it closes; a drafted posting
# goes through the postings flow; two readiness assessments give a trend;
# bad assessments are refused naming the field; the team report is JSON and
# HTML. A member who shares nothing adds nothing, and the team says so.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
"$RF" serve --db "$TMP/t.db" --port 0 --seed 11 --practice-pow 0 --rate 0 --answer-rate 0 \
    --no-practice 2>"$TMP/serve.log" &
spid=$!
for _ in $(seq 1 100); do
    PORT=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$TMP/serve.log")
    TOKEN=$(sed -n 's/.*setup.html#\([A-Za-z0-9_-]*\).*/\1/p' "$TMP/serve.log")
    [ -n "$PORT" ] && [ -n "$TOKEN" ] && break
    sleep 0.1
done
[ -n "$PORT" ] && ok || bad "the server did not start: $(cat "$TMP/serve.log")"
out=$(python3 - "$PORT" "$TOKEN" <<'EOF'
import html, http.client, json, math, re, sys

port, token = int(sys.argv[1]), sys.argv[2]
passed = failed = 0

def check(cond, name, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name} {detail}"[:400])

class Client:
    def __init__(self):
        self.cookie = None
        self.csrf = None

    def do(self, method, path, body=None, raw=None):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        h = {"Accept": "application/json"}
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
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
        return r.status, j, text

# the right answer to every item of the bank (a member at the top of the scale)
import glob
right = {}
for f in glob.glob("data/bank/*.json"):
    d = json.load(open(f))
    for it in (d["items"] if isinstance(d, dict) else d):
        t = it.get("type", "mcq")
        right[it["id"]] = ({"value": repr(it["answer"])} if t == "numeric" else
                           {"selected": it["keys"]} if t == "multi" else {"choice": it["key"]})

admin = Client()
st, j, _ = admin.do("POST", "/api/setup", {"token": token, "organization": "Acme",
                                          "name": "Ada Admin", "email": "ada@acme.test",
                                          "password": "teams check 42 unusual words"})
check(st == 201, "setup", j)
st, j, _ = admin.do("POST", "/api/teams", {"name": "Recommendations"})
check(st == 201, "team created", j)
team = j["team"]["id"]

def take(client, invite):
    st, j, _ = client.do("POST", "/api/tests", {"invite": invite})
    check(st == 201, "member starts the test", j)
    tid = j["test"]["id"]
    n = 0
    while j.get("question"):
        q = j["question"]
        body = dict(item=q["item"], **right[q["item"]])
        st, j, _ = client.do("POST", f"/api/tests/{tid}/answers", body)
        if st != 200:
            check(False, "answer", j)
            break
        n += 1
    check(n > 0 and j.get("test", {}).get("status") == "finished", "member finishes", j.get("test"))
    return tid

members = [("Mia", {"role": "mlops_engineer"}), ("Dan", {"role": "data_scientist"}),
           ("Fay", {"find_role": True})]
clients, tests = [], []
for label, what in members:
    st, j, _ = admin.do("POST", f"/api/teams/{team}/members", dict(label=label, **what))
    check(st == 201 and j.get("link", "").startswith("/invite.html#"), "member invited", j)
    c = Client()
    tests.append(take(c, j["token"]))
    clients.append(c)

st, j, _ = admin.do("GET", f"/api/teams/{team}")
check(st == 200 and j["counted"] == 0 and "share nothing" in (j["note"] or ""),
      "nobody shares: nothing counts, and the page says so", j.get("note"))
check(all(r["prob"] == 0 for r in j["coverage"]["roles"]), "no coverage from unshared members")
for c, t in zip(clients, tests):
    st, j, _ = c.do("POST", f"/api/tests/{t}/share", {"share": True})
    check(st == 200 and j["shared"] is True, "member shares", j)
st, j, _ = admin.do("GET", f"/api/teams/{team}")
cov = j["coverage"]
check(j["counted"] == 3 and j["note"] is None, "three members count", j.get("counted"))
check(len(cov["roles"]) == 8 and len(cov["tasks"]) == 5, "eight roles and five tasks",
      (len(cov["roles"]), len(cov["tasks"])))
byrole = {r["role"]: r for r in cov["roles"]}
check(byrole["mlops_engineer"]["call"] == "covered", "MLOps engineer covered",
      byrole["mlops_engineer"])
check(all("single_point" in t for t in cov["tasks"]), "single points listed")
check(all(0 <= x["interval"][0] <= x["prob"] + 1e-9 and x["prob"] <= x["interval"][1] + 1e-9 <= 1 + 1e-9
          for x in cov["roles"] + cov["tasks"]), "every coverage inside its interval",
      [(x.get("prob"), x.get("interval")) for x in cov["roles"] + cov["tasks"]])
check(all(x["call"] != "covered" or x["interval"][0] >= 0.8 for x in cov["roles"] + cov["tasks"]),
      "covered only when the interval's low end is 80% or more")
check(all((x["call"] == "unmeasured") == (not x["measured"]) for x in cov["roles"] + cov["tasks"]),
      "a coverage no member's test measured is called unmeasured, and only it",
      [(x.get("role", x.get("task")), x["call"], x["measured"]) for x in cov["roles"] + cov["tasks"]])
check(all(byrole[r]["measured"] for r in ("mlops_engineer", "data_scientist")),
      "the members' own roles are measured")
hire = cov["hires"][0]
check(all(0 <= h["p_best"] <= 1 for h in cov["hires"]) and
      hire["p_best"] == max(h["p_best"] for h in cov["hires"]),
      "the suggestion is the hire most likely to be the best", [h["p_best"] for h in cov["hires"]])
# near ties are said: a flag on every hire, never on the suggestion itself, and
# a near tie's chance is not above the suggestion's
check(all(isinstance(h["near_tie"], bool) for h in cov["hires"]) and not hire["near_tie"] and
      all(h["p_best"] <= hire["p_best"] for h in cov["hires"] if h["near_tie"]),
      "near ties flagged", [(h["role"], h["p_best"], h["near_tie"]) for h in cov["hires"]])
check(hire["gain"] > 0 and hire["role"] not in ("mlops_engineer", "data_scientist")
      and hire["closes"]["roles"], "the next hire closes a gap", hire)
print("team view:", json.dumps({r["role"]: round(r["prob"], 2) for r in cov["roles"]}),
      "hire:", hire["role"], "closes:", [x["role"] for x in hire["closes"]["roles"]],
      "tasks:", [x["task"] for x in hire["closes"]["tasks"]])

st, j, _ = admin.do("POST", f"/api/teams/{team}/posting-draft", {})
check(st == 200 and j["role"] == hire["role"] and j["reads_as"]["required"], "posting drafted", j)
st, p, _ = admin.do("POST", "/api/postings", {"title": j["title"], "text": j["text"]})
check(st == 201, "the draft goes through the postings flow", p)

bad = [('{"scores": {"data_schema": 2}}', "scores.data_schema"),
       ('{"scores": {"nope": 1}}', "nope"),
       ('{"scores": {"data_schema": 1, "data_schema": 0.5}}', "scored twice"),
       ('{"date": "2026-02-30", "scores": {}}', "YYYY-MM-DD")]
for raw, needle in bad:
    st, j, _ = admin.do("POST", f"/api/teams/{team}/assessments", raw=raw)
    check(st == 400 and needle in j.get("error", "") and j.get("field"), "bad assessment refused",
          (raw, st, j))
for date, s in (("2026-10-01", 0.5), ("2026-11-15", 1)):
    scores = {t: s for t in ("data_schema", "model_spec_reviewed", "infra_reproducible",
                             "mon_dependency_changes")}
    st, j, _ = admin.do("POST", f"/api/teams/{team}/assessments", {"date": date, "scores": scores})
    check(st == 201, "assessment stored", j)
st, j, _ = admin.do("GET", f"/api/teams/{team}/assessments")
tr = j["readiness"]["trend"]
check([t["final"] for t in tr] == [0.5, 1.0], "the trend rises", tr)
st, j, text = admin.do("GET", f"/api/teams/{team}/report.html")
check(st == 200 and "<svg" in text and "Readiness trend" in text and "<script" not in text,
      "HTML report with SVG")
# a probability as src/base/chance.h writes it, escaped: the test's own oracle
def chance(p):
    r = math.floor(100 * p + 0.5)
    return "&gt;99%" if r >= 100 else "&lt;1%" if r <= 0 else f"{r}%"
CH = r"(?:&gt;99|&lt;1|[1-9]\d?)%"
check(re.search(rf"<td>{CH} \({CH}–{CH}\)</td>", text) is not None and "<line " in text,
      "the HTML report gives each coverage its interval")
want = [f"<td>{chance(x['prob'])} ({chance(x['interval'][0])}–{chance(x['interval'][1])})</td>"
        for x in cov["roles"]]
check(all(w in text for w in want) and not re.search(r">(?:100|0)%<|\((?:100|0)%|–(?:100|0)%\)", text),
      "the HTML report writes each role's coverage bounded, never 100% or 0%",
      [w for w in want if w not in text])
unm = [x for x in cov["roles"] + cov["tasks"] if not x["measured"]]
check(all(html.escape(x["name"]) in text for x in unm)
      and (not unm or '<td class="unmeasured">unmeasured</td>' in text),
      "the HTML report says which coverage is unmeasured", [x["name"] for x in unm])
st, j, _ = admin.do("GET", f"/api/teams/{team}/report")
check(st == 200 and j["readiness"]["final"] == 1.0 and j["coverage"]["hires"], "JSON report")
print(f"python: {passed} {failed}")
EOF
)
echo "$out" | grep -v '^python: '
read -r p f <<<"$(echo "$out" | sed -n 's/^python: //p')"
pass=$((pass + ${p:-0})); fail=$((fail + ${f:-1}))
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
# the server stopped on its own terms and logged no sanitizer report (BUILD=build/san)
grep -qE 'AddressSanitizer|LeakSanitizer|runtime error|internal error' "$TMP/serve.log" &&
    bad "the server's log: $(grep -E 'Sanitizer|runtime error|internal error' "$TMP/serve.log" | head -3)" || ok
finish

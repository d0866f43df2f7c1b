#!/usr/bin/env bash
# `rolefit scorecards` end to end (issue 17): the interviewer calibration
# report from a scorecards file (a strict interviewer is found strict), the
# hiring packet of one candidate with and without a test profile, and one-line
# errors naming the line and field for bad files and command lines.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh

# 60 candidates, two of five interviewers per round (coding, behavioral);
# "strict" scores one point lower whenever it can.
python3 - "$TMP/cards.csv" <<'PY'
import json, random, sys
random.seed(4)
k = json.load(open("data/interviews.json"))
rubric = {r["id"]: [c["id"] for c in r["rubric"]] for r in k["rounds"]}
out = open(sys.argv[1], "w")
out.write("candidate,interviewer,round,slot,criterion,score\n")
panel = ["ana", "ben", "chen", "dev", "strict"]
for i in range(60):
    skill = random.gauss(0, 1)
    for rnd in ("coding_algorithmic", "behavioral"):
        for who in random.sample(panel, 2):
            for crit in rubric[rnd]:
                x = skill + random.gauss(0, 0.7) - (1.0 if who == "strict" else 0)
                s = 1 if x < -1 else 2 if x < 0 else 3 if x < 1 else 4
                out.write(f"c{i},{who},{rnd},1,{crit},{s}\n")
PY
expect "help" 0 "usage: rolefit scorecards" $RF scorecards --help
expect "top help lists it" 0 "^  scorecards " $RF --help
expect "report" 0 "^  strict +\+[0-9]" $RF scorecards "$TMP/cards.csv"
expect "agreement" 0 "^  behavioral +[0-9]+ +240 +[0-9.-]+ +[0-9.-]+" $RF scorecards "$TMP/cards.csv"
$RF scorecards "$TMP/cards.csv" --json >"$TMP/rep.json" 2>&1 && python3 - "$TMP/rep.json" <<'PY' && ok || bad "json: strict is the most severe, by more than 2 SE"
import json, sys
r = json.load(open(sys.argv[1]))
iv = {x["interviewer"]: x for x in r["interviewers"]}
s = iv["strict"]
others = [x["severity"] for n, x in iv.items() if n != "strict"]
assert s["severity"] > max(others) and s["severity"] > 2 * s["se"], iv
assert abs(sum(x["severity"] for x in iv.values())) < 1e-6
PY
expect "packet" 0 "chance it is a false negative" $RF scorecards "$TMP/cards.csv" --packet c3 --role ml_engineer
expect "packet settles" 0 "ml_system_design +core .* ml_system_design \([0-9]+%\)" $RF scorecards "$TMP/cards.csv" --packet c3 --role ml_engineer
printf '1\n1\n1\n1\n1\n1\n1\n1\n' | $RF assess --role ml_engineer --max-items 8 --seed 1 --profile-out "$TMP/p.json" >/dev/null 2>&1 && ok || bad "assess for a profile"
expect "packet with a test" 0 '"p_test": [0-9.]+' $RF scorecards "$TMP/cards.csv" --packet c3 --role ml_engineer --profile "$TMP/p.json" --json
expect "packet json settles" 0 '"settled_by": "ml_system_design"' $RF scorecards "$TMP/cards.csv" --packet c3 --role ml_engineer --json

# bad files: one line naming the line and the field; bad command lines
bad_file() { # NAME SED-EXPR PATTERN
    sed -E "$2" "$TMP/cards.csv" >"$TMP/bad.csv"
    expect_oneline "$1" 1 "$3" $RF scorecards "$TMP/bad.csv"
}
bad_file "score off the scale" '3s/,[0-9]$/,5/' "bad.csv:3: field 'score': '5' is outside 1..4"
bad_file "unknown round" '4s/coding_algorithmic/cooking/' "bad.csv:4: field 'round': 'cooking' is not a round"
bad_file "unknown criterion" '2s/,approach,/,charm,/' "bad.csv:2: field 'criterion': 'charm' is not in the rubric of 'coding_algorithmic'"
bad_file "slot" '2s/,1,approach/,0,approach/' "bad.csv:2: field 'slot': '0' is not a whole number"
bad_file "no header column" '1s/score/points/' "bad.csv:1: header: no column 'score'"
bad_file "empty interviewer" '5s/^(c0),[a-z]+,/\1,,/' "bad.csv:5: field 'interviewer'"
head -3 "$TMP/cards.csv" >"$TMP/dup.csv"; sed -n 2p "$TMP/cards.csv" >>"$TMP/dup.csv"
expect_oneline "scored twice" 1 "dup.csv:4: field 'criterion': '[a-z]+' scored 'coding_algorithmic.approach' of slot 1 for 'c0' before" $RF scorecards "$TMP/dup.csv"
# the optional role column: each score read against the bar of the role the
# candidate was interviewed for (an ML engineer needs software engineering at
# advanced, one level above the kits' default bar, proficient): the same two
# "meets the bar" scores on code clarity read higher with it
{ echo "candidate,interviewer,round,slot,criterion,score,role"
  tail -n +2 "$TMP/cards.csv" | sed 's/$/,/'
  echo "zz,ana,coding_algorithmic,1,code_clarity,3,ml_engineer"
  echo "zz,ben,coding_algorithmic,1,code_clarity,3,ml_engineer"; } >"$TMP/roles.csv"
grep -v ml_engineer "$TMP/roles.csv" >"$TMP/noroles.csv"
echo "zz,ana,coding_algorithmic,1,code_clarity,3," >>"$TMP/noroles.csv"
echo "zz,ben,coding_algorithmic,1,code_clarity,3," >>"$TMP/noroles.csv"
$RF scorecards "$TMP/roles.csv" --packet zz --role ml_engineer --json >"$TMP/pr.json" 2>&1 &&
$RF scorecards "$TMP/noroles.csv" --packet zz --role ml_engineer --json >"$TMP/pn.json" 2>&1 &&
python3 - "$TMP/pr.json" "$TMP/pn.json" <<'PY' && ok || bad "role column: two 3s read at the role's bar"
import json, sys
def se(f):
    j = json.load(open(f))
    return {r["skill"]: r for r in j["packet"]["requirements"]}["software_engineering"]
r, n = se(sys.argv[1]), se(sys.argv[2])
print("INFO P(meets software engineering), two 3s: role bar %.3f, default bar %.3f" %
      (r["p_interviews"], n["p_interviews"]))
assert r["p_interviews"] > n["p_interviews"] + 0.15, (r, n)
PY
sed '3s/,$/,astronaut/' "$TMP/roles.csv" >"$TMP/badrole.csv"
expect_oneline "unknown role" 1 "badrole.csv:3: field 'role': 'astronaut' is not a role" $RF scorecards "$TMP/badrole.csv"
expect_oneline "no such candidate" 1 "no scores of candidate 'zed'" $RF scorecards "$TMP/cards.csv" --packet zed --role ml_engineer
expect_oneline "no such role" 1 "no role 'astronaut'" $RF scorecards "$TMP/cards.csv" --packet c1 --role astronaut
expect_oneline "packet without role" 2 "go together" $RF scorecards "$TMP/cards.csv" --packet c1
expect_oneline "no file" 2 "expected a scorecards file" $RF scorecards
expect_oneline "missing file" 3 "nowhere.csv" $RF scorecards "$TMP/nowhere.csv"
finish

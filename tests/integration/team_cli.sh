#!/usr/bin/env bash
# `rolefit team` end to end (issue 18): coverage of the deployment roles and
# lifecycle tasks from members' profiles, the single point of failure, the
# next hire, JSON, and one-line errors for bad profiles and a bad team.json.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh

# An MLOps engineer well above every core bar, and a data scientist well above
# theirs: the team covers those two roles; deployment rests on one person.
cat >"$TMP/ops.json" <<'J'
{"person": "mei", "grid": {"lo": -6, "hi": 6, "n": 61}, "skills": [
 {"skill": "software_engineering", "theta": 2.5, "se": 0.3, "items": 8},
 {"skill": "model_deployment", "theta": 2.5, "se": 0.3, "items": 8},
 {"skill": "mlops_monitoring", "theta": 2.8, "se": 0.3, "items": 8},
 {"skill": "ai_infrastructure", "theta": 2.5, "se": 0.3, "items": 8}]}
J
cat >"$TMP/ds.json" <<'J'
{"person": "ravi", "grid": {"lo": -6, "hi": 6, "n": 61}, "skills": [
 {"skill": "probability_statistics", "theta": 2.8, "se": 0.3, "items": 8},
 {"skill": "ml_fundamentals", "theta": 2.8, "se": 0.3, "items": 8},
 {"skill": "experimentation", "theta": 2.8, "se": 0.3, "items": 8}]}
J
expect "help" 0 "usage: rolefit team" $RF team --help
expect "top help lists it" 0 "^  team " $RF --help
expect "mlops covered" 0 "MLOps engineer +(0\.9[0-9]|1\.00) \((0\.9[0-9]|1\.00)-1\.00\)  covered" $RF team "$TMP/ops.json" "$TMP/ds.json"
expect "data scientist covered" 0 "Data scientist +(0\.9[0-9]|1\.00) \((0\.9[0-9]|1\.00)-1\.00\)  covered" $RF team "$TMP/ops.json" "$TMP/ds.json"
# nobody measured the UX designer's core skills: the prior's probability, an interval
# from 0, and the call says so rather than rest on the prior alone
expect "unmeasured called so" 0 "UX designer.* 0\.[0-9][0-9] \(0\.00-[01]\.[0-9][0-9]\)  unmeasured  \(2 of 2" $RF team "$TMP/ops.json" "$TMP/ds.json"
expect "json interval" 0 '"interval": \[' $RF team "$TMP/ops.json" "$TMP/ds.json" --json
expect "unmeasured said" 0 "Infrastructure engineer .*not measured on its core skills" $RF team "$TMP/ops.json" "$TMP/ds.json"
expect "single point" 0 "Deployment .*single point of failure: only mei" $RF team "$TMP/ops.json" "$TMP/ds.json"
expect "hire next" 0 "^Hire next: " $RF team "$TMP/ops.json" "$TMP/ds.json"
$RF team "$TMP/ops.json" "$TMP/ds.json" | grep -q "^Hire next: \(MLOps engineer\|Data scientist\)" &&
    bad "suggests a role the team already covers" || ok
expect "json" 0 '"single_point": "mei"' $RF team "$TMP/ops.json" "$TMP/ds.json" --json
expect "json hires" 0 '"hires": \[' $RF team "$TMP/ops.json" "$TMP/ds.json" --json
# the follow-ups are the greedy choice after the suggestion, each with what it
# adds given the hires before it: their figures fall; a task the team covers is
# not raised by the hire but said not needed there
expect "then given" 0 "^  then: .* given the hire before it" $RF team "$TMP/ops.json" "$TMP/ds.json"
$RF team "$TMP/ops.json" "$TMP/ds.json" | sed -n 's/^  then: .*(\([-+0-9.]*\) given.*/\1/p' |
    awk 'NR > 1 && $1 > prev + 1e-9 { bad = 1 } { prev = $1 } END { exit bad || NR < 2 }' && ok ||
    bad "the follow-ups' gains do not fall"
expect "covered not raised" 0 '"not_needed": \[' $RF team "$TMP/ops.json" "$TMP/ds.json" --json

expect_oneline "no profiles" 2 "expected the members' profile files" $RF team
expect_oneline "bad profile" 1 "bad_se.json: skills\[0\] 'deep_learning': field 'se'" $RF team tests/careers/data/bad_se.json
expect_oneline "missing profile" 3 "nope.json" $RF team "$TMP/nope.json"
mkdir -p "$TMP/data" && cp data/skills.json data/roles.json data/skill_aliases.json data/learning.json "$TMP/data/"
[ -f data/loadings.json ] && cp data/loadings.json "$TMP/data/"
echo '{"deployment_roles": ["astronaut"], "lifecycle_tasks": ["modeling"], "task_weight": 0.25}' >"$TMP/data/team.json"
expect_oneline "bad team.json" 1 "team.json: deployment_roles\[0\]: unknown role 'astronaut'" $RF team --data "$TMP/data" "$TMP/ops.json"

# The next-hire target (issue 18) is 80%: seeded, 500 teams of 1-4 tested members,
# the suggested hire among the truly best. 0.826 here (docs/careers.md, "Who the
# members are": 2,000 teams, seeds 1-5); the floor 0.79 is two binomial SEs under
# it, room for changes of the bank or the engine elsewhere, not for losing the
# design (each member read alone by their test's prior gave 0.810, the highest
# expected gain instead of the most likely best 0.786, the measured-only rule
# 0.716). The suggestion's stated chance of being the best is what happens,
# within 0.05 (0.833 stated), and a role drawn at random would be right far less
# often (0.215: ties are not what makes the figure). Near ties are said: the
# suggestion or one of them is truly best at least as often as the suggestion
# (0.846; 8% of teams have one).
# The figures do not depend on the thread count.
j1=$($RF team --simulate 500 --seed 1 --threads 2 --json) && ok || bad "simulate"
j2=$($RF team --simulate 500 --seed 1 --threads 1 --json)
[ "$j1" = "$j2" ] && ok || bad "simulation depends on the thread count"
num() { echo "$j1" | sed -nE "s/.*\"$1\": ([0-9.]+).*/\1/p"; }
right=$(num hire_right) said=$(num hire_said) chance=$(num hire_by_chance)
awk -v r="$right" 'BEGIN { exit !(r >= 0.79) }' && ok || bad "hire right $right < 0.79"
tied=$(num hire_near_tie) rtied=$(num hire_right_or_near_tie)
awk -v r="$right" -v t="$tied" -v rt="$rtied" 'BEGIN { exit !(t > 0 && t < 0.3 && rt >= r) }' &&
    ok || bad "near ties $tied, right or a near tie $rtied (right $right)"
awk -v r="$right" -v s="$said" 'BEGIN { d = r - s; exit !(d <= 0.05 && d >= -0.05) }' && ok ||
    bad "hire right $right, stated $said"
awk -v c="$chance" 'BEGIN { exit !(c < 0.4) }' && ok || bad "a random role right $chance"
# Stated probabilities against the truth: the calibration error (sum over tenths
# of n |said - true| / N) of a member meeting a role, measured or not, of a role's
# coverage, with or without a member measured on it, and of a member meeting the
# role of their own test.
calerr() {
    python3 -c '
import json, sys
c = json.load(sys.stdin)["calibration"]
for k, m in (("member", "measured"), ("member", "unmeasured"), ("coverage", "measured"),
             ("coverage", "unmeasured"), ("own_role", None)):
    b = c[k][m] if m else c[k]
    n = sum(x["n"] for x in b)
    print("%s-%s %.3f" % (k, m or "test", sum(x["n"] * abs(x["said"] - x["true"]) for x in b) / n))'
}
# What nobody measured is stated as it truly is, at most 0.03 (0.006 and 0.010
# here; read through the assumed loading 0.7 it was about 0.07 and 0.12).
cal=$(echo "$j1" | calerr)
echo "$cal" | awk '/unmeasured/ && $2 > 0.03 { bad = 1 } END { exit bad }' && ok || bad "calibration: $cal"
# Half the members the role's people, half the population (the make-up nearest
# the role tests' prior): every table within 0.07 (0.001 to 0.053 here, with the
# members' kinds read from the whole team; the role's people alone read low on
# their own role, 0.112 (0.151 when each member was read alone), and the
# population 0.036 (0.048): docs/careers.md, "Who the members are").
cal=$($RF team --simulate 500 --seed 1 --members mix --json | calerr)
echo "$cal" | awk '$2 > 0.07 { bad = 1 } END { exit bad }' && ok || bad "mix calibration: $cal"
expect_oneline "simulate 0 teams" 2 "^rolefit team: --simulate: expected a whole number from 1 to 100000, got '0'" $RF team --simulate 0
expect_oneline "threads 0" 2 "^rolefit team: --threads: expected a whole number from 1 to 64, got '0'" $RF team --simulate 5 --threads 0
expect_oneline "bad members" 2 "--members: expected role, population or mix, got 'aliens'" $RF team --simulate 5 --members aliens
expect_oneline "members without simulate" 2 "need --simulate" $RF team --members mix "$TMP/ops.json"
expect "with g" 0 "skills correlate through g" $RF team --simulate 20 --seed 1 --with-g
expect_oneline "simulate with files" 2 "--simulate takes no profile files" $RF team --simulate 5 "$TMP/ops.json"
expect_oneline "bad sizes" 2 "--sizes: expected MIN-MAX" $RF team --simulate 5 --sizes 4-2
expect_oneline "sizes without simulate" 2 "need --simulate" $RF team --sizes 1-2 "$TMP/ops.json"
expect_oneline "with-g without simulate" 2 "need --simulate" $RF team --with-g "$TMP/ops.json"
expect_oneline "bad bank" 2 "--bank: $TMP/none: expected a bank directory" $RF team --simulate 5 --bank "$TMP/none"
finish

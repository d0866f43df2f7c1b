#!/usr/bin/env bash
# `rolefit simulate` end to end: the JSON object of the issue, determinism for a
# seed whatever the thread count, parameter-file banks, true thetas from a file,
# one-line errors for bad input; and the server's role and find-my-role designs
# (--role, --find-role), whose exposure file `serve --exposure` runs with.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
F=tests/fixtures/score

expect "help" 0 "usage: rolefit simulate" $RF simulate --help
expect "top help lists simulate" 0 "simulate" $RF --help

j1=$($RF simulate --generate-bank 200 --examinees 300 --max-items 30 --seed 5 --threads 1 --json)
j2=$($RF simulate --generate-bank 200 --examinees 300 --max-items 30 --seed 5 --threads 3 --json \
     | sed 's/"threads": 3/"threads": 1/')
[ -n "$j1" ] && [ "$j1" = "$j2" ] && ok || bad "same JSON with 1 and 3 threads"
for key in '"settings"' '"adaptive"' '"baseline"' '"length"' '"mean"' '"sd"' '"min"' '"max"' \
           '"capped"' '"bias"' '"rmse"' '"mean_se"' '"coverage"' '"exposure"' '"overlap"' \
           '"histogram"' '"select": "mfi"' '"randomesque": 5' '"examinees": 300'; do
    grep -q -- "$key" <<<"$j1" && ok || bad "JSON has $key"
done
j3=$($RF simulate --generate-bank 200 --examinees 300 --max-items 30 --seed 6 --json)
[ "$j1" != "$j3" ] && ok || bad "another seed gives another sample"

out=$($RF simulate --generate-bank 100 --skills alg,stats --examinees 200 --model 3pl --select kl)
grep -q "alg" <<<"$out" && grep -q "stats" <<<"$out" && ok || bad "per-skill lines: $out"
grep -q "fixed form of equal length" <<<"$out" && ok || bad "baseline section"

# A parameter file as the bank: items q1..q5 of skill 'default'.
expect "parameter file bank" 0 '"items": 5' $RF simulate --bank $F/params.json --examinees 50 --json
printf 'default\n0.5\n-1\n2\n' >"$TMP/th.csv"
expect "thetas file" 0 '"examinees": 3' $RF simulate --bank $F/params.json --thetas "$TMP/th.csv" --json
printf 'other\n0.5\n' >"$TMP/th2.csv"
expect_oneline "thetas without the skill" 1 "th2.csv:1: no column for skill 'default'" \
    $RF simulate --bank $F/params.json --thetas "$TMP/th2.csv"
printf 'default\nx\n' >"$TMP/th3.csv"
expect_oneline "bad theta" 1 "th3.csv:2: column 'default': expected a number, got 'x'" \
    $RF simulate --bank $F/params.json --thetas "$TMP/th3.csv"

# Exposure parameters found by --sh, written, and applied again: the same study.
a=$($RF simulate --generate-bank 150 --examinees 400 --max-items 20 --sh 0.3 --sh-rounds 4 --sh-out "$TMP/exp.json" --json | sed -n '/"adaptive"/,$p')
b=$($RF simulate --generate-bank 150 --examinees 400 --max-items 20 --exposure "$TMP/exp.json" --json | sed -n '/"adaptive"/,$p')
[ -n "$a" ] && [ "$a" = "$b" ] && ok || bad "--exposure reproduces the --sh study"
grep -q '"format": "rolefit-exposure"' "$TMP/exp.json" && ok || bad "exposure file written"
expect_oneline "sh-out without sh" 2 "--sh-out needs --sh" $RF simulate --generate-bank 5 --sh-out x
expect_oneline "sh and exposure" 2 "not both" $RF simulate --generate-bank 5 --sh 0.2 --exposure x
printf '{"format": "rolefit-exposure", "items": [{"item": "nope", "k": 0.5}]}' >"$TMP/badexp.json"
expect_oneline "exposure file for another bank" 1 "badexp.json: items\[0\]: item 'nope' is not in the bank" \
    $RF simulate --generate-bank 5 --exposure "$TMP/badexp.json"

expect_oneline "no bank" 2 "give exactly one of --bank and --generate-bank" $RF simulate
expect_oneline "two banks" 2 "give exactly one of" $RF simulate --bank x --generate-bank 3
expect_oneline "unknown skill" 1 "unknown skill 'nope'" $RF simulate --bank $F/params.json --skills nope
expect_oneline "bad select" 2 "--select: expected mfi, kl or pwi, got 'max'" $RF simulate --generate-bank 5 --select max
expect_oneline "bad randomesque" 2 "--randomesque" $RF simulate --generate-bank 5 --randomesque 0
expect_oneline "bad se" 2 "--se" $RF simulate --generate-bank 5 --se -1
expect_oneline "min over max" 2 "--min-items 9 exceeds --max-items 5" $RF simulate --generate-bank 5 --min-items 9 --max-items 5
expect_oneline "missing bank" 3 "nope: no such file" $RF simulate --bank "$TMP/nope"

# ---- The server's designs: --role and --find-role (rf_roletest_design). ----
# num TEXT PREFIX WORD: the number after WORD on the first line of TEXT starting with PREFIX.
num() { awk -v p="$2" -v w="$3" 'index($0, p) == 1 { for (i = 1; i < NF; i++) if ($i == w) { print $(i + 1); exit } }' <<<"$1"; }
# within X LO HI: LO <= X <= HI.
within() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x != "" && x + 0 >= lo && x + 0 <= hi) }'; }
role_skills=$($RF roles show ml_engineer --json | grep -o '"skill": "[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')
nrole=$(wc -l <<<"$role_skills")
out=$($RF simulate --role ml_engineer --bank data/bank --examinees 200 --seed 3)
grep -q "^ml_engineer: the server's design, $nrole skills, 15 roles as classes, SE target 0.30, 2 to 40 items per skill, max 40 items, randomesque 5, early stop off, requirements decided at P 0.90$" <<<"$out" \
    && ok || bad "role design header: $(head -1 <<<"$out")"
# The scope is the role's skills and nothing else.
scope=$(sed -n '/^adaptive/,/^  exposure/p' <<<"$out" | awk '/^    [a-z_]+ +items/ { print $1 }')
[ "$(sort <<<"$scope")" = "$(sort <<<"$role_skills")" ] && ok || bad "role scope: $scope"
# A role test goes on while a requirement is undecided, up to 40 items, and stops once
# every requirement is decided (at least 2 items per skill: 16).
within "$(num "$out" "  length" mean)" 30 40 && within "$(num "$out" "  length" min)" 16 40 \
    && [ "$(num "$out" "  length" max)" = 40 ] && ok \
    || bad "role tests stop on decisions within 40 items: $(grep length <<<"$out" | head -1)"
# Sensible figures: up to 40 items over 8 skills leave theta uncertain (RMSE below the prior SD 1,
# above 0.5); the reported SE matches the real error (answers follow the model) within 0.1;
# the 95% interval covers 0.90-0.98 of 200 x 8 thetas (binomial SD about 0.006).
rmse=$(num "$out" "  theta" rmse); cov=$(num "$out" "  theta" coverage)
mse=$(awk '/^  theta/ { print $8; exit }' <<<"$out")
within "$rmse" 0.5 1.0 && ok || bad "role rmse $rmse"
within "$(awk -v a="$rmse" -v b="$mse" 'BEGIN { d = a - b; print d < 0 ? -d : d }')" 0 0.1 && ok \
    || bad "rmse $rmse vs mean se $mse"
within "$cov" 0.90 0.98 && ok || bad "role coverage $cov"
emax=$(num "$out" "  exposure" max); emean=$(awk '/^  exposure/ { print $5; exit }' <<<"$out")
within "$emean" 0.01 "$emax" && ok || bad "role exposure max $emax mean $emean"

# Find my role, with a roles file of two roles: the scope is the union of their skills,
# one class each; results identical for 1 and 2 threads.
cat >"$TMP/roles.json" <<'JSON'
{"version": 1, "roles": [
 {"id": "statistician", "name": "Statistician", "kind": "technical", "description": "d",
  "loop": [{"stage": "s", "what": "w"}],
  "weights": {"foundations": 100, "data_engineering": 0, "modeling": 0, "deployment": 0,
              "business_analysis": 0, "ai_infrastructure": 0},
  "requires": [{"skill": "probability_statistics", "level": "advanced", "core": true},
               {"skill": "linear_algebra", "level": "proficient"}]},
 {"id": "coder", "name": "Coder", "kind": "technical", "description": "d",
  "loop": [{"stage": "s", "what": "w"}],
  "weights": {"foundations": 100, "data_engineering": 0, "modeling": 0, "deployment": 0,
              "business_analysis": 0, "ai_infrastructure": 0},
  "requires": [{"skill": "software_engineering", "level": "advanced", "core": true},
               {"skill": "linear_algebra", "level": "developing"}]}
]}
JSON
f1=$($RF simulate --find-role --roles "$TMP/roles.json" --bank data/bank --examinees 100 --seed 4 \
     --threads 1 --json)
f2=$($RF simulate --find-role --roles "$TMP/roles.json" --bank data/bank --examinees 100 --seed 4 \
     --threads 2 --json | sed 's/"threads": 2/"threads": 1/')
[ -n "$f1" ] && [ "$f1" = "$f2" ] && ok || bad "find-role: same JSON with 1 and 2 threads"
sk=$(sed -n '/"skills": \[/,/\]/p' <<<"$f1" | head -5 | tr -d ' \n')
[ "$sk" = '"skills":["linear_algebra","probability_statistics","software_engineering"],' ] && ok \
    || bad "find-role scope is the roles' skills: $sk"
for key in '"design": "find_role"' '"classes": 2' '"max_items": 40' '"min_items": 1' \
           '"early_stop": false' '"roles_file"'; do
    grep -q -- "$key" <<<"$f1" && ok || bad "find-role JSON has $key"
done
# The bundled role file: 12 classes.
expect "find-role over data/roles.json" 0 '"classes": 15' \
    $RF simulate --find-role --bank data/bank --examinees 20 --json
# A generated bank has J items for every skill of DIR/skills.json.
nsk=$(grep -c '"cuts"' data/skills.json)
expect "find-role on a generated bank" 0 "\"items\": $((40 * nsk))," \
    $RF simulate --find-role --data data --generate-bank 40 --examinees 20 --json
# True thetas from a file: one column per skill of the role.
{ tr '\n' , <<<"$role_skills" | sed 's/,$//'; echo
  for _ in 1 2 3; do tr '\n' , <<<"$role_skills" | sed 's/[a-z_][a-z_]*/0.5/g; s/,$//'; echo; done
} >"$TMP/rth.csv"
expect "role with thetas" 0 '"examinees": 3,' \
    $RF simulate --role ml_engineer --bank data/bank --thetas "$TMP/rth.csv" --json

# Sympson-Hetter for the live design: the file it writes holds the role test's items near the
# target, unlike a file calibrated for the plain design over the same skills and limits.
rs=$(tr '\n' , <<<"$role_skills" | sed 's/,$//')
sh=$($RF simulate --role ml_engineer --bank data/bank --examinees 200 --seed 3 --sh 0.3 \
     --sh-rounds 4 --sh-out "$TMP/role-exp.json")
grep -q "^Sympson-Hetter target 0.30: 4 rounds" <<<"$sh" && ok || bad "role --sh ran: $sh"
shmax=$(num "$sh" "  exposure" max)
# Without control the role design gives its favourite item to about 3/4 of the examinees
# (0.72 at this seed); 4 rounds of 200 bring it below 0.5 (target 0.30). Four rounds do not
# converge, so the figure moves with the bank: 0.39-0.465 over seeds 1-5 with the issue 14
# bank (0.465 at this seed), 0.41-0.44 before it.
within "$shmax" 0 0.5 && within "$emax" 0.6 1 && ok \
    || bad "role exposure with --sh $shmax, without $emax"
$RF simulate --bank data/bank --skills "$rs" --max-items 30 --min-items 2 --no-early-stop \
    --examinees 200 --seed 3 --sh 0.3 --sh-rounds 4 --sh-out "$TMP/plain-exp.json" >/dev/null \
    || bad "plain design --sh"
pl=$($RF simulate --role ml_engineer --bank data/bank --examinees 200 --seed 3 \
     --exposure "$TMP/plain-exp.json")
plmax=$(num "$pl" "  exposure" max)
# The plain design's file leaves the live design's max exposure higher (0.46 at this seed,
# against 0.38 with the role's own file; numeric and multi items in both pools).
within "$plmax" "$(awk -v x="$shmax" 'BEGIN { print x + 0.05 }')" 1 && ok \
    || bad "plain-design file on the role design: max exposure $plmax, role file $shmax"
a=$(sed -n '/^adaptive/,$p' <<<"$sh")
b=$($RF simulate --role ml_engineer --bank data/bank --examinees 200 --seed 3 \
    --exposure "$TMP/role-exp.json" | sed -n '/^adaptive/,$p')
[ -n "$a" ] && [ "$a" = "$b" ] && ok || bad "role --exposure reproduces the role --sh study"

# The server runs with that file: every listed item is limited, and a role test starts.
nlisted=$(grep -c '"item"' "$TMP/role-exp.json")
$RF serve --db "$TMP/exp.db" --port 0 --practice-pow 0 --exposure "$TMP/role-exp.json" 2>"$TMP/serve.err" &
spid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$TMP/serve.err")
    [ -n "$port" ] && break
    kill -0 "$spid" 2>/dev/null || break
    sleep 0.1
done
grep -q "exposure control: $nlisted items given with probability below 1 (.*role-exp.json)" \
    "$TMP/serve.err" && [ "$nlisted" -gt 0 ] && ok \
    || bad "serve --exposure took the file ($nlisted items): $(head -2 "$TMP/serve.err")"
started=
[ -n "$port" ] && started=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d '{"role": "ml_engineer"}' "http://127.0.0.1:$port/api/tests")
grep -q '"question"' <<<"$started" && ok || bad "a role test starts under exposure control: ${started:0:200}"
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null

# Bad combinations: one line, exit 2; bad data: one line naming it.
expect_oneline "role and find-role" 2 "give --role ID or --find-role, not both" \
    $RF simulate --role ml_engineer --find-role --bank data/bank
expect_oneline "role and skills" 2 "--skills does not go with --role: the server's design sets it" \
    $RF simulate --role ml_engineer --skills deep_learning --bank data/bank
expect_oneline "find-role and se" 2 "--se does not go with --find-role" \
    $RF simulate --find-role --se 0.2 --bank data/bank
for o in "--select kl" "--max-items 20" "--min-items 1" "--randomesque 1" "--no-early-stop"; do
    # shellcheck disable=SC2086
    expect_oneline "role and $o" 2 "^rolefit simulate: ${o%% *} does not go with --role" \
        $RF simulate --role ml_engineer $o --bank data/bank
done
expect_oneline "data without a role" 2 "--data needs --role ID or --find-role" \
    $RF simulate --bank data/bank --data data
expect_oneline "roles without a role" 2 "--roles needs --role ID or --find-role" \
    $RF simulate --bank data/bank --roles x.json
expect_oneline "role without a bank" 2 "give exactly one of --bank and --generate-bank" \
    $RF simulate --role ml_engineer
expect_oneline "unknown role" 2 "unknown role 'nope' \(roles: data_engineer, .*ml_engineer" \
    $RF simulate --role nope --bank data/bank
expect_oneline "missing roles file" 3 "nope.json" \
    $RF simulate --find-role --roles "$TMP/nope.json" --bank data/bank
expect_oneline "role skill not in the bank" 1 "unknown skill" \
    $RF simulate --role ml_engineer --bank $F/params.json
expect_oneline "find-role, no role skill in the bank" 1 "no skill of the roles has items in the bank" \
    $RF simulate --find-role --bank $F/params.json

# ---- Populations (--population): who takes the server's tests, what reports say. ----
p1=$($RF simulate --population role,random --role ml_engineer --bank data/bank --examinees 60 \
     --seed 3 --threads 1 --json)
p2=$($RF simulate --population role,random --role ml_engineer --bank data/bank --examinees 60 \
     --seed 3 --threads 2 --json)
[ -n "$p1" ] && [ "$p1" = "$p2" ] && ok || bad "population: same JSON with 1 and 2 threads"
for key in '"population": "role"' '"population": "random"' '"decisive"' '"wrong_among_decisive"' \
           '"brier"' '"calibration_error"' '"top_role_prob"' '"no_role_prob"' '"length"' \
           '"truth": "a = 1, c = 1/k"' '"all_task_areas"' '"meets_calibration"'; do
    grep -q -- "$key" <<<"$p1" && ok || bad "population JSON has $key"
done
# Every answer right: every requirement call is met, so none of them is decisive and wrong.
pf=$($RF simulate --population perfect --bank data/bank --examinees 24 --json)
grep -qE "\"wrong_among_decisive\": 0(\\.0)?," <<<"$pf" && ok || bad "perfect: no wrong decisive call: $pf"
expect "population text" 0 "find my role, 12 examinees.*" \
    $RF simulate --population reference --find-role --bank data/bank --examinees 12
expect "all populations" 0 "perfect " \
    $RF simulate --population all --role data_analyst --bank data/bank --examinees 5
expect "population on a generated bank" 0 "truth the generated parameters" \
    $RF simulate --population mix --role ml_engineer --generate-bank 30 --examinees 10
expect "takers and the report's target" 0 "the report's target .closest role." \
    $RF simulate --population takers --find-role --bank data/bank --examinees 12
expect "all populations include the takers" 0 "takers " \
    $RF simulate --population all --role data_analyst --bank data/bank --examinees 5
expect "what-if prior" 0 "the test's prior changed: class weight 0, loading 0" \
    $RF simulate --population role --find-role --bank data/bank --examinees 6 --prior-weight 0 \
    --prior-loading 0
expect_oneline "prior weight alone" 2 "--prior-weight and --prior-loading go together" \
    $RF simulate --population role --find-role --bank data/bank --prior-weight 0.3
expect_oneline "prior without a test" 2 "--prior-weight and --prior-loading go together" \
    $RF simulate --population role --bank data/bank --prior-weight 0.3 --prior-loading 0
expect_oneline "prior weight 1" 2 "--prior-weight: expected a number from 0 to below 1, got '1'" \
    $RF simulate --population role --find-role --bank data/bank --prior-weight 1 --prior-loading 0
expect_oneline "prior loading too high" 2 "--prior-loading: expected a number from 0 to 0.95" \
    $RF simulate --population role --role ml_engineer --bank data/bank --prior-weight 0.3 \
    --prior-loading 0.99
expect_oneline "unknown population" 2 "--population: unknown population 'crowd'" \
    $RF simulate --population role,crowd --bank data/bank
expect_oneline "empty population" 2 "--population: expected a comma list" \
    $RF simulate --population role, --bank data/bank
expect_oneline "population and sh" 2 "--sh does not go with --population" \
    $RF simulate --population role --sh 0.2 --bank data/bank
expect_oneline "population and a parameter file" 2 "params.json: expected a bank directory" \
    $RF simulate --population role --bank $F/params.json
expect_oneline "population, unknown role" 2 "unknown role 'nope'" \
    $RF simulate --population role --role nope --bank data/bank
# Find my role's confirm stage: figures after both stages; refused without find my role.
expect "confirm stage" 0 "confirmed role's calls: decisive" \
    $RF simulate --population role --find-role --bank data/bank --examinees 6 --confirm 20
cf=$($RF simulate --population random --find-role --bank data/bank --examinees 6 --confirm 5 --json)
grep -qE '"items_max": [0-5],' <<<"$cf" && grep -q '"told_no_role": 1' <<<"$cf" && ok ||
    bad "confirm stage json: at most 5 items, random responders told no role: $cf"
expect_oneline "confirm without find my role" 2 "go with --population and --find-role" \
    $RF simulate --population role --role ml_engineer --bank data/bank --confirm 20
expect_oneline "confirm 0" 2 "confirm" \
    $RF simulate --population role --find-role --bank data/bank --confirm 0
# --confirm-own: people with a role confirm it; every own-role call is then on the confirmed role.
expect "confirm own role" 0 "another confirmed:    decisive   0.0%  wrong   0.0%  Brier 0.000" \
    $RF simulate --population role --find-role --bank data/bank --examinees 6 --confirm 20 --confirm-own
expect_oneline "confirm-own without confirm" 2 "go with --population and --find-role" \
    $RF simulate --population role --find-role --bank data/bank --confirm-own
# --confirm-named: everyone names a role (N(0, 1) people role i mod R): their own-role calls are
# all verdicts (with --confirm-own they confirm the offered role: first readings on their "own").
for flag in own named; do
    out=$($RF simulate --population reference --find-role --bank data/bank --examinees 6 --confirm 20 \
        --confirm-$flag)
    first=$(grep -A1 "own role's calls:" <<<"$out" | grep -c "first readings")
    [ "$first" = "$([ $flag = own ] && echo 1 || echo 0)" ] && ok ||
        bad "confirm-$flag: first readings under the own role's calls: $first"
done
expect_oneline "confirm-named and confirm-own" 2 "not both" \
    $RF simulate --population role --find-role --bank data/bank --confirm 20 --confirm-own --confirm-named
# ---- Pools: a study draws from the pool the live test of that kind draws from. ----
# Scored items per pool, as the bank counts them (rubric items aside).
stats=$($RF bank stats data/bank | sed -n '/^items per pool/,/^$/p')
nprac=$(awk '$2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ { s += $2 } END { print s }' <<<"$stats")
nop=$(awk '$2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ { s += $3 } END { print s }' <<<"$stats")
po=$($RF simulate --population role --role ml_engineer --bank data/bank --examinees 20 --seed 2 --json)
grep -q '"pool": "operational"' <<<"$po" && grep -q "\"items\": $nop," <<<"$po" && ok ||
    bad "a role test's study draws on the operational pool ($nop items): $(head -12 <<<"$po")"
po2=$($RF simulate --population role --role ml_engineer --bank data/bank --examinees 20 --seed 2 \
      --pool operational --json)
[ "$po" = "$po2" ] && ok || bad "--pool operational is a role test's default"
pa=$($RF simulate --population role --role ml_engineer --bank data/bank --examinees 20 --seed 2 \
     --pool all --json)
grep -q '"pool": "all"' <<<"$pa" && [ "$(sed -n '/populations/,$p' <<<"$pa")" != "$(sed -n '/populations/,$p' <<<"$po")" ] \
    && ok || bad "--pool all: the whole bank, other figures"
pf=$($RF simulate --population random --find-role --bank data/bank --examinees 4 --json)
grep -q '"pool": "practice"' <<<"$pf" && grep -q "\"items\": $nprac," <<<"$pf" && ok ||
    bad "find my role's study draws on the practice pool ($nprac items): $(head -12 <<<"$pf")"
expect "role design: the operational pool" 0 "pool: operational, $nop it may give" \
    $RF simulate --role ml_engineer --bank data/bank --examinees 5
expect "find-role design: the practice pool" 0 "pool: practice, $nprac it may give" \
    $RF simulate --find-role --bank data/bank --examinees 5
expect "a design of skills: the whole bank" 0 '"pool": "bank"' \
    $RF simulate --bank data/bank --skills linear_algebra --examinees 5 --json
expect "a design of skills, practice pool" 0 '"pool": "practice"' \
    $RF simulate --bank data/bank --skills linear_algebra --examinees 5 --pool practice --json
expect_oneline "unknown pool" 2 "--pool: expected operational, practice or all, got 'pretest'" \
    $RF simulate --role ml_engineer --bank data/bank --pool pretest
expect_oneline "pool of a generated bank" 2 "--pool goes with a bank directory" \
    $RF simulate --generate-bank 5 --pool practice
expect_oneline "pool of a parameter file" 1 "params.json: a parameter file has no pools" \
    $RF simulate --bank $F/params.json --pool practice
finish

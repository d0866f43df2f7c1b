#!/usr/bin/env bash
# `rolefit simulate` end to end: the JSON object of the issue, determinism for a
# seed whatever the thread count, parameter-file banks, true thetas from a file,
# and one-line errors for bad input.
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
finish

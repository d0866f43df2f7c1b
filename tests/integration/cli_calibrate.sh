#!/usr/bin/env bash
# `rolefit calibrate` end to end on the LSAT-6 data (Bock & Lieberman 1970):
# JSON and CSV output, the output read back by `rolefit score --params`,
# progress, pretest calibration with --fixed, and one-line errors and named
# warnings for bad input.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
F=tests/fixtures/calib/lsat6.csv

expect "help" 0 "usage: rolefit calibrate" $RF calibrate --help
expect "top help lists calibrate" 0 "calibrate" $RF --help

$RF calibrate --responses $F --model 2pl --tol 1e-6 --out "$TMP/p.json" 2>"$TMP/err" && ok || bad "calibrate 2pl: $(cat "$TMP/err")"
[ ! -s "$TMP/err" ] && ok || bad "clean run prints nothing on stderr: $(cat "$TMP/err")"
grep -q '"loglik": -2466.65' "$TMP/p.json" && ok || bad "LSAT-6 2PL log-likelihood -2466.65 (ltm -2466.653)"
grep -q '"converged": true' "$TMP/p.json" && ok || bad "converged flag"
# the calibration output is a parameter file for rolefit score
sc=$($RF score --params "$TMP/p.json" --responses $F 2>&1)
[ "$(echo "$sc" | wc -l)" -eq 1001 ] && ok || bad "score reads the calibration output: $(echo "$sc" | head -3)"
echo "$sc" | sed -n 2p | grep -qE '^1,-?[0-9]+\.[0-9]+,[0-9.]+,5$' && ok || bad "score row: $(echo "$sc" | sed -n 2p)"

$RF calibrate --responses $F --model 2pl --format csv >"$TMP/p.csv" && ok || bad "csv output"
head -1 "$TMP/p.csv" | grep -q '^id,model,a,b,c,d,se_a,se_b,se_c,se_d,n,sx2,df,p$' && ok || bad "csv header: $(head -1 "$TMP/p.csv")"
[ "$(wc -l <"$TMP/p.csv")" -eq 6 ] && ok || bad "csv has 5 item rows"
grep -qE '^Item1,2pl,0\.82[0-9]+,-3\.3[0-9]+,0\.000000,2\.77' "$TMP/p.csv" && ok || bad "Item1 row: $(grep Item1 "$TMP/p.csv")"
csv_scores=$($RF score --params "$TMP/p.csv" --responses $F | sed -n 2p | cut -d, -f2)
json_scores=$(echo "$sc" | sed -n 2p | cut -d, -f2)
awk -v a="$csv_scores" -v b="$json_scores" 'BEGIN{d=a-b; exit !(d < 1e-3 && d > -1e-3)}' && ok || bad "CSV and JSON outputs score alike: $csv_scores vs $json_scores"

expect "progress" 0 "cycle 1 loglik -2[0-9]+\.[0-9]+ max change" $RF calibrate --responses $F --progress --threads 2
expect "3pl" 0 '"model": "3pl"' $RF calibrate --responses $F --model 3pl --prior-c beta:5,17
out=$($RF calibrate --responses $F --no-se --no-fit 2>&1)
echo "$out" | grep -q '"standard_errors": "none"' && ! echo "$out" | grep -q '"fit"' && ! echo "$out" | grep -q "warning" && ok || bad "--no-se --no-fit: $(echo "$out" | tail -3)"
expect "1pl" 0 '"parameters": 6' $RF calibrate --responses $F --model 1pl
expect "grm on binary data" 0 '"thresholds"' $RF calibrate --responses $F --model grm

# pretest calibration: Item1..Item3 fixed from the first run, Item4 and Item5 estimated
printf 'id,model,a,b\nItem1,2pl,0.8257,-3.3588\nItem2,2pl,0.7227,-1.3701\nItem3,2pl,0.8909,-0.2797\nOther,2pl,1,0\n' >"$TMP/bank.csv"
$RF calibrate --responses $F --fixed "$TMP/bank.csv" >"$TMP/fx.json" 2>"$TMP/fx.err" && ok || bad "fixed run: $(cat "$TMP/fx.err")"
grep -q "warning\[fixed-unused\]: 1 items of .*bank.csv are not columns of" "$TMP/fx.err" && ok || bad "fixed-unused warning: $(cat "$TMP/fx.err")"
grep -q '"fixed": true' "$TMP/fx.json" && grep -q '"fixed": false' "$TMP/fx.json" && ok || bad "fixed flags"

# bad input: one line on stderr, the right exit code
expect_oneline "missing responses flag" 2 "rolefit calibrate: give one of --responses or --store" $RF calibrate
expect_oneline "both sources" 2 "give one of --responses or --store" $RF calibrate --responses $F --store "$TMP/s.db"
expect_oneline "bad model" 2 "--model: expected 1pl, 2pl, 3pl or grm, got 'foo'" $RF calibrate --responses $F --model foo
expect_oneline "bad format" 2 "--format: expected json or csv" $RF calibrate --responses $F --format xml
expect_oneline "bad prior" 2 "--prior-a: expected lognormal:X,Y or none" $RF calibrate --responses $F --prior-a normal:0,1
expect_oneline "bad tol" 2 "--tol: expected a number" $RF calibrate --responses $F --tol abc
expect_oneline "missing file" 3 "nope.csv: cannot open" $RF calibrate --responses "$TMP/nope.csv"
printf 'q1,q2,q3\n1,0,1\n1,1,0\n1,0,0\n' >"$TMP/novar.csv"
expect_oneline "no variance" 1 "novar.csv: item 'q1': no variance \(all 3 responses are 1\)" $RF calibrate --responses "$TMP/novar.csv"
printf 'q1,q2\n1,0\n2,1\n' >"$TMP/cat.csv"
expect_oneline "non-binary cell" 1 "cat.csv:3: column 1 \(item 'q1'\): expected a category 0..1" $RF calibrate --responses "$TMP/cat.csv"
expect_oneline "ragged row" 1 "ragged.csv:3: 1 fields, the header has 2" $RF calibrate --responses "$(printf 'q1,q2\n1,0\n1\n' >"$TMP/ragged.csv"; echo "$TMP/ragged.csv")"
printf 'id,model,a,b\nzz,2pl,1,0\n' >"$TMP/unknown.csv"
expect_oneline "unknown fixed ids" 1 "none of the 1 ids of the fixed table is a column" $RF calibrate --responses $F --fixed "$TMP/unknown.csv"
{ echo "person,q1,q2,q3"; echo "a,1,0,1"; echo "b,,,"; echo "c,0,1,0"; echo "d,1,1,0"; echo "e,0,0,1"; echo "f,1,0,0"; echo "g,0,1,1"; } >"$TMP/empty.csv"
$RF calibrate --responses "$TMP/empty.csv" >"$TMP/e.json" 2>"$TMP/e.err"
grep -q "warning\[persons-without-responses\]: 1 of 7 persons" "$TMP/e.err" && ok || bad "empty person warning: $(cat "$TMP/e.err")"
grep -qi "nan" "$TMP/e.json" && bad "NaN in output" || ok
# a Guttman pattern separates perfectly: named warnings, finite output, no NaN
{ echo "q1,q2,q3,q4"; for i in $(seq 0 199); do s=$((i % 5)); r=""; for j in 0 1 2 3; do [ $j -lt $s ] && r="$r,1" || r="$r,0"; done; echo "${r#,}"; done; } >"$TMP/gutt.csv"
$RF calibrate --responses "$TMP/gutt.csv" --max-iter 50 >"$TMP/g.json" 2>"$TMP/g.err" && ok || bad "guttman run exits 0"
grep -q "warning\[extreme-slope\]: 4 items (first 'q1') have a slope above 10" "$TMP/g.err" && ok || bad "extreme-slope warning: $(cat "$TMP/g.err")"
grep -q "warning\[not-converged\]: stopped after 50 cycles" "$TMP/g.err" && ok || bad "not-converged warning"
grep -qi "nan" "$TMP/g.json" && bad "NaN in guttman output" || ok
# ---- --loadings: the higher-order model's loadings, the items held fixed ----
{
    echo "person,linear_algebra.shapes.001,linear_algebra.rank.001,linear_algebra.norms.001,deep_learning.training.001,deep_learning.cnn.001,deep_learning.rnn.001,no_such.item.001"
    for i in $(seq 1 60); do
        # a person's answers follow one ability on both skills, so the loadings come out high
        a=$((i % 4 > 0)); b=$((i % 3 > 0)); c=$((i % 5 > 1)); d=$((i % 2))
        echo "p$i,$a,$b,$c,$a,$d,$b,"
    done
} >"$TMP/hr.csv"
out=$($RF calibrate --loadings --bank data/bank --responses "$TMP/hr.csv" 2>"$TMP/lerr")
grep -q '"linear_algebra": 0\.[0-9]' <<<"$out" && grep -q '"deep_learning": 0\.[0-9]' <<<"$out" && ok \
    || bad "loadings JSON: $out $(cat "$TMP/lerr")"
grep -q 'warning\[items-without-parameters\]: 1 of 7 items' "$TMP/lerr" && ok || bad "unknown item warned: $(cat "$TMP/lerr")"
grep -q 'loadings of 2 skills from 60 persons' "$TMP/lerr" && ok || bad "summary: $(cat "$TMP/lerr")"
$RF calibrate --loadings --bank data/bank --responses "$TMP/hr.csv" --out "$TMP/loadings.json" 2>/dev/null &&
    [ "$(cat "$TMP/loadings.json")" = "$out" ] && ok || bad "--out writes the same JSON"
expect_oneline "loadings without a bank" 2 "--loadings needs --bank BANK" \
    $RF calibrate --loadings --responses "$TMP/hr.csv"
expect_oneline "loadings and model" 2 "--model does not go with --loadings" \
    $RF calibrate --loadings --model 2pl --bank data/bank --responses "$TMP/hr.csv"
expect_oneline "bank without loadings" 2 "--bank goes with --loadings" \
    $RF calibrate --bank data/bank --responses "$TMP/hr.csv"
printf 'x.a.001,x.b.001\n1,0\n' >"$TMP/none.csv"
expect_oneline "no item with parameters" 1 "none.csv: none of its 2 items has parameters in data/bank" \
    $RF calibrate --loadings --bank data/bank --responses "$TMP/none.csv"
expect_oneline "missing bank" 3 "nope: no such file" \
    $RF calibrate --loadings --bank "$TMP/nope" --responses "$TMP/hr.csv"
# Numeric entry and multiple select: --model bank takes each item's model from the bank
# (2pl for numeric, grm with categories 0..keys for multi), the categories of a CSV.
FB=tests/fixtures/assess_formats
mb=$($RF calibrate --model bank --bank $FB/bank --responses $FB/responses.csv --format csv 2>&1)
[ "$(grep -c '^linear_algebra\.num\.[0-9]*,2pl,' <<<"$mb")" -eq 3 ] && \
  [ "$(grep -c '^linear_algebra\.sel\.[0-9]*,grm,' <<<"$mb")" -eq 3 ] && ok || bad "per-item models: $mb"
grep -q '"model": "per item"' <<<"$($RF calibrate --model bank --bank $FB/bank --responses $FB/responses.csv)" \
  && ok || bad "the JSON summary says the models are per item"
expect_oneline "model bank without a bank" 2 "--model bank needs --bank" $RF calibrate --model bank --responses $FB/responses.csv
expect_oneline "item not in the bank" 1 "item 'linear_algebra.num.001' of the responses is not in the bank" \
  $RF calibrate --model bank --bank tests/fixtures/cat/bank --responses $FB/responses.csv
finish

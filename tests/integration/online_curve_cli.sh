#!/usr/bin/env bash
# `rolefit simulate --online-curve` (issue 19's curve, docs/calibration.md "Does the bank
# learn"): its help, a small run's table (the same for 1 and 2 threads, every checkpoint
# and the calibrated reference printed), JSON, and one-line errors for bad options.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh

expect "help" 0 "usage: rolefit simulate --online-curve" $RF simulate --online-curve --help
expect "simulate's help names it" 0 "--online-curve" $RF simulate --help

o1=$($RF simulate --online-curve --tests 30,60 --examinees 12 --pretest-items 10 --accept all \
     --seed 4 --threads 1)
o2=$($RF simulate --online-curve --tests 30,60 --examinees 12 --pretest-items 10 --accept all \
     --seed 4 --threads 2)
[ -n "$o1" ] && [ "$o1" = "$o2" ] && ok || bad "same table with 1 and 2 threads"
for row in '^ +0 ' '^ +30 ' '^ +60 ' '^ +true ' 'closest' '10 pretest items'; do
    grep -qE -- "$row" <<<"$o1" && ok || bad "table has '$row': $o1"
done
j=$($RF simulate --online-curve --tests 20 --examinees 6 --seed 4 --json)
for key in '"curve"' '"calibrated"' '"sd"' '"theta_rmse"' '"closest_own"' '"answers_per_item"' \
           '"items_with_200_answers"' '"learn": "eb"' '"accept": "ready"'; do
    grep -q -- "$key" <<<"$j" && ok || bad "JSON has $key"
done

e=$($RF simulate --online-curve --tests 60,150 --examinees 6 --learn eb --seed 4 --threads 2)
e1=$($RF simulate --online-curve --tests 60,150 --examinees 6 --learn eb --seed 4 --threads 1)
[ -n "$e" ] && [ "$e" = "$e1" ] && ok || bad "eb: same table with 1 and 2 threads"
for row in 'learn eb' 'held-out log-likelihood' 'scale against the truth' 'anchor mu0' '^  60 tests: too few held-out tests, no; ' \
           '^  150 tests: -[0-9.]+ -> -[0-9.]+ \([0-9.]+\) (yes|no); ' 'RMSE/SD' 'cover'; do
    grep -qE -- "$row" <<<"$e" && ok || bad "eb table has '$row': $e"
done
j=$($RF simulate --online-curve --tests 60 --examinees 6 --learn eb --seed 4 --json)
for key in '"learn": "eb"' '"eb"' '"ll_current"' '"ll_new"' '"mu_loga"' '"coverage95"' \
           '"scale"' '"score_bias_rms"' '"bank_origin_rms"' '"mu0"' '"tau"' '"scale_ok"'; do
    grep -q -- "$key" <<<"$j" && ok || bad "eb JSON has $key"
done

expect_oneline "tests not increasing" 2 "--tests: expected up to 32 increasing" \
    $RF simulate --online-curve --tests 500,250
expect_oneline "tests zero" 2 "--tests: expected" $RF simulate --online-curve --tests 0
expect_oneline "takers" 2 "--live: expected reference, role or mix, got 'random'" \
    $RF simulate --online-curve --live random
expect_oneline "learn" 2 "--learn: expected recalibrate, drift or eb" \
    $RF simulate --online-curve --learn all
expect_oneline "eb abilities" 2 "--eb-abilities: expected em or loo, got 'x'" \
    $RF simulate --online-curve --learn eb --eb-abilities x
expect_oneline "eb latent" 2 "--eb-latent: expected mean, free or fixed, got 'sd'" \
    $RF simulate --online-curve --learn eb --eb-latent sd
expect_oneline "eb anchor" 2 "--eb-anchor: expected pooled or rated, got 'none'" \
    $RF simulate --online-curve --learn eb --eb-anchor none
expect_oneline "eb max shift" 2 "--eb-max-shift: expected a number in \[0, 10\], got '-1'" \
    $RF simulate --online-curve --learn eb --eb-max-shift -1
expect_oneline "accept" 2 "--accept: expected ready or all" $RF simulate --online-curve --accept x
expect_oneline "pretest a test" 2 "^rolefit simulate: --pretest: expected a whole number from 0 to 8" \
    $RF simulate --online-curve --pretest 9
expect_oneline "no bank" 2 "--bank: /nonexistent: expected a bank directory" \
    $RF simulate --online-curve --bank /nonexistent
expect_oneline "too many pretest items" 1 "at most half the 631 operational ones" \
    $RF simulate --online-curve --pretest-items 400 --tests 1 --examinees 1
finish

#!/usr/bin/env bash
# `rolefit simulate --interviews` end to end (issue 17): a small seeded study
# (the loop alone, so it runs in seconds) prints every figure, JSON carries
# them, the same seed gives the same output, and bad command lines get one line.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh

expect "help" 0 "usage: rolefit simulate --interviews" $RF simulate --interviews --help
expect "simulate's help names it" 0 "simulate --interviews" $RF simulate --help
small=(simulate --interviews --examinees 60 --no-test --seed 3)
expect "severity" 0 "^Severity: RMSE 0\.[0-9]+ \(target <= 0.15\), mean SE" $RF "${small[@]}"
expect "ranking" 0 "ratio model / naive [0-9.]+" $RF "${small[@]}"
expect "agreement" 0 "^  behavioral +[0-9]+ +[0-9]+ +-?[0-9.]+ +-?[0-9.]+" $RF "${small[@]}"
expect "json" 0 '"ratio_loop_only": [0-9.]+' $RF "${small[@]}" --json
a=$($RF "${small[@]}" 2>&1); b=$($RF "${small[@]}" 2>&1)
[ "$a" = "$b" ] && ok || bad "same seed, same output"
expect_oneline "one interviewer" 2 "^rolefit simulate: --interviewers: expected a whole number from 2 to 1000, got '1'" $RF simulate --interviews --interviewers 1
expect_oneline "negative SD" 2 "--severity-sd" $RF simulate --interviews --severity-sd -1
expect_oneline "bank without test" 2 "--bank does not go with --no-test" $RF simulate --interviews --no-test --bank data/bank
expect_oneline "no data" 3 "nowhere" $RF simulate --interviews --data "$TMP/nowhere"
finish

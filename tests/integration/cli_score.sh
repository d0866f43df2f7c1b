#!/usr/bin/env bash
# `rolefit score` end to end: output shape, agreement of JSON and CSV parameters,
# NA for perfect scores under MLE, and one-line errors for bad input.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
F=tests/fixtures/score

expect "help" 0 "usage: rolefit score" $RF score --help
expect "top help lists score" 0 "score" $RF --help
expect "version" 0 "^rolefit [0-9]+\.[0-9]+" $RF --version

out=$($RF score --params $F/params.json --responses $F/responses.csv)
[ "$(echo "$out" | head -1)" = "person,theta,se,n" ] && ok || bad "header: $(echo "$out" | head -1)"
[ "$(echo "$out" | wc -l)" -eq 6 ] && ok || bad "six lines"
ann=$(echo "$out" | awk -F, '$1=="ann"{print $2}'); bob=$(echo "$out" | awk -F, '$1=="bob"{print $2}')
awk -v a="$ann" -v b="$bob" 'BEGIN{exit !(a > 1 && b < -1)}' && ok || bad "ann $ann > 1 > -1 > bob $bob"
echo "$out" | grep -q '^dan,0.000000,1.000000,0$' && ok || bad "dan without answers gets the prior: $(echo "$out" | grep dan)"
echo "$out" | grep -q '^cat,.*,4$' && ok || bad "cat answered 4"
csv=$($RF score --params $F/params.csv --responses $F/responses.csv)
[ "$out" = "$csv" ] && ok || bad "JSON and CSV parameters give the same scores"

mle=$($RF score --params $F/params.json --responses $F/responses.csv --method mle 2>"$TMP/err")
echo "$mle" | grep -q '^ann,NA,NA,5$' && ok || bad "perfect score under MLE is NA"
echo "$mle" | grep -q '^bob,NA,NA,5$' && ok || bad "zero score under MLE is NA"
grep -q "3 of 5 persons have no finite mle estimate" "$TMP/err" && ok || bad "NA count on stderr: $(cat "$TMP/err")"
for m in map wle; do
    expect "method $m" 0 "^eve,-?[0-9]" $RF score --params $F/params.json --responses $F/responses.csv --method $m
done

expect_oneline "missing params flag" 2 "rolefit score: --params is required" $RF score --responses $F/responses.csv
expect_oneline "bad method" 2 "--method: expected eap, map, mle or wle, got 'foo'" $RF score --params $F/params.json --responses $F/responses.csv --method foo
expect_oneline "unknown option" 2 "unknown option '--bogus'" $RF score --bogus
expect_oneline "bad quad" 2 "--quad: expected a whole number from 5 to 401, got 'x'" $RF score --params $F/params.json --responses $F/responses.csv --quad x
expect_oneline "missing file" 3 "nope.csv: cannot open" $RF score --params $F/params.json --responses $TMP/nope.csv
printf 'person,q1,zz\nann,1,0\n' >"$TMP/unknown.csv"
expect_oneline "unknown item" 1 "unknown.csv:1: column 3: item 'zz' is not in" $RF score --params $F/params.json --responses "$TMP/unknown.csv"
printf 'q1,q2\n1,0\n1\n' >"$TMP/ragged.csv"
expect_oneline "ragged row" 1 "ragged.csv:3: 1 fields, the header has 2" $RF score --params $F/params.json --responses "$TMP/ragged.csv"
printf 'q1,q2\n1,x\n' >"$TMP/cell.csv"
expect_oneline "non-numeric cell" 1 "cell.csv:2: column 2 \(item 'q2'\): expected a category" $RF score --params $F/params.json --responses "$TMP/cell.csv"
printf 'q1,q2\n1,3\n' >"$TMP/cat.csv"
expect_oneline "category beyond a binary item" 1 "person 1, item 'q2': category 3" $RF score --params $F/params.json --responses "$TMP/cat.csv"
printf '{"items": [{"id": "q1", "model": "2pl", "a": 1}]}' >"$TMP/p.json"
expect_oneline "params missing field" 1 "p.json: item 'q1': missing field 'b'" $RF score --params "$TMP/p.json" --responses $F/responses.csv
expect_oneline "unknown command" 2 "unknown command 'frobnicate'" $RF frobnicate
# found by clang-tidy (cert-err33-c): output lost to a full disk used to exit 0
err=$($RF score --params $F/params.json --responses $F/responses.csv 2>&1 >/dev/full); rc=$?
[ "$rc" -eq 3 ] && grep -q "rolefit score: cannot write the output" <<<"$err" && ok ||
    bad "score to a full disk: exit $rc (want 3), stderr: $err"
finish

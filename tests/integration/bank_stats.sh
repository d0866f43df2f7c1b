#!/usr/bin/env bash
# `rolefit bank stats` end to end: the text tables, the SVG file, exit codes.
set -u
BUILD=${BUILD:-build}
RF="$BUILD/rolefit"
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
SK="--skills tests/fixtures/bank/skills.json"

"$RF" bank stats tests/fixtures/bank/small $SK --svg "$tmp/c.svg" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 0 ] && ok || bad "stats exited $rc: $(cat "$tmp/err")"
grep -q '^bank tests/fixtures/bank/small: 4 items in 2 files, 3 active, 0 calibrated' "$tmp/out" && ok || bad "headline: $(head -1 "$tmp/out")"
# the applied share: linear_algebra.shapes.001 is marked recall, the rubric item is not
# the Japanese share: linear_algebra.shapes.001 is translated, the rubric item is not
grep -Eq '^linear_algebra +2 +1 +0 +1 +0 +0 +0 +0\.0% +50\.0% +50\.0%$' "$tmp/out" && ok || bad "linear_algebra counts row"
grep -Eq '^probability_statistics +1 +0 +1 +0 +0 +0 +1 +0\.0% +100\.0% +0\.0%$' "$tmp/out" && ok || bad "probability_statistics counts row"
# 13 theta columns from -3 to 3
hdr=$(grep -A1 '^test information of active items by theta' "$tmp/out" | tail -1)
[ "$(echo "$hdr" | wc -w)" -eq 14 ] && echo "$hdr" | grep -q -- '-3.0 .* 3.0$' && ok || bad "info header: $hdr"
[ -s "$tmp/c.svg" ] && head -c 4 "$tmp/c.svg" | grep -q '<svg' && ok || bad "no svg written"
[ "$(grep -c '<polyline' "$tmp/c.svg")" -eq 4 ] && ok || bad "expected 4 curves"
! grep -q 'href\|<script' "$tmp/c.svg" && ok || bad "svg not self-contained"

"$RF" bank stats tests/fixtures/bank/dup $SK >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "duplicate id" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ] && ok || bad "dup bank: exit $rc, $(cat "$tmp/err")"
"$RF" bank stats a b >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && ok || bad "two dirs: exit $rc"
"$RF" bank nonsense >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "unknown subcommand 'nonsense'" "$tmp/err" && ok || bad "unknown subcommand: exit $rc"

# information at the cuts: one row per skill of the shipped bank, flagged
# exactly where the advanced cut is below 6 or the expert cut below 3
"$RF" bank stats data/bank >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 0 ] && grep -q '^test information of active items at the cuts' "$tmp/out" && ok \
    || bad "cut table missing: exit $rc"
rows=$(sed -n '/^test information of active items at the cuts/,/^$/p' "$tmp/out" | tail -n +3 | grep -v '^$')
[ "$(echo "$rows" | wc -l)" -eq "$(ls data/bank/*.json | wc -l)" ] && ok || bad "cut rows: $(echo "$rows" | wc -l)"
echo "$rows" | awk '{adv = $4 + 0; ex = $5 + 0; low_a = ($0 ~ /low at advanced/); low_e = ($0 ~ /low at expert/);
    if ((adv < 6) != low_a || (ex < 3) != low_e) { print "bad row: " $0; bad = 1 } } END { exit bad }' \
    && ok || bad "cut flags disagree with the figures"

echo "bank_stats: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

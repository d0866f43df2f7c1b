#!/usr/bin/env bash
# `rolefit bank lint` end to end: the golden report of a fixture full of faults,
# exit codes, and the bundled bank (data/bank) when it has files, which must
# lint without errors or warnings.
set -u
BUILD=${BUILD:-build}
RF="$BUILD/rolefit"
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# 1. the golden report: every finding, in order, and exit 1 for errors
"$RF" bank lint tests/fixtures/bank/lint_bad --skills tests/fixtures/bank/skills.json >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] && ok || bad "lint of lint_bad exited $rc, expected 1"
if diff -u tests/fixtures/bank/lint_bad.expected "$tmp/out" >"$tmp/diff"; then ok
else bad "lint_bad report differs from tests/fixtures/bank/lint_bad.expected:"; head -40 "$tmp/diff"; fi

# 2. a bank with warnings only exits 0
"$RF" bank lint tests/fixtures/bank/small >"$tmp/out" 2>&1; rc=$?
[ "$rc" -eq 0 ] && ok || bad "lint of small exited $rc, expected 0"
grep -q '^lint: 2 files, 4 items: 0 errors, ' "$tmp/out" && ok || bad "small summary: $(tail -1 "$tmp/out")"

# 3. usage and I/O errors: one line on stderr, exit 2 and 3
"$RF" bank lint --frobnicate >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && ok || bad "bad flag: exit $rc, stderr $(cat "$tmp/err")"
"$RF" bank lint tests/fixtures/bank/small --skills tests/fixtures/none.json >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 3 ] && grep -q 'tests/fixtures/none.json' "$tmp/err" && ok || bad "missing taxonomy: exit $rc, $(cat "$tmp/err")"
"$RF" bank lint tests/fixtures/no_such_dir/ >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "no_such_dir.*error: .*cannot" "$tmp/out" && ok || bad "missing path: exit $rc, $(cat "$tmp/out" "$tmp/err")"
"$RF" bank lint --help >"$tmp/out" 2>&1; rc=$?
[ "$rc" -eq 0 ] && grep -q '^usage: rolefit bank lint' "$tmp/out" && ok || bad "--help: exit $rc"

# 4. the bundled bank: no errors and no warnings (issue 14: the shipped bank
# lints clean, so a new warning fails the tests instead of piling up)
if ls data/bank/*.json >/dev/null 2>&1; then
    "$RF" bank lint data/bank >"$tmp/out" 2>&1; rc=$?
    if [ "$rc" -eq 0 ]; then ok; else bad "data/bank has lint errors:"; grep ': error: ' "$tmp/out" | head -40; fi
    if grep -q ': warning: ' "$tmp/out"; then
        bad "data/bank has lint warnings (fix them, or see docs/bank-lint.md):"; grep ': warning: ' "$tmp/out" | head -40
    else ok; fi
    tail -1 "$tmp/out"
fi

echo "bank_lint: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

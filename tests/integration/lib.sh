# Helpers for integration scripts: count passes and failures, print the closing line.
# Usage: source this file, call expect ..., then finish.
RF=${RF:-${BUILD:-build}/rolefit}
pass=0; fail=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# expect NAME WANT_EXIT PATTERN CMD...   (PATTERN is grepped in stdout+stderr; '' = none)
expect() {
    local name=$1 want=$2 pat=$3; shift 3
    local out rc
    out=$("$@" 2>&1); rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, want $want"; echo "$out" | head -5; fail=$((fail + 1)); return
    fi
    if [ -n "$pat" ] && ! grep -qE -- "$pat" <<<"$out"; then
        echo "FAIL $name: output lacks /$pat/"; echo "$out" | head -5; fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}

# expect_oneline NAME WANT_EXIT PATTERN CMD...: as expect, and stderr is exactly one line
expect_oneline() {
    local name=$1 want=$2 pat=$3; shift 3
    local err rc
    err=$("$@" 2>&1 >/dev/null); rc=$?
    if [ "$rc" -ne "$want" ] || [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ] || ! grep -qE -- "$pat" <<<"$err"; then
        echo "FAIL $name: exit $rc (want $want), stderr: $err"; fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

finish() {
    echo "$(basename "$0" .sh): $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}

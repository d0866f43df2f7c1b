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

# serve_start LOG ARGS...: `rolefit serve --port 0 ARGS...` in the background,
# stderr to LOG; sets PID, and PORT once it listens (empty if it did not start)
serve_start() {
    local log=$1; shift
    "$RF" serve --port 0 "$@" 2>"$log" &
    PID=$!
    PORT=
    for _ in $(seq 150); do
        PORT=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log")
        [ -n "$PORT" ] && break
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.1
    done
}

finish() {
    echo "$(basename "$0" .sh): $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}

# Helpers for the browser scripts (tests/integration/browser*.sh), sourced
# after lib.sh: the prerequisites, a server's setup link, one node walk run and
# counted, a server stopped and its log checked.

fatal() { bad "$1"; finish; exit 1; }

# browser_prereqs CMD...: each command is installed, tests/browser has its node
# modules (npm ci on the first run) and $RF is built; fails, never skips
browser_prereqs() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null || fatal "$c is not installed (scripts/install-deps --browser)"
    done
    if [ ! -d tests/browser/node_modules/playwright-core ]; then
        (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) >"$TMP/npm.log" 2>&1 ||
            { tail -n 20 "$TMP/npm.log"; fatal "npm ci in tests/browser"; }
    fi
    [ -x "$RF" ] || fatal "$RF is not built"
}

# setup_link LOG: the one-time setup link a fresh server logged (empty if none)
setup_link() {
    grep -oE 'http://[^ ]+/setup\.html#[A-Za-z0-9_-]+' "$1" | head -n 1
}

# browser_walk NAME SCRIPT SECONDS SUMMARY OUTDIR: runs a node script of
# tests/browser (its environment set by the caller), shows its failures and
# notes, counts its "ok" and "FAIL" lines, keeps its log in OUTDIR
browser_walk() {
    local name=$1 script=$2 secs=$3 summary=$4 dir=$5 rc p f
    timeout "$secs" node "$script" >"$TMP/$name.log" 2>&1
    rc=$?
    cp "$TMP/$name.log" "$dir/$name.log" 2>/dev/null
    grep -E "^(FAIL|#|ok markup|screenshots:|$summary:)" "$TMP/$name.log"
    p=$(grep -c '^ok ' "$TMP/$name.log"); f=$(grep -c '^FAIL ' "$TMP/$name.log")
    pass=$((pass + p)); fail=$((fail + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        tail -n 20 "$TMP/$name.log"
        bad "$script exited $rc"
    fi
}

# serve_stop NAME PID LOG: SIGTERM; the server exits 0 and its log holds no
# crash or sanitizer report
serve_stop() {
    local name=$1 pid=$2 log=$3 src
    kill -TERM "$pid"
    wait "$pid"; src=$?
    [ "$src" -eq 0 ] && ok || bad "$name: server exits 0 on SIGTERM (got $src)"
    if grep -qE 'runtime error|Sanitizer|Segmentation' "$log"; then
        grep -E -A5 'runtime error|Sanitizer' "$log" | head -n 20
        bad "$name: server log is clean"
    else
        ok
    fi
}

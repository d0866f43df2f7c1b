#!/usr/bin/env bash
# Browser tests of `rolefit serve` (issue 7): playwright-core from npm drives
# Debian's chromium headless against the real server on a free loopback port
# with a temporary database. Flows and checks are in tests/browser/flows.mjs;
# screenshots of every final page go to test-output/browser/.
# Deterministic: the server runs with --seed $RF_SEED (default 23), so the
# same flows ask the same questions in every run and a failure reproduces
# with the seed it prints.
# Needs chromium, node and npm (installed through scripts/install-deps --browser)
# and, on first run, network access for `npm ci`. It fails, never skips, when
# any of that is missing.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
OUT=${RF_TEST_OUTPUT:-test-output}/browser
SEED=${RF_SEED:-23}
t0=$(date +%s.%N)

fatal() { bad "$1"; finish; exit 1; }

scripts/install-deps --browser >"$TMP/deps.log" 2>&1 || { cat "$TMP/deps.log"; fatal "install-deps --browser"; }
for c in chromium node npm; do
    command -v "$c" >/dev/null || fatal "$c is not installed"
done
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) >"$TMP/npm.log" 2>&1 ||
        { tail -n 20 "$TMP/npm.log"; fatal "npm ci in tests/browser"; }
fi
[ -x "$RF" ] || fatal "$RF is not built"

# the server: port 0 picks a free port; the log names it and the setup link
[[ "$SEED" =~ ^[1-9][0-9]*$ ]] || fatal "RF_SEED must be a whole number from 1, not '$SEED'"
echo "# seed $SEED (RF_SEED=$SEED tests/integration/browser.sh repeats this run)"
"$RF" serve --port 0 --db "$TMP/rf.db" --answer-rate 0 --threads 2 --seed "$SEED" 2>"$TMP/serve.log" &
spid=$!
trap 'kill $spid 2>/dev/null; wait $spid 2>/dev/null; rm -rf "$TMP"' EXIT
port=""
for _ in $(seq 1 100); do
    port=$(sed -nE 's|.*listening on http://127\.0\.0\.1:([0-9]+).*|\1|p' "$TMP/serve.log")
    [ -n "$port" ] && break
    kill -0 $spid 2>/dev/null || break
    sleep 0.1
done
[ -n "$port" ] || { cat "$TMP/serve.log"; fatal "server did not start"; }
setup=$(grep -oE 'http://[^ ]+/setup\.html#[A-Za-z0-9_-]+' "$TMP/serve.log" | head -n 1)
[ -n "$setup" ] && ok || bad "server logs a setup link"

postings=0
grep -q '"/api/postings"' src/server/routes.c && postings=1

rm -rf "$OUT"
RF_BASE="http://127.0.0.1:$port" RF_SETUP_URL="$setup" RF_OUT="$OUT" RF_BANK=data/bank \
RF_POSTINGS=$postings NODE_PATH= TMPDIR="$TMP" \
    timeout 150 node tests/browser/flows.mjs >"$TMP/flows.log" 2>&1
rc=$?
cp "$TMP/flows.log" "$OUT/flows.log" 2>/dev/null
grep -E "^(FAIL|#|ok markup|screenshots:|flows:)" "$TMP/flows.log"
p=$(grep -c '^ok ' "$TMP/flows.log"); f=$(grep -c '^FAIL ' "$TMP/flows.log")
pass=$((pass + p)); fail=$((fail + f))
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    tail -n 20 "$TMP/flows.log"
    bad "flows.mjs exited $rc"
fi

# the server stops gracefully and logged no crash or sanitizer report
kill -TERM $spid
wait $spid; src=$?
[ "$src" -eq 0 ] && ok || bad "server exits 0 on SIGTERM (got $src)"
if grep -qE 'runtime error|Sanitizer|Segmentation' "$TMP/serve.log"; then
    grep -E -A5 'runtime error|Sanitizer' "$TMP/serve.log" | head -n 20
    bad "server log is clean"
else
    ok
fi
awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "browser: took %.1f s\n", b - a }'
finish

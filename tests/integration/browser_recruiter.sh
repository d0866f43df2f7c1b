#!/usr/bin/env bash
# A demanding recruiter's and team lead's walk of the staff pages in a browser
# (tests/browser/walk_recruiter.mjs): a fresh server of its own with the
# bundled bank on a temporary SQLite file; setup, a posting read from text
# and invited for, candidates' tests, a team with an unshared member, an
# interviewer's take-home; English and Japanese at 1280 and 390 px. Screenshots
# go to $BUILD/browser-recruiter/. Needs chromium, node and npm (scripts/
# install-deps --browser); it fails, never skips, when any is missing.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
OUT=${BUILD:-build}/browser-recruiter
fatal() { bad "$1"; finish; exit 1; }

for c in chromium node npm; do
    command -v "$c" >/dev/null || fatal "$c is not installed (scripts/install-deps --browser)"
done
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) >"$TMP/npm.log" 2>&1 ||
        { tail -n 20 "$TMP/npm.log"; fatal "npm ci in tests/browser"; }
fi
[ -x "$RF" ] || fatal "$RF is not built"
rm -rf "$OUT"; mkdir -p "$OUT"

serve_start "$TMP/serve.log" --db "$TMP/rf.db" --answer-rate 0 --rate 0 --threads 2 --seed 23
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT
[ -n "$PORT" ] || { cat "$TMP/serve.log"; fatal "server did not start"; }
setup=$(grep -oE 'http://[^ ]+/setup\.html#[A-Za-z0-9_-]+' "$TMP/serve.log" | head -n 1)
[ -n "$setup" ] && ok || fatal "server logs a setup link"

RF_BASE="http://127.0.0.1:$PORT" RF_SETUP_URL="$setup" RF_OUT="$OUT" RF_BANK=data/bank NODE_PATH= \
    timeout 420 node tests/browser/walk_recruiter.mjs >"$TMP/walk.log" 2>&1
rc=$?
cp "$TMP/walk.log" "$OUT/walk.log"
grep -E '^(FAIL|#|recruiter walk:)' "$TMP/walk.log"
p=$(grep -c '^ok ' "$TMP/walk.log"); f=$(grep -c '^FAIL ' "$TMP/walk.log")
pass=$((pass + p)); fail=$((fail + f))
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then tail -n 20 "$TMP/walk.log"; bad "walk_recruiter.mjs exited $rc"; fi

kill -TERM "$PID"; wait "$PID"; src=$?
[ "$src" -eq 0 ] && ok || bad "server exits 0 on SIGTERM (got $src)"
if grep -qE 'runtime error|Sanitizer|Segmentation' "$TMP/serve.log"; then
    grep -E -A5 'runtime error|Sanitizer' "$TMP/serve.log" | head -n 20; bad "server log is clean"
else ok; fi
finish

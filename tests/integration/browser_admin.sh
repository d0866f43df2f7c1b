#!/usr/bin/env bash
# The Admin page's review, fairness and bank-version sections walked in a
# browser (issue 19): tests/browser/admin.mjs drives Debian's chromium through
# playwright-core against a server of its own, on a copy of data/bank with two
# pretest items, whose database tests/browser/admin_seed.py fills once the admin
# exists (600 tests of people who reported their groups, two items with DIF, a
# calibration and a drift run, answers to a pretest item in finished tests and
# in one still running). English and Japanese, desktop and phone width; the
# pretest items live now;
# a reference group chosen, a DIF run, a promotion and a retirement, a rollback
# and a roll forward, each checked on the page. Screenshots go to
# $BUILD/browser-admin/. Needs chromium, node, npm and python3 (scripts/
# install-deps --browser); it fails, never skips, when any is missing.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
OUT=${BUILD:-build}/browser-admin
fatal() { bad "$1"; finish; exit 1; }

for c in chromium node npm python3; do
    command -v "$c" >/dev/null || fatal "$c is not installed (scripts/install-deps --browser)"
done
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) >"$TMP/npm.log" 2>&1 ||
        { tail -n 20 "$TMP/npm.log"; fatal "npm ci in tests/browser"; }
fi
[ -x "$RF" ] || fatal "$RF is not built"
rm -rf "$OUT"; mkdir -p "$OUT"

pretest=$(python3 tests/browser/admin_seed.py bank data/bank "$TMP/bank") || fatal "admin_seed.py bank"
[ "$(wc -w <<<"$pretest")" -eq 2 ] && ok || fatal "two pretest items marked (got '$pretest')"
serve_start "$TMP/serve.log" --db "$TMP/rf.db" --bank "$TMP/bank" --answer-rate 0 --threads 2 --seed 23
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT
[ -n "$PORT" ] || { cat "$TMP/serve.log"; fatal "server did not start"; }
setup=$(grep -oE 'http://[^ ]+/setup\.html#[A-Za-z0-9_-]+' "$TMP/serve.log" | head -n 1)
[ -n "$setup" ] && ok || fatal "server logs a setup link"

RF_BASE="http://127.0.0.1:$PORT" RF_SETUP_URL="$setup" RF_OUT="$OUT" RF_DB="$TMP/rf.db" \
RF_BANK="$TMP/bank" RF_PRETEST="$pretest" NODE_PATH= \
    timeout 600 node tests/browser/admin.mjs >"$TMP/walk.log" 2>&1
rc=$?
cp "$TMP/walk.log" "$OUT/walk.log"
grep -E '^(FAIL|#|admin walk:)' "$TMP/walk.log"
p=$(grep -c '^ok ' "$TMP/walk.log"); f=$(grep -c '^FAIL ' "$TMP/walk.log")
pass=$((pass + p)); fail=$((fail + f))
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then tail -n 20 "$TMP/walk.log"; bad "admin.mjs exited $rc"; fi

kill -TERM "$PID"; wait "$PID"; src=$?
[ "$src" -eq 0 ] && ok || bad "server exits 0 on SIGTERM (got $src)"
if grep -qE 'runtime error|Sanitizer|Segmentation' "$TMP/serve.log"; then
    grep -E -A5 'runtime error|Sanitizer' "$TMP/serve.log" | head -n 20; bad "server log is clean"
else ok; fi
finish

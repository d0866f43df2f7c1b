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
source tests/integration/browser_lib.sh
OUT=${BUILD:-build}/browser-admin
browser_prereqs chromium node npm python3
rm -rf "$OUT"; mkdir -p "$OUT"

pretest=$(python3 tests/browser/admin_seed.py bank data/bank "$TMP/bank") || fatal "admin_seed.py bank"
[ "$(wc -w <<<"$pretest")" -eq 2 ] && ok || fatal "two pretest items marked (got '$pretest')"
serve_start "$TMP/serve.log" --db "$TMP/rf.db" --bank "$TMP/bank" --answer-rate 0 --threads 2 --seed 23
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT
[ -n "$PORT" ] || { cat "$TMP/serve.log"; fatal "server did not start"; }
setup=$(setup_link "$TMP/serve.log")
[ -n "$setup" ] && ok || fatal "server logs a setup link"

RF_BASE="http://127.0.0.1:$PORT" RF_SETUP_URL="$setup" RF_OUT="$OUT" RF_DB="$TMP/rf.db" \
RF_BANK="$TMP/bank" RF_PRETEST="$pretest" NODE_PATH= \
    browser_walk walk tests/browser/admin.mjs 600 "admin walk" "$OUT"

serve_stop serve "$PID" "$TMP/serve.log"
finish

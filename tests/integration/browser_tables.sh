#!/usr/bin/env bash
# The staff pages' tables in a browser: tests/browser/tables.mjs drives
# Debian's chromium through playwright-core against a server of its own. The
# Admin page before any run says so in a line instead of showing headers over
# empty tables (en, ja); the Admin and Recruiter pages' tables at 1280 and
# 360 px have no cell squeezed to a few characters a line and nothing past the
# right edge. Screenshots go to $BUILD/browser-tables/. Needs chromium, node
# and npm (scripts/install-deps --browser); it fails, never skips, when any is
# missing.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
source tests/integration/browser_lib.sh
OUT=${BUILD:-build}/browser-tables
browser_prereqs chromium node npm
rm -rf "$OUT"; mkdir -p "$OUT"

serve_start "$TMP/serve.log" --db "$TMP/rf.db" --answer-rate 0 --threads 2 --seed 23
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT
[ -n "$PORT" ] || { cat "$TMP/serve.log"; fatal "server did not start"; }
setup=$(setup_link "$TMP/serve.log")
[ -n "$setup" ] && ok || fatal "server logs a setup link"

RF_BASE="http://127.0.0.1:$PORT" RF_SETUP_URL="$setup" RF_OUT="$OUT" NODE_PATH= \
    browser_walk walk tests/browser/tables.mjs 600 "tables walk" "$OUT"

serve_stop serve "$PID" "$TMP/serve.log"
finish

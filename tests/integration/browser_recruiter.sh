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
source tests/integration/browser_lib.sh
OUT=${BUILD:-build}/browser-recruiter
browser_prereqs chromium node npm
rm -rf "$OUT"; mkdir -p "$OUT"

serve_start "$TMP/serve.log" --db "$TMP/rf.db" --answer-rate 0 --rate 0 --threads 2 --seed 23
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT
[ -n "$PORT" ] || { cat "$TMP/serve.log"; fatal "server did not start"; }
setup=$(setup_link "$TMP/serve.log")
[ -n "$setup" ] && ok || fatal "server logs a setup link"

RF_BASE="http://127.0.0.1:$PORT" RF_SETUP_URL="$setup" RF_OUT="$OUT" RF_BANK=data/bank NODE_PATH= \
    browser_walk walk tests/browser/walk_recruiter.mjs 420 "recruiter walk" "$OUT"

serve_stop serve "$PID" "$TMP/serve.log"
finish

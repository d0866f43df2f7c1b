#!/usr/bin/env bash
# Browser tests of `rolefit serve` (issue 7): playwright-core from npm drives
# Debian's chromium headless against the real server on a free loopback port
# with a temporary database. Flows and checks are in tests/browser/flows.mjs;
# screenshots of every final page go to test-output/browser/. A third server
# serves the walk in Japanese (tests/browser/ja.mjs: the candidate and the
# recruiter flows with the untranslated-text and tofu checks on every page,
# and a recruiter's language following the account into a fresh browser);
# its screenshots go to $BUILD/browser-ja/ (fonts-noto-cjk from install-deps).
# The same server then serves a candidate's walk of find my role answered
# right, at random and wrong (tests/browser/walk.mjs).
# Deterministic: the server runs with --seed $RF_SEED (default 23), so the
# same flows ask the same questions in every run and a failure reproduces
# with the seed it prints. A second server serves the worst-case bank
# (tests/browser/worstcase.mjs: the items of data/bank whose text is hardest to
# fit on a phone), so the worst case is tested on every run, not by chance.
# Needs chromium, node and npm (installed through scripts/install-deps --browser)
# and, on first run, network access for `npm ci`. It fails, never skips, when
# any of that is missing.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
source tests/integration/browser_lib.sh
OUT=${RF_TEST_OUTPUT:-test-output}/browser
SEED=${RF_SEED:-23}
t0=$(date +%s.%N)

scripts/install-deps --browser >"$TMP/deps.log" 2>&1 || { cat "$TMP/deps.log"; fatal "install-deps --browser"; }
browser_prereqs chromium node npm

# the server: port 0 picks a free port; the log names it and the setup link
[[ "$SEED" =~ ^[1-9][0-9]*$ ]] || fatal "RF_SEED must be a whole number from 1, not '$SEED'"
echo "# seed $SEED (RF_SEED=$SEED tests/integration/browser.sh repeats this run)"
node tests/browser/worstcase.mjs data/bank "$TMP/worst-bank" >"$TMP/worst.log" 2>&1 ||
    { cat "$TMP/worst.log"; fatal "worstcase.mjs builds the worst-case bank"; }
cat "$TMP/worst.log"
"$RF" serve --port 0 --db "$TMP/rf.db" --answer-rate 0 --threads 2 --seed "$SEED" 2>"$TMP/serve.log" &
spid=$!
"$RF" serve --port 0 --db "$TMP/worst.db" --bank "$TMP/worst-bank" --answer-rate 0 --threads 2 \
    --seed "$SEED" 2>"$TMP/worst-serve.log" &
wpid=$!
"$RF" serve --port 0 --db "$TMP/ja.db" --answer-rate 0 --threads 2 --seed "$SEED" 2>"$TMP/ja-serve.log" &
jpid=$!
trap 'kill $spid $wpid $jpid 2>/dev/null; wait $spid $wpid $jpid 2>/dev/null; rm -rf "$TMP"' EXIT
# waits for the server of log $1 (process $2) to name its port
server_port() {
    local p=""
    for _ in $(seq 1 100); do
        p=$(sed -nE 's|.*listening on http://127\.0\.0\.1:([0-9]+).*|\1|p' "$1")
        [ -n "$p" ] && break
        kill -0 "$2" 2>/dev/null || break
        sleep 0.1
    done
    echo "$p"
}
port=$(server_port "$TMP/serve.log" $spid)
[ -n "$port" ] || { cat "$TMP/serve.log"; fatal "server did not start"; }
wport=$(server_port "$TMP/worst-serve.log" $wpid)
[ -n "$wport" ] || { cat "$TMP/worst-serve.log"; fatal "worst-case server did not start"; }
setup=$(setup_link "$TMP/serve.log")
[ -n "$setup" ] && ok || bad "server logs a setup link"
jport=$(server_port "$TMP/ja-serve.log" $jpid)
[ -n "$jport" ] || { cat "$TMP/ja-serve.log"; fatal "Japanese walk's server did not start"; }
jsetup=$(setup_link "$TMP/ja-serve.log")

postings=0
grep -q '"/api/postings"' src/server/routes.c && postings=1

rm -rf "$OUT"
RF_BASE="http://127.0.0.1:$port" RF_SETUP_URL="$setup" RF_OUT="$OUT" RF_BANK=data/bank \
RF_WORST_BASE="http://127.0.0.1:$wport" RF_WORST_BANK="$TMP/worst-bank" RF_ROLES=data/roles.json \
RF_ALIASES=data/skill_aliases.json RF_POSTINGS=$postings NODE_PATH= TMPDIR="$TMP" \
    browser_walk flows tests/browser/flows.mjs 480 flows "$OUT"

# the walk in Japanese
JOUT=${BUILD:-build}/browser-ja
rm -rf "$JOUT"
fc-list :lang=ja family | grep -q 'Noto Sans CJK JP' && ok || bad "fonts-noto-cjk installed (Noto Sans CJK JP)"
RF_BASE="http://127.0.0.1:$jport" RF_SETUP_URL="$jsetup" RF_OUT="$JOUT" NODE_PATH= TMPDIR="$TMP" \
    browser_walk ja tests/browser/ja.mjs 420 "ja walk" "$JOUT"

# a demanding candidate's walk of find my role (tests/browser/walk.mjs):
# answered right, at random and wrong, in English and Japanese, desktop and
# phone, on the Japanese walk's server (its screenshots beside that walk's)
RF_BASE="http://127.0.0.1:$jport" RF_OUT="$JOUT" RF_BANK=data/bank NODE_PATH= TMPDIR="$TMP" \
    browser_walk walk tests/browser/walk.mjs 240 walk "$JOUT"

# a demanding recruiter's walk of the staff pages (tests/browser/staffwalk.mjs):
# Japanese at 390px, keyboard-submitted forms; on the worst-case server, whose
# setup link no other walk uses (its bank serves no test of this walk)
wsetup=$(setup_link "$TMP/worst-serve.log")
RF_BASE="http://127.0.0.1:$wport" RF_SETUP_URL="$wsetup" RF_OUT="$JOUT" NODE_PATH= TMPDIR="$TMP" \
    browser_walk staffwalk tests/browser/staffwalk.mjs 240 "staff walk" "$JOUT"

# the servers stop gracefully and logged no crash or sanitizer report
serve_stop serve "$spid" "$TMP/serve.log"
serve_stop worst-serve "$wpid" "$TMP/worst-serve.log"
serve_stop ja-serve "$jpid" "$TMP/ja-serve.log"
awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "browser: took %.1f s\n", b - a }'
finish

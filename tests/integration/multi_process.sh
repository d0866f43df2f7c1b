#!/usr/bin/env bash
# A real multi-process deployment (issue 20, item 4), on loopback with
# temporary data: a throw-away PostgreSQL cluster (pg_virtualenv), three
# `rolefit serve` processes on it behind nginx as a round-robin reverse proxy
# (--trust-proxy), so that consecutive requests of one candidate land on
# different processes. 50 candidates, each from its own address, take two
# practice tests each (a proof of work each, its challenge from another
# process than its start) while a random serve process is SIGKILLed and
# restarted ten times. Checks: every test finishes; every acknowledged answer is stored,
# once (each test's answers are 0..n-1, no question twice); the per-address
# limits hold for the whole deployment, not per process: sign-ins per
# address and per account, open practice tests and requests per second from
# one address, spread by nginx over the three processes. About a minute and a half.
set -u
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh
RF=$(realpath "$RF")
BUILD=${BUILD:-build}
NGINX_BIN=${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}
export NGINX_BIN

if [ -z "${RF_PG_INSIDE:-}" ]; then
    for need in pg_virtualenv "$NGINX_BIN"; do
        if ! command -v "$need" >/dev/null; then
            bad "$need is missing: scripts/install-deps installs postgresql-common, postgresql and nginx"
            finish
            exit 1
        fi
    done
    export RF_PG_INSIDE=1
    exec scripts/pg-virtualenv "$0" "$@"
fi

psql -X -q -c "CREATE DATABASE multi" >/dev/null
URL="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/multi"
q() { psql -X -At -q -c "$1" "$URL"; }

# Ports are picked one at a time, right before their process binds one, below
# the kernel's range of ephemeral ports (scripts/freeport says why: a port 0
# pick was once taken by an outgoing connection before nginx bound it); a
# process that finds its port taken all the same by another program on this
# shared machine is started again on a fresh one. A serve process restarted
# after a kill keeps its port (nginx's upstream names it).
PORTS=(0 0 0)
PIDS=(0 0 0)

# every process with the same limits: the deployment's, whatever process a request reaches
launch() { # launch K: serve process K on its port
    local k=$1
    "$RF" serve --db "$URL" --port "${PORTS[$k]}" --quiet --trust-proxy 127.0.0.1 \
        --practice-pow 4 --practice-max-per-ip 3 --rate 100 --answer-rate 10 --db-pool 4 \
        >>"$TMP/serve$k.log" 2>&1 &
    PIDS[$k]=$!
}
listening() { # listening K: waits until process K answers
    local k=$1
    for _ in $(seq 200); do
        curl -s -o /dev/null "http://127.0.0.1:${PORTS[$k]}/api/health" && return 0
        kill -0 "${PIDS[$k]}" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
start() { launch "$1"; listening "$1"; }
stop_all() {
    for k in 0 1 2; do kill -TERM "${PIDS[$k]}" 2>/dev/null; done
    for k in 0 1 2; do wait "${PIDS[$k]}" 2>/dev/null; done
    [ -f "$TMP/nginx/nginx.pid" ] && kill -QUIT "$(cat "$TMP/nginx/nginx.pid")" 2>/dev/null
}
trap 'stop_all; rm -rf "$TMP"' EXIT

# the three start together on the new database: the migrations run once
# (advisory lock)
for k in 0 1 2; do PORTS[$k]=$(scripts/freeport multi_process) && launch "$k"; done
for k in 0 1 2; do
    up=0
    for try in 1 2 3 4 5; do
        listening "$k" && { up=1; break; }
        kill -0 "${PIDS[$k]}" 2>/dev/null && break # up but not answering: no port problem
        wait "${PIDS[$k]}" 2>/dev/null
        grep -q "cannot listen" "$TMP/serve$k.log" || break
        echo "multi_process: port ${PORTS[$k]} was taken before serve $k bound it (try $try of 5): another one"
        PORTS[$k]=$(scripts/freeport multi_process) && launch "$k"
    done
    [ "$up" = 1 ] && ok || bad "serve $k did not start: $(tail -3 "$TMP/serve$k.log")"
done

up=0
for try in 1 2 3 4 5; do
    PN=$(scripts/freeport multi_process) || break
    scripts/nginx-rr "$TMP/nginx" "$PN" "${PORTS[@]}" 2>"$TMP/nginx.out" && { up=1; break; }
    grep -q "in use" "$TMP/nginx/start.err" 2>/dev/null || break
    echo "multi_process: port $PN was taken before nginx bound it (try $try of 5): another one"
done
[ "$up" = 1 ] && ok || bad "nginx did not start: $(cat "$TMP/nginx.out")"

# 1. 50 candidates, two tests each, while a random process is killed and
# restarted ten times
python3 tests/integration/multi_client.py "$PN" 50 2 "$TMP/mark" >"$TMP/client.out" 2>&1 &
CPID=$!
for _ in $(seq 600); do [ -e "$TMP/mark" ] && break; sleep 0.1; done
kills=0
for i in $(seq 10); do
    k=$((RANDOM % 3))
    kill -KILL "${PIDS[$k]}" 2>/dev/null && kills=$((kills + 1))
    wait "${PIDS[$k]}" 2>/dev/null
    sleep 0.3
    start "$k" || bad "serve $k did not come back after kill $i: $(tail -3 "$TMP/serve$k.log")"
    sleep 0.7
done
wait "$CPID"
rc=$?
head -5 "$TMP/client.out"
[ $rc -eq 0 ] && ok || bad "candidates could not finish their tests across the kills"
[ "$kills" = 10 ] && ok || bad "$kills kills, want 10"
acked=$(sed -n 's/^acked //p' "$TMP/client.out")
ntests=$(python3 -c "import json,sys; print(len(json.loads(sys.argv[1])))" "${acked:-{\}}")
nfin=$(sed -n 's/^finished //p' "$TMP/client.out")
lost=0; total=0
for pair in $(python3 -c "import json,sys; [print(f'{k}:{v}') for k, v in json.loads(sys.argv[1]).items()]" "${acked:-{\}}"); do
    tid=${pair%%:*}; n=${pair##*:}; total=$((total + n))
    found=$(q "SELECT count(*) FROM answers WHERE test_id = $tid")
    [ "$found" -ge "$n" ] || lost=$((lost + n - found))
done
stored=$(q "SELECT count(*) FROM answers")
echo "kills $kills; tests $ntests, finished $nfin; answers acknowledged $total, stored $stored, acknowledged and lost $lost"
[ "$total" -gt 0 ] && [ "$lost" = 0 ] && ok || bad "$lost acknowledged answers lost over the kills"
[ "$ntests" = 100 ] && [ "$nfin" = 100 ] && ok || bad "100 tests should finish: $ntests started, $nfin finished"
[ "$(q "SELECT count(*) FROM tests WHERE status = 'finished' AND packed IS NOT NULL")" = 100 ] && ok ||
    bad "the database holds $(q "SELECT count(*) FROM tests WHERE status = 'finished'") finished tests, want 100"
[ "$(q "SELECT count(*) FROM (SELECT test_id FROM answers GROUP BY test_id HAVING count(*) <> max(seq) + 1) x")" = 0 ] &&
    ok || bad "tests whose answers are not 0..n-1"
[ "$(q "SELECT count(*) FROM (SELECT test_id, item_id FROM answers GROUP BY 1, 2 HAVING count(*) > 1) x")" = 0 ] &&
    ok || bad "a question stored twice in one test"
grep -q "seen.*\"502\": [1-9]\|seen.*\"lost\": [1-9]" "$TMP/client.out" && ok ||
    bad "no request met a kill: the test did not test it ($(grep seen "$TMP/client.out"))"

# 2. limits hold across the three processes, each request of a client going
# to the next process: sign-ins per address (RF_RATE_LOGIN_PER_MIN, 10 a
# minute), failed sign-ins per account (RF_THROTTLE_FREE = 5 free, then a
# delay), open practice tests per address (--practice-max-per-ip 3; each
# start with its proof of work, whose challenge came from another process)
python3 - "$PN" >"$TMP/limits.out" 2>&1 <<'PY'
import sys
sys.path.insert(0, "tests/integration")
from attacks import request, practice_start
port = int(sys.argv[1])
def login(ip, email):
    return request(port, "POST", "/api/login", {"email": email, "password": "wrong-password-1"},
                   ip=ip)[0]
import time
t0 = time.monotonic()
per_addr = [login("127.0.2.1", f"nobody{i}@example.com") for i in range(30)]
signin_secs = time.monotonic() - t0
per_account = [login(f"127.0.3.{i + 1}", "ada@example.com") for i in range(12)]
starts = [practice_start(port, "127.0.2.2", "deep_learning")[0] for _ in range(9)]
print("signin_tries", sum(c != 429 for c in per_addr), sorted(set(per_addr)))
print("signin_secs", int(signin_secs + 1))
print("account_tries", sum(c != 429 for c in per_account), sorted(set(per_account)))
print("practice_started", starts.count(201), sorted(set(starts)))
PY
cat "$TMP/limits.out"
v() { sed -n "s/^$1 \([0-9]*\).*/\1/p" "$TMP/limits.out"; }
# the budget is a bucket of 10 refilled at 10 a minute: each hashed sign-in
# takes a while (more on a loaded machine), so the 30 tries may earn back one
# try per 6 s they take
t=$(v signin_tries); secs=$(v signin_secs); most=$((11 + ${secs:-0} / 6))
[ -n "$t" ] && [ "$t" -ge 9 ] && [ "$t" -le "$most" ] && ok ||
    bad "sign-ins per address across processes: $t tries of 30 in ${secs}s, want 10 (at most $most)"
t=$(v account_tries); [ -n "$t" ] && [ "$t" -ge 5 ] && [ "$t" -le 7 ] && ok ||
    bad "failed sign-ins per account across processes: $t tries of 12, want 5 (then a delay)"
t=$(v practice_started); [ "$t" = 3 ] && ok ||
    bad "open practice tests per address across processes: $t started of 9, want 3"

# requests per second per address: --rate 100 (burst 200); 900 requests as
# fast as one client sends them (a few seconds) may pass about 200 + 100 a
# second, not three times that
python3 - "$PN" >"$TMP/rate.out" <<'PY'
import http.client, sys, time
port = int(sys.argv[1])
c = http.client.HTTPConnection("127.0.0.1", port, source_address=("127.0.2.3", 0))
t0, codes = time.monotonic(), {}
for i in range(900):
    c.request("GET", "/api/health")
    r = c.getresponse(); r.read()
    codes[r.status] = codes.get(r.status, 0) + 1
print(codes.get(200, 0), codes.get(429, 0), f"{time.monotonic() - t0:.2f}")
PY
read -r passed limited secs <"$TMP/rate.out"
allowed=$(awk -v s="$secs" 'BEGIN { printf "%d", 200 + 100 * s }')
echo "requests from one address: $passed passed, $limited limited in $secs s (one limit for all: about $allowed)"
# beyond the one budget, the other two processes may each let half a burst
# through before they settle (server/shared.h): 2 x 100, and some slack;
# three budgets of their own would pass three times the budget
awk -v p="$passed" -v a="$allowed" 'BEGIN { exit !(p <= a + 250) }' && ok ||
    bad "the request rate per address did not hold across processes: $passed passed, about $allowed allowed"

stop_all
for k in 0 1 2; do
    grep -q "AddressSanitizer\|runtime error" "$TMP/serve$k.log" && bad "serve $k: $(grep -m1 'AddressSanitizer\|runtime error' "$TMP/serve$k.log")"
done
finish

#!/usr/bin/env bash
# The PostgreSQL store (issue 20), on a throw-away cluster that Debian's
# pg_virtualenv (postgresql-common) creates and removes, so nothing is set up
# by hand: the store's own test suite (build/tests/test_store, the very
# cases make test runs on SQLite) on PostgreSQL; `rolefit serve --db
# postgres://...` taking candidates through whole tests over HTTP, with every
# acknowledged answer found in the database; and a server that cannot be
# reached refused at start with one line (exit 5) naming the host, never the
# password; a database that goes away mid-run (503 with Retry-After, recovery
# by itself) and a restart while candidates answer (no acknowledged answer
# lost). About a minute, most of it the cluster's creation and the suite.
set -u
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh
RF=$(realpath "$RF")
BUILD=${BUILD:-build}

if [ -z "${RF_PG_INSIDE:-}" ]; then
    if ! command -v pg_virtualenv >/dev/null; then
        bad "pg_virtualenv is missing: scripts/install-deps installs postgresql-common and postgresql"
        finish
        exit 1
    fi
    # the cluster goes when this script returns
    export RF_PG_INSIDE=1
    exec scripts/pg-virtualenv "$0" "$@"
fi

URL="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE"
psql_q() { psql -X -At -q -c "$1" "$URL"; }

# 1. the store's suite, unchanged, on PostgreSQL
log="$TMP/suite.log"
RF_TEST_PG_URL="$URL" "$BUILD/tests/test_store" --jobs=2 >"$log" 2>&1
syn=$(grep -a 'Synthesis:' "$log" | tail -n 1)
if [ $? -eq 0 ] && grep -q 'Failing: 0 | Crashing: 0' <<<"$syn"; then
    ok
    echo "store suite on PostgreSQL: $syn"
else
    grep -a -E 'FAIL|Assertion|CRASH|Synthesis' "$log" | head -n 30
    bad "the store's suite fails on PostgreSQL"
fi
[ "$(psql_q "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rft_%'")" = 0 ] && ok ||
    bad "the suite left schemas behind"

# 2. rolefit serve on PostgreSQL: four candidates take whole practice tests at
# once (their answers share group commits); every acknowledged answer is stored
psql_q "CREATE DATABASE serve"
SURL="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/serve"
serve_start "$TMP/serve.log" --db "$SURL" --quiet --practice-pow 0 --answer-rate 0 --rate 0
[ -n "$PORT" ] && ok || bad "the server did not start: $(cat "$TMP/serve.log")"
grep -q "database postgresql://$PGUSER:\*\*\*@" "$TMP/serve.log" && ! grep -q "$PGPASSWORD" "$TMP/serve.log" &&
    ok || bad "the start line shows the URL without its password: $(head -3 "$TMP/serve.log")"
if [ -n "$PORT" ]; then
    python3 - "$PORT" >"$TMP/flow.out" 2>&1 <<'EOF'
import sys, threading
sys.path.insert(0, "tests/integration")
from attacks import legit_practice
port = int(sys.argv[1])
out = [None] * 4
def one(k):
    out[k] = legit_practice(port, "127.0.0.1", "deep_learning", None)
th = [threading.Thread(target=one, args=(k,)) for k in range(4)]
for t in th: t.start()
for t in th: t.join()
total = 0
for ok, detail, secs in out:
    print("candidate:", ok, detail, f"{secs:.1f} s")
    if not ok:
        sys.exit(1)
    total += int(detail.split()[0])
print("acknowledged", total)
EOF
    rc=$?
    cat "$TMP/flow.out"
    [ $rc -eq 0 ] && ok || bad "candidates could not finish their tests on PostgreSQL"
    acked=$(sed -n 's/^acknowledged //p' "$TMP/flow.out")
    found=$(psql -X -At -q -c "SELECT count(*) FROM answers" "$SURL")
    fin=$(psql -X -At -q -c "SELECT count(*) FROM tests WHERE status = 'finished' AND profile IS NOT NULL AND packed IS NOT NULL" "$SURL")
    dup=$(psql -X -At -q -c "SELECT count(*) FROM (SELECT test_id FROM answers GROUP BY test_id HAVING count(*) <> max(seq) + 1) x" "$SURL")
    echo "answers acknowledged $acked, found $found; finished tests $fin"
    [ -n "$acked" ] && [ "$acked" = "$found" ] && ok || bad "acknowledged $acked answers, found $found"
    [ "$fin" = 4 ] && ok || bad "4 finished tests with their profiles expected, found $fin"
    [ "$dup" = 0 ] && ok || bad "$dup tests whose answers are not 0..n-1"
    # as many as src/store/pg_schema.c has migrations (each begins with
    # "/* N: "; N is its position once every branch's has landed)
    want=$(grep -cE '^    /\* [0-9]+:' src/store/pg_schema.c)
    [ "$(psql -X -At -q -c 'SELECT max(version) FROM schema_version' "$SURL")" = "$want" ] && ok ||
        bad "the schema is not at version $want"
fi

# 3. the database goes away and comes back: requests that need it get 503
# with Retry-After (never 500), and the server recovers by itself
start_practice() {
    curl -s -o "$TMP/out" -D "$TMP/hdr" -w '%{http_code}' -H 'Content-Type: application/json' \
        -d '{"skills":["deep_learning"]}' "http://127.0.0.1:$PORT/api/tests"
}
if [ -n "$PORT" ]; then
    pg_ctlcluster "$PGVERSION" regress stop -m fast
    code=$(start_practice)
    [ "$code" = 503 ] && grep -qi '^Retry-After: 2' "$TMP/hdr" && ok ||
        bad "database away: got $code, want 503 with Retry-After: $(cat "$TMP/out")"
    grep -q 'connection lost\|cannot connect' "$TMP/serve.log" && ok ||
        bad "the log does not say the database is away: $(tail -2 "$TMP/serve.log")"
    pg_ctlcluster "$PGVERSION" regress start
    # as a client would: honour Retry-After until the server has its connections back
    for _ in $(seq 10); do
        code=$(start_practice)
        [ "$code" = 503 ] || break
        sleep 1
    done
    [ "$code" = 201 ] && ok || bad "database back: got $code, want 201: $(cat "$TMP/out")"

    # 4. restarted while six candidates answer: no acknowledged answer is lost,
    # and every test finishes (the candidates honour Retry-After)
    python3 tests/integration/pg_restart_client.py "$PORT" 6 "$TMP/mark" >"$TMP/restart.out" 2>&1 &
    CPID=$!
    for _ in $(seq 300); do [ -e "$TMP/mark" ] && break; sleep 0.1; done
    pg_ctlcluster "$PGVERSION" regress restart -m fast
    wait "$CPID"
    rc=$?
    head -8 "$TMP/restart.out"
    if [ $rc -eq 0 ]; then ok; else
        bad "candidates could not finish across a restart"
        grep 'error:' "$TMP/serve.log" | tail -5
    fi
    [ "$(sed -n 's/^unavailable //p' "$TMP/restart.out")" -gt 0 ] && ok ||
        bad "no request met the restart (503): the test did not test it"
    acked=$(sed -n 's/^acked //p' "$TMP/restart.out")
    lost=0; total=0
    for pair in $(python3 -c "import json,sys; [print(f'{k}:{v}') for k, v in json.loads(sys.argv[1]).items()]" "${acked:-{\}}"); do
        tid=${pair%%:*}; n=${pair##*:}; total=$((total + n))
        found=$(psql -X -At -q -c "SELECT count(*) FROM answers WHERE test_id = $tid" "$SURL")
        [ "$found" -ge "$n" ] || lost=$((lost + n - found))
    done
    echo "across the restart: $total answers acknowledged, $lost of them lost"
    [ "$total" -gt 0 ] && [ "$lost" = 0 ] && ok || bad "$lost acknowledged answers lost across the restart"
fi
kill -TERM "$PID" 2>/dev/null
wait "$PID"
[ $? -eq 0 ] && ok || bad "the server did not stop cleanly"

# 5. db export / import: the served PostgreSQL database to a new SQLite file
# and back to a new PostgreSQL database; every export the same file
"$RF" db export --db "$SURL" --out "$TMP/pg.jsonl" && ok || bad "db export from PostgreSQL"
"$RF" db import --db "$TMP/moved.db" "$TMP/pg.jsonl" && ok || bad "db import into SQLite"
"$RF" db export --db "$TMP/moved.db" --out "$TMP/sqlite.jsonl" && ok || bad "db export from SQLite"
cmp -s "$TMP/pg.jsonl" "$TMP/sqlite.jsonl" && ok || bad "SQLite's export differs from PostgreSQL's"
psql_q "CREATE DATABASE back"
BURL="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/back"
"$RF" db import --db "$BURL" "$TMP/sqlite.jsonl" && ok || bad "db import back into PostgreSQL"
"$RF" db export --db "$BURL" | cmp -s - "$TMP/pg.jsonl" && ok || bad "the round trip changed rows"
n_ans=$(psql -X -At -q -c "SELECT count(*) FROM answers" "$SURL")
n_file=$(awk '/^\{"table":/ { t = ($0 ~ /"table":"answers"/) } /^\[/ && t { n++ } END { print n + 0 }' "$TMP/pg.jsonl")
echo "db export/import: $(grep -c '^\[' "$TMP/pg.jsonl") rows ($n_file answers of $n_ans), PostgreSQL -> SQLite -> PostgreSQL, identical exports"
[ "$n_ans" -gt 0 ] && [ "$n_ans" = "$n_file" ] && ok || bad "the export has $n_file answers, the database $n_ans"
expect_oneline "import into a database that is not empty" 1 "is not empty" \
    "$RF" db import --db "$BURL" "$TMP/pg.jsonl"

# 6. a server that cannot be reached, or refuses us: exit 5, one line, the
# host named, the password never
expect_oneline "unreachable server" 5 "cannot connect to PostgreSQL at host 127.0.0.1 port 1 database rf" \
    "$RF" serve --db "postgresql://ann:s3cret-pw@127.0.0.1:1/rf" --port 0
"$RF" serve --db "postgresql://ann:s3cret-pw@127.0.0.1:1/rf" --port 0 2>&1 | grep -q s3cret &&
    bad "the password is in the error" || ok
expect_oneline "wrong password" 5 "cannot connect to PostgreSQL at host $PGHOST port $PGPORT database serve: .*password authentication failed" \
    "$RF" serve --db "postgresql://$PGUSER:wrong-pw@$PGHOST:$PGPORT/serve" --port 0
expect_oneline "no such database" 5 "database nosuch" \
    "$RF" serve --db "postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/nosuch" --port 0
expect_oneline "not a URL libpq takes" 5 "the PostgreSQL URL is not valid" \
    "$RF" serve --db "postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/serve?colour=blue" --port 0
finish

#!/usr/bin/env bash
# A database that becomes read-only (issue 21): the error names the file, and
# nothing is left behind that breaks the next start once the access is back.
# Runs as user nobody (setpriv) when run as root, since root may write anything.
set -u
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh
RF=$(realpath "$RF")

if ! command -v setpriv >/dev/null || [ "$(id -u)" != 0 ]; then
    echo "store_readonly: 0 passed, 0 failed (needs root and setpriv to act as another user)"
    exit 0
fi
AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
D="$TMP/db"
mkdir -p "$D" && chmod 755 "$TMP" && chown 65534 "$D"

# serve as nobody in the background; $PORT from its log
serve() {
    "${AS[@]}" "$RF" serve --db "$D/r.db" --port 0 --quiet --practice-pow 0 2>"$TMP/log" &
    PID=$!
    PORT=
    for _ in $(seq 100); do
        PORT=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$TMP/log")
        [ -n "$PORT" ] && break
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.1
    done
}
start_test() {
    curl -s -o "$TMP/out" -w '%{http_code}' -H 'Content-Type: application/json' \
        -d '{"skills":["deep_learning"]}' "http://127.0.0.1:$PORT/api/tests"
}

serve
[ -n "$PORT" ] && ok || bad "the server did not start: $(cat "$TMP/log")"
[ "$(start_test)" = 201 ] && ok || bad "a test could not start"
# the folder turns read-only while the server runs: the open files still take
# writes; on the way out the -wal and -shm cannot be removed
chmod 555 "$D"
[ "$(start_test)" = 201 ] && ok || bad "a write failed through files already open"
kill -TERM "$PID"; wait "$PID"
# the next start, folder still read-only: refused, one line, the folder named
expect_oneline "read-only folder at start" 5 "r.db: store: cannot write in the database's folder $D" \
    "${AS[@]}" "$RF" serve --db "$D/r.db" --port 0
# the file read-only too
chmod 755 "$D" && chmod 444 "$D/r.db"
expect_oneline "read-only file at start" 5 "r.db: store: cannot write the database file" \
    "${AS[@]}" "$RF" serve --db "$D/r.db" --port 0
for f in "$D"/r.db-wal "$D"/r.db-shm; do
    [ ! -e "$f" ] || [ "$(stat -c %a "$f")" != 444 ] && ok || bad "$f was left read-only"
done
# the access is back: the next start works and finds both tests
chmod 644 "$D/r.db"
serve
[ -n "$PORT" ] && ok || bad "the server did not start again: $(cat "$TMP/log")"
[ "$(start_test)" = 201 ] && ok || bad "a test could not start after the access came back"
kill -TERM "$PID"; wait "$PID"
n=$(python3 -c "import sqlite3; print(sqlite3.connect('$D/r.db').execute('select count(*) from tests').fetchone()[0])")
[ "$n" = 3 ] && ok || bad "3 tests expected in the database, found $n"
finish

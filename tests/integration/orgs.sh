#!/usr/bin/env bash
# Accounts per organization (issue 21): two organizations share an address;
# over HTTP (orgs.py) sign-in asks for the organization whatever the address,
# picks the right account, costs the same for any address and throttles per
# organization and address, and adding an account answers 409 only within the
# admin's own organization. Then a database of schema 5 (addresses unique
# across the server, two organizations of one name) is migrated at start:
# every account stays, with its id and password, and signs in.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
DB="$TMP/o.db"

add() { # EMAIL PASSWORD ARGS...: rolefit user add, the password on stdin
    local email=$1 pw=$2; shift 2
    echo "$pw" | $RF user add --db "$DB" --email "$email" --name N "$@"
}
[ "$(add ann@x.test 'acme ann password' --org Acme)" = "added ann@x.test (admin) to organization 1" ] &&
    ok || bad "Acme and its admin"
[ "$(add ann@x.test 'beta ann password' --org Beta)" = "added ann@x.test (admin) to organization 2" ] &&
    ok || bad "Beta and its admin, the same address"
[ "$(add bo@beta.test 'beta bo password' --org-id 2)" = "added bo@beta.test (recruiter) to organization 2" ] &&
    ok || bad "Beta's recruiter"

serve() { # DB: starts the server, sets PID and PORT
    serve_start "$TMP/serve.log" --db "$1" --no-practice
    [ -n "$PORT" ] && ok || bad "the server did not start: $(cat "$TMP/serve.log")"
}

serve "$DB"
if [ -n "$PORT" ]; then
    python3 tests/integration/orgs.py "$PORT" >"$TMP/orgs.out" 2>&1
    grep -v '^PASS ' "$TMP/orgs.out"
    pass=$((pass + $(grep -c '^PASS ' "$TMP/orgs.out")))
    fail=$((fail + $(grep -c '^FAIL ' "$TMP/orgs.out")))
    grep -q '^PASS .*Acme adds its own ann' "$TMP/orgs.out" && ok || bad "orgs.py did not run through"
    curl -s "http://127.0.0.1:$PORT/login.html" | grep -q 'id="organization"' && ok ||
        bad "the sign-in page has no organization field"
fi
kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null

# schema 5, as an earlier rolefit left it: users rebuilt with the address
# unique across organizations, organization names free (a second "ACME")
DB="$TMP/old.db"
add ann@x.test 'acme ann password' --org Acme >/dev/null
add rex@x.test 'acme rex password' >/dev/null
sqlite3 "$DB" "
DROP TABLE group_reports;
DROP TABLE scorecard_edits; DROP TABLE scorecards; DROP TABLE interview_assignments;
DROP TABLE test_fits; DROP INDEX tests_ranked; CREATE INDEX tests_org ON tests(org_id, status);
DROP TABLE review_decisions; DROP TABLE review_runs; DROP TABLE bank_revisions;
DROP TABLE limits; DROP TABLE practice_slots;
DROP TABLE team_assessments; DROP TABLE team_members; DROP TABLE teams;
DROP INDEX orgs_name;
CREATE TABLE users_old (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs(id),
  email TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'recruiter')), pw_hash TEXT NOT NULL,
  created INTEGER NOT NULL);
INSERT INTO users_old SELECT id, org_id, email, name, role, pw_hash, created FROM users;
DROP TABLE users; ALTER TABLE users_old RENAME TO users;
INSERT INTO orgs(name, created) VALUES ('ACME', 1);
INSERT INTO auth VALUES ('h', 2, NULL, 'c', 4000000000);
DELETE FROM schema_version WHERE version >= 6;" && ok || bad "making a schema 5 database"
before=$(sqlite3 "$DB" "SELECT group_concat(id || ' ' || org_id || ' ' || email || ' ' || pw_hash, ';') FROM users")
serve "$DB"
want=$(grep -cE '^    /\* [0-9]+:' src/store/sqlite_schema.c)
[ "$(sqlite3 "$DB" 'SELECT max(version) FROM schema_version')" = "$want" ] && ok ||
    bad "not migrated to $want"
[ "$(sqlite3 "$DB" "SELECT group_concat(id || ' ' || org_id || ' ' || email || ' ' || pw_hash, ';') FROM users")" = "$before" ] &&
    ok || bad "the accounts changed in the migration"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM auth WHERE user_id = 2")" = 1 ] && ok || bad "a session was lost"
[ "$(sqlite3 "$DB" "SELECT group_concat(name, ';') FROM orgs ORDER BY id")" = "Acme;ACME (2)" ] && ok ||
    bad "organization names: $(sqlite3 "$DB" 'SELECT group_concat(name, ";") FROM orgs')"
if [ -n "$PORT" ]; then
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        -d '{"email":"rex@x.test","password":"acme rex password","organization":"acme"}' \
        "http://127.0.0.1:$PORT/api/login")
    [ "$code" = 200 ] && ok || bad "rex signs in after the migration: $code"
fi
kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
finish

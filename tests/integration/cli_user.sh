#!/usr/bin/env bash
# `rolefit user add`: first account is an admin of a new organization; bad input is refused.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
DB="$TMP/u.db"
expect "help" 0 "usage: rolefit user add" $RF user --help
out=$(echo 'long enough pass' | $RF user add --db "$DB" --email ada@x.test --name Ada --role recruiter)
[ "$out" = "added ada@x.test (admin) to organization 1" ] && ok || bad "first account: $out"
out=$(echo 'another password' | $RF user add --db "$DB" --email rex@x.test --name Rex)
[ "$out" = "added rex@x.test (recruiter) to organization 1" ] && ok || bad "second account: $out"
expect_oneline "duplicate email" 1 "already exists" sh -c "echo 'long enough pass' | $RF user add --db $DB --email ADA@x.test --name A"
expect_oneline "short password" 1 "at least 12 characters" sh -c "echo short | $RF user add --db $DB --email b@x.test --name B"
expect_oneline "common password" 1 "list of common passwords" sh -c "echo Password1234 | $RF user add --db $DB --email b@x.test --name B"
expect_oneline "repetitive password" 1 "different characters" sh -c "echo aaaaaaaaaaaaaa | $RF user add --db $DB --email b@x.test --name B"
expect_oneline "stronger minimum" 1 "at least 20 characters" sh -c "echo 'long enough pass' | $RF user add --db $DB --email b@x.test --name B --password-min 20"
expect_oneline "minimum below 12" 2 "--password-min" sh -c "echo 'long enough pass' | $RF user add --db $DB --email b@x.test --name B --password-min 8"
expect_oneline "--org on a database with accounts" 1 "--org names the organization of the first account only" sh -c "echo 'long enough pass' | $RF user add --db $DB --email b@x.test --name B --org Other"
expect_oneline "--org with --org-id" 2 "--org and --org-id exclude each other" sh -c "echo 'long enough pass' | $RF user add --db $DB --email b@x.test --name B --org Other --org-id 1"
expect_oneline "no password" 2 "no password on standard input" sh -c "$RF user add --db $DB --email b@x.test --name B </dev/null"
expect_oneline "missing name" 2 "--email and --name are required" $RF user add --db "$DB" --email b@x.test
expect_oneline "bad role" 2 "--role: expected admin or recruiter" $RF user add --db "$DB" --email b@x.test --name B --role boss
expect_oneline "no subcommand" 2 "expected 'add'" $RF user
finish

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
expect_oneline "duplicate email" 1 "already has an account" sh -c "echo 'long enough pass' | $RF user add --db $DB --email ADA@x.test --name A"
expect_oneline "short password" 1 "at least 12 characters" sh -c "echo short | $RF user add --db $DB --email b@x.test --name B"
expect_oneline "common password" 1 "list of common passwords" sh -c "echo Password1234 | $RF user add --db $DB --email b@x.test --name B"
expect_oneline "repetitive password" 1 "different characters" sh -c "echo aaaaaaaaaaaaaa | $RF user add --db $DB --email b@x.test --name B"
expect_oneline "stronger minimum" 1 "at least 20 characters" sh -c "echo 'long enough pass' | $RF user add --db $DB --email b@x.test --name B --password-min 20"
expect_oneline "minimum below 12" 2 "--password-min" sh -c "echo 'long enough pass' | $RF user add --db $DB --email b@x.test --name B --password-min 8"
# --org on a database with accounts starts another organization; an address
# may be in both, a name only once
out=$(echo 'long enough pass' | $RF user add --db "$DB" --email ADA@x.test --name A --org Other --role recruiter)
[ "$out" = "added ADA@x.test (admin) to organization 2" ] && ok || bad "new organization: $out"
out=$(echo 'long enough pass' | $RF user add --db "$DB" --email rex@x.test --name R --org-id 2)
[ "$out" = "added rex@x.test (recruiter) to organization 2" ] && ok || bad "joins 2: $out"
expect_oneline "organization name taken" 1 "an organization named 'other' already exists" sh -c "echo 'long enough pass' | $RF user add --db $DB --email c@x.test --name C --org other"
expect_oneline "no such organization" 1 "no organization 9 \\(--org-id\\)" sh -c "echo 'long enough pass' | $RF user add --db $DB --email c@x.test --name C --org-id 9"
expect_oneline "--org with --org-id" 2 "--org and --org-id exclude each other" sh -c "echo 'long enough pass' | $RF user add --db $DB --email b@x.test --name B --org Other --org-id 1"
expect_oneline "no password" 2 "no password on standard input" sh -c "$RF user add --db $DB --email b@x.test --name B </dev/null"
expect_oneline "missing name" 2 "--email and --name are required" $RF user add --db "$DB" --email b@x.test
expect_oneline "bad role" 2 "--role: expected admin, recruiter or interviewer" $RF user add --db "$DB" --email b@x.test --name B --role boss
expect_oneline "no subcommand" 2 "expected 'add'" $RF user
finish

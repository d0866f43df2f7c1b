#!/usr/bin/env bash
# `rolefit serve`: its options are documented in --help, and bad ones stop it
# at start with one line (exit 2 for the command line, 1 for a bad file).
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
DB="$TMP/s.db"
expect "help" 0 "--secure-cookies" $RF serve --help
expect "help: proxy" 0 "--trust-proxy IP" $RF serve --help
expect "help: exposure" 0 "--exposure FILE" $RF serve --help
expect "help: practice caps" 0 "--practice-max-per-ip N" $RF serve --help
expect "help: seed" 0 "--seed S" $RF serve --help
expect "help: practice proof of work" 0 "--practice-pow BITS" $RF serve --help
expect_oneline "practice-pow above 24" 2 "--practice-pow: expected a whole number from 0 to 24" \
    $RF serve --db "$DB" --port 0 --practice-pow 30
expect_oneline "seed 0" 2 "--seed: 0 means no seed" $RF serve --db "$DB" --port 0 --seed 0
expect_oneline "seed not a number" 2 "--seed" $RF serve --db "$DB" --port 0 --seed soon
expect_oneline "proxy not an address" 2 "--trust-proxy: 'proxy.local' is not an IPv4 address" \
    $RF serve --db "$DB" --port 0 --trust-proxy proxy.local
expect_oneline "practice-max 0" 2 "--practice-max: expected a whole number from 1" \
    $RF serve --db "$DB" --port 0 --practice-max 0
expect_oneline "practice-max-per-ip not a number" 2 "--practice-max-per-ip" \
    $RF serve --db "$DB" --port 0 --practice-max-per-ip lots
expect "help: password minimum" 0 "--password-min N" $RF serve --help
expect_oneline "password-min below 12" 2 "--password-min: expected a whole number from 12" \
    $RF serve --db "$DB" --port 0 --password-min 8
expect "help: fairness minimums" 0 "--fair-min-cell N" $RF serve --help
expect_oneline "fair-min-cell 0" 2 "--fair-min-cell: expected a whole number from 1" \
    $RF serve --db "$DB" --port 0 --fair-min-cell 0
expect_oneline "pretest-batch above 1000" 2 "--pretest-batch: expected a whole number from 0 to 1000" \
    $RF serve --db "$DB" --port 0 --pretest-batch 1001
expect_oneline "pretest-target not a number" 2 "--pretest-target: expected a whole number" \
    $RF serve --db "$DB" --port 0 --pretest-target many
expect_oneline "dif-min-group not a number" 2 "--dif-min-group: expected a whole number" \
    $RF serve --db "$DB" --port 0 --dif-min-group many
printf '{"format": "rolefit-exposure", "target": 0.2,\n "items": [{"item": "no_such.item.001", "k": 0.5}]}\n' >"$TMP/unknown.json"
expect_oneline "exposure: item not in the bank" 1 "unknown.json: items\[0\]: item 'no_such.item.001' is not in the bank" \
    $RF serve --db "$DB" --port 0 --exposure "$TMP/unknown.json"
printf '{"format": "rolefit-exposure",\n "items": [\n {"item": "x", "k": }]}\n' >"$TMP/syntax.json"
expect_oneline "exposure: syntax error names the line" 1 "syntax.json:3:" \
    $RF serve --db "$DB" --port 0 --exposure "$TMP/syntax.json"
item=$(grep -o '"id": *"deep_learning[^"]*"' data/bank/*.json | head -1 | sed 's/.*"\([^"]*\)"$/\1/')
printf '{"format": "rolefit-exposure", "items": [{"item": "%s", "k": 1.5}]}\n' "$item" >"$TMP/range.json"
expect_oneline "exposure: k out of range" 1 "field 'k': 1.5 is not in \(0, 1\]" \
    $RF serve --db "$DB" --port 0 --exposure "$TMP/range.json"
expect_oneline "exposure: missing file" 3 "missing.json" \
    $RF serve --db "$DB" --port 0 --exposure "$TMP/missing.json"
[ ! -e "$DB" ] && ok || bad "a refused start creates no database"
# a damaged database is refused at start (exit 5) with the file named, before
# anything is written to it; so is one the server cannot write (issue 21)
echo 'long enough pass' | $RF user add --db "$TMP/bad.db" --email a@x.test --name A >/dev/null
python3 -c "
f = open('$TMP/bad.db', 'r+b'); f.seek(4096 * 2); f.write(bytes([13, 0, 0, 0, 5, 15, 255, 255]))"
sum_before=$(sha256sum "$TMP/bad.db")
expect_oneline "damaged database" 5 "bad.db: store: the database fails its integrity check" \
    $RF serve --db "$TMP/bad.db" --port 0
[ "$(sha256sum "$TMP/bad.db")" = "$sum_before" ] && ok || bad "the damaged database was written"
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
    mkdir -p "$TMP/ro" && echo 'long enough pass' | $RF user add --db "$TMP/ro/r.db" --email a@x.test --name A >/dev/null
    chown -R 65534 "$TMP/ro" && chmod 444 "$TMP/ro/r.db" && chmod 755 "$TMP" "$TMP/ro"
    expect_oneline "read-only database" 5 "r.db: store: cannot write the database file" \
        setpriv --reuid=65534 --regid=65534 --clear-groups $RF serve --db "$TMP/ro/r.db" --port 0
    ls "$TMP/ro" | grep -q -- '-shm' && bad "a read-only start left a -shm file" || ok
fi
finish

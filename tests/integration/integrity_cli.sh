#!/usr/bin/env bash
# `rolefit integrity simulate` end to end (docs/integrity.md): both tables,
# every scenario in the JSON, the main scenario meeting issue 21's target,
# the same figures for the same seed, and one-line errors for bad options.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh

expect "help" 0 "usage: rolefit integrity simulate" $RF integrity --help
expect "top help lists integrity" 0 "integrity" $RF --help
expect "tables" 0 "answer copying" $RF integrity simulate --examinees 400 --pairs 100

$RF integrity simulate --json --examinees 400 --pairs 100 >"$TMP/a.json" && ok || bad "json run"
$RF integrity simulate --json --examinees 400 --pairs 100 >"$TMP/b.json" && ok || bad "second json run"
cmp -s "$TMP/a.json" "$TMP/b.json" && ok || bad "the same seed gives the same figures"
python3 - "$TMP/a.json" <<'PY' && ok || bad "json shape and the main scenario's figures"
import json, sys
d = json.load(open(sys.argv[1]))
rg, cp = d["rapid_guess"], d["copying"]
assert len(rg) == 7 and len(cp) == 6, (len(rg), len(cp))
main = rg[0]
assert main["scenario"].startswith("main"), main
assert main["sensitivity"] >= 0.9 and main["false_flags"] <= 0.05, main
assert main["skill_sensitivity"] >= 0.9 and main["skill_false_flags"] <= 0.05, main
assert all(0 <= c["null_rate"] <= 0.01 for c in cp), cp
PY

expect_oneline "unknown subcommand" 2 "rolefit integrity: expected 'simulate'" $RF integrity run
expect_oneline "no people" 2 "rolefit integrity: --examinees: expected a whole number from 1 to 1000000, got '0'" \
    $RF integrity simulate --examinees 0
expect_oneline "bad seed" 2 "rolefit integrity: --seed:" $RF integrity simulate --seed x
finish

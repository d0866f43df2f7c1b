#!/usr/bin/env bash
# `rolefit readiness` end to end (issue 18, the ML Test Score): the rubric
# listing, a template that round-trips, the final score and plan, the trend,
# JSON, and one-line errors with exit codes for bad assessments.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh

expect "help" 0 "usage: rolefit readiness" $RF readiness --help
expect "top help lists it" 0 "readiness" $RF --help
expect "tests listing" 0 "mon_prediction_quality: Prediction quality has not regressed" $RF readiness --tests
n=$($RF readiness --tests --json | grep -c '"automated"'); [ "$n" -eq 28 ] && ok || bad "28 tests in JSON, got $n"

# the template scores 0 everywhere: a research project; every test is in it
$RF readiness --template >"$TMP/t.json" && ok || bad "template"
n=$(grep -c '": 0' "$TMP/t.json"); [ "$n" -eq 28 ] && ok || bad "template has 28 tests, got $n"
sed -i 's/YYYY-MM-DD/2026-09-01/' "$TMP/t.json"
expect "template scores 0" 0 "ML Test Score on 2026-09-01: 0 \(research project\)" $RF readiness "$TMP/t.json"
# from nothing the final (the lowest section) rises only once every section
# moves: the first steps say the final stays, naming the sections that hold it
expect "step holds" 0 "^  1\. .*: final stays 0: Model, Infrastructure, Monitoring must rise first" $RF readiness "$TMP/t.json"
expect "step raises" 0 "^  4\. .*: final 1$" $RF readiness "$TMP/t.json"
$RF readiness "$TMP/t.json" | grep -q "^  [0-9]*\. .*: final 0$" && bad "a step listed as raising the final to 0" || ok
expect "ja step holds" 0 "^  1\. .*が先に上がるまで最終スコアは 0 のまま" $RF readiness "$TMP/t.json" --lang ja
expect "json held_by" 0 '"held_by": \[' $RF readiness "$TMP/t.json" --json

cat >"$TMP/a.json" <<'J'
{"date": "2026-12-06", "scores": {"data_schema": 1, "data_feature_code_tested": 1,
 "model_spec_reviewed": 1, "model_simple_baseline": 0.5, "infra_rollback": 1, "infra_canary": 0.5,
 "mon_staleness": 0.5, "mon_input_invariants": 1}}
J
expect "final is the lowest section" 0 "ML Test Score on 2026-12-06: 1.5 \(first pass\)" $RF readiness "$TMP/a.json"
expect "lowest marked" 0 "Model +1.5 of 7 +lowest" $RF readiness "$TMP/a.json"
expect "unscored counted" 0 "20 of 28 tests were not in the assessment" $RF readiness "$TMP/a.json"
expect "plan names owners" 0 "usually owned by: .*MLOps engineer" $RF readiness "$TMP/a.json"
expect "plan length" 0 "^  2\. " $RF readiness "$TMP/a.json" --plan 2
$RF readiness "$TMP/a.json" --plan 2 | grep -q "^  3\. " && bad "--plan 2 lists 3" || ok
expect "trend" 0 "2026-12-06 +1.5 +first pass +\(\+1.5\)" $RF readiness "$TMP/a.json" "$TMP/t.json"
expect "json" 0 '"final": 1.5' $RF readiness "$TMP/a.json" --json
expect "json weakest" 0 '"weakest": \[' $RF readiness "$TMP/a.json" --json
expect "json trend" 0 '"trend": \[' $RF readiness "$TMP/a.json" "$TMP/t.json" --json

# in Japanese (issue 16): the same figures, every word of the output Japanese
expect "ja heading" 0 "^2026-12-06 の ML Test Score：1.5（" $RF readiness "$TMP/a.json" --lang ja
expect "ja lowest marked" 0 "モデル +1.5 / 7 +最も低い" $RF readiness "$TMP/a.json" --lang ja
expect "ja owners" 0 "主な担当：.*MLOpsエンジニア" $RF readiness "$TMP/a.json" --lang ja
expect "ja trend" 0 "2026-12-06 +1.5 .*\(\+1.5\)" $RF readiness "$TMP/a.json" "$TMP/t.json" --lang ja
expect "ja tests listing" 0 "mon_prediction_quality: " $RF readiness --tests --lang ja
english=$($RF readiness "$TMP/a.json" "$TMP/t.json" --lang ja | grep -E "[A-Za-z]{3,} [a-z]{3,}" | grep -v "ML Test Score")
[ -z "$english" ] && ok || bad "English words left in the Japanese output: $english"
en=$($RF readiness "$TMP/a.json" --json | grep -E '"(final|score|final_after)"' | md5sum)
ja=$($RF readiness "$TMP/a.json" --json --lang ja | grep -E '"(final|score|final_after)"' | md5sum)
[ "$en" = "$ja" ] && ok || bad "the JSON's numbers differ between languages"
expect "ja json band" 0 '"name": "最初の一歩"' $RF readiness "$TMP/a.json" --json --lang ja
expect_oneline "plan over 28" 2 "^rolefit readiness: --plan: expected a whole number from 0 to 28, got '99'" $RF readiness "$TMP/a.json" --plan 99
expect_oneline "unknown language" 2 "--lang: unknown language 'fr'" $RF readiness "$TMP/a.json" --lang fr

echo '{"date": "2026-12-06", "scores": {"data_schema": 2}}' >"$TMP/b1.json"
expect_oneline "score out of scale" 1 "b1.json: scores.data_schema: expected 0, 0.5 or 1, got 2" $RF readiness "$TMP/b1.json"
echo '{"scores": {"unit_tests": 1}}' >"$TMP/b2.json"
expect_oneline "unknown test" 1 "b2.json: scores.unit_tests: unknown test" $RF readiness "$TMP/b2.json"
echo '{"scores": {"data_schema": 1, "data_schema": 0}}' >"$TMP/b3.json"
expect_oneline "duplicate test" 1 "b3.json:1:.*duplicate" $RF readiness "$TMP/b3.json"
echo '{"date": "6 Dec", "scores": {}}' >"$TMP/b4.json"
expect_oneline "bad date" 1 "b4.json: field 'date': expected YYYY-MM-DD" $RF readiness "$TMP/b4.json"
echo '{"scores": {}}' >"$TMP/b5.json"
expect_oneline "trend needs dates" 1 "a trend needs a date" $RF readiness "$TMP/a.json" "$TMP/b5.json"
expect_oneline "no file" 2 "expected an assessment file" $RF readiness
expect_oneline "missing file" 3 "nope.json" $RF readiness "$TMP/nope.json"
expect_oneline "bad plan" 2 "--plan" $RF readiness "$TMP/a.json" --plan 99
expect_oneline "tests with a file" 2 "take no assessment file" $RF readiness --tests "$TMP/a.json"
finish

#!/usr/bin/env bash
# `rolefit posting parse` and `rolefit match` end to end: parses of the English
# and Japanese fixtures, ranking order with one-line reasons, JSON, and
# one-line errors for bad postings and profiles.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
P=tests/careers/postings
D=tests/careers/data

expect "posting help" 0 "usage: rolefit posting parse" $RF posting --help
expect "top help lists match" 0 "match" $RF --help
expect "parse en" 0 "PyTorch-or-TensorFlow +proficient +w=3 +-> deep_learning" $RF posting parse $P/mle_en.md
expect "parse en unmapped" 0 "line 15 \(required\): Experience with Go" $RF posting parse $P/mle_en.md
expect "parse ja" 0 "統計学-or-機械学習 +developing +w=3 +-> probability_statistics \| ml_fundamentals" $RF posting parse $P/ds_ja.md
expect "parse ja unmapped" 0 "英語での業務遂行能力" $RF posting parse $P/ds_ja.md
expect "parse plain" 0 "No Requirements/Preferred headings found" $RF posting parse $P/plain_en.txt
expect "parse json" 0 '"label": "Tableau-or-Looker"' $RF posting parse $P/plain_en.txt --json
: >"$TMP/empty.md"
expect_oneline "parse empty file" 1 "empty.md: empty posting" $RF posting parse "$TMP/empty.md"
printf 'Requirements\n- SQL \xff\n' >"$TMP/latin.md"
expect_oneline "parse not utf8" 1 "latin.md: byte 20: not valid UTF-8" $RF posting parse "$TMP/latin.md"
expect_oneline "parse missing" 3 "nope.md" $RF posting parse "$TMP/nope.md"
expect_oneline "parse bad verb" 2 "expected 'parse FILE'" $RF posting lint $P/mle_en.md

mkdir -p "$TMP/pool"
cp $D/alice.json $D/kenji.json "$TMP/pool/"
cat >"$TMP/pool/mina.json" <<'JSON'
{"person": "mina", "skills": [
 {"skill": "software_engineering", "theta": 1.8, "se": 0.3, "items": 6},
 {"skill": "deep_learning", "theta": 1.2, "se": 0.3, "items": 6},
 {"skill": "data_engineering", "theta": 0.9, "se": 0.3, "items": 5},
 {"skill": "model_deployment", "theta": 1.1, "se": 0.35, "items": 5},
 {"skill": "mlops_monitoring", "theta": 0.6, "se": 0.4, "items": 4}]}
JSON
out=$($RF match --posting $P/mle_en.md --profiles "$TMP/pool")
echo "$out" | sed -n 3p | grep -q "^  1\. mina " && ok || bad "mina ranks first: $out"
echo "$out" | sed -n 4p | grep -q "^  2\. Kenji Sato" && ok || bad "kenji second: $out"
echo "$out" | sed -n 5p | grep -q "^  3\. alice .*gap: Python (0.00); not measured: " && ok || bad "alice last with reasons: $out"
[ "$(echo "$out" | wc -l)" -eq 5 ] && ok || bad "one line per candidate"
expect "match top 1" 0 "best 1" $RF match --posting $P/mle_en.md --profiles "$TMP/pool" --top 1
expect "match json" 0 '"reason": "meets ' $RF match --posting $P/mle_en.md --profiles "$TMP/pool" --json
expect "match ja posting" 0 "3 candidates" $RF match --posting $P/ds_ja.md --profiles "$TMP/pool"
cp $D/bad_se.json "$TMP/pool/"
expect_oneline "match bad profile" 1 "bad_se.json: skills\[0\] 'deep_learning': field 'se'" $RF match --posting $P/mle_en.md --profiles "$TMP/pool"
printf 'Requirements\n- A driver license\n' >"$TMP/none.md"
expect_oneline "match unmappable posting" 1 "none.md: no requirement maps to a skill" $RF match --posting "$TMP/none.md" --profiles "$TMP/pool"
expect_oneline "match bad top" 2 "--top" $RF match --posting $P/mle_en.md --profiles "$TMP/pool" --top 0
expect_oneline "match no profiles flag" 2 "--profiles is required" $RF match --posting $P/mle_en.md
expect_oneline "match missing dir" 3 "cannot open folder" $RF match --posting $P/mle_en.md --profiles "$TMP/none"
finish

#!/usr/bin/env bash
# `rolefit roles`, `fit` and `report` end to end: listings, JSON shape, report
# formats, and one-line errors with exit codes for bad input.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
D=tests/careers/data

expect "roles help" 0 "usage: rolefit roles" $RF roles --help
expect "top help lists roles" 0 "roles" $RF --help
expect "roles list" 0 "^ml_engineer +technical +Machine learning engineer" $RF roles
[ "$($RF roles | grep -c 'core:')" -eq 15 ] && ok || bad "fifteen roles listed"
expect "roles json" 0 '"id": "research_engineer"' $RF roles --json
for r in account_manager ux_designer llm_application_engineer; do
    expect "roles lists $r" 0 "^$r +(technical|adjacent)" $RF roles
done
expect "product manager without accounts" 0 "^ai_product_manager +adjacent +AI product manager$" $RF roles
expect "researcher: four research design rounds" 0 "Research design \(four rounds\)" $RF roles show ml_researcher
expect "researcher: algorithms required" 0 "Algorithms and data structures +proficient" $RF roles show ml_researcher
expect "ML engineer 40/30/30: experimentation" 0 "\* Experimentation and causal measurement +proficient +15%" $RF roles show ml_engineer
n=$($RF roles --json | grep -c '"loop"'); [ "$n" -eq 15 ] && ok || bad "fifteen roles in JSON, got $n"
expect "roles show" 0 "Typical interview loop" $RF roles show mlops_engineer
expect "roles show core mark" 0 "\* ML monitoring and operations +advanced" $RF roles show mlops_engineer
expect "roles show json" 0 '"weight": 0\.3' $RF roles show mlops_engineer --json
expect_oneline "roles show unknown" 1 "no role 'astronaut'" $RF roles show astronaut
expect_oneline "roles bad verb" 2 "expected 'show ID'" $RF roles list x
expect_oneline "roles bad data dir" 3 "nowhere/skills.json" $RF roles --data nowhere

expect "fit text" 0 "Machine learning engineer" $RF fit --profile $D/kenji.json
expect "fit names unmeasured" 0 "not measured: .*ai_infrastructure" $RF fit --profile $D/kenji.json
expect "fit json" 0 '"p_core"' $RF fit --profile $D/kenji.json --json
expect "fit closest roles" 0 "closest roles: Application engineer 22%, Infrastructure engineer 19%" $RF fit --profile $D/kenji.json
# a no-role chance under 0.5% reads "<1%", never "0%" (src/base/chance.h)
expect "fit no role never 0%" 0 "; no role <1%$" $RF fit --profile $D/kenji.json
expect "report md no role never 0%" 0 "^- No role <1%$" $RF report --profile $D/kenji.json --format md
expect "fit json closest" 0 '"closest": \[' $RF fit --profile $D/kenji.json --json
expect_oneline "fit no profile" 2 "--profile is required" $RF fit
expect_oneline "fit bad profile" 1 "bad_se.json: skills\[0\] 'deep_learning': field 'se'" $RF fit --profile $D/bad_se.json
expect_oneline "fit missing profile" 3 "nope.json" $RF fit --profile $TMP/nope.json

expect "report json" 0 '"gaps"' $RF report --profile $D/kenji.json
expect "report md" 0 "^## Gaps and learning plan: Machine learning engineer" $RF report --profile $D/kenji.json --format md --role ml_engineer
# in Japanese: the words and the data's names, the numbers as in English; --help stays English
expect "report md ja" 0 "^## 不足しているスキルと学習計画：機械学習エンジニア" $RF report --profile $D/kenji.json --format md --role ml_engineer --lang ja
expect "report json ja" 0 '"report_lang": "ja"' $RF report --profile $D/kenji.json --lang ja
$RF report --profile $D/kenji.json --format html --role ml_engineer --lang ja >"$TMP/ja.html" && ok || bad "report html ja"
grep -q '<html lang="ja">' "$TMP/ja.html" && grep -q '<h2>適合する職種</h2>' "$TMP/ja.html" && ! grep -q 'Roles that fit' "$TMP/ja.html" && ok || bad "html in Japanese"
[ "$($RF report --profile $D/kenji.json --format md --role ml_engineer | grep -o '[0-9]\.[0-9][0-9] ± [0-9]\.[0-9][0-9]' | tr '\n' ' ')" = \
  "$($RF report --profile $D/kenji.json --format md --role ml_engineer --lang ja | grep -o '[0-9]\.[0-9][0-9] ± [0-9]\.[0-9][0-9]' | tr '\n' ' ')" ] && ok || bad "numbers the same in both languages"
expect "report help stays English" 0 "^usage: rolefit report" $RF report --help --lang ja
expect_oneline "report unknown language" 2 "--lang: unknown language 'fr' \(en, ja\)" $RF report --profile $D/kenji.json --lang fr
$RF report --profile $D/kenji.json --format html --role ml_engineer >"$TMP/r.html" && ok || bad "report html"
grep -q '<svg' "$TMP/r.html" && grep -q '</html>' "$TMP/r.html" && ok || bad "html has svg and ends"
grep -q 'Kenji Sato &lt;kenji@example.com&gt;' "$TMP/r.html" && ok || bad "html escapes the person"
expect_oneline "report bad format" 2 "--format: expected json, md or html, got 'pdf'" $RF report --profile $D/kenji.json --format pdf
expect_oneline "report unknown role" 1 "unknown role 'astronaut'" $RF report --profile $D/kenji.json --role astronaut
expect_oneline "report bad profile" 1 "bad_postsum.json: skills\[0\] 'x': field 'posterior'" $RF report --profile $D/bad_postsum.json
finish

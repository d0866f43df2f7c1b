#!/usr/bin/env bash
# `rolefit kit` end to end (issue 17): a role's kit from the bundled
# data/interviews.json, JSON, lint clean, and one-line errors for a broken
# kits file and bad command lines.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh

expect "help" 0 "usage: rolefit kit" $RF kit --help
expect "top help lists it" 0 "^  kit " $RF --help
expect "researcher loop" 0 "Research design, 4 rounds" $RF kit ml_researcher
expect "anchored rubric" 0 "^      4: " $RF kit ml_engineer
expect "follow-ups" 0 "^        then: " $RF kit ml_engineer
expect "take-home" 0 "^Take-home: " $RF kit data_scientist
expect "json" 0 '"anchors": \{' $RF kit mlops_engineer --json
expect "lint clean" 0 "^kit: 0 findings" $RF kit --lint
for r in $($RF roles --json | sed -nE 's/^    "id": "([a-z_]+)".*/\1/p'); do
    $RF kit "$r" >/dev/null && ok || bad "kit for $r"
done

# in Japanese (issue 16): the kit's words, questions, follow-ups, anchors and take-home
expect "ja title" 0 "^面接キット：機械学習エンジニア（全" $RF kit ml_engineer --lang ja
expect "ja follow-ups" 0 "^        深掘り：" $RF kit ml_engineer --lang ja
expect "ja take-home" 0 "^持ち帰り課題：" $RF kit data_scientist --lang ja
expect "ja json" 0 '"lang": "ja"' $RF kit mlops_engineer --json --lang ja
$RF kit ml_researcher --lang ja >"$TMP/ja.txt" && ok || bad "ja kit"
$RF kit ml_researcher >"$TMP/en.txt" && ok || bad "en kit"
[ "$(wc -l <"$TMP/ja.txt")" -eq "$(wc -l <"$TMP/en.txt")" ] && ok || bad "the Japanese kit has another number of lines"
left=$(python3 -c '
import json, sys
k = json.load(open("data/interviews.json"))
ja = open(sys.argv[1]).read()
texts = [q["prompt"] for r in k["rounds"] for q in r["questions"]] + \
        [f for r in k["rounds"] for q in r["questions"] for f in q["follow_ups"]] + \
        [a for r in k["rounds"] + k["take_homes"] for c in r["rubric"] for a in c["anchors"].values()]
print("\n".join(t[:60] for t in texts if t[:40] in ja))' "$TMP/ja.txt")
[ -z "$left" ] && ok || bad "English kit text in the Japanese kit: $left"
expect_oneline "unknown language" 2 "--lang: unknown language 'de'" $RF kit ml_engineer --lang de
expect_oneline "unknown role" 1 "no role 'astronaut'" $RF kit astronaut
expect_oneline "no role" 2 "expected a role id" $RF kit
expect_oneline "lint with role" 2 "--lint takes no role" $RF kit --lint ml_engineer
mkdir -p "$TMP/data" && cp data/*.json "$TMP/data/"
python3 -c '
import json, sys
k = json.load(open("data/interviews.json"))
k["rounds"][0]["rubric"][0]["anchors"]["4"] = ""
json.dump(k, open(sys.argv[1], "w"))' "$TMP/data/interviews.json"
expect_oneline "empty anchor" 1 "interviews.json: rounds\[0\] '[a-z_]+': rubric\[0\] '[a-z_]+': anchors.4: expected what an answer at 4 looks like" $RF kit ml_engineer --data "$TMP/data"
# --lint fails when a rubric criterion (of a round or of a take-home) lacks an anchor at a point
for where in 'k["rounds"][2]["rubric"][1]' 'k["take_homes"][0]["rubric"][3]'; do
    python3 -c '
import json, sys
k = json.load(open("data/interviews.json"))
del eval(sys.argv[2])["anchors"]["2"]
json.dump(k, open(sys.argv[1], "w"))' "$TMP/data/interviews.json" "$where"
    expect_oneline "lint: anchor missing ($where)" 1 "interviews.json: (rounds|take_homes)\[[0-9]\] '[a-z_]+': rubric\[[0-9]\] '[a-z_]+': field 'anchors': expected one anchor for each point 1..4" $RF kit --lint --data "$TMP/data"
done
# --lint fails when a question, follow-up or anchor lacks its Japanese, naming it
for case in 'del k["rounds"][1]["questions"][0]["ja"]["follow_ups"][1]|rounds\[1\]\.questions\[0\]\.ja\.follow_ups: expected an array of' \
            'del k["take_homes"][2]["rubric"][0]["ja"]["anchors"]["3"]|take_homes\[2\]\.rubric\[0\]\.ja\.anchors\.3: missing' \
            'k["rounds"][4]["questions"][2]["ja"]["prompt"] = "Explain it."|rounds\[4\]\.questions\[2\]\.ja\.prompt: no Japanese in'; do
    edit=${case%%|*}; want=${case#*|}
    python3 -c '
import json, sys
k = json.load(open("data/interviews.json"))
exec(sys.argv[2])
json.dump(k, open(sys.argv[1], "w"), ensure_ascii=False)' "$TMP/data/interviews.json" "$edit"
    expect "lint: Japanese incomplete ($want)" 1 "^interviews.json: $want" $RF kit --lint --data "$TMP/data"
done
# roles.json's loop must follow the kits: a research scientist with two research design rounds
python3 -c '
import json, sys
r = json.load(open("data/roles.json"))
for role in r["roles"]:
    for st in role["loop"]:
        if st.get("round") == "research_design" and role["id"] == "ml_researcher":
            st["count"] = 2
json.dump(r, open(sys.argv[1], "w"))' "$TMP/data2.json"
mkdir -p "$TMP/data2" && cp data/*.json "$TMP/data2/" && mv "$TMP/data2.json" "$TMP/data2/roles.json"
expect "lint: loops disagree" 1 "^roles.json: role 'ml_researcher': loop\[2\] 'Research design \(four rounds\)': round 'research_design' x2, interviews.json has 'research_design' x4" $RF kit --lint --data "$TMP/data2"
finish

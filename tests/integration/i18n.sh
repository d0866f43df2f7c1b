#!/usr/bin/env bash
# The interface catalogue test (issue 16): tests/i18n/catalogue.mjs over web/
# (both catalogues complete both ways, placeholders alike, every key used and
# every used key present, every server error code with its message, no English
# left in the pages and scripts outside the catalogue), then the same check
# over broken copies of web/, each of which it must fail: a Japanese message
# removed, a placeholder renamed, a key used that no catalogue has, a key no
# page uses, English text put back in a page and in a script. Last, the
# pages' probability text (web/js/chance.js) on the golden cases of its C twin
# (tests/browser/chance.mjs: plain node, no browser).
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh

command -v node >/dev/null || { bad "node is not installed (scripts/install-deps --browser)"; echo "i18n: $pass passed, $fail failed"; exit 1; }

node tests/i18n/catalogue.mjs web src/server >"$TMP/check.log" 2>&1
rc=$?
grep -E '^(FAIL|  )' "$TMP/check.log" | head -n 40
tail -n 1 "$TMP/check.log"
p=$(grep -c '^ok ' "$TMP/check.log"); f=$(grep -c '^FAIL ' "$TMP/check.log")
pass=$((pass + p)); fail=$((fail + f))
[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || bad "catalogue.mjs exited $rc"

# broken copies: each must fail with the named check
broken() {
    local name=$1 want=$2 edit=$3
    rm -rf "$TMP/web"; cp -r web "$TMP/web"
    (cd "$TMP/web" && eval "$edit") || { bad "$name: the edit failed"; return; }
    node tests/i18n/catalogue.mjs "$TMP/web" src/server >"$TMP/broken.log" 2>&1
    if [ $? -ne 0 ] && grep -q "^FAIL $want" "$TMP/broken.log"; then ok; else
        bad "$name: the check did not fail with \"$want\""; head -n 20 "$TMP/broken.log"; fi
}
jq_py() { python3 -c "import json,sys; p=sys.argv[1]; d=json.load(open(p)); $1; json.dump(d, open(p,'w'), ensure_ascii=False)" "$2"; }
broken "a Japanese message removed" "every en key is in ja" "jq_py 'del(d[\"test.answer\"])' i18n/ja.json"
broken "an English message removed" "every ja key is in en" "jq_py 'del(d[\"test.answer\"])' i18n/en.json"
broken "a placeholder renamed" "placeholders match" "jq_py 'd[\"test.count\"]=d[\"test.count\"].replace(\"{max}\",\"{limit}\")' i18n/ja.json"
broken "a key used that no catalogue has" "every key used in web/ is in the catalogues" "sed -i 's/data-i18n=\"test.answer\"/data-i18n=\"test.answer_now\"/' test.html"
broken "a key no page uses" "every catalogue key is used" "jq_py 'd[\"test.never_used\"]=\"x\"' i18n/ja.json; jq_py 'd[\"test.never_used\"]=\"x\"' i18n/en.json"
broken "English text in a page" "no English text in the pages" "sed -i 's|<h2 class=\"small\" id=\"skills-title\" data-i18n=\"test.skills_title\"></h2>|<h2>Skills in this test</h2>|' test.html"
broken "English in a script" "no English prose in the scripts" "sed -i \"s|t('test.no_test')|'No test here. Start one from the home page.'|\" js/test.js"
broken "a Japanese message left in English" "Japanese messages are Japanese" "jq_py 'd[\"test.about\"]=\"The test adapts to your answers.\"' i18n/ja.json"
broken "a server error code without its message" "every server error code has its message" "jq_py 'del(d[\"error.csrf\"])' i18n/ja.json; jq_py 'del(d[\"error.csrf\"])' i18n/en.json"
broken "a server reason code without its message" "every server reason code has its message" "jq_py 'del(d[\"reason.recal_stale\"])' i18n/ja.json; jq_py 'del(d[\"reason.recal_stale\"])' i18n/en.json"

# the pages' probability text (web/js/chance.js: ">99%" and "<1%", never
# "100%" or "0%", the same in every language) on the golden cases it shares
# with the C helper (tests/fixtures/chance.tsv, tests/base/test_chance.c)
node tests/browser/chance.mjs >"$TMP/chance.log" 2>&1
rc=$?
grep -E '^FAIL' "$TMP/chance.log"
p=$(grep -c '^ok ' "$TMP/chance.log"); f=$(grep -c '^FAIL ' "$TMP/chance.log")
pass=$((pass + p)); fail=$((fail + f))
[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || { tail -n 5 "$TMP/chance.log"; bad "chance.mjs exited $rc"; }

echo "i18n: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

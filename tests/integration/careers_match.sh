#!/usr/bin/env bash
# `rolefit posting parse` and `rolefit match` end to end: parses of the English
# and Japanese fixtures, ranking order with one-line reasons, JSON, and
# one-line errors for bad postings; bad profiles skipped with a warning (or
# stopping the run with --strict), duplicates and folders without profiles.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
P=tests/careers/postings
D=tests/careers/data

expect "posting help" 0 "usage: rolefit posting parse" $RF posting --help
expect "top help lists match" 0 "match" $RF --help
expect "parse en" 0 "Deep learning \(PyTorch, TensorFlow\) +proficient +w=3 +-> deep_learning" $RF posting parse $P/mle_en.md
expect "parse en unmapped" 0 "line 15 \(required\): Experience with Go" $RF posting parse $P/mle_en.md
expect "parse ja" 0 "^ +developing +w=3 +-> probability_statistics \| ml_fundamentals" $RF posting parse $P/ds_ja.md
expect "parse ja long label on its own line" 0 "^   2\. 確率・統計 \(統計学\) または 機械学習の基礎 \(機械学習\)$" $RF posting parse $P/ds_ja.md
# The columns line up by display width (a kanji takes two columns): on every
# requirement row of Japanese and English postings the level starts at one column.
for f in $P/ds_ja.md tests/fixtures/postings/ja01.txt tests/fixtures/postings/ja09.txt $P/mle_en.md; do
    out=$($RF posting parse "$f" 2>&1)
    cols=$(printf '%s\n' "$out" | python3 -c '
import re, sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
cols = set()
for line in sys.stdin:
    m = re.search(r" (basic|developing|proficient|advanced|expert) +w=", line)
    if m:
        cols.add(w(line[:m.start() + 1]))
print(" ".join(map(str, sorted(cols))))')
    [[ "$cols" =~ ^[0-9]+$ ]] && ok || bad "parse $(basename "$f"): the level column starts at columns '$cols': $out"
done
expect "parse ja unmapped" 0 "英語での業務遂行能力" $RF posting parse $P/ds_ja.md
expect "parse plain" 0 "No Requirements/Preferred headings found" $RF posting parse $P/plain_en.txt
expect "parse json" 0 '"label": "Data analysis and visualization \(Tableau, Looker\)"' $RF posting parse $P/plain_en.txt --json
: >"$TMP/empty.md"
expect_oneline "parse empty file" 1 "empty.md: empty posting" $RF posting parse "$TMP/empty.md"
printf 'Requirements\n- SQL \xff\n' >"$TMP/latin.md"
expect_oneline "parse not utf8" 1 "latin.md: byte 20: not valid UTF-8" $RF posting parse "$TMP/latin.md"
expect_oneline "parse missing" 3 "nope.md" $RF posting parse "$TMP/nope.md"
expect_oneline "parse bad verb" 2 "expected 'parse FILE'" $RF posting lint $P/mle_en.md
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' a >"$TMP/big.md"
expect_oneline "parse over the cap" 1 "big.md: file larger than 1048576 bytes" $RF posting parse "$TMP/big.md"
printf 'Datenwissenschaftler\n\nAnforderungen:\n- Erfahrung mit Python und SQL\n' >"$TMP/de.md"
expect "parse other language" 0 "Note: this posting does not look like English or Japanese" $RF posting parse "$TMP/de.md"
expect "parse other language json" 0 '"language": "other"' $RF posting parse "$TMP/de.md" --json
expect "eval labelled set" 0 "^held-out +10 +79 " $RF posting eval tests/fixtures/postings
mkdir -p "$TMP/nolabels"
expect_oneline "eval without labels" 1 "nolabels: no .labels files" $RF posting eval "$TMP/nolabels"
# The ranking study's analysis options (docs/careers.md "Posting tests"): the Bayes
# selection beside the ranking, the calibrated bank and the hidden truth, a what-if length.
expect "simulate bayes" 0 '"top_third_bayes": 0\.[0-9]' \
    $RF posting simulate tests/fixtures/postings/en01.md --examinees 30 --threads 1 --json
expect "simulate calibrated" 0 '"calibrated_bank": true' \
    $RF posting simulate tests/fixtures/postings/en01.md --examinees 30 --threads 1 --json \
    --calibrated-bank
expect "simulate hidden truth" 0 "hidden-bank truth" \
    $RF posting simulate tests/fixtures/postings/en01.md --examinees 30 --threads 1 --hidden-truth
expect "simulate items" 0 "en01.md .* 60\.0 " \
    $RF posting simulate tests/fixtures/postings/en01.md --examinees 30 --threads 1 --items 60
expect_oneline "simulate both banks" 2 "choose one" \
    $RF posting simulate tests/fixtures/postings/en01.md --calibrated-bank --hidden-truth
expect_oneline "simulate items 0" 2 "--items: expected a whole number from 1 to 1000" \
    $RF posting simulate tests/fixtures/postings/en01.md --items 0

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
echo "$out" | sed -n 5p | grep -q "^  3\. alice .*gap: Python (<1%); not measured: " && ok || bad "alice last with reasons: $out"
[ "$(echo "$out" | wc -l)" -eq 5 ] && ok || bad "one line per candidate"
expect "match top 1" 0 "best 1" $RF match --posting $P/mle_en.md --profiles "$TMP/pool" --top 1
expect "match json" 0 '"reason": "meets ' $RF match --posting $P/mle_en.md --profiles "$TMP/pool" --json
expect "match ja posting" 0 "3 candidates" $RF match --posting $P/ds_ja.md --profiles "$TMP/pool"
# in the recruiter's language (issue 16): the same ranking and figures, Japanese words and reasons
expect "match in Japanese" 0 "：候補者 3人、上位 3人" $RF match --posting $P/ds_ja.md --profiles "$TMP/pool" --lang ja
expect "match ja reason" 0 "適合度 [0-9.]+ ± [0-9.]+  測定済み +[0-9]+%  (満たしている：|確信をもって)" $RF match --posting $P/mle_en.md --profiles "$TMP/pool" --lang ja
en=$($RF match --posting $P/mle_en.md --profiles "$TMP/pool" --json | grep -E '"(rank|person|fit|sd)"' | md5sum)
ja=$($RF match --posting $P/mle_en.md --profiles "$TMP/pool" --json --lang ja | grep -E '"(rank|person|fit|sd)"' | md5sum)
[ "$en" = "$ja" ] && ok || bad "the ranking differs between languages"
$RF match --posting $P/mle_en.md --profiles "$TMP/pool" --lang ja | grep -qE "meets|gap:|not measured|candidates" && bad "English words in the Japanese ranking" || ok
expect_oneline "match unknown language" 2 "--lang: unknown language 'fr'" $RF match --posting $P/mle_en.md --profiles "$TMP/pool" --lang fr

# A bad profile is skipped with a warning naming it; the others are still ranked; exit 1.
cp $D/bad_se.json "$TMP/pool/"
out=$($RF match --posting $P/mle_en.md --profiles "$TMP/pool" 2>"$TMP/err"); rc=$?
[ "$rc" -eq 1 ] && ok || bad "a skipped profile exits 1, got $rc"
echo "$out" | sed -n 1p | grep -q ": 3 candidates, best 3$" && ok || bad "three ranked despite the bad one: $out"
echo "$out" | sed -n 3p | grep -q "^  1\. mina " && ok || bad "ranking unchanged by the bad file: $out"
[ "$(wc -l <"$TMP/err")" -eq 2 ] && ok || bad "one warning and one closing line: $(cat "$TMP/err")"
grep -qx "rolefit match: warning\[skipped\]: $TMP/pool/bad_se.json: skills\[0\] 'deep_learning': field 'se': expected a number > 0, got -1" "$TMP/err" \
    && ok || bad "warning names file and problem: $(cat "$TMP/err")"
tail -1 "$TMP/err" | grep -qx "rolefit match: skipped 1 of 4 profiles" && ok || bad "closing line: $(cat "$TMP/err")"
out=$($RF match --posting $P/mle_en.md --profiles "$TMP/pool" --json 2>/dev/null); rc=$?
[ "$rc" -eq 1 ] && ok || bad "json with a skipped profile exits 1, got $rc"
grep -q '"files": 4,' <<<"$out" && grep -q '"candidates": 3,' <<<"$out" && ok || bad "json counts: $out"
grep -A3 '"skipped": \[' <<<"$out" | grep -q "\"file\": \"$TMP/pool/bad_se.json\"" && ok || bad "json lists the skipped file: $out"
grep -q "\"error\": \"$TMP/pool/bad_se.json: skills\[0\] 'deep_learning': field 'se'" <<<"$out" && ok || bad "json gives its message"
[ "$(grep -c '"rank": ' <<<"$out")" -eq 3 ] && ok || bad "json ranks the three good ones"
# --strict stops at the first bad file: one line, nothing ranked
out=$($RF match --posting $P/mle_en.md --profiles "$TMP/pool" --strict 2>/dev/null)
[ -z "$out" ] && ok || bad "strict prints no ranking: $out"
expect_oneline "match strict" 1 "^rolefit match: .*bad_se.json: skills\[0\] 'deep_learning': field 'se'" $RF match --posting $P/mle_en.md --profiles "$TMP/pool" --strict
rm "$TMP/pool/bad_se.json"
expect "match good pool exits 0" 0 "3 candidates" $RF match --posting $P/mle_en.md --profiles "$TMP/pool"

# Entries that are not regular files (a folder, a FIFO that would block a read,
# a dangling link) are skipped without being opened.
mkdir -p "$TMP/odd"
cp $D/kenji.json "$TMP/odd/"
mkdir "$TMP/odd/folder.json"
mkfifo "$TMP/odd/fifo.json"
ln -s "$TMP/nowhere.json" "$TMP/odd/link.json"
echo "notes" >"$TMP/odd/README.txt"
out=$(timeout 20 $RF match --posting $P/mle_en.md --profiles "$TMP/odd" 2>"$TMP/err"); rc=$?
[ "$rc" -eq 1 ] && ok || bad "odd entries: exit $rc, want 1"
echo "$out" | sed -n 3p | grep -q "^  1\. Kenji Sato" && [ "$(echo "$out" | wc -l)" -eq 3 ] && ok || bad "only kenji ranked: $out"
grep -q "warning\[skipped\]: $TMP/odd/folder.json: not a regular file" "$TMP/err" && ok || bad "folder named: $(cat "$TMP/err")"
grep -q "warning\[skipped\]: $TMP/odd/fifo.json: not a regular file" "$TMP/err" && ok || bad "fifo named"
grep -q "warning\[skipped\]: $TMP/odd/link.json: cannot open: No such file" "$TMP/err" && ok || bad "dangling link named"
tail -1 "$TMP/err" | grep -qx "rolefit match: skipped 3 of 4 profiles" && ok || bad "README.txt is not a profile: $(cat "$TMP/err")"
expect_oneline "match strict fifo" 1 "fifo.json: not a regular file" timeout 20 $RF match --posting $P/mle_en.md --profiles "$TMP/odd" --strict

# Nothing good at all: an empty ranking, every file reported, exit 1.
mkdir -p "$TMP/allbad"
cp $D/bad_se.json $D/bad_syntax.json "$TMP/allbad/"
out=$($RF match --posting $P/mle_en.md --profiles "$TMP/allbad" 2>"$TMP/err"); rc=$?
[ "$rc" -eq 1 ] && echo "$out" | grep -q ": 0 candidates, best 0" && ok || bad "all bad: exit $rc, $out"
tail -1 "$TMP/err" | grep -qx "rolefit match: skipped 2 of 2 profiles" && ok || bad "all bad closing line: $(cat "$TMP/err")"

# The same person id in two files: both ranked, told apart by file, with a warning; exit 0.
mkdir -p "$TMP/dups"
cp $D/kenji.json "$TMP/dups/"
cp $D/alice.json "$TMP/dups/alice.json"
sed 's/"theta": [-0-9.]*/"theta": 2.5/' $D/alice.json >"$TMP/dups/alice_retest.json"
out=$($RF match --posting $P/mle_en.md --profiles "$TMP/dups" 2>"$TMP/err"); rc=$?
[ "$rc" -eq 0 ] && ok || bad "duplicates alone exit 0, got $rc"
echo "$out" | sed -n 3p | grep -q "^  1\. alice (alice_retest.json) " && ok || bad "the retest ranks first, named by file: $out"
echo "$out" | grep -q "^  3\. alice (alice.json) " && ok || bad "the first test ranks too: $out"
[ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -qx "rolefit match: warning\[duplicate-person\]: person 'alice' is in 2 files (alice.json, alice_retest.json); each is ranked" "$TMP/err" \
    && ok || bad "one duplicate warning: $(cat "$TMP/err")"

# A folder without profiles is an error, not an empty ranking.
mkdir -p "$TMP/empty" "$TMP/nojson"
echo "x" >"$TMP/nojson/alice.txt"
expect_oneline "match empty dir" 1 "empty: no profiles \(\*\.json files\) in this folder$" $RF match --posting $P/mle_en.md --profiles "$TMP/empty"
expect_oneline "match no json" 1 "nojson: no profiles .*; its other entries are not read" $RF match --posting $P/mle_en.md --profiles "$TMP/nojson"
printf 'Requirements\n- A driver license\n' >"$TMP/none.md"
expect_oneline "match unmappable posting" 1 "none.md: no requirement maps to a skill" $RF match --posting "$TMP/none.md" --profiles "$TMP/pool"
expect_oneline "match bad top" 2 "--top" $RF match --posting $P/mle_en.md --profiles "$TMP/pool" --top 0
expect_oneline "match no profiles flag" 2 "--profiles is required" $RF match --posting $P/mle_en.md
expect_oneline "match missing dir" 3 "cannot open folder" $RF match --posting $P/mle_en.md --profiles "$TMP/none"
finish

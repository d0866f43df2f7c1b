#!/usr/bin/env bash
# `rolefit assess` end to end over a small fixture bank: piped answers, re-asking
# on invalid input, keys and explanations kept back until answered, save / quit /
# resume giving the same test as an uninterrupted run, the profile file, role
# scope from data/roles.json, and one-line errors.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
B="--bank tests/fixtures/cat/bank"

expect "help" 0 "usage: rolefit assess" $RF assess --help
expect "top help lists assess" 0 "assess" $RF --help

# An uninterrupted run: six answers, always 'a'.
full=$(printf 'a\na\na\na\na\na\n' | $RF assess $B --seed 4 --max-items 6 2>&1); rc=$?
[ $rc -eq 0 ] && ok || bad "full run exit $rc"
grep -q "^\[6/6, [0-9]*% of target precision\]" <<<"$full" && ! grep -q "^\[7/" <<<"$full" && ok || bad "six questions"
grep -q "^\[1/6, 0% of target precision\]" <<<"$full" && ok || bad "progress starts at 0%"
grep -q "Your profile" <<<"$full" && grep -qE "Linear algebra +[0-9]+ +[-+][0-9.]+ +[0-9.]+ +(novice|developing|proficient|advanced|expert)" <<<"$full" \
    && ok || bad "profile lines: $(grep -A4 'Your profile' <<<"$full")"
again=$(printf 'a\na\na\na\na\na\n' | $RF assess $B --seed 4 --max-items 6 2>&1)
[ "$full" = "$again" ] && ok || bad "same seed, same test"

# No key or explanation before the profile; missed items explained after it.
before=$(sed '/Your profile/,$d' <<<"$full")
grep -q "EXPLAIN-" <<<"$before" && bad "an explanation was shown during the test" || ok
grep -q "answer: " <<<"$before" && bad "a key was shown during the test" || ok
after=$(sed -n '/Questions you missed/,$p' <<<"$full")
grep -q "EXPLAIN-" <<<"$after" && ok || bad "missed items are explained at the end"
# every missed item listed is one that was asked and answered wrongly ('a' is the key of items 001 and 005)
grep -q "^- [a-z_]*\.[a-z]*\.00[15] " <<<"$after" && bad "a right answer listed as missed" || ok

# With --feedback the explanation follows each answer, never precedes it.
fb=$(printf 'a\na\n' | $RF assess $B --seed 4 --max-items 2 --feedback 2>&1)
first=$(grep -n "^STEM-" <<<"$fb" | head -1 | cut -d: -f1)
expl=$(grep -n "^EXPLAIN-" <<<"$fb" | head -1 | cut -d: -f1)
ans=$(grep -n "your answer" <<<"$fb" | head -1 | cut -d: -f1)
[ -n "$expl" ] && [ "$expl" -gt "$ans" ] && [ "$ans" -gt "$first" ] && ok || bad "feedback after the answer"

# Invalid input is asked again and not counted.
typo=$(printf 'x\n9\n\na\na\n' | $RF assess $B --seed 4 --max-items 2 2>&1)
[ "$(grep -c "is not a choice" <<<"$typo")" -eq 3 ] && ok || bad "three typos re-asked"
grep -q "^\[2/2," <<<"$typo" && grep -q "Your profile" <<<"$typo" && ok || bad "typos not counted"
num=$(printf '1\nA\n' | $RF assess $B --seed 4 --max-items 2 2>&1)
grep -q "Your profile" <<<"$num" && ! grep -q "is not a choice" <<<"$num" && ok || bad "numbers and capitals accepted"

# Save, quit after three answers, resume: the same test as the uninterrupted run.
printf 'a\na\na\nq\n' | $RF assess $B --seed 4 --max-items 6 --save "$TMP/s.json" >"$TMP/part1" 2>&1
grep -q "kept in $TMP/s.json" "$TMP/part1" && ok || bad "quit keeps the session"
printf 'a\na\na\n' | $RF assess $B --resume "$TMP/s.json" --profile-out "$TMP/p.json" >"$TMP/part2" 2>&1
grep -q "Resuming .*3 questions answered" "$TMP/part2" && ok || bad "resume says where it is"
qs_full=$(grep -o "^STEM-[a-z_.0-9]*" <<<"$full" | tr '\n' ' ')
qs_split=$(cat "$TMP/part1" "$TMP/part2" | grep -o "^STEM-[a-z_.0-9]*" | uniq | tr '\n' ' ')
[ "$qs_full" = "$qs_split" ] && ok || bad "resumed test differs: [$qs_full] vs [$qs_split]"
[ "$(sed -n '/Your profile/,/^$/p;/Your profile/,$p' <<<"$full" | grep -E '^  (Linear|Deep)')" = \
  "$(sed -n '/Your profile/,$p' "$TMP/part2" | grep -E '^  (Linear|Deep)')" ] && ok || bad "same profile after resume"
grep -q '"source": "assess"' "$TMP/p.json" && grep -q '"posterior"' "$TMP/p.json" && \
    grep -q '"missed"' "$TMP/p.json" && grep -q '"tags"' "$TMP/p.json" && ok || bad "profile file"

# Input ending early: with --save the session is kept, without it the test is incomplete.
expect_oneline "input ends" 1 "input ended after 1 answers" sh -c "printf 'a\n' | $RF assess $B --seed 4 --max-items 3"
expect "input ends, saved" 0 "continue with --resume" sh -c "printf 'a\n' | $RF assess $B --seed 4 --max-items 3 --save $TMP/e.json"

# A session that does not match the bank is refused.
sed 's/linear_algebra.vectors.00\([0-9]\)"/linear_algebra.vectors.09\1"/' "$TMP/s.json" >"$TMP/bad.json"
expect_oneline "session item not in bank" 1 "bad.json: events\[[0-9]+\]: item 'linear_algebra.vectors.09[0-9]' is not in the bank" \
    $RF assess $B --resume "$TMP/bad.json"
printf '{"format": "rolefit-session"' >"$TMP/broken.json"
expect_oneline "malformed session" 1 "broken.json:1:" $RF assess $B --resume "$TMP/broken.json"
expect_oneline "missing session" 3 "nope.json" $RF assess $B --resume "$TMP/nope.json"

# Exposure parameters: an item with K near 0 is (almost surely) refused; kept on resume.
grep -q "^STEM-linear_algebra.vectors.004" <<<"$full" && ok || bad "the run without exposure control asks vectors.004"
printf '{"format": "rolefit-exposure", "items": [{"item": "linear_algebra.vectors.004", "k": 1e-9}]}' >"$TMP/exp.json"
ex=$(printf 'a\na\na\na\na\na\n' | $RF assess $B --seed 4 --max-items 6 --exposure "$TMP/exp.json" 2>&1)
grep -q "Your profile" <<<"$ex" && ! grep -q "^STEM-linear_algebra.vectors.004" <<<"$ex" && ok || bad "exposure control refuses the item"
printf 'a\nq\n' | $RF assess $B --seed 4 --max-items 6 --exposure "$TMP/exp.json" --save "$TMP/x.json" >/dev/null 2>&1
grep -q '"exposure": ".*exp.json"' "$TMP/x.json" && ok || bad "the session remembers its exposure file"
expect_oneline "missing exposure file" 3 "nope.json" $RF assess $B --exposure "$TMP/nope.json"

# In Japanese (issue 16): the questions, options and explanations of the bundled
# bank's translations; an unknown language is a usage error.
ja=$(printf '1\na\n1\na\n1\na\n1\na\n' | $RF assess --skills linear_algebra --lang ja --seed 2 --max-items 3 --feedback 2>&1); rc=$?
[ $rc -eq 0 ] && ok || bad "ja run exit $rc: $(tail -3 <<<"$ja")"
grep -q "どれか\|求めよ\|答えよ" <<<"$ja" && ok || bad "ja stems: $(head -8 <<<"$ja")"
grep -q "no complete 'ja' translation" <<<"$ja" && bad "the bundled bank is fully translated" || ok
# wrapped by display width (a wide character takes two columns): no line of the questions,
# options and explanations over 80 columns,
# and Japanese text does wrap; the profile's columns line up by display width
over=$(python3 -c 'import sys,unicodedata as u
w=lambda s: sum(2 if u.east_asian_width(c) in "WF" else 0 if u.combining(c) else 1 for c in s)
print(sum(1 for l in sys.stdin.read().split("\n") if w(l) > 80))' <<<"$(sed '/^あなたのプロファイル/,$d' <<<"$ja")")
[ "$over" = 0 ] && ok || bad "$over lines of questions over 80 columns"
grep -q "線形代数 " <<<"$ja" && ok || bad "skill names in Japanese"
ends=$(grep -E "^  (スキル|線形代数) " <<<"$ja" | python3 -c 'import re,sys,unicodedata as u
w=lambda s: sum(2 if u.east_asian_width(c) in "WF" else 1 for c in s)
print(" ".join(str(w(re.match(r"^(  .*?\s+(問題数|\d+))\s", l).group(1))) for l in sys.stdin.read().splitlines()))')
[ "$ends" = "43 43" ] && ok || bad "profile columns by display width: items column ends at $ends"
# the terminal's own words in Japanese too; --help stays English
grep -q "^解答（a〜[a-z]。q で終了）：\|^解答（a〜[a-z] の文字をカンマ区切りで。q で終了）：\|^解答（数値" <<<"$ja" && ok || bad "Japanese prompts: $(grep -m2 '回答' <<<"$ja")"
grep -q "^あなたのプロファイル" <<<"$ja" && grep -q "^rolefit assess：最大3問で1スキルを測定します。" <<<"$ja" && ok || bad "Japanese headings"
grep -qE "your answer|Your profile|of target precision" <<<"$ja" && bad "English left in the Japanese run" || ok
expect "help stays English" 0 "^usage: rolefit assess" $RF assess --help --lang ja
expect "unknown language" 2 "--lang: unknown language 'fr' \\(en, ja\\)" $RF assess --lang fr

# Scope from a role of data/roles.json over the bundled bank.
expect "role scope" 0 "role: Data engineer" sh -c "printf '1\n1\n1\n' | $RF assess --role data_engineer --max-items 3 --seed 1"
expect "role fit summary" 0 "Data engineer +fit [01]\.[0-9]+ \+- [01]\.[0-9]+ +core [01]\.[0-9]+" sh -c "printf '1\n1\n1\n' | $RF assess --role data_engineer --max-items 3 --seed 1"
expect "unmeasured skills said so" 0 "not measured: prior" sh -c "printf '1\n' | $RF assess --role ml_engineer --max-items 1 --seed 1"
expect "role test names the closest roles" 0 "Closest roles \(which role's people your answers look most like\): [A-Za-z ()]+ [0-9]+%" sh -c "printf '1\n2\n3\n4\n1\n2\n' | $RF assess --role data_engineer --max-items 6 --seed 2"

# Numeric entry and multiple select (a fixture bank of both): a number that cannot be
# read is asked again with the reason; selections by letters or numbers, partial credit.
F="--bank tests/fixtures/assess_formats/bank --skills linear_algebra --seed 4 --max-items 6"
fm=$(printf '1,5\n5 furlongs\n1,5\n42\n1\nb, 9\nb,b\nb,c,d\nA\n0.25\n-3\n' | $RF assess $F --feedback 2>&1); rc=$?
[ $rc -eq 0 ] && grep -q "Your profile" <<<"$fm" && ok || bad "formats run: exit $rc"
grep -qE "'5 furlongs' is not (a number|in (ms|GB))" <<<"$fm" && ok || bad "another unit typed with the number is refused with the reason"
grep -q "there is no option 9" <<<"$fm" && grep -q "option b is selected twice" <<<"$fm" && ok || bad "selection typos named"
grep -q "Not quite: the answer is a, c" <<<"$fm" && ok || bad "a selection with a wrong option scores 0 (a,e against a,c)"
grep -q "Right.$" <<<"$fm" && ok || bad "a right number"
grep -q "^Partly right\|Right\." <<<"$fm" && ok || bad "multi feedback"
grep -q "Not quite: the answer is 42 (± 0.5)" <<<"$fm" || grep -q "STEM-linear_algebra.num.002" <<<"$fm" && ok || bad "numeric key text"
grep -q "^\[6/6," <<<"$fm" && ok || bad "typos are not counted"
# the same answers over a save / quit / resume give the same test and profile
printf '1,5\n42\nq\n' | $RF assess $F --save "$TMP/f.json" >"$TMP/f1" 2>&1
printf '1\nb,c,d\nA\n0.25\n7\n' | $RF assess --bank tests/fixtures/assess_formats/bank --resume "$TMP/f.json" >"$TMP/f2" 2>&1
whole=$(printf '1,5\n42\n1\nb,c,d\nA\n0.25\n7\n' | $RF assess $F 2>&1)
[ "$(sed -n '/Your profile/,$p' <<<"$whole")" = "$(sed -n '/Your profile/,$p' "$TMP/f2")" ] && ok || bad "formats: same profile after resume"
grep -q "Questions you missed" <<<"$whole" && grep -q "credit: [0-9] of [0-9]" <<<"$whole" && ok || bad "missed multi items show their credit"

expect_oneline "unknown skill" 2 "--skills: unknown skill 'nope'" $RF assess $B --skills nope
expect_oneline "skill without items" 1 "'mlops_monitoring': no item of the bank has it" $RF assess $B --skills mlops_monitoring
expect_oneline "unknown role" 2 "unknown role 'astronaut'" $RF assess --role astronaut
expect_oneline "role and skills" 2 "give --role or --skills, not both" $RF assess --role x --skills y
expect_oneline "resume with options" 2 "--resume continues a session as it was" $RF assess --resume x --se 0.2
expect_oneline "bad se" 2 "--se" $RF assess --se 0
expect_oneline "missing bank" 3 "nobank" $RF assess --bank "$TMP/nobank"
finish

#!/usr/bin/env bash
# `rolefit bank import` and `rolefit bank export` end to end: the CLI round
# trips a bank through QTI (directory and zip) and GIFT and gets the same bank
# file back, reports unsupported constructs on stderr, and stops on malformed
# input with one line naming file, line and column.
set -u
BUILD=${BUILD:-build}
RF="$BUILD/rolefit"
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bank" && cp tests/fixtures/exchange/rich.json "$tmp/bank/deep_learning.json"

# 1. export three ways, import each back: the same bank file every time
"$RF" bank export --to qti "$tmp/qti" --bank "$tmp/bank" 2>"$tmp/err" && ok || bad "export qti dir: $(cat "$tmp/err")"
grep -q '4 items to' "$tmp/err" && ok || bad "export summary: $(cat "$tmp/err")"
"$RF" bank export --to qti "$tmp/pkg.zip" --bank "$tmp/bank" 2>"$tmp/err" && ok || bad "export qti zip: $(cat "$tmp/err")"
"$RF" bank export --to gift "$tmp/gift" --bank "$tmp/bank" 2>"$tmp/err" && ok || bad "export gift: $(cat "$tmp/err")"
[ -f "$tmp/qti/imsmanifest.xml" ] && [ -f "$tmp/qti/deep_learning.attention.001.xml" ] && ok || bad "qti dir layout"
[ -f "$tmp/gift/deep_learning.gift" ] && ok || bad "gift file"
# the key travels: correctResponse in QTI, '=' in GIFT
grep -q '<correctResponse><value>C3</value>' "$tmp/qti/deep_learning.gift_chars.003.xml" && ok || bad "qti key"
"$RF" bank import --from qti "$tmp/qti/imsmanifest.xml" --out "$tmp/a.json" 2>"$tmp/err" && ok || bad "import qti dir: $(cat "$tmp/err")"
"$RF" bank import --from qti "$tmp/pkg.zip" >"$tmp/b.json" 2>"$tmp/err" && ok || bad "import qti zip: $(cat "$tmp/err")"
"$RF" bank import --from gift "$tmp/gift/deep_learning.gift" >"$tmp/c.json" 2>"$tmp/err" && ok || bad "import gift: $(cat "$tmp/err")"
cmp -s "$tmp/a.json" "$tmp/b.json" && cmp -s "$tmp/a.json" "$tmp/c.json" && ok || bad "imports differ"
# and the result is the original bank: it loads, and a second round gives the same text
mkdir -p "$tmp/bank2" && cp "$tmp/a.json" "$tmp/bank2/deep_learning.json"
"$RF" bank export --to gift "$tmp/gift2" --bank "$tmp/bank2" 2>/dev/null &&
    "$RF" bank import --from gift "$tmp/gift2/deep_learning.gift" >"$tmp/d.json" 2>/dev/null &&
    cmp -s "$tmp/a.json" "$tmp/d.json" && ok || bad "second round differs"
"$RF" bank lint "$tmp/bank2" --skills tests/fixtures/bank/skills.json >"$tmp/out" 2>&1; rc=$?
[ "$rc" -eq 0 ] && ok || bad "imported bank does not lint: $(grep error "$tmp/out" | head -3)"

# 2. unsupported constructs: one stderr line each, with file and line
"$RF" bank import --from gift tests/fixtures/gift/quiz.gift >"$tmp/q.json" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 0 ] && ok || bad "quiz.gift exit $rc"
[ "$(grep -c 'not supported, skipped' "$tmp/err")" -eq 6 ] && ok || bad "quiz.gift notes: $(cat "$tmp/err")"
grep -q '^rolefit bank import: tests/fixtures/gift/quiz.gift:28: matching question' "$tmp/err" && ok || bad "matching note"
grep -q '5 items imported, 7 notes' "$tmp/err" && ok || bad "summary: $(tail -1 "$tmp/err")"
"$RF" bank import --from qti tests/fixtures/qti/text_entry.xml >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] && grep -q 'text_entry.xml:9: .*baseType string' "$tmp/err" && grep -q 'nothing imported' "$tmp/err" && ok || bad "text_entry.xml: exit $rc $(cat "$tmp/err")"
"$RF" bank import --from qti tests/fixtures/qti/multiple.xml >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 0 ] && grep -q '"type": "multi"' "$tmp/out" && ok || bad "multiple.xml imports as multiple select: exit $rc $(cat "$tmp/err")"

# 3. malformed input: exit 1, the last stderr line names file:line:column
"$RF" bank import --from qti tests/fixtures/qti/malformed.xml >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q 'malformed.xml:5:14: ' "$tmp/err" && ok || bad "malformed.xml: exit $rc $(cat "$tmp/err")"
"$RF" bank import --from gift tests/fixtures/gift/stray.gift >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "stray.gift:1:15: '}' without an opening '{'" "$tmp/err" && ok || bad "stray.gift: exit $rc $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] && ok || bad "malformed input wrote output"

# 4. usage errors
"$RF" bank import --from csv x >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "expected qti or gift" "$tmp/err" && ok || bad "--from csv: exit $rc"
"$RF" bank import --from gift >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && ok || bad "no files: exit $rc"
"$RF" bank export --to qti >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && ok || bad "export without DIR: exit $rc"
"$RF" bank export --to gift "$tmp/x" --bank tests/fixtures/bank/dup >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] && grep -q 'duplicate id' "$tmp/err" && ok || bad "export of a bad bank: exit $rc"

# 5. the shipped bank, every format: QTI and GIFT each give back every item,
# field for field (issue 14's round-trip target)
same_items() {  # original bank dir, imported file
    python3 - "$1" "$2" <<'PY'
import json, glob, sys
def items(d): return d["items"] if isinstance(d, dict) else d
orig = {}
for f in sorted(glob.glob(sys.argv[1] + "/*.json")):
    for it in items(json.load(open(f))):
        orig[it["id"]] = it
got = {it["id"]: it for it in items(json.load(open(sys.argv[2])))}
kinds = sorted({it.get("type", "mcq") for it in orig.values()})
bad = [i for i in orig if got.get(i) != orig[i]] + [i for i in got if i not in orig]
print(len(orig), "items,", ",".join(kinds), "; differing:", " ".join(bad[:5]) or "none")
sys.exit(1 if bad or len(kinds) < 3 else 0)
PY
}
"$RF" bank export --to qti "$tmp/shipq" --bank data/bank 2>/dev/null &&
    "$RF" bank import --from qti "$tmp/shipq/imsmanifest.xml" --out "$tmp/shipq.json" 2>"$tmp/err" &&
    same_items data/bank "$tmp/shipq.json" >"$tmp/out" && ok || bad "shipped bank through QTI: $(cat "$tmp/out" "$tmp/err" | tail -2)"
"$RF" bank export --to gift "$tmp/shipg" --bank data/bank 2>/dev/null &&
    "$RF" bank import --from gift "$tmp/shipg"/*.gift --out "$tmp/shipg.json" 2>"$tmp/err" &&
    same_items data/bank "$tmp/shipg.json" >"$tmp/out" && ok || bad "shipped bank through GIFT: $(cat "$tmp/out" "$tmp/err" | tail -2)"
grep -q ', 0 notes' "$tmp/err" && ok || bad "GIFT import of the shipped bank has notes: $(cat "$tmp/err")"

echo "bank_exchange: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

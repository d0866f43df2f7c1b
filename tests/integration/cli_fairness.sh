#!/usr/bin/env bash
# `rolefit dif` and `rolefit impact` end to end (docs/fairness.md): a DIF item
# found in generated responses, items hidden below the minimum group size,
# the impact hand example's ratios, small groups with no figure, CSV rows of
# the header's width, and one-line errors naming the file and place.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh

expect "dif help" 0 "usage: rolefit dif" $RF dif --help
expect "impact help" 0 "usage: rolefit impact" $RF impact --help
expect "top help lists both" 0 "impact" $RF --help

# 600 people per group, 12 items; item q.x.001 is 0.6 harder (slope 1.7) for group f;
# 40 people declined (empty gender), 10 have no row in the people table.
python3 - "$TMP" <<'PY' || bad "generating the data"
import math, random, sys
d = sys.argv[1]; rnd = random.Random(7)
items = [(1.7, 0.0)] + [(rnd.uniform(0.8, 2.0), rnd.gauss(0, 1)) for _ in range(11)]
ids = ["q.x.%03d" % (j + 1) for j in range(12)]
with open(d + "/resp.csv", "w") as r, open(d + "/people.csv", "w") as p:
    r.write("person," + ",".join(ids) + "\n")
    p.write("person,gender,theta\n")
    for i in range(1250):
        g = "m" if i < 600 else "f" if i < 1200 else ""
        th = rnd.gauss(0, 1)
        row = []
        for j, (a, b) in enumerate(items):
            bb = b + (0.6 if j == 0 and g == "f" else 0)
            row.append("1" if rnd.random() < 1 / (1 + math.exp(-a * (th - bb))) else "0")
        r.write("p%d," % i + ",".join(row) + "\n")
        if i < 1240:
            p.write("p%d,%s,%.4f\n" % (i, g, th))
PY

$RF dif --responses "$TMP/resp.csv" --people "$TMP/people.csv" --by gender --reference m \
    >"$TMP/dif.json" 2>"$TMP/dif.err" && ok || bad "dif run: $(cat "$TMP/dif.err")"
grep -q "gender 'f' vs 'm': 1 items in class C" "$TMP/dif.err" && ok || bad "dif stderr: $(cat "$TMP/dif.err")"
python3 - "$TMP/dif.json" <<'PY' && ok || bad "dif json: the DIF item is C, against f, the others not"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["by"] == "gender" and d["reference"] == "m" and d["match"] == "total", d
(c,) = d["comparisons"]
assert c["focal"] == "f" and c["summary"]["C"] == 1 and c["summary"]["hidden"] == 0, c["summary"]
first = c["items"][0]
assert first["id"] == "q.x.001" and first["mh"]["class"] == "C" and first["mh"]["d_dif"] < -1.5, first
assert first["n_reference"] == 600 and first["n_focal"] == 600, first
assert first["logistic"]["p_uniform"] < 0.001 and first["logistic"]["converged"], first
assert all(i["mh"]["class"] != "C" for i in c["items"][1:])
PY
$RF dif --responses "$TMP/resp.csv" --people "$TMP/people.csv" --by gender --reference m \
    --match theta --strata 8 >"$TMP/dift.json" 2>/dev/null && ok || bad "dif --match theta"
python3 -c "
import json,sys; c=json.load(open('$TMP/dift.json'))['comparisons'][0]
assert c['items'][0]['mh']['class'] == 'C', c['items'][0]" && ok || bad "theta matching finds the DIF item"

$RF dif --responses "$TMP/resp.csv" --people "$TMP/people.csv" --by gender --reference m \
    --min-group 601 >"$TMP/hid.json" && ok || bad "dif with a high minimum"
python3 - "$TMP/hid.json" <<'PY' && ok || bad "hidden items carry no figure"
import json, sys
c = json.load(open(sys.argv[1]))["comparisons"][0]
assert c["summary"]["hidden"] == 12, c["summary"]
for i in c["items"]:
    assert set(i) == {"id", "shown", "reason"} and i["shown"] is False, i
PY
$RF dif --responses "$TMP/resp.csv" --people "$TMP/people.csv" --by gender --reference m \
    --format csv --no-logistic >"$TMP/dif.csv" 2>/dev/null && ok || bad "dif csv"
python3 - "$TMP/dif.csv" <<'PY' && ok || bad "dif csv rows as wide as the header"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert len(rows) == 13 and all(len(r) == len(rows[0]) == 21 for r in rows), [len(r) for r in rows]
assert rows[1][3] == "q.x.001" and rows[1][12] == "C" and rows[1][20] == "", rows[1]
PY

# Impact: the hand example of docs/fairness.md, plus D (20 people) and E (3 not selected).
{
    echo "person,group,selected,meets_python"
    for g in A:80:48 B:40:12 C:60:30 D:20:19 E:50:47; do
        IFS=: read -r name n s <<<"$g"
        for ((i = 0; i < n; i++)); do
            echo "$name$i,$name,$((i < s ? 1 : 0)),$((i % 2))"
        done
    done
    echo "x1,,1,1"
    echo "x2,A,,"
} >"$TMP/dec.csv"
$RF impact --decisions "$TMP/dec.csv" --by group --decision selected,meets_python \
    >"$TMP/imp.json" 2>"$TMP/imp.err" && ok || bad "impact run: $(cat "$TMP/imp.err")"
grep -q "selected: 1 groups of 'group' below four fifths" "$TMP/imp.err" && ok || bad "impact stderr: $(cat "$TMP/imp.err")"
python3 - "$TMP/imp.json" <<'PY' && ok || bad "impact json: hand ratios, hidden groups"
import json, sys
d = json.load(open(sys.argv[1]))
sel = {g["group"]: g for g in d["decisions"][0]["groups"]}
assert d["decisions"][0]["decision"] == "selected"
assert sel["A"]["highest"] and sel["A"]["ratio"] == 1 and sel["A"]["n"] == 80, sel["A"]
assert sel["B"]["ratio"] == 0.5 and sel["B"]["four_fifths"], sel["B"]
assert abs(sel["C"]["ratio"] - 5 / 6) < 1e-6 and not sel["C"]["four_fifths"], sel["C"]
assert abs(sel["B"]["ratio_ci"][0] - 0.301433) < 1e-6 and abs(sel["B"]["ratio_ci"][1] - 0.829372) < 1e-6
for h in "DE":
    assert set(sel[h]) == {"group", "shown", "reason"}, sel[h]
assert d["decisions"][0]["below_four_fifths"] == 1
PY
$RF impact --decisions "$TMP/dec.csv" --by group --decision selected --format csv >"$TMP/imp.csv" 2>/dev/null &&
    ok || bad "impact csv"
python3 - "$TMP/imp.csv" <<'PY' && ok || bad "impact csv rows"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert len(rows) == 6 and all(len(r) == 17 for r in rows), rows
d = [r for r in rows if r[2] == "D"][0]
assert d[3] == "0" and all(c == "" for c in d[4:16]) and "minimum size" in d[16], d
PY

$RF impact --decisions "$TMP/dec.csv" --by group --decision selected >"$TMP/a.json" 2>/dev/null &&
    $RF impact --decisions "$TMP/dec.csv" --by group --decision selected --out "$TMP/b.json" 2>/dev/null &&
    cmp -s "$TMP/a.json" "$TMP/b.json" && ok || bad "impact --out writes what stdout gets"

# Simulation: the same seed, the same figures.
$RF dif --simulate --replications 20 --json >"$TMP/s1.json" && ok || bad "simulate"
$RF dif --simulate --replications 20 --json >"$TMP/s2.json" && ok || bad "simulate again"
cmp -s "$TMP/s1.json" "$TMP/s2.json" && ok || bad "the same seed gives the same figures"
expect "simulate table" 0 "DIF item" $RF dif --simulate --replications 5 --persons 100

# Errors: one line, naming the file and the place.
printf 'person,group,selected\nz1,A,yes\n' >"$TMP/baddec.csv"
expect_oneline "decision cell" 1 "baddec.csv:2: column 'selected': expected 1, 0 or empty, got 'yes'" \
    $RF impact --decisions "$TMP/baddec.csv" --by group --decision selected
expect_oneline "no such column" 1 "dec.csv: no column 'hired'" \
    $RF impact --decisions "$TMP/dec.csv" --by group --decision hired
expect_oneline "impact without --decision" 2 "give --decisions, --by and --decision" \
    $RF impact --decisions "$TMP/dec.csv" --by group
expect_oneline "bad match" 2 "--match: expected total, rest or theta" \
    $RF dif --responses "$TMP/resp.csv" --people "$TMP/people.csv" --by gender --reference m --match x
expect_oneline "focal is reference" 2 "--focal: 'm' is the reference group" \
    $RF dif --responses "$TMP/resp.csv" --people "$TMP/people.csv" --by gender --reference m --focal m
expect_oneline "unknown group" 1 "nobody is in group 'x' of column 'gender'" \
    $RF dif --responses "$TMP/resp.csv" --people "$TMP/people.csv" --by gender --reference x
sed '3s/,1,/,,/; 3s/,0,/,,/' "$TMP/resp.csv" >"$TMP/miss.csv"
expect_oneline "missing cell with total matching" 1 "miss.csv: person 'p1' has no answer to item" \
    $RF dif --responses "$TMP/miss.csv" --people "$TMP/people.csv" --by gender --reference m
cut -d, -f2- "$TMP/resp.csv" >"$TMP/noperson.csv"
expect_oneline "no person column" 1 "noperson.csv: no 'person' column" \
    $RF dif --responses "$TMP/noperson.csv" --people "$TMP/people.csv" --by gender --reference m
expect_oneline "simulate option alone" 2 "--seed goes with --simulate only" \
    $RF dif --responses "$TMP/resp.csv" --people "$TMP/people.csv" --by gender --reference m --seed 3
finish

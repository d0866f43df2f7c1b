#!/usr/bin/env bash
# The manual pages against the commands (issue 22): `make install DESTDIR=... PREFIX=/usr`
# installs the binary, the pages, the data and the web files; every command of `rolefit
# --help` (and every `bank` subcommand) has its page rolefit[-CMD[-SUB]].1 and no page is
# left without a command; every option of a command's --help (its synopsis and its
# two-space-indented option lines) is an item of the page's OPTIONS section (a page without
# one, `bank`, names it in its SYNOPSIS), and every OPTIONS item appears in --help; each page
# renders through groff and man without a warning; the installed binary, run away from the
# checkout, finds its data and web files; `make uninstall` removes what install put there.
# The pages are installed gzip-compressed with no name or time in the gzip header (the same
# bytes at every install), dated in their .TH line by the last commit (the page's own date
# outside a git checkout) or by SOURCE_DATE_EPOCH when set.
# -h/--help is left out of the comparison: every command takes it.
cd "$(dirname "$0")/../.." || exit 1
source tests/integration/lib.sh
unset MAKEFLAGS MFLAGS MAKELEVEL # a plain make, not a child of the make running the tests
STAGE="$TMP/stage"
MAN="$STAGE/usr/share/man/man1"
PAGES="$TMP/man1" # the installed pages, uncompressed for the checks below

out=$(make --no-print-directory -s install BUILD="${BUILD:-build}" DESTDIR="$STAGE" PREFIX=/usr 2>&1) &&
    ok || bad "make install: $out"
BIN="$STAGE/usr/bin/rolefit"

# Installed compressed, reproducibly, and dated by the last commit.
mkdir -p "$PAGES"
want_date=$(git log -1 --format=%cs 2>/dev/null)
for f in man/*.1; do
    page=$(basename "$f")
    gz="$MAN/$page.gz"
    if [ ! -f "$gz" ] || ! gzip -t "$gz" 2>/dev/null; then
        bad "$page: not installed as $page.gz"; continue
    fi
    zcat "$gz" >"$PAGES/$page"
    # gzip header: bytes 4-7 the time (0: none), byte 3 the flags (8: a file name stored)
    flags=$(od -An -tu1 -j3 -N1 "$gz") mtime=$(od -An -tu4 -j4 -N4 "$gz")
    flags=${flags// /} mtime=${mtime// /}
    [ "$mtime" = 0 ] && [ $((flags & 8)) = 0 ] && ok ||
        bad "$page.gz stores a name or time (flags $flags, mtime $mtime): not reproducible"
    date=$(sed -nE 's/^\.TH [^ ]+ 1 ([0-9-]+) .*/\1/p' "$PAGES/$page")
    [ "$date" = "${want_date:-$(sed -nE 's/^\.TH [^ ]+ 1 ([0-9-]+) .*/\1/p' "$f")}" ] && ok ||
        bad "$page: .TH date '$date', expected the last commit's, ${want_date:-none}"
done
left=$(find "$MAN" -name '*.1' | head -3)
[ -z "$left" ] && ok || bad "uncompressed pages installed:" $left
out=$(SOURCE_DATE_EPOCH=86400 make --no-print-directory -s install BUILD="${BUILD:-build}" \
    DESTDIR="$TMP/stage2" PREFIX=/usr 2>&1) && ok || bad "make install with SOURCE_DATE_EPOCH: $out"
zcat "$TMP/stage2/usr/share/man/man1/rolefit.1.gz" 2>/dev/null | grep -q '^\.TH ROLEFIT 1 1970-01-02 ' &&
    ok || bad "SOURCE_DATE_EPOCH=86400 does not date rolefit.1 1970-01-02"
rm -rf "$TMP/stage2"

# The commands and the pages they need: "serve", ..., "bank lint" -> rolefit-bank-lint.1
cmds=("")
while read -r c; do cmds+=("$c"); done < <($RF --help | sed -nE 's/^  ([a-z]+) .*/\1/p')
while read -r s; do cmds+=("bank $s"); done < <($RF bank --help | sed -nE 's/^ *(usage:)? *rolefit bank ([a-z]+) .*/\2/p')
[ ${#cmds[@]} -ge 14 ] && ok || bad "commands found in --help: ${cmds[*]}"
page_of() { local c=${1// /-}; echo "rolefit${c:+-$c}.1"; }
declare -A wanted
for c in "${cmds[@]}"; do wanted[$(page_of "$c")]=1; done
for f in man/*.1; do
    [ -n "${wanted[$(basename "$f")]:-}" ] && ok || bad "$f: no such command in 'rolefit --help'"
done

# The comparison runs in bash itself: on a loaded machine every extra process costs.
# opts_in TEXT: the --options of TEXT, one per line, --help left out
opts_in() {
    local s=$1 o
    while [[ $s =~ (--[a-z0-9][a-z0-9-]*) ]]; do
        o=${BASH_REMATCH[1]}
        s=${s#*"$o"}
        [ "$o" = --help ] || echo "$o"
    done
}
# help_opts: the options a --help (stdin) defines: its synopsis (up to the first blank
# line) and the lines that begin with two spaces and an option
help_opts() {
    local line syn=1
    while IFS= read -r line; do
        if [ $syn = 1 ]; then
            [ -z "$line" ] && syn=0 || opts_in "$line"
        elif [[ $line =~ ^\ \ (-[^ ]*) ]]; then
            opts_in "${BASH_REMATCH[1]}"
        fi
    done
}
# page_opts PAGE: the tags of the .TP items of its OPTIONS section or, without one, its
# SYNOPSIS, with \- read as -
page_opts() {
    local line want=".SH OPTIONS" on=0 tag=0
    grep -q '^\.SH OPTIONS' "$1" || want=".SH SYNOPSIS"
    while IFS= read -r line; do
        line=${line//\\-/-}
        if [[ $line == .SH* ]]; then
            [ "$line" = "$want" ] && on=1 || on=0
        elif [ $on = 1 ]; then
            if [ "$want" = ".SH SYNOPSIS" ] || [ $tag = 1 ]; then opts_in "$line"; fi
            tag=0
            [[ $line == .TP* ]] && tag=1
        fi
    done <"$1"
}
# missing A B: the words of A not in B
missing() {
    local -A in_b
    local w out=""
    for w in $2; do in_b[$w]=1; done
    for w in $1; do [ -n "${in_b[$w]:-}" ] || out+=" $w"; in_b[$w]=1; done
    echo "$out"
}

for c in "${cmds[@]}"; do
    page=$(page_of "$c")
    f="$PAGES/$page"
    if [ ! -f "$f" ]; then
        bad "rolefit $c: no manual page $page installed"; continue
    fi
    ok
    # shellcheck disable=SC2086 # c is the command's words
    help=$($RF $c --help)
    documented=$(page_opts "$f")
    gone=$(missing "$(help_opts <<<"$help")" "$documented")
    [ -z "$gone" ] && ok || bad "$page lacks what 'rolefit $c --help' has:$gone"
    stale=$(missing "$documented" "$(opts_in "$help")")
    [ -z "$stale" ] && ok || bad "$page documents what 'rolefit $c --help' lacks:$stale"
    grep -q "^\.SH EXIT STATUS" "$f" && ok || bad "$page: no EXIT STATUS section"
done

# Rendering: groff's warnings, then man-db on the file and by name from the installed tree.
if command -v groff >/dev/null && command -v man >/dev/null; then
    # one groff and one man for all the pages (man-db starts a pipeline of processes per
    # page); a warning is then traced to its page
    w=$(groff -man -ww -z "$PAGES"/*.1 2>&1)
    [ -z "$w" ] && ok || bad "groff warns: $w"
    cat "$PAGES"/*.1 >"$TMP/all.1"
    w=$(LANG=C MANWIDTH=80 man --warnings -l "$TMP/all.1" 2>&1 >"$TMP/pages")
    if [ -z "$w" ]; then ok; else
        for f in "$PAGES"/*.1; do
            w=$(LANG=C MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null)
            [ -z "$w" ] || bad "man -l $(basename "$f"): $w"
        done
    fi
    n=$(ls "$PAGES"/*.1 | wc -l)
    [ "$(grep -c '^NAME' "$TMP/pages")" -eq "$n" ] && ok ||
        bad "man -l rendered $(grep -c '^NAME' "$TMP/pages") pages of $n"
    MANPATH="$STAGE/usr/share/man" MANPAGER=cat MANWIDTH=80 man rolefit-serve 2>&1 |
        grep -q -- '--trust-proxy IP' && ok || bad "man rolefit-serve from the installed tree"
else
    echo "note: groff or man missing (scripts/install-deps installs them): rendering not checked"
fi

# The installed binary runs away from the checkout and finds its data and web files.
cd "$TMP" || exit 1
[ "$("$BIN" --version)" = "$(cd "$OLDPWD" && $RF --version)" ] && ok || bad "installed --version"
expect "installed roles" 0 "^ml_engineer " "$BIN" roles
expect "installed roles show" 0 "Machine learning engineer" "$BIN" roles show ml_engineer
expect "installed bank lint" 0 "0 errors" "$BIN" bank lint
expect "installed bank stats" 0 "share/rolefit/data/bank" "$BIN" bank stats
[ ! -e "$TMP/data" ] && ok || bad "a data folder beside the test's working folder"
"$BIN" serve --port 0 --db "$TMP/s.db" --quiet 2>"$TMP/log" &
pid=$!
port=""
for _ in $(seq 50); do
    port=$(sed -nE 's/.*listening on http:\/\/127\.0\.0\.1:([0-9]+).*/\1/p' "$TMP/log")
    [ -n "$port" ] && break
    sleep 0.1
done
if [ -n "$port" ]; then
    page=$(curl -s "http://127.0.0.1:$port/")
    grep -qi '<html' <<<"$page" && ok || bad "installed serve: no web page at /"
    expect "installed serve: roles" 0 '"ml_engineer"' curl -s "http://127.0.0.1:$port/api/roles"
else
    bad "installed serve did not start: $(cat "$TMP/log")"
fi
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
cd "$OLDPWD" || exit 1

out=$(make --no-print-directory -s uninstall DESTDIR="$STAGE" PREFIX=/usr 2>&1) && ok || bad "make uninstall: $out"
left=$(find "$STAGE" -type f | head -5)
[ -z "$left" ] && ok || bad "make uninstall left:" $left
finish

#!/bin/sh
# test_hostile.sh - file names written by others (newlines, tabs, escape
# sequences, C1 and bidi controls, bytes that are not UTF-8, a leading dash)
# are printed safely in every output format, in the indexer's warnings and
# in `stats`: nothing reaches the terminal as a control, no name forges an
# output line, JSON stays valid and its path_bytes open the file.
. "${top_srcdir:-..}/tests/testlib.sh"
CS=${CYBERSEARCH:-../cli/cybersearch}
ESC=$(printf '\033')
# the corpus root's own name is hostile too (stats prints it)
R="$TMP/root$(printf '\033')[7mX"
IDX="$TMP/index"
mkdir -p "$R"
NL='
'
text="A passage about hostileword and cyber norms."
for name in "new${NL}line.txt" "tab$(printf '\t')here.txt" \
    "esc$(printf '\033')[31mred.txt" "bad$(printf '\377\376').txt" "-rf.txt" \
    "bidi$(printf '\342\200\256')txt.md" "csi$(printf '\302\233')2J.txt" "plain.txt"; do
    printf '%s\n' "$text" > "$R/$name"
done
printf 'bin\000ary hostileword\n' > "$R/title$(printf '\033]0;pwned\007').txt"

expect_status "index: one file is not text, exit 1" 1 "$CS" index --corpus "$R" --index "$IDX"
cp "$TMP/err" "$TMP/index.err"
expect_grep "the warning names it, escaped" 'warning: skipping .*root\\x1b\[7mX/title\\x1b\]0;pwned\\x07\.txt: .*it holds NUL bytes' "$TMP/index.err"

# no_controls NAME FILE: FILE holds no C0 control but newline, no DEL, no C1
# control (as UTF-8), no bidi control and no byte that is not UTF-8.
no_controls() {
    if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$2"; then
        fail "$1" "a control byte: $(LC_ALL=C grep -n "$(printf '[\001-\011\013-\037\177]')" "$2" | od -c | head -n 3)"
    elif LC_ALL=C grep -q "$(printf '\302[\200-\237]\|\342\200[\216\217\252-\256]\|\342\201[\246-\251]')" "$2"; then
        fail "$1" "a C1 or bidi control"
    elif ! iconv -f UTF-8 -t UTF-8 "$2" > /dev/null 2>&1; then
        fail "$1" "bytes that are not UTF-8"
    else
        ok "$1"
    fi
}
no_controls "indexer warnings are safe text" "$TMP/index.err"

expect_status "stats" 0 "$CS" stats --index "$IDX"
no_controls "stats is safe text" "$TMP/out"
expect_grep "stats shows the root escaped" 'root\\x1b\[7mX$' "$TMP/out"

for fmt in human vimgrep trec; do
    expect_status "search --format $fmt" 0 "$CS" --index "$IDX" --format "$fmt" --color never --limit 50 hostileword
    cp "$TMP/out" "$TMP/$fmt"
    no_controls "$fmt output is safe text" "$TMP/$fmt"
done
# one line per hit (vimgrep: one per highlight, one highlight each): no name forged a line
lines=$(wc -l < "$TMP/vimgrep")
if [ "$lines" -eq 8 ]; then ok "vimgrep: 8 lines for 8 files"; else fail "vimgrep: 8 lines for 8 files" "$lines lines"; fi
lines=$(wc -l < "$TMP/trec")
if [ "$lines" -eq 8 ]; then ok "trec: 8 lines for 8 files"; else fail "trec: 8 lines for 8 files" "$lines lines"; fi
expect_grep "newline escaped" 'new\\nline\.txt:1:' "$TMP/vimgrep"
expect_grep "tab escaped" 'tab\\there\.txt:1:' "$TMP/vimgrep"
expect_grep "escape sequence escaped" 'esc\\x1b\[31mred\.txt:1:' "$TMP/vimgrep"
expect_grep "invalid UTF-8 escaped" 'bad\\xff\\xfe\.txt:1:' "$TMP/vimgrep"
expect_grep "bidi control escaped" 'bidi\\u202etxt\.md:1:' "$TMP/vimgrep"
expect_grep "C1 CSI escaped" 'csi\\u009b2J\.txt:1:' "$TMP/vimgrep"
expect_grep "trec docids escaped, six columns" '^1 Q0 [^ ]*esc\\x1b\[31mred [0-9]+ [0-9.]+ cybersearch$' "$TMP/trec"
# a leading dash, printed from the corpus root, is not an option to the next command
(cd "$R" && "$CS" --index "$IDX" --format vimgrep --limit 50 hostileword) > "$TMP/here" 2>&1
expect_grep "a leading dash gets ./" '^\./-rf\.txt:1:' "$TMP/here"
expect_no_grep "and never starts a line" '^-' "$TMP/here"

expect_status "search --json" 0 "$CS" --index "$IDX" --json --limit 50 hostileword
cp "$TMP/out" "$TMP/json"
no_controls "json output is safe text" "$TMP/json"
if command -v python3 > /dev/null 2>&1; then
    python3 - "$TMP/json" > "$TMP/py" 2>&1 <<'PY'
import json, os, sys, urllib.parse
opened = bad_bytes = 0
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)                       # every line is valid JSON
    if o["type"] != "hit":
        continue
    root = o["root"].encode("utf-8", "surrogateescape")
    path = o["path"].encode("utf-8", "surrogateescape")
    if "root_bytes" in o:
        root = urllib.parse.unquote_to_bytes(o["root_bytes"])
    if "path_bytes" in o:
        path = urllib.parse.unquote_to_bytes(o["path_bytes"])
        bad_bytes += 1
    opened += os.path.exists(os.path.join(root, path))
print("opened", opened, "path_bytes", bad_bytes)
PY
    expect_grep "json: valid, and every hit's file opens from root and path (_bytes)" '^opened 8 path_bytes 1$' "$TMP/py"
else
    skip "json validity and path_bytes" "python3 is not installed"
fi

finish

#!/bin/sh
# test_limits.sh - resource limits end to end, through the command line:
# files over the size limit, and queries built to exhaust the searcher (a
# 10,000-word query, a wildcard matching every word of the index, 10,000
# nested parentheses, a 1 MB query, NEAR/99999999999, year:0..99999).  Each
# must end within a minute with exit 0 or 1, or with exit 2 and a message
# naming the limit; never a signal (a stack overflow is SIGSEGV) or a hang.
# The 2 GB single-line file and the million files are measured by
# tests/limits-bench.sh (too slow for the suite); figures in
# docs/HARDENING.md.
. "${top_srcdir:-..}/tests/testlib.sh"
CS=${CYBERSEARCH:-../cli/cybersearch}
CORPUS=${CS_TEST_CORPUS:-../corpus}
C="$TMP/c"
IDX="$TMP/index"
mkdir -p "$C"
cp "$CORPUS/seed/"*.txt "$C/"
chmod -R u+w "$C"
# every word of this file starts with "zq": the wildcard zq* matches all
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "zq%d%s", i, (i % 12 == 11 ? "\n" : " ") }' \
    > "$C/zq-words.txt"

# --- files over the size limit ------------------------------------------------------
head -c 3000000 /dev/zero | tr '\0' 'w' > "$C/one-long-line.txt"
expect_status "a file over --max-file-size is skipped" 1 \
    "$CS" index --corpus "$C" --index "$IDX" --max-file-size 1M
expect_grep "with a warning naming its size and the limit" \
    "skipping .*one-long-line\.txt: 3\.0 MB is over the limit of 1\.0 MB a file \(--max-file-size\)" \
    "$TMP/err"
expect_grep "and the run counts it skipped" "1 skipped" "$TMP/err"
expect_status "the other files are searchable" 0 "$CS" --index "$IDX" cyber
expect_status "--max-file-size none indexes it" 0 \
    "$CS" index --index "$IDX" --max-file-size none
expect_status "a bad size is refused" 2 "$CS" index --index "$IDX" --max-file-size 12Q
expect_grep "saying what a size looks like" "needs a size such as 500M or 2G, not '12Q'" "$TMP/err"
rm "$C/one-long-line.txt"
expect_status "the index without it" 0 "$CS" index --index "$IDX"

# --- queries -----------------------------------------------------------------------
# bounded QUERY_FILE NAME: run the query on the file's one line (--batch: a
# 1 MB query is longer than an argument may be); exit 0-2, not a signal,
# not a hang
bounded() {
    timeout -s KILL 60 "$CS" --index "$IDX" --limit 5 --batch "$1" > "$TMP/out" 2> "$TMP/err"
    got=$?
    if [ $got -le 2 ]; then ok "$2 (exit $got)"; else
        fail "$2" "exit $got (137: a hang, 139: a crash); stderr: $(head -c 300 "$TMP/err")"; fi
}
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "word%d ", i; print "cyber" }' > "$TMP/q-words"
bounded "$TMP/q-words" "a 10,000-word query"
expect_grep "is refused as too long" "the query is too long: 88895 bytes, over the limit of 16384" \
    "$TMP/err"
awk 'BEGIN { for (i = 0; i < 2500; i++) printf "w%d ", i; print "cyber" }' > "$TMP/q-terms"
bounded "$TMP/q-terms" "2,500 words in 14 KB"
expect_grep "are refused as too broad" "the query searches too many terms: over 2000" "$TMP/err"
awk 'BEGIN { printf "title:\""; for (i = 0; i < 2500; i++) printf "w%d ", i; print "\" cyber" }' \
    > "$TMP/q-title"
bounded "$TMP/q-title" "2,500 title words in 14 KB"
expect_grep "are refused as too broad too" "the query searches too many terms: over 2000" "$TMP/err"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "norms OR "; print "cyber" }' > "$TMP/q-or"
bounded "$TMP/q-or" "10,000 ORs of one word"
expect_grep "is refused as too long" "the query is too long: 90005 bytes, over the limit of 16384" \
    "$TMP/err"
awk 'BEGIN { for (i = 0; i < 1800; i++) printf "norms OR "; print "cyber" }' > "$TMP/q-or-some"
bounded "$TMP/q-or-some" "1,800 ORs of one word in 16 KB"
if [ "$got" -eq 0 ]; then ok "are searched"; else fail "are searched" "exit $got"; fi
expect_grep "finding the word" "\*\*norms\*\*" "$TMP/out"
echo 'zq*' > "$TMP/q-wild"
bounded "$TMP/q-wild" "a wildcard matching every word of a file"
expect_grep "is refused as too broad" "wildcard 'zq\*' matches too many words" "$TMP/err"
echo 'zq1999*' > "$TMP/q-wild-some"
bounded "$TMP/q-wild-some" "a wildcard matching 11 words"
expect_grep "finds them" "zq-words\.txt" "$TMP/out"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "("; printf "cyber"; for (i = 0; i < 10000; i++) printf ")"; print "" }' \
    > "$TMP/q-nested"
bounded "$TMP/q-nested" "10,000 nested parentheses"
expect_grep "are refused as too long" "the query is too long" "$TMP/err"
awk 'BEGIN { for (i = 0; i < 5000; i++) printf "("; printf "cyber"; for (i = 0; i < 5000; i++) printf ")"; print "" }' \
    > "$TMP/q-nested-5000"
bounded "$TMP/q-nested-5000" "5,000 nested parentheses in 10 KB"
expect_grep "are refused as too deeply nested" "too deeply nested" "$TMP/err"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "-"; print "cyber" }' > "$TMP/q-signs"
bounded "$TMP/q-signs" "10,000 minus signs"
awk 'BEGIN { for (i = 0; i < 1048576 / 8; i++) printf "sovereig"; print "" }' > "$TMP/q-1mb"
bounded "$TMP/q-1mb" "a 1 MB query of one word"
expect_grep "is refused as too long" "the query is too long: 1048576 bytes" "$TMP/err"
awk 'BEGIN { for (i = 0; i < 1048576 / 6; i++) printf "norms "; print "" }' > "$TMP/q-1mb-words"
bounded "$TMP/q-1mb-words" "a 1 MB query of 174,762 words"
expect_grep "is refused as too long" "the query is too long" "$TMP/err"
echo 'cyber NEAR/99999999999 norms' > "$TMP/q-near"
bounded "$TMP/q-near" "NEAR/99999999999"
expect_grep "is refused: over the NEAR limit" "is over 1000" "$TMP/err"
echo 'cyber year:0..99999' > "$TMP/q-year"
bounded "$TMP/q-year" "year:0..99999"
expect_grep "is refused, saying what a year range looks like" \
    "bad year value '0..99999': use YYYY, YYYY..YYYY" "$TMP/err"
echo '"cyber security cooperation' > "$TMP/q-quote"
bounded "$TMP/q-quote" "an unbalanced quote"

finish

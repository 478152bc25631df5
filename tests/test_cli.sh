#!/bin/sh
# test_cli.sh - the cybersearch command end to end on the bundled corpus:
# output formats, exit statuses, error messages, and citations checked
# against the bytes of the source files.
. "${top_srcdir:-..}/tests/testlib.sh"
. "${top_srcdir:-..}/tests/listenlib.sh"
CS=${CYBERSEARCH:-../cli/cybersearch}
CORPUS=${CS_TEST_CORPUS:-../corpus}
IDX="$TMP/index"

# --- indexing ---------------------------------------------------------------
# every file the walk sees is indexed or skipped with a reason: the corpus
# has only text (README included)
# every file but hidden ones and the metadata sidecar is a document
files=$(cd "$CORPUS" && find . -type f ! -path '*/.*' ! -name 'cybersearch-metadata.*' | wc -l)
expect_status "index builds" 0 "$CS" index --corpus "$CORPUS" --index "$IDX"
expect_grep "index prints a summary" "^.*: $files files added, 0 changed, 0 removed, 0 unchanged, 0 skipped; [0-9]+ passages.*; indexed by format: $files text$" "$TMP/err"
expect_status "reindex is incremental" 0 "$CS" index --index "$IDX"
expect_grep "nothing re-read" "0 files added, 0 changed, 0 removed, $files unchanged, 0 skipped; 0 passages, 0.0 MB" "$TMP/err"
expect_status "stats" 0 "$CS" stats --index "$IDX"
expect_grep "stats lists passages" '^passages: +[0-9]+' "$TMP/out"
expect_grep "stats lists the language" '^language: +english' "$TMP/out"
expect_status "missing corpus fails" 2 "$CS" index --corpus "$TMP/nope" --index "$TMP/i2"
expect_grep "missing corpus is named" 'nope' "$TMP/err"
expect_status "unknown language fails" 2 "$CS" index --corpus "$CORPUS" --index "$TMP/i3" --language klingon
expect_grep "languages are listed" 'english' "$TMP/err"

# --- default search -----------------------------------------------------------
expect_status "consensus report" 0 "$CS" --index "$IDX" --color=never "consensus report"
head -n 1 "$TMP/out" > "$TMP/first"
expect_grep "seed passage first" '^1\. .*seed/russia-us-cyber-diplomacy-excerpts\.txt:13:1 ' "$TMP/first"
expect_grep "matches marked" '\*\*consensus\*\* \*\*report\*\*' "$TMP/out"
NO_COLOR=1 "$CS" --index "$IDX" --color=always "consensus report" > "$TMP/color"
expect_grep "--color=always colours" "$(printf '\033')\\[1;31mconsensus" "$TMP/color"

# --- JSON: every highlight range holds exactly the highlighted bytes --------------
expect_status "json" 0 "$CS" search --index "$IDX" --json "consensus report"
cp "$TMP/out" "$TMP/json"
expect_grep "json has a summary" '"type":"summary".*"elapsed_us":' "$TMP/json"
bad=0
checked=0
grep '"type":"hit"' "$TMP/json" | head -n 5 > "$TMP/hits"
while IFS= read -r line; do
    path=$(printf '%s' "$line" | sed -n 's/.*"path":"\([^"]*\)".*/\1/p')
    root=$(printf '%s' "$line" | sed -n 's/.*"root":"\([^"]*\)".*/\1/p')
    printf '%s' "$line" | grep -o '{"start":[0-9]*,"end":[0-9]*,"line":[0-9]*,"col":[0-9]*,"text":"[^"]*"}' > "$TMP/hl"
    while IFS= read -r h; do
        start=$(printf '%s' "$h" | sed 's/.*"start":\([0-9]*\).*/\1/')
        end=$(printf '%s' "$h" | sed 's/.*"end":\([0-9]*\).*/\1/')
        text=$(printf '%s' "$h" | sed 's/.*"text":"\([^"]*\)".*/\1/')
        bytes=$(tail -c +"$((start + 1))" "$root/$path" | head -c "$((end - start))")
        checked=$((checked + 1))
        [ "$bytes" = "$text" ] || { bad=$((bad + 1)); echo "     $path [$start,$end) is '$bytes', highlighted '$text'"; }
    done < "$TMP/hl"
done < "$TMP/hits"
[ "$checked" -gt 3 ] && [ "$bad" -eq 0 ] && ok "json highlight ranges hold the highlighted bytes ($checked)" ||
    fail "json highlight ranges hold the highlighted bytes" "$bad of $checked differ"

# --- documents: each hit names its format and cites in its own units -------------
DOCS="${top_srcdir:-..}/documents"
DIDX="$TMP/docs-index"
# several writer threads: the PDF worker is spawned with exec (a fork without
# one could inherit a lock of the sanitizers' allocator and hang under ASan)
expect_status "documents index" 0 "$CS" index --corpus "$DOCS" --index "$DIDX" --threads 3
expect_grep "documents counted per format" 'indexed by format: 1 pdf, 1 html, 1 text$' "$TMP/err"
expect_status "a PDF hit" 0 "$CS" --index "$DIDX" --color=never '"water utilities"'
expect_grep "a PDF hit cites page and line" '^1\. .*sample-verbatim-record\.pdf  page 1 line 11  score' "$TMP/out"
expect_status "no PDF helper: the PDF is skipped" 1 \
    env CYBERSEARCH_EXTRACT=/nonexistent/cybersearch-extract "$CS" index --corpus "$DOCS" --index "$TMP/nohelper"
expect_grep "saying which helper is missing" 'skipping .*sample-verbatim-record\.pdf: cannot run the pdf extractor /nonexistent/cybersearch-extract: No such file' "$TMP/err"
expect_status "an HTML hit" 0 "$CS" --index "$DIDX" --color=never '"global cyber-security cooperation portal"'
expect_grep "an HTML hit cites line:col, section and anchor" \
    'sample-statement\.html:33:4  bytes [0-9]+-[0-9]+  § Statement by the delegation of Norland > Capacity building > A global portal  #portal' "$TMP/out"
expect_status "json locators" 0 "$CS" --index "$DIDX" --json '"water utilities"'
expect_grep "json names the format and page" '"format":"pdf","locator":\{"page":1,"line":11\}' "$TMP/out"
expect_grep "json gives each PDF highlight its box" '"text":"water","page":1,"box":\[[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+\]' "$TMP/out"
expect_status "vimgrep locators" 0 "$CS" --index "$DIDX" --format vimgrep '"water utilities"'
expect_grep "vimgrep names the page" 'sample-verbatim-record\.pdf:12:1:\[pdf page 1 line 12\] ' "$TMP/out"
expect_status "json html locator" 0 "$CS" --index "$DIDX" --json 'ransomware hospitals'
expect_grep "json names the section and anchor" '"format":"html","locator":\{"section":"Statement by the delegation of Norland > Existing and potential threats","anchor":"threats"\}' "$TMP/out"

# --- the issue's example queries -------------------------------------------------
expect_status "phrase NOT word" 0 "$CS" --index "$IDX" --color=never '"Open-ended Working Group" NOT Russia'
expect_no_grep "NOT excludes" '\*\*[Rr]ussia' "$TMP/out"
expect_status "prefix and year range" 0 "$CS" --index "$IDX" --format vimgrep 'cyber* AND year:2019..2024'
expect_no_grep "years outside the range are filtered" '_(19[0-9][0-9]|200[0-9]|201[0-8])\.txt:' "$TMP/out"
expect_grep "vimgrep is path:line:col:text" '(^|/)corpus/ungdc/Session [0-9]+ - 20(19|2[0-4])/[A-Z]+_[0-9]+_20[0-9]+\.txt:[0-9]+:[0-9]+:' "$TMP/out"
expect_status "NEAR" 0 "$CS" --index "$IDX" --color=never 'OEWG NEAR/5 GGE'
expect_grep "NEAR highlights both" '\*\*(OEWG|GGE)\*\*' "$TMP/out"

# --- formats and options ---------------------------------------------------------
expect_status "trec" 0 "$CS" --index "$IDX" --format trec --qid 7 --limit 5 cyber
expect_grep "trec line" '^7 Q0 [^ ]+ 1 [0-9.]+ cybersearch$' "$TMP/out"
expect_grep "trec docid blanks become _" '^7 Q0 ungdc/Session_[0-9]+_-_[0-9]+/' "$TMP/out"
expect_no_grep "trec docid has no extension" '\.txt ' "$TMP/out"
printf 'q1\tconsensus report\nq2\tcyber norms\n' > "$TMP/batch"
expect_status "batch" 0 "$CS" --index "$IDX" --format trec --batch "$TMP/batch"
expect_grep "batch answers q1" '^q1 Q0 ' "$TMP/out"
expect_grep "batch answers q2" '^q2 Q0 ' "$TMP/out"
expect_status "limit" 0 "$CS" --index "$IDX" --format trec --limit 3 --per-file 0 cyber
[ "$(wc -l < "$TMP/out")" -eq 3 ] && ok "limit 3 gives 3 lines" || fail "limit 3 gives 3 lines"
"$CS" --index "$IDX" --format trec --limit 4 --per-file 0 cyber > "$TMP/four"
expect_status "offset" 0 "$CS" --index "$IDX" --format trec --limit 2 --offset 2 --per-file 0 cyber
[ "$(cut -d' ' -f3 "$TMP/out")" = "$(sed -n '3,4p' "$TMP/four" | cut -d' ' -f3)" ] &&
    ok "offset continues the ranking" || fail "offset continues the ranking"
expect_status "relaxed search" 0 "$CS" --index "$IDX" --color=never 'consensus qqzzxxy'
expect_grep "relaxed is announced" 'best partial matches' "$TMP/out"
expect_grep "missing word is named" 'missing: qqzzxxy' "$TMP/out"

printf 'p1\tWhat (is "information science? AND OR\n' > "$TMP/plain"
expect_status "plain batch tolerates syntax" 0 "$CS" --index "$IDX" --any --plain --format trec --batch "$TMP/plain"
expect_grep "plain query answered" '^p1 Q0 ' "$TMP/out"

# --- exit statuses and errors ---------------------------------------------------------
expect_status "no match exits 1" 1 "$CS" --index "$IDX" 'qqzzxxy'
expect_status "bad query exits 2" 2 "$CS" --index "$IDX" 'consensus AND'
expect_grep "bad query has a caret" '^  +\^$' "$TMP/err"
expect_status "unbalanced quote exits 2" 2 "$CS" --index "$IDX" '"open ended'
expect_status "missing index exits 2" 2 "$CS" --index "$TMP/none" consensus
expect_grep "missing index says how to build" 'cybersearch index' "$TMP/err"
expect_status "bad option exits 2" 2 "$CS" --index "$IDX" --limit x consensus
expect_status "no query exits 2" 2 "$CS" search --index "$IDX"
expect_status "help" 0 "$CS" --help
expect_status "version" 0 "$CS" --version
expect_grep "version printed" '^cybersearch [0-9]+\.[0-9]+\.[0-9]+$' "$TMP/out"

# --- corpus text cannot drive the terminal -------------------------------------------
mkdir -p "$TMP/evil"
printf 'An escape \033]0;pwned\007 and \033[31mred\033[0m sequence near the word zebrafish.\n' > "$TMP/evil/e.txt"
printf 'zebrafish in a file whose name holds an escape\n' > "$TMP/evil/$(printf 'name\033[2Jx').txt"
"$CS" index --corpus "$TMP/evil" --index "$TMP/evil-idx" 2>/dev/null
expect_status "escape sequences" 0 "$CS" --index "$TMP/evil-idx" --color=never zebrafish
if LC_ALL=C grep -q "$(printf '\033')" "$TMP/out"; then fail "no escape reaches the terminal"; else ok "no escape reaches the terminal"; fi
expect_grep "both files found, the escape escaped" 'name\\x1b\[2Jx\.txt' "$TMP/out"

# --- the remote backend: the same search through xapian-tcpsrv on loopback ---------------
if listen_tcpsrv "remote search" "$IDX"; then
    expect_status "remote search" 0 "$CS" --index "tcp://127.0.0.1:$listen_port" --color=never \
        "consensus report"
    expect_grep "remote gives the same first hit" '^1\. .*seed/russia-us-cyber-diplomacy-excerpts\.txt:13:1 ' "$TMP/out"
fi
expect_status "unreachable remote exits 2" 2 "$CS" --index "tcp://127.0.0.1:1" consensus

# --- counts, limits and the explanation ---------------------------------------------
expect_status "the count ends the human output" 0 "$CS" --index "$IDX" --color=never '"rule of law"'
expect_grep "an exact phrase count" '^[0-9,]+ passages? in [0-9,]+ files?$' "$TMP/out"
expect_status "--limit 0 prints the count only" 0 "$CS" --index "$IDX" --limit 0 '"rule of law"'
expect_grep "only the count" '^[0-9,]+ passages? in [0-9,]+ files?$' "$TMP/out"
[ "$(wc -l < "$TMP/out")" -eq 1 ] && ok "--limit 0 prints one line" || fail "--limit 0 prints one line" "$(cat "$TMP/out")"
expect_status "--count is exact" 0 "$CS" --index "$IDX" --count --limit 0 'security'
expect_no_grep "no 'about' with --count" 'about' "$TMP/out"
expect_status "--explain" 0 "$CS" --index "$IDX" --explain --limit 0 'negotiating states NOT "security council"'
expect_grep "explain shows stems and the exclusion" '^query: negoti AND \(?state[|A-Z]*\)? NOT "secur[|A-Z()]* council[|A-Z()]*"' "$TMP/err"
expect_no_grep "explain shows no Xapian internals" 'Query\(|@' "$TMP/err"
# "united" has the acronym form UNITED in the bundled corpus: a phrase
# scales each form, and the score's parts show the factors short
expect_status "--explain a phrase of forms" 0 "$CS" --index "$IDX" --explain --limit 1 '"united nations"'
expect_grep "explain shows a form's scale" '[0-9] x unit OR [0-9.]+ x UNITED' "$TMP/err"
expect_no_grep "explain shows scales to four digits" '[0-9]{5}|\* ' "$TMP/err"
expect_status "NEAR/0 is refused" 2 "$CS" --index "$IDX" 'a NEAR/0 b'
expect_grep "NEAR/0 says why" 'NEAR/0 can never match' "$TMP/err"
expect_status "a leading wildcard is refused" 2 "$CS" --index "$IDX" '*security'
expect_grep "leading wildcard says why" 'leading wildcards are not supported' "$TMP/err"
long=$(head -c 20000 /dev/zero | tr '\0' 'x')
expect_status "a query over 16 KiB is refused" 2 "$CS" --index "$IDX" "$long"
expect_grep "the length is named" 'too long: 20000 bytes' "$TMP/err"
[ "$(wc -c < "$TMP/err")" -lt 400 ] && ok "a long query is not echoed whole" || fail "a long query is not echoed whole"
expect_status "US finds the acronym" 0 "$CS" --index "$IDX" --color=never --limit 50 'US'
expect_no_grep "never the pronoun" '\*\*us\*\*' "$TMP/out"

finish

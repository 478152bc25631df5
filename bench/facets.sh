#!/bin/sh
# bench/facets.sh - exact facet counts: `cybersearch --facet year|country`
# beside SQLite FTS5's SELECT year, count(*) ... WHERE docs MATCH ? GROUP BY
# year on the same passages; the figures into bench/FACETS.md.
#
#   bench/facets.sh [--quick] [--reps N] [--no-results]
#
#   --quick          a deterministic 10% of the corpus (as run.sh --quick)
#   --reps N         runs of each query (default 7; medians are reported)
#   --no-results     leave bench/FACETS.md alone (the report stays in
#                    bench/work/facets-MODE/report.md)
#
# Both engines count every matching passage; cybersearch also counts files
# and looks up each value's words.  The indexes are built once per mode and
# kept in bench/work/facets-MODE/ (delete it to rebuild).
set -eu
prog=facets.sh
command_line="bench/facets.sh${*:+ $*}"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

mode=full reps=7 write_results=1
while [ $# -gt 0 ]; do
    case $1 in
        --quick) mode=quick ;;
        --reps)
            reps=$(positive "$@")
            shift ;;
        --no-results) write_results=0 ;;
        -h|--help) sed -n '4,14s/^# \{0,1\}//p' "$bench_dir/facets.sh"; exit 0 ;;
        *) die "unknown argument '$1'" ;;
    esac
    shift
done
need awk sed sort pkg-config
bench_lock
ensure_build
select_corpus
out=$work/facets-$mode
mkdir -p "$out"
# shellcheck disable=SC2046
$CC -std=c11 -O2 -g -Wall -Wextra "$bench_dir/fts5-facets.c" -o "$bin/fts5-facets" -lsqlite3 ||
    die "cannot build fts5-facets"

# an index of another schema (an older build) is built again
if [ -d "$out/cs-index" ] && ! "$cs" stats --index "$out/cs-index" >/dev/null 2>&1; then
    note "the kept index is unreadable by this build (another schema?): rebuilding it"
    rm -rf "$out/cs-index"
fi
if [ ! -d "$out/cs-index" ]; then
    note "indexing $corpus with cybersearch"
    "$cs" index --corpus "$corpus" --index "$out/cs-index" -q || [ $? -eq 1 ] ||
        die "cybersearch index failed"
fi
if [ ! -f "$out/fts5.db" ]; then
    note "exporting passages and indexing them with FTS5"
    "$bin/export-passages" "$corpus" "$out/passages.bin" 2>"$out/export.log" ||
        die "export-passages failed"
    "$bin/fts5-facets" index "$out/fts5.db.tmp" "$out/passages.bin"
    mv "$out/fts5.db.tmp" "$out/fts5.db"
    rm -f "$out/passages.bin"
fi

# label, cybersearch query, FTS5 query (same meaning; FTS5 syntax)
cat > "$out/queries.tsv" <<'Q'
frequent word	nations	nations
phrase	"united nations"	"united nations"
boolean	cyber OR internet	cyber OR internet
rare word	sovereignty	sovereignty
Q

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

rows=""
tab=$(printf '\t')
while IFS="$tab" read -r label csq ftsq; do
    for field in year country; do
        note "$label ($csq), --facet $field"
        : > "$out/batch"
        i=0
        while [ $i -lt "$reps" ]; do printf '%s\n' "$csq" >> "$out/batch"; i=$((i + 1)); done
        "$cs" --index "$out/cs-index" --limit 0 --json --facet "$field" --batch "$out/batch" \
            > "$out/cs.jsonl" || die "cybersearch failed on '$csq'"
        cs_us=$(sed -n 's/.*"type":"summary".*"elapsed_us":\([0-9]*\).*/\1/p' "$out/cs.jsonl" | median)
        cs_passages=$(sed -n 's/.*"type":"facet".*"field":"'"$field"'","passages":\([0-9]*\),"files":\([0-9]*\).*/\1/p' \
            "$out/cs.jsonl" | head -n 1)
        cs_files=$(sed -n 's/.*"type":"facet".*"field":"'"$field"'","passages":\([0-9]*\),"files":\([0-9]*\).*/\2/p' \
            "$out/cs.jsonl" | head -n 1)
        cs_values=$(grep '"type":"facet"' "$out/cs.jsonl" | head -n 1 | grep -o '"value":' | wc -l)
        "$bin/fts5-facets" count "$out/fts5.db" "$field" "$reps" "$ftsq" > "$out/fts.txt" ||
            die "fts5-facets failed on '$ftsq'"
        fts_us=$(sed -n '1s/^median_us=\([0-9]*\) .*/\1/p' "$out/fts.txt")
        fts_passages=$(sed -n '1s/.* passages=\([0-9]*\)$/\1/p' "$out/fts.txt")
        fts_values=$(sed -n '1s/.* rows=\([0-9]*\) .*/\1/p' "$out/fts.txt")
        ratio=$(awk -v a="$cs_us" -v b="$fts_us" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
        rows="$rows| $label | \`$csq\` | $field | $cs_passages | $cs_files | $cs_values | $(awk -v u="$cs_us" 'BEGIN { printf "%.2f", u / 1000 }') | $fts_passages | $fts_values | $(awk -v u="$fts_us" 'BEGIN { printf "%.2f", u / 1000 }') | $ratio |
"
    done
done < "$out/queries.tsv"

"$cs" stats --index "$out/cs-index" > "$out/stats.txt"
files=$(sed -n 's/^files: *//p' "$out/stats.txt")
passages=$(sed -n 's/^passages: *//p' "$out/stats.txt")
built=$(sed -n 's/^last run: .* read in \([0-9.]*\) s$/\1/p' "$out/stats.txt")
size=$(du -sb "$out/cs-index" | awk '{ printf "%.1f", $1 / 1e6 }')
{
    echo "## $mode corpus ($(date -u +%Y-%m-%d))"
    echo
    echo "- Command: \`$command_line\`; $reps runs of each query, medians."
    echo "- Corpus: \`$(basename "$corpus")\`: $files files, $passages passages; the cybersearch"
    echo "  index: $size MB, last built or updated in $built s (by the run that made it)."
    echo "- Machine: $(nproc) cores, $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
    echo "- cybersearch: \`cybersearch --limit 0 --json --facet FIELD --batch\` (the summary's"
    echo "  in-process elapsed_us: parsing, the match, the counts of passages and files per"
    echo "  value; the words per value only come with --per-million); FTS5: \`SELECT FIELD, count(*) FROM docs"
    echo "  WHERE docs MATCH ? GROUP BY FIELD\` (bench/fts5-facets.c, porter tokenizer)."
    echo "  Passage counts differ a little where the stemmers do (Snowball english vs porter)."
    echo
    echo "| query | cybersearch | field | passages | files | values | ms | FTS5 passages | values | FTS5 ms | ratio |"
    echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s' "$rows"
    echo
    echo "ratio = cybersearch ms ÷ FTS5 ms (below 1: cybersearch is faster)."
} > "$out/report.md"
cat "$out/report.md"
if [ "$write_results" -eq 1 ]; then
    results=$bench_dir/FACETS.md
    [ -f "$results" ] || printf '# Facet counts: cybersearch beside SQLite FTS5\n\nWritten by bench/facets.sh; each mode'"'"'s section is replaced by its next run.\n\n' > "$results"
    awk -v mode="$mode" -v report="$out/report.md" '
        /^## / { skip = index($0, "## " mode " corpus") == 1 }
        !skip { print }
        END { while ((getline line < report) > 0) print line }' "$results" > "$results.new"
    mv "$results.new" "$results"
    note "results in $results"
fi

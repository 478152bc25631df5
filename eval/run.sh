#!/bin/bash
# Usage: [CYBERSEARCH=path/to/cybersearch] [IR_DATA=dir] eval/run.sh [COLLECTION...]
#
# Ranking-quality evaluation: for each test collection (a name under IR_DATA,
# default /work/shared/data/ir, or a path to a folder with corpus/,
# queries.tsv and qrels.txt; default: every collection under IR_DATA), index
# and query it with the peers (peers/xapian-raw, peers/fts5-peer) and, when
# CYBERSEARCH names the built CLI, with cybersearch; score every run with
# eval/trec-score; print a Markdown table and write it to eval/RESULTS.md.
# Scratch files go to eval/work/ (git-ignored).
set -eu

eval_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$eval_dir")
data=${IR_DATA:-/work/shared/data/ir}
work=$eval_dir/work
results=$eval_dir/RESULTS.md
notes_marker='<!-- Notes below this line are written by hand and kept when run.sh rewrites this file. -->'
limit=1000   # documents per query: the MAP cutoff trec_eval users expect

# The exact command, for RESULTS.md.
command_line=""
[ -n "${CYBERSEARCH:-}" ] && command_line="CYBERSEARCH=$(printf '%q' "$CYBERSEARCH") "
[ -n "${IR_DATA:-}" ] && command_line="${command_line}IR_DATA=$(printf '%q' "$IR_DATA") "
command_line="${command_line}eval/run.sh"
[ $# -eq 0 ] || command_line="$command_line$(printf ' %q' "$@")"

# A bare name is looked up in PATH; a relative path is taken from here.
if [ -n "${CYBERSEARCH:-}" ]; then
    case $CYBERSEARCH in
        */*) ;;
        *) CYBERSEARCH=$(command -v "$CYBERSEARCH" || echo "$CYBERSEARCH") ;;
    esac
fi

if [ $# -eq 0 ]; then
    for dir in "$data"/*/; do
        [ -f "$dir/qrels.txt" ] && set -- "$@" "$(basename "$dir")"
    done
    if [ $# -eq 0 ]; then
        echo "$0: no collections (folders with qrels.txt) under $data" >&2
        exit 2
    fi
fi

make -s -C "$repo/peers"
make -s -C "$eval_dir"
xapian_raw=$repo/peers/xapian-raw
fts5_peer=$repo/peers/fts5-peer
trec_score=$eval_dir/trec-score
mkdir -p "$work"

now() { date +%s.%N; }
elapsed() { awk -v start="$1" -v end="$2" 'BEGIN { printf "%.2f", end - start }'; }

# measure FILE NAME: the "all" value of NAME in trec-score output FILE
measure() { awk -F'\t' -v name="$2" '$1 == name && $2 == "all" { print $3 }' "$1"; }

table_rows=""      # Markdown rows of the results table
notes=""           # Markdown bullet lines for problems found on the way
engine_commands="" # the commands run, one Markdown bullet each
scored_runs=""     # "collection engine scorefile" lines, for the reference comparison

note() { notes="$notes- $*"$'\n'; }

# check_run COLLECTION ENGINE RUNFILE SCOREFILE IDSFILE: notes docids that
# are not corpus ids and judged queries the run left out.
check_run() {
    local stray missing
    stray=$(awk 'NR == FNR { id[$1] = 1; next } NF && !($3 in id) { n++ } END { print n + 0 }' "$5" "$3")
    [ "$stray" -eq 0 ] || note "$1/$2: $stray retrieved docids are not corpus ids (expected the file path relative to corpus/ without .txt)."
    missing=$(measure "$4" num_missing)
    [ "$missing" -eq 0 ] || note "$1/$2: $missing judged queries have no results; they score 0 in the means."
}

# add_row COLLECTION ENGINE SCOREFILE INDEX_SECONDS QUERY_SECONDS
add_row() {
    table_rows="$table_rows| $1 | $2 | $(measure "$3" ndcg_cut_10) | $(measure "$3" map) | $(measure "$3" P_10) | $(measure "$3" recall_100) | $4 | $5 |"$'\n'
    scored_runs="$scored_runs$1 $2 $3"$'\n'
}

# run_peer COLLECTION ENGINE BINARY DB INPUT QUERIES QRELS IDS
run_peer() {
    local collection=$1 engine=$2 binary=$3 db=$4 input=$5 queries=$6 qrels=$7 ids=$8
    local run=$work/$collection/$engine.run score=$work/$collection/$engine.score t0 t1 t2
    rm -rf "$db"
    t0=$(now)
    "$binary" index "$db" "$input" >"$work/$collection/$engine.index.log"
    t1=$(now)
    "$binary" search "$db" --trec "$engine" --limit "$limit" "$queries" >"$run" \
        2>"$work/$collection/$engine.search.log"
    t2=$(now)
    "$trec_score" "$qrels" "$run" >"$score"
    check_run "$collection" "$engine" "$run" "$score" "$ids"
    add_row "$collection" "$engine" "$score" "$(elapsed "$t0" "$t1")" "$(elapsed "$t1" "$t2")"
}

# run_cybersearch COLLECTION CORPUS QUERIES QRELS IDS [ENGINE OPTION...]: never
# fails the script; problems become notes.  Without ENGINE it builds the
# index and runs the default ranking as "cybersearch"; with one it searches
# that index again with the extra search OPTIONs, as ENGINE.
run_cybersearch() {
    local collection=$1 corpus=$2 queries=$3 qrels=$4 ids=$5 engine=${6:-cybersearch}
    shift 5
    [ $# -eq 0 ] || shift
    local index=$work/$collection/cs-index run=$work/$collection/$engine.run
    local score=$work/$collection/$engine.score log=$work/$collection/$engine
    local t0 t1 t2 status index_s=-
    if [ "$engine" = cybersearch ]; then
        rm -rf "$index"
        t0=$(now)
        if ! "$CYBERSEARCH" index --corpus "$corpus" --index "$index" >"$log.index.log" 2>&1; then
            note "$collection/cybersearch: index failed: $(tail -n 3 "$log.index.log" | tr '\n' ' ' | cut -c 1-300) (log: eval/work/$collection/cybersearch.index.log)"
            return 0
        fi
        index_s=$(elapsed "$t0" "$(now)")
    elif [ ! -d "$index" ]; then
        return 0   # the default run noted why there is no index
    fi
    t1=$(now)
    # Exit status 1 means "nothing matched" (grep's convention), not failure.
    status=0
    "$CYBERSEARCH" search --index "$index" --any --plain --format trec --limit "$limit" \
        "$@" --batch "$queries" >"$run" 2>"$log.search.log" || status=$?
    if [ "$status" -gt 1 ]; then
        note "$collection/$engine: search failed (exit $status): $(tail -n 3 "$log.search.log" | tr '\n' ' ' | cut -c 1-300) (log: eval/work/$collection/$engine.search.log)"
        return 0
    fi
    t2=$(now)
    if ! "$trec_score" "$qrels" "$run" >"$score" 2>"$log.score.log"; then
        note "$collection/$engine: output is not a valid TREC run: $(cat "$log.score.log")"
        return 0
    fi
    check_run "$collection" "$engine" "$run" "$score" "$ids"
    add_row "$collection" "$engine" "$score" "$index_s" "$(elapsed "$t1" "$t2")"
}

for collection_arg in "$@"; do
    if [ -d "$collection_arg" ]; then
        collection_dir=$(cd "$collection_arg" && pwd)
    else
        collection_dir=$data/$collection_arg
    fi
    collection=$(basename "$collection_dir")
    corpus=$collection_dir/corpus
    queries=$collection_dir/queries.tsv
    qrels=$collection_dir/qrels.txt
    for needed in "$corpus" "$queries" "$qrels"; do
        if [ ! -e "$needed" ]; then
            echo "$0: $collection_arg: missing $needed" >&2
            exit 2
        fi
    done
    echo "== $collection" >&2
    mkdir -p "$work/$collection"
    input=$work/$collection/input.nul
    ids=$work/$collection/ids.txt
    "$eval_dir/make-peer-input.sh" "$corpus" "$input"
    (cd "$corpus" && find . -type f -name '*.txt' -printf '%P\n' | sed 's/\.txt$//') >"$ids"

    run_peer "$collection" xapian-raw "$xapian_raw" "$work/$collection/xapian-raw.db" \
        "$input" "$queries" "$qrels" "$ids"
    run_peer "$collection" fts5 "$fts5_peer" "$work/$collection/fts5.sqlite" \
        "$input" "$queries" "$qrels" "$ids"
    if [ -z "${CYBERSEARCH:-}" ]; then
        :
    elif [ ! -x "$CYBERSEARCH" ]; then
        note "$collection/cybersearch: CYBERSEARCH=$CYBERSEARCH is not an executable file."
    else
        run_cybersearch "$collection" "$corpus" "$queries" "$qrels" "$ids"
        # the thorough ranking: feedback and file evidence (searcher/rank.h)
        run_cybersearch "$collection" "$corpus" "$queries" "$qrels" "$ids" \
            cybersearch-deep --expand --file-evidence
    fi
done

[ -n "${CYBERSEARCH:-}" ] ||
    note "cybersearch not run: set CYBERSEARCH to the built cybersearch CLI (e.g. CYBERSEARCH=cli/cybersearch eval/run.sh)."

engine_commands="- input: \`eval/make-peer-input.sh COLL/corpus WORK/input.nul\` (not timed)
- xapian-raw: \`peers/xapian-raw index DB WORK/input.nul\`; \`peers/xapian-raw search DB --trec xapian-raw --limit $limit COLL/queries.tsv\`
- fts5: \`peers/fts5-peer index DB WORK/input.nul\`; \`peers/fts5-peer search DB --trec fts5 --limit $limit COLL/queries.tsv\`
- cybersearch: \`\$CYBERSEARCH index --corpus COLL/corpus --index WORK/cs-index\`; \`\$CYBERSEARCH search --index WORK/cs-index --any --plain --format trec --limit $limit --batch COLL/queries.tsv\`
- cybersearch-deep: the same index and search with \`--expand --file-evidence\`
- scoring: \`eval/trec-score COLL/qrels.txt RUN\` (trec_eval definitions, see eval/README.md)"

# Reference figures: the nDCG@10 / MAP table in the data README, read at run
# time.  Its columns are matched to engines by name (Xapian -> xapian-raw,
# FTS5 -> fts5).
reference_rows=""
if [ -f "$data/README.md" ]; then
    while read -r collection engine score_file; do
        [ -n "$collection" ] || continue
        case $engine in
            xapian-raw) pattern=Xapian ;;
            fts5) pattern=FTS5 ;;
            *) continue ;;
        esac
        reference=$(awk -F'|' -v pattern="$pattern" -v coll="$collection" '
            /^\|/ && index($0, pattern) && !header { for (i = 2; i < NF; i++) if (index($i, pattern)) column = i; header = 1; next }
            header && /^\|/ { name = $2; gsub(/ /, "", name); if (name == coll && column) { print $column; exit } }
            header && !/^\|/ { header = 0 }' "$data/README.md")
        ref_ndcg=$(echo "$reference" | awk -F/ '{ gsub(/ /, ""); print $1 }')
        ref_map=$(echo "$reference" | awk -F/ '{ gsub(/ /, ""); print $2 }')
        if [ -z "$ref_ndcg" ] || [ -z "$ref_map" ]; then continue; fi
        reference_rows="$reference_rows$(awk -v c="$collection" -v e="$engine" \
            -v n="$(measure "$score_file" ndcg_cut_10)" -v m="$(measure "$score_file" map)" \
            -v rn="$ref_ndcg" -v rm="$ref_map" 'BEGIN {
                # The README gives 3 decimals: equal after rounding is a match.
                dn = sprintf("%.3f", n) - rn; dm = sprintf("%.3f", m) - rm
                verdict = (dn == 0 && dm == 0) ? "same" : sprintf("differs (%+.3f / %+.3f)", dn, dm)
                printf "| %s | %s | %.3f / %.3f | %s / %s | %s |\n", c, e, n, m, rn, rm, verdict }')"$'\n'
    done <<<"$scored_runs"
fi

header="| collection | engine | nDCG@10 | MAP | P@10 | R@100 | index s | query s |
| --- | --- | --- | --- | --- | --- | --- | --- |"
echo
echo "$header"
printf '%s' "$table_rows"
[ -z "$notes" ] || printf '\n%s' "$notes"

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
memory=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
cybersearch_version="not run"
if [ -n "${CYBERSEARCH:-}" ] && [ -x "$CYBERSEARCH" ]; then
    cybersearch_version=$("$CYBERSEARCH" --version 2>/dev/null | head -n 1 || true)
    [ -n "$cybersearch_version" ] || cybersearch_version="$CYBERSEARCH (no --version output)"
fi
kept_notes=""
if [ -f "$results" ] && grep -qF -- "$notes_marker" "$results"; then
    kept_notes=$(awk -v marker="$notes_marker" 'kept { print } $0 == marker { kept = 1 }' "$results")
fi

{
    echo "# Ranking quality: cybersearch and its peers"
    echo
    echo "Written by \`eval/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); rerun it to refresh."
    echo "Means over all judged queries (trec_eval definitions; see eval/README.md);"
    echo "\"index s\" and \"query s\" are wall-clock seconds of the whole index and batch-search"
    echo "commands, process start-up included, $limit results per query, no snippets."
    echo
    echo "$header"
    printf '%s' "$table_rows"
    [ -z "$notes" ] || printf '\n%s' "$notes"
    echo
    echo "## Peers against the data README's figures"
    echo
    if [ -n "$reference_rows" ]; then
        echo "nDCG@10 / MAP measured here vs the table in \`$data/README.md\`:"
        echo
        echo "| collection | engine | here | README | |"
        echo "| --- | --- | --- | --- | --- |"
        printf '%s' "$reference_rows"
    else
        echo "No reference figures found in \`$data/README.md\`."
    fi
    echo
    echo "## Setup"
    echo
    if [ "$PWD" = "$repo" ]; then where="the repository root"; else where="\`$PWD\`"; fi
    echo "- command: \`$command_line\` (run from $where)"
    echo "- data: \`$data\`"
    echo "- machine: $(nproc) CPUs ($cpu), $memory RAM, $(uname -sr)"
    echo "- peers: $("$xapian_raw" --version); $("$fts5_peer" --version); built with $(cc --version | head -n 1) and $(g++ --version | head -n 1)"
    echo "- cybersearch: $cybersearch_version"
    echo
    echo "Per collection (COLL = the collection folder, WORK = eval/work/COLL, DB = an index in WORK):"
    echo
    echo "$engine_commands"
    echo
    echo "$notes_marker"
    [ -z "$kept_notes" ] || echo "$kept_notes"
} >"$results.new"
mv "$results.new" "$results"
echo >&2
echo "wrote ${results#"$repo"/}" >&2

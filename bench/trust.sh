#!/bin/sh
# bench/trust.sh - the costs of trustworthy hits on the whole UN corpus:
# how the time of a search grows with --limit (it must grow linearly), and
# the worst queries the limits allow (their time and peak memory).
#
#   bench/trust.sh [--reps N]
#
# Builds cybersearch in bench/work/build and an index of the whole corpus
# in bench/work/trust-index (once); prints a Markdown section (medians of N
# runs, default 5) and leaves it in bench/work/trust.md.
set -eu
prog=trust.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

reps=5
while [ $# -gt 0 ]; do
    case $1 in
        --reps) [ $# -ge 2 ] || die "--reps needs a number"; reps=$2; shift ;;
        -h|--help) sed -n '4,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown argument '$1'" ;;
    esac
    shift
done
need awk sort /usr/bin/time
mode=full
select_corpus
ensure_build
index=$work/trust-index
if ! "$cs" stats --index "$index" >/dev/null 2>&1; then
    note "indexing $corpus into $index"
    "$cs" index --corpus "$corpus" --index "$index" --rebuild >/dev/null
fi
out=$work/trust.md
scratch=$work/trust-scratch
mkdir -p "$scratch"

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# run NAME ARGS...: $reps runs under /usr/bin/time; prints "wall_ms rss_mb status"
run() {
    name=$1
    shift
    : > "$scratch/$name.wall"
    : > "$scratch/$name.rss"
    status=0
    i=0
    while [ $i -lt "$reps" ]; do
        start=$(date +%s%N)
        /usr/bin/time -f '%M' -o "$scratch/$name.time" "$cs" --index "$index" "$@" \
            >/dev/null 2>"$scratch/$name.err" || status=$?
        end=$(date +%s%N)
        echo "$(( (end - start) / 1000 ))" | awk '{ printf "%.1f\n", $1 / 1000 }' >> "$scratch/$name.wall"
        awk '{ printf "%.1f\n", $1 / 1024 }' "$scratch/$name.time" >> "$scratch/$name.rss"
        i=$((i + 1))
    done
    printf '%s %s %s\n' "$(median < "$scratch/$name.wall")" "$(median < "$scratch/$name.rss")" "$status"
}

words() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "%sw%d", i ? " " : "", i }'; }

{
    echo "### Trustworthy hits: cost of --limit and the worst queries"
    echo
    echo "\`bench/trust.sh --reps $reps\` on the whole UN corpus ($(find -L "$corpus" -type f | wc -l) files), $(date -u +%Y-%m-%d); whole processes, medians of $reps runs."
    echo
    echo "| query | options | hits | wall ms | peak RSS MB | exit |"
    echo "| --- | --- | --- | --- | --- | --- |"
    for limit in 10 100 1000 10000 40000; do
        set -- $(run "limit$limit" --format json --limit "$limit" security)
        "$cs" --index "$index" --format json --limit "$limit" security > "$scratch/hits.json" 2>/dev/null || true
        hits=$(grep -c '"type":"hit"' "$scratch/hits.json" || true)
        echo "| security | --json --limit $limit | $hits | $1 | $2 | $3 |"
    done
    for limit in 10 1000 10000; do
        set -- $(run "phrase$limit" --format json --limit "$limit" '"international community"')
        echo "| \"international community\" | --json --limit $limit | | $1 | $2 | $3 |"
    done
    set -- $(run count --count --limit 0 nations)
    echo "| nations | --count --limit 0 | | $1 | $2 | $3 |"
    # filters alone: every passage ties at weight 0, ordered by path
    for filters in 'year:2020' 'year:1946..2024' 'NOT cyber'; do
        set -- $(run "filters$(echo "$filters" | tr -c 'a-z0-9' _)" --limit 10 "$filters")
        echo "| $filters | --limit 10 | | $1 | $2 | $3 |"
    done
    words 1999 > "$scratch/q2000"
    set -- $(run terms2000 --plain --limit 10 "$(cat "$scratch/q2000")")
    echo "| 1,999 different words (the limit is 2,000 terms) | --plain | | $1 | $2 | $3 |"
    words 2001 > "$scratch/q2001"
    set -- $(run terms2001 --plain --limit 10 "$(cat "$scratch/q2001")")
    echo "| 2,001 different words (refused) | --plain | | $1 | $2 | $3 |"
    awk 'BEGIN { for (i = 0; i < 1260; i++) printf "peacekeeping " }' > "$scratch/q16k"
    set -- $(run bytes16k --plain --limit 10 "$(cat "$scratch/q16k")")
    echo "| 'peacekeeping ' 1,260 times (16,380 bytes) | --plain | | $1 | $2 | $3 |"
    awk 'BEGIN { for (i = 0; i < 2100; i++) printf "nations " }' > "$scratch/q17k"
    set -- $(run bytes17k --plain --limit 10 "$(cat "$scratch/q17k")")
    echo "| 'nations ' 2,100 times (16,800 bytes: refused) | --plain | | $1 | $2 | $3 |"
    set -- $(run wildcard --limit 10 'co*')
    echo "| co* (over 1,000 stems: refused) | | | $1 | $2 | $3 |"
    set -- $(run wildcard2 --limit 10 'cyb*')
    echo "| cyb* | | | $1 | $2 | $3 |"
    nest=$(awk 'BEGIN { for (i = 0; i < 100; i++) printf "("; printf "peace"; for (i = 0; i < 100; i++) printf ")" }')
    set -- $(run nest100 --limit 10 "$nest")
    echo "| peace in 100 parentheses (the nesting limit) | | | $1 | $2 | $3 |"
} > "$out"
cat "$out"

#!/bin/sh
# bench/facets-ab.sh - the facet counts of two or more builds side by side,
# each on its own index (an older schema's build on the index it made):
# interleaved rounds of `cybersearch --limit 0 --json --facet FIELD --batch`,
# medians of the summaries' in-process elapsed_us, as a Markdown table.
#
#   bench/facets-ab.sh [--reps N] [--rounds R] [--field F]... NAME=BUILD:INDEX... -- QUERY...
#
#   NAME=BUILD:INDEX  BUILD is a build folder (its cli/.libs/cybersearch and
#                     lib/.libs), INDEX the index it searches; NAME heads its column
#   --reps N          runs of each query in one process (default 9)
#   --rounds R        processes per build and query, taking turns (default 5)
#   --field F         the facet to count (repeatable; default year, then country)
#
# Taking turns spreads the machine's changing load over every build alike.
set -eu
prog=facets-ab.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
quote_command_line "$@"

reps=9 rounds=5 fields="" names="" n=0
while [ $# -gt 0 ]; do
    case $1 in
        --reps) reps=$(positive "$@"); shift ;;
        --rounds) rounds=$(positive "$@"); shift ;;
        --field) [ $# -ge 2 ] || die "--field needs a field"; fields="$fields $2"; shift ;;
        --) shift; break ;;
        -h|--help) sed -n '4,14s/^# \{0,1\}//p' "$bench_dir/facets-ab.sh"; exit 0 ;;
        *=*:*) ab_build_arg "$1" " ms" ;;
        *) die "unknown argument '$1' (NAME=BUILD:INDEX, then -- and the queries)" ;;
    esac
    shift
done
[ "$n" -ge 1 ] || die "name at least one NAME=BUILD:INDEX"
[ $# -ge 1 ] || die "no queries (give them after --)"
fields=${fields:-year country}
need awk sed sort
bench_lock
tmp=$work/facets-ab.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

run() {  # build number, field: the elapsed_us of one process's runs
    b="" x=""
    eval "b=\$build_$1 x=\$index_$1"
    LD_LIBRARY_PATH=$b/lib/.libs "$b/cli/.libs/cybersearch" --index "$x" --limit 0 --json \
        --facet "$2" --batch "$tmp/batch" > "$tmp/out" || die "$b failed on '$q'"
    sed -n 's/.*"type":"summary".*"elapsed_us":\([0-9]*\).*/\1/p' "$tmp/out"
}

dashes=$(echo "$names" | sed 's/| [^|]*/| ---: /g; s/ $//')
echo "| query | field$names |"
echo "| --- | ---$dashes |"
for q in "$@"; do
    : > "$tmp/batch"
    i=0
    while [ $i -lt "$reps" ]; do printf '%s\n' "$q" >> "$tmp/batch"; i=$((i + 1)); done
    for field in $fields; do
        k=1
        while [ $k -le "$n" ]; do : > "$tmp/us.$k"; k=$((k + 1)); done
        r=0
        while [ $r -lt "$rounds" ]; do
            k=1
            while [ $k -le "$n" ]; do run $k "$field" >> "$tmp/us.$k"; k=$((k + 1)); done
            r=$((r + 1))
        done
        row="| \`$q\` | $field"
        k=1
        while [ $k -le "$n" ]; do
            row="$row | $(median < "$tmp/us.$k" | awk '{ printf "%.2f", $1 / 1000 }')"
            k=$((k + 1))
        done
        echo "$row |"
    done
done
echo
echo "\`$command_line\`: $rounds processes × $reps runs per build, query and field,"
echo "medians; $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."

#!/bin/sh
# bench/queries-ab.sh - bench/queries.tsv on two or more builds side by
# side, each on its own index (or all on one): interleaved rounds of the
# query set as bench/run.sh runs it (`--json --limit 10 --batch`, the
# natural-language queries with `--any --plain`), the in-process
# elapsed_us of each query's median over the rounds, then p50 and p99 per
# query type, as a Markdown table; the hit counts must agree.
#
#   bench/queries-ab.sh [--rounds R] NAME=BUILD:INDEX...
#
#   NAME=BUILD:INDEX  BUILD is a build folder (its cli/.libs/cybersearch and
#                     lib/.libs), INDEX the index it searches; NAME heads its columns
#   --rounds R        processes per build and batch, taking turns (default 11)
#
# Taking turns spreads the machine's changing load over every build alike.
set -eu
prog=queries-ab.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
quote_command_line "$@"

rounds=11 names="" n=0
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) rounds=$(positive "$@"); shift ;;
        -h|--help) sed -n '4,15s/^# \{0,1\}//p' "$bench_dir/queries-ab.sh"; exit 0 ;;
        *=*:*) ab_build_arg "$1" ;;
        *) die "unknown argument '$1' (NAME=BUILD:INDEX)" ;;
    esac
    shift
done
[ "$n" -ge 1 ] || die "name at least one NAME=BUILD:INDEX"
need awk sed sort paste
bench_lock
out=$work/queries-ab.$$
mkdir -p "$out"
trap 'rm -rf "$out"' EXIT

awk -F'\t' -v out="$out" '/^[ \t]*(#|$)/ { next }
    { print $1 "\t" $2 > (out "/types.tsv")
      print $1 "\t" $3 > (out "/q-" ($2 == "natural" ? "any" : "default") ".tsv") }' \
    "$bench_dir/queries.tsv"

batch() {  # build number, query file, options: qid<TAB>us<TAB>hits
    k=$1 qfile=$2 b="" x=""
    shift 2
    eval "b=\$build_$k x=\$index_$k"
    cut -f2 "$qfile" > "$out/batch"
    LD_LIBRARY_PATH=$b/lib/.libs "$b/cli/.libs/cybersearch" --index "$x" --json --limit 10 \
        "$@" --batch "$out/batch" > "$out/answers" || die "$b failed on $qfile"
    sed -n '/^{"type":"summary",/s/.*"hits":\([0-9]*\),.*"elapsed_us":\([0-9.]*\)}$/\2\t\1/p' \
        "$out/answers" > "$out/answers.sum"
    [ "$(wc -l < "$out/answers.sum")" -eq "$(wc -l < "$qfile")" ] ||
        die "$b answered $(wc -l < "$out/answers.sum") of the $(wc -l < "$qfile") queries of $qfile"
    cut -f1 "$qfile" | paste - "$out/answers.sum"
}

r=1
while [ $r -le "$rounds" ]; do
    k=1
    while [ $k -le "$n" ]; do
        {
            batch $k "$out/q-default.tsv"
            batch $k "$out/q-any.tsv" --any --plain
        } > "$out/lat-$k-$r.tsv"
        k=$((k + 1))
    done
    r=$((r + 1))
done

k=1
while [ $k -le "$n" ]; do
    query_medians "$k" > "$out/median-$k.tsv" || die "the latency files of build $k are incomplete"
    percentiles < "$out/median-$k.tsv" > "$out/pct-$k.tsv"
    cut -f1,4 "$out/median-$k.tsv" > "$out/hits-$k"
    cmp -s "$out/hits-1" "$out/hits-$k" ||
        note "build $k's hit counts differ from build 1's: $(diff "$out/hits-1" "$out/hits-$k" | sed -n 2p)"
    k=$((k + 1))
done

head=$(echo "$names" | sed 's/| \([^|]*\)/| \1 p50 ms | \1 p99 ms /g; s/  *$//')
dashes=$(echo "$head" | sed 's/| [^|]*/| ---: /g; s/ $//')
echo "| type | n$head |"
echo "| --- | ---:$dashes |"
cut -f1,2 "$out/pct-1.tsv" | while IFS="$(printf '\t')" read -r type count; do
    row="| $type | $count"
    k=1
    while [ $k -le "$n" ]; do
        row="$row $(awk -F'\t' -v t="$type" '$1 == t { printf "| %.3f | %.3f", $3 / 1000, $5 / 1000 }' "$out/pct-$k.tsv")"
        k=$((k + 1))
    done
    echo "$row |"
done
echo
echo "\`$command_line\`: $rounds processes per build and batch, taking turns; each query's"
echo "median in-process elapsed_us, nearest-rank percentiles over a type's queries;"
echo "$(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."

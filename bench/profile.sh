#!/bin/sh
# bench/profile.sh - where cybersearch spends its time: perf profiles of a
# full index build and of the benchmark's query set.
#
#   bench/profile.sh [--full] [--freq HZ] [--reps N]
#
#   --full      the whole corpus (default: the quick 10%); the query
#               profile then uses the full run's index if there is one
#   --freq HZ   sampling frequency (default 299)
#   --reps N    times the query set is run under perf (default 5)
#
# Call graphs are unwound with DWARF (--call-graph dwarf): the -O2 builds of
# cybersearch and of libxapian keep no frame pointers, so `perf record -g`
# loses every caller below a Xapian frame.  libxapian has no symbols on
# Debian, so its own functions show as addresses: read them through their
# callers in the inclusive (children) view.  Output in
# bench/work/profile-MODE/: index.perf and search.perf (for `perf report
# -i`), and *-self.txt / *-children.txt summaries, printed too.
set -eu
prog=profile.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

mode=quick freq=299 reps=5
while [ $# -gt 0 ]; do
    case $1 in
        --full) mode=full ;;
        --freq) freq=$(positive "$@"); shift ;;
        --reps) reps=$(positive "$@"); shift ;;
        -h|--help) sed -n '4,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
done
need perf awk sed
bench_lock

select_corpus
ensure_build
out=$work/profile-$mode
rm -rf "$out"
mkdir -p "$out"

# the summaries: self time by symbol, and inclusive time of cybersearch's
# own functions (and of everything above 2%)
summarize() {
    data=$1 name=$2
    perf report -i "$data" --no-children --sort dso,symbol --percent-limit 0.8 --stdio -g none \
        2>/dev/null | grep -E '^ +[0-9]' | sed 's/  */ /g; s/ - - *$//' | cut -c1-160 \
        >"$out/$name-self.txt"
    perf report -i "$data" --children --sort dso,symbol --percent-limit 2 --stdio -g none \
        2>/dev/null | grep -E '^ +[0-9]' | sed 's/  */ /g; s/ - - *$//' | cut -c1-160 \
        >"$out/$name-children.txt"
    echo "== $name: self time (top 20)"
    head -20 "$out/$name-self.txt"
    echo "== $name: inclusive time (top 40 above 2%)"
    head -40 "$out/$name-children.txt"
}

note "profiling the index build of $corpus"
perf record -q -F "$freq" --call-graph dwarf,16384 -o "$out/index.perf" -- \
    "$cs" index --corpus "$corpus" --index "$out/index" >"$out/index.log" 2>&1 ||
    { cat "$out/index.log" >&2; die "the profiled index build failed"; }

index=$out/index
[ "$mode" = full ] && [ -f "$work/run-full/meta.sh" ] && index=$work/run-full/cs-index
awk -F'\t' '$2 != "natural" && NF == 3 { print $1 "\t" $3 }' "$bench_dir/queries.tsv" >"$out/q-default.tsv"
awk -F'\t' '$2 == "natural" && NF == 3 { print $1 "\t" $3 }' "$bench_dir/queries.tsv" >"$out/q-any.tsv"
note "profiling the query set ($reps×) on $index"
# shellcheck disable=SC2016 # the inner script expands its own arguments
perf record -q -F "$freq" --call-graph dwarf,16384 -o "$out/search.perf" -- sh -c '
    cs=$1 index=$2 out=$3 reps=$4 i=0
    while [ $i -lt "$reps" ]; do
        "$cs" search --index "$index" --json --limit 10 --batch "$out/q-default.tsv" >/dev/null
        "$cs" search --index "$index" --json --limit 10 --any --plain --batch "$out/q-any.tsv" >/dev/null
        i=$((i + 1))
    done' sh "$cs" "$index" "$out" "$reps" >"$out/search.log" 2>&1 ||
    { cat "$out/search.log" >&2; die "the profiled query batch failed"; }

summarize "$out/index.perf" index
summarize "$out/search.perf" search
note "perf data and summaries in $out"

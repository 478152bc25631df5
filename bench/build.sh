#!/bin/sh
# bench/build.sh - the full index build of every engine, each storing the
# passages' text or none, with the index's size table by table.
#
#   bench/build.sh [--quick] [--reps N] [--engines "cs xr xr0 fts fts0"]
#
#   --quick     the deterministic 10% of the corpus (default: all of it)
#   --reps N    builds of each engine, interleaved (default 3)
#   --engines   which builds, in this order in each repetition:
#                 cs    cybersearch (`cybersearch index`, text stored)
#                 xr    xapian-raw, text stored as document data
#                 xr0   xapian-raw --no-text
#                 fts   fts5-peer, text stored once (external content)
#                 fts0  fts5-peer --contentless
#
# Every build runs under `nice -n 10` and /usr/bin/time -v (wall, CPU =
# user + sys, peak RSS); size = `du -sb`.  The report (medians, min-max of
# the wall time, the table sizes of the last build of each Xapian index,
# the settings of each engine) goes to bench/work/build-MODE/BUILD.md and
# stdout; paste it into bench/RESULTS.md by hand.
set -eu
prog=build.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

mode=full reps=3 engines="cs xr xr0 fts fts0"
while [ $# -gt 0 ]; do
    case $1 in
        --quick) mode=quick ;;
        --reps)
            reps=$(positive "$@")
            shift ;;
        --engines)
            [ $# -ge 2 ] || die "$1 needs a list"
            for e in $2; do
                case $e in cs|xr|xr0|fts|fts0) ;; *) die "unknown engine '$e'" ;; esac
            done
            engines=$2
            shift ;;
        -h|--help) sed -n '4,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
done
need awk sort du nice /usr/bin/time
bench_lock
select_corpus
ensure_build
out=$work/build-$mode
rm -rf "$out"
mkdir -p "$out"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

note "exporting the passages of $corpus"
passages=$out/passages.bin
timed "$out/export" 0 "$bin/export-passages" "$corpus" "$passages" >/dev/null

# build ENGINE REP: one timed build into $out/ENGINE, a line of build.tsv
build() {
    e=$1 r=$2 db=$out/$1
    rm -rf "$db" "$db.uncompacted"
    case $e in
        cs) set -- "$cs" index --corpus "$corpus" --index "$db" ;;
        xr) set -- "$xapian_raw" index "$db" "$passages" ;;
        xr0) set -- "$xapian_raw" index --no-text "$db" "$passages" ;;
        fts) set -- "$fts5_peer" index "$db" "$passages" ;;
        fts0) set -- "$fts5_peer" index --contentless "$db" "$passages" ;;
    esac
    note "build $r/$reps: $e"
    m=$(timed "$out/build-$e-$r" 0 nice -n 10 "$@")
    echo "$e $r $m $(du -sb "$db" | cut -f1)" >>"$out/build.tsv"
}

: >"$out/build.tsv"
r=1
while [ "$r" -le "$reps" ]; do
    for e in $engines; do
        build "$e" "$r"
    done
    r=$((r + 1))
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# column N of build.tsv for engine E: its median
med() {
    awk -v e="$1" -v c="$2" '$1 == e { print $c }' "$out/build.tsv" | median
}

# the *.glass files of a Xapian index, MB each, summed over its shards (a
# cybersearch index keeps them in version and shard folders below a stub)
tables() {
    for t in postlist position termlist docdata record; do
        bytes=$(find "$1" -name "$t.glass" -exec stat -c %s {} + | awk '{ s += $1 } END { print s + 0 }')
        [ "$bytes" -gt 0 ] && printf ' %s %.1f |' "$t" "${bytes}e-6" || printf ' %s - |' "$t"
    done
}

{
    echo "Run: \`bench/build.sh$([ "$mode" = quick ] && echo ' --quick') --reps $reps --engines \"$engines\"\`, finished $(date -u '+%Y-%m-%d %H:%M UTC'); load average $load_start at the start, $load_end at the end."
    echo
    echo "Corpus \`$corpus\`: $(find -L "$corpus" -name '*.txt' | wc -l) files, $(du -sbL "$corpus" | cut -f1) bytes; passages file $(stat -c %s "$passages") bytes."
    echo
    echo "| engine | wall s | CPU s | peak RSS MB | size MB | wall s, range |"
    echo "| --- | ---: | ---: | ---: | ---: | --- |"
    for e in $engines; do
        printf '| %s | %.2f | %.2f | %d | %.1f | %s |\n' "$e" "$(med "$e" 3)" "$(med "$e" 4)" \
            "$(($(med "$e" 5 | cut -d. -f1) / 1024))" "$(med "$e" 6)e-6" \
            "$(awk -v e="$e" '$1 == e { print $3 }' "$out/build.tsv" | range)"
    done
    echo
    for e in cs xr xr0; do
        [ -d "$out/$e" ] && echo "- \`$e\` tables (MB):$(tables "$out/$e")"
    done
    echo
    echo "Each engine's last log line:"
    for e in $engines; do
        echo "- $e: \`$(tail -1 "$out/build-$e-$reps.out" 2>/dev/null || true)$(tail -1 "$out/build-$e-$reps.err" | cut -c1-160)\`"
    done
} | tee "$out/BUILD.md"

#!/bin/sh
# bench/startup.sh - what a one-query process pays before it searches: the
# start-up of the libraries it loads, timed on empty programs that link
# each set of them, beside `cybersearch --version`, a cold one-query
# cybersearch process and a cold one-query FTS5 process.
#
#   bench/startup.sh [--rounds N] [--runs N]
#
#   --rounds N   rounds, each timing every command in turn (default 5)
#   --runs N     runs of each command in a round, after 10 warm-ups
#                (default 200)
#
# Each figure is the median over the rounds of each round's median wall
# time (hyperfine -N: no shell), so that a slow spell of this shared
# machine moves one round, not the result.  The cold queries need the
# indexes of the last full run (bench/run.sh, in bench/work/run-full/);
# without them only the programs are timed.  Prints a Markdown table, with
# each process's minor page faults (GNU time's %R), which do not drift
# with the machine's speed as the times do.
set -eu
prog=startup.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

rounds=5 runs=200
while [ $# -gt 0 ]; do
    case $1 in
        --rounds)
            rounds=$(positive "$@")
            shift ;;
        --runs)
            runs=$(positive "$@")
            shift ;;
        -h|--help) sed -n '7,11s/^# \{0,1\}//p' "$bench_dir/startup.sh"; exit 0 ;;
        *) die "unknown argument '$1'" ;;
    esac
    shift
done
need hyperfine awk /usr/bin/time
bench_lock
ensure_build
out=$work/startup
mkdir -p "$out"
rm -f "$out"/round-*.csv "$out"/round-*.log

# name<TAB>libraries: an empty program linked with them, needed or not
cat >"$out/programs.tsv" <<'EOF'
libc	
+ sqlite3 (what the FTS5 peer loads)	-lsqlite3
+ stdc++	-lstdc++
+ xapian (and its stdc++, z, uuid)	-lxapian
+ xapian, stemmer	-lxapian -lstemmer
+ xapian, stemmer, utf8proc, json-c, gumbo (cybersearch's)	-lxapian -lstemmer -lutf8proc -ljson-c -lgumbo
EOF
echo 'int main(void) { return 0; }' >"$out/empty.c"
: >"$out/commands.tsv"
i=0
while IFS='	' read -r name libs; do
    i=$((i + 1))
    # shellcheck disable=SC2086
    $CC -O2 "$out/empty.c" -o "$out/empty-$i" -Wl,--no-as-needed $libs ||
        die "cannot link an empty program with '$libs'"
    printf '%s\t%s\n' "empty program, $name" "$out/empty-$i" >>"$out/commands.tsv"
done <"$out/programs.tsv"
printf '%s\t%s\n' "cybersearch --version" "$cs --version" >>"$out/commands.tsv"
full=$work/run-full
if [ -d "$full/cs-index" ] && [ -f "$full/fts.db" ] && [ -f "$full/q-cold-fts.tsv" ]; then
    printf '%s\t%s\n' "cybersearch \"consensus report\" (cold process)" \
        "$cs --index $full/cs-index 'consensus report'" >>"$out/commands.tsv"
    printf '%s\t%s\n' "FTS5 peer, the same query (cold process)" \
        "$fts5_peer search $full/fts.db --match --limit 10 --snippets $full/q-cold-fts.tsv" \
        >>"$out/commands.tsv"
else
    note "no indexes in $full (run bench/run.sh): timing the programs only"
fi

r=0
while [ $r -lt "$rounds" ]; do
    r=$((r + 1))
    note "round $r of $rounds"
    set --
    while IFS='	' read -r _ cmd; do set -- "$@" "$cmd"; done <"$out/commands.tsv"
    hyperfine -N -w 10 -r "$runs" --style none --export-csv "$out/round-$r.csv" "$@" \
        >"$out/round-$r.log" 2>&1 || { tail -5 "$out/round-$r.log" >&2; die "hyperfine failed"; }
done

# command,mean,stddev,median,user,system,min,max: the rounds' medians, per command
echo "| process | median ms | rounds' medians, ms | page faults |"
echo "| --- | ---: | --- | ---: |"
n=0
while IFS='	' read -r name cmd; do
    n=$((n + 1))
    # minor page faults of one more run (a page first touched, or copied
    # on write by the loader's relocations): the same from run to run
    faults=$(eval "/usr/bin/time -f %R -o \"\$out/faults.txt\" $cmd" </dev/null >/dev/null 2>&1 &&
        tail -n 1 "$out/faults.txt")
    r=0
    while [ $r -lt "$rounds" ]; do
        r=$((r + 1))
        f=$out/round-$r.csv
        awk -F, -v row=$((n + 1)) 'NR == row { printf "%.2f\n", $4 * 1000 }' "$f"
    done >"$out/medians-$n.txt"
    printf '| %s | %s | %s | %s |\n' "$name" "$(median <"$out/medians-$n.txt" | awk '{ printf "%.2f", $1 }')" \
        "$(paste -sd' ' "$out/medians-$n.txt")" "$faults"
done <"$out/commands.tsv"

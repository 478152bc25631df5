#!/bin/sh
# bench/shards.sh - what shards cost and buy on the UN corpus: full index
# time with one shard and with --shards 2 (both cores either way), and
# query latency (top 10 with snippets, bench/queries.tsv) for one index,
# 3 local shards and 3 shards served by xapian-tcpsrv on loopback.
#
#   bench/shards.sh [CORPUS]     (default: bench/work/ungdc, see lib.sh)
#
# Uses the cybersearch of build/ (./quickstart); writes its indexes under
# $TMPDIR and prints a Markdown section for bench/SHARDS.md.  Latency is
# the engine's own elapsed_us per query (--batch: no process start),
# median of 3 runs of the set, then p50/p99 over the 220 queries.
set -eu
prog=shards.sh
. "$(dirname "$0")/lib.sh"
need xapian-tcpsrv python3 setsid /usr/bin/time
CS=$top/build/cli/cybersearch
[ -x "$CS" ] || die "build cybersearch first (./quickstart)"
if [ $# -ge 1 ]; then corpus=$1; else ensure_corpus; corpus=$corpus_full; fi
files=$(find -L "$corpus" -type f | wc -l)
out=$(mktemp -d "${TMPDIR:-/tmp}/cs-shards-bench.XXXXXX")
servers=""
cleanup() {
    for p in $servers; do kill -KILL "$p" 2>/dev/null || :; done
    rm -rf "$out"
}
trap cleanup EXIT INT TERM

build() {  # build NAME SHARDS: "wall_s cpu_s maxrss_kb" (lib.sh's timed)
    timed "$out/build-$1" 0 "$CS" index --quiet --corpus "$corpus" --index "$out/$1" --shards "$2"
}
# shellcheck disable=SC2046 # "wall cpu rss", split
set -- $(build one 1); t1=$1 c1=$2 r1=$(($3 / 1024))
# shellcheck disable=SC2046
set -- $(build two 2); t2=$1 c2=$2 r2=$(($3 / 1024))
# shellcheck disable=SC2046
set -- $(build three 3); t3=$1 c3=$2 r3=$(($3 / 1024))

cut -f3 "$bench_dir/queries.tsv" > "$out/queries"
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
: > "$out/remote.stub"
for s in 0 1 2; do
    port=$(free_port)
    setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" --timeout 60000 \
        "$out/three/v1/shard-$s" >/dev/null 2>&1 &
    servers="$servers $!"
    echo "remote 127.0.0.1:$port" >> "$out/remote.stub"
    i=0
    until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
        [ $i -lt 100 ] || die "xapian-tcpsrv on port $port did not start in 10 s"
        sleep 0.1
        i=$((i + 1))
    done
done

latency() {  # latency INDEX: "p50 p99" in ms
    for run in 1 2 3; do
        "$CS" --index "$1" --batch "$out/queries" --json --limit 10 2>/dev/null |
            grep '"type":"summary"' | sed 's/.*"elapsed_us":\([0-9]*\).*/\1/' > "$out/run$run"
    done
    paste "$out/run1" "$out/run2" "$out/run3" |
        awk '{ lo = $1; hi = $1; for (i = 2; i <= 3; i++) { if ($i < lo) lo = $i; if ($i > hi) hi = $i }
               print ($1 + $2 + $3 - lo - hi) / 1000 }' |
        sort -n | awk '{ v[NR] = $1 } END {
            p50 = v[int((NR * 50 + 99) / 100)]; p99 = v[int((NR * 99 + 99) / 100)];
            printf "%.2f %.2f %d", p50, p99, NR }'
}
set -- $(latency "$out/one"); l1_50=$1 l1_99=$2 n=$3
set -- $(latency "$out/three"); l3_50=$1 l3_99=$2
set -- $(latency "$out/remote.stub"); lr_50=$1 lr_99=$2

cat <<EOF
Run: \`bench/shards.sh\`, $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end (a shared machine).
Corpus: \`$corpus\`, $files files.

| full index build | wall s | CPU s | max RSS MB |
| --- | ---: | ---: | ---: |
| 1 shard (\`--shards 1\`, default threads) | $t1 | $c1 | $r1 |
| 2 shards (\`--shards 2\`) | $t2 | $c2 | $r2 |
| 3 shards (\`--shards 3\`) | $t3 | $c3 | $r3 |

| query latency, top 10 with snippets, $n queries (ms) | p50 | p99 |
| --- | ---: | ---: |
| one index | $l1_50 | $l1_99 |
| 3 local shards (stub folder) | $l3_50 | $l3_99 |
| 3 remote shards (xapian-tcpsrv, 127.0.0.1) | $lr_50 | $lr_99 |
EOF

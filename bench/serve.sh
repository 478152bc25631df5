#!/bin/sh
# serve.sh - `cybersearch serve` under load: requests per second and
# p50/p99 latency of /api/search with 1, 4 and 16 connections (wrk, on
# loopback), beside the in-process latency of the same queries
# (`search --json --batch`, the summaries' elapsed_us); then failed requests
# during a full rebuild of the index.  Figures go to bench/SERVE.md.
#
#   bench/serve.sh [--corpus DIR] [--seconds N] [--threads N] [--no-results]
#
# Default corpus: the bundled corpus/ (9,746 passages).  Queries:
# bench/queries.tsv (natural-language ones with any=1&plain=1, as bench/run.sh).
# Uses the build in build/ (./quickstart); needs wrk (Debian package).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
corpus=$top/corpus seconds=10 threads=2 results=1
while [ $# -gt 0 ]; do
    case $1 in
    --corpus) corpus=$(cd "$2" && pwd); shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --no-results) results=0; shift ;;
    *) echo "usage: bench/serve.sh [--corpus DIR] [--seconds N] [--threads N] [--no-results]" >&2; exit 2 ;;
    esac
done
command -v wrk >/dev/null || { echo "serve.sh: needs wrk (apt-get install wrk)" >&2; exit 2; }
export LD_LIBRARY_PATH="$top/build/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
cs=$top/build/cli/.libs/cybersearch   # the real binary, not libtool's wrapper
[ -x "$cs" ] || { echo "serve.sh: build first (./quickstart)" >&2; exit 2; }
out=$top/bench/work/serve
rm -rf "$out"
mkdir -p "$out"
say() { printf '==> %s\n' "$*" >&2; }

say "indexing $corpus"
"$cs" index --quiet --corpus "$corpus" --index "$out/index"

# the queries: CLI batch files and the API paths
python3 - "$top/bench/queries.tsv" "$out" <<'PY'
import sys, urllib.parse
src, out = sys.argv[1:]
with open(f"{out}/q-default.tsv", "w") as d, open(f"{out}/q-any.tsv", "w") as a, \
     open(f"{out}/paths.txt", "w") as p:
    for line in open(src, encoding="utf-8"):
        qid, kind, q = line.rstrip("\n").split("\t", 2)
        natural = kind == "natural"
        (a if natural else d).write(f"{qid}\t{q}\n")
        extra = "&any=1&plain=1" if natural else ""
        p.write(f"/api/search?q={urllib.parse.quote_plus(q)}&limit=10{extra}\n")
PY
n_queries=$(wc -l < "$out/paths.txt")

# in-process: each query's median elapsed_us over 3 runs; p50 and p99 over the queries
say "in-process latency: $n_queries queries, 3 runs"
for r in 1 2 3; do
    for set in default any; do
        flags=""
        [ $set = any ] && flags="--any --plain"
        # shellcheck disable=SC2086
        "$cs" search --index "$out/index" --json --limit 10 $flags --batch "$out/q-$set.tsv" |
            sed -n 's/^{"type":"summary",.*"elapsed_us":\([0-9.]*\)}$/\1/p' > "$out/inproc-$set-$r"
    done
    cat "$out/inproc-default-$r" "$out/inproc-any-$r" > "$out/inproc-$r"
done
paste "$out/inproc-1" "$out/inproc-2" "$out/inproc-3" |
    awk '{ a = $1; b = $2; c = $3
           if (a > b) { t = a; a = b; b = t }
           if (b > c) { t = b; b = c; c = t }
           if (a > b) { t = a; a = b; b = t }
           print b / 1000 }' | sort -g > "$out/inproc-ms"
pct() {  # nearest-rank percentile $1 of the sorted numbers in file $2
    awk -v p="$1" '{ v[NR] = $1 } END { i = int((p / 100) * NR + 0.999999); if (i < 1) i = 1; printf "%.2f", v[i] }' "$2"
}
in_p50=$(pct 50 "$out/inproc-ms") in_p99=$(pct 99 "$out/inproc-ms")

# the server, on a free port; always stopped
"$cs" serve --index "$out/index" --port 0 --threads "$threads" > "$out/url" 2> "$out/server.err" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$out/url" ] && break; sleep 0.1; done
url=$(head -n 1 "$out/url")
url=${url%/}
[ -n "$url" ] || { echo "serve.sh: the server did not start: $(cat "$out/server.err")" >&2; exit 1; }

# wrk cycles through the paths; done() prints what the report needs
cat > "$out/queries.lua" <<'LUA'
local paths, i = {}, 0
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
                 summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %.1f %.2f %.2f %d\n", summary.requests,
           summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
           latency:percentile(99) / 1000, errors))
end
LUA
export PATHS="$out/paths.txt"
curl -sf -o /dev/null "$url/api/search?q=warmup" || { echo "serve.sh: the server does not answer" >&2; exit 1; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for c in 1 4 16; do
    t=$c
    [ "$t" -gt 2 ] && t=2
    say "wrk: $c connections, ${seconds}s"
    wrk -t"$t" -c"$c" -d"${seconds}s" --timeout 10s -s "$out/queries.lua" "$url" > "$out/wrk-$c.txt"
    grep '^RESULT' "$out/wrk-$c.txt" | sed "s/^RESULT/$c/" >> "$out/wrk.tsv"
done

# failed requests while a full rebuild swaps a new index in
say "wrk during a full rebuild (4 connections)"
( sleep 1; "$cs" index --quiet --rebuild --index "$out/index" --corpus "$corpus" > "$out/rebuild.err" 2>&1;
  echo $? > "$out/rebuild.rc" ) &
rebuild=$!
wrk -t2 -c4 -d"${seconds}s" --timeout 10s -s "$out/queries.lua" "$url" > "$out/wrk-rebuild.txt"
wait $rebuild
reb=$(grep '^RESULT' "$out/wrk-rebuild.txt")
[ "$(cat "$out/rebuild.rc")" = 0 ] || { echo "serve.sh: the rebuild failed: $(cat "$out/rebuild.err")" >&2; exit 1; }
set -- $reb
reb_requests=$2 reb_errors=$6

report() {
    echo "## cybersearch serve under load ($(date -u +%Y-%m-%d))"
    echo
    echo "\`bench/serve.sh --seconds $seconds --threads $threads\` on $(nproc) cores shared with other work," \
         "corpus \`$(basename "$corpus")\` ($("$cs" stats --index "$out/index" | sed -n 's/^passages: *//p') passages)," \
         "the $n_queries queries of \`bench/queries.tsv\` in turn, top 10 with snippets;" \
         "load average before the HTTP runs $load_before, after $load_after."
    echo "In-process: each query's median \`elapsed_us\` over 3 runs of \`search --json --batch\`;" \
         "HTTP: wrk's latency over all requests (connect, query, JSON, transfer), loopback."
    echo
    echo "| clients | requests/s | p50 ms | p99 ms | p99 ÷ in-process p99 | failed |"
    echo "| --- | --- | --- | --- | --- | --- |"
    echo "| in-process | | $in_p50 | $in_p99 | 1 | |"
    while read -r c n rps p50 p99 err; do
        ratio=$(awk -v a="$p99" -v b="$in_p99" 'BEGIN { printf "%.2f", a / b }')
        echo "| $c | $rps | $p50 | $p99 | $ratio | $err of $n |"
    done < "$out/wrk.tsv"
    echo
    echo "During a full rebuild (\`index --rebuild\` of the same corpus, swapped in while" \
         "4 connections searched for ${seconds}s): $reb_errors failed of $reb_requests requests."
}
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
report > "$out/SERVE.md"
cat "$out/SERVE.md"
[ "$results" = 1 ] && cp "$out/SERVE.md" "$top/bench/SERVE.md"
exit 0

#!/bin/sh
# bench/run.sh - cybersearch against raw Xapian and SQLite FTS5 on the UN
# General Debate corpus, in one run; results into bench/RESULTS.md.
#
#   bench/run.sh [--quick] [--reps N] [--build-reps N] [--no-results]
#                [--report-only]
#
#   --quick          a deterministic 10% of the corpus (every 10th file)
#   --reps N         repetitions of the query set, the reindex and the
#                    passage export (default 3; medians are reported)
#   --build-reps N   repetitions of each full index build (default 3; 1
#                    with --quick, to keep it short)
#   --no-results     leave bench/RESULTS.md alone (the section stays in
#                    bench/work/run-MODE/section.md)
#   --report-only    measure nothing: rewrite the report from the files of
#                    the last run of this mode (bench/work/run-MODE/)
#
# See bench/README.md for what is measured and how.
set -eu
prog=run.sh
command_line="bench/run.sh${*:+ $*}"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

usage() {
    sed -n '4,17s/^# \{0,1\}//p' "$bench_dir/run.sh"
}

mode=full reps=3 build_reps='' write_results=1 report_only=0
while [ $# -gt 0 ]; do
    case $1 in
        --quick) mode=quick ;;
        --reps) reps=$(positive "$@"); shift ;;
        --build-reps) build_reps=$(positive "$@"); shift ;;
        --no-results) write_results=0 ;;
        --report-only) report_only=1 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
    shift
done
[ -n "$build_reps" ] || build_reps=$([ "$mode" = quick ] && echo 1 || echo 3)
need awk sed sort paste du /usr/bin/time
out=$work/run-$mode
queries_tsv=$bench_dir/queries.tsv
cold_query="consensus report"
t0=$(date +%s)

phase() {
    note "[$(($(date +%s) - t0)) s] $*"
}

# ========================================================================
# Measuring: everything goes into files under $out.
# ========================================================================
measure() {
    [ -f "$queries_tsv" ] || die "no $queries_tsv (bench/make-queries.sh makes it)"
    bench_lock
    load_start=$(cut -d' ' -f1-3 /proc/loadavg)

    # ---- 1. corpus, 2. builds --------------------------------------------
    select_corpus
    ensure_build
    rm -rf "$out"
    mkdir -p "$out"
    phase "mode $mode, corpus $corpus, files in $out"

    # ---- 3a. passages: the peers' input ----------------------------------
    phase "exporting passages ($reps×)"
    passages=$out/passages.bin
    : >"$out/export.tsv"
    r=1
    while [ "$r" -le "$reps" ]; do
        timed "$out/export-$r" 0 "$bin/export-passages" "$corpus" "$passages" >>"$out/export.tsv"
        r=$((r + 1))
    done
    tail -1 "$out/export-1.err" >"$out/export-stats.txt"

    # ---- 3b. full index builds -------------------------------------------
    phase "full index builds ($build_reps× each engine, interleaved)"
    : >"$out/build.tsv"
    r=1
    while [ "$r" -le "$build_reps" ]; do
        rm -rf "$out/cs-index"
        phase "  build $r/$build_reps: cybersearch"
        m=$(timed "$out/build-cs-$r" "0 1" "$cs" index --corpus "$corpus" --index "$out/cs-index")
        echo "cs $r $m $(du -sb "$out/cs-index" | cut -f1)" >>"$out/build.tsv"
        rm -rf "$out/xr-db"
        phase "  build $r/$build_reps: xapian-raw"
        m=$(timed "$out/build-xr-$r" 0 "$xapian_raw" index "$out/xr-db" "$passages")
        echo "xr $r $m $(du -sb "$out/xr-db" | cut -f1)" >>"$out/build.tsv"
        rm -f "$out/fts.db"
        phase "  build $r/$build_reps: fts5"
        m=$(timed "$out/build-fts-$r" 0 "$fts5_peer" index "$out/fts.db" "$passages")
        echo "fts $r $m $(du -sb "$out/fts.db" | cut -f1)" >>"$out/build.tsv"
        r=$((r + 1))
    done
    "$cs" stats --index "$out/cs-index" >"$out/cs-stats.txt" 2>&1 || die "cybersearch stats failed"

    # ---- 3c. unchanged reindex -------------------------------------------
    phase "unchanged reindex ($reps×)"
    : >"$out/reindex.tsv"
    r=1
    while [ "$r" -le "$reps" ]; do
        timed "$out/reindex-$r" "0 1" "$cs" index --corpus "$corpus" --index "$out/cs-index" \
            >>"$out/reindex.tsv"
        case $(grep -a 'files added' "$out/reindex-$r.err" | tail -1) in
            *" 0 files added, 0 changed, 0 removed, "*) ;;
            *) die "the unchanged reindex changed something (see $out/reindex-$r.err)" ;;
        esac
        r=$((r + 1))
    done

    # ---- 3d. query latency -----------------------------------------------
    # bench/queries.tsv holds cybersearch syntax.  cybersearch takes it as
    # is (natural-language queries with --any --plain); xapian-raw gets
    # QueryParser syntax (default operator OR, and it lower-cases the text,
    # so AND/OR/NOT become +a +b, a b, +a -b); FTS5 gets MATCH syntax with
    # every word quoted.
    awk -F'\t' -v out="$out" '
        function q(w) { return "\"" w "\"" }
        /^[ \t]*(#|$)/ { next }
        NF != 3 || $1 ~ / / {
            printf "%s:%d: expected qid<TAB>type<TAB>query\n", FILENAME, NR > "/dev/stderr"; exit 2 }
        {
            id = $1; t = $2; s = $3; n = split(s, w, " ")
            if (t == "rare" || t == "medium" || t == "frequent") { xr = s; fts = q(s) }
            else if (t == "and2") { xr = "+" w[1] " +" w[2]; fts = q(w[1]) " AND " q(w[2]) }
            else if (t == "phrase") { xr = s; fts = s }
            else if (t == "natural") {
                xr = s; fts = q(w[1]); for (i = 2; i <= n; i++) fts = fts " OR " q(w[i]) }
            else if (t == "bool-and") { xr = "+" w[1] " +" w[3]; fts = q(w[1]) " AND " q(w[3]) }
            else if (t == "bool-or") { xr = w[1] " " w[3]; fts = q(w[1]) " OR " q(w[3]) }
            else if (t == "bool-not") { xr = "+" w[1] " -" w[3]; fts = q(w[1]) " NOT " q(w[3]) }
            else { printf "%s:%d: unknown query type %s\n", FILENAME, NR, t > "/dev/stderr"; exit 2 }
            print id "\t" t > (out "/types.tsv")
            print id "\t" s > (out "/q-cs-" (t == "natural" ? "any" : "default") ".tsv")
            print id "\t" xr > (out "/q-xr.tsv")
            print id "\t" fts > (out "/q-fts.tsv")
        }' "$queries_tsv" || die "bad $queries_tsv"
    n_queries=$(wc -l <"$out/types.tsv")
    [ "$n_queries" -gt 0 ] || die "$queries_tsv holds no queries"

    phase "query latency: $n_queries queries × 3 engines, $reps×"
    r=1
    while [ "$r" -le "$reps" ]; do
        {
            cs_batch "$out/q-cs-default.tsv" "$out/search-cs-default-$r"
            cs_batch "$out/q-cs-any.tsv" "$out/search-cs-any-$r" --any --plain
        } >"$out/lat-cs-$r.tsv"
        timed "$out/search-xr-$r" 0 "$xapian_raw" search "$out/xr-db" --limit 10 --snippets \
            --latency "$out/search-xr-$r.lat" "$out/q-xr.tsv" >/dev/null
        peer_join "$out/search-xr-$r" >"$out/lat-xr-$r.tsv"
        timed "$out/search-fts-$r" 0 "$fts5_peer" search "$out/fts.db" --match --limit 10 --snippets \
            --latency "$out/search-fts-$r.lat" "$out/q-fts.tsv" >/dev/null
        peer_join "$out/search-fts-$r" >"$out/lat-fts-$r.tsv"
        r=$((r + 1))
    done

    # ---- 3e. cold command-line latency -----------------------------------
    phase "cold command line: 20 runs each after 3 warm-ups"
    printf 'cold\t+consensus +report\n' >"$out/q-cold-xr.tsv"
    printf 'cold\t"consensus" AND "report"\n' >"$out/q-cold-fts.tsv"
    "$cs" search --index "$out/cs-index" --json "$cold_query" 2>/dev/null |
        sed -n 's/^{"type":"summary",.*"hits":\([0-9]*\),.*/\1/p' >"$out/cold-cs-hits.txt" || true
    cold cs "$cs" --index "$out/cs-index" "$cold_query" >"$out/cold-cs.txt"
    cold xr "$xapian_raw" search "$out/xr-db" --limit 10 --snippets "$out/q-cold-xr.tsv" \
        >"$out/cold-xr.txt"
    cold fts "$fts5_peer" search "$out/fts.db" --match --limit 10 --snippets "$out/q-cold-fts.tsv" \
        >"$out/cold-fts.txt"

    # ---- facts for the report --------------------------------------------
    {
        kv command_line "$command_line"
        kv mode "$mode"
        kv reps "$reps"
        kv build_reps "$build_reps"
        kv corpus "$corpus"
        kv date "$(date -u '+%Y-%m-%d %H:%M UTC')"
        kv seconds "$(($(date +%s) - t0))"
        kv load_start "$load_start"
        kv load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
        kv cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
        kv ncpu "$(nproc)"
        kv ram "$(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
        # shellcheck disable=SC1091
        kv os "$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}" || echo unknown), Linux $(uname -r)"
        kv commit "$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)"
        kv dirty "$(git -C "$top" status --porcelain --untracked-files=no 2>/dev/null | head -1)"
        kv v_cs "$("$cs" --version)"
        kv v_xapian "$(pkg-config --modversion xapian-core)"
        kv v_sqlite "$(pkg-config --modversion sqlite3)"
        kv v_cc "$($CC --version | head -1)"
        kv v_hyperfine "$(hyperfine --version 2>/dev/null || echo 'no hyperfine (shell loop)')"
    } >"$out/meta.sh"
}

# name='value' for meta.sh, single quotes escaped
kv() {
    printf "%s='%s'\n" "$1" "$(printf '%s' "$2" | sed "s/'/'\\\\''/g")"
}

# cybersearch --json batch: the summaries, in query order, joined to the
# qids: qid<TAB>us<TAB>hits.
cs_batch() {
    qfile=$1 base=$2
    shift 2
    [ -s "$qfile" ] || return 0
    timed "$base" "0 1" "$cs" search --index "$out/cs-index" --json --limit 10 "$@" \
        --batch "$qfile" >/dev/null
    # the summary's fields by name, wherever they stand among the others
    sed -n '/^{"type":"summary",/s/.*"hits":\([0-9]*\),.*"elapsed_us":\([0-9.]*\)}$/\2\t\1/p' \
        "$base.out" >"$base.sum"
    got=$(wc -l <"$base.sum") want=$(wc -l <"$qfile")
    [ "$got" -eq "$want" ] ||
        die "cybersearch answered $got of the $want queries of $qfile (see $base.err)"
    cut -f1 "$qfile" | paste - "$base.sum"
}

# qid<TAB>us<TAB>hits from a peer's latency file and TREC run
peer_join() {
    awk -F'[\t ]' 'FNR == NR { hits[$1]++; next } { print $1 "\t" $2 "\t" (hits[$1] + 0) }' \
        "$1.out" "$1.lat"
}

# "median_ms min_ms max_ms" of 20 runs of a command, after 3 warm-ups
cold() {
    name=$1
    shift
    if command -v hyperfine >/dev/null 2>&1; then
        cmd=
        for a in "$@"; do cmd="$cmd '$a'"; done
        hyperfine -N -i --runs 20 --warmup 3 --style none --export-csv "$out/cold-$name.csv" \
            "$cmd" >"$out/cold-$name.log" 2>&1 ||
            { tail -5 "$out/cold-$name.log" >&2; die "hyperfine failed on $cmd"; }
        # command,mean,stddev,median,user,system,min,max
        awk -F, 'NR == 2 { printf "%.2f %.2f %.2f\n", $4 * 1000, $7 * 1000, $8 * 1000 }' \
            "$out/cold-$name.csv"
    else
        i=0
        while [ $i -lt 23 ]; do
            a=$(date +%s%N)
            "$@" >/dev/null 2>&1 || true
            b=$(date +%s%N)
            [ $i -lt 3 ] || echo $(((b - a) / 1000))
            i=$((i + 1))
        done >"$out/cold-$name.us"
        echo "$(median <"$out/cold-$name.us") $(sort -n "$out/cold-$name.us" | sed -n '1p;$p')" |
            awk '{ printf "%.2f %.2f %.2f\n", $1 / 1000, $2 / 1000, $3 / 1000 }'
    fi
}

# ========================================================================
# The report, from the files under $out only.
# ========================================================================
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "nan") print "n/a"; else printf "%.2f", a / b }'; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { if (v == "nan" || v == "") print "n/a"; else printf f, v }'; }
ms() { awk -v v="$1" 'BEGIN { printf "%.3f", v / 1000 }'; }
mb() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1e6 }'; }
yes_no() { awk "BEGIN { print ($1) ? \"yes\" : \"**no**\" }"; }
# median / range of column $2 of build.tsv for engine $1
bmed() { awk -v e="$1" -v c="$2" '$1 == e { print $c }' "$out/build.tsv" | median; }
brange() { awk -v e="$1" -v c="$2" '$1 == e { print $c }' "$out/build.tsv" | range; }
stat() { tr ' ' '\n' <"$out/export-stats.txt" | sed -n "s/^$1=//p"; }

# The variables of meta.sh are set by sourcing it.
# shellcheck disable=SC2154
report() {
    [ -f "$out/meta.sh" ] || die "no finished $mode run in $out (run bench/run.sh${mode:+ --$mode} first)"
    # shellcheck disable=SC1091
    . "$out/meta.sh"
    for e in cs xr fts; do
        query_medians "$e" >"$out/median-$e.tsv" || die "the latency files of $e are incomplete"
        percentiles <"$out/median-$e.tsv" >"$out/pct-$e.tsv"
    done
    paste "$out/pct-cs.tsv" "$out/pct-xr.tsv" "$out/pct-fts.tsv" >"$out/pct-all.tsv"
    file_bytes=$(stat file_bytes)
    n_passages=$(stat passages)
    cs_passages=$(sed -n 's/^passages: *//p' "$out/cs-stats.txt")
    reindex_summary=$(grep -a 'files added' "$out/reindex-1.err" | tail -1 | sed 's/^.*: \([0-9]* files added\)/\1/')
    n_queries=$(wc -l <"$out/types.tsv")
    w_cs=$(bmed cs 3) w_xr=$(bmed xr 3) w_fts=$(bmed fts 3)

    echo "Run: \`$command_line\`, finished $date, $seconds s in all."
    echo
    echo "- Machine: $ncpu cores ($cpu), $ram RAM, $os; load average $load_start at the" \
         "start, $load_end at the end (a shared machine: other jobs ran meanwhile)."
    echo "- Versions: $v_cs (commit $commit${dirty:+ plus uncommitted changes}, built -O2 -g)," \
         "Xapian $v_xapian, SQLite $v_sqlite, $v_cc, $v_hyperfine."
    echo "- Corpus: \`${corpus#"$top"/}\`: $(stat files) files, $file_bytes bytes" \
         "($(mb "$file_bytes") MB; the MB/s below divide this by the wall time)."
    echo "- Repetitions: each index build ${build_reps}× per engine (engines interleaved)," \
         "the unchanged reindex ${reps}×, the query set ${reps}× (median per query)." \
         "Figures are medians; ranges are min–max."
    echo
    echo "#### Passages (each engine's input)"
    echo
    echo "| input | passages | median bytes | p90 | p99 | max | total MB |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    row="$(stat median) | $(stat p90) | $(stat p99) | $(stat max) | $(mb "$(stat passage_bytes)")"
    echo "| cybersearch (its index) | ${cs_passages:-?} | $row |"
    echo "| xapian-raw and fts5 (\`export-passages\`) | $n_passages | $row |"
    echo
    echo "Both are split by the indexer's \`cs_split_passages()\`; the sizes are those of the" \
         "export. Exporting takes $(cut -d' ' -f1 "$out/export.tsv" | median) s, not counted in the" \
         "peers' build times; their input file is $(mb "$(wc -c <"$out/passages.bin")") MB."
    [ "${cs_passages:-}" = "$n_passages" ] ||
        printf '\n**Warning: cybersearch indexed %s passages, the export holds %s.**\n' \
            "${cs_passages:-?}" "$n_passages"
    echo
    echo "#### Full index build"
    echo
    echo "| | cybersearch | xapian-raw | fts5 | cs ÷ xapian-raw | cs ÷ fts5 |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    for row in "wall s:3:1:%.2f" "CPU s (user+sys):4:1:%.2f" "peak RSS MB:5:1024:%.0f" \
               "size on disk MB:6:1000000:%.1f"; do
        label=${row%%:*} rest=${row#*:}
        col=${rest%%:*} rest=${rest#*:}
        div=${rest%%:*} f=${rest#*:}
        a=$(awk -v v="$(bmed cs "$col")" -v d="$div" 'BEGIN { print v / d }')
        b=$(awk -v v="$(bmed xr "$col")" -v d="$div" 'BEGIN { print v / d }')
        c=$(awk -v v="$(bmed fts "$col")" -v d="$div" 'BEGIN { print v / d }')
        echo "| $label | $(fmt "$a" "$f") | $(fmt "$b" "$f") | $(fmt "$c" "$f") | $(ratio "$a" "$b") | $(ratio "$a" "$c") |"
    done
    a=$(awk -v b="$file_bytes" -v w="$w_cs" 'BEGIN { print b / 1e6 / w }')
    b=$(awk -v b="$file_bytes" -v w="$w_xr" 'BEGIN { print b / 1e6 / w }')
    c=$(awk -v b="$file_bytes" -v w="$w_fts" 'BEGIN { print b / 1e6 / w }')
    echo "| MB/s | $(fmt "$a" %.2f) | $(fmt "$b" %.2f) | $(fmt "$c" %.2f) | $(ratio "$a" "$b") | $(ratio "$a" "$c") |"
    echo "| wall s, range | $(brange cs 3) | $(brange xr 3) | $(brange fts 3) | | |"
    echo
    echo "cybersearch reads and splits the files itself; the peers read the exported passages." \
         "Ratios are cybersearch ÷ peer: below 1, cybersearch is faster or smaller (for MB/s, above 1)."
    echo
    echo "#### Unchanged reindex (cybersearch)"
    echo
    echo "Wall $(cut -d' ' -f1 "$out/reindex.tsv" | median) s (range" \
         "$(cut -d' ' -f1 "$out/reindex.tsv" | range)), CPU $(cut -d' ' -f2 "$out/reindex.tsv" | median) s," \
         "peak RSS $(awk -v v="$(cut -d' ' -f3 "$out/reindex.tsv" | median)" 'BEGIN { printf "%.0f", v / 1024 }') MB," \
         "page cache warm. Summary line: \`$reindex_summary\`."
    echo
    echo "#### Query latency, top 10 with snippets (ms)"
    echo
    echo "$n_queries queries (\`bench/queries.tsv\`). A query's latency is its median over the $reps runs" \
         "of the set; percentiles are then taken over the queries of a type (nearest rank: with" \
         "15–40 queries a type, p99 is the type's slowest query and p95 its second or third slowest)." \
         "cybersearch: the in-process \`elapsed_us\` of \`search --json --limit 10\`, snippets and" \
         "citations included (natural-language queries with \`--any --plain\`); peers: their" \
         "\`--latency\` files with \`--limit 10 --snippets\`, query parsing to last snippet."
    for p in 50 95 99; do
        col=$((p == 50 ? 3 : p == 95 ? 4 : 5))
        echo
        echo "| p$p | n | cybersearch | xapian-raw | fts5 | cs ÷ xapian-raw | cs ÷ fts5 |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
        while IFS='	' read -r t n a; do
            # shellcheck disable=SC2086
            set -- $a
            echo "| $t | $n | $(ms "$1") | $(ms "$2") | $(ms "$3") | $(ratio "$1" "$2") | $(ratio "$1" "$3") |"
        done <<EOF
$(awk -F'\t' -v c="$col" '{ print $1 "\t" $2 "\t" $c " " $(c + 6) " " $(c + 12) }' "$out/pct-all.tsv")
EOF
    done
    echo
    echo "Queries with no hit at all, per type (cybersearch / xapian-raw / fts5):" \
         "$(awk -F'\t' '{ printf "%s%s %d/%d/%d", (NR > 1 ? ", " : ""), $1, $6, $12, $18 }' "$out/pct-all.tsv")."
    echo
    echo "#### Cold command line (whole process, 20 runs after 3 warm-ups)"
    echo
    echo "| command | median ms | min ms | max ms |"
    echo "| --- | ---: | ---: | ---: |"
    read -r c1 c2 c3 <"$out/cold-cs.txt"; set -- "$c1" "$c2" "$c3"
    echo "| \`cybersearch --index IDX \"$cold_query\"\` ($(cat "$out/cold-cs-hits.txt") hits) | $1 | $2 | $3 |"
    read -r c1 c2 c3 <"$out/cold-xr.txt"; set -- "$c1" "$c2" "$c3"
    echo "| \`xapian-raw search DB --limit 10 --snippets\` with \`+consensus +report\` | $1 | $2 | $3 |"
    read -r c1 c2 c3 <"$out/cold-fts.txt"; set -- "$c1" "$c2" "$c3"
    echo "| \`fts5-peer search DB --match --limit 10 --snippets\` with \`\"consensus\" AND \"report\"\` | $1 | $2 | $3 |"
    echo
    echo "#### Issue 7 targets"
    echo
    echo "| target | measured | met |"
    echo "| --- | --- | --- |"
    echo "| full index ≥ 3× faster than xapian-raw | $(ratio "$w_xr" "$w_cs")× as fast (and $(ratio "$w_cs" "$w_fts")× FTS5's time) | $(yes_no "$w_xr / $w_cs >= 3") |"
    slow50=$(awk -F'\t' '$1 != "all" && ($3 >= $9 || $3 >= $15) { printf "%s%s", (n++ ? ", " : ""), $1 }' "$out/pct-all.tsv")
    slow99=$(awk -F'\t' '$1 != "all" && ($5 > $11 || $5 > $17) { printf "%s%s", (n++ ? ", " : ""), $1 }' "$out/pct-all.tsv")
    echo "| query p50 below both peers, every type | $([ -n "$slow50" ] && echo "not for $slow50" || echo "all types") | $(yes_no "\"$slow50\" == \"\"") |"
    echo "| query p99 at or below both peers, every type | $([ -n "$slow99" ] && echo "not for $slow99" || echo "all types") | $(yes_no "\"$slow99\" == \"\"") |"
    s_cs=$(bmed cs 6) s_xr=$(bmed xr 6)
    echo "| index size ≤ xapian-raw's | $(mb "$s_cs") MB vs $(mb "$s_xr") MB | $(yes_no "$s_cs <= $s_xr") |"
    r_cs=$(bmed cs 5)
    echo "| peak RSS while indexing < 1 GB | $(awk -v v="$r_cs" 'BEGIN { printf "%.0f", v / 1024 }') MB | $(yes_no "$r_cs < 1048576") |"
    rw=$(cut -d' ' -f1 "$out/reindex.tsv" | median)
    echo "| unchanged reindex < 3 s | $rw s | $(yes_no "$rw < 3") |"
    read -r c1 c2 c3 <"$out/cold-cs.txt"; set -- "$c1" "$c2" "$c3"
    echo "| cold \`cybersearch \"$cold_query\"\` < 15 ms median | $1 ms | $(yes_no "$1 < 15") |"
    if [ "$mode" = quick ]; then
        echo
        echo "(Quick mode: 10% of the corpus; the targets are meant for the full corpus.)"
    fi
}

# ========================================================================
# The whole run is one function, called on the last line: the shell has
# read the entire script before it starts, so editing the file during a
# (long) run cannot derail it.
main() {
    if [ "$report_only" = 0 ]; then
        measure
    fi
    report >"$out/section.md"

    if [ "$write_results" = 1 ]; then
        results=$bench_dir/RESULTS.md
        begin="<!-- bench:$mode:begin -->" end="<!-- bench:$mode:end -->"
        if [ ! -f "$results" ]; then
            {
                echo "# Benchmark results"
                echo
                echo "Written by \`bench/run.sh\` (see \`bench/README.md\` for what is measured and"
                echo "how): cybersearch against raw Xapian 1.4 (\`peers/xapian-raw\`) and SQLite"
                echo "FTS5 (\`peers/fts5-peer\`'s index, queried with \`--match\`) on the"
                echo "UN General Debate corpus. Each run replaces the section of its mode. The"
                echo "machine is shared and noisy: compare the ratios within one run rather than"
                echo "absolute figures across runs."
            } >"$results"
        fi
        if ! grep -qF "$begin" "$results"; then
            title="Full run (whole corpus)"
            [ "$mode" = quick ] && title="Quick run (10% of the corpus)"
            printf '\n## %s\n\n%s\n%s\n' "$title" "$begin" "$end" >>"$results"
        fi
        awk -v b="$begin" -v e="$end" -v f="$out/section.md" '
            $0 == b { print; while ((getline l < f) > 0) print l; skip = 1; next }
            $0 == e { skip = 0 }
            !skip' "$results" >"$results.new"
        mv "$results.new" "$results"
        phase "wrote the $mode section of $results"
    fi
    cat "$out/section.md"
    phase "done"
}

main; exit $?

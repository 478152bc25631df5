# bench/lib.sh - shared by bench/run.sh, bench/make-queries.sh,
# bench/profile.sh, bench/build.sh, bench/facets.sh, bench/facets-ab.sh,
# bench/queries-ab.sh, bench/shards.sh, bench/startup.sh and bench/trust.sh (sourced, not run).  Expects `set -eu` in the caller and
# $prog set to the caller's name for messages.
# shellcheck shell=sh disable=SC2034,SC2154
#
# Everything generated goes under bench/work/ (git-ignored):
#   work/ungdc/         the UN corpus, unpacked once (shared with analyzer.sh)
#   work/ungdc-quick/   a deterministic 10% of it (hard links)
#   work/build/         cybersearch, configured out of tree
#   work/bin/           the bench's own C tools

bench_dir=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$bench_dir")
work=$bench_dir/work
build=$work/build
bin=$work/bin
CC=${CC:-cc}

die() {
    echo "$prog: $*" >&2
    exit 2
}

note() {
    echo "$prog: $*" >&2
}

need() {
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || die "needs '$t' (not found in PATH)"
    done
}

# The full corpus in $work/ungdc, unpacked on first use.
ensure_corpus() {
    corpus_full=$work/ungdc
    if [ ! -d "$corpus_full" ]; then
        tarball=${CS_UNGDC_TARBALL:-$top/../shared/data/ungdc/ungdc-1946-2024.tar.xz}
        [ -f "$tarball" ] || die "no corpus: $tarball not found (set CS_UNGDC_TARBALL)"
        note "unpacking $tarball into $work/"
        mkdir -p "$work"
        tmp=$work/.unpack.$$
        rm -rf "$tmp"
        mkdir "$tmp"
        tar -xJf "$tarball" -C "$tmp" || { rm -rf "$tmp"; die "cannot unpack $tarball"; }
        [ -d "$tmp/ungdc" ] || { rm -rf "$tmp"; die "$tarball holds no ungdc/ folder"; }
        # another process may have unpacked it meanwhile: keep theirs
        mv -T "$tmp/ungdc" "$corpus_full" 2>/dev/null || true
        rm -rf "$tmp"
    fi
    [ -d "$corpus_full" ] || die "$corpus_full is not a folder"
}

# A deterministic 10% of the corpus: every 10th .txt file (1st, 11th, ...)
# in byte order of the relative paths, plus all other files (the hidden
# ones), hard-linked into $work/ungdc-quick.
ensure_quick_corpus() {
    ensure_corpus
    corpus_quick=$work/ungdc-quick
    [ -d "$corpus_quick" ] && return 0
    tmp=$work/.quick.$$
    rm -rf "$tmp"
    mkdir -p "$tmp"
    (
        cd "$corpus_full"
        find . -type f -name '*.txt' -print0 | LC_ALL=C sort -z | sed -z -n '1~10p' |
            xargs -0 -r cp -l --parents -t "$tmp"
        find . -type f ! -name '*.txt' -print0 | xargs -0 -r cp -l --parents -t "$tmp"
    ) || { rm -rf "$tmp"; die "cannot make the quick corpus"; }
    mv -T "$tmp" "$corpus_quick" 2>/dev/null || rm -rf "$tmp"
}

# cybersearch built out of tree in $build; the peers in $top/peers; the
# bench tools in $bin.
ensure_build() {
    need make pkg-config "$CC"
    if [ ! -x "$top/configure" ]; then
        note "no configure script: running autogen.sh"
        "$top/autogen.sh" >/dev/null || die "autogen.sh failed"
    fi
    mkdir -p "$build" "$bin"
    if [ ! -f "$build/Makefile" ]; then
        note "configuring cybersearch in $build"
        (cd "$build" && "$top/configure" -q CFLAGS='-O2 -g') >"$work/configure.log" 2>&1 ||
            { tail -20 "$work/configure.log" >&2; die "configure failed (log: $work/configure.log)"; }
    fi
    note "building cybersearch (log: $work/make.log)"
    make -C "$build" -j2 >"$work/make.log" 2>&1 ||
        { tail -30 "$work/make.log" >&2; die "building cybersearch failed (log: $work/make.log)"; }
    # Time the program, not libtool's wrapper script: cli/cybersearch is a
    # bash script (adding ~15 ms to every start) when the build is shared;
    # run the real binary with the build's library path instead.
    cs=$build/cli/cybersearch
    if [ -x "$build/cli/.libs/cybersearch" ]; then
        cs=$build/cli/.libs/cybersearch
        LD_LIBRARY_PATH=$build/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
        export LD_LIBRARY_PATH
    fi
    [ -x "$cs" ] || die "no $cs after the build"
    [ "$(head -c 4 "$cs" | od -An -c | tr -d ' ')" = '177ELF' ] ||
        die "$cs is not an executable binary (a libtool wrapper?)"
    "$cs" --version >/dev/null 2>&1 || die "$cs does not run (library path?)"
    make -C "$top/peers" >"$work/peers.log" 2>&1 ||
        { tail -20 "$work/peers.log" >&2; die "building the peers failed (log: $work/peers.log)"; }
    xapian_raw=$top/peers/xapian-raw
    fts5_peer=$top/peers/fts5-peer
    build_tools
}

build_tools() {
    mkdir -p "$bin"
    warn="-std=c11 -O2 -g -Wall -Wextra"
    # shellcheck disable=SC2086,SC2046 # flags are meant to be split
    $CC $warn -I"$top/include" -I"$top/indexer" -I"$top/util" \
        "$bench_dir/export-passages.c" "$build/lib/.libs/libcs-internal.a" \
        $(pkg-config --libs xapian-core libutf8proc json-c gumbo poppler-glib libzip \
            libxml-2.0) -lstemmer -lstdc++ -lm \
        -o "$bin/export-passages" || die "cannot build export-passages"
    # shellcheck disable=SC2086
    $CC $warn "$bench_dir/make-queries.c" -o "$bin/make-queries" ||
        die "cannot build make-queries"
}

# Run a command under /usr/bin/time -v; its stdout and stderr go to $1.out
# and $1.err.  Exit statuses listed in $2 (e.g. "0 1") count as success.
# Prints "wall_s cpu_s maxrss_kb".
timed() {
    base=$1 ok=$2
    shift 2
    set +e
    /usr/bin/time -v -o "$base.time" "$@" >"$base.out" 2>"$base.err"
    rc=$?
    set -e
    case " $ok " in
        *" $rc "*) ;;
        *) tail -5 "$base.err" >&2
           die "'$*' failed with status $rc (output: $base.out, $base.err)" ;;
    esac
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, a, ":"); w = 0
                                    for (i = 1; i <= n; i++) w = w * 60 + a[i] }
        /User time \(seconds\)/   { u = $2 }
        /System time \(seconds\)/ { s = $2 }
        /Maximum resident set size/ { r = $2 }
        END { printf "%.2f %.2f %d\n", w, u + s, r }' "$base.time"
}

# median / min–max of the numbers on stdin
median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
range() {
    sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s–%s", lo, hi }'
}

# Per engine $1: qid type median_us hits, in query-file order, from the
# rounds' $out/lat-ENGINE-*.tsv (qid<TAB>us<TAB>hits) and $out/types.tsv.
query_medians() {
    cat "$out"/lat-"$1"-*.tsv | awk -F'\t' -v types="$out/types.tsv" '
        BEGIN { while ((getline l < types) > 0) { split(l, f, "\t"); type[f[1]] = f[2]; order[++n] = f[1] } }
        { v[$1] = v[$1] " " $2; hits[$1] = $3 }
        END {
            for (i = 1; i <= n; i++) {
                id = order[i]
                if (!(id in v)) { printf "no latency for %s\n", id > "/dev/stderr"; exit 2 }
                m = split(substr(v[id], 2), a, " ")
                for (j = 2; j <= m; j++) { x = a[j] + 0; for (k = j - 1; k >= 1 && a[k] + 0 > x; k--) a[k + 1] = a[k]; a[k + 1] = x }
                med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
                print id "\t" type[id] "\t" med "\t" hits[id]
            }
        }'
}

# From query_medians on stdin, per type (in query-file order, then "all"):
# type n p50 p95 p99 zero_hit_queries (nearest-rank percentiles).
percentiles() {
    awk -F'\t' '
        { t[NR] = $2; us[NR] = $3; zero[$2] += ($4 == 0); zero["all"] += ($4 == 0)
          if (!($2 in seen)) { seen[$2] = 1; types[++nt] = $2 } }
        function pct(p, n, a,    r) { r = int(p / 100 * n); if (r < p / 100 * n) r++; if (r < 1) r = 1; return a[r] }
        function report(name,    n, i, j, x, a) {
            n = 0
            for (i = 1; i <= NR; i++) if (name == "all" || t[i] == name) a[++n] = us[i] + 0
            for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
            print name "\t" n "\t" pct(50, n, a) "\t" pct(95, n, a) "\t" pct(99, n, a) "\t" zero[name] + 0
        }
        END { for (i = 1; i <= nt; i++) report(types[i]); report("all") }'
}

# The command line "$0 $@", each argument quoted as a shell would need it,
# into $command_line (for a report to say how to run it again).
quote_command_line() {
    command_line="bench/$prog"
    for a in "$@"; do
        case $a in
            ''|*[!A-Za-z0-9_./:=,+-]*) a="'$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'" ;;
        esac
        command_line="$command_line $a"
    done
}

# A/B scripts' NAME=BUILD:INDEX argument $1: adds build number $n (counting
# from 1) as name_$n, build_$n (a build folder: its cli/.libs/cybersearch
# and lib/.libs) and index_$n, and its column to $names, headed NAME and
# the suffix $2.
ab_build_arg() {
    n=$((n + 1))
    name=${1%%=*} spec=${1#*=}
    build_dir=${spec%%:*} index=${spec#*:}
    [ -x "$build_dir/cli/.libs/cybersearch" ] ||
        die "$build_dir/cli/.libs/cybersearch: no such program (a build folder?)"
    [ -d "$index" ] || die "$index: no such index"
    eval "name_$n=\$name build_$n=\$build_dir index_$n=\$index"
    names="$names | $name${2:-}"
}

# The value of option $1: $2, which must be a positive whole number (call
# with the script's "$@" at the option; the caller shifts once more).
positive() {
    [ $# -ge 2 ] || die "$1 needs a number"
    case $2 in ''|*[!0-9]*|0*) die "$1 needs a positive number, not '$2'" ;; esac
    echo "$2"
}

# One bench run at a time: run.sh and profile.sh rebuild cybersearch in
# $build and load the machine, so a second one would spoil both.
bench_lock() {
    mkdir -p "$work"
    if command -v flock >/dev/null 2>&1; then
        exec 9>"$work/.lock"
        flock -n 9 || die "another bench run (run.sh or profile.sh) is going on; wait for it"
    fi
}

# The corpus of $mode (quick: the 10% sample), unpacked if needed, in $corpus.
select_corpus() {
    if [ "$mode" = quick ]; then
        ensure_quick_corpus
        corpus=$corpus_quick
    else
        ensure_corpus
        corpus=$corpus_full
    fi
}

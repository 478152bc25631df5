#!/bin/sh
# sigkill-consistency.sh - SIGKILL the indexer at random moments of full
# (--rebuild) and incremental runs, and check each time that the index
# opens and searches, and that one more run converges to a clean build of
# the same files: the same hits (path and byte range of every matching
# passage) for every query.  Hits are compared as sets per query, because
# two clean builds of the same files may order tied scores differently.
#
#   tests/sigkill-consistency.sh [TRIALS] [CORPUS]    (default 50, ./corpus)
#
# Needs a built tree (build/cli/cybersearch, or $CYBERSEARCH).  Not part of
# `make check`: it takes minutes.  Prints one line per trial and a summary;
# exits 1 if any trial failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
CS=${CYBERSEARCH:-$top/build/cli/cybersearch}
trials=${1:-50}
corpus=${2:-$top/corpus}
W=$(mktemp -d "${TMPDIR:-/tmp}/cs-crash.XXXXXX")
trap 'rm -rf "$W"' EXIT
C="$W/corpus"
IDX="$W/index"
cp -r "$corpus" "$C"
chmod -R u+w "$C"
queries="cyber|consensus report|international law|norms|state sovereignty|ransomware|\"critical infrastructure\""

# answers INDEX OUT: every hit of every query, as "query<TAB>path:line:col  bytes a-b", sorted per query
answers() {
    "$CS" stats --index "$1" 2>&1 | grep -E '^(files|passages):' > "$2" || return 1
    old_ifs=$IFS
    IFS='|'
    for q in $queries; do
        IFS=$old_ifs
        "$CS" --index "$1" --color never --limit 1000000 --per-file 0 "$q" 2>/dev/null |
            sed -n 's/^[0-9]*\. \(.*\)  score .*/\1/p' | sort | sed "s|^|$q	|"
    done >> "$2"
    IFS=$old_ifs
}

# a clean build of the corpus as it is now, and its answers
reference() {
    rm -rf "$W/clean"
    "$CS" index --corpus "$C" --index "$W/clean" -q -j 2 2>/dev/null
    answers "$W/clean" "$W/want"
}

# change the corpus as a day of work would: edit, add, delete, rename
mutate() {
    n=0
    for f in "$C"/ungdc/*/*.txt; do
        n=$((n + 1))
        case $(((n + $1) % 7)) in
        0|3) echo "A line added on trial $1 about cyber norms and ransomware." >> "$f" ;;
        5) [ $(( $1 % 2 )) -eq 0 ] && mv "$f" "${f%.txt}-moved$1.txt" ;;
        6) [ $(( $1 % 3 )) -eq 0 ] && rm -f "$f" ;;
        esac
    done
    printf 'New file of trial %s: state sovereignty in cyberspace.\n' "$1" > "$C/seed/new-$1.txt"
}

millis() { date +%s%N | cut -b1-13; }

"$CS" index --corpus "$C" --index "$IDX" -q -j 2 || { echo "first build failed"; exit 1; }
t0=$(millis)
"$CS" index --index "$IDX" --rebuild -q -j 2
full_ms=$(( $(millis) - t0 ))
mutate 0
t0=$(millis)
"$CS" index --index "$IDX" -q -j 2
inc_ms=$(( $(millis) - t0 ))
reference
echo "corpus $(find "$C" -type f | wc -l) files; a full build takes ${full_ms} ms, an incremental" \
     "run ${inc_ms} ms; $trials trials"

failed=0
kills=0
inc_kills=0
for trial in $(seq 1 "$trials"); do
    if [ $((trial % 2)) -eq 1 ]; then
        mode=full
        args="--rebuild"
    else
        mode=incremental
        args=""
        mutate "$trial"
    fi
    # kill somewhere in [0, 1.1 x such a run]; a run that finished first
    # (counted as such) was shorter than the delay, which becomes the
    # estimate of its length (the machine's load changes)
    [ "$mode" = full ] && span_ms=$full_ms || span_ms=$inc_ms
    delay_ms=$(( $(od -An -N2 -tu2 /dev/urandom) % (span_ms * 11 / 10 + 1) ))
    # shellcheck disable=SC2086 # args is empty or one word
    "$CS" index --index "$IDX" $args -q -j 2 2>"$W/killed.err" &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if [ $? -eq 137 ]; then  # 128 + SIGKILL: it was still running
        killed=killed
        kills=$((kills + 1))
        [ "$mode" = incremental ] && inc_kills=$((inc_kills + 1))
    else
        killed=finished
        [ "$mode" = full ] && full_ms=$delay_ms || inc_ms=$delay_ms
    fi
    # the index must open and search as it is (before any repair)
    opens=yes
    "$CS" stats --index "$IDX" > "$W/stats.out" 2>&1 || opens="NO: $(head -c 200 "$W/stats.out")"
    "$CS" --index "$IDX" cyber > /dev/null 2>"$W/search.err"
    st=$?
    [ "$st" -le 1 ] || opens="NO: search exit $st: $(head -c 200 "$W/search.err")"
    # one more run must complete the work
    "$CS" index --index "$IDX" -q -j 2 2>"$W/rerun.err"
    rerun=$?
    [ "$mode" = incremental ] && reference
    answers "$IDX" "$W/got"
    if [ "$opens" != yes ] || [ "$rerun" -ne 0 ] || ! cmp -s "$W/want" "$W/got"; then
        failed=$((failed + 1))
        echo "trial $trial $mode, $killed after ${delay_ms} ms: FAIL opens=$opens rerun=$rerun" \
             "$(head -c 200 "$W/rerun.err") $(diff "$W/want" "$W/got" | head -n 4 | tr '\n' ' ')"
    else
        echo "trial $trial $mode, $killed after ${delay_ms} ms: ok ($(grep -c . "$W/got") hit lines)"
    fi
done
echo "$trials trials, $failed failed; $kills killed mid-run ($inc_kills incremental)"
[ "$failed" -eq 0 ]

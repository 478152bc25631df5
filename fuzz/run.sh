#!/bin/sh
# fuzz/run.sh TARGET SECONDS - build fuzz/fuzz_TARGET.c with libFuzzer and
# the sanitizers, and fuzz it for SECONDS (default 60) from its seeds.
#
# Each fuzzer is linked with all of analysis/*.c, util/*.c,
# searcher/query_parse.c, lib/status.c, lib/fields.c (the field registry)
# and the extractors (ingest/*.c with lib/cite.c), so any target can call
# the analyzer, the shared helpers, the query parser or an extractor, plus
# the files its own job needs (see the case below).
# Builds and the working corpus go to fuzz/corpus-run/TARGET/ (git-ignored);
# crash, leak and timeout inputs are saved there too.  Exits non-zero when
# the build fails or the fuzzer finds a crash.
set -eu

usage() { echo "usage: fuzz/run.sh TARGET [SECONDS]  (TARGET: tokenizer, query_parse, passages, snippet, json, extract, pdf, docx)" >&2; exit 2; }
[ $# -ge 1 ] || usage
target=$1
seconds=${2:-60}
case $seconds in ''|*[!0-9]*) usage ;; esac

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
src="$here/fuzz_$target.c"
[ -f "$src" ] || { echo "fuzz/run.sh: no $src" >&2; exit 2; }

CC=${FUZZ_CC:-clang}
work="$here/corpus-run/$target"
mkdir -p "$work/corpus" "$work/artifacts"

# lib/status.c includes config.h, which only a configured build tree has;
# lib/fields.c the country rows that lib/Makefile.am makes.
printf '#define PACKAGE_VERSION "fuzz"\n' > "$work/config.h"
LC_ALL=C awk -f "$top/lib/countries.awk" "$top/lib/countries.tsv" > "$work/countries.inc"

dict=
[ -f "$here/dict/$target.dict" ] && dict="-dict=$here/dict/$target.dict"
if [ -d "$here/seeds/$target" ]; then
    cp -f "$here/seeds/$target/"* "$work/corpus/" 2>/dev/null || true
fi

# what each target needs beyond the common files; the snippet code reaches
# Xapian (match weights), so the C++ wrapper is built and linked too
extra= cxx=
case $target in
passages) extra="$top/indexer/passages.c" ;;
snippet) extra="$top/searcher/snippet.c $top/searcher/highlight.c $top/searcher/match_plan.c
    $top/lib/schema.c $top/lib/store.c"; cxx=1 ;;
json) extra="$top/cli/json_text.c" ;;
esac
san="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined"
# FUZZ_VALGRIND=1: build without the sanitizers (valgrind cannot run beside
# ASan) and run every input of the working corpus once under valgrind
if [ -n "${FUZZ_VALGRIND:-}" ]; then
    san="-gdwarf-4 -O1"  # valgrind 3.19 cannot read clang 14's DWARF 5
    work="$work/valgrind"
    mkdir -p "$work"
    cp "$work/../config.h" "$work/../countries.inc" "$work/"
fi
includes="-I$work -I$top/include -I$top/util -I$top/analysis -I$top/searcher -I$top/indexer
    -I$top/xapian-c -I$top/lib -I$top/cli -I$top/ingest"
libs="libutf8proc gumbo poppler-glib libzip libxml-2.0 json-c"
link=
if [ -n "$cxx" ]; then
    # shellcheck disable=SC2086 # word lists
    # (no vptr or function check: their runtime comes only with a C++ link driver)
    "${FUZZ_CXX:-clang++}" $san -fno-sanitize=vptr,function -std=c++11 $includes -c "$top/xapian-c/xapian_c.cc" \
        -o "$work/xapian_c.o"
    link="$work/xapian_c.o -lxapian -lstdc++"
fi

# shellcheck disable=SC2046,SC2086 # pkg-config output and word lists are meant to be split
"$CC" $san -fsanitize=fuzzer -std=c11 -D_GNU_SOURCE -Wall -Wextra $includes \
    $(pkg-config --cflags $libs) \
    "$src" "$top"/analysis/*.c "$top"/util/*.c "$top/searcher/query_parse.c" "$top/lib/status.c" \
    "$top/lib/fields.c" $(ls "$top"/ingest/*.c | grep -v /extract_main.c) "$top/lib/cite.c" \
    $extra $link $(pkg-config --libs $libs) -lstemmer -lm \
    -o "$work/fuzz_$target"

if [ -n "${FUZZ_VALGRIND:-}" ]; then
    corpus="$here/corpus-run/$target/corpus"
    echo "fuzz/run.sh: running the $(ls "$corpus" | wc -l) inputs of $corpus under valgrind" >&2
    set +e
    valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
        --log-file="$work/valgrind.log" "$work/fuzz_$target" -runs=0 "$corpus" >/dev/null 2>&1
    status=$?
    set -e
    cat "$work/valgrind.log" >&2
    if [ $status -ne 0 ]; then
        echo "fuzz/run.sh: $target FAILED under valgrind (exit $status)" >&2
        exit 1
    fi
    echo "fuzz/run.sh: $target corpus clean under valgrind" >&2
    exit 0
fi

echo "fuzz/run.sh: fuzzing $target for $seconds s; corpus $work/corpus" >&2
set +e
# shellcheck disable=SC2086 # empty when there is no dictionary
"$work/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 $dict \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus"
status=$?
set -e
if [ $status -ne 0 ]; then
    echo "fuzz/run.sh: $target FAILED (exit $status); inputs in $work/artifacts/" >&2
    exit 1
fi
echo "fuzz/run.sh: $target ran $seconds s without a crash" >&2

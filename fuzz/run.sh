#!/bin/sh
# fuzz/run.sh TARGET SECONDS - build fuzz/fuzz_TARGET.c with libFuzzer and
# the sanitizers, and fuzz it for SECONDS (default 60) from its seeds.
#
# Each fuzzer is linked with all of analysis/*.c, searcher/query_parse.c,
# lib/status.c, the extractors (ingest/*.c with lib/cite.c and util/*.c),
# so any target can call the analyzer, the query parser or an extractor.
# Builds and the working corpus go to fuzz/corpus-run/TARGET/ (git-ignored);
# crash, leak and timeout inputs are saved there too.  Exits non-zero when
# the build fails or the fuzzer finds a crash.
set -eu

usage() { echo "usage: fuzz/run.sh TARGET [SECONDS]  (TARGET: tokenizer, query_parse, extract)" >&2; exit 2; }
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

# lib/status.c includes config.h, which only a configured build tree has.
printf '#define PACKAGE_VERSION "fuzz"\n' > "$work/config.h"

if [ -d "$here/seeds/$target" ]; then
    cp -f "$here/seeds/$target/"* "$work/corpus/" 2>/dev/null || true
fi

# shellcheck disable=SC2046 # pkg-config output is meant to be split
"$CC" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -std=c11 -D_GNU_SOURCE -Wall -Wextra \
    -I"$work" -I"$top/include" -I"$top/analysis" -I"$top/searcher" \
    -I"$top/indexer" -I"$top/xapian-c" -I"$top/lib" -I"$top/util" -I"$top/ingest" \
    $(pkg-config --cflags libutf8proc gumbo poppler-glib libzip libxml-2.0) \
    "$src" "$top"/analysis/*.c "$top/searcher/query_parse.c" "$top/lib/status.c" \
    "$top"/ingest/*.c "$top/lib/cite.c" "$top"/util/*.c \
    $(pkg-config --libs libutf8proc gumbo poppler-glib libzip libxml-2.0) -lstemmer \
    -o "$work/fuzz_$target"

echo "fuzz/run.sh: fuzzing $target for $seconds s; corpus $work/corpus" >&2
set +e
"$work/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus"
status=$?
set -e
if [ $status -ne 0 ]; then
    echo "fuzz/run.sh: $target FAILED (exit $status); inputs in $work/artifacts/" >&2
    exit 1
fi
echo "fuzz/run.sh: $target ran $seconds s without a crash" >&2

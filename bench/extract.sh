#!/bin/sh
# bench/extract.sh [RUNS] - extraction throughput (PDF pages/s, HTML MB/s)
# beside pdftotext on the same files, and the index time of a mixed corpus.
#
# Renders the bundled corpus's UN speeches (corpus/ungdc) as PDF and HTML
# into bench/work/documents with bench/make-documents.c (cairo), builds
# bench/extract-throughput.c against build/lib's libcs-internal.a, and
# reports the median of RUNS runs (default 3).  See bench/EXTRACT.md.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
build=${CS_BUILD:-$top/build}
runs=${1:-3}
out=$here/out
docs=$here/work/documents
mkdir -p "$out" "$here/work"

[ -f "$build/lib/.libs/libcs-internal.a" ] || { echo "bench/extract.sh: build first (./quickstart)" >&2; exit 2; }
command -v pdftotext >/dev/null || { echo "bench/extract.sh: install poppler-utils" >&2; exit 2; }

cc=${CC:-cc}
# shellcheck disable=SC2046 # pkg-config output is meant to be split
$cc -std=c11 -O2 -Wall -Wextra "$here/make-documents.c" $(pkg-config --cflags --libs cairo-pdf) \
    -o "$out/make-documents"
# shellcheck disable=SC2046
$cc -std=c11 -O2 -Wall -Wextra -D_GNU_SOURCE -I"$top/include" -I"$top/util" -I"$top/lib" \
    -I"$top/ingest" "$here/extract-throughput.c" "$build/ingest/.libs/libparsers.a" "$build/lib/.libs/libcs-internal.a" \
    $(pkg-config --libs xapian-core libutf8proc gumbo poppler-glib libzip libxml-2.0) \
    -lstemmer -lstdc++ -lm -lpthread -o "$out/extract-throughput"

if [ ! -d "$docs" ]; then
    mkdir -p "$docs"
    "$out/make-documents" "$top/corpus/ungdc" "$docs"
fi

# the program is linked statically, with no config.status beside it, so
# worker.c would look for the helper in the uninstalled pkglibexecdir
helper=$build/ingest/cybersearch-extract
[ -x "$helper" ] || { echo "bench/extract.sh: no $helper (build first: ./quickstart)" >&2; exit 2; }
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
CYBERSEARCH_EXTRACT=$helper "$out/extract-throughput" "$docs" "$runs"

# pdftotext, one process per file, as the indexer posix_spawn()s a helper per file
pages=$(for f in "$docs"/*.pdf; do pdfinfo "$f" | sed -n 's/^Pages: *//p'; done | awk '{s += $1} END {print s}')
times=""
r=0
while [ "$r" -lt "$runs" ]; do
    t0=$(date +%s.%N)
    for f in "$docs"/*.pdf; do pdftotext "$f" /dev/null; done
    t1=$(date +%s.%N)
    times="$times $(echo "$t1 - $t0" | bc)"
    r=$((r + 1))
done
median=$(printf '%s\n' $times | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
printf 'pdftotext  %d pages  median %.3f s  %.0f pages/s\n' "$pages" "$median" "$(echo "$pages / $median" | bc -l)"

# index time of the mixed corpus: the text speeches with their PDF and HTML versions
rm -rf "$here/work/mixed-index"
"$build/cli/cybersearch" index --corpus "$top/corpus/ungdc" --corpus "$docs" \
    --index "$here/work/mixed-index" --threads 2 || true

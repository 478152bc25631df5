#!/bin/sh
# bench/analyzer.sh [DIR] [RUNS] - analyzer throughput on one core.
#
# Builds bench/analyzer-throughput.c with the analysis sources (-O2) into
# bench/out/, then reports the plain read speed of DIR and the tokenizer's
# throughput (median of RUNS runs, default 3), normalization and stemming
# included.  Without DIR it uses the UN General Debate corpus, unpacked
# into bench/work/ungdc from shared/data/ungdc/ on first use.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
dir=${1:-}
runs=${2:-3}

if [ -z "$dir" ]; then
    dir="$here/work/ungdc"
    if [ ! -d "$dir" ]; then
        tarball=${CS_UNGDC_TARBALL:-$top/../shared/data/ungdc/ungdc-1946-2024.tar.xz}
        [ -f "$tarball" ] || { echo "bench/analyzer.sh: no $tarball; pass a DIR" >&2; exit 2; }
        mkdir -p "$here/work"
        echo "bench/analyzer.sh: unpacking $tarball into $here/work/" >&2
        tar -xJf "$tarball" -C "$here/work"
    fi
fi
[ -d "$dir" ] || { echo "bench/analyzer.sh: $dir is not a directory" >&2; exit 2; }

mkdir -p "$here/out"
# shellcheck disable=SC2046 # pkg-config output is meant to be split
${CC:-cc} -std=c11 -O2 -g -D_GNU_SOURCE -Wall -Wextra \
    -I"$top/include" -I"$top/analysis" $(pkg-config --cflags libutf8proc) \
    "$here/analyzer-throughput.c" "$top"/analysis/*.c \
    $(pkg-config --libs libutf8proc) -lstemmer -o "$here/out/analyzer-throughput"

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$here/out/analyzer-throughput" "$dir" "$runs"

#!/bin/sh
# bench/make-queries.sh - regenerate bench/queries.tsv from the full UN corpus.
#
# The query set is committed and fixed; this script documents where it came
# from and reproduces it byte for byte: the full corpus split by the
# indexer's own passage rule (export-passages), then make-queries with the
# fixed seed below (its own PRNG, so no dependence on libc or awk).  Rerun it
# only to change the query set on purpose: results before and after are not
# comparable.  A change to the passage splitter can change the output;
# `--check` tells whether the committed file is still reproduced.
#
#   bench/make-queries.sh [--check]
set -eu
prog=make-queries.sh
SEED=20261127
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

check=0
case "${1:-}" in
    "") ;;
    --check) check=1 ;;
    *) die "usage: bench/make-queries.sh [--check]" ;;
esac

bench_lock
ensure_corpus
ensure_build
mkdir -p "$work"
"$bin/export-passages" "$corpus_full" "$work/passages-full.bin"
"$bin/make-queries" "$work/passages-full.bin" "$SEED" >"$work/queries.tsv.new"
if [ "$check" = 1 ]; then
    if cmp -s "$work/queries.tsv.new" "$bench_dir/queries.tsv"; then
        note "bench/queries.tsv is reproduced exactly"
    else
        diff "$bench_dir/queries.tsv" "$work/queries.tsv.new" | head -20 >&2 || true
        die "bench/queries.tsv differs from what the corpus and seed give now"
    fi
else
    mv "$work/queries.tsv.new" "$bench_dir/queries.tsv"
    note "wrote bench/queries.tsv ($(wc -l <"$bench_dir/queries.tsv") queries, seed $SEED)"
fi

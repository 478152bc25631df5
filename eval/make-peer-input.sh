#!/bin/bash
# Usage: make-peer-input.sh CORPUS_DIR OUTPUT
# Writes one record "id NUL text NUL" per CORPUS_DIR/**/*.txt to OUTPUT, the
# input format of peers/xapian-raw and peers/fts5-peer.  id is the path
# relative to CORPUS_DIR without ".txt" (the docid cybersearch reports, so
# every engine's run uses the same docids); text is the whole file.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 CORPUS_DIR OUTPUT" >&2
    exit 2
fi
corpus=$1
output=$2
if [ ! -d "$corpus" ]; then
    echo "$0: $corpus is not a directory" >&2
    exit 2
fi

count=0
# Sorted (byte order) so the file, and so docid assignment in the peers, is
# reproducible.
{
    while IFS= read -r -d '' path; do
        printf '%s\0' "${path%.txt}"
        cat "$corpus/$path"
        printf '\0'
        count=$((count + 1))
    done < <(cd "$corpus" && find . -type f -name '*.txt' -printf '%P\0' | LC_ALL=C sort -z)
} >"$output"
if [ "$count" -eq 0 ]; then
    echo "$0: no *.txt files under $corpus" >&2
    exit 1
fi
# A NUL inside a document would silently split its record: refuse it.
if [ "$(tr -cd '\000' <"$output" | wc -c)" -ne $((2 * count)) ]; then
    echo "$0: a document under $corpus contains a NUL byte" >&2
    exit 1
fi
echo "$0: $count documents -> $output" >&2

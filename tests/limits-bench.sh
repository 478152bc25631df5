#!/bin/sh
# limits-bench.sh [big|many|all] - the resource limits too
# slow for the suite, measured (wall time and peak memory, by /usr/bin/time):
#
#   big:  one file of $BIG_MB (default 2048) megabytes on a single line, no
#         newline anywhere: with the default limit (1 GiB; half the file's
#         size for a file under it) it must be skipped at once with a
#         warning and exit 1, reading none of it;
#         with --max-file-size none (only when BIG_MB is at most
#         BIG_INDEX_MB, default 256) it is indexed, and its memory is
#         measured against its size.
#   many: $FILES (default 1000000) files of one short line each, in folders
#         of 1000: a full build, then an incremental run that finds them
#         unchanged; both must succeed, and time and memory are printed.
#
# Work goes to $LIMITS_DIR (default /tmp/cs-limits.PID), removed at the end.
# Exit 0 when every run behaved; figures go to stdout for docs/HARDENING.md.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
CS=${CYBERSEARCH:-$top/build/cli/cybersearch}
what=${1:-all}
size_mb=${BIG_MB:-2048}
files=${FILES:-1000000}
W=${LIMITS_DIR:-/tmp/cs-limits.$$}
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
status=0

measure() {  # measure NAME WANT_STATUS CMD...: run, print time and memory
    name=$1 want=$2
    shift 2
    /usr/bin/time -f '%e %M' -o "$W/time" "$@" > "$W/out" 2> "$W/err"
    got=$?
    # (time writes "Command exited with non-zero status N" first)
    read -r secs kb <<EOF || { secs=? kb=0; }
$(tail -n 1 "$W/time")
EOF
    printf '%-58s exit %s (want %s)  %8s s  %7d MB peak\n' "$name" "$got" "$want" "$secs" \
        $((kb / 1024))
    [ "$got" -eq "$want" ] || { status=1; sed -n '1,5p' "$W/err"; }
}

if [ "$what" = big ] || [ "$what" = all ]; then
    mkdir -p "$W/big"
    echo "making a ${size_mb} MB file on a single line..."
    awk -v mb="$size_mb" 'BEGIN { s = "cyber norms consensus report sovereignty state "
        while (length(s) < 1048576) s = s s; s = substr(s, 1, 1048576)
        for (i = 0; i < mb; i++) printf "%s", s }' > "$W/big/one-line.txt"
    limit=1G  # the default; a smaller file is held to half its size
    [ "$size_mb" -gt 1024 ] || limit=$((size_mb / 2 + 1))M
    measure "index a ${size_mb} MB single-line file (limit $limit)" 1 \
        "$CS" index --corpus "$W/big" --index "$W/big-index" --max-file-size "$limit"
    grep -q "is over the limit of" "$W/err" || { echo "  no warning naming the limit"; status=1; }
    if [ "$size_mb" -le "${BIG_INDEX_MB:-256}" ]; then
        measure "index it with --max-file-size none" 0 \
            "$CS" index --index "$W/big-index" --max-file-size none
        measure "search it" 0 "$CS" --index "$W/big-index" '"consensus report"'
    fi
    rm -rf "$W/big" "$W/big-index"
fi

if [ "$what" = many ] || [ "$what" = all ]; then
    echo "making $files files..."
    awk -v n="$files" -v dir="$W/many" 'BEGIN {
        for (i = 0; i < n; i++) {
            if (i % 1000 == 0) { d = sprintf("%s/d%04d", dir, i / 1000); system("mkdir -p " d) }
            f = sprintf("%s/f%d.txt", d, i)
            printf "note %d on cyber norms\n", i > f
            close(f)
        }
    }'
    measure "full build of $files tiny files" 0 "$CS" index -q --corpus "$W/many" --index "$W/many-index"
    measure "incremental run, nothing changed" 0 "$CS" index --index "$W/many-index"
    sed -n '$p' "$W/err"
    measure "search them (--count)" 0 "$CS" --index "$W/many-index" --count norms
    cat "$W/out"
fi
exit $status

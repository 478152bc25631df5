#!/bin/sh
# show-failures.sh BUILDDIR - the end of the log of each test that failed in
# BUILDDIR's last `make check`: make names a failing test and no more, and
# CI keeps no build tree to read the logs in.  Used by ./quickstart check
# and .ci/run.
for trs in "$1"/tests/*.trs; do
    [ -f "$trs" ] || continue
    grep -Eq '^:test-result: (FAIL|ERROR)' "$trs" || continue
    log=${trs%.trs}.log
    echo "==> the end of $log" >&2
    tail -n 40 "$log" >&2
done

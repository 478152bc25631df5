#!/bin/sh
# test_failmalloc.sh - the suite's short run of tests/failmalloc.sh: about
# 40 failed allocations per command and pass (the full run tries every
# allocation made for the project's own code: tests/failmalloc.sh).
exec "${top_srcdir:-..}/tests/failmalloc.sh" --quick

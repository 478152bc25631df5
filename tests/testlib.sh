# testlib.sh - a small harness for the shell-level tests (sourced).
# Each check prints "ok"/"FAIL" and the script ends with the plain
# "N passed, N failed" line.
set -u
passed=0
failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cs-shtest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$1"; [ -n "${2:-}" ] && printf '     %s\n' "$2"; }

# expect_status NAME WANT CMD...: run CMD, compare its exit status.
expect_status() {
    name=$1 want=$2
    shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok "$name"; else
        fail "$name" "exit $got, want $want; stderr: $(head -c 300 "$TMP/err")"; fi
}

# expect_grep NAME PATTERN FILE: FILE holds a line matching PATTERN.
expect_grep() {
    if grep -Eq -- "$2" "$3"; then ok "$1"; else fail "$1" "no /$2/ in: $(head -c 300 "$3")"; fi
}

expect_no_grep() {
    if grep -Eq -- "$2" "$3"; then fail "$1" "unexpected /$2/ in: $(grep -E -- "$2" "$3" | head -c 300)"; else ok "$1"; fi
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

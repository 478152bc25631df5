# testlib.sh - a small harness for the shell-level tests (sourced).
# Each check prints "ok"/"FAIL" and the script ends with the plain
# "N passed, N failed" line.
set -u
passed=0
failed=0
skipped=0
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

# snapshot INDEX NAME: the index's file and passage counts and every hit of
# a few queries, into $TMP/NAME (needs $CS).  Hits are compared as sets
# (sorted): two builds of the same files may order tied scores differently.
snapshot() {
    "$CS" stats --index "$1" | grep -E '^(passages|files):' > "$TMP/$2"
    for q in cyber consensus "state sovereignty" norms; do
        echo "query: $q"
        "$CS" --index "$1" --format vimgrep --limit 100000 --per-file 0 "$q" 2>/dev/null | sort
    done >> "$TMP/$2"
}

# same_as NAME INDEX SNAPSHOT: the index at INDEX answers as when SNAPSHOT was taken.
same_as() {
    snapshot "$2" now
    if cmp -s "$TMP/$3" "$TMP/now"; then ok "$1"; else
        fail "$1" "$(diff "$TMP/$3" "$TMP/now" | head -n 5 | tr '\n' ' ')"; fi
}

# skip NAME WHY: a check that cannot run here, said out loud.
skip() { skipped=$((skipped + 1)); printf 'SKIP %s: %s\n' "$1" "$2"; }

# as_user CMD...: run CMD as an unprivileged user (nobody), so that file
# modes apply: root ignores them.  Files it must write: chown_user them.
# Check user_ok first; it says why not when it cannot be done.
if [ "$(id -u)" -eq 0 ]; then
    as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
    chown_user() { chown -R 65534:65534 "$@"; }
else
    as_user() { "$@"; }
    chown_user() { :; }
fi
user_ok() {
    if [ "$(id -u)" -eq 0 ] && ! setpriv --reuid=65534 --regid=65534 --clear-groups -- true 2>/dev/null; then
        echo "running as root and setpriv cannot switch to nobody"
        return 1
    fi
    d=$(mktemp -d "${TMPDIR:-/tmp}/cs-perm.XXXXXX")
    chmod 0 "$d"
    if as_user ls "$d" >/dev/null 2>&1; then
        rmdir "$d"
        echo "file modes are not enforced here"
        return 1
    fi
    rmdir "$d"
    return 0
}

finish() {
    if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"
    else echo "$passed passed, $failed failed"; fi
    [ "$failed" -eq 0 ]
}

#!/bin/sh
# test_faults.sh - faults injected around the indexer and the searcher, each
# of which must end with an error that names its real cause, a non-zero
# exit status, and an index that still opens and searches as before:
# a read-only index folder, a folder the index cannot be created in, a
# corrupt table, a disk that fills during a commit (a small tmpfs), a held
# lock, a corpus folder vanishing mid-run and files rewritten while they
# are read (these two race the indexer: a run that wins the race is said
# SKIP, never counted as a pass).
. "${top_srcdir:-..}/tests/testlib.sh"
CS=${CYBERSEARCH:-../cli/cybersearch}
CORPUS=${CS_TEST_CORPUS:-../corpus}
M="$TMP/small-disk"
trap 'umount "$M" 2>/dev/null; rm -rf "$TMP"' EXIT
chmod 755 "$TMP"
C="$TMP/c"
IDX="$TMP/index"
mkdir -p "$C"
cp "$CORPUS/seed/"*.txt "$C/"
chmod -R u+w "$C"  # copies from a read-only source tree (make distcheck)

expect_status "index builds" 0 "$CS" index --corpus "$C" --index "$IDX" -q
snapshot "$IDX" before

# --- permissions ---------------------------------------------------------------------
if why=$(user_ok); then
    chown_user "$TMP"
    chmod 555 "$IDX"
    expect_status "read-only index folder fails" 2 as_user "$CS" index --index "$IDX"
    expect_grep "and says permission denied" "index failed: permission denied: .*Permission denied" "$TMP/err"
    expect_no_grep "not that another indexer runs" "locked" "$TMP/err"
    expect_status "--rebuild fails the same way" 2 as_user "$CS" index --index "$IDX" --rebuild
    expect_grep "permission denied again" "permission denied" "$TMP/err"
    same_as "the read-only index searches as before" "$IDX" before
    chmod 755 "$IDX"
    mkdir "$TMP/closed"
    chmod 555 "$TMP/closed"
    expect_status "an index that cannot be created fails" 2 as_user "$CS" index --corpus "$C" --index "$TMP/closed/i"
    expect_grep "and says permission denied" "index failed: permission denied: .*mkdir failed \(Permission denied\)" "$TMP/err"
    chown 0:0 "$IDX"
    chmod 700 "$IDX"
    expect_status "an unreadable index cannot be searched" 2 as_user "$CS" --index "$IDX" cyber
    expect_grep "and says permission denied" "Permission denied" "$TMP/err"
    chmod 755 "$IDX"
    chown -R "$(id -u):$(id -g)" "$TMP"
else
    skip "read-only and unreadable index folders" "$why"
fi

# --- a corrupt table ---------------------------------------------------------------------
cp -r "$IDX" "$TMP/broken"
table=$(find "$TMP/broken" -name postlist.glass | head -n 1)
size=$(wc -c < "$table")
# keep the first block (the table's header), overwrite the rest with junk
head -c $((size - 8192)) /dev/urandom | dd of="$table" bs=8192 seek=1 conv=notrunc 2>/dev/null
expect_status "corrupt index: index fails" 2 "$CS" index --index "$TMP/broken"
expect_grep "and says corrupt" "index failed: the database is corrupt: .*DatabaseCorrupt" "$TMP/err"
expect_grep "and how to cure it" "index --rebuild --corpus DIR" "$TMP/err"
expect_status "corrupt index: search fails" 2 "$CS" --index "$TMP/broken" cyber
expect_grep "and says corrupt" "corrupt" "$TMP/err"
expect_status "--rebuild without roots keeps it for inspection" 2 "$CS" index --index "$TMP/broken" --rebuild
expect_status "--rebuild --corpus replaces it" 0 "$CS" index --index "$TMP/broken" --rebuild --corpus "$C" -q
same_as "the rebuilt index equals the good one" "$TMP/broken" before

# --- a held lock: check_update tests the PID in the message; here the CLI --------------
expect_status "a bad query fails" 2 "$CS" --index "$IDX" '"unbalanced quote'
expect_grep "and points to --plain" "--plain takes the query as words" "$TMP/err"
expect_status "which then serves it" 0 "$CS" --index "$IDX" --plain '"consensus report'

# --- the disk fills during a commit ----------------------------------------------------
mkdir -p "$M"
if mount -t tmpfs -o size=400k tmpfs "$M" 2>"$TMP/mount.err"; then
    expect_status "index on a small disk" 0 "$CS" index --corpus "$C" --index "$M/i" -q
    snapshot "$M/i" small
    cp "$CORPUS/ungdc/"*/*.txt "$C/"
    chmod -R u+w "$C"
    expect_status "disk full during an incremental run fails" 2 "$CS" index --index "$M/i"
    expect_grep "and says disk full" "index failed: no space left on the device: .*No space left on device" "$TMP/err"
    same_as "the full disk's index searches as before" "$M/i" small
    expect_status "disk full during --rebuild fails" 2 "$CS" index --index "$M/i" --rebuild
    expect_grep "and says disk full" "no space left on the device" "$TMP/err"
    same_as "after the failed --rebuild too" "$M/i" small
    if [ -e "$M/i.build" ]; then fail "the failed --rebuild removed its scratch folder"; else
        ok "the failed --rebuild removed its scratch folder"; fi
    umount "$M"
else
    skip "disk full during a commit" "cannot mount a tmpfs here: $(head -c 200 "$TMP/mount.err")"
    cp "$CORPUS/ungdc/"*/*.txt "$C/"
    chmod -R u+w "$C"
fi

# --- the corpus folder vanishes mid-run --------------------------------------------------
# C now holds the seed and 264 UN speeches (4 MB): a full build takes a second or more.
expect_status "index of the larger corpus" 0 "$CS" index --index "$IDX" --corpus "$C" -q
snapshot "$IDX" large
vanish() {  # NAME ARGS...: run the indexer, pull the corpus away under it
    name=$1
    shift
    "$CS" index --index "$IDX" "$@" > "$TMP/out" 2> "$TMP/err" &
    pid=$!
    sleep 0.3
    mv "$C" "$TMP/away"
    wait "$pid"
    got=$?
    mv "$TMP/away" "$C"
    if [ "$got" -eq 0 ] && ! grep -q vanished "$TMP/err"; then
        skip "$name" "the run finished before the folder went"
    elif [ "$got" -eq 2 ] && grep -q "vanished during the run" "$TMP/err"; then
        ok "$name"
    else
        fail "$name" "exit $got: $(head -c 300 "$TMP/err")"
    fi
}
vanish "corpus vanishing during --rebuild: exit 2, says so" --rebuild
same_as "and the index is as it was" "$IDX" large
for f in "$C"/*.txt; do echo "An added line about cyber norms." >> "$f"; done
vanish "corpus vanishing during an incremental run: exit 2, says so"
"$CS" stats --index "$IDX" | grep -E '^files:' > "$TMP/files-now"
grep -E '^files:' "$TMP/large" > "$TMP/files-before"
if cmp -s "$TMP/files-before" "$TMP/files-now"; then ok "no file removed from the index"; else
    fail "no file removed from the index" "$(cat "$TMP/files-now")"; fi
expect_status "the next run completes the work" 0 "$CS" index --index "$IDX" -q
expect_status "a clean build of the same files" 0 "$CS" index --corpus "$C" --index "$TMP/clean-index" -q
snapshot "$TMP/clean-index" clean
same_as "and the index equals it" "$IDX" clean

# --- files rewritten while they are read -------------------------------------------------
cp -r "$C" "$TMP/orig"
( while :; do
    for f in "$TMP/orig"/*.txt; do
        n=$(basename "$f")
        : > "$C/$n"                    # truncated ...
        cat "$f" > "$C/$n"             # ... and written again
    done
  done ) &
churn=$!
"$CS" index --index "$IDX" --rebuild > "$TMP/out" 2> "$TMP/err"
got=$?
kill "$churn"
wait "$churn" 2>/dev/null
cp "$TMP/orig"/*.txt "$C/"
if [ "$got" -eq 1 ] && grep -q "changed while it was read" "$TMP/err"; then
    ok "files rewritten during --rebuild: skipped with a warning, exit 1"
elif [ "$got" -eq 0 ]; then
    skip "files rewritten during --rebuild" "no read met a rewrite"
else
    fail "files rewritten during --rebuild" "exit $got: $(head -c 300 "$TMP/err")"
fi
expect_status "the index opens after it" 0 "$CS" stats --index "$IDX"
"$CS" index --index "$IDX" -q 2>"$TMP/err"
"$CS" index --index "$IDX" -q 2>>"$TMP/err"
same_as "two more runs converge to the clean build" "$IDX" clean

finish

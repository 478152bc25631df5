#!/bin/sh
# test_nightly.sh - the nightly job loses nothing it cannot see: a corpus
# root that is missing, unreadable or empty where it held files fails and
# leaves the index as it was (--allow-empty overrides), and so does a run that
# would remove most of a root's files (--allow-deletions); a folder that cannot
# be read keeps its files' passages; a scratch folder left by a killed
# --rebuild is removed by the next run, but never while a build holds it;
# a rebuild switches the index to its new version in one step.
. "${top_srcdir:-..}/tests/testlib.sh"
CS=${CYBERSEARCH:-../cli/cybersearch}
CORPUS=${CS_TEST_CORPUS:-../corpus}
chmod 755 "$TMP"
C="$TMP/c"
IDX="$TMP/index"
mkdir -p "$C/a" "$C/b"
cp "$CORPUS/seed/"*.txt "$C/a/"
cp "$CORPUS/ungdc/Session 61 - 2006/"*.txt "$CORPUS/ungdc/Session 30 - 1975/"*.txt "$C/b/"
chmod -R u+w "$C"  # copies from a read-only source tree (make distcheck)

expect_status "index builds" 0 "$CS" index --corpus "$C" --index "$IDX"
snapshot "$IDX" before
expect_grep "both folders indexed" '^files: +3$' "$TMP/before"

# --- the root: missing, empty, unreadable -----------------------------------------
mv "$C" "$TMP/away"
expect_status "missing root fails" 2 "$CS" index --index "$IDX"
expect_grep "missing root is named with its cause" "cannot read corpus folder .*/c: No such file or directory; the index is left as it was" "$TMP/err"
same_as "missing root leaves the index as it was" "$IDX" before

mkdir "$C"
expect_status "empty root fails" 2 "$CS" index --index "$IDX"
expect_grep "empty root: unmounted share?" "holds no files, but the index has 3 from it .*--allow-empty" "$TMP/err"
same_as "empty root leaves the index as it was" "$IDX" before
expect_status "empty root fails a --rebuild too" 2 "$CS" index --index "$IDX" --rebuild
same_as "a refused --rebuild leaves the index as it was" "$IDX" before
expect_status "--allow-empty empties it" 0 "$CS" index --index "$IDX" --allow-empty
expect_grep "--allow-empty removes the files" ' 3 removed' "$TMP/err"
rmdir "$C"
mv "$TMP/away" "$C"
expect_status "files come back" 0 "$CS" index --index "$IDX"
same_as "the index is whole again" "$IDX" before

# --- mass deletion: most of a root's files gone -----------------------------------
M="$TMP/many"
MIDX="$TMP/many-index"
mkdir -p "$M"
i=0
while [ $i -lt 30 ]; do
    printf 'Statement %s on the norms of responsible state behaviour.\n' "$i" > "$M/s$i.txt"
    i=$((i + 1))
done
expect_status "thirty files index" 0 "$CS" index --corpus "$M" --index "$MIDX"
snapshot "$MIDX" many-before
i=0
while [ $i -lt 20 ]; do rm "$M/s$i.txt"; i=$((i + 1)); done
expect_status "losing 20 of 30 files fails" 2 "$CS" index --index "$MIDX"
expect_grep "the loss is named" '20 of the 30 files indexed from .*/many are gone.*--allow-deletions' "$TMP/err"
same_as "a refused mass deletion leaves the index as it was" "$MIDX" many-before
expect_status "--allow-deletions removes them" 0 "$CS" index --index "$MIDX" --allow-deletions
expect_grep "twenty removed" ' 20 removed' "$TMP/err"
rm "$M/s20.txt"
expect_status "a small deletion needs no leave" 0 "$CS" index --index "$MIDX"

if why=$(user_ok); then
    chown_user "$TMP"
    chmod 0 "$C"
    expect_status "unreadable root fails" 2 as_user "$CS" index --index "$IDX"
    expect_grep "unreadable root: permission denied" "cannot read folder .*/c: Permission denied; the index is left as it was" "$TMP/err"
    same_as "unreadable root leaves the index as it was" "$IDX" before
    chmod 755 "$C"

    chmod 0 "$C/b"
    expect_status "unreadable folder: warning, exit 1" 1 as_user "$CS" index --index "$IDX"
    expect_grep "unreadable folder is named" "warning: cannot read folder .*/c/b: Permission denied" "$TMP/err"
    expect_grep "its files are not removed" ' 0 removed' "$TMP/err"
    same_as "unreadable folder keeps its passages" "$IDX" before
    expect_status "--rebuild refuses to lose them" 2 as_user "$CS" index --index "$IDX" --rebuild
    expect_grep "--rebuild says why" "cannot rebuild: .*/c/b cannot be read and its 2 indexed files would be lost" "$TMP/err"
    same_as "the refused --rebuild kept the index" "$IDX" before
    chmod 755 "$C/b"

    chmod 0 "$C/b/HRV_61_2006.txt"
    touch "$C/b/HRV_61_2006.txt"
    expect_status "unreadable file: warning, exit 1" 1 as_user "$CS" index --index "$IDX"
    expect_grep "the file is named" "warning: skipping .*/c/b/HRV_61_2006.txt: Permission denied" "$TMP/err"
    same_as "and keeps its passages" "$IDX" before
    expect_status "--rebuild refuses to lose an unreadable file" 2 as_user "$CS" index --index "$IDX" --rebuild
    expect_grep "and says why" "cannot rebuild: .*HRV_61_2006.txt cannot be read \(Permission denied\) and its passages would be lost" "$TMP/err"
    same_as "the refused --rebuild kept it" "$IDX" before
    chmod 644 "$C/b/HRV_61_2006.txt"
    expect_status "readable again" 0 as_user "$CS" index --index "$IDX"
    same_as "and indexed again" "$IDX" before
    chown -R "$(id -u):$(id -g)" "$TMP"
else
    skip "unreadable root and folders" "$why"
fi

# --- the scratch folder of a killed --rebuild ---------------------------------------
mkdir -p "$IDX.build/shard-0"
echo junk > "$IDX.build/shard-0/postlist.glass"
expect_status "a run with a stale scratch folder" 0 "$CS" index --index "$IDX"
if [ -e "$IDX.build" ]; then fail "stale scratch folder removed" "$IDX.build is still there"; else ok "stale scratch folder removed"; fi

mkdir "$IDX.build"
flock "$IDX.build" sleep 30 &
holder=$!
sleep 0.5
expect_status "a held scratch folder is left alone" 2 "$CS" index --index "$IDX"
expect_grep "and the run says a build holds it" "is being rebuilt: .*index.build is held by a running" "$TMP/err"
if [ -d "$IDX.build" ]; then ok "held scratch folder kept"; else fail "held scratch folder kept" "removed"; fi
kill "$holder"
wait "$holder" 2>/dev/null
rmdir "$IDX.build"

# a --rebuild killed while compacting into a new version folder: the index
# never named it, searches as before, and the next rebuild removes it
mkdir -p "$IDX/v999/shard-0"
echo junk > "$IDX/v999/shard-0/postlist.glass"
expect_status "a half-built version is not searched" 0 "$CS" --index "$IDX" "consensus report"
mkdir -p "$TMP/c2"
cp "$C/a/"*.txt "$TMP/c2/"
expect_status "the next rebuild" 0 "$CS" index --index "$IDX" --corpus "$TMP/c2" --rebuild
if [ -e "$IDX/v999" ]; then fail "removes the half-built version"; else ok "removes the half-built version"; fi
expect_status "and the new version searches" 0 "$CS" --index "$IDX" "consensus report"
"$CS" stats --index "$IDX" > "$TMP/stats"
expect_grep "with the new corpus's files" "^files: *1$" "$TMP/stats"

finish

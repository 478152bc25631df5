#!/bin/sh
# test_pkgconfig.sh - install libcybersearch into a staging folder, then
# compile examples/search.c outside the tree with `pkg-config --cflags
# --libs cybersearch` and run a search through the installed library.
. "${top_srcdir:-..}/tests/testlib.sh"
dest="$TMP/dest"
if ! ${MAKE:-make} -C "$top_builddir" install DESTDIR="$dest" >"$TMP/install.log" 2>&1; then
    fail "make install" "$(tail -5 "$TMP/install.log")"
    finish
    exit 1
fi
ok "make install into a staging folder"
pc=$(find "$dest" -name cybersearch.pc | head -n 1)
[ -n "$pc" ] && ok "cybersearch.pc installed" || fail "cybersearch.pc installed"
prefix=$(sed -n 's/^prefix=//p' "$pc")
header=$(find "$dest" -name cybersearch.h | head -n 1)
[ -n "$header" ] && ok "public header installed" || fail "public header installed"
pkg() { PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --define-variable=prefix="$dest$prefix" "$@" cybersearch; }
cflags=$(pkg --cflags) && libs=$(pkg --libs) && ok "pkg-config answers" || fail "pkg-config answers"
cp "$top_srcdir/examples/search.c" "$TMP/example.c"
expect_status "example compiles against the installed library" 0 \
    ${CC:-cc} ${CFLAGS:-} "$TMP/example.c" $cflags $libs ${LDFLAGS:-} -o "$TMP/example"
libdir=$(pkg --variable=libdir)
"$top_builddir/cli/cybersearch" index -q --corpus "$CS_TEST_CORPUS" --index "$TMP/index"
LD_LIBRARY_PATH="$libdir" "$TMP/example" "$TMP/index" "consensus report" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 0 ] && ok "example runs a search" || fail "example runs a search" "$(cat "$TMP/err")"
expect_grep "example prints the index's facts" '^index: [1-9][0-9]* passages, [1-9][0-9]* files, 1 shard$' \
    "$TMP/out"
expect_grep "first hit is the seed passage with its citation" \
    '^1\. seed/russia-us-cyber-diplomacy-excerpts\.txt:13:1 \[[0-9]+,[0-9]+\)' "$TMP/out"
LD_LIBRARY_PATH="$libdir" ldd "$TMP/example" > "$TMP/ldd"
expect_grep "linked to the installed library" "$dest" "$TMP/ldd"
nm -D --defined-only "$libdir/libcybersearch.so" | awk '{print $3}' > "$TMP/syms"
expect_no_grep "only cs_ symbols are exported" '^[^c]|^c[^s]|^cs[^_]' "$TMP/syms"
expect_grep "the API is exported" '^cs_search$' "$TMP/syms"
finish

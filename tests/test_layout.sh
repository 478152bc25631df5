#!/bin/sh
# test_layout.sh - the tree keeps its promises: the Xapian wrapper is the
# only C++ in the product and the only code that includes Xapian; the
# public header is usable from C++.
. "${top_srcdir:-..}/tests/testlib.sh"
cd "$top_srcdir" || exit 1
product="include util xapian-c analysis indexer searcher lib cli examples"
cxx=$(find $product -name '*.cc' -o -name '*.cpp' -o -name '*.cxx' -o -name '*.C' | grep -v '^xapian-c/')
[ -z "$cxx" ] && ok "no C++ outside xapian-c/" || fail "no C++ outside xapian-c/" "$cxx"
inc=$(grep -rl --include='*.c' --include='*.h' --include='*.cc' '#include <xapian' $product | grep -v '^xapian-c/xapian_c.cc$')
[ -z "$inc" ] && ok "only xapian_c.cc includes Xapian" || fail "only xapian_c.cc includes Xapian" "$inc"
printf '#include <cybersearch.h>\nint main() { return cs_status_to_string(CS_OK) ? 0 : 1; }\n' > "$TMP/t.cc"
if command -v c++ >/dev/null 2>&1; then
    expect_status "the public header compiles as C++" 0 c++ -fsyntax-only -I include "$TMP/t.cc"
fi
finish

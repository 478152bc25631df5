#!/bin/sh
# test_layout.sh - the tree keeps its promises: the Xapian wrapper is the
# only C++ in the product and the only code that includes Xapian or knows
# its files; the storage layer (lib/schema.*, lib/store.*, and the field
# registry binding fields to their prefixes and slots) is the only code
# that knows metadata keys, term prefixes and value slots; the public
# header is usable from C++.
. "${top_srcdir:-..}/tests/testlib.sh"
cd "$top_srcdir" || exit 1
product="include util xapian-c analysis indexer searcher lib cli examples"
cxx=$(find $product -name '*.cc' -o -name '*.cpp' -o -name '*.cxx' -o -name '*.C' | grep -v '^xapian-c/')
[ -z "$cxx" ] && ok "no C++ outside xapian-c/" || fail "no C++ outside xapian-c/" "$cxx"
inc=$(grep -rl --include='*.c' --include='*.h' --include='*.cc' '#include <xapian' $product | grep -v '^xapian-c/xapian_c.cc$')
[ -z "$inc" ] && ok "only xapian_c.cc includes Xapian" || fail "only xapian_c.cc includes Xapian" "$inc"
store="lib/schema.h lib/schema.c lib/store.h lib/store.c lib/fields.h lib/fields.c"
names=$(grep -rlE 'CS_(META|PREFIX|SLOT)_[A-Z_]+' --include='*.c' --include='*.h' --include='*.cc' $product |
        while read -r f; do case " $store " in *" $f "*) ;; *) echo "$f";; esac; done)
[ -z "$names" ] && ok "only the storage layer names metadata keys, prefixes and slots" ||
    fail "only the storage layer names metadata keys, prefixes and slots" "$names"
lits=$(grep -rnE '"(cs:[a-z]|file:%|word:%|X[FYSCLETU]")' --include='*.c' --include='*.h' --include='*.cc' $product |
       while IFS=: read -r f rest; do case " $store " in *" $f "*) ;; *) echo "$f:$rest";; esac; done)
[ -z "$lits" ] && ok "no metadata key or term prefix spelt out elsewhere" ||
    fail "no metadata key or term prefix spelt out elsewhere" "$lits"
glass=$(grep -rlE 'iamglass|\.glass"|XAPIANDB' --include='*.c' --include='*.h' $product | grep -v '^xapian-c/')
[ -z "$glass" ] && ok "only the wrapper knows Xapian's files" || fail "only the wrapper knows Xapian's files" "$glass"
printf '#include <cybersearch.h>\nint main() { return cs_status_to_string(CS_OK) ? 0 : 1; }\n' > "$TMP/t.cc"
if command -v c++ >/dev/null 2>&1; then
    expect_status "the public header compiles as C++" 0 c++ -fsyntax-only -I include "$TMP/t.cc"
fi
finish

#!/bin/sh
# test_fields.sh - fields, facets and trends from the command line, on the
# bundled corpus and its sidecar (corpus/cybersearch-metadata.csv).
. "${top_srcdir:-..}/tests/testlib.sh"
. "${top_srcdir:-..}/tests/listenlib.sh"
CS=${CYBERSEARCH:-../cli/cybersearch}
CORPUS=${CS_TEST_CORPUS:-../corpus}
IDX="$TMP/index"

expect_status "index builds" 0 "$CS" index --corpus "$CORPUS" --index "$IDX"
expect_status "stats" 0 "$CS" stats --index "$IDX"
expect_grep "stats lists the sidecar's fields" '^  body +\* keyword' "$TMP/out"

# --- field queries -------------------------------------------------------------
expect_status "country by name" 0 "$CS" --index "$IDX" --format vimgrep 'country:"United States" norms'
expect_no_grep "only that country" '/[A-Z]{3}_' "$(grep -v '/USA_' "$TMP/out" > "$TMP/others"; echo "$TMP/others")"
expect_grep "its files" '/USA_[0-9]+_[0-9]+\.txt:' "$TMP/out"
expect_status "country group" 0 "$CS" --index "$IDX" --format vimgrep --limit 50 'country:(RUS OR USA) sovereignty'
expect_no_grep "only those countries" '/(A|B|C|D|E|F|G|H|I|J|K|L|M|N|O|P|Q|S|T|V|W|X|Y|Z)[A-Z]{2}_' "$TMP/out"
expect_status "unknown field" 2 "$CS" --index "$IDX" 'speaker:Lavrov norms'
expect_grep "unknown field names the fields" "unknown field 'speaker' \\(fields: path, year, date, country, session, lang, format, title, body, genre\\)" "$TMP/err"
expect_grep "a caret under it" '^  \^$' "$TMP/err"
expect_status "bad country" 2 "$CS" --index "$IDX" 'country:Atlantis'
expect_grep "bad country is named" "bad country value 'Atlantis'" "$TMP/err"
expect_status "bad date" 2 "$CS" --index "$IDX" 'date:2021-13..2022'
expect_grep "bad date is named" "bad date value" "$TMP/err"

# --- facets --------------------------------------------------------------------
expect_status "facet country" 0 "$CS" --index "$IDX" --color=never --facet country "cyberspace sovereignty"
expect_grep "facet header" '^country: [1-9][0-9]* passages in [0-9]+ files$' "$TMP/out"
expect_grep "facet bars" '^  [A-Z]{3}  .* +[0-9]+ █' "$TMP/out"
expect_status "relaxed results" 0 "$CS" --index "$IDX" --color=never --facet country "cyber sovereignty"
expect_grep "facets count no partial matches" '^country: 0 passages in 0 files$' "$TMP/out"
expect_status "facet year as CSV" 0 "$CS" --index "$IDX" --limit 0 --format csv --facet year cyber
expect_grep "CSV header" '^query,field,value,label,passages,files,words,per_million$' "$TMP/out"
cp "$TMP/out" "$TMP/csv"
expect_status "facet year as JSON" 0 "$CS" --index "$IDX" --limit 0 --json --facet year cyber
total=$(sed -n 's/.*"type":"facet".*"field":"year","passages":\([0-9]*\).*/\1/p' "$TMP/out")
sum=$(awk -F, 'NR > 1 { s += $5 } END { print s }' "$TMP/csv")
[ -n "$total" ] && [ "$total" = "$sum" ] && ok "CSV buckets add up to the JSON total ($sum)" ||
    fail "CSV buckets add up to the JSON total" "json $total, csv $sum"
years=$(awk -F, 'NR > 1 { print $3 }' "$TMP/csv" | tr '\n' ' ')
sorted=$(awk -F, 'NR > 1 { print $3 }' "$TMP/csv" | sort -n | tr '\n' ' ')
[ "$years" = "$sorted" ] && ok "years in order" || fail "years in order" "$years"
expect_status "facet limit" 0 "$CS" --index "$IDX" --limit 0 --format csv --facet country --facet-limit 3 security
[ "$(grep -c ',country,' "$TMP/out")" -eq 4 ] && ok "3 countries and other" || fail "3 countries and other" "$(cat "$TMP/out")"
expect_grep "other bucket" '^security,country,other,other,' "$TMP/out"
expect_status "per million" 0 "$CS" --index "$IDX" --limit 0 --color=never --per-million --facet year cyber
expect_grep "per million header" 'per million words' "$TMP/out"
expect_status "facet on a field that does not count" 2 "$CS" --index "$IDX" --facet path cyber
expect_grep "facet fields named" "cannot count 'path': facets are year, country" "$TMP/err"
expect_status "facet order" 0 "$CS" --index "$IDX" --limit 0 --format csv --facet year --facet-order count cyber
first=$(awk -F, 'NR == 2 { print $5 }' "$TMP/out")
max=$(awk -F, 'NR > 1 && $5 > m { m = $5 } END { print m }' "$TMP/out")
[ "$first" = "$max" ] && ok "--facet-order count puts the largest first" || fail "--facet-order count" "$first vs $max"
expect_status "csv needs a facet" 2 "$CS" --index "$IDX" --format csv cyber
expect_grep "csv needs a facet, says so" 'add --facet FIELD' "$TMP/err"
expect_status "bad facet order" 2 "$CS" --index "$IDX" --facet year --facet-order size cyber

# --- trends --------------------------------------------------------------------
expect_status "trend" 0 "$CS" trend --index "$IDX" '"open-ended working group"' '"group of governmental experts"' --by year --svg "$TMP/trend.svg"
expect_grep "trend legend" '^  A  "open-ended working group"$' "$TMP/out"
expect_grep "trend rows" '^20[0-9][0-9] +[0-9]+ ' "$TMP/out"
expect_grep "an SVG file" '<svg ' "$TMP/trend.svg"
expect_status "trend CSV" 0 "$CS" trend --index "$IDX" --format csv --per-million cyber norms
expect_grep "trend CSV header" '^query,year,passages,files,words,per_million$' "$TMP/out"
[ "$(grep -c '^cyber,' "$TMP/out")" -eq "$(grep -c '^norms,' "$TMP/out")" ] &&
    ok "series share their values" || fail "series share their values"
expect_status "trend JSON" 0 "$CS" trend --index "$IDX" --format json --by country norms
expect_grep "series line" '^\{"type":"series","query":"norms","by":"country","points":\[\{"value":"[A-Z]{3}"' "$TMP/out"
expect_status "trend needs a query" 2 "$CS" trend --index "$IDX"
expect_status "trend bad query" 2 "$CS" trend --index "$IDX" 'a NEAR/x'
expect_status "trend unwritable SVG" 2 "$CS" trend --index "$IDX" --svg "$TMP/no/such/dir/t.svg" cyber
expect_grep "SVG error named" 'cannot write the chart' "$TMP/err"

# --- facets after an update, of a word that every passage holds --------------------
# An update deletes the changed file's passages; Xapian 1.4 then failed to
# count a word held by every passage left ("Unexpected end of posting list").
mkdir -p "$TMP/every"
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "Paragraph %d on cyber norms.\n\n", i }' \
    > "$TMP/every/solo.txt"
"$CS" index -q --corpus "$TMP/every" --index "$TMP/every-idx"
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "Paragraph %d on cyber norms, edited.\n\n", i }' \
    > "$TMP/every/solo.txt"
"$CS" index -q --index "$TMP/every-idx"
expect_status "facets after an update" 0 "$CS" --index "$TMP/every-idx" --color=never --facet lang cyber
expect_grep "count every passage" '^lang: 3000 passages in 1 files?$' "$TMP/out"
expect_status "a NOT of a word in every passage" 1 "$CS" --index "$TMP/every-idx" --color=never \
    --facet lang 'paragraph NOT edited'
expect_grep "counts none" '^lang: 0 passages in 0 files$' "$TMP/out"
# the words of a phrase under NOT keep their positions (as "everything"
# they had none, and the phrase excluded nothing: 3,000 passages)
expect_status "a phrase under NOT" 1 "$CS" --index "$TMP/every-idx" --count 'paragraph NOT "cyber norms"'
expect_grep "excludes every passage" "no passage matches" "$TMP/err"

# --- the same facets through xapian-tcpsrv ------------------------------------------
if listen_tcpsrv "remote facets" "$IDX"; then
    "$CS" --index "$IDX" --limit 0 --format csv --facet year --facet country --facet body \
        'cyber country:(EST OR LTU OR GBR) OR norms' > "$TMP/local.csv"
    expect_status "remote facets" 0 "$CS" --index "tcp://127.0.0.1:$listen_port" --limit 0 \
        --format csv --facet year --facet country --facet body \
        'cyber country:(EST OR LTU OR GBR) OR norms'
    if [ -s "$TMP/local.csv" ] && cmp -s "$TMP/local.csv" "$TMP/out"; then
        ok "remote facets equal local ones"
    else
        fail "remote facets equal local ones" "$(diff "$TMP/local.csv" "$TMP/out" | head -5)"
    fi
fi

finish

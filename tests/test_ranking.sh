#!/bin/sh
# test_ranking.sh - ranking-quality regression check: index the med test
# collection (1,033 MEDLINE abstracts, 30 judged queries), run its queries
# the way eval/run.sh does, score the run with eval's own scorer, and fail
# when nDCG@10 or MAP falls below a floor.  A few seconds; eval/run.sh is
# the full comparison with the peers.
#
# Environment (all optional):
#   CYBERSEARCH  the built CLI (default ../cli/cybersearch)
#   top_srcdir   the source tree (default ..); only read: the scorer is
#                compiled from $top_srcdir/eval/trec-score.c into a temporary
#                folder, so a read-only tree (make distcheck) is fine
#   CS_IR_DATA   the test collections (default $top_srcdir/../shared/data/ir);
#                without med there, the test is skipped (exit 77)
#   CC, CFLAGS, LDFLAGS  for the scorer (default cc)
#
# Floors: measured on 2026-11-27 (eval/RESULTS.md, BM25 k1 1.2, b 0.75,
# min_normlen 0, proximity weight 0.5): med nDCG@10 0.7109, MAP 0.5340.
# The floors sit about 0.01 under them.  The nDCG@10 floor is above both
# peers (FTS5 0.690, Xapian 0.681) and above the figure with Xapian's BM25
# defaults (0.691), so losing the tuning fails; the MAP floor catches larger
# losses only.  Raise them when the ranking improves.
NDCG_FLOOR=0.700
MAP_FLOOR=0.525
# With --expand --file-evidence (issue 16, 2026-12-01): med 0.7466 / 0.6074;
# the floors are above the default ranking's figures, so losing the
# feedback fails.
DEEP_NDCG_FLOOR=0.735
DEEP_MAP_FLOOR=0.590

. "${top_srcdir:-..}/tests/testlib.sh"
CS=${CYBERSEARCH:-../cli/cybersearch}
SRC=${top_srcdir:-..}
DATA=${CS_IR_DATA:-$SRC/../shared/data/ir}
COLL=$DATA/med

for needed in "$COLL/corpus" "$COLL/queries.tsv" "$COLL/qrels.txt"; do
    if [ ! -e "$needed" ]; then
        echo "SKIP: no med test collection: $needed is missing (set CS_IR_DATA to the folder holding med/)"
        exit 77
    fi
done

# --- the scorer ----------------------------------------------------------------
SCORE="$TMP/trec-score"
# shellcheck disable=SC2086  # CC and CFLAGS may hold several words
expect_status "scorer builds" 0 ${CC:-cc} -std=c11 ${CFLAGS:--O2} -o "$SCORE" \
    "$SRC/eval/trec-score.c" -lm ${LDFLAGS:-}

# --- index and run the queries, as eval/run.sh does ------------------------------
expect_status "med indexes" 0 "$CS" index --corpus "$COLL/corpus" --index "$TMP/index"
expect_status "med queries run" 0 "$CS" search --index "$TMP/index" --any --plain \
    --format trec --limit 1000 --batch "$COLL/queries.tsv"
mv "$TMP/out" "$TMP/run"

# --- score ---------------------------------------------------------------------
if [ -x "$SCORE" ] && "$SCORE" "$COLL/qrels.txt" "$TMP/run" >"$TMP/score" 2>"$TMP/err"; then
    ok "the run is a valid TREC run"
else
    fail "the run is a valid TREC run" "$(head -c 300 "$TMP/err")"
    : >"$TMP/score"
fi

# measure NAME: the "all" value of NAME in the scorer's output
measure() { awk -F'\t' -v name="$1" '$1 == name && $2 == "all" { print $3 }' "$TMP/score"; }

missing=$(measure num_missing)
if [ "${missing:-x}" = 0 ]; then ok "every judged query has results"; else
    fail "every judged query has results" "num_missing: ${missing:-no score}"; fi

# at_least NAME VALUE FLOOR
at_least() {
    if [ -n "$2" ] && awk -v v="$2" -v f="$3" 'BEGIN { exit !(v + 0 >= f + 0) }'; then
        ok "$1 $2 >= floor $3"
    else
        fail "$1 ${2:-(none)} is below the floor $3" \
            "ranking got worse: compare with eval/RESULTS.md (CYBERSEARCH=... eval/run.sh med)"
    fi
}
at_least "med nDCG@10" "$(measure ndcg_cut_10)" "$NDCG_FLOOR"
at_least "med MAP" "$(measure map)" "$MAP_FLOOR"

# --- the deep ranking ------------------------------------------------------------
expect_status "med queries run with --expand --file-evidence" 0 "$CS" search \
    --index "$TMP/index" --any --plain --expand --file-evidence \
    --format trec --limit 1000 --batch "$COLL/queries.tsv"
mv "$TMP/out" "$TMP/run"
"$SCORE" "$COLL/qrels.txt" "$TMP/run" >"$TMP/score" 2>"$TMP/err" || : >"$TMP/score"
at_least "med nDCG@10 (deep)" "$(measure ndcg_cut_10)" "$DEEP_NDCG_FLOOR"
at_least "med MAP (deep)" "$(measure map)" "$DEEP_MAP_FLOOR"

finish

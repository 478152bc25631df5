#!/bin/bash
# Usage: test-trec-score.sh [PATH_TO_TREC_SCORE]
# Hand-worked examples for eval/trec-score; every expected value is derived
# in the comments.  Exits non-zero on any mismatch.
set -eu

scorer=${1:-$(dirname "$0")/trec-score}
if [ ! -x "$scorer" ]; then
    echo "$0: $scorer is not built (make -C eval)" >&2
    exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# score NAME QRELS RUN [OPTIONS...]: scores with 6 decimals into $tmp/NAME.out
score() {
    local name=$1 qrels=$2 run=$3
    shift 3
    if ! "$scorer" -q -d 6 "$@" "$tmp/$qrels" "$tmp/$run" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
        fail "$name: scorer exited non-zero: $(cat "$tmp/$name.err")"
    fi
}

# expect NAME MEASURE QID VALUE: the line "MEASURE<TAB>QID<TAB>VALUE" is in NAME's output
expect() {
    local name=$1 measure=$2 qid=$3 want=$4 got
    got=$(awk -F'\t' -v m="$measure" -v q="$qid" '$1 == m && $2 == q { print $3 }' "$tmp/$name.out")
    if [ "$got" = "$want" ]; then
        pass
    else
        fail "$name: $measure for $qid: want $want, got '${got}'"
    fi
}

# expect_error NAME QRELS RUN PATTERN: scorer exits 2 with PATTERN on stderr
expect_error() {
    local name=$1 qrels=$2 run=$3 pattern=$4 status=0
    "$scorer" "$tmp/$qrels" "$tmp/$run" >/dev/null 2>"$tmp/$name.err" || status=$?
    if [ "$status" -eq 2 ] && grep -q -- "$pattern" "$tmp/$name.err"; then
        pass
    else
        fail "$name: want exit 2 and '$pattern', got exit $status: $(cat "$tmp/$name.err")"
    fi
}

# --- q1: binary relevance, one relevant document never retrieved ----------
# Relevant: d1, d3, d9 (R = 3).  Ranking: d1 d2 d3.
#   AP      = (1/1 + 2/3) / 3                      = 5/9      = 0.555556
#   P@10    = 2 / 10                                          = 0.200000
#   R@100   = 2 / 3                                           = 0.666667
#   DCG@10  = 1/log2(2) + 1/log2(4)                = 1.5
#   IDCG@10 = 1/log2(2) + 1/log2(3) + 1/log2(4)    = 2.130930
#   nDCG@10 = 1.5 / 2.130930                                  = 0.703918
printf '%s\n' 'q1 0 d1 1' 'q1 0 d3 1' 'q1 0 d9 1' >"$tmp/q1.qrels"
printf '%s\n' 'q1 Q0 d1 1 3.0 r' 'q1 Q0 d2 2 2.0 r' 'q1 Q0 d3 3 1.0 r' >"$tmp/q1.run"
score q1 q1.qrels q1.run
expect q1 map q1 0.555556
expect q1 P_10 q1 0.200000
expect q1 recall_100 q1 0.666667
expect q1 ndcg_cut_10 q1 0.703918

# --- q2: tied scores ---------------------------------------------------------
# Five documents all score 1.0; relevant: d10.  The rank column, which puts
# d10 third, is ignored.  trec_eval breaks ties by docid in descending
# strcmp() order, so the ranking is d7 d5 d3 d20 d10 and d10 is at rank 5.
# (Ascending strcmp order would put it 1st, numeric descending 2nd, the
# file's order 3rd, numeric ascending 4th: each wrong rule shows.)
#   AP = (1/5) / 1 = 0.2;  nDCG@10 = (1/log2(6)) / (1/log2(2)) = 0.386853
#   P@10 = 0.1;  R@100 = 1
printf '%s\n' 'q2 0 d10 1' >"$tmp/q2.qrels"
printf '%s\n' 'q2 Q0 d20 1 1.0 r' 'q2 Q0 d5 2 1.0 r' 'q2 Q0 d10 3 1.0 r' \
    'q2 Q0 d3 4 1.0 r' 'q2 Q0 d7 5 1.0 r' >"$tmp/q2.run"
score q2 q2.qrels q2.run
expect q2 map q2 0.200000
expect q2 ndcg_cut_10 q2 0.386853
expect q2 P_10 q2 0.100000
expect q2 recall_100 q2 1.000000

# --- q1 + q2 + q3: judged query missing from the run; unjudged run query ----
# q3 is judged but absent from the run: it scores 0 everywhere and counts in
# the mean (trec_eval -c).  q99 is in the run but not judged: ignored.
#   map   = (5/9 + 1/5 + 0) / 3           = 0.251852
#   nDCG  = (0.703918 + 0.386853 + 0) / 3 = 0.363590
#   P@10  = (0.2 + 0.1 + 0) / 3           = 0.100000
#   R@100 = (2/3 + 1 + 0) / 3             = 0.555556
cat "$tmp/q1.qrels" "$tmp/q2.qrels" >"$tmp/mixed.qrels"
echo 'q3 0 d1 1' >>"$tmp/mixed.qrels"
cat "$tmp/q2.run" "$tmp/q1.run" >"$tmp/mixed.run"   # query order in a run is free
echo 'q99 Q0 d1 1 5.0 r' >>"$tmp/mixed.run"
score mixed mixed.qrels mixed.run
expect mixed map q3 0.000000
expect mixed ndcg_cut_10 q3 0.000000
expect mixed map all 0.251852
expect mixed ndcg_cut_10 all 0.363590
expect mixed P_10 all 0.100000
expect mixed recall_100 all 0.555556
expect mixed num_q all 3
expect mixed num_missing all 1
expect mixed num_unjudged all 1

# --- q4: graded relevance ---------------------------------------------------
# Judged: a=3, b=2, c=1, d=0 (judged non-relevant).  Ranking: c d a b.
#   DCG@10  = 1/log2(2) + 0 + 3/log2(4) + 2/log2(5) = 1 + 1.5 + 0.861353 = 3.361353
#   IDCG@10 = 3/log2(2) + 2/log2(3) + 1/log2(4)     = 3 + 1.261860 + 0.5 = 4.761860
#   nDCG@10 = 3.361353 / 4.761860                                        = 0.705891
# AP counts every rel >= 1 as relevant (R = 3): (1/1 + 2/3 + 3/4) / 3    = 0.805556
printf '%s\n' 'q4 0 a 3' 'q4 0 b 2' 'q4 0 c 1' 'q4 0 d 0' >"$tmp/q4.qrels"
printf '%s\n' 'q4 Q0 c 1 4 r' 'q4 Q0 d 2 3 r' 'q4 Q0 a 3 2 r' 'q4 Q0 b 4 1 r' >"$tmp/q4.run"
score q4 q4.qrels q4.run
expect q4 ndcg_cut_10 q4 0.705891
expect q4 map q4 0.805556
expect q4 P_10 q4 0.300000
expect q4 recall_100 q4 1.000000

# --- q5: cutoffs -------------------------------------------------------------
# 12 documents n1..n12 ranked in that order; relevant: n11 and the unretrieved
# zz (R = 2).  n11 is past the top 10 but within 100 and within depth 1000:
#   AP = (1/11) / 2 = 0.045455;  P@10 = 0;  nDCG@10 = 0;  R@100 = 1/2
# With -M 10 only the first 10 documents count, so n11 is not retrieved:
#   AP = 0;  R@100 = 0
printf '%s\n' 'q5 0 n11 1' 'q5 0 zz 1' >"$tmp/q5.qrels"
for i in $(seq 1 12); do echo "q5 Q0 n$i $i $((100 - i)) r"; done >"$tmp/q5.run"
score q5 q5.qrels q5.run
expect q5 map q5 0.045455
expect q5 P_10 q5 0.000000
expect q5 ndcg_cut_10 q5 0.000000
expect q5 recall_100 q5 0.500000
score q5-depth10 q5.qrels q5.run -M 10
expect q5-depth10 map q5 0.000000
expect q5-depth10 recall_100 q5 0.000000

# --- empty run: every judged query is missing -------------------------------
: >"$tmp/empty.run"
score empty mixed.qrels empty.run
expect empty map all 0.000000
expect empty num_missing all 3

# --- malformed input: clear error, exit status 2 -----------------------------
echo 'q1 Q0 d1 1 3.0' >"$tmp/short.run"
expect_error short-run-line mixed.qrels short.run 'short.run:1: expected 6 fields'
echo 'q1 Q0 d1 1 high r' >"$tmp/word-score.run"
expect_error non-numeric-score mixed.qrels word-score.run "score 'high' is not a number"
echo 'q1 Q0 d1 1 nan r' >"$tmp/nan-score.run"
expect_error nan-score mixed.qrels nan-score.run "score 'nan' is not a number"
echo 'q1 Q0 d1 first 1.0 r' >"$tmp/word-rank.run"
expect_error non-numeric-rank mixed.qrels word-rank.run "rank 'first' is not an integer"
printf '%s\n' 'q1 Q0 d1 1 2.0 r' 'q1 Q0 d1 2 1.0 r' >"$tmp/dup.run"
expect_error duplicate-run-doc mixed.qrels dup.run 'retrieves docid d1 twice'
printf '%s\n' 'q1 0 d1 1' 'q1 0 d1 0' >"$tmp/dup.qrels"
expect_error duplicate-judgment dup.qrels q1.run 'judges docid d1 twice'
echo 'q1 0 d1 yes' >"$tmp/word-rel.qrels"
expect_error non-integer-rel word-rel.qrels q1.run "relevance 'yes' is not an integer"
echo 'q1 d1 1' >"$tmp/short.qrels"
expect_error short-qrels-line short.qrels q1.run 'short.qrels:1: expected 4 fields'
: >"$tmp/empty.qrels"
expect_error empty-qrels empty.qrels q1.run 'no judgments'
expect_error missing-file q1.qrels no-such.run 'cannot open'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

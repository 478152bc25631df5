#!/bin/bash
# Usage: eval/compare-runs.sh [-n ROUNDS] QRELS RUN_A RUN_B
#
# Paired two-sided randomisation test (Fisher's sign-flip permutation test,
# as Smucker, Allan and Carterette 2007 recommend for IR) of RUN_B against
# RUN_A on nDCG@10, MAP, P@10 and Recall@100: per-query values come from
# eval/trec-score -q (judged queries missing from a run score 0), and each
# round flips the sign of every query's difference with probability 1/2.
# Prints one Markdown row per measure: mean A, mean B, B - A, p.  The seed
# is fixed, so a rerun gives the same p.
set -eu
rounds=10000
if [ "${1:-}" = -n ]; then rounds=$2; shift 2; fi
if [ $# -ne 3 ]; then
    sed -n '2,10s/^# \{0,1\}//p' "$0" >&2
    exit 2
fi
eval_dir=$(cd "$(dirname "$0")" && pwd)
make -s -C "$eval_dir" trec-score
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$eval_dir/trec-score" -q "$1" "$2" >"$tmp/a"
"$eval_dir/trec-score" -q "$1" "$3" >"$tmp/b"
awk -F'\t' -v rounds="$rounds" '
    BEGIN { split("ndcg_cut_10 map P_10 recall_100", names, " ") }
    $2 == "all" { next }
    FNR == NR { a[$1, $2] = $3; queries[$2] = 1; next }
    { b[$1, $2] = $3; queries[$2] = 1 }
    END {
        srand(20261201)
        for (m = 1; m <= 4; m++) {
            name = names[m]; n = 0; sa = 0; sb = 0
            for (q in queries) {
                if (!((name, q) in a) && !((name, q) in b)) continue
                d[++n] = b[name, q] - a[name, q]
                sa += a[name, q]; sb += b[name, q]
            }
            if (n == 0) continue
            observed = (sb - sa) / n; extreme = 0
            for (r = 0; r < rounds; r++) {
                s = 0
                for (i = 1; i <= n; i++) s += (rand() < 0.5 ? -d[i] : d[i])
                if ((s < 0 ? -s : s) / n >= (observed < 0 ? -observed : observed) - 1e-12) extreme++
            }
            printf "| %s | %.4f | %.4f | %+.4f | %.4f |\n", name, sa / n, sb / n, observed, (extreme + 1) / (rounds + 1)
        }
    }' "$tmp/a" "$tmp/b"

/* trec-score: score a TREC run against qrels the way trec_eval does.
 *
 *   trec-score [-q] [-M DEPTH] [-d DIGITS] QRELS RUN
 *
 * QRELS lines: "qid iter docid rel"; RUN lines: "qid Q0 docid rank score run".
 * Prints trec_eval-style "measure<TAB>qid<TAB>value" lines: per query with
 * -q, then the means over all judged queries ("all").
 *
 * Definitions (current trec_eval source, 10.0-rc2: form_res_rels.c, m_map.c,
 * m_P.c, m_recall.c, m_ndcg_cut.c), relevant meaning rel >= 1:
 *   order        score descending; ties by docid descending in strcmp() byte
 *                order (comp_sim_docno); the rank column is ignored.  Only
 *                the first DEPTH (default 1000) documents of a query count.
 *   map          sum over relevant retrieved docs of (relevant so far / rank),
 *                divided by the number of relevant docs in the qrels.
 *   P_10         relevant docs in the top 10, divided by 10.
 *   recall_100   relevant docs in the top 100 / relevant docs in the qrels.
 *   ndcg_cut_10  sum over the top 10 of rel / log2(rank + 1) (rel > 0 only),
 *                divided by the same sum over the qrels' rel values sorted
 *                descending (the ideal ranking); 0 when that is 0.
 * Means run over every query in the qrels; a judged query absent from the
 * run scores 0 (trec_eval -c).  Run queries without judgments are ignored.
 * Malformed lines, duplicate docids within a query, or unreadable files
 * exit with status 2 and a message naming file and line. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct judgment {
    char *qid, *docid;
    long rel;
};

struct retrieved {
    char *qid, *docid;
    double score;
};

struct query_scores {
    double ndcg_cut_10, map, p_10, recall_100;
};

static const char usage[] =
    "usage: trec-score [-q] [-M DEPTH] [-d DIGITS] QRELS RUN\n"
    "  -q         also print per-query values\n"
    "  -M DEPTH   only the first DEPTH documents of each query count (default 1000)\n"
    "  -d DIGITS  decimals printed (default 4, as trec_eval)\n";

static void fail(const char *fmt, ...)
{
    va_list ap;
    fputs("trec-score: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

static void *grow(void *array, size_t *cap, size_t elem_size)
{
    *cap = *cap ? *cap * 2 : 1024;
    void *bigger = realloc(array, *cap * elem_size);
    if (!bigger)
        fail("out of memory");
    return bigger;
}

static char *copy(const char *s)
{
    char *c = strdup(s);
    if (!c)
        fail("out of memory");
    return c;
}

/* Splits line into at most max blank-separated fields; returns the count
 * (max + 1 means "more than max"). */
static int split_fields(char *line, char **fields, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *f = strtok_r(line, " \t\r\n", &save); f; f = strtok_r(NULL, " \t\r\n", &save)) {
        if (n == max)
            return max + 1;
        fields[n++] = f;
    }
    return n;
}

static int parse_long(const char *text, long *value)
{
    char *end;
    errno = 0;
    *value = strtol(text, &end, 10);
    return !errno && end != text && *end == '\0';
}

static struct judgment *read_qrels(const char *path, size_t *count)
{
    FILE *in = fopen(path, "r");
    if (!in)
        fail("cannot open %s: %s", path, strerror(errno));
    struct judgment *list = NULL;
    size_t n = 0, cap = 0, line_no = 0, line_cap = 0;
    char *line = NULL, *f[4];
    while (getline(&line, &line_cap, in) != -1) {
        ++line_no;
        int fields = split_fields(line, f, 4);
        if (fields == 0)
            continue;
        long rel;
        if (fields != 4)
            fail("%s:%zu: expected 4 fields 'qid iter docid rel'", path, line_no);
        if (!parse_long(f[3], &rel))
            fail("%s:%zu: relevance '%s' is not an integer", path, line_no, f[3]);
        if (n == cap)
            list = grow(list, &cap, sizeof *list);
        list[n++] = (struct judgment){copy(f[0]), copy(f[2]), rel};
    }
    if (ferror(in))
        fail("error reading %s", path);
    fclose(in);
    free(line);
    *count = n;
    return list;
}

static struct retrieved *read_run(const char *path, size_t *count)
{
    FILE *in = fopen(path, "r");
    if (!in)
        fail("cannot open %s: %s", path, strerror(errno));
    struct retrieved *list = NULL;
    size_t n = 0, cap = 0, line_no = 0, line_cap = 0;
    char *line = NULL, *f[6];
    while (getline(&line, &line_cap, in) != -1) {
        ++line_no;
        int fields = split_fields(line, f, 6);
        if (fields == 0)
            continue;
        long rank;
        char *end;
        if (fields != 6)
            fail("%s:%zu: expected 6 fields 'qid Q0 docid rank score run'", path, line_no);
        if (!parse_long(f[3], &rank))
            fail("%s:%zu: rank '%s' is not an integer", path, line_no, f[3]);
        errno = 0;
        double score = strtod(f[4], &end);
        if (errno == ERANGE || end == f[4] || *end || isnan(score))
            fail("%s:%zu: score '%s' is not a number", path, line_no, f[4]);
        if (n == cap)
            list = grow(list, &cap, sizeof *list);
        list[n++] = (struct retrieved){copy(f[0]), copy(f[2]), score};
    }
    if (ferror(in))
        fail("error reading %s", path);
    fclose(in);
    free(line);
    *count = n;
    return list;
}

static int by_qid_docid_judgment(const void *a, const void *b)
{
    const struct judgment *x = a, *y = b;
    int c = strcmp(x->qid, y->qid);
    return c ? c : strcmp(x->docid, y->docid);
}

static int by_qid_docid_retrieved(const void *a, const void *b)
{
    const struct retrieved *x = a, *y = b;
    int c = strcmp(x->qid, y->qid);
    return c ? c : strcmp(x->docid, y->docid);
}

/* trec_eval's ranking order: score descending, ties by docid descending. */
static int by_qid_rank(const void *a, const void *b)
{
    const struct retrieved *x = a, *y = b;
    int c = strcmp(x->qid, y->qid);
    if (c)
        return c;
    if (x->score > y->score)
        return -1;
    if (x->score < y->score)
        return 1;
    return strcmp(y->docid, x->docid);
}

static int by_gain_descending(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x < y) - (x > y);
}

/* Relevance of docid for the query whose judgments are judged[0..n), or 0
 * when unjudged (trec_eval gives those no gain and counts them non-relevant). */
static long relevance(const struct judgment *judged, size_t n, const char *docid)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(judged[mid].docid, docid);
        if (c == 0)
            return judged[mid].rel;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static struct query_scores score_query(const struct judgment *judged, size_t n_judged,
                                       const struct retrieved *ranked, size_t n_ranked,
                                       long depth)
{
    struct query_scores s = {0, 0, 0, 0};
    long *gains = malloc((n_judged + 1) * sizeof *gains);
    if (!gains)
        fail("out of memory");
    size_t n_relevant = 0, n_gains = 0;
    for (size_t i = 0; i < n_judged; ++i) {
        if (judged[i].rel >= 1)
            ++n_relevant;
        if (judged[i].rel > 0)
            gains[n_gains++] = judged[i].rel;
    }
    qsort(gains, n_gains, sizeof *gains, by_gain_descending);
    double ideal_dcg = 0;
    for (size_t i = 0; i < n_gains && i < 10; ++i)
        ideal_dcg += (double)gains[i] / log2((double)i + 2);
    free(gains);

    if ((long)n_ranked > depth)
        n_ranked = (size_t)depth;
    size_t relevant_so_far = 0, relevant_in_10 = 0, relevant_in_100 = 0;
    double dcg = 0, precision_sum = 0;
    for (size_t i = 0; i < n_ranked; ++i) {
        long rel = relevance(judged, n_judged, ranked[i].docid);
        if (i < 10 && rel > 0)
            dcg += (double)rel / log2((double)i + 2);
        if (rel >= 1) {
            ++relevant_so_far;
            precision_sum += (double)relevant_so_far / (double)(i + 1);
            relevant_in_10 += i < 10;
            relevant_in_100 += i < 100;
        }
    }
    s.p_10 = (double)relevant_in_10 / 10;
    if (n_relevant) {
        s.map = precision_sum / (double)n_relevant;
        s.recall_100 = (double)relevant_in_100 / (double)n_relevant;
    }
    s.ndcg_cut_10 = ideal_dcg > 0 ? dcg / ideal_dcg : 0;
    return s;
}

static void print_scores(const char *qid, const struct query_scores *s, int digits)
{
    printf("ndcg_cut_10\t%s\t%.*f\n", qid, digits, s->ndcg_cut_10);
    printf("map\t%s\t%.*f\n", qid, digits, s->map);
    printf("P_10\t%s\t%.*f\n", qid, digits, s->p_10);
    printf("recall_100\t%s\t%.*f\n", qid, digits, s->recall_100);
}

int main(int argc, char **argv)
{
    int per_query = 0, digits = 4;
    long depth = 1000;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; ++i) {
        const char *opt = argv[i];
        long value;
        if (!strcmp(opt, "-q"))
            per_query = 1;
        else if ((!strcmp(opt, "-M") || !strcmp(opt, "-d")) && i + 1 < argc) {
            if (!parse_long(argv[++i], &value) || value < (opt[1] == 'M' ? 1 : 0) ||
                value > (opt[1] == 'M' ? 1000000000L : 17))
                fail("bad value '%s' for %s\n%s", argv[i], opt, usage);
            if (opt[1] == 'M')
                depth = value;
            else
                digits = (int)value;
        } else
            fail("unknown or incomplete option %s\n%s", opt, usage);
    }
    if (argc - i != 2)
        fail("need QRELS and RUN\n%s", usage);

    size_t n_judgments, n_retrieved;
    struct judgment *judgments = read_qrels(argv[i], &n_judgments);
    struct retrieved *run = read_run(argv[i + 1], &n_retrieved);
    if (n_judgments == 0)
        fail("%s: no judgments", argv[i]);

    qsort(judgments, n_judgments, sizeof *judgments, by_qid_docid_judgment);
    for (size_t k = 1; k < n_judgments; ++k)
        if (!by_qid_docid_judgment(&judgments[k - 1], &judgments[k]))
            fail("%s: query %s judges docid %s twice", argv[i], judgments[k].qid,
                 judgments[k].docid);
    qsort(run, n_retrieved, sizeof *run, by_qid_docid_retrieved);
    for (size_t k = 1; k < n_retrieved; ++k)
        if (!by_qid_docid_retrieved(&run[k - 1], &run[k]))
            fail("%s: query %s retrieves docid %s twice", argv[i + 1], run[k].qid,
                 run[k].docid);
    qsort(run, n_retrieved, sizeof *run, by_qid_rank);

    /* Walk the judged queries and the run's queries together, both in qid order. */
    struct query_scores sum = {0, 0, 0, 0};
    size_t n_queries = 0, n_missing = 0, n_unjudged = 0;
    size_t j = 0, r = 0;
    while (j < n_judgments) {
        const char *qid = judgments[j].qid;
        size_t j_end = j;
        while (j_end < n_judgments && !strcmp(judgments[j_end].qid, qid))
            ++j_end;
        while (r < n_retrieved && strcmp(run[r].qid, qid) < 0) {
            ++n_unjudged;
            const char *skipped = run[r].qid;
            while (r < n_retrieved && !strcmp(run[r].qid, skipped))
                ++r;
        }
        size_t r_end = r;
        while (r_end < n_retrieved && !strcmp(run[r_end].qid, qid))
            ++r_end;
        if (r_end == r)
            ++n_missing;
        struct query_scores s =
            score_query(&judgments[j], j_end - j, &run[r], r_end - r, depth);
        if (per_query)
            print_scores(qid, &s, digits);
        sum.ndcg_cut_10 += s.ndcg_cut_10;
        sum.map += s.map;
        sum.p_10 += s.p_10;
        sum.recall_100 += s.recall_100;
        ++n_queries;
        j = j_end;
        r = r_end;
    }
    while (r < n_retrieved) {
        ++n_unjudged;
        const char *skipped = run[r].qid;
        while (r < n_retrieved && !strcmp(run[r].qid, skipped))
            ++r;
    }

    struct query_scores mean = {sum.ndcg_cut_10 / (double)n_queries, sum.map / (double)n_queries,
                                sum.p_10 / (double)n_queries,
                                sum.recall_100 / (double)n_queries};
    print_scores("all", &mean, digits);
    printf("num_q\tall\t%zu\n", n_queries);
    printf("num_missing\tall\t%zu\n", n_missing);
    printf("num_unjudged\tall\t%zu\n", n_unjudged);

    for (size_t k = 0; k < n_judgments; ++k)
        free(judgments[k].qid), free(judgments[k].docid);
    for (size_t k = 0; k < n_retrieved; ++k)
        free(run[k].qid), free(run[k].docid);
    free(judgments);
    free(run);
    return fflush(stdout) == 0 ? 0 : 1;
}

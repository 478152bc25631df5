/* rank.c - the hit score (see rank.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rank.h"
#include "results.h"

/* Xapian's BM25 with these parameters is idf times wdf (within 2 parts in
 * a million); K3 only matters for a term with wqf > 1, which we never
 * build (see the top of query_build.c). */
#define XAPIAN_K1 1e9
#define XAPIAN_K2 0.0
#define XAPIAN_K3 1.0
#define XAPIAN_B 0.0
#define XAPIAN_MIN_NORMLEN 0.0

/* How much the closeness of the query's words adds (at most 1.5 times). */
#define PROXIMITY_WEIGHT 0.5
#define NEAR_WINDOW 8          /* query words this close count half a phrase */

/* Feedback, chosen once on both eval/ collections (eval/RESULTS.md): the
 * top 5 passages of the first round, up to 20 terms (stop words, numbers
 * and lone letters left out) by Xapian's "trad" scheme, Robertson's
 * selection value ("bo1" lost on both), the best weighing 0.7 of an
 * original word and the others in proportion to their expansion weight. */
#define EXPAND_DOCS 5
#define EXPAND_TIES 20         /* passages tied with the 5th also count */
#define EXPAND_TERMS 20
#define EXPAND_WEIGHT 0.7
#define EXPAND_SCHEME "trad"

/* Document evidence: a passage gains this share of the best other passage
 * of its file (0.25 lost on med, 0.1 gained less on cisi). */
#define EVIDENCE_WEIGHT 0.15

uint32_t _cs_bm25_impact(uint32_t tf, uint32_t dl)
{
    double norm = 1.0 - CS_BM25_B + CS_BM25_B * (double)dl / CS_BM25_PIVOT;
    double w = (double)tf * (CS_BM25_K1 + 1.0) / ((double)tf + CS_BM25_K1 * norm);
    uint32_t impact = (uint32_t)lround(w * CS_IMPACT_SCALE);
    return impact ? impact : 1;
}

uint32_t _cs_rank_title_impact(uint32_t tf, uint32_t words)
{
    return _cs_bm25_impact(tf, words);
}

cs_status_t _cs_rank_weighting(xc_enquire_t *enq, xc_error_t *err)
{
    return xc_enquire_set_bm25(enq, XAPIAN_K1, XAPIAN_K2, XAPIAN_K3, XAPIAN_B,
                               XAPIAN_MIN_NORMLEN, err);
}

/* Xapian 1.4's BM25 idf for a term in @freq of @docs passages (no
 * relevance set): nothing where it is in over about half of them. */
static double bm25_idf(double freq, double docs)
{
    double ratio = (docs - freq + 0.5) / (freq + 0.5);
    return ratio <= 1.0 ? 0.0 : log(ratio);
}

double _cs_rank_form_scale(const uint64_t *freqs, size_t n, size_t i, uint64_t docs)
{
    if (!docs)
        return 1.0;
    double missing = 1.0;
    for (size_t k = 0; k < n; k++)
        missing *= 1.0 - (double)freqs[k] / (double)docs;
    double own = bm25_idf((double)freqs[i], (double)docs);
    return own > 0 ? bm25_idf((1.0 - missing) * (double)docs, (double)docs) / own : 1.0;
}

double _cs_rank_bm25(const xc_mset_t *mset, size_t i)
{
    return xc_mset_weight(mset, i) / CS_IMPACT_SCALE;
}

/* ---- proximity --------------------------------------------------------- */

/* The index of the proximity word @t is, or -1.  Every token of every
 * candidate passage comes here, against every word of queries that can be
 * a paragraph long: the first byte settles most comparisons. */
static int proximity_word(const cs_proximity_t *prox, const cs_token_t *t)
{
    for (size_t i = 0; i < prox->count; i++) {
        const char *w = prox->words[i];
        if (w[0] == t->term[0] && strncmp(w, t->term, t->term_len) == 0 &&
            w[t->term_len] == '\0')
            return (int)i;
    }
    return -1;
}

/* A passage's tokens, read once: two occurrences within NEAR_WINDOW of
 * each other are within it of the other word's latest occurrence when the
 * second of them is read, so each word's latest token suffices. */
typedef struct proximity_scan {
    const cs_proximity_t *prox;
    size_t tokens;          /* read so far */
    size_t *last;           /* per word, 1 + its latest token's index; 0: none yet */
    unsigned char *pair;    /* per pair (w, w + 1): 2 side by side in order,
                               1 within NEAR_WINDOW, 0 neither (yet) */
} proximity_scan_t;

static int scan_token(void *ctx, const cs_token_t *t)
{
    proximity_scan_t *s = ctx;
    size_t here = ++s->tokens;   /* 1 + this token's index */
    int found = proximity_word(s->prox, t);
    if (found < 0)
        return 0;
    size_t w = (size_t)found;
    if (w > 0 && s->last[w - 1]) {              /* the word before it in the query */
        size_t gap = here - s->last[w - 1];
        if (gap == 1)
            s->pair[w - 1] = 2;
        else if (gap <= NEAR_WINDOW && !s->pair[w - 1])
            s->pair[w - 1] = 1;
    }
    if (w + 1 < s->prox->count && s->last[w + 1] && here - s->last[w + 1] <= NEAR_WINDOW &&
        !s->pair[w])                            /* the word after it, seen before */
        s->pair[w] = 1;
    s->last[w] = here;
    return 0;
}

int _cs_rank_proximity(cs_analyzer_t *analyzer, const cs_proximity_t *prox, const char *text,
                       size_t len, double *out)
{
    *out = 0;
    if (prox->count < 2)
        return 1;
    proximity_scan_t s = { prox, 0, calloc(prox->count, sizeof *s.last),
                           calloc(prox->count, sizeof *s.pair) };
    if (s.last && s.pair) {
        cs_analyzer_tokenize(analyzer, text, len, 1, scan_token, &s);
        /* for each pair of consecutive query words: 1 when they stand side
         * by side in order, 0.5 when within NEAR_WINDOW words; averaged */
        double total = 0;
        for (size_t w = 0; w + 1 < prox->count; w++)
            total += 0.5 * s.pair[w];
        *out = total / (double)(prox->count - 1);
    }
    int ok = s.last && s.pair;
    free(s.last);
    free(s.pair);
    return ok;
}

double _cs_rank_boosted(double bm25, double proximity)
{
    return bm25 * (1.0 + PROXIMITY_WEIGHT * proximity);
}

void _cs_expansion_free(cs_expansion_t *e)
{
    xc_query_free(e->query);
    xc_expand_terms_free(e->terms, e->count);
    free(e->weights);
    memset(e, 0, sizeof *e);
}

/* A term worth adding: a stem that is no stop word (nor the stem of one:
 * "onli", "veri"), number or lone letter; 1 if so, 0 if not, -1 when out
 * of memory.  Xapian's expansion weights favour words found in every
 * passage of the relevance set, and the stop words, kept in the index for
 * phrases, are such words. */
static int worth_adding(cs_index_t *index, const char *term)
{
    const char *stem = _cs_store_stem_of_term(term);
    if (!stem)
        return 0;
    size_t len = strlen(stem), digits = strspn(stem, "0123456789");
    if (len < 2 || digits == len)
        return 0;
    int stop = cs_analyzer_is_stop_stem(index->analyzer, stem, len);
    return stop < 0 ? -1 : !stop;
}

/* The first round's top EXPAND_DOCS passages, as document ids, and the
 * passages tied with the last of them, up to EXPAND_TIES more.  Which of a
 * longer tie count is decided by the file key (a hash of root and path),
 * then the byte offset (which document ids follow within a file), never by
 * the ids across files, which differ between builds. */
static cs_status_t first_round(xc_enquire_t *enq, const xc_query_t *q, uint32_t **docids,
                               size_t *n, xc_error_t *err)
{
    xc_mset_t *mset = NULL;
    *docids = NULL;
    *n = 0;
    cs_status_t st = xc_enquire_set_query(enq, q, err);
    if (!st)
        st = _cs_rank_weighting(enq, err);
    if (!st)
        st = xc_enquire_set_tie_value(enq, _cs_store_file_slot(), err);
    if (!st)
        st = xc_enquire_get_mset(enq, 0, EXPAND_DOCS + EXPAND_TIES, 0, &mset, err);
    if (!st) {
        size_t size = xc_mset_size(mset);
        *docids = malloc((size ? size : 1) * sizeof **docids);
        if (!*docids) {
            st = err->status = CS_ERR_NOMEM;
            snprintf(err->message, sizeof err->message, "out of memory");
        }
        double last = size >= EXPAND_DOCS ? xc_mset_weight(mset, EXPAND_DOCS - 1) : 0;
        for (size_t i = 0; *docids && i < size && (i < EXPAND_DOCS ||
                                                   xc_mset_weight(mset, i) >= last); i++)
            (*docids)[(*n)++] = xc_mset_docid(mset, i);
    }
    xc_mset_free(mset);
    return st;
}

/* @q with each added term scaled by its factor: OR'ed (@any) or AND_MAYBE. */
static cs_status_t widen(const xc_query_t *q, const cs_expansion_t *e, int any,
                         xc_query_t **out, xc_error_t *err)
{
    xc_query_t **parts = calloc(e->count + 1, sizeof *parts);
    if (!parts) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return err->status = CS_ERR_NOMEM;
    }
    cs_status_t st = CS_OK;
    size_t n = 0;
    for (size_t i = 0; i < e->count && !st; i++) {
        xc_query_t *t = NULL;
        st = xc_query_term(e->terms[i].term, strlen(e->terms[i].term), 1, &t, err);
        if (!st)
            st = xc_query_scale(t, e->weights[i], &parts[n++], err);
        xc_query_free(t);
    }
    xc_query_t *added = NULL;
    if (!st)
        st = xc_query_combine(XC_OP_OR, parts, n, 0, &added, err);
    if (!st) {
        xc_query_t *pair[2] = { (xc_query_t *)q, added };   /* combining copies */
        st = xc_query_combine(any ? XC_OP_OR : XC_OP_AND_MAYBE, pair, 2, 0, out, err);
    }
    xc_query_free(added);
    for (size_t i = 0; i < n; i++)
        xc_query_free(parts[i]);
    free(parts);
    return st;
}

cs_status_t _cs_rank_expand(cs_index_t *index, cs_built_query_t *built,
                            const xc_query_t *query, int any, cs_expansion_t *out)
{
    memset(out, 0, sizeof *out);
    xc_error_t err = { 0 };
    xc_enquire_t *enq = NULL;
    uint32_t *docids = NULL;
    size_t n = 0;
    cs_status_t st = xc_enquire_new(index->db, &enq, &err);
    if (!st)
        st = first_round(enq, query, &docids, &n, &err);
    if (!st && n > 0)
        st = xc_enquire_expand(enq, docids, n, _cs_store_stem_prefix(), 2 * EXPAND_TERMS + 20,
                               EXPAND_SCHEME, &out->terms, &out->count, &err);
    size_t kept = 0;
    for (size_t i = 0; i < out->count; i++) {
        int worth = !st && kept < EXPAND_TERMS ? worth_adding(index, out->terms[i].term) : 0;
        if (worth < 0) {
            st = err.status = CS_ERR_NOMEM;
            snprintf(err.message, sizeof err.message, "out of memory");
        }
        if (worth > 0)
            out->terms[kept++] = out->terms[i];
        else
            free(out->terms[i].term);
    }
    out->count = kept;
    if (!st && out->count > 0) {
        out->weights = calloc(out->count, sizeof *out->weights);
        if (!out->weights) {
            st = err.status = CS_ERR_NOMEM;
            snprintf(err.message, sizeof err.message, "out of memory");
        }
        double best = out->terms[0].weight > 0 ? out->terms[0].weight : 1;
        for (size_t i = 0; out->weights && i < out->count; i++)
            out->weights[i] = EXPAND_WEIGHT * out->terms[i].weight / best;
    }
    if (!st && out->count > 0)
        st = widen(query, out, any, &out->query, &err);
    free(docids);
    xc_enquire_free(enq);
    if (st) {
        _cs_expansion_free(out);
        return _cs_index_fail(index, st, "%s", err.message);
    }
    if (!out->query)
        return CS_OK;
    cs_buf_t desc;
    _cs_buf_init(&desc);
    _cs_buf_printf(&desc, "%s; expanded from the top %zu passages with:", built->description, n);
    for (size_t i = 0; i < out->count; i++)
        _cs_buf_printf(&desc, " %s (%.3f)", _cs_store_stem_of_term(out->terms[i].term),
                       out->weights[i]);
    if (desc.failed) {
        _cs_buf_free(&desc);
        return _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    }
    free(built->description);
    built->description = _cs_buf_steal(&desc);
    return CS_OK;
}

void _cs_rank_evidence_add(cs_file_evidence_t *e, double bm25)
{
    if (bm25 > e->top[0]) {
        e->top[1] = e->top[0];
        e->top[0] = bm25;
    } else if (bm25 > e->top[1]) {
        e->top[1] = bm25;
    }
}

double _cs_rank_evidence(const cs_file_evidence_t *e, double bm25)
{
    double other = bm25 >= e->top[0] ? e->top[1] : e->top[0];
    return EVIDENCE_WEIGHT * other;
}

/* ---- explanation ----------------------------------------------------------- */

/* The scale factor "0.99963276643406506761 * " that Xapian writes before a
 * scaled subquery (a word's form in a phrase, title words, a split word's
 * parts), as "0.9996 x "; its length in the description, or 0 if none
 * starts here. */
static size_t append_factor(cs_buf_t *out, const char *at)
{
    char *end;
    double factor = strtod(at, &end);
    if (end == at || strncmp(end, " * ", 3) != 0)
        return 0;
    _cs_buf_printf(out, "%.4g x ", factor);
    return (size_t)(end + 3 - at);
}

/* Xapian's description of a part, in our words: no "Query(...)" around it,
 * stems without their "Z", title words as "title:" + stem, scale factors
 * to four digits. */
static void append_part(cs_buf_t *out, const char *description)
{
    size_t len = strlen(description);
    if (strncmp(description, "Query(", 6) == 0 && len > 7 && description[len - 1] == ')') {
        description += 6;
        len -= 7;
    }
    for (size_t i = 0; i < len; i++) {
        int word_start = i == 0 || description[i - 1] == ' ' || description[i - 1] == '(';
        if (!word_start) {
            _cs_buf_append(out, description + i, 1);
            continue;
        }
        size_t factor = append_factor(out, description + i);
        if (factor) {
            i += factor - 1;
            continue;
        }
        if (_cs_store_stem_of_term(description + i))
            continue;
        const char *title = _cs_store_title_stem_of_term(description + i);
        if (title) {
            _cs_buf_append_str(out, "title:");
            i += (size_t)(title - (description + i)) - 1;
            continue;
        }
        _cs_buf_append(out, description + i, 1);
    }
}

typedef struct parts {
    cs_buf_t text;
    double sum;
    size_t count;
} parts_t;

static int add_part(void *ctx, const char *description, double weight)
{
    parts_t *p = ctx;
    double bm25 = weight / CS_IMPACT_SCALE;
    _cs_buf_append_str(&p->text, p->count++ ? " + " : "");
    append_part(&p->text, description);
    _cs_buf_printf(&p->text, " %.3f", bm25);
    p->sum += bm25;
    return 0;
}

cs_status_t _cs_rank_explain(cs_index_t *index, const xc_query_t *query, cs_hit_t *hit)
{
    char key[CS_FILE_KEY_HEX + 1], filter[CS_STORE_FILE_TERM_SIZE];
    _cs_file_key(hit->root, hit->path, key);   /* finish_hit has set both */
    _cs_store_file_term(key, filter);
    parts_t p = { { 0 }, 0, 0 };
    _cs_buf_init(&p.text);
    xc_error_t err;
    xc_enquire_t *enq = NULL;
    cs_status_t st = xc_enquire_new(index->db, &enq, &err);
    if (!st)
        st = _cs_rank_weighting(enq, &err);
    if (!st)
        st = xc_enquire_explain(enq, query, filter, hit->docid, add_part, &p, &err);
    xc_enquire_free(enq);
    if (st) {
        _cs_buf_free(&p.text);
        return _cs_index_fail(index, st, "%s", err.message);
    }
    cs_buf_t out;
    _cs_buf_init(&out);
    _cs_buf_printf(&out, "%.3f = ", hit->score);
    int grouped = hit->evidence != 0 || hit->boosted;
    _cs_buf_printf(&out, "%sBM25 %.3f = %s", grouped ? "(" : "", hit->bm25,
                   p.text.data ? p.text.data : "");
    if (p.count > 1 || fabs(p.sum - hit->bm25) > 0.0005)
        _cs_buf_printf(&out, " (sum %.3f)", p.sum);
    if (hit->evidence != 0)
        _cs_buf_printf(&out, "; + file evidence %.3f = %.2f x the file's best other passage",
                       hit->evidence, EVIDENCE_WEIGHT);
    _cs_buf_append_str(&out, grouped ? ")" : "");
    if (hit->boosted)
        _cs_buf_printf(&out, " x proximity boost %.3f (1 + %.2f x proximity %.3f)",
                       1.0 + PROXIMITY_WEIGHT * hit->proximity, PROXIMITY_WEIGHT,
                       hit->proximity);
    int failed = out.failed || p.text.failed;   /* _cs_buf_free resets the flag */
    _cs_buf_free(&p.text);
    if (failed) {
        _cs_buf_free(&out);
        return _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    }
    free(hit->explanation);
    hit->explanation = _cs_buf_steal(&out);
    return CS_OK;
}

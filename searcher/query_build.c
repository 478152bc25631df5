/* query_build.c - from the parsed query tree to a Xapian query.
 *
 * Words are analyzed exactly as the indexer analyzed the text, and every
 * word searches its stem's term (ranked by BM25; lib/store owns the term
 * prefixes); a bare word also ranks, as an alternative weighing
 * CS_RANK_TITLE_WEIGHT, by its stem among its file's title words, though
 * only what the body matches (rank.h).  A word that the analyzer splits
 * ("U.S.-Russia", "open-ended") and a quoted phrase search their stems in
 * order, as Lucene's English analyzer and SQLite FTS5's porter tokenizer
 * do; a split word also searches its parts anywhere, weighing
 * CS_RANK_SPLIT_PARTS_WEIGHT.  A wildcard expands over the index's
 * vocabulary of words (lib/store.h, _cs_store_each_word).  Stop words are
 * left out of bag-of-words ranking but kept in phrases.  Two or more bare
 * words also get a boost where they stand as a phrase or close together.
 *
 * Both choices for natural-language queries were measured (eval/RESULTS.md):
 * ranking stop words too lowers nDCG@10 and MAP on every collection, and a
 * word given several times stays one leaf per occurrence, each weighing in
 * full, rather than one leaf with wqf > 1, which BM25's k3 saturates: that
 * helps short queries (med) but costs more on long ones (cisi).
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rank.h"

#define WILDCARD_MAX_EXPANSION 1000

typedef struct term_list {
    char **terms;       /* normalized terms, malloc'd */
    char **stems;
    size_t count;
    int all_stop;       /* every token is a stop word */
} term_list_t;

typedef struct builder {
    cs_index_t *index;
    int any;
    cs_matchset_t *matches;
    cs_plan_t *plan;        /* the group the next part's plan joins; NULL:
                               the part is excluded and highlights nothing */
    size_t terms;           /* word terms so far, against CS_QUERY_MAX_TERMS */
    int positional;         /* a phrase or NEAR was built */
    cs_buf_t *desc;         /* the query in our own language, for --explain */
    int quiet;              /* inside a part that describes itself */
    int depth;              /* groups open, for parentheses */
    int weightless;         /* inside a filter or what NOT excludes */
    cs_status_t status;
    xc_error_t err;
} builder_t;

static xc_query_t *build(builder_t *b, const cs_qnode_t *n);

/* ---- errors -------------------------------------------------------- */

static xc_query_t *fail(builder_t *b, cs_status_t st, size_t offset, const char *fmt,
                        const char *arg)
{
    if (!b->status) {
        b->status = _cs_index_fail(b->index, st, fmt, arg);
        b->index->error_offset = (long)offset;
    }
    return NULL;
}

static xc_query_t *fail_xapian(builder_t *b)
{
    if (!b->status)
        b->status = _cs_index_fail(b->index, b->err.status, "%s", b->err.message);
    return NULL;
}

/* ---- the description (--explain) ------------------------------------- */

static void say(builder_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(builder_t *b, const char *fmt, ...)
{
    if (!b->desc || b->quiet)
        return;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    _cs_buf_append_str(b->desc, text);
}

/* ---- analysis of query words ------------------------------------------ */

static void term_list_free(term_list_t *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->terms[i]);
        free(l->stems[i]);
    }
    free(l->terms);
    free(l->stems);
    memset(l, 0, sizeof *l);
}

typedef struct collect {
    term_list_t *list;
    size_t cap;
    int nomem;
} collect_t;

static int collect_token(void *ctx, const cs_token_t *tok)
{
    collect_t *c = ctx;
    term_list_t *l = c->list;
    if (l->count == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 4;
        char **terms = realloc(l->terms, cap * sizeof *terms);
        if (terms)
            l->terms = terms;
        char **stems = terms ? realloc(l->stems, cap * sizeof *stems) : NULL;
        if (!stems) {
            c->nomem = 1;
            return 1;
        }
        l->stems = stems;
        c->cap = cap;
    }
    l->terms[l->count] = strndup(tok->term, tok->term_len);
    l->stems[l->count] = strndup(tok->stem, tok->stem_len);
    if (!l->terms[l->count] || !l->stems[l->count]) {
        free(l->terms[l->count]);
        free(l->stems[l->count]);
        c->nomem = 1;
        return 1;
    }
    l->count++;
    l->all_stop &= (tok->flags & CS_TOKEN_STOPWORD) != 0;
    return 0;
}

static int analyze(builder_t *b, const char *text, term_list_t *out)
{
    memset(out, 0, sizeof *out);
    out->all_stop = 1;
    collect_t c = { out, 0, 0 };
    cs_analyzer_tokenize(b->index->analyzer, text, strlen(text), 1, collect_token, &c);
    if (c.nomem) {
        term_list_free(out);
        fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
        return 0;
    }
    return 1;
}

/* ---- small query constructors ----------------------------------------- */

/* The query for @term (@len bytes), in at most @most passages (0: not
 * known); one that weighs nothing is made by xc_query_filter_term. */
static xc_query_t *leaf_query(builder_t *b, const char *term, size_t len, uint64_t most)
{
    xc_query_t *q = NULL;
    cs_status_t st = b->weightless
                         ? xc_query_filter_term(b->index->db, term, len, most, &q, &b->err)
                         : xc_query_term(term, len, 1, &q, &b->err);
    return st ? fail_xapian(b) : q;
}

static xc_query_t *term_query(builder_t *b, const char *term)
{
    return leaf_query(b, term, strlen(term), 0);
}

/* The query for the term @prefix (the field's, from the registry) + @text. */
static xc_query_t *prefixed_query(builder_t *b, const char *prefix, const char *text)
{
    char buf[CS_TERM_MAX * 4 + 8];
    int n = snprintf(buf, sizeof buf, "%s%s", prefix, text);
    if (n < 0 || (size_t)n >= sizeof buf)
        return fail(b, CS_ERR_INVALID, 0, "%s", "query term too long");
    return term_query(b, buf);
}

/* The query for a stem's term. */
static xc_query_t *stem_term_query(builder_t *b, const char *stem)
{
    char buf[CS_TERM_MAX * 4 + 8];
    if (!_cs_store_stem_term(stem, strlen(stem), buf, sizeof buf))
        return fail(b, CS_ERR_INVALID, 0, "%s", "query term too long");
    return term_query(b, buf);
}

/* The query for a stem's title term. */
static xc_query_t *title_term_query(builder_t *b, const char *stem)
{
    char buf[CS_TERM_MAX * 4 + 8];
    if (!_cs_store_title_term(stem, strlen(stem), buf, sizeof buf))
        return fail(b, CS_ERR_INVALID, 0, "%s", "query term too long");
    return term_query(b, buf);
}

/* Combine and free the parts (NULL parts are left out). */
static xc_query_t *combine(builder_t *b, xc_op_t op, xc_query_t **parts, size_t n,
                           uint32_t window)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (parts[i])
            parts[kept++] = parts[i];
    xc_query_t *q = NULL;
    if (kept == 1 && op != XC_OP_PHRASE && op != XC_OP_NEAR)
        return parts[0];
    if (kept && !b->status && xc_query_combine(op, parts, kept, window, &q, &b->err))
        fail_xapian(b);
    b->positional |= op == XC_OP_PHRASE || op == XC_OP_NEAR;
    for (size_t i = 0; i < kept; i++)
        xc_query_free(parts[i]);
    return q;
}

static xc_query_t *combine2(builder_t *b, xc_op_t op, xc_query_t *l, xc_query_t *r)
{
    xc_query_t *parts[2] = { l, r };
    if (!l || !r) {
        xc_query_free(l);
        xc_query_free(r);
        return NULL;
    }
    return combine(b, op, parts, 2, 0);
}

/* A query that matches no passage. */
static xc_query_t *nothing(builder_t *b)
{
    return term_query(b, _cs_store_no_passage_term());
}

/* ---- plans: what the highlights may mark -------------------------------- */

static cs_plan_t *new_plan(builder_t *b, cs_plan_kind_t kind)
{
    cs_plan_t *p = _cs_plan_new(kind);
    if (!p)
        fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    return p;
}

/* @p joins the group being built (or is dropped in an excluded part). */
static void attach(builder_t *b, cs_plan_t *p)
{
    if (!p)
        return;
    if (!b->plan || b->status)
        _cs_plan_free(p);
    else if (!_cs_plan_add_child(b->plan, p))
        fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
}

/* ---- words and their forms ---------------------------------------------- */

/* A word searches its stem and, by smart case, the acronyms it could stand
 * for (see acronym_forms). */
#define FORMS_MAX 3
typedef struct word_forms {
    char text[FORMS_MAX][2 * CS_TERM_MAX + 1];   /* [0] is the stem */
    uint64_t freq[FORMS_MAX];   /* passages holding each acronym form */
    size_t n;
} word_forms_t;

/* Smart case for acronyms (see analyzer.h): a word typed in lower case
 * ("us", "oewg", "icts") also searches the acronym it could stand for
 * ("US", "OEWG", "ICT") when the index holds it; one typed in capitals is
 * analyzed as the acronym already, and searches only that. */
static void forms_of(builder_t *b, const char *term, const char *stem, word_forms_t *f)
{
    snprintf(f->text[0], sizeof f->text[0], "%s", stem);
    f->n = 1;
    const char *bases[2] = { term, stem };
    for (size_t k = 0; k < 2; k++) {
        size_t len = strlen(bases[k]);
        int letters = len >= 2 && len <= 6;
        for (size_t i = 0; letters && i < len; i++)
            letters = bases[k][i] >= 'a' && bases[k][i] <= 'z';
        if (!letters)
            continue;
        char *alt = f->text[f->n];
        for (size_t i = 0; i <= len; i++)
            alt[i] = i < len ? (char)(bases[k][i] - 'a' + 'A') : '\0';
        int known = 0;
        for (size_t i = 0; i < f->n; i++)
            known |= strcmp(alt, f->text[i]) == 0;
        if (known)
            continue;
        char key[2 * CS_TERM_MAX + 8];
        _cs_store_stem_term(alt, strlen(alt), key, sizeof key);
        uint64_t freq = 0;
        if (xc_db_termfreq(b->index->db, key, &freq, &b->err) == CS_OK && freq > 0)
            f->freq[f->n++] = freq;
    }
}

/* A word's forms as searched: "report", or "(us|US)". */
static void say_forms(builder_t *b, const word_forms_t *f)
{
    say(b, "%s", f->n > 1 ? "(" : "");
    for (size_t i = 0; i < f->n; i++)
        say(b, "%s%s", i ? "|" : "", f->text[i]);
    say(b, "%s", f->n > 1 ? ")" : "");
}

/* Count one more searched term against the limit; 0 (failed) over it. */
static int count_term(builder_t *b)
{
    if (++b->terms <= CS_QUERY_MAX_TERMS)
        return 1;
    fail(b, CS_ERR_TOO_BROAD, 0, "the query searches too many terms: over %s "
         "(each word's forms, wildcard expansions and title words count)",
         CS_STRINGIFY(CS_QUERY_MAX_TERMS));
    return 0;
}

/* Put each form of @f in the match set (to weigh and highlight) and in
 * @terms (a TERMS plan, or NULL), counting it against the term limit. */
static int register_forms(builder_t *b, const word_forms_t *f, const char *word, int ranking,
                          cs_plan_t *terms)
{
    for (size_t i = 0; i < f->n && !b->status; i++) {
        if (!count_term(b))
            break;
        int k = _cs_matchset_put(b->matches, f->text[i], strlen(f->text[i]), word, ranking);
        if (k < 0 || (terms && !_cs_plan_add_stem(terms, k)))
            fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    }
    return !b->status;
}

/* One stem as a query, to search and to highlight; it joins @terms (a
 * TERMS plan, or NULL).  Wildcard expansions come here. */
static xc_query_t *stem_query(builder_t *b, const char *stem, const char *word, int ranking,
                              cs_plan_t *terms)
{
    word_forms_t f;
    snprintf(f.text[0], sizeof f.text[0], "%s", stem);
    f.n = 1;
    if (!register_forms(b, &f, word, ranking, terms))
        return NULL;
    return stem_term_query(b, stem);
}

/* The title alternative of a word of forms @f (rank.h): its title terms,
 * weighing CS_RANK_TITLE_WEIGHT, ranking what @body matches and nothing
 * else, so hit sets and counts stay the body's.  It is no part of any
 * plan: a title-only match marks nothing in the passage. */
static xc_query_t *with_title(builder_t *b, xc_query_t *body, const word_forms_t *f)
{
    if (!body)
        return NULL;
    xc_query_t *parts[FORMS_MAX] = { 0 }, *title = NULL;
    for (size_t i = 0; i < f->n && !b->status; i++)
        parts[i] = title_term_query(b, f->text[i]);
    xc_query_t *terms = combine(b, XC_OP_SYNONYM, parts, f->n, 0);
    if (terms && !b->status && xc_query_scale(terms, CS_RANK_TITLE_WEIGHT, &title, &b->err))
        fail_xapian(b);
    xc_query_free(terms);
    if (!title && b->status) {
        xc_query_free(body);
        return NULL;
    }
    if (!title)
        return body;
    return combine2(b, XC_OP_AND_MAYBE, body, title);
}

/* One word as a query: its forms, as one weighed term (and, with @title,
 * its title terms: with_title); its plan in *@plan. */
static xc_query_t *word_query(builder_t *b, const char *term, const char *stem,
                              const char *word, int ranking, int title, cs_plan_t **plan)
{
    word_forms_t f;
    forms_of(b, term, stem, &f);
    *plan = new_plan(b, CS_PLAN_TERMS);
    if (!*plan || !register_forms(b, &f, word, ranking, *plan))
        return NULL;
    say_forms(b, &f);
    xc_query_t *parts[FORMS_MAX];
    for (size_t i = 0; i < f.n; i++)
        parts[i] = stem_term_query(b, f.text[i]);
    xc_query_t *q = combine(b, XC_OP_SYNONYM, parts, f.n, 0);
    return title ? with_title(b, q, &f) : q;
}

/* Word @f inside a phrase or NEAR: its term, or the OR of its forms
 * (Xapian 1.4 reads an OR's positions there, not a SYNONYM's), each
 * scaled to weigh as their SYNONYM would (rank.h): unscaled, the few
 * passages shouting "UNITED Nations" outranked every "United Nations". */
static xc_query_t *positional_word(builder_t *b, const word_forms_t *f)
{
    if (f->n == 1)
        return stem_term_query(b, f->text[0]);
    uint64_t freqs[FORMS_MAX], docs = 0;
    memcpy(freqs, f->freq, sizeof freqs);
    char key[2 * CS_TERM_MAX + 8];
    if (!_cs_store_stem_term(f->text[0], strlen(f->text[0]), key, sizeof key))
        return fail(b, CS_ERR_INVALID, 0, "%s", "query term too long");
    if (xc_db_termfreq(b->index->db, key, &freqs[0], &b->err) ||
        xc_db_doccount(b->index->db, &docs, &b->err))
        return fail_xapian(b);
    xc_query_t *parts[FORMS_MAX] = { 0 };
    for (size_t i = 0; i < f->n && !b->status; i++) {
        xc_query_t *term = stem_term_query(b, f->text[i]);
        if (term && xc_query_scale(term, _cs_rank_form_scale(freqs, f->n, i, docs),
                                   &parts[i], &b->err))
            fail_xapian(b);
        xc_query_free(term);
    }
    return combine(b, XC_OP_OR, parts, f->n, 0);
}

/* @op (PHRASE, or NEAR within @window) over @n words with forms @f: one
 * positional query over each word's forms (positional_word).  The OR of
 * one phrase per choice of forms that it replaced took q112 "united
 * nations" 25 ms against 13; other phrases of forms are 5-16% slower
 * (bench/RESULTS.md, "Phrases of forms"). */
static xc_query_t *positional(builder_t *b, xc_op_t op, uint32_t window,
                              const word_forms_t *f, size_t n)
{
    xc_query_t **words = calloc(n ? n : 1, sizeof *words);
    if (!words)
        return fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    /* plain terms even where the phrase weighs nothing (under NOT): their
     * positions are read from their own lists, never the every-document
     * list, and xc_query_filter_term's forms of a term have no positions */
    int weightless = b->weightless;
    b->weightless = 0;
    for (size_t i = 0; i < n && !b->status; i++)
        words[i] = positional_word(b, &f[i]);
    b->weightless = weightless;
    xc_query_t *q = combine(b, op, words, n, window);
    free(words);
    return q;
}

/* Words in order: one word, or a phrase; its plan in *@plan. */
static xc_query_t *stem_sequence(builder_t *b, const term_list_t *l, const char *word,
                                 cs_plan_t **plan)
{
    if (l->count == 1)
        return word_query(b, l->terms[0], l->stems[0], word, 0, 0, plan);
    *plan = new_plan(b, CS_PLAN_PHRASE);
    word_forms_t *f = calloc(l->count, sizeof *f);
    if (!f || !*plan) {
        free(f);
        return fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    }
    for (size_t i = 0; i < l->count; i++)
        forms_of(b, l->terms[i], l->stems[i], &f[i]);
    xc_query_t *q = positional(b, XC_OP_PHRASE, 0, f, l->count);
    say(b, "\"");
    for (size_t i = 0; i < l->count; i++) {
        say(b, "%s", i ? " " : "");
        say_forms(b, &f[i]);
    }
    say(b, "\"");
    for (size_t i = 0; i < l->count && !b->status; i++) {
        cs_plan_t *terms = new_plan(b, CS_PLAN_TERMS);
        if (terms && register_forms(b, &f[i], word, 0, terms) &&
            !_cs_plan_add_child(*plan, terms))
            fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
        else if (b->status)
            _cs_plan_free(terms);
    }
    free(f);
    return q;
}

/* ---- leaves ---------------------------------------------------------- */

/* A word the analyzer splits ("x-ray", "re-entry"): the joined phrase, and
 * also its parts anywhere, weighing a small share (rank.h), so that the
 * phrase wins but passages writing the parts apart are found too.  Without
 * @b->any all parts are required. */
static xc_query_t *split_word(builder_t *b, const term_list_t *l, const char *word,
                              cs_plan_t **plan)
{
    *plan = new_plan(b, CS_PLAN_GROUP);
    xc_query_t **parts = calloc(l->count, sizeof *parts);
    if (!*plan || !parts) {
        free(parts);
        return fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    }
    cs_plan_t *phrase_plan = NULL;
    xc_query_t *phrase = stem_sequence(b, l, word, &phrase_plan);
    if (phrase_plan && !_cs_plan_add_child(*plan, phrase_plan))
        fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    say(b, " or, weighing %.2f, its parts:", CS_RANK_SPLIT_PARTS_WEIGHT);
    for (size_t i = 0; i < l->count && !b->status; i++) {
        cs_plan_t *terms = NULL;
        say(b, " ");
        parts[i] = word_query(b, l->terms[i], l->stems[i], word, 0, 0, &terms);
        if (terms && !_cs_plan_add_child(*plan, terms))
            fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    }
    xc_query_t *words = combine(b, b->any ? XC_OP_OR : XC_OP_AND, parts, l->count, 0);
    xc_query_t *scaled = NULL;
    free(parts);
    if (words && !b->status && xc_query_scale(words, CS_RANK_SPLIT_PARTS_WEIGHT, &scaled, &b->err))
        fail_xapian(b);
    xc_query_free(words);
    return combine2(b, b->any ? XC_OP_OR : XC_OP_AND_MAYBE, scaled, phrase);
}

static xc_query_t *build_word(builder_t *b, const cs_qnode_t *n)
{
    term_list_t l;
    if (!analyze(b, n->text, &l))
        return NULL;
    xc_query_t *q = NULL;
    cs_plan_t *plan = NULL;
    if (l.count == 1)
        q = word_query(b, l.terms[0], l.stems[0], n->text, 1, 1, &plan);
    else if (l.count > 1)
        q = split_word(b, &l, n->text, &plan);
    attach(b, plan);
    term_list_free(&l);
    return q;
}

static xc_query_t *build_phrase(builder_t *b, const cs_qnode_t *n)
{
    term_list_t l;
    if (!analyze(b, n->text, &l))
        return NULL;
    cs_plan_t *plan = NULL;
    xc_query_t *q = l.count ? stem_sequence(b, &l, n->text, &plan) : NULL;
    attach(b, plan);
    term_list_free(&l);
    return q;
}

typedef struct expanding {
    builder_t *b;
    const char *prefix;
    cs_strset_t *stems;
} expanding_t;

static int add_stem(void *ctx, const char *stem, size_t len)
{
    expanding_t *x = ctx;
    int added = _cs_strset_add(x->stems, stem, len);
    if (added < 0)
        fail(x->b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    else if (x->stems->count > WILDCARD_MAX_EXPANSION)
        fail(x->b, CS_ERR_TOO_BROAD, 0, "wildcard '%s*' matches too many words: make it longer",
             x->prefix);
    return x->b->status != CS_OK;
}

/* The stems of the vocabulary's words that start with @prefix, at most
 * WILDCARD_MAX_EXPANSION of them (the vocabulary of every shard). */
static int expand_prefix(builder_t *b, const char *prefix, cs_strset_t *stems)
{
    expanding_t x = { b, prefix, stems };
    if (_cs_store_each_word(b->index->db, prefix, add_stem, &x, &b->err) && !b->status)
        fail_xapian(b);
    return !b->status;
}

/* prefix*: the stems of the words it matches, weighed as one term.  A
 * passage matches, and is highlighted, where any word shares one of those
 * stems ("negotiat*" finds "negotiable" through "negotiation"), as every
 * word searches its stem. */
static xc_query_t *build_prefix(builder_t *b, const cs_qnode_t *n)
{
    char prefix[CS_TERM_MAX * 4 + 1];
    size_t len = cs_analyzer_normalize(n->text, strlen(n->text), prefix, sizeof prefix);
    if (len == (size_t)-1 || len == 0)
        return fail(b, CS_ERR_BAD_QUERY, n->offset, "wildcard prefix '%s' has no letters or digits",
                    n->text);
    cs_strset_t stems;
    _cs_strset_init(&stems);
    xc_query_t *q = NULL;
    cs_plan_t *plan = NULL;
    if (expand_prefix(b, prefix, &stems) && (plan = new_plan(b, CS_PLAN_TERMS))) {
        xc_query_t **parts = calloc(stems.count + 1, sizeof *parts);
        size_t k = 0;
        if (!parts)
            fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
        size_t cursor = 0;
        const char *stem;
        say(b, "%s* (", prefix);
        while (parts && !b->status && (stem = _cs_strset_next(&stems, &cursor))) {
            if (k < 8)
                say(b, "%s%s", k ? "|" : "", stem);
            parts[k++] = stem_query(b, stem, n->text, 0, plan);
        }
        if (k > 8)
            say(b, "|… %zu more", k - 8);
        say(b, "%s)", k ? "" : "no word");
        q = k ? combine(b, XC_OP_SYNONYM, parts, k, 0) : nothing(b);
        free(parts);
    }
    attach(b, plan);
    _cs_strset_free(&stems);
    return q;
}

/* ---- fields: generic metadata filters ---------------------------------- */

/* NAME:RANGE of a number or date field, over its sortable slot. */
static xc_query_t *build_range(builder_t *b, const cs_field_t *f, const cs_qnode_t *n)
{
    double lo, hi;
    if (!_cs_field_range(f, n->text, &lo, &hi))
        return fail(b, CS_ERR_BAD_QUERY, n->offset, "bad value '%s'", n->text);
    char lo_buf[18], hi_buf[18];
    size_t lo_len = xc_sortable_serialise(lo, lo_buf);
    size_t hi_len = xc_sortable_serialise(hi, hi_buf);
    xc_query_t *q = NULL;
    if (xc_query_value_range((unsigned)f->slot, lo_buf, lo_len, hi_buf, hi_len, &q, &b->err))
        return fail_xapian(b);
    return q;
}

/* NAME:VALUE of a keyword field: its term (a country by code or name). */
static xc_query_t *build_keyword(builder_t *b, const cs_field_t *f, const cs_qnode_t *n)
{
    char term[CS_FIELD_VALUE_MAX + 80];
    size_t len = _cs_field_term(f, n->text, term, sizeof term);
    if (!len)
        return nothing(b);
    return leaf_query(b, term, len, 0);
}

/* title:WORDS: every word's stem among the title's. */
static xc_query_t *build_words(builder_t *b, const cs_field_t *f, const cs_qnode_t *n)
{
    term_list_t l;
    if (!analyze(b, n->text, &l))
        return NULL;
    xc_query_t **parts = calloc(l.count + 1, sizeof *parts);
    xc_query_t *q = NULL;
    if (!parts)
        fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    for (size_t i = 0; parts && i < l.count && !b->status; i++)
        if (count_term(b))
            parts[i] = prefixed_query(b, f->prefix, l.stems[i]);
    /* combine frees the parts made so far, also after a failure */
    if (parts && l.count)
        q = combine(b, XC_OP_AND, parts, l.count, 0);
    else if (parts && !b->status)
        q = nothing(b);
    free(parts);
    term_list_free(&l);
    /* a filter, weighing nothing, even as a choice of an OR: the title's
     * weight is the words' (with_title) */
    xc_query_t *filter = NULL;
    if (q && !b->status && xc_query_scale(q, 0, &filter, &b->err))
        fail_xapian(b);
    xc_query_free(q);
    return filter;
}

static int path_matches(const char *glob, const char *path)
{
    if (fnmatch(glob, path, 0) == 0)
        return 1;
    /* a folder name matches the files below it */
    char pattern[4096];
    int n = snprintf(pattern, sizeof pattern, "%s/*", glob);
    return n > 0 && (size_t)n < sizeof pattern && fnmatch(pattern, path, 0) == 0;
}

typedef struct path_parts {
    builder_t *b;
    const char *glob;
    xc_query_t **parts;
    size_t n, cap;
} path_parts_t;

static int add_path_part(void *ctx, const char *key, const cs_file_record_t *rec)
{
    path_parts_t *pp = ctx;
    char *path = strndup(rec->path, rec->path_len);
    int match = path && path_matches(pp->glob, path);
    free(path);
    if (!match)
        return 0;
    if (pp->n == pp->cap) {
        size_t cap = pp->cap ? 2 * pp->cap : 16;
        xc_query_t **grown = realloc(pp->parts, cap * sizeof *grown);
        if (!grown) {
            fail(pp->b, CS_ERR_NOMEM, 0, "%s", "out of memory");
            return 1;
        }
        pp->parts = grown;
        pp->cap = cap;
    }
    char term[CS_STORE_FILE_TERM_SIZE];
    _cs_store_file_term(key, term);
    /* its record counts the term's passages, which spares a filter the
     * index's count (one per matching file made path:"Session 7*" cyber
     * 1.3 times slower on an updated UN index) */
    pp->parts[pp->n++] = leaf_query(pp->b, term, strlen(term), rec->passages);
    return pp->b->status != CS_OK;
}

/* path:GLOB: the files of the index whose relative path matches. */
static xc_query_t *build_path(builder_t *b, const cs_qnode_t *n)
{
    path_parts_t pp = { b, n->text, NULL, 0, 0 };
    if (_cs_store_each_file(b->index->db, add_path_part, &pp, &b->err) && !b->status)
        fail_xapian(b);
    xc_query_t *q = NULL;
    if (!b->status && pp.n == 0)
        q = nothing(b);
    else
        q = combine(b, XC_OP_OR, pp.parts, pp.n, 0);
    if (b->status) {
        xc_query_free(q);
        q = NULL;
    }
    free(pp.parts);
    return q;
}

/* A field filter, by its type in the registry (lib/fields.h); it filters
 * and never scores (its terms' wdf counts words, for --per-million). */
static xc_query_t *build_field(builder_t *b, const cs_qnode_t *n)
{
    say(b, "%s:%s", n->field, n->text);
    cs_field_t f;
    xc_query_t *q = NULL, *scaled = NULL;
    if (!_cs_field_lookup(b->index->user_fields, n->field, strlen(n->field), &f))
        return fail(b, CS_ERR_BAD_QUERY, n->offset, "unknown field '%s'", n->field);
    b->weightless++;
    switch (f.type) {
    case CS_FIELD_GLOB: q = build_path(b, n); break;
    case CS_FIELD_NUMBER:
    case CS_FIELD_DATE: q = build_range(b, &f, n); break;
    case CS_FIELD_KEYWORD: q = build_keyword(b, &f, n); break;
    case CS_FIELD_WORDS: q = build_words(b, &f, n); break;
    }
    b->weightless--;
    if (q && xc_query_scale(q, 0.0, &scaled, &b->err))
        fail_xapian(b);
    xc_query_free(q);
    return scaled;
}

/* ---- operators ------------------------------------------------------- */

/* A bare word that is only a stop word ("the"), left out of bag-of-words
 * ranking when it has siblings that are not. */
static int is_stop_word(builder_t *b, const cs_qnode_t *n)
{
    if (n->kind != CS_Q_WORD || n->mod != CS_QMOD_NONE)
        return 0;
    term_list_t l;
    if (!analyze(b, n->text, &l))
        return 0;
    int stop = l.count == 1 && l.all_stop;
    term_list_free(&l);
    return stop;
}

/* AND or OR of the children.  Field filters restrict without scoring
 * (but in an explicit OR they are alternatives, weighing nothing);
 * in an OR (--any), '+' children are required and the rest optional. */
static xc_query_t *build_group(builder_t *b, const cs_qnode_t *n, int is_or)
{
    size_t k = n->n_children;
    xc_query_t **scored = calloc(k + 1, sizeof *scored);
    xc_query_t **required = calloc(k + 1, sizeof *required);
    xc_query_t **filters = calloc(k + 1, sizeof *filters);
    unsigned char *is_stop = calloc(k + 1, 1);  /* analyzed once per child */
    if (!scored || !required || !filters || !is_stop) {
        free(scored);
        free(required);
        free(filters);
        free(is_stop);
        return fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    }
    size_t ns = 0, nr = 0, nf = 0, stop = 0;
    cs_plan_t *outer = b->plan, *group = outer ? new_plan(b, CS_PLAN_GROUP) : NULL;
    b->plan = group;
    for (size_t i = 0; i < k; i++)
        stop += is_stop[i] = (unsigned char)is_stop_word(b, n->children[i]);
    say(b, "%s", b->depth++ && k > 1 ? "(" : "");
    size_t described = 0;
    for (size_t i = 0; i < k && !b->status; i++) {
        const cs_qnode_t *c = n->children[i];
        if (stop < k && is_stop[i])
            continue;
        size_t before = b->desc ? b->desc->len : 0;
        say(b, "%s%s", described ? (is_or ? " OR " : " AND ") : "",
            is_or && c->mod == CS_QMOD_REQUIRED ? "+" : "");
        xc_query_t *q = build(b, c);
        if (!q && b->desc)
            b->desc->len = before;   /* nothing to search: no words either */
        if (!q)
            continue;
        described++;
        if (c->kind == CS_Q_FIELD && n->kind != CS_Q_OR)
            filters[nf++] = q;  /* in an explicit OR, a field is one choice */
        else if (is_or && c->mod == CS_QMOD_REQUIRED)
            required[nr++] = q;
        else
            scored[ns++] = q;
    }
    b->plan = outer;
    attach(b, group);
    say(b, "%s", --b->depth && k > 1 ? ")" : "");
    xc_query_t *main = combine(b, is_or ? XC_OP_OR : XC_OP_AND, scored, ns, 0);
    xc_query_t *must = combine(b, XC_OP_AND, required, nr, 0);
    if (must && main)
        main = combine2(b, XC_OP_AND_MAYBE, must, main);
    else if (must)
        main = must;
    xc_query_t *filter = combine(b, XC_OP_AND, filters, nf, 0);
    if (filter) {
        if (!main && !b->status && xc_query_match_all(&main, &b->err))
            fail_xapian(b);
        main = combine2(b, XC_OP_FILTER, main, filter);
    }
    free(scored);
    free(required);
    free(filters);
    free(is_stop);
    return main;
}

static xc_query_t *build_not(builder_t *b, const cs_qnode_t *n)
{
    xc_query_t *left = NULL;
    if (n->children[0])
        left = build(b, n->children[0]);
    else if (xc_query_match_all(&left, &b->err))
        return fail_xapian(b);
    else
        say(b, "everything");
    say(b, " NOT ");
    /* excluded words are not highlighted: build them into a scratch set */
    cs_matchset_t *saved = b->matches, scratch = { 0 };
    cs_plan_t *saved_plan = b->plan;
    b->matches = &scratch;
    b->plan = NULL;
    b->weightless++;
    xc_query_t *right = build(b, n->children[1]);
    b->weightless--;
    b->matches = saved;
    b->plan = saved_plan;
    _cs_matchset_free(&scratch);
    if (!right)
        return left;
    return combine2(b, XC_OP_AND_NOT, left, right);
}

/* The analyzed words of a NEAR operand (a word or a phrase). */
static int near_operand(builder_t *b, const cs_qnode_t *n, term_list_t *out)
{
    if (n->kind != CS_Q_WORD && n->kind != CS_Q_PHRASE) {
        fail(b, CS_ERR_BAD_QUERY, n->offset, "%s",
             "NEAR needs a word or a quoted phrase on each side");
        return 0;
    }
    if (!analyze(b, n->text, out))
        return 0;
    if (out->count == 0) {
        term_list_free(out);
        fail(b, CS_ERR_BAD_QUERY, n->offset, "'%s' has nothing searchable", n->text);
        return 0;
    }
    return 1;
}

/* a NEAR/n b [NEAR/n c ...]: each within n words of the next, in any
 * order.  Xapian's NEAR window spans all terms, so it is n times the gaps
 * plus the operands' lengths; a multi-word operand must also stand as a
 * phrase. */
static xc_query_t *build_near(builder_t *b, const cs_qnode_t *n)
{
    size_t k = n->n_children, total = 0;
    term_list_t *sides = calloc(k, sizeof *sides);
    if (!sides)
        return fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    size_t built = 0;
    while (built < k && near_operand(b, n->children[built], &sides[built]))
        total += sides[built++].count;
    xc_query_t **parts = built == k ? calloc(total + k + 1, sizeof *parts) : NULL;
    xc_query_t *q = NULL;
    cs_plan_t *plan = parts ? new_plan(b, CS_PLAN_NEAR) : NULL;
    if (built == k && !parts)
        fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    if (parts && plan) {
        word_forms_t *forms = calloc(total, sizeof *forms);
        size_t p = 0;
        for (size_t s = 0; forms && s < k; s++)
            for (size_t i = 0; i < sides[s].count; i++, p++)
                forms_of(b, sides[s].terms[i], sides[s].stems[i], &forms[p]);
        size_t window = (size_t)n->distance * (k - 1) + total - (k - 1);
        plan->window = (uint32_t)window;
        if (forms)
            q = positional(b, XC_OP_NEAR, (uint32_t)window, forms, total);
        else
            fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
        for (size_t s = 0, w = 0; forms && s < k; s++) {
            if (s)
                say(b, " NEAR/%u ", n->distance);
            say(b, "%s", sides[s].count > 1 ? "\"" : "");
            for (size_t i = 0; i < sides[s].count; i++, w++) {
                say(b, "%s", i ? " " : "");
                say_forms(b, &forms[w]);
            }
            say(b, "%s", sides[s].count > 1 ? "\"" : "");
        }
        free(forms);
        b->quiet++;   /* the operands' phrases below are described above */
        /* a multi-word operand must also stand as a phrase; the plan's
         * operands are the words and phrases themselves */
        size_t extra = 0;
        for (size_t s = 0; s < k && !b->status; s++) {
            cs_plan_t *operand = NULL;
            xc_query_t *phrase = stem_sequence(b, &sides[s], n->children[s]->text, &operand);
            if (sides[s].count > 1)
                parts[extra++] = phrase;
            else
                xc_query_free(phrase);
            if (!b->status && !_cs_plan_add_child(plan, operand))
                fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
            else if (b->status)
                _cs_plan_free(operand);
        }
        if (extra && q) {
            parts[extra++] = q;
            q = combine(b, XC_OP_AND, parts, extra, 0);
        }
        free(parts);
        b->quiet--;
    }
    attach(b, plan);
    for (size_t s = 0; s < built; s++)
        term_list_free(&sides[s]);
    free(sides);
    return q;
}

static xc_query_t *build(builder_t *b, const cs_qnode_t *n)
{
    if (b->status || !n)
        return NULL;
    switch (n->kind) {
    case CS_Q_WORD: return build_word(b, n);
    case CS_Q_PREFIX: return build_prefix(b, n);
    case CS_Q_PHRASE: return build_phrase(b, n);
    case CS_Q_FIELD: return build_field(b, n);
    case CS_Q_AND: return build_group(b, n, b->any);
    case CS_Q_OR: return build_group(b, n, 1);
    case CS_Q_NOT: return build_not(b, n);
    case CS_Q_NEAR: return build_near(b, n);
    }
    return fail(b, CS_ERR_INTERNAL, n->offset, "%s", "unknown query node");
}

/* ---- proximity boost and the relaxed fallback --------------------------- */

/* The exact terms of the top-level bare words, when there are two or more
 * and nothing else at that level but fields. */
static int bare_words(builder_t *b, const cs_qnode_t *root, term_list_t *out)
{
    memset(out, 0, sizeof *out);
    if (root->kind != CS_Q_AND && root->kind != CS_Q_OR)
        return 0;
    cs_buf_t text;
    _cs_buf_init(&text);
    size_t words = 0;
    for (size_t i = 0; i < root->n_children; i++) {
        const cs_qnode_t *c = root->children[i];
        if (c->kind == CS_Q_FIELD)
            continue;
        if (c->kind != CS_Q_WORD || c->mod == CS_QMOD_EXCLUDED) {
            _cs_buf_free(&text);
            return 0;
        }
        _cs_buf_printf(&text, "%s%s", words++ ? " " : "", c->text);
    }
    if (text.failed)  /* not "not bare words": the ranking would differ */
        fail(b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    int ok = words >= 2 && !text.failed && analyze(b, text.data, out) && out->count >= 2;
    _cs_buf_free(&text);
    if (!ok)
        term_list_free(out);
    return ok;
}

cs_status_t _cs_query_build(cs_index_t *index, const cs_qnode_t *tree, int any,
                            cs_built_query_t *out)
{
    memset(out, 0, sizeof *out);
    out->plan = _cs_plan_new(CS_PLAN_GROUP);
    if (!out->plan)
        return _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    cs_buf_t desc;
    _cs_buf_init(&desc);
    builder_t b = { index, any, &out->matches, out->plan, 0, 0, &desc, 0, 0, 0, CS_OK, { 0 } };
    xc_query_t *q = build(&b, tree);
    if (!q && !b.status)
        fail(&b, CS_ERR_BAD_QUERY, 0, "%s",
             "nothing searchable in the query (only punctuation or excluded words?)");
    term_list_t words;
    if (!b.status && bare_words(&b, tree, &words)) {
        if (!any && tree->kind == CS_Q_AND) {
            builder_t rb = b;
            rb.any = 1;
            cs_matchset_t scratch = { 0 };
            rb.matches = &scratch;
            rb.plan = NULL;
            rb.terms = 0;
            rb.desc = NULL;
            out->relaxed = build(&rb, tree);
            _cs_matchset_free(&scratch);
            b.status = rb.status;
        }
        out->proximity.words = words.terms;   /* handed over */
        out->proximity.count = words.count;
        for (size_t i = 0; i < words.count; i++)
            free(words.stems[i]);
        free(words.stems);
    }
    if (!b.status && out->proximity.count >= 2) {
        _cs_buf_append_str(&desc, "; proximity of:");
        for (size_t i = 0; i < out->proximity.count; i++)
            _cs_buf_printf(&desc, " %s", out->proximity.words[i]);
    }
    if (!b.status && desc.failed)
        fail(&b, CS_ERR_NOMEM, 0, "%s", "out of memory");
    out->description = b.status ? NULL : _cs_buf_steal(&desc);
    _cs_buf_free(&desc);
    if (b.status) {
        xc_query_free(q);
        _cs_built_query_free(out);
        return b.status;
    }
    out->query = q;
    out->positional = b.positional;
    return CS_OK;
}

void _cs_built_query_free(cs_built_query_t *built)
{
    xc_query_free(built->query);
    xc_query_free(built->relaxed);
    _cs_matchset_free(&built->matches);
    _cs_plan_free(built->plan);
    free(built->description);
    for (size_t i = 0; i < built->proximity.count; i++)
        free(built->proximity.words[i]);
    free(built->proximity.words);
    memset(built, 0, sizeof *built);
}

/* check_xapian_c.c - unit tests of the C wrapper over Xapian (xapian_c.h).
 *
 * Each test gets a fresh temporary directory holding a small database of
 * three documents (see build_fixture_db); "core" exercises the API on it,
 * "errors" checks that each kind of failure maps to its status.
 */
#include <check.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xapian_c.h"
#include "testutil.h"

static char suite_dir[256]; /* made by main(), removed even after failures */
static char tmpdir[300];    /* one per test, inside suite_dir */
static char dbpath[320];
static xc_error_t err;

/* Assert that @expr returns CS_OK, showing the wrapper's message if not. */
#define CK_OK(expr)                                                            \
    do {                                                                       \
        cs_status_t st_ = (expr);                                              \
        ck_assert_msg(st_ == CS_OK, "%s -> %d: %s", #expr, (int)st_,           \
                      err.message);                                            \
    } while (0)

/* ---- fixture ------------------------------------------------------------ */

static void add_words(xc_doc_t *doc, const char *const *words)
{
    for (uint32_t pos = 1; *words; words++, pos++)
        CK_OK(xc_doc_add_posting(doc, *words, strlen(*words), pos, 1, &err));
}

static void set_number(xc_doc_t *doc, unsigned slot, double n)
{
    char buf[18];
    size_t len = xc_sortable_serialise(n, buf);
    CK_OK(xc_doc_set_value(doc, slot, buf, len, &err));
}

enum { SLOT_GROUP = 0, SLOT_NUMBER = 1 };

/* A document of @words at positions 1, 2, ... plus a file term, data, a
 * group value and a number value. */
static xc_doc_t *new_fixture_doc(const char *const *words, const char *file_term,
                                 const char *data, const char *group,
                                 double number)
{
    xc_doc_t *doc;
    CK_OK(xc_doc_new(&doc, &err));
    add_words(doc, words);
    CK_OK(xc_doc_add_boolean_term(doc, file_term, strlen(file_term), &err));
    CK_OK(xc_doc_set_data(doc, data, strlen(data), &err));
    CK_OK(xc_doc_set_value(doc, SLOT_GROUP, group, strlen(group), &err));
    set_number(doc, SLOT_NUMBER, number);
    return doc;
}

/* Add @doc to @db and free it; returns the new docid. */
static uint32_t add_and_free(xc_db_t *db, xc_doc_t *doc)
{
    uint32_t id = 0;
    CK_OK(xc_db_add_document(db, doc, &id, &err));
    xc_doc_free(doc);
    return id;
}

/* Three documents:
 *   1: alpha beta gamma delta                          Kfile1  A  10
 *   2: gamma alpha epsilon zeta                        Kfile1  A  20
 *   3: zeta eta theta alpha, wa wb wc, wildx at 5 and 6 (wdf 3)  Kfile2  B  30
 * and metadata schema=1, root:a, root:b. */
static void build_fixture_db(void)
{
    static const char *const doc1[] = {"alpha", "beta", "gamma", "delta", NULL};
    static const char *const doc2[] = {"gamma", "alpha", "epsilon", "zeta", NULL};
    static const char *const doc3[] = {"zeta", "eta", "theta", "alpha", NULL};
    xc_db_t *db;
    CK_OK(xc_db_open(dbpath, XC_OPEN_CREATE_OR_OVERWRITE, &db, &err));
    ck_assert_uint_eq(add_and_free(db, new_fixture_doc(doc1, "Kfile1", "doc one",
                                                       "A", 10)), 1);
    ck_assert_uint_eq(add_and_free(db, new_fixture_doc(doc2, "Kfile1", "doc two",
                                                       "A", 20)), 2);
    xc_doc_t *doc = new_fixture_doc(doc3, "Kfile2", "doc three", "B", 30);
    CK_OK(xc_doc_add_term(doc, "wa", 2, 1, &err));
    CK_OK(xc_doc_add_term(doc, "wb", 2, 1, &err));
    CK_OK(xc_doc_add_term(doc, "wc", 2, 1, &err));
    /* as the indexer does: the whole wdf with the first position */
    CK_OK(xc_doc_add_posting(doc, "wildx", 5, 5, 3, &err));
    CK_OK(xc_doc_add_posting(doc, "wildx", 5, 6, 0, &err));
    ck_assert_uint_eq(add_and_free(db, doc), 3);

    CK_OK(xc_db_set_metadata(db, "schema", "1", 1, &err));
    CK_OK(xc_db_set_metadata(db, "root:b", "/b", 2, &err));
    CK_OK(xc_db_set_metadata(db, "root:a", "/a", 2, &err));
    CK_OK(xc_db_commit(db, &err));
    xc_db_free(db);
}

/* A failed test skips its teardown (it runs in the forked child), so every
 * test directory lives under one that main() removes at the end. */
static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/test.XXXXXX", suite_dir);
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(dbpath, sizeof dbpath, "%s/db", tmpdir);
    memset(&err, 0, sizeof err);
    build_fixture_db();
}

static void teardown(void)
{
    test_remove_tree(tmpdir);
}

/* ---- helpers ------------------------------------------------------------- */

static xc_db_t *open_reader(void)
{
    xc_db_t *db;
    CK_OK(xc_db_open(dbpath, XC_OPEN_READ, &db, &err));
    return db;
}

static xc_db_t *open_writer(void)
{
    xc_db_t *db;
    CK_OK(xc_db_open(dbpath, XC_OPEN_WRITE, &db, &err));
    return db;
}

static xc_query_t *term(const char *t)
{
    xc_query_t *q;
    CK_OK(xc_query_term(t, strlen(t), 1, &q, &err));
    return q;
}

/* @op over @a and @b, which it frees: the result must not need them. */
static xc_query_t *combine2(xc_op_t op, xc_query_t *a, xc_query_t *b,
                            uint32_t window)
{
    xc_query_t *subs[2] = {a, b}, *q;
    CK_OK(xc_query_combine(op, subs, 2, window, &q, &err));
    xc_query_free(a);
    xc_query_free(b);
    return q;
}

static xc_mset_t *search(xc_db_t *db, const xc_query_t *q, xc_enquire_t **enq_out)
{
    xc_enquire_t *enq;
    xc_mset_t *mset;
    CK_OK(xc_enquire_new(db, &enq, &err));
    CK_OK(xc_enquire_set_query(enq, q, &err));
    CK_OK(xc_enquire_get_mset(enq, 0, 20, 0, &mset, &err));
    if (enq_out)
        *enq_out = enq;
    else
        xc_enquire_free(enq);
    return mset;
}

static int cmp_docid(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The matching docids of @mset, sorted, as "1 2 3" ("" for none). */
static const char *docids(const xc_mset_t *mset)
{
    static char out[128];
    uint32_t ids[32];
    size_t n = xc_mset_size(mset), used = 0;
    ck_assert_uint_le(n, 32);
    for (size_t i = 0; i < n; i++)
        ids[i] = xc_mset_docid(mset, i);
    qsort(ids, n, sizeof ids[0], cmp_docid);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        used += snprintf(out + used, sizeof out - used, "%s%u", i ? " " : "",
                         (unsigned)ids[i]);
    return out;
}

/* Search @q (which is freed) and compare the docids with @expected. */
#define ck_assert_matches(q, expected)                                         \
    do {                                                                       \
        xc_db_t *db_ = open_reader();                                          \
        xc_query_t *q_ = (q);                                                  \
        xc_mset_t *m_ = search(db_, q_, NULL);                                 \
        char *desc_ = xc_query_describe(q_);                                   \
        ck_assert_msg(strcmp(docids(m_), (expected)) == 0,                     \
                      "%s matched \"%s\", expected \"%s\"", desc_,             \
                      docids(m_), (expected));                                 \
        free(desc_);                                                           \
        xc_mset_free(m_);                                                      \
        xc_query_free(q_);                                                     \
        xc_db_free(db_);                                                       \
    } while (0)

static double weight_of_first(const xc_query_t *q)
{
    xc_db_t *db = open_reader();
    xc_mset_t *m = search(db, q, NULL);
    ck_assert_uint_ge(xc_mset_size(m), 1);
    double w = xc_mset_weight(m, 0);
    xc_mset_free(m);
    xc_db_free(db);
    return w;
}

static uint64_t doccount_of(const char *path)
{
    xc_db_t *db;
    uint64_t n = 0;
    CK_OK(xc_db_open(path, XC_OPEN_READ, &db, &err));
    CK_OK(xc_db_doccount(db, &n, &err));
    xc_db_free(db);
    return n;
}

/* ---- core ------------------------------------------------------------------ */

START_TEST(test_counts)
{
    xc_db_t *db = open_reader();
    uint64_t n;
    double avlen;
    CK_OK(xc_db_doccount(db, &n, &err));
    ck_assert_uint_eq(n, 3);
    CK_OK(xc_db_termfreq(db, "alpha", &n, &err));
    ck_assert_uint_eq(n, 3);
    CK_OK(xc_db_termfreq(db, "Kfile1", &n, &err));
    ck_assert_uint_eq(n, 2);
    CK_OK(xc_db_termfreq(db, "nosuchterm", &n, &err));
    ck_assert_uint_eq(n, 0);
    /* Lengths 4, 4 and 4 + 3 + 3 (wildx wdf): boolean terms add nothing. */
    CK_OK(xc_db_avlength(db, &avlen, &err));
    ck_assert_double_eq_tol(avlen, 6.0, 1e-9);
    xc_db_free(db);
}
END_TEST

START_TEST(test_metadata)
{
    xc_db_t *db = open_reader();
    char *value;
    size_t len = 99;
    CK_OK(xc_db_get_metadata(db, "schema", &value, &len, &err));
    ck_assert_str_eq(value, "1");
    ck_assert_uint_eq(len, 1);
    free(value);
    CK_OK(xc_db_get_metadata(db, "absent", &value, &len, &err));
    ck_assert_str_eq(value, "");
    ck_assert_uint_eq(len, 0);
    free(value);

    xc_keys_t *keys;
    const char *key;
    CK_OK(xc_db_metadata_keys(db, "root:", &keys, &err));
    key = xc_keys_next(keys, &len);
    ck_assert_str_eq(key, "root:a");
    ck_assert_uint_eq(len, 6);
    ck_assert_str_eq(xc_keys_next(keys, NULL), "root:b");
    ck_assert_ptr_null(xc_keys_next(keys, NULL));
    ck_assert_ptr_null(xc_keys_next(keys, NULL)); /* stays at the end */
    CK_OK(xc_keys_status(keys, &err));
    xc_keys_free(keys);

    /* Binary values with NULs survive the round trip. */
    xc_db_free(db);
    db = open_writer();
    CK_OK(xc_db_set_metadata(db, "bin", "a\0b", 3, &err));
    CK_OK(xc_db_commit(db, &err));
    CK_OK(xc_db_get_metadata(db, "bin", &value, &len, &err));
    ck_assert_uint_eq(len, 3);
    ck_assert_mem_eq(value, "a\0b", 3);
    free(value);
    xc_db_free(db);
}
END_TEST

START_TEST(test_allterms_prefix)
{
    xc_db_t *db = open_reader();
    xc_keys_t *keys;
    char got[256] = "";
    const char *t;
    CK_OK(xc_db_allterms(db, "w", &keys, &err));
    while ((t = xc_keys_next(keys, NULL)))
        strcat(strcat(got, t), " ");
    CK_OK(xc_keys_status(keys, &err));
    ck_assert_str_eq(got, "wa wb wc wildx ");
    xc_keys_free(keys);

    CK_OK(xc_db_allterms(db, "K", &keys, &err));
    ck_assert_str_eq(xc_keys_next(keys, NULL), "Kfile1");
    ck_assert_str_eq(xc_keys_next(keys, NULL), "Kfile2");
    ck_assert_ptr_null(xc_keys_next(keys, NULL));
    xc_keys_free(keys);

    CK_OK(xc_db_allterms(db, "nothing-has-this-prefix", &keys, &err));
    ck_assert_ptr_null(xc_keys_next(keys, NULL));
    CK_OK(xc_keys_status(keys, &err));
    xc_keys_free(keys);
    xc_db_free(db);
}
END_TEST

START_TEST(test_boolean_ops)
{
    ck_assert_matches(term("alpha"), "1 2 3");
    ck_assert_matches(combine2(XC_OP_AND, term("alpha"), term("gamma"), 0), "1 2");
    ck_assert_matches(combine2(XC_OP_OR, term("beta"), term("eta"), 0), "1 3");
    ck_assert_matches(combine2(XC_OP_AND_NOT, term("alpha"), term("Kfile2"), 0),
                      "1 2");
    ck_assert_matches(combine2(XC_OP_FILTER, term("zeta"), term("Kfile1"), 0), "2");
    ck_assert_matches(combine2(XC_OP_AND_MAYBE, term("zeta"), term("eta"), 0),
                      "2 3");
    ck_assert_matches(combine2(XC_OP_SYNONYM, term("beta"), term("eta"), 0), "1 3");
    ck_assert_matches(term("nosuchterm"), "");
}
END_TEST

START_TEST(test_phrase)
{
    /* Adjacent and in order: doc 1 "alpha beta". */
    ck_assert_matches(combine2(XC_OP_PHRASE, term("alpha"), term("beta"), 0), "1");
    /* Not adjacent (doc 1: 1 and 3) nor in order (doc 2: gamma alpha). */
    ck_assert_matches(combine2(XC_OP_PHRASE, term("alpha"), term("gamma"), 0), "");
    ck_assert_matches(combine2(XC_OP_PHRASE, term("gamma"), term("alpha"), 0), "2");
    /* A wider window admits the gap, still in order only. */
    ck_assert_matches(combine2(XC_OP_PHRASE, term("alpha"), term("gamma"), 3), "1");
}
END_TEST

START_TEST(test_near)
{
    /* Doc 1 has alpha at 1, delta at 4: a span of 4 positions. */
    ck_assert_matches(combine2(XC_OP_NEAR, term("delta"), term("alpha"), 4), "1");
    ck_assert_matches(combine2(XC_OP_NEAR, term("alpha"), term("delta"), 4), "1");
    ck_assert_matches(combine2(XC_OP_NEAR, term("alpha"), term("delta"), 3), "");
    /* alpha/gamma: doc 1 at 1 and 3, doc 2 at 2 and 1 (reversed). */
    ck_assert_matches(combine2(XC_OP_NEAR, term("alpha"), term("gamma"), 2), "2");
    ck_assert_matches(combine2(XC_OP_NEAR, term("alpha"), term("gamma"), 3), "1 2");
}
END_TEST

START_TEST(test_value_range)
{
    char lo[18], hi[18];
    size_t lo_len = xc_sortable_serialise(15, lo);
    size_t hi_len = xc_sortable_serialise(30, hi);
    xc_query_t *q;
    CK_OK(xc_query_value_range(SLOT_NUMBER, lo, lo_len, hi, hi_len, &q, &err));
    ck_assert_matches(q, "2 3"); /* bounds are inclusive */
    CK_OK(xc_query_value_range(SLOT_GROUP, "A", 1, "A", 1, &q, &err));
    ck_assert_matches(q, "1 2");
}
END_TEST

START_TEST(test_sortable_serialise_orders_numbers)
{
    static const double ascending[] = {-1e9, -2.5, 0, 1, 2, 10, 1e12};
    char prev[18], cur[18];
    size_t prev_len = xc_sortable_serialise(ascending[0], prev);
    for (size_t i = 1; i < sizeof ascending / sizeof ascending[0]; i++) {
        size_t len = xc_sortable_serialise(ascending[i], cur);
        ck_assert_uint_le(len, 18);
        size_t common = len < prev_len ? len : prev_len;
        int c = memcmp(prev, cur, common);
        ck_assert_msg(c < 0 || (c == 0 && prev_len < len),
                      "%g does not sort before %g", ascending[i - 1], ascending[i]);
        memcpy(prev, cur, len);
        prev_len = len;
    }
}
END_TEST

static int sum_parts(void *ctx, const char *description, double weight)
{
    ck_assert_ptr_nonnull(strstr(description, "alpha") ? description : strstr(description, "beta"));
    *(double *)ctx += weight;
    return 0;
}

START_TEST(test_scale)
{
    xc_query_t *alpha = term("beta"), *twice, *zero;
    CK_OK(xc_query_scale(alpha, 2.0, &twice, &err));
    CK_OK(xc_query_scale(alpha, 0.0, &zero, &err));
    double w = weight_of_first(alpha);
    ck_assert_double_gt(w, 0);
    ck_assert_double_eq_tol(weight_of_first(twice), 2 * w, 1e-9);
    ck_assert_double_eq_tol(weight_of_first(zero), 0, 1e-12);
    ck_assert_matches(zero, "1"); /* a zero scale still filters */
    xc_query_free(alpha);
    xc_query_free(twice);
}
END_TEST

START_TEST(test_collapse_key)
{
    xc_db_t *db = open_reader();
    xc_enquire_t *enq;
    xc_mset_t *mset;
    xc_query_t *q = term("alpha");
    CK_OK(xc_enquire_new(db, &enq, &err));
    CK_OK(xc_enquire_set_query(enq, q, &err));
    CK_OK(xc_enquire_set_collapse_key(enq, SLOT_GROUP, 1, &err));
    CK_OK(xc_enquire_get_mset(enq, 0, 10, 0, &mset, &err));
    ck_assert_uint_eq(xc_mset_size(mset), 2); /* one of group A, one of B */
    xc_mset_free(mset);
    CK_OK(xc_enquire_set_collapse_key(enq, SLOT_GROUP, 0, &err)); /* off */
    CK_OK(xc_enquire_get_mset(enq, 0, 10, 0, &mset, &err));
    ck_assert_uint_eq(xc_mset_size(mset), 3);
    ck_assert_uint_eq(xc_mset_estimate(mset), 3);
    xc_mset_free(mset);
    xc_query_free(q);
    xc_enquire_free(enq);
    xc_db_free(db);
}
END_TEST

START_TEST(test_tie_value)
{
    /* "alpha" weighs the same in documents 1, 2 and 4 (3 is longer): by
     * default the ids order them, with the tie value their group, which
     * puts the new document 4 ("0") first */
    static const char *const words[] = {"alpha", "omega", "psi", "chi", NULL};
    xc_db_t *db;
    CK_OK(xc_db_open(dbpath, XC_OPEN_WRITE, &db, &err));
    ck_assert_uint_eq(add_and_free(db, new_fixture_doc(words, "Kfile3", "doc four", "0", 40)),
                      4);
    CK_OK(xc_db_commit(db, &err));
    xc_db_free(db);
    db = open_reader();
    xc_enquire_t *enq;
    xc_mset_t *mset;
    xc_query_t *q = term("alpha");
    CK_OK(xc_enquire_new(db, &enq, &err));
    CK_OK(xc_enquire_set_query(enq, q, &err));
    static const uint32_t by_id[] = { 1, 2, 4, 3 }, by_value[] = { 4, 1, 2, 3 };
    for (int tie = 0; tie < 2; tie++) {
        if (tie)
            CK_OK(xc_enquire_set_tie_value(enq, SLOT_GROUP, &err));
        CK_OK(xc_enquire_get_mset(enq, 0, 10, 0, &mset, &err));
        ck_assert_uint_eq(xc_mset_size(mset), 4);
        for (size_t i = 0; i < 4; i++) {
            if (i < 3)
                ck_assert_double_eq_tol(xc_mset_weight(mset, i), xc_mset_weight(mset, 0), 1e-12);
            ck_assert_uint_eq(xc_mset_docid(mset, i), (tie ? by_value[i] : by_id[i]));
        }
        xc_mset_free(mset);
    }
    ck_assert_int_eq(xc_enquire_set_tie_value(NULL, SLOT_GROUP, &err), CS_ERR_INVALID);
    xc_query_free(q);
    xc_enquire_free(enq);
    xc_db_free(db);
}
END_TEST

typedef struct got_values {
    char values[4][8];
    size_t calls;
    uint32_t last_docid;
    int in_order;
    const uint32_t *docids;
} got_values_t;

static int get_value(void *ctx, size_t i, const char *value, size_t len)
{
    got_values_t *g = ctx;
    ck_assert_uint_lt(i, 4);
    ck_assert_uint_lt(len, sizeof g->values[i]);
    memcpy(g->values[i], value, len);
    g->values[i][len] = '\0';
    g->in_order &= g->docids[i] >= g->last_docid;
    g->last_docid = g->docids[i];
    g->calls++;
    return 0;
}

START_TEST(test_db_values)
{
    xc_db_t *db = open_reader();
    static const uint32_t docids[] = { 3, 1, 99, 2 };   /* 99: no such document */
    got_values_t g = { .in_order = 1, .docids = docids };
    CK_OK(xc_db_values(db, SLOT_GROUP, docids, 4, get_value, &g, &err));
    ck_assert_uint_eq(g.calls, 4);
    ck_assert_str_eq(g.values[0], "B");
    ck_assert_str_eq(g.values[1], "A");
    ck_assert_str_eq(g.values[2], "");
    ck_assert_str_eq(g.values[3], "A");
    ck_assert_msg(g.in_order, "values come in ascending document order");
    got_values_t none = { .in_order = 1, .docids = docids };
    CK_OK(xc_db_values(db, 7, docids, 4, get_value, &none, &err));   /* an unused slot */
    ck_assert_uint_eq(none.calls, 4);
    ck_assert_str_eq(none.values[0], "");
    ck_assert_str_eq(none.values[3], "");
    CK_OK(xc_db_values(db, SLOT_GROUP, NULL, 0, get_value, &none, &err));
    ck_assert_uint_eq(none.calls, 4);
    ck_assert_int_eq(xc_db_values(db, SLOT_GROUP, NULL, 1, get_value, &none, &err),
                     CS_ERR_INVALID);
    xc_db_free(db);
}
END_TEST

START_TEST(test_expand)
{
    /* documents 1 and 2 as the relevance set: of the "e" terms, only
     * epsilon (in 2) and eta (in 3, outside it) are there to pick; query
     * terms are left out */
    xc_db_t *db = open_reader();
    xc_enquire_t *enq;
    xc_query_t *q = term("gamma");
    CK_OK(xc_enquire_new(db, &enq, &err));
    CK_OK(xc_enquire_set_query(enq, q, &err));
    const uint32_t rset[] = { 1, 2 };
    xc_expand_term_t *terms = NULL;
    size_t n = 0;
    CK_OK(xc_enquire_expand(enq, rset, 2, "e", 10, NULL, &terms, &n, &err));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(terms[0].term, "epsilon");
    ck_assert_double_gt(terms[0].weight, 0);
    xc_expand_terms_free(terms, n);
    CK_OK(xc_enquire_expand(enq, rset, 2, "", 10, "trad", &terms, &n, &err));
    for (size_t i = 0; i < n; i++)
        ck_assert_str_ne(terms[i].term, "gamma");
    ck_assert_uint_ge(n, 3);
    xc_expand_terms_free(terms, n);
    /* an unknown scheme is a status code, not an exception */
    ck_assert_int_ne(xc_enquire_expand(enq, rset, 2, "", 10, "no-such-scheme", &terms, &n,
                                       &err), CS_OK);
    ck_assert_ptr_null(terms);
    xc_query_free(q);
    xc_enquire_free(enq);
    xc_db_free(db);
}
END_TEST

START_TEST(test_explain_parts_add_up)
{
    xc_db_t *db = open_reader();
    xc_enquire_t *enq;
    xc_mset_t *mset;
    xc_query_t *parts[2] = { term("alpha"), term("beta") }, *q;
    CK_OK(xc_query_combine(XC_OP_OR, parts, 2, 0, &q, &err));
    CK_OK(xc_enquire_new(db, &enq, &err));
    CK_OK(xc_enquire_set_query(enq, q, &err));
    CK_OK(xc_enquire_get_mset(enq, 0, 10, 0, &mset, &err));
    ck_assert_uint_eq(xc_mset_docid(mset, 0), 1);   /* the one with both */
    double whole = xc_mset_weight(mset, 0), sum = 0;
    CK_OK(xc_enquire_explain(enq, q, "Kfile1", 1, sum_parts, &sum, &err));
    ck_assert_double_eq_tol(sum, whole, 1e-9);
    xc_mset_free(mset);
    for (int i = 0; i < 2; i++)
        xc_query_free(parts[i]);
    xc_query_free(q);
    xc_enquire_free(enq);
    xc_db_free(db);
}
END_TEST

START_TEST(test_documents)
{
    xc_db_t *db = open_reader();
    xc_doc_t *doc;
    size_t len;
    CK_OK(xc_db_get_document(db, 2, &doc, &err));
    ck_assert_str_eq(xc_doc_data(doc, &len), "doc two");
    ck_assert_uint_eq(len, 7);
    ck_assert_str_eq(xc_doc_value(doc, SLOT_GROUP, &len), "A");
    ck_assert_uint_eq(len, 1);
    ck_assert_str_eq(xc_doc_value(doc, 42, &len), ""); /* unset slot */
    ck_assert_uint_eq(len, 0);
    xc_doc_free(doc);

    /* A hit's data, copied out of the match set. */
    xc_query_t *q = term("eta");
    xc_mset_t *mset = search(db, q, NULL);
    ck_assert_uint_eq(xc_mset_size(mset), 1);
    char *data = NULL;
    CK_OK(xc_mset_data(mset, 0, &data, &len, &err));
    ck_assert_str_eq(data, "doc three");
    ck_assert_uint_eq(len, strlen("doc three"));
    free(data);
    /* the query term's frequency, from the match's statistics */
    uint64_t eta = 0;
    CK_OK(xc_db_termfreq(db, "eta", &eta, &err));
    ck_assert_uint_eq(eta, 1);
    ck_assert_uint_eq(xc_mset_termfreq(mset, "eta"), eta);
    ck_assert_uint_eq(xc_mset_termfreq(NULL, "eta"), 0);
    xc_mset_free(mset);
    xc_query_free(q);
    xc_db_free(db);
}
END_TEST

START_TEST(test_doc_values_in_memory)
{
    xc_doc_t *doc;
    CK_OK(xc_doc_new(&doc, &err));
    ck_assert_str_eq(xc_doc_data(doc, NULL), "");
    CK_OK(xc_doc_set_data(doc, "x\0y", 3, &err));
    size_t len;
    ck_assert_mem_eq(xc_doc_data(doc, &len), "x\0y", 3);
    ck_assert_uint_eq(len, 3);
    CK_OK(xc_doc_set_value(doc, 3, "v", 1, &err));
    ck_assert_str_eq(xc_doc_value(doc, 3, NULL), "v");
    CK_OK(xc_doc_set_value(doc, 3, "", 0, &err)); /* empty clears the slot */
    ck_assert_str_eq(xc_doc_value(doc, 3, &len), "");
    ck_assert_uint_eq(len, 0);
    xc_doc_free(doc);
}
END_TEST

START_TEST(test_matching_terms)
{
    xc_db_t *db = open_reader();
    xc_enquire_t *enq;
    xc_query_t *q = combine2(XC_OP_OR, term("beta"),
                             combine2(XC_OP_OR, term("alpha"), term("nosuch"), 0), 0);
    xc_mset_t *mset = search(db, q, &enq);
    char *terms = NULL;
    for (size_t i = 0; i < xc_mset_size(mset); i++) {
        if (xc_mset_docid(mset, i) != 1)
            continue;
        CK_OK(xc_mset_matching_terms(enq, mset, i, &terms, &err));
    }
    ck_assert_ptr_nonnull(terms);
    ck_assert_str_eq(terms, "alpha beta"); /* sorted, space-separated */
    free(terms);
    xc_mset_free(mset);
    xc_enquire_free(enq);
    xc_query_free(q);
    xc_db_free(db);
}
END_TEST

START_TEST(test_query_values)
{
    xc_query_t *a = term("alpha"), *b = term("beta"), *both, *all, *none;
    xc_query_t *subs[] = {a, b};
    CK_OK(xc_query_combine(XC_OP_AND, subs, 2, 0, &both, &err));
    xc_query_free(a); /* the combination holds its own copies */
    xc_query_free(b);
    char *desc = xc_query_describe(both);
    ck_assert_ptr_nonnull(desc);
    ck_assert_ptr_nonnull(strstr(desc, "alpha AND beta"));
    free(desc);
    ck_assert_int_eq(xc_query_empty(both), 0);
    ck_assert_matches(both, "1");

    CK_OK(xc_query_combine(XC_OP_OR, NULL, 0, 0, &none, &err));
    ck_assert_int_ne(xc_query_empty(none), 0);
    xc_query_free(none);
    ck_assert_int_ne(xc_query_empty(NULL), 0);

    CK_OK(xc_query_match_all(&all, &err));
    ck_assert_int_eq(xc_query_empty(all), 0);
    ck_assert_matches(combine2(XC_OP_AND_NOT, all, term("Kfile1"), 0), "3");
}
END_TEST

START_TEST(test_transaction_cancel_leaves_nothing)
{
    static const char *const words[] = {"omega", NULL};
    xc_db_t *db = open_writer();
    CK_OK(xc_db_begin_transaction(db, &err));
    add_and_free(db, new_fixture_doc(words, "Kfile3", "doc four", "C", 40));
    CK_OK(xc_db_set_metadata(db, "schema", "2", 1, &err));
    CK_OK(xc_db_cancel_transaction(db, &err));
    xc_db_free(db);

    ck_assert_uint_eq(doccount_of(dbpath), 3);
    db = open_reader();
    uint64_t n;
    char *value;
    CK_OK(xc_db_termfreq(db, "omega", &n, &err));
    ck_assert_uint_eq(n, 0);
    CK_OK(xc_db_get_metadata(db, "schema", &value, NULL, &err));
    ck_assert_str_eq(value, "1");
    free(value);
    xc_db_free(db);
}
END_TEST

START_TEST(test_transaction_commit)
{
    static const char *const words[] = {"omega", NULL};
    xc_db_t *reader = open_reader(), *db = open_writer();
    CK_OK(xc_db_begin_transaction(db, &err));
    add_and_free(db, new_fixture_doc(words, "Kfile3", "doc four", "C", 40));
    CK_OK(xc_db_commit_transaction(db, &err));
    xc_db_free(db);

    uint64_t n;
    CK_OK(xc_db_doccount(reader, &n, &err));
    ck_assert_uint_eq(n, 3); /* a reader keeps its revision ... */
    CK_OK(xc_db_reopen(reader, &err));
    CK_OK(xc_db_doccount(reader, &n, &err));
    ck_assert_uint_eq(n, 4); /* ... until reopened */
    xc_db_free(reader);
}
END_TEST

START_TEST(test_delete_by_term)
{
    xc_db_t *db = open_writer();
    CK_OK(xc_db_delete_documents_by_term(db, "Kfile1", &err));
    CK_OK(xc_db_delete_documents_by_term(db, "Kabsent", &err)); /* no-op */
    CK_OK(xc_db_commit(db, &err));
    xc_db_free(db);
    ck_assert_uint_eq(doccount_of(dbpath), 1);
    ck_assert_matches(term("alpha"), "3");
}
END_TEST

START_TEST(test_enquire_outlives_db)
{
    xc_db_t *db = open_reader();
    xc_enquire_t *enq;
    xc_mset_t *mset;
    xc_query_t *q = term("gamma");
    CK_OK(xc_enquire_new(db, &enq, &err));
    xc_db_free(db);
    CK_OK(xc_enquire_set_query(enq, q, &err));
    CK_OK(xc_enquire_get_mset(enq, 0, 10, 0, &mset, &err));
    ck_assert_str_eq(docids(mset), "1 2");
    xc_mset_free(mset);
    xc_enquire_free(enq);
    xc_query_free(q);
}
END_TEST

START_TEST(test_bm25_and_paging)
{
    xc_db_t *db = open_reader();
    xc_enquire_t *enq;
    xc_mset_t *mset;
    xc_query_t *q = term("alpha");
    CK_OK(xc_enquire_new(db, &enq, &err));
    CK_OK(xc_enquire_set_query(enq, q, &err));
    CK_OK(xc_enquire_set_bm25(enq, 1.2, 0, 1, 0.5, 0.5, &err));
    CK_OK(xc_enquire_get_mset(enq, 1, 1, 10, &mset, &err));
    ck_assert_uint_eq(xc_mset_size(mset), 1); /* rank 2 only */
    ck_assert_uint_eq(xc_mset_estimate(mset), 3);
    ck_assert_uint_eq(xc_mset_docid(mset, 1), 0); /* out of range */
    ck_assert_double_eq(xc_mset_weight(mset, 1), 0);
    xc_mset_free(mset);
    xc_enquire_free(enq);
    xc_query_free(q);
    xc_db_free(db);
}
END_TEST

/* Add @count documents, each with a unique term and @shared_term. */
static void add_bulk(const char *shared_term, int round, int count)
{
    xc_db_t *db = open_writer();
    for (int i = 0; i < count; i++) {
        char unique[32];
        snprintf(unique, sizeof unique, "u%05d_%d", i, round);
        const char *words[] = {shared_term, unique, NULL};
        add_and_free(db, new_fixture_doc(words, "Kbulk", "bulk", "F", i));
    }
    CK_OK(xc_db_commit(db, &err));
    xc_db_free(db);
}

/* A reader whose revision a writer has since recycled gets
 * DatabaseModifiedError from Xapian; get_mset reopens and retries. */
START_TEST(test_stale_reader_is_reopened)
{
    add_bulk("old", 0, 3000); /* enough for B-trees deeper than a root */
    xc_db_t *reader = open_reader();
    /* Rewrite every leaf several times so the reader's blocks are reused. */
    for (int round = 1; round <= 4; round++)
        add_bulk("fresh", round, 3000);
    xc_query_t *q = term("fresh");
    xc_mset_t *mset = search(reader, q, NULL);
    /* Only a reopened reader knows the new documents. */
    ck_assert_uint_eq(xc_mset_estimate(mset), 12000);
    uint64_t n;
    CK_OK(xc_db_doccount(reader, &n, &err)); /* the handle moved on too */
    ck_assert_uint_eq(n, 3 + 3000 + 12000);
    xc_mset_free(mset);
    xc_query_free(q);
    xc_db_free(reader);
}
END_TEST

/* Serve the fixture with xapian-tcpsrv and read it over tcp://. */
START_TEST(test_remote)
{
    const char *server = "/usr/bin/xapian-tcpsrv";
    if (access(server, X_OK) != 0) {
        fprintf(stderr, "test_remote: %s not installed, skipped\n", server);
        return;
    }
    srand((unsigned)getpid() ^ (unsigned)time(NULL));
    int port = 20000 + rand() % 20000;
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        char port_arg[16];
        snprintf(port_arg, sizeof port_arg, "%d", port);
        setpgid(0, 0); /* the server signals its whole group on exit */
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(server, server, "--interface", "127.0.0.1", "--port", port_arg,
              dbpath, (char *)NULL);
        _exit(127);
    }
    char url[64];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d", port);
    xc_db_t *db = NULL;
    cs_status_t st = CS_ERR_NETWORK;
    for (int tries = 0; tries < 100 && st == CS_ERR_NETWORK; tries++) {
        st = xc_db_open(url, XC_OPEN_READ, &db, &err);
        if (st == CS_ERR_NETWORK)
            usleep(50 * 1000);
    }
    kill(-pid, SIGTERM);
    if (st == CS_OK) {
        uint64_t n;
        st = xc_db_doccount(db, &n, &err);
        if (st == CS_OK)
            ck_assert_uint_eq(n, 3);
        xc_db_free(db);
    }
    waitpid(pid, NULL, 0);
    ck_assert_msg(st == CS_OK, "remote open/doccount -> %d: %s", (int)st,
                  err.message);
}
END_TEST

/* ---- errors ------------------------------------------------------------------ */

START_TEST(test_not_found)
{
    char missing[400];
    snprintf(missing, sizeof missing, "%s/no-such-db", tmpdir);
    xc_db_t *db = (xc_db_t *)&err; /* must be reset to NULL */
    ck_assert_int_eq(xc_db_open(missing, XC_OPEN_READ, &db, &err), CS_ERR_NOT_FOUND);
    ck_assert_ptr_null(db);
    ck_assert_int_eq(err.status, CS_ERR_NOT_FOUND);
    ck_assert_msg(strstr(err.message, missing) != NULL,
                  "message does not name the path: %s", err.message);
    ck_assert_int_eq(xc_db_open(missing, XC_OPEN_WRITE, &db, &err), CS_ERR_NOT_FOUND);
    ck_assert_ptr_null(db);
    /* Nothing was created by either attempt. */
    ck_assert_int_ne(access(missing, F_OK), 0);
    /* A missing document is "not found" too. */
    db = open_reader();
    xc_doc_t *doc;
    ck_assert_int_eq(xc_db_get_document(db, 999, &doc, &err), CS_ERR_NOT_FOUND);
    ck_assert_ptr_null(doc);
    ck_assert_ptr_nonnull(strstr(err.message, "DocNotFoundError"));
    xc_db_free(db);
}
END_TEST

START_TEST(test_locked)
{
    xc_db_t *first = open_writer(), *second = NULL;
    ck_assert_int_eq(xc_db_open(dbpath, XC_OPEN_CREATE_OR_OPEN, &second, &err),
                     CS_ERR_LOCKED);
    ck_assert_ptr_null(second);
    ck_assert_int_eq(err.status, CS_ERR_LOCKED);
    ck_assert_ptr_nonnull(strstr(err.message, "DatabaseLockError"));
    /* Readers are not blocked by a writer. */
    ck_assert_uint_eq(doccount_of(dbpath), 3);
    xc_db_free(first);
    /* Freeing the writer releases the lock. */
    CK_OK(xc_db_open(dbpath, XC_OPEN_WRITE, &second, &err));
    xc_db_free(second);
}
END_TEST

static void overwrite_with_garbage(const char *path)
{
    FILE *f = fopen(path, "r+b");
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    for (off_t i = 0; i < sb.st_size; i++)
        fputc((int)((i * 7919) & 0xff), f);
    ck_assert_int_eq(fclose(f), 0);
}

/* Open and search, returning the first failure. */
static cs_status_t open_and_search(void)
{
    xc_db_t *db;
    cs_status_t st = xc_db_open(dbpath, XC_OPEN_READ, &db, &err);
    if (st != CS_OK)
        return st;
    xc_enquire_t *enq = NULL;
    xc_mset_t *mset = NULL;
    xc_query_t *q = term("alpha");
    st = xc_enquire_new(db, &enq, &err);
    if (st == CS_OK)
        st = xc_enquire_set_query(enq, q, &err);
    if (st == CS_OK)
        st = xc_enquire_get_mset(enq, 0, 10, 0, &mset, &err);
    xc_mset_free(mset);
    xc_query_free(q);
    xc_enquire_free(enq);
    xc_db_free(db);
    return st;
}

START_TEST(test_corrupt_tables)
{
    char path[400];
    static const char *const tables[] = {"postlist", "termlist", "docdata", NULL};
    for (const char *const *t = tables; *t; t++) {
        snprintf(path, sizeof path, "%s/%s.glass", dbpath, *t);
        overwrite_with_garbage(path);
    }
    memset(&err, 0, sizeof err);
    cs_status_t st = open_and_search();
    ck_assert_msg(st == CS_ERR_CORRUPT, "got %d: %s", (int)st, err.message);
    ck_assert_int_eq(err.status, CS_ERR_CORRUPT);
    ck_assert_ptr_nonnull(strstr(err.message, "DatabaseCorruptError"));
}
END_TEST

START_TEST(test_truncated_tables)
{
    char path[400];
    static const char *const tables[] = {"postlist", "termlist", "docdata", NULL};
    for (const char *const *t = tables; *t; t++) {
        snprintf(path, sizeof path, "%s/%s.glass", dbpath, *t);
        ck_assert_int_eq(truncate(path, 0), 0);
    }
    memset(&err, 0, sizeof err);
    cs_status_t st = open_and_search();
    /* Xapian 1.4.22 raises a plain DatabaseError ("EOF reading block 0"),
     * not DatabaseCorruptError, so this is the catch-all backend status. */
    ck_assert_msg(st == CS_ERR_BACKEND, "got %d: %s", (int)st, err.message);
    ck_assert_ptr_nonnull(strstr(err.message, "DatabaseError"));
}
END_TEST

START_TEST(test_corrupt_version_file)
{
    char path[400];
    snprintf(path, sizeof path, "%s/iamglass", dbpath);
    overwrite_with_garbage(path);
    memset(&err, 0, sizeof err);
    cs_status_t st = open_and_search();
    /* Xapian 1.4.22 says "DatabaseCorruptError: Rev file magic incorrect". */
    ck_assert_msg(st == CS_ERR_CORRUPT, "got %d: %s", (int)st, err.message);
    ck_assert_ptr_nonnull(strstr(err.message, "DatabaseCorruptError"));
}
END_TEST

START_TEST(test_read_only_rejects_writes)
{
    xc_db_t *db = open_reader();
    xc_doc_t *doc;
    CK_OK(xc_doc_new(&doc, &err));
    ck_assert_int_eq(xc_db_add_document(db, doc, NULL, &err), CS_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.message, "read-only"));
    ck_assert_int_eq(xc_db_commit(db, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_set_metadata(db, "k", "v", 1, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_begin_transaction(db, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_delete_documents_by_term(db, "alpha", &err),
                     CS_ERR_INVALID);
    xc_doc_free(doc);
    xc_db_free(db);
}
END_TEST

START_TEST(test_invalid_operations)
{
    xc_db_t *db = open_writer();
    xc_query_t *a = term("alpha"), *out = NULL;
    /* Xapian's own argument checks come back as CS_ERR_INVALID. */
    ck_assert_int_eq(xc_db_commit_transaction(db, &err), CS_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.message, "InvalidOperationError"));
    ck_assert_int_eq(xc_db_set_metadata(db, "", "v", 1, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_query_scale(a, -1.0, &out, &err), CS_ERR_INVALID);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(xc_query_combine((xc_op_t)99, &a, 1, 0, &out, &err),
                     CS_ERR_INVALID);
    xc_db_t *bad_mode = NULL;
    ck_assert_int_eq(xc_db_open(dbpath, (xc_open_mode_t)99, &bad_mode, &err),
                     CS_ERR_INVALID);
    ck_assert_ptr_null(bad_mode);
    xc_query_free(a);
    xc_db_free(db);
}
END_TEST

START_TEST(test_network_errors)
{
    xc_db_t *db;
    ck_assert_int_eq(xc_db_open("tcp://localhost", XC_OPEN_READ, &db, &err),
                     CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_open("tcp://localhost:99999", XC_OPEN_READ, &db, &err),
                     CS_ERR_INVALID);
    /* Port 1 on loopback: nothing listens, the connection is refused. */
    ck_assert_int_eq(xc_db_open("tcp://127.0.0.1:1", XC_OPEN_READ, &db, &err),
                     CS_ERR_NETWORK);
    ck_assert_ptr_null(db);
    ck_assert_ptr_nonnull(strstr(err.message, "NetworkError"));
}
END_TEST

/* Non-zero when @s does not end inside a multi-byte UTF-8 sequence. */
static int utf8_tail_complete(const char *s)
{
    size_t len = strlen(s), start = len;
    while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
        start--;
    if (start == 0)
        return len == 0;
    unsigned char lead = (unsigned char)s[start - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return len - (start - 1) == need;
}

/* Paths of 2-byte characters, shifted by 0 or 1 byte, so that the cut at
 * the end of the message buffer falls inside a character in one of them. */
START_TEST(test_long_message_is_truncated)
{
    for (int shift = 0; shift < 2; shift++) {
        char missing[2000];
        size_t n = (size_t)snprintf(missing, sizeof missing, "%s/%s", tmpdir,
                                    shift ? "x" : "");
        while (n + 2 < sizeof missing) {
            memcpy(missing + n, "\xc3\xa9", 2); /* U+00E9 */
            n += 2;
        }
        missing[n] = '\0';
        xc_db_t *db;
        cs_status_t st = xc_db_open(missing, XC_OPEN_READ, &db, &err);
        ck_assert_int_ne(st, CS_OK);
        size_t len = strlen(err.message);
        ck_assert_msg(len == sizeof err.message - 1 || len == sizeof err.message - 2,
                      "message length %zu", len);
        ck_assert_msg(utf8_tail_complete(err.message), "cut inside a character");
        /* A NULL err is allowed: the status alone is returned. */
        ck_assert_int_eq(xc_db_open(missing, XC_OPEN_READ, &db, NULL), st);
    }
}
END_TEST

START_TEST(test_null_arguments)
{
    xc_db_t *db = NULL;
    xc_query_t *q = NULL;
    xc_enquire_t *enq = NULL;
    xc_mset_t *mset = NULL;
    xc_doc_t *doc = NULL;
    xc_keys_t *keys = NULL;
    char *s = NULL;
    uint64_t n;
    double d;

    ck_assert_int_eq(xc_db_open(NULL, XC_OPEN_READ, &db, &err), CS_ERR_INVALID);
    ck_assert_int_eq(err.status, CS_ERR_INVALID);
    ck_assert_str_ne(err.message, "");
    ck_assert_int_eq(xc_db_open(dbpath, XC_OPEN_READ, NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_open(NULL, XC_OPEN_READ, NULL, NULL), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_reopen(NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_commit(NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_begin_transaction(NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_commit_transaction(NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_cancel_transaction(NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_doccount(NULL, &n, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_termfreq(NULL, "a", &n, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_avlength(NULL, &d, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_add_document(NULL, NULL, NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_delete_documents_by_term(NULL, "a", &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_get_document(NULL, 1, &doc, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_get_metadata(NULL, "k", &s, NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_set_metadata(NULL, "k", "v", 1, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_metadata_keys(NULL, "", &keys, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_allterms(NULL, "", &keys, &err), CS_ERR_INVALID);
    ck_assert_ptr_null(xc_keys_next(NULL, NULL));
    ck_assert_int_eq(xc_keys_status(NULL, &err), CS_ERR_INVALID);

    db = open_reader();
    ck_assert_int_eq(xc_db_termfreq(db, NULL, &n, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_doccount(db, NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_add_document(db, NULL, NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_get_metadata(db, NULL, &s, NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_db_allterms(db, NULL, &keys, &err), CS_ERR_INVALID);
    ck_assert_ptr_null(keys);

    ck_assert_int_eq(xc_doc_add_posting(NULL, "a", 1, 1, 1, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_doc_add_term(NULL, "a", 1, 1, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_doc_add_boolean_term(NULL, "a", 1, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_doc_set_data(NULL, "a", 1, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_doc_set_value(NULL, 0, "a", 1, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_doc_new(NULL, &err), CS_ERR_INVALID);
    ck_assert_ptr_null(xc_doc_data(NULL, NULL));
    ck_assert_ptr_null(xc_doc_value(NULL, 0, NULL));
    CK_OK(xc_doc_new(&doc, &err));
    ck_assert_int_eq(xc_doc_add_posting(doc, NULL, 0, 1, 1, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_doc_set_data(doc, NULL, 5, &err), CS_ERR_INVALID);
    CK_OK(xc_doc_set_data(doc, NULL, 0, &err)); /* empty data is fine */
    xc_doc_free(doc);

    ck_assert_int_eq(xc_query_term(NULL, 0, 1, &q, &err), CS_ERR_INVALID);
    ck_assert_ptr_null(q);
    ck_assert_int_eq(xc_query_term("a", 1, 1, NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_query_combine(XC_OP_AND, NULL, 2, 0, &q, &err),
                     CS_ERR_INVALID);
    xc_query_t *with_null[] = {NULL};
    ck_assert_int_eq(xc_query_combine(XC_OP_AND, with_null, 1, 0, &q, &err),
                     CS_ERR_INVALID);
    ck_assert_int_eq(xc_query_value_range(0, NULL, 1, "b", 1, &q, &err),
                     CS_ERR_INVALID);
    ck_assert_int_eq(xc_query_scale(NULL, 1.0, &q, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_query_match_all(NULL, &err), CS_ERR_INVALID);
    ck_assert_ptr_null(xc_query_describe(NULL));

    ck_assert_int_eq(xc_enquire_new(NULL, &enq, &err), CS_ERR_INVALID);
    ck_assert_ptr_null(enq);
    ck_assert_int_eq(xc_enquire_set_query(NULL, NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_enquire_set_bm25(NULL, 1, 0, 1, 0.5, 0.5, &err),
                     CS_ERR_INVALID);
    ck_assert_int_eq(xc_enquire_set_collapse_key(NULL, 0, 1, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_enquire_get_mset(NULL, 0, 10, 0, &mset, &err),
                     CS_ERR_INVALID);
    CK_OK(xc_enquire_new(db, &enq, &err));
    ck_assert_int_eq(xc_enquire_set_query(enq, NULL, &err), CS_ERR_INVALID);
    ck_assert_int_eq(xc_mset_matching_terms(enq, NULL, 0, &s, &err), CS_ERR_INVALID);
    xc_enquire_free(enq);

    ck_assert_uint_eq(xc_mset_size(NULL), 0);
    ck_assert_uint_eq(xc_mset_estimate(NULL), 0);
    ck_assert_uint_eq(xc_mset_docid(NULL, 0), 0);
    ck_assert_double_eq(xc_mset_weight(NULL, 0), 0);
    char *data = (char *)"unset";
    ck_assert_int_eq(xc_mset_data(NULL, 0, &data, NULL, &err), CS_ERR_INVALID);
    ck_assert_ptr_null(data);
    ck_assert_uint_eq(xc_sortable_serialise(1.0, NULL), 0);

    /* Free functions accept NULL. */
    xc_db_free(NULL);
    xc_doc_free(NULL);
    xc_query_free(NULL);
    xc_enquire_free(NULL);
    xc_mset_free(NULL);
    xc_keys_free(NULL);
    xc_db_free(db);
}
END_TEST


/* A database of one document holding @word, with metadata "who" = @who. */
static void make_part(const char *path, const char *word, const char *who)
{
    xc_db_t *db;
    xc_doc_t *doc;
    CK_OK(xc_db_open(path, XC_OPEN_CREATE_OR_OVERWRITE, &db, &err));
    CK_OK(xc_doc_new(&doc, &err));
    CK_OK(xc_doc_add_posting(doc, word, strlen(word), 1, 1, &err));
    uint32_t id;
    CK_OK(xc_db_add_document(db, doc, &id, &err));
    CK_OK(xc_db_set_metadata(db, "who", who, strlen(who), &err));
    CK_OK(xc_db_commit(db, &err));
    xc_doc_free(doc);
    xc_db_free(db);
}

static uint64_t count_of(xc_db_t *db)
{
    uint64_t n = 0;
    CK_OK(xc_db_doccount(db, &n, &err));
    return n;
}

/* xc_db_install makes a stub folder of versioned shards; a reader opened
 * before a second install keeps its version until it reopens, then sees
 * the new one; each shard keeps its own metadata. */
START_TEST(test_install_shards)
{
    char a[400], b[400], c[400], index[400], stub[420], old[420];
    snprintf(a, sizeof a, "%s/a", tmpdir);
    snprintf(b, sizeof b, "%s/b", tmpdir);
    snprintf(c, sizeof c, "%s/c", tmpdir);
    snprintf(index, sizeof index, "%s/index", tmpdir);
    make_part(a, "alpha", "first");
    make_part(b, "beta", "second");
    make_part(c, "gamma", "third");
    const char *parts[] = { a, b, c };
    const size_t shard_of[] = { 0, 1, 1 };
    CK_OK(xc_db_install(index, parts, shard_of, 3, 2, &err));

    xc_db_t *db;
    CK_OK(xc_db_open(index, XC_OPEN_READ, &db, &err));
    ck_assert_uint_eq(xc_db_shard_count(db), 2);
    ck_assert_uint_eq(count_of(db), 3);
    ck_assert_uint_eq(count_of(xc_db_shard(db, 1)), 2);
    ck_assert_ptr_null(xc_db_shard(db, 2));
    char *v = NULL;
    size_t len;
    CK_OK(xc_db_get_metadata(xc_db_shard(db, 1), "who", &v, &len, &err));
    ck_assert_str_eq(v, "second");  /* compaction keeps the first value */
    free(v);
    uint64_t freq = 0;
    CK_OK(xc_db_termfreq(db, "gamma", &freq, &err));
    ck_assert_uint_eq(freq, 1);

    /* a second version, of one shard */
    const size_t one[] = { 0, 0, 0 };
    CK_OK(xc_db_install(index, parts, one, 1, 1, &err));
    ck_assert_uint_eq(count_of(db), 3);  /* still reading v1 */
    CK_OK(xc_db_reopen(db, &err));
    ck_assert_uint_eq(xc_db_shard_count(db), 1);
    ck_assert_uint_eq(count_of(db), 1);
    xc_db_free(db);

    /* a third removes the first, which the stub no longer names */
    CK_OK(xc_db_install(index, parts, shard_of, 3, 2, &err));
    snprintf(old, sizeof old, "%s/v1", index);
    ck_assert_int_ne(access(old, F_OK), 0);
    snprintf(old, sizeof old, "%s/v2", index);
    ck_assert_int_eq(access(old, F_OK), 0);

    /* a stub file of its own, naming the shards; a bad line is an error */
    snprintf(stub, sizeof stub, "%s/list.stub", tmpdir);
    FILE *f = fopen(stub, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "# two shards\nauto index/v3/shard-0\n\nglass index/v3/shard-1\n");
    fclose(f);
    CK_OK(xc_db_open(stub, XC_OPEN_READ, &db, &err));
    ck_assert_uint_eq(count_of(db), 3);
    xc_db_free(db);
    f = fopen(stub, "w");
    fprintf(f, "auto index/v3/shard-0\nftp somewhere\n");
    fclose(f);
    ck_assert_int_ne(xc_db_open(stub, XC_OPEN_READ, &db, &err), CS_OK);
    ck_assert_ptr_nonnull(strstr(err.message, "line 2"));

    /* writable: each shard is a writer of its own */
    CK_OK(xc_db_open(index, XC_OPEN_WRITE, &db, &err));
    ck_assert(!xc_db_modified(db));
    CK_OK(xc_db_set_metadata(xc_db_shard(db, 1), "who", "changed", 7, &err));
    ck_assert(xc_db_modified(db));
    CK_OK(xc_db_commit(db, &err));
    xc_db_free(xc_db_shard(db, 1));  /* owned by db: does nothing */
    xc_db_free(db);

    ck_assert_int_eq(xc_db_install("tcp://127.0.0.1:1", parts, shard_of, 3, 2, &err),
                     CS_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.message, "remote"));
}
END_TEST

/* A shard of @n documents, each holding "cyber" and, with @every, the
 * filters "Pfile" and "Ptitle" (else only every other one holds "Pfile");
 * with @gaps, the first @n are deleted and @n more added, as an update of
 * a file of @n passages does. */
static void make_filter_shard(const char *path, int n, int gaps, int every)
{
    xc_db_t *db;
    CK_OK(xc_db_open(path, XC_OPEN_CREATE_OR_OVERWRITE, &db, &err));
    for (int round = 0; round < (gaps ? 2 : 1); round++) {
        if (round)
            CK_OK(xc_db_delete_documents_by_term(db, "Kround0", &err));
        for (int i = 0; i < n; i++) {
            xc_doc_t *doc;
            char kround[16];
            snprintf(kround, sizeof kround, "Kround%d", round);
            CK_OK(xc_doc_new(&doc, &err));
            CK_OK(xc_doc_add_posting(doc, "cyber", 5, 1, 1, &err));
            CK_OK(xc_doc_add_boolean_term(doc, kround, strlen(kround), &err));
            if (every || i % 2)
                CK_OK(xc_doc_add_boolean_term(doc, "Pfile", 5, &err));
            if (every)
                CK_OK(xc_doc_add_boolean_term(doc, "Ptitle", 6, &err));
            add_and_free(db, doc);
        }
        CK_OK(xc_db_commit(db, &err));
    }
    xc_db_free(db);
}

static int no_values(void *ctx, size_t slot_index, const char *value, size_t len,
                     uint64_t count)
{
    (void)ctx, (void)slot_index, (void)value, (void)len, (void)count;
    return 0;
}

/* The documents @q (which is freed) matches, counted by a search or, with
 * @count, by xc_count_values (as facets count). */
static uint64_t matches_of(xc_db_t *db, xc_query_t *q, int count)
{
    uint64_t n = 0;
    if (count) {
        CK_OK(xc_count_values(db, q, NULL, 0, no_values, NULL, &n, &err));
    } else {
        xc_enquire_t *enq;
        xc_mset_t *mset;
        CK_OK(xc_enquire_new(db, &enq, &err));
        CK_OK(xc_enquire_set_query(enq, q, &err));
        CK_OK(xc_enquire_get_mset(enq, 0, 10, 100000, &mset, &err));
        n = xc_mset_estimate(mset);
        xc_mset_free(mset);
        xc_enquire_free(enq);
    }
    xc_query_free(q);
    return n;
}

static xc_query_t *raw_filter_term(xc_db_t *db, const char *t)
{
    xc_query_t *q;
    CK_OK(xc_query_filter_term(db, t, strlen(t), 0, &q, &err));
    return q;
}

static xc_query_t *scaled0(xc_query_t *q)
{
    xc_query_t *scaled;
    CK_OK(xc_query_scale(q, 0, &scaled, &err));
    xc_query_free(q);
    return scaled;
}

/* as a field filter is built */
static xc_query_t *filter_term(xc_db_t *db, const char *t)
{
    return scaled0(raw_filter_term(db, t));
}

static xc_query_t *match_all(void)
{
    xc_query_t *q;
    CK_OK(xc_query_match_all(&q, &err));
    return q;
}

/* A filter that every document of one shard holds, after an update there,
 * but not of the other: Xapian 1.4 failed on it ("Unexpected end of posting
 * list") alone, as a filter and as what NOT excludes, until
 * xc_query_filter_term kept it from the shard's every-document list; and
 * the facets' count failed on "cyber", in every document of that shard,
 * until it stopped using Xapian's boolean weighting. */
START_TEST(test_filter_every_document_of_one_shard)
{
    char a[400], b[400], stub[420];
    snprintf(a, sizeof a, "%s/updated", tmpdir);
    snprintf(b, sizeof b, "%s/other", tmpdir);
    snprintf(stub, sizeof stub, "%s/mixed.stub", tmpdir);
    make_filter_shard(a, 3000, 1, 1);
    make_filter_shard(b, 50, 0, 0);
    FILE *f = fopen(stub, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "auto updated\nauto other\n");
    ck_assert_int_eq(fclose(f), 0);
    xc_db_t *db;
    CK_OK(xc_db_open(stub, XC_OPEN_READ, &db, &err));
    for (int count = 0; count < 2; count++) {
        ck_assert_uint_eq(matches_of(db, filter_term(db, "Pfile"), count), 3025);
        ck_assert_uint_eq(matches_of(db, combine2(XC_OP_FILTER, match_all(),
                                                  filter_term(db, "Pfile"), 0), count), 3025);
        ck_assert_uint_eq(matches_of(db, combine2(XC_OP_FILTER, term("cyber"),
                                                  filter_term(db, "Pfile"), 0), count), 3025);
        ck_assert_uint_eq(matches_of(db, combine2(XC_OP_AND_NOT, match_all(),
                                                  filter_term(db, "Pfile"), 0), count), 25);
        ck_assert_uint_eq(matches_of(db, combine2(XC_OP_AND_NOT, term("cyber"),
                                                  filter_term(db, "Pfile"), 0), count), 25);
        ck_assert_uint_eq(matches_of(db, combine2(XC_OP_OR, term("Kround0"),
                                                  filter_term(db, "Pfile"), 0), count), 3050);
        /* two such terms ANDed, then scaled, as a title: of two words is */
        ck_assert_uint_eq(matches_of(db, scaled0(combine2(XC_OP_AND,
                                                          raw_filter_term(db, "Pfile"),
                                                          raw_filter_term(db, "Ptitle"), 0)),
                                     count), 3000);
    }
    xc_db_free(db);
}
END_TEST

/* A writer's rounds over a shard of make_filter_shard(PATH, n, 0, 0): each
 * replaces the last round's documents by @n that all hold Pfile. */
static void refill_filter_shard(const char *path, int n, int rounds)
{
    xc_db_t *db;
    CK_OK(xc_db_open(path, XC_OPEN_WRITE, &db, &err));
    for (int round = 1; round <= rounds; round++) {
        char old[16], kround[16];
        snprintf(old, sizeof old, "Kround%d", round - 1);
        snprintf(kround, sizeof kround, "Kround%d", round);
        CK_OK(xc_db_delete_documents_by_term(db, old, &err));
        for (int i = 0; i < n; i++) {
            xc_doc_t *doc;
            CK_OK(xc_doc_new(&doc, &err));
            CK_OK(xc_doc_add_posting(doc, "cyber", 5, 1, 1, &err));
            CK_OK(xc_doc_add_boolean_term(doc, kround, strlen(kround), &err));
            CK_OK(xc_doc_add_boolean_term(doc, "Pfile", 5, &err));
            add_and_free(db, doc);
        }
        CK_OK(xc_db_commit(db, &err));
    }
    xc_db_free(db);
}

/* A query built before a writer made its filter term one that every document
 * of the shard, now with gaps, holds: a read retried after the reopen would
 * read it the failing way (xc_query_filter_term).  The read must say that
 * the index changed, never that it is corrupt, and the query built again on
 * the reopened handle must count right. */
START_TEST(test_query_built_before_a_writer_is_built_again)
{
    char path[400];
    snprintf(path, sizeof path, "%s/stale", tmpdir);
    make_filter_shard(path, 3000, 0, 0);   /* no gaps; Pfile in half */
    xc_db_t *searcher, *counter;
    CK_OK(xc_db_open(path, XC_OPEN_READ, &searcher, &err));
    CK_OK(xc_db_open(path, XC_OPEN_READ, &counter, &err));
    xc_query_t *for_search = filter_term(searcher, "Pfile");   /* as path:FILE alone */
    xc_query_t *for_count = combine2(XC_OP_FILTER, term("cyber"), filter_term(counter, "Pfile"), 0);
    refill_filter_shard(path, 3000, 4);   /* recycles the readers' blocks */

    xc_enquire_t *enq;
    xc_mset_t *mset = NULL;
    CK_OK(xc_enquire_new(searcher, &enq, &err));
    CK_OK(xc_enquire_set_query(enq, for_search, &err));
    cs_status_t st = xc_enquire_get_mset(enq, 0, 10, 100000, &mset, &err);
    ck_assert_msg(st == CS_OK || st == CS_ERR_MODIFIED, "stale search -> %d: %s", (int)st,
                  err.message);
    if (st == CS_OK)
        ck_assert_uint_eq(xc_mset_estimate(mset), 3000);
    xc_mset_free(mset);
    xc_enquire_free(enq);
    xc_query_free(for_search);

    uint64_t n = 0;
    st = xc_count_values(counter, for_count, NULL, 0, no_values, NULL, &n, &err);
    ck_assert_msg(st == CS_OK || st == CS_ERR_MODIFIED, "stale count -> %d: %s", (int)st,
                  err.message);
    if (st == CS_OK)
        ck_assert_uint_eq(n, 3000);
    xc_query_free(for_count);

    for (int count = 0; count < 2; count++) {   /* as cs_search restarts */
        xc_db_t *db = count ? counter : searcher;
        CK_OK(xc_db_reopen(db, &err));
        ck_assert_uint_eq(matches_of(db, combine2(XC_OP_FILTER, term("cyber"),
                                                  filter_term(db, "Pfile"), 0), count), 3000);
    }
    xc_db_free(searcher);
    xc_db_free(counter);
}
END_TEST

static Suite *xapian_c_suite(void)
{
    Suite *s = suite_create("xapian_c");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_set_timeout(core, 60);
    tcase_add_test(core, test_counts);
    tcase_add_test(core, test_db_values);
    tcase_add_test(core, test_metadata);
    tcase_add_test(core, test_allterms_prefix);
    tcase_add_test(core, test_boolean_ops);
    tcase_add_test(core, test_phrase);
    tcase_add_test(core, test_near);
    tcase_add_test(core, test_value_range);
    tcase_add_test(core, test_sortable_serialise_orders_numbers);
    tcase_add_test(core, test_scale);
    tcase_add_test(core, test_collapse_key);
    tcase_add_test(core, test_tie_value);
    tcase_add_test(core, test_expand);
    tcase_add_test(core, test_explain_parts_add_up);
    tcase_add_test(core, test_documents);
    tcase_add_test(core, test_doc_values_in_memory);
    tcase_add_test(core, test_matching_terms);
    tcase_add_test(core, test_query_values);
    tcase_add_test(core, test_transaction_cancel_leaves_nothing);
    tcase_add_test(core, test_transaction_commit);
    tcase_add_test(core, test_delete_by_term);
    tcase_add_test(core, test_enquire_outlives_db);
    tcase_add_test(core, test_bm25_and_paging);
    tcase_add_test(core, test_stale_reader_is_reopened);
    tcase_add_test(core, test_remote);
    tcase_add_test(core, test_install_shards);
    tcase_add_test(core, test_filter_every_document_of_one_shard);
    tcase_add_test(core, test_query_built_before_a_writer_is_built_again);
    suite_add_tcase(s, core);

    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_set_timeout(errors, 60);
    tcase_add_test(errors, test_not_found);
    tcase_add_test(errors, test_locked);
    tcase_add_test(errors, test_corrupt_tables);
    tcase_add_test(errors, test_truncated_tables);
    tcase_add_test(errors, test_corrupt_version_file);
    tcase_add_test(errors, test_read_only_rejects_writes);
    tcase_add_test(errors, test_invalid_operations);
    tcase_add_test(errors, test_network_errors);
    tcase_add_test(errors, test_long_message_is_truncated);
    tcase_add_test(errors, test_null_arguments);
    suite_add_tcase(s, errors);
    return s;
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(suite_dir, sizeof suite_dir, "%s/check_xapian_c.XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(suite_dir)) {
        perror(suite_dir);
        return EXIT_FAILURE;
    }
    int status = test_run(xapian_c_suite());
    test_remove_tree(suite_dir);
    return status;
}

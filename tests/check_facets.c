/* check_facets.c - metadata fields and facets: facet counts against a
 * brute-force count over every matching passage, words per value against
 * the analyzer's own count, and sidecars (their fields, their errors, and
 * that a changed row reindexes only its file). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer.h"
#include "cybersearch.h"
#include "store.h"
#include "testutil.h"

static char index_dir[] = "/tmp/cs-check-facets-XXXXXX";

/* The warnings of the last run. */
static struct {
    int count;
    char last[1024];
} warnings;

static int on_warning(void *ctx, const char *message, const cs_update_stats_t *stats)
{
    (void)ctx;
    (void)stats;
    if (message) {
        warnings.count++;
        snprintf(warnings.last, sizeof warnings.last, "%s", message);
    }
    return 0;
}

static cs_status_t update(const char *index, const char *root, cs_update_stats_t *stats,
                          char **msg)
{
    cs_update_options_t opt;
    cs_update_options_init(&opt);
    opt.threads = 2;
    opt.callback = on_warning;
    warnings.count = 0;
    return test_index_folder(index, root, &opt, stats, msg);
}

static void build_index(void)
{
    if (!mkdtemp(index_dir))
        abort();
    const char *corpus = getenv("CS_TEST_CORPUS");
    char *msg = NULL;
    if (update(index_dir, corpus ? corpus : "../corpus", NULL, &msg) != CS_OK) {
        fprintf(stderr, "building the test index failed: %s\n", msg);
        abort();
    }
}

static void remove_index(void)
{
    test_remove_tree(index_dir);
}

static cs_index_t *open_index(const char *dir)
{
    cs_index_t *index = NULL;
    char *msg = NULL;
    ck_assert_msg(cs_index_open(dir, &index, &msg) == CS_OK, "open: %s", msg);
    return index;
}

/* ---- brute force ------------------------------------------------------- */

/* Every passage @query matches, as hits without snippets. */
static cs_results_t *all_matches(cs_index_t *index, const char *query)
{
    cs_search_options_t opt;
    cs_search_options_init(&opt);
    opt.limit = 1000000;
    opt.per_file = 0;
    opt.no_snippets = 1;
    cs_results_t *r = NULL;
    ck_assert_msg(cs_search(index, query, &opt, &r) == CS_OK, "%s: %s", query,
                  cs_index_last_error(index));
    return r;
}

/* What the test itself reads off a path: the last four-digit run (the
 * year), and for UN file names (XXX_NN_YYYY.txt) the code. */
static int path_year(const char *path)
{
    int year = 0;
    for (const char *p = path; *p; p++) {
        size_t n = strspn(p, "0123456789");
        if (n == 4 && (*p == '1' || *p == '2'))
            year = atoi(p);
        if (n)
            p += n - 1;
    }
    return year;
}

static int path_country(const char *path, char code[4])
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strspn(base, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    if (n < 2 || n > 3 || base[n] != '_')
        return 0;
    memcpy(code, base, n);
    code[n] = '\0';
    return 1;
}

typedef struct tally {
    char value[64];
    uint64_t passages, files;
    char last_file[512];
} tally_t;

typedef struct tallies {
    tally_t items[512];
    size_t n;
    uint64_t passages, files;
} tallies_t;

/* Count one passage of file @path (hits of one file need not be
 * adjacent: files are counted by a set). */
static void tally_add(tallies_t *t, const char *value, const char *path, char seen[][512],
                      size_t *n_seen)
{
    tally_t *x = NULL;
    for (size_t i = 0; i < t->n && !x; i++)
        if (strcmp(t->items[i].value, value) == 0)
            x = &t->items[i];
    if (!x) {
        ck_assert_uint_lt(t->n, 512);
        x = &t->items[t->n++];
        memset(x, 0, sizeof *x);
        snprintf(x->value, sizeof x->value, "%s", value);
    }
    x->passages++;
    t->passages++;
    char key[600];
    snprintf(key, sizeof key, "%s\t%s", value, path);
    for (size_t i = 0; i < *n_seen; i++)
        if (strcmp(seen[i], key) == 0)
            return;
    ck_assert_uint_lt(*n_seen, 4096);
    snprintf(seen[(*n_seen)++], 512, "%s", key);
    x->files++;
    t->files++;
}

/* Every passage @query matches, counted per year, country and body by the
 * test itself. */
static void brute_force(cs_index_t *index, const char *query, tallies_t *years,
                        tallies_t *countries, tallies_t *bodies)
{
    cs_results_t *r = all_matches(index, query);
    static char seen_y[4096][512], seen_c[4096][512], seen_b[4096][512];
    size_t ny = 0, nc = 0, nb = 0;
    memset(years, 0, sizeof *years);
    memset(countries, 0, sizeof *countries);
    memset(bodies, 0, sizeof *bodies);
    for (size_t i = 0; i < cs_results_count(r); i++) {
        const char *path = cs_hit_path(cs_results_get(r, i));
        char value[16], code[4];
        int year = path_year(path);
        if (year) {
            snprintf(value, sizeof value, "%d", year);
            tally_add(years, value, path, seen_y, &ny);
        }
        if (path_country(path, code))
            tally_add(countries, code, path, seen_c, &nc);
        if (strncmp(path, "ungdc/", 6) == 0)  /* the sidecar's body column */
            tally_add(bodies, "UNGA", path, seen_b, &nb);
    }
    cs_results_destroy(r);
}

static void assert_facet_equals(const cs_facet_t *f, const tallies_t *t, const char *query)
{
    ck_assert_msg(cs_facet_bucket_count(f) == t->n, "%s, %s: %zu buckets, brute force %zu",
                  query, cs_facet_field(f), cs_facet_bucket_count(f), t->n);
    ck_assert_uint_eq(cs_facet_passages(f), t->passages);
    ck_assert_uint_eq(cs_facet_files(f), t->files);
    for (size_t i = 0; i < t->n; i++) {
        const cs_facet_bucket_t *b = NULL;
        for (size_t k = 0; k < cs_facet_bucket_count(f) && !b; k++)
            if (strcmp(cs_facet_bucket(f, k)->value, t->items[i].value) == 0)
                b = cs_facet_bucket(f, k);
        ck_assert_msg(b != NULL, "%s, %s: no bucket %s", query, cs_facet_field(f),
                      t->items[i].value);
        ck_assert_msg(b->passages == t->items[i].passages && b->files == t->items[i].files,
                      "%s, %s=%s: %llu passages in %llu files, brute force %llu in %llu",
                      query, cs_facet_field(f), b->value, (unsigned long long)b->passages,
                      (unsigned long long)b->files, (unsigned long long)t->items[i].passages,
                      (unsigned long long)t->items[i].files);
    }
}

/* Options for counts only (no hits) of the @n fields @facets. */
static void counts_only(cs_search_options_t *opt, const char **facets, size_t n)
{
    cs_search_options_init(opt);
    opt->limit = 0;
    opt->facets = facets;
    opt->n_facets = n;
}

static const char *const facet_queries[] = {
    "cyber",                           /* a frequent word */
    "nations",
    "\"united nations\"",              /* a phrase */
    "security OR cyber",               /* boolean */
    "international -peace",
    "norms year:2015..2024",           /* with filters */
    "country:(EST OR LTU) security",
    "body:UNGA development",
    "consensus",                       /* also in the seed file, which has no country */
};

START_TEST(test_facets_equal_brute_force)
{
    const char *query = facet_queries[_i];
    cs_index_t *index = open_index(index_dir);
    const char *facets[] = { "year", "country", "body" };
    cs_search_options_t opt;
    cs_search_options_init(&opt);
    opt.limit = 3;      /* facets count everything, not the page */
    opt.facets = facets;
    opt.n_facets = 3;
    cs_results_t *r = NULL;
    ck_assert_msg(cs_search(index, query, &opt, &r) == CS_OK, "%s: %s", query,
                  cs_index_last_error(index));
    ck_assert_uint_eq(cs_results_facet_count(r), 3);
    tallies_t *t = malloc(3 * sizeof *t);
    ck_assert_ptr_nonnull(t);
    brute_force(index, query, &t[0], &t[1], &t[2]);
    ck_assert_msg(t[0].passages > 0, "%s matches nothing", query);
    for (size_t i = 0; i < 3; i++)
        assert_facet_equals(cs_results_facet(r, i), &t[i], query);
    /* year sorts by value by default, country by count */
    const cs_facet_t *y = cs_results_facet(r, 0), *c = cs_results_facet(r, 1);
    for (size_t i = 1; i < cs_facet_bucket_count(y); i++)
        ck_assert_int_lt(atoi(cs_facet_bucket(y, i - 1)->value), atoi(cs_facet_bucket(y, i)->value));
    for (size_t i = 1; i < cs_facet_bucket_count(c); i++)
        ck_assert_uint_ge(cs_facet_bucket(c, i - 1)->passages, cs_facet_bucket(c, i)->passages);
    free(t);
    cs_results_destroy(r);
    cs_index_close(index);
}
END_TEST

START_TEST(test_facet_limit_and_other)
{
    cs_index_t *index = open_index(index_dir);
    const char *facets[] = { "country" };
    cs_search_options_t opt;
    counts_only(&opt, facets, 1);
    opt.facet_limit = 5;
    opt.facet_order = CS_FACET_ORDER_VALUE;
    cs_results_t *r = NULL;
    ck_assert_int_eq(cs_search(index, "security", &opt, &r), CS_OK);
    const cs_facet_t *f = cs_results_facet(r, 0);
    ck_assert_uint_eq(cs_facet_bucket_count(f), 6);
    uint64_t passages = 0, files = 0;
    for (size_t i = 0; i < 6; i++) {
        const cs_facet_bucket_t *b = cs_facet_bucket(f, i);
        ck_assert_int_eq(b->other, i == 5);
        if (i > 0 && i < 5)
            ck_assert_int_lt(strcmp(cs_facet_bucket(f, i - 1)->value, b->value), 0);
        passages += b->passages;
        files += b->files;
    }
    ck_assert_str_eq(cs_facet_bucket(f, 5)->value, "other");
    ck_assert_uint_eq(passages, cs_facet_passages(f));
    ck_assert_uint_eq(files, cs_facet_files(f));
    /* labels name countries */
    cs_results_destroy(r);
    opt.facet_limit = 0;
    ck_assert_int_eq(cs_search(index, "country:Estonia", &opt, &r), CS_OK);
    f = cs_results_facet(r, 0);
    ck_assert_uint_eq(cs_facet_bucket_count(f), 1);
    ck_assert_str_eq(cs_facet_bucket(f, 0)->value, "EST");
    ck_assert_str_eq(cs_facet_bucket(f, 0)->label, "Estonia");
    cs_results_destroy(r);
    cs_index_close(index);
}
END_TEST

static int count_token(void *ctx, const cs_token_t *tok)
{
    (void)tok;
    ++*(uint64_t *)ctx;
    return 0;
}

/* A value's words are the words of all its passages, as the analyzer
 * counts them; per million divides by them. */
START_TEST(test_words_per_value)
{
    cs_index_t *index = open_index(index_dir);
    cs_analyzer_t *an = NULL;
    ck_assert_int_eq(cs_analyzer_new("english", &an, NULL), CS_OK);
    cs_results_t *all = all_matches(index, "year:2021");
    uint64_t words = 0;
    for (size_t i = 0; i < cs_results_count(all); i++) {
        const cs_hit_t *hit = cs_results_get(all, i);
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", cs_hit_root(hit), cs_hit_path(hit));
        cs_span_t p = cs_hit_passage(hit);
        char *text = test_read_range(path, p.start, p.end);
        ck_assert_ptr_nonnull(text);
        cs_analyzer_tokenize(an, text, strlen(text), 1, count_token, &words);
        free(text);
    }
    cs_results_destroy(all);
    ck_assert_uint_gt(words, 1000);

    const char *facets[] = { "year" };
    cs_search_options_t opt;
    counts_only(&opt, facets, 1);
    cs_results_t *r = NULL;
    ck_assert_int_eq(cs_search(index, "cyber", &opt, &r), CS_OK);  /* no words asked */
    ck_assert_uint_eq(cs_facet_bucket(cs_results_facet(r, 0), 0)->words, 0);
    cs_results_destroy(r);
    opt.facet_words = 1;
    ck_assert_int_eq(cs_search(index, "cyber", &opt, &r), CS_OK);
    const cs_facet_t *f = cs_results_facet(r, 0);
    const cs_facet_bucket_t *b = NULL;
    for (size_t i = 0; i < cs_facet_bucket_count(f); i++)
        if (strcmp(cs_facet_bucket(f, i)->value, "2021") == 0)
            b = cs_facet_bucket(f, i);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(b->words, words);
    ck_assert_double_eq_tol(b->per_million, 1e6 * (double)b->passages / (double)words, 1e-9);
    cs_results_destroy(r);
    cs_analyzer_free(an);
    cs_index_close(index);
}
END_TEST

START_TEST(test_facet_errors)
{
    cs_index_t *index = open_index(index_dir);
    cs_search_options_t opt;
    cs_search_options_init(&opt);
    cs_results_t *r = NULL;
    const char *bad[] = { "path" };
    opt.facets = bad;
    opt.n_facets = 1;
    ck_assert_int_eq(cs_search(index, "cyber", &opt, &r), CS_ERR_INVALID);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(cs_index_last_error(index),
                                 "cannot count 'path': facets are year, country, session"));
    const char *unknown[] = { "speaker" };
    opt.facets = unknown;
    ck_assert_int_eq(cs_search(index, "cyber", &opt, &r), CS_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(cs_index_last_error(index), "format, body, genre"));
    cs_index_close(index);
}
END_TEST

/* ---- fields of the path and the sidecar --------------------------------------- */

static uint64_t count_matches(cs_index_t *index, const char *query)
{
    cs_results_t *r = all_matches(index, query);
    uint64_t n = cs_results_count(r);
    cs_results_destroy(r);
    return n;
}

/* The distinct files of every passage @query matches. */
static uint64_t count_files(cs_index_t *index, const char *query)
{
    cs_results_t *r = all_matches(index, query);
    uint64_t files = 0;
    for (size_t i = 0; i < cs_results_count(r); i++) {
        const cs_hit_t *hit = cs_results_get(r, i);
        size_t k = 0;
        while (k < i && (strcmp(cs_hit_path(cs_results_get(r, k)), cs_hit_path(hit)) != 0 ||
                         strcmp(cs_hit_root(cs_results_get(r, k)), cs_hit_root(hit)) != 0))
            k++;
        files += k == i;
    }
    cs_results_destroy(r);
    return files;
}

/* Counts only (limit 0 with facets): the passages exactly, the files
 * within true bounds. */
START_TEST(test_counts_only_are_exact)
{
    cs_index_t *index = open_index(index_dir);
    const char *facets[] = { "year" };
    cs_search_options_t opt;
    counts_only(&opt, facets, 1);
    for (size_t i = 0; i < sizeof facet_queries / sizeof *facet_queries; i++) {
        cs_results_t *r = NULL;
        ck_assert_int_eq(cs_search(index, facet_queries[i], &opt, &r), CS_OK);
        ck_assert_uint_eq(cs_results_count(r), 0);
        ck_assert_uint_eq(cs_results_estimate(r), count_matches(index, facet_queries[i]));
        cs_count_t passages = cs_results_passages(r), files = cs_results_files(r);
        ck_assert_uint_eq(passages.lower, passages.upper);
        uint64_t true_files = count_files(index, facet_queries[i]);
        ck_assert_uint_le(files.lower, true_files);
        ck_assert_uint_ge(files.upper, true_files);
        /* exact when every match has a year: all but the seed file do */
        const cs_facet_t *f = cs_results_facet(r, 0);
        if (cs_facet_passages(f) == passages.lower)
            ck_assert_uint_eq(files.lower, files.upper);
        cs_results_destroy(r);
    }
    cs_index_close(index);
}
END_TEST

START_TEST(test_country_by_code_or_name)
{
    cs_index_t *index = open_index(index_dir);
    uint64_t rus = count_matches(index, "country:RUS");
    ck_assert_uint_gt(rus, 0);
    ck_assert_uint_eq(count_matches(index, "country:Russia"), rus);
    ck_assert_uint_eq(count_matches(index, "country:rus"), rus);
    ck_assert_uint_eq(count_matches(index, "country:EST"), count_matches(index, "path:*EST_*"));
    ck_assert_uint_eq(count_matches(index, "country:\"russian federation\""), rus);
    ck_assert_uint_eq(count_matches(index, "path:*RUS_*"), rus);
    uint64_t usa = count_matches(index, "country:\"United States\"");
    ck_assert_uint_gt(usa, 0);
    ck_assert_uint_eq(count_matches(index, "country:(RUS OR USA)"), rus + usa);
    ck_assert_uint_eq(count_matches(index, "session:76"), count_matches(index, "year:2021"));
    ck_assert_uint_eq(count_matches(index, "date:2021"), count_matches(index, "year:2021"));
    ck_assert_uint_eq(count_matches(index, "date:2021-03..2021-12"), 0); /* the year only */
    ck_assert_uint_gt(count_matches(index, "format:txt lang:en genre:\"General Debate speech\""),
                      0);
    ck_assert_uint_eq(count_matches(index, "title:excerpts"),
                      count_matches(index, "path:seed"));
    cs_index_close(index);
}
END_TEST

static void write_corpus_file(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    test_write_file(path, text);
}

/* A temporary folder @dir (a mkdtemp template) with corpus/ holding a.txt
 * and b.txt, and the path of an index beside it. */
static void make_small_corpus(char *dir, char corpus[4200], char index[4200])
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(corpus, 4200, "%s/corpus", dir);
    snprintf(index, 4200, "%s/index", dir);
    ck_assert_int_eq(mkdir(corpus, 0755), 0);
    write_corpus_file(corpus, "a.txt", "Cyber norms were discussed at length.\n");
    write_corpus_file(corpus, "b.txt", "Cyber sovereignty was the theme.\n");
}

/* Writing @text into the sidecar @name makes the next run fail with a
 * message holding @why. */
static void assert_sidecar_fails(const char *index, const char *corpus, const char *name,
                                 const char *text, const char *why)
{
    cs_update_stats_t s;
    char *msg = NULL;
    write_corpus_file(corpus, name, text);
    ck_assert_int_eq(update(index, corpus, &s, &msg), CS_ERR_INVALID);
    ck_assert_msg(msg && strstr(msg, why) != NULL, "%s lacks %s", msg ? msg : "(none)", why);
    free(msg);
}

START_TEST(test_sidecar_rows_reindex_only_their_files)
{
    char dir[] = "/tmp/cs-check-sidecar-XXXXXX", corpus[4200], index[4200];
    make_small_corpus(dir, corpus, index);
    write_corpus_file(corpus, "c.txt", "Nothing about cyber here, only norms.\n");
    write_corpus_file(corpus, "cybersearch-metadata.csv",
                      "path,speaker,body,date\n"
                      "a.txt,Lavrov,OEWG,2021-03-08\n"
                      "b.txt,\"Blinken, Antony\",GGE,2021-05-28\n");
    cs_update_stats_t s;
    char *msg = NULL;
    ck_assert_msg(update(index, corpus, &s, &msg) == CS_OK, "%s", msg);
    ck_assert_uint_eq(s.files_added, 3);   /* the sidecar is not a passage file */
    cs_index_t *idx = open_index(index);
    ck_assert_uint_eq(count_matches(idx, "speaker:Lavrov cyber"), 1);
    ck_assert_uint_eq(count_matches(idx, "speaker:\"blinken, antony\""), 1);
    ck_assert_uint_eq(count_matches(idx, "body:(OEWG OR GGE)"), 2);
    ck_assert_uint_eq(count_matches(idx, "date:2021-03..2021-04"), 1);
    ck_assert_uint_eq(count_matches(idx, "date:2021-03..2021-12"), 2);
    cs_field_info_t info;
    ck_assert(cs_field_get(idx, 8, &info));
    ck_assert_str_eq(info.name, "speaker");
    cs_index_close(idx);

    /* one row changes: one file is reindexed */
    write_corpus_file(corpus, "cybersearch-metadata.csv",
                      "path,speaker,body,date\n"
                      "a.txt,Lavrov,GGE,2021-03-08\n"
                      "b.txt,\"Blinken, Antony\",GGE,2021-05-28\n");
    ck_assert_msg(update(index, corpus, &s, &msg) == CS_OK, "%s", msg);
    ck_assert_uint_eq(s.files_changed, 1);
    ck_assert_uint_eq(s.files_unchanged, 2);
    idx = open_index(index);
    ck_assert_uint_eq(count_matches(idx, "body:GGE"), 2);
    ck_assert_uint_eq(count_matches(idx, "body:OEWG"), 0);
    cs_index_close(idx);

    /* a malformed sidecar fails the run, naming the line */
    assert_sidecar_fails(index, corpus, "cybersearch-metadata.csv", "path,speaker\na.txt,\"Lavrov\n",
                         "cybersearch-metadata.csv:2: malformed quoting");
    assert_sidecar_fails(index, corpus, "cybersearch-metadata.csv", "file,speaker\n",
                         "the first column must be 'path'");
    assert_sidecar_fails(index, corpus, "cybersearch-metadata.csv",
                         "path,speaker\nb.txt,x\na.txt,y\nb.txt,z\n",
                         "cybersearch-metadata.csv: a path is given twice: b.txt");
    /* a value a field cannot take is reported, and the rest indexed; so
     * is a row for no file */
    write_corpus_file(corpus, "cybersearch-metadata.csv",
                      "path,year,speaker\na.txt,20x1,Lavrov\nnone.txt,,x\n");
    ck_assert_msg(update(index, corpus, &s, &msg) == CS_OK, "%s", msg);
    ck_assert_uint_eq(s.files_skipped, 0);
    ck_assert_int_eq(warnings.count, 2);
    ck_assert_msg(strstr(warnings.last, "sidecar: a.txt: bad year value '20x1'") != NULL, "%s",
                  warnings.last);
    idx = open_index(index);
    ck_assert_uint_eq(count_matches(idx, "speaker:Lavrov"), 1);
    ck_assert_uint_eq(count_matches(idx, "year:..2999"), 0);
    cs_index_close(idx);
    test_remove_tree(dir);
}
END_TEST

START_TEST(test_jsonl_sidecar)
{
    char dir[] = "/tmp/cs-check-jsonl-XXXXXX", corpus[4200], index[4200];
    make_small_corpus(dir, corpus, index);
    write_corpus_file(corpus, "cybersearch-metadata.jsonl",
                      "{\"path\": \"a.txt\", \"speaker\": \"Lavrov\", \"Session\": 76, \"vote\": true}\n"
                      "\n"
                      "{\"path\": \"b.txt\", \"speaker\": \"Blinken\", \"symbol\": null, "
                      "\"country\": \"United States\"}\n");
    cs_update_stats_t s;
    char *msg = NULL;
    ck_assert_msg(update(index, corpus, &s, &msg) == CS_OK, "%s", msg);
    cs_index_t *idx = open_index(index);
    ck_assert_uint_eq(count_matches(idx, "speaker:lavrov session:76 vote:true"), 1);
    ck_assert_uint_eq(count_matches(idx, "country:USA speaker:Blinken"), 1);
    cs_index_close(idx);

    /* both kinds, or a line that is not an object, fail with the place */
    assert_sidecar_fails(index, corpus, "cybersearch-metadata.csv", "path,speaker\n", "keep one");
    char csv[4300];
    snprintf(csv, sizeof csv, "%s/cybersearch-metadata.csv", corpus);
    ck_assert_int_eq(unlink(csv), 0);
    assert_sidecar_fails(index, corpus, "cybersearch-metadata.jsonl",
                         "{\"path\": \"a.txt\"}\n{\"path\": \"b.txt\", \"x\": [1]}\n",
                         "cybersearch-metadata.jsonl:2: a value must be");
    assert_sidecar_fails(index, corpus, "cybersearch-metadata.jsonl", "{\"path\": \"a.txt\"} x\n",
                         "jsonl:1: not one JSON object");
    test_remove_tree(dir);
}
END_TEST

/* The file slot carries the key and each facet value of the file, read
 * back exactly; the file term tells keys apart and names no file for a
 * malformed one. */
START_TEST(test_file_slot_round_trip)
{
    cs_buf_t b;
    _cs_buf_init(&b);
    _cs_store_file_value_start(&b, "00ff00ff12345678");
    _cs_store_file_value_add_facet(&b, 10, "1946", 4);
    _cs_store_file_value_add_facet(&b, 11, "", 0);
    _cs_store_file_value_add_facet(&b, 163, "a b", 3);
    ck_assert(!b.failed);
    uint64_t key;
    ck_assert(_cs_store_file_value_key(b.data, b.len, &key));
    ck_assert_uint_eq(key, 0x00ff00ff12345678ull);
    const char *v;
    size_t len;
    ck_assert(_cs_store_file_value_facet(b.data, b.len, 10, &v, &len));
    ck_assert_uint_eq(len, 4);
    ck_assert(memcmp(v, "1946", 4) == 0);
    ck_assert(_cs_store_file_value_facet(b.data, b.len, 11, &v, &len));
    ck_assert_uint_eq(len, 0);
    ck_assert(_cs_store_file_value_facet(b.data, b.len, 163, &v, &len));
    ck_assert_uint_eq(len, 3);
    ck_assert(memcmp(v, "a b", 3) == 0);
    ck_assert(!_cs_store_file_value_facet(b.data, b.len, 12, &v, &len));
    ck_assert(!_cs_store_file_value_facet(b.data, b.len - 1, 163, &v, &len)); /* cut short */
    ck_assert(!_cs_store_file_value_key(b.data, 7, &key));
    _cs_buf_free(&b);
    char a[CS_STORE_FILE_TERM_SIZE], c[CS_STORE_FILE_TERM_SIZE], bad[CS_STORE_FILE_TERM_SIZE];
    _cs_store_file_term("00ff00ff12345678", a);
    _cs_store_file_term("00ff00ff12345679", c);
    _cs_store_file_term("00ff00ff1234567G", bad);
    ck_assert_uint_eq(strlen(a), CS_STORE_FILE_TERM_SIZE - 1);
    ck_assert_str_ne(a, c);
    ck_assert_uint_lt(strlen(bad), strlen(a));
}
END_TEST

/* Facets find a value's bucket by its number in a set of strings: the
 * order of first adding, kept for repeats and across the set's growth. */
START_TEST(test_value_numbers)
{
    cs_strset_t set;
    _cs_strset_init(&set);
    size_t id = 99;
    ck_assert_int_eq(_cs_strset_intern(&set, "GBR", 3, &id), 1);
    ck_assert_uint_eq(id, 0);
    ck_assert_int_eq(_cs_strset_intern(&set, "FRA", 3, &id), 1);
    ck_assert_uint_eq(id, 1);
    ck_assert_int_eq(_cs_strset_intern(&set, "GBR", 3, &id), 0);
    ck_assert_uint_eq(id, 0);
    ck_assert_int_eq(_cs_strset_intern(&set, "", 0, &id), 1);
    ck_assert_uint_eq(id, 2);
    char value[16];
    for (size_t i = 0; i < 3000; i++) {  /* past the first table's size */
        int len = snprintf(value, sizeof value, "%zu", i);
        ck_assert_int_eq(_cs_strset_intern(&set, value, (size_t)len, &id), 1);
        ck_assert_uint_eq(id, i + 3);
    }
    ck_assert_int_eq(_cs_strset_intern(&set, "FRA", 3, &id), 0);
    ck_assert_uint_eq(id, 1);
    ck_assert_int_eq(_cs_strset_intern(&set, "1234", 4, &id), 0);
    ck_assert_uint_eq(id, 1237);
    ck_assert_int_eq(_cs_strset_add(&set, "", 0), 0);
    _cs_strset_free(&set);
}
END_TEST

/* A passage record reads back field for field, with its locator's fields
 * at their defaults or all set (schema 8 stores only those set). */
static void record_round_trip(const cs_passage_record_t *in)
{
    cs_buf_t b;
    _cs_buf_init(&b);
    _cs_passage_record_encode(in, &b);
    ck_assert(!b.failed);
    cs_passage_record_t out;
    ck_assert(_cs_passage_record_decode(b.data, b.len, &out));
    ck_assert_uint_eq(out.root, in->root);
    ck_assert_uint_eq(out.start, in->start);
    ck_assert_uint_eq(out.end, in->end);
    ck_assert_uint_eq(out.line, in->line);
    ck_assert_uint_eq(out.col, in->col);
    ck_assert_uint_eq(out.encoding, in->encoding);
    ck_assert_uint_eq(out.unit, in->unit);
#define SAME(f) ck_assert_uint_eq(out.f##_len, in->f##_len); \
    ck_assert(memcmp(out.f, in->f, in->f##_len) == 0)
    SAME(path); SAME(format); SAME(unit_kind); SAME(label); SAME(section); SAME(anchor);
    SAME(segs); SAME(text);
#undef SAME
    ck_assert(!_cs_passage_record_decode(b.data, 3, &out));
    _cs_buf_free(&b);
}

START_TEST(test_record_round_trip)
{
    const char *text = "The consensus report.";
    cs_passage_record_t plain = {
        .root = 1, .path = "a/b.txt", .path_len = 7, .start = 300, .line = 9, .col = 2,
        .format = "text", .format_len = 4, .encoding = CS_ENC_UTF8,
        .unit_kind = "", .label = "", .section = "", .anchor = "", .segs = "",
        .text = text, .text_len = strlen(text),
    };
    plain.end = plain.start + plain.text_len;
    record_round_trip(&plain);
    cs_passage_record_t all = plain;
    all.format = "pdf";
    all.format_len = 3;
    all.encoding = CS_ENC_COUNT - 1;
    all.unit_kind = "page";
    all.unit_kind_len = 4;
    all.unit = 12;
    all.label = "xii";
    all.label_len = 3;
    all.section = "A > B";
    all.section_len = 5;
    all.anchor = "top";
    all.anchor_len = 3;
    all.segs = "\x01\x02";
    all.segs_len = 2;
    all.end = plain.start + 1000;
    record_round_trip(&all);
}
END_TEST

static Suite *facets_suite(void)
{
    Suite *s = suite_create("facets");
    TCase *slot = tcase_create("storage");
    tcase_add_test(slot, test_file_slot_round_trip);
    tcase_add_test(slot, test_record_round_trip);
    tcase_add_test(slot, test_value_numbers);
    suite_add_tcase(s, slot);
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 120);
    tcase_add_unchecked_fixture(core, build_index, remove_index);
    tcase_add_loop_test(core, test_facets_equal_brute_force, 0,
                        sizeof facet_queries / sizeof *facet_queries);
    tcase_add_test(core, test_facet_limit_and_other);
    tcase_add_test(core, test_words_per_value);
    tcase_add_test(core, test_facet_errors);
    tcase_add_test(core, test_counts_only_are_exact);
    tcase_add_test(core, test_country_by_code_or_name);
    tcase_add_test(core, test_sidecar_rows_reindex_only_their_files);
    tcase_add_test(core, test_jsonl_sidecar);
    suite_add_tcase(s, core);
    return s;
}

int main(void)
{
    return test_run(facets_suite());
}

/* check_update.c - incremental reindexing: after adding, changing, renaming
 * and deleting files, and after the indexer is killed at random moments,
 * the index answers exactly like a clean rebuild.  Also: the write lock,
 * schema versions, searches during a reindex, and the vocabulary that
 * wildcards expand over. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cybersearch.h"
#include "rank.h"
#include "schema.h"
#include "testutil.h"
#include "xapian_c.h"

static char work[] = "/tmp/cs-check-update-XXXXXX";
static char corpus[512], index_a[512], index_b[512];

static const char *const words[] = {
    "cyber", "norms", "sovereignty", "consensus", "report", "security", "treaty",
    "negotiation", "OEWG", "GGE", "infrastructure", "ransomware", "capacity",
    "diplomacy", "resolution", "assembly", "states", "peace", "law", "internet",
};
#define N_WORDS (sizeof words / sizeof *words)

static const char *const queries[] = {
    "cyber", "consensus report", "\"norms sovereignty\"", "treaty OR ransomware",
    "peace -law", "OEWG NEAR/3 GGE", "secur*", "edited", "renamed words", "path:sub*",
    /* filters that every passage holds: after an update Xapian 1.4 failed
     * on them ("Unexpected end of posting list", xc_query_filter_term) */
    "lang:en", "format:txt", "cyber lang:en", "NOT format:txt", "peace NOT lang:en",
};

/* A paragraph of pseudo-random words, reproducible from @seed. */
static void paragraph(char *out, size_t size, unsigned seed, int words_n)
{
    out[0] = '\0';
    for (int i = 0; i < words_n; i++) {
        seed = seed * 1103515245u + 12345u;
        strncat(out, words[(seed >> 16) % N_WORDS], size - strlen(out) - 2);
        strncat(out, i + 1 < words_n ? " " : ".\n", size - strlen(out) - 1);
    }
}

/* The path of @rel in the test corpus (valid until the next call). */
static const char *in_corpus(const char *rel)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", corpus, rel);
    return path;
}

/* Write (mode "wb") or append to ("ab") corpus file @rel: @len bytes, which
 * may hold NULs. */
static void put_rel(const char *rel, const char *mode, const void *bytes, size_t len)
{
    FILE *f = fopen(in_corpus(rel), mode);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static void write_doc(const char *rel, unsigned seed, int paragraphs)
{
    char text[8192] = "", para[1024];
    for (int p = 0; p < paragraphs; p++) {
        paragraph(para, sizeof para, seed + (unsigned)p * 7919u, 12 + p % 9);
        strncat(text, para, sizeof text - strlen(text) - 1);
    }
    test_write_file(in_corpus(rel), text);
}

static void make_corpus(int files)
{
    snprintf(corpus, sizeof corpus, "%s/corpus", work);
    snprintf(index_a, sizeof index_a, "%s/index-a", work);
    snprintf(index_b, sizeof index_b, "%s/index-b", work);
    char sub[600];
    snprintf(sub, sizeof sub, "%s/sub dir", corpus);
    mkdir(corpus, 0755);
    mkdir(sub, 0755);
    for (int i = 0; i < files; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "%sdoc-%04d.txt", i % 5 == 0 ? "sub dir/" : "", i);
        write_doc(rel, (unsigned)i, 1 + i % 4);
    }
}

static void setup(void)
{
    strcpy(work, "/tmp/cs-check-update-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(work));
    make_corpus(40);
}

static void teardown(void)
{
    if (!getenv("CS_KEEP_TEST_DIR"))
        test_remove_tree(work);
    else
        fprintf(stderr, "kept %s\n", work);
}

static cs_status_t update(const char *index, int rebuild, cs_update_stats_t *stats)
{
    cs_update_options_t opt;
    cs_update_options_init(&opt);
    opt.rebuild = rebuild;
    char *msg = NULL;
    cs_status_t st = test_index_folder(index, corpus, &opt, stats, &msg);
    if (st && st != CS_ERR_LOCKED)
        fprintf(stderr, "update %s: %s\n", index, msg);
    free(msg);
    return st;
}

static int compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* @text's lines sorted: hits with equal scores come in docid order, and
 * docids differ between an incremental index and a rebuild. */
static char *sort_lines(char *text)
{
    size_t n = 0, len = strlen(text);
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    char **lines = malloc((n + 1) * sizeof *lines);
    size_t k = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        lines[k++] = line;
    qsort(lines, k, sizeof *lines, compare_lines);
    char *out = malloc(len + 2);
    out[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        strcat(out, lines[i]);
        strcat(out, "\n");
    }
    free(lines);
    free(text);
    return out;
}

/* Every hit of every query as sorted text lines: path, ranges, score. */
static char *answers(const char *index_path)
{
    cs_index_t *index;
    char *msg = NULL;
    ck_assert_msg(cs_index_open(index_path, &index, &msg) == CS_OK, "open: %s", msg);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        cs_search_options_t opt;
        cs_search_options_init(&opt);
        opt.limit = 100000;  /* all: ties at the cut would be in docid order */
        opt.per_file = 0;
        opt.any = 1;
        cs_results_t *r;
        ck_assert_msg(cs_search(index, queries[q], &opt, &r) == CS_OK, "%s: %s", queries[q],
                      cs_index_last_error(index));
        for (size_t i = 0; i < cs_results_count(r); i++) {
            const cs_hit_t *h = cs_results_get(r, i);
            cs_span_t p = cs_hit_passage(h);
            char line[1024];
            int n = snprintf(line, sizeof line, "%s|%s|%llu-%llu@%u:%u|%.4f|%zu|%s\n",
                             queries[q], cs_hit_path(h), (unsigned long long)p.start,
                             (unsigned long long)p.end, p.line, p.col, cs_hit_score(h),
                             cs_hit_highlight_count(h), cs_hit_snippet(h));
            while (len + (size_t)n + 1 > cap)
                out = realloc(out, cap *= 2);
            memcpy(out + len, line, (size_t)n + 1);
            len += (size_t)n;
            ck_assert(!cs_hit_stale(h));
        }
        cs_results_destroy(r);
    }
    cs_index_close(index);
    return sort_lines(out);
}

static void assert_same_as_rebuild(void)
{
    test_remove_tree(index_b);
    ck_assert_int_eq(update(index_b, 1, NULL), CS_OK);
    char *a = answers(index_a), *b = answers(index_b);
    size_t at = 0;
    while (a[at] && a[at] == b[at])
        at++;
    while (at > 0 && a[at - 1] != '\n')
        at--;
    ck_assert_msg(strcmp(a, b) == 0, "incremental index differs from a rebuild:\n"
                  "--- incremental\n%.300s\n--- rebuild\n%.300s", a + at, b + at);
    ck_assert_uint_gt(strlen(a), 100);
    free(a);
    free(b);
}

static void rename_rel(const char *from, const char *to)
{
    char a[1024], b[1024];
    snprintf(a, sizeof a, "%s/%s", corpus, from);
    snprintf(b, sizeof b, "%s/%s", corpus, to);
    ck_assert_int_eq(rename(a, b), 0);
}

START_TEST(test_incremental_equals_rebuild)
{
    cs_update_stats_t s;
    ck_assert_int_eq(update(index_a, 0, &s), CS_OK);
    ck_assert_uint_eq(s.files_added, 40);

    /* nothing changed: nothing read */
    ck_assert_int_eq(update(index_a, 0, &s), CS_OK);
    ck_assert_uint_eq(s.files_unchanged, 40);
    ck_assert_uint_eq(s.bytes, 0);

    /* add, modify, rename, delete, touch */
    write_doc("new file.txt", 999, 3);
    test_write_file(in_corpus("doc-0001.txt"), "This paragraph was edited.\nrenamed words here.\n");
    rename_rel("doc-0002.txt", "sub dir/doc-0002-renamed.txt");
    ck_assert_int_eq(unlink(in_corpus("doc-0003.txt")), 0);
    struct timespec times[2] = { { 0, UTIME_NOW }, { 1000000, 0 } };
    ck_assert_int_eq(utimensat(AT_FDCWD, in_corpus("doc-0004.txt"), times, 0), 0);

    ck_assert_int_eq(update(index_a, 0, &s), CS_OK);
    ck_assert_uint_eq(s.files_added, 2);      /* new file, renamed file */
    ck_assert_uint_eq(s.files_changed, 1);
    ck_assert_uint_eq(s.files_removed, 2);    /* deleted file, old name */
    ck_assert_uint_eq(s.files_unchanged, 37); /* including the touched one */
    assert_same_as_rebuild();
}
END_TEST

START_TEST(test_non_text_skipped_and_removed)
{
    ck_assert_int_eq(update(index_a, 0, NULL), CS_OK);
    put_rel("doc-0006.txt", "wb", "binary\0data", 11);
    cs_update_stats_t s;
    ck_assert_int_eq(update(index_a, 0, &s), CS_OK);
    ck_assert_uint_eq(s.files_skipped, 1);
    ck_assert_uint_eq(s.files_removed, 1);  /* its old passages are gone */
    assert_same_as_rebuild();
}
END_TEST

/* Odd names index; hidden files, version control folders and link loops
 * do not; a non-text file is a warning. */
START_TEST(test_walk_edge_cases)
{
    test_write_file(in_corpus("na\xC3\xAFve name\nwith newline.txt"),
                    "Unicode names are indexed: zebrafish.\n");
    test_write_file(in_corpus(".hidden.txt"), "hidden zebrafish\n");
    ck_assert_int_eq(mkdir(in_corpus(".git"), 0755), 0);
    test_write_file(in_corpus(".git/HEAD.txt"), "zebrafish in version control\n");
    ck_assert_int_eq(symlink("..", in_corpus("sub dir/loop")), 0);
    put_rel("image.txt", "wb", "\x89PNG\0\0\0", 8);
    cs_update_stats_t s;
    ck_assert_int_eq(update(index_a, 0, &s), CS_OK);
    ck_assert_uint_eq(s.files_added, 41);      /* 40 + the Unicode name */
    ck_assert_uint_eq(s.files_skipped, 2);     /* the loop and the binary file */
    cs_index_t *index;
    ck_assert_int_eq(cs_index_open(index_a, &index, NULL), CS_OK);
    cs_results_t *r;
    ck_assert_int_eq(cs_search(index, "zebrafish", NULL, &r), CS_OK);
    ck_assert_uint_eq(cs_results_count(r), 1);
    ck_assert_str_eq(cs_hit_path(cs_results_get(r, 0)), "na\xC3\xAFve name\nwith newline.txt");
    cs_results_destroy(r);
    cs_index_close(index);
}
END_TEST

START_TEST(test_second_writer_is_locked)
{
    ck_assert_int_eq(update(index_a, 0, NULL), CS_OK);
    xc_db_t *db;
    xc_error_t err;
    ck_assert_int_eq(xc_db_open(index_a, XC_OPEN_WRITE, &db, &err), CS_OK);
    char *msg = NULL;
    ck_assert_int_eq(test_index_folder(index_a, corpus, NULL, NULL, &msg), CS_ERR_LOCKED);
    ck_assert_ptr_nonnull(strstr(msg, "locked: another writer"));
    free(msg);
    /* an indexer holding the lock leaves its PID, and the message gives it */
    char pid_path[600], want[64];
    snprintf(pid_path, sizeof pid_path, "%s/cybersearch-indexer.pid", index_a);
    FILE *f = fopen(pid_path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%ld\n", (long)getpid());
    fclose(f);
    ck_assert_int_eq(test_index_folder(index_a, corpus, NULL, NULL, &msg), CS_ERR_LOCKED);
    snprintf(want, sizeof want, "(PID %ld) is running on it", (long)getpid());
    ck_assert_msg(strstr(msg, want), "no '%s' in: %s", want, msg);
    free(msg);
    xc_db_free(db);
    /* a PID file left by a killed run names nobody once the lock is free */
    ck_assert_int_eq(update(index_a, 0, NULL), CS_OK);
    ck_assert_int_ne(access(pid_path, F_OK), 0);
}
END_TEST

START_TEST(test_other_schema_version_refused)
{
    ck_assert_int_eq(update(index_a, 0, NULL), CS_OK);
    xc_db_t *db;
    xc_error_t err;
    ck_assert_int_eq(xc_db_open(index_a, XC_OPEN_WRITE, &db, &err), CS_OK);
    ck_assert_int_eq(xc_db_set_metadata(db, CS_META_SCHEMA, "99", 2, &err), CS_OK);
    ck_assert_int_eq(xc_db_commit(db, &err), CS_OK);
    xc_db_free(db);
    cs_index_t *index;
    char *msg = NULL;
    ck_assert_int_eq(cs_index_open(index_a, &index, &msg), CS_ERR_VERSION);
    ck_assert_ptr_nonnull(strstr(msg, "--rebuild"));
    free(msg);
    ck_assert_int_eq(update(index_a, 0, NULL), CS_ERR_VERSION);
    ck_assert_int_eq(update(index_a, 1, NULL), CS_OK);  /* --rebuild recovers */
}
END_TEST

/* Search @index_path (opened for this search only: results outlive their
 * index) for at most @limit hits, @per_file from a file. */
static cs_status_t search_in(const char *index_path, const char *query, size_t limit,
                             int per_file, cs_results_t **r)
{
    cs_index_t *index;
    ck_assert_int_eq(cs_index_open(index_path, &index, NULL), CS_OK);
    cs_search_options_t opt;
    cs_search_options_init(&opt);
    opt.limit = limit;
    opt.per_file = per_file;
    *r = NULL;
    cs_status_t st = cs_search(index, query, &opt, r);
    cs_index_close(index);
    return st;
}

/* Hits of @query (default options; -1 when the search fails), and its status. */
static long hit_count(const char *index_path, const char *query, cs_status_t *status)
{
    cs_results_t *r;
    *status = search_in(index_path, query, 10, 3, &r);
    long n = *status ? -1 : (long)cs_results_count(r);
    cs_results_destroy(r);
    return n;
}

/* A shard of one file: after an update, its file term (path:) is in every
 * passage, the case Xapian 1.4 fails on once the passages fill several
 * posting-list chunks (xc_query_filter_term). */
static void write_paragraphs(const char *path, int n, const char *last)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < n; i++)
        fprintf(f, "Paragraph %d on cyber norms.\n\n", i);
    fprintf(f, "%s\n", last);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_one_file_index_after_update)
{
    char solo[700], index[700], file[760];
    snprintf(solo, sizeof solo, "%s/solo", work);
    snprintf(index, sizeof index, "%s/solo-index", work);
    snprintf(file, sizeof file, "%s/solo.txt", solo);
    ck_assert_int_eq(mkdir(solo, 0755), 0);
    write_paragraphs(file, 3000, "Sovereignty, first.");
    ck_assert_int_eq(test_index_folder(index, solo, NULL, NULL, NULL), CS_OK);
    write_paragraphs(file, 3000, "Sovereignty, edited.");
    ck_assert_int_eq(test_index_folder(index, solo, NULL, NULL, NULL), CS_OK);
    static const char *const queries[] = { "path:solo.txt", "sovereignty NOT path:solo.txt",
                                           "lang:en", "sovereignty path:solo.txt" };
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        cs_results_t *r;
        cs_status_t st = search_in(index, queries[q], 10, 0, &r);
        ck_assert_msg(st == CS_OK, "%s: status %d", queries[q], (int)st);
        ck_assert_uint_eq(cs_results_count(r), q == 1 ? 0 : q == 3 ? 1 : 10);
        cs_results_destroy(r);
    }
}
END_TEST

START_TEST(test_wildcard_vocabulary)
{
    ck_assert_int_eq(update(index_a, 0, NULL), CS_OK);
    cs_status_t st;
    ck_assert_int_eq(hit_count(index_a, "quixot*", &st), 0);
    ck_assert_int_eq(st, CS_OK);
    /* an incremental run records the new words: the wildcard, longer than
     * the words' stem "quixot", finds them */
    test_write_file(in_corpus("quixotic.txt"), "Quixotically quixotic hopes.\n");
    ck_assert_int_eq(update(index_a, 0, NULL), CS_OK);
    ck_assert_int_eq(hit_count(index_a, "quixotica*", &st), 1);
    ck_assert_int_eq(hit_count(index_a, "quixoti*", &st), 1);

    /* a prefix shared by more than 1000 stems is refused, not truncated */
    char text[16384] = "";
    for (int i = 0; i < 1100; i++) {
        char word[16];
        snprintf(word, sizeof word, "zqx%04d ", i);
        strcat(text, word);
    }
    strcat(text, "\n");
    test_write_file(in_corpus("wide.txt"), text);
    ck_assert_int_eq(update(index_a, 0, NULL), CS_OK);
    ck_assert_int_eq(hit_count(index_a, "zqx*", &st), -1);
    ck_assert_int_eq(st, CS_ERR_TOO_BROAD);
    ck_assert_int_ge(hit_count(index_a, "zqx10*", &st), 1);
}
END_TEST

START_TEST(test_impacts_follow_bm25)
{
    /* a word once in a passage of the pivot length weighs (k1 + 1) / (1 +
     * k1) = 1; more often, more (saturating); in a longer passage, less */
    ck_assert_uint_eq(_cs_bm25_impact(1, 64), 1000);
    ck_assert_uint_eq(_cs_bm25_impact(2, 64), 1375);  /* 2.2 * 2 / 3.2 */
    ck_assert_uint_eq(_cs_bm25_impact(1, 128), 710);  /* 2.2 / 3.1 */
    ck_assert_uint_lt(_cs_bm25_impact(50, 64), 2200); /* below k1 + 1 */
    ck_assert_uint_eq(_cs_bm25_impact(1, 1000000), 1); /* never 0 */
    for (uint32_t tf = 1; tf < 20; tf++) {
        ck_assert_uint_gt(_cs_bm25_impact(tf + 1, 64), _cs_bm25_impact(tf, 64));
        ck_assert_uint_lt(_cs_bm25_impact(tf, 64 + tf), _cs_bm25_impact(tf, 64));
    }
}
END_TEST

START_TEST(test_per_file_cap_when_one_file_crowds)
{
    /* one file's 60 passages outrank the two other files' passages, so the
     * capped candidates run short and the search falls back to Xapian's
     * collapse: still one passage from each of the three files */
    char text[16384] = "";
    for (int i = 0; i < 60; i++)
        strcat(text, "Zebra zebra zebra crossing.\n\n");
    test_write_file(in_corpus("crowd.txt"), text);
    test_write_file(in_corpus("other-1.txt"), "A zebra among many other words of a long line.\n");
    test_write_file(in_corpus("other-2.txt"), "One zebra here too, in another rather long line.\n");
    ck_assert_int_eq(update(index_a, 0, NULL), CS_OK);
    cs_results_t *r;
    ck_assert_int_eq(search_in(index_a, "zebra", 5, 1, &r), CS_OK);
    ck_assert_uint_eq(cs_results_count(r), 3);
    ck_assert_uint_eq(cs_results_estimate(r), 62);  /* passages, not files */
    ck_assert_str_eq(cs_hit_path(cs_results_get(r, 0)), "crowd.txt");
    for (size_t i = 0; i < 3; i++)
        for (size_t k = i + 1; k < 3; k++)
            ck_assert_str_ne(cs_hit_path(cs_results_get(r, i)), cs_hit_path(cs_results_get(r, k)));
    cs_results_destroy(r);
    /* two from the crowded file, one from each other */
    ck_assert_int_eq(search_in(index_a, "zebra", 5, 2, &r), CS_OK);
    ck_assert_uint_eq(cs_results_count(r), 4);
    cs_results_destroy(r);
}
END_TEST

/* The staleness check reads the file record (schema 8): a file touched
 * but unchanged is fresh, by its content hash; one of the same size but
 * another content is stale. */
START_TEST(test_stale_by_hash)
{
    ck_assert_int_eq(update(index_a, 0, NULL), CS_OK);
    const char *rel = "doc-0002.txt";
    char text[8192];
    FILE *f = fopen(in_corpus(rel), "rb");
    ck_assert_ptr_nonnull(f);
    size_t len = fread(text, 1, sizeof text, f);
    fclose(f);
    ck_assert_uint_gt(len, 10);
    struct stat st;
    ck_assert_int_eq(stat(in_corpus(rel), &st), 0);
    struct timespec later[2] = { st.st_atim, st.st_mtim };
    later[0].tv_sec += 5;
    later[1].tv_sec += 5;
    ck_assert_int_eq(utimensat(AT_FDCWD, in_corpus(rel), later, 0), 0);
    cs_results_t *r;
    ck_assert_int_eq(search_in(index_a, "path:doc-0002.txt", 1000, 0, &r), CS_OK);
    ck_assert_uint_ge(cs_results_count(r), 1);
    for (size_t i = 0; i < cs_results_count(r); i++)
        ck_assert(!cs_hit_stale(cs_results_get(r, i)));
    cs_results_destroy(r);
    text[0] = text[0] == 'x' ? 'y' : 'x';
    put_rel(rel, "wb", text, len);
    ck_assert_int_eq(search_in(index_a, "path:doc-0002.txt", 1000, 0, &r), CS_OK);
    ck_assert_uint_ge(cs_results_count(r), 1);
    for (size_t i = 0; i < cs_results_count(r); i++)
        ck_assert(cs_hit_stale(cs_results_get(r, i)));
    cs_results_destroy(r);
}
END_TEST

START_TEST(test_stale_hit_reported)
{
    ck_assert_int_eq(update(index_a, 0, NULL), CS_OK);
    put_rel("doc-0001.txt", "ab", "appended later.\n", 16);
    cs_results_t *r;
    ck_assert_int_eq(search_in(index_a, "path:doc-0001.txt", 1000, 0, &r), CS_OK);
    ck_assert_uint_ge(cs_results_count(r), 1);
    for (size_t i = 0; i < cs_results_count(r); i++)
        ck_assert(cs_hit_stale(cs_results_get(r, i)));
    cs_results_destroy(r);
    /* staleness is per file, also where a page holds several files */
    ck_assert_int_eq(search_in(index_a, "path:doc-000*", 1000, 0, &r), CS_OK);
    size_t stale = 0;
    for (size_t i = 0; i < cs_results_count(r); i++) {
        const cs_hit_t *h = cs_results_get(r, i);
        ck_assert_int_eq(cs_hit_stale(h), strcmp(cs_hit_path(h), "doc-0001.txt") == 0);
        stale += (size_t)cs_hit_stale(h);
    }
    ck_assert_uint_ge(stale, 1);
    ck_assert_uint_gt(cs_results_count(r), stale);
    cs_results_destroy(r);
}
END_TEST

/* Kill the indexer with SIGKILL at random moments of a large reindex: the
 * index must open after each kill, and the final run must match a clean
 * build. */
START_TEST(test_sigkill_leaves_index_consistent)
{
    make_corpus(3000);
    srand((unsigned)time(NULL));
    int kills = 0;
    for (int round = 0; round < 24; round++) {
        if (round % 6 == 5) {  /* change files between some kills */
            for (int i = round; i < 3000; i += 97)
                write_doc(i % 5 ? "doc-0007.txt" : "sub dir/doc-0010.txt", (unsigned)(i * round), 2);
        }
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
            _exit(update(index_a, 0, NULL) == CS_OK ? 0 : 3);
        usleep((useconds_t)(rand() % 1500000));
        kills += kill(pid, SIGKILL) == 0;
        int status;
        waitpid(pid, &status, 0);
        ck_assert(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
        cs_index_t *index = NULL;
        cs_status_t st = cs_index_open(index_a, &index, NULL);
        ck_assert_msg(st == CS_OK || st == CS_ERR_NOT_FOUND, "round %d: open gave %s", round,
                      cs_status_to_string(st));
        cs_index_close(index);
    }
    ck_assert_int_ge(kills, 20);
    ck_assert_int_eq(update(index_a, 0, NULL), CS_OK);
    assert_same_as_rebuild();
}
END_TEST

/* Searches in a loop while a reindex runs never fail. */
START_TEST(test_search_during_reindex)
{
    make_corpus(1500);
    ck_assert_int_eq(update(index_a, 0, NULL), CS_OK);
    for (int i = 0; i < 1500; i += 3)
        write_doc("doc-0011.txt", (unsigned)i, 3), write_doc("sub dir/doc-0015.txt", (unsigned)i + 1, 2);
    make_corpus(0);
    for (int i = 0; i < 1500; i += 2) {
        char rel[64];
        snprintf(rel, sizeof rel, "%sdoc-%04d.txt", i % 5 == 0 ? "sub dir/" : "", i);
        write_doc(rel, (unsigned)i + 5, 2);
    }
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(update(index_a, 0, NULL) == CS_OK ? 0 : 3);
    int searches = 0, status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0 || searches < 5) {
        cs_index_t *index;
        ck_assert_int_eq(cs_index_open(index_a, &index, NULL), CS_OK);
        for (int k = 0; k < 5; k++, searches++) {
            cs_results_t *r;
            cs_status_t st = cs_search(index, queries[k % 6], NULL, &r);
            ck_assert_msg(st == CS_OK, "search failed during reindex: %s",
                          cs_index_last_error(index));
            cs_results_destroy(r);
        }
        cs_index_close(index);
    }
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ck_assert_int_ge(searches, 5);
}
END_TEST

static Suite *update_suite(void)
{
    Suite *s = suite_create("update");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_set_timeout(core, 120);
    tcase_add_test(core, test_incremental_equals_rebuild);
    tcase_add_test(core, test_one_file_index_after_update);
    tcase_add_test(core, test_non_text_skipped_and_removed);
    tcase_add_test(core, test_walk_edge_cases);
    tcase_add_test(core, test_second_writer_is_locked);
    tcase_add_test(core, test_other_schema_version_refused);
    tcase_add_test(core, test_stale_hit_reported);
    tcase_add_test(core, test_stale_by_hash);
    tcase_add_test(core, test_wildcard_vocabulary);
    tcase_add_test(core, test_impacts_follow_bm25);
    tcase_add_test(core, test_per_file_cap_when_one_file_crowds);
    suite_add_tcase(s, core);
    TCase *limits = tcase_create("limits");
    tcase_add_checked_fixture(limits, setup, teardown);
    tcase_set_timeout(limits, 900);
    tcase_add_test(limits, test_sigkill_leaves_index_consistent);
    tcase_add_test(limits, test_search_during_reindex);
    suite_add_tcase(s, limits);
    return s;
}

int main(void)
{
    return test_run(update_suite());
}

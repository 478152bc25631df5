/* check_trust.c - every hit exactly true, on real speeches.
 *
 * Over $CS_TRUST_CORPUS (default $CS_TEST_CORPUS, the bundled corpus) and
 * a table of phrase, NEAR and boolean queries, each with a specification of
 * what may match written independently of the engine:
 *  - highlights: every highlight of every hit in the top 1,000 lies inside
 *    a real match of the specification, checked on the source file's bytes
 *    (tokenized here, not by the searcher), and every hit has one;
 *  - paging: 10 random cuts (--offset, --limit) of each ranking equal the
 *    same slice of the whole list;
 *  - determinism: a threaded full build and a build made in two
 *    incremental runs rank every query alike: same hits, order, offsets,
 *    highlights and scores (to 1e-9);
 *  - counts: phrase and NEAR counts up to 1,000 passages, and files where
 *    at most 200 passages are counted exactly, equal what is enumerated one
 *    by one; elsewhere the truth lies within the bounds, and exact_count
 *    makes every count exact.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw */
#endif
#include <check.h>
#include <dirent.h>
#include <ftw.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer.h"
#include "cybersearch.h"
#include "testutil.h"

#define TOP 1000

static char work_dir[] = "/tmp/cs-check-trust-XXXXXX";
static char corpus_copy[4200], full_index[4200], incremental_index[4200];
static cs_analyzer_t *analyzer;

/* ---- the queries and what each may match ------------------------------- *
 * spec: clauses separated by ';', any of which may cover a highlight:
 *   W:words      any of these words
 *   P:words      the words as a phrase
 *   N<d>:a|b     a within d words of b, either order (each a word or phrase)
 *   X:prefix     a word starting with prefix
 * An empty spec is a query of filters alone, which highlights nothing.
 * Words are analyzed with the index's analyzer; an acronym in the text
 * also covers its lower-case word, as smart case searches both. */
static const struct {
    const char *query;
    const char *spec;
} queries[] = {
    { "\"rule of law\"", "P:rule of law" },
    { "\"international law\"", "P:international law" },
    { "\"human rights\"", "P:human rights" },
    { "\"climate change\"", "P:climate change" },
    { "\"security council\"", "P:security council" },
    { "\"sustainable development\"", "P:sustainable development" },
    { "\"international peace and security\"", "P:international peace and security" },
    { "\"weapons of mass destruction\"", "P:weapons of mass destruction" },
    { "\"information and communications technologies\"",
      "P:information and communications technologies" },
    { "\"the international community\"", "P:the international community" },
    { "\"general assembly\"", "P:general assembly" },
    { "\"nuclear weapons\"", "P:nuclear weapons" },
    { "\"member states\"", "P:member states" },
    { "\"united nations\" reform", "P:united nations;W:reform" },
    { "cyber NEAR/5 security", "N5:cyber|security" },
    { "nuclear NEAR/3 disarmament", "N3:nuclear|disarmament" },
    { "peace NEAR/5 security", "N5:peace|security" },
    { "\"human rights\" NEAR/10 law", "N10:human rights|law" },
    { "climate NEAR/2 change", "N2:climate|change" },
    { "terrorism NEAR/5 threat", "N5:terrorism|threat" },
    { "weapons NEAR/2 destruction", "N2:weapons|destruction" },
    { "peace security", "W:peace security" },
    { "cyberspace", "W:cyberspace" },
    { "terrorism AND extremism", "W:terrorism extremism" },
    { "(cyber OR digital) AND threats", "W:cyber digital threats" },
    { "nuclear weapons disarmament", "W:nuclear weapons disarmament" },
    { "sovereignty NOT cyber", "W:sovereignty" },
    { "\"human rights\" AND development", "P:human rights;W:development" },
    { "security -council", "W:security" },
    { "US", "W:US" },
    { "U.S. policy", "W:US policy" },
    { "ICT", "W:ICT" },
    { "cyber*", "X:cyber" },
    { "negotiat* AND treaty", "X:negotiat;W:treaty" },
    { "norms responsible behaviour", "W:norms responsible behaviour" },
    { "development NOT \"sustainable development\"", "W:development" },
    /* filters alone: every match weighs 0, one tie ordered by path */
    { "NOT cyber", "" },
    { "year:2019..2024", "" },
    { "lang:en NOT security", "" },
};
#define N_QUERIES (sizeof queries / sizeof *queries)

/* ---- fixtures: one corpus, two builds ---------------------------------- */

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[65536];
    size_t n;
    int ok = in && out;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    if (in)
        fclose(in);
    if (out)
        ok &= fclose(out) == 0;
    return ok;
}

/* The regular files of the corpus, relative to it, sorted. */
static char **corpus_files;
static size_t n_files, cap_files;
static size_t corpus_len;

static int list_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag != FTW_F)
        return 0;
    if (n_files == cap_files) {
        cap_files = cap_files ? 2 * cap_files : 256;
        corpus_files = realloc(corpus_files, cap_files * sizeof *corpus_files);
        if (!corpus_files)
            abort();
    }
    corpus_files[n_files++] = strdup(path + corpus_len + 1);
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Copy files [from, to) of the list into corpus_copy, folders and all. */
static void copy_files(const char *corpus, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        char src[8192], dst[8192];
        snprintf(src, sizeof src, "%s/%s", corpus, corpus_files[i]);
        snprintf(dst, sizeof dst, "%s/%s", corpus_copy, corpus_files[i]);
        for (char *slash = strchr(dst + strlen(corpus_copy) + 1, '/'); slash;
             slash = strchr(slash + 1, '/')) {
            *slash = '\0';
            mkdir(dst, 0755);
            *slash = '/';
        }
        if (!copy_file(src, dst))
            abort();
    }
}

static void update(const char *index, int threads)
{
    cs_update_options_t opt;
    cs_update_options_init(&opt);
    opt.threads = threads;
    char *msg = NULL;
    if (test_index_folder(index, corpus_copy, &opt, NULL, &msg) != CS_OK) {
        fprintf(stderr, "indexing %s failed: %s\n", index, msg);
        abort();
    }
}

/* Built once, before the tests fork: the incremental index gets the first
 * half of the files in one run (a new index: a threaded bulk build) and the
 * rest in a second, incremental run; the full index gets everything at
 * once, with two threads. */
static void build_indexes(void)
{
    const char *corpus = getenv("CS_TRUST_CORPUS");
    if (!corpus)
        corpus = getenv("CS_TEST_CORPUS");
    if (!corpus)
        corpus = "../corpus";
    if (!mkdtemp(work_dir))
        abort();
    snprintf(corpus_copy, sizeof corpus_copy, "%s/corpus", work_dir);
    snprintf(full_index, sizeof full_index, "%s/full", work_dir);
    snprintf(incremental_index, sizeof incremental_index, "%s/incremental", work_dir);
    mkdir(corpus_copy, 0755);
    corpus_len = strlen(corpus);
    if (nftw(corpus, list_file, 32, FTW_PHYS) != 0 || n_files < 4) {
        fprintf(stderr, "check_trust: %s holds no corpus (fewer than 4 files)\n", corpus);
        abort();
    }
    qsort(corpus_files, n_files, sizeof *corpus_files, compare_names);
    /* every other file first, so both runs touch every folder */
    char **order = malloc(n_files * sizeof *order);
    size_t k = 0;
    for (size_t i = 0; i < n_files; i += 2)
        order[k++] = corpus_files[i];
    size_t half = k;
    for (size_t i = 1; i < n_files; i += 2)
        order[k++] = corpus_files[i];
    memcpy(corpus_files, order, n_files * sizeof *corpus_files);
    free(order);
    copy_files(corpus, 0, half);
    update(incremental_index, 2);
    copy_files(corpus, half, n_files);
    update(incremental_index, 2);
    update(full_index, 2);
    if (cs_analyzer_new("english", &analyzer, NULL) != CS_OK)
        abort();
}

static void remove_indexes(void)
{
    cs_analyzer_free(analyzer);
    test_remove_tree(work_dir);
    for (size_t i = 0; i < n_files; i++)
        free(corpus_files[i]);
    free(corpus_files);
}

/* Non-zero: search with feedback and file evidence too (rank.h). */
static int deep_ranking;

static cs_results_t *search_in(const char *index_dir, const char *query, size_t offset,
                               size_t limit, int per_file, int exact)
{
    cs_index_t *index;
    char *msg = NULL;
    ck_assert_msg(cs_index_open(index_dir, &index, &msg) == CS_OK, "open: %s", msg);
    cs_search_options_t opt;
    cs_search_options_init(&opt);
    opt.offset = offset;
    opt.limit = limit;
    opt.per_file = per_file;
    opt.exact_count = exact;
    opt.expand = opt.file_evidence = deep_ranking;
    cs_results_t *r = NULL;
    cs_status_t st = cs_search(index, query, &opt, &r);
    ck_assert_msg(st == CS_OK, "%s: %s", query, cs_index_last_error(index));
    cs_index_close(index);
    return r;
}

/* ---- the independent match check --------------------------------------- */

typedef struct tok {
    char term[CS_TERM_MAX + 1];
    char stem[2 * CS_TERM_MAX + 1];
    uint32_t position;
    size_t start, end;
    int acronym;
} tok_t;

typedef struct toks {
    tok_t *items;
    size_t count, cap;
} toks_t;

static int collect(void *ctx, const cs_token_t *t)
{
    toks_t *l = ctx;
    if (l->count == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->items = realloc(l->items, l->cap * sizeof *l->items);
        if (!l->items)
            abort();
    }
    tok_t *o = &l->items[l->count++];
    snprintf(o->term, sizeof o->term, "%s", t->term);
    snprintf(o->stem, sizeof o->stem, "%.*s", (int)t->stem_len, t->stem);
    o->position = t->position;
    o->start = t->start;
    o->end = t->end;
    o->acronym = (t->flags & CS_TOKEN_ACRONYM) != 0;
    return 0;
}

static void tokenize(const char *text, size_t len, toks_t *out)
{
    memset(out, 0, sizeof *out);
    cs_analyzer_tokenize(analyzer, text, len, 0, collect, out);
}

/* Does passage token @t stand for the spec word @w? */
static int same_word(const tok_t *t, const tok_t *w)
{
    if (strcmp(t->stem, w->stem) == 0)
        return 1;
    if (!t->acronym || w->acronym)
        return 0;
    return strcasecmp(t->stem, w->term) == 0 || strcasecmp(t->stem, w->stem) == 0;
}

/* Is a phrase @p (of @n words) standing at passage token @at? */
static int phrase_at(const toks_t *passage, size_t at, const tok_t *p, size_t n)
{
    if (at + n > passage->count)
        return 0;
    for (size_t k = 0; k < n; k++) {
        const tok_t *t = &passage->items[at + k];
        if (t->position != passage->items[at].position + k || !same_word(t, &p[k]))
            return 0;
    }
    return 1;
}

/* Occurrences of operand @p (n words) covering token @i: their first
 * token index, or -1 when none (the first found). */
static long occurrence_covering(const toks_t *passage, size_t i, const tok_t *p, size_t n)
{
    for (size_t back = 0; back < n && back <= i; back++)
        if (phrase_at(passage, i - back, p, n))
            return (long)(i - back);
    return -1;
}

static int near_covers(const toks_t *passage, size_t i, unsigned d, const toks_t *a,
                       const toks_t *b)
{
    for (int side = 0; side < 2; side++) {
        const toks_t *mine = side ? b : a, *other = side ? a : b;
        long at = occurrence_covering(passage, i, mine->items, mine->count);
        if (at < 0)
            continue;
        uint32_t first = passage->items[at].position;
        uint32_t last = first + (uint32_t)mine->count - 1;
        for (size_t j = 0; j < passage->count; j++) {
            if (!phrase_at(passage, j, other->items, other->count))
                continue;
            uint32_t o_first = passage->items[j].position;
            uint32_t o_last = o_first + (uint32_t)other->count - 1;
            uint32_t lo = first < o_first ? first : o_first;
            uint32_t hi = last > o_last ? last : o_last;
            int overlap = o_first <= last && first <= o_last;
            if (!overlap && hi - lo <= d + mine->count + other->count - 2)
                return 1;
        }
    }
    return 0;
}

/* Xapian 1.4 takes no phrase inside NEAR: a phrase operand's words count
 * one by one, all within the window (d plus the operands' lengths), and
 * the phrase must stand somewhere in the passage. */
static int near_words_cover(const toks_t *passage, size_t i, unsigned d, const toks_t *a,
                            const toks_t *b)
{
    size_t total = a->count + b->count;
    if (total <= 2)
        return 0;
    int phrases = 1;
    for (int side = 0; side < 2; side++) {
        const toks_t *op = side ? b : a;
        int found = op->count == 1;
        for (size_t j = 0; !found && j < passage->count; j++)
            found = phrase_at(passage, j, op->items, op->count);
        phrases &= found;
    }
    if (!phrases)
        return 0;
    uint32_t window = d + (uint32_t)total - 1, at = passage->items[i].position;
    for (uint32_t lo = at >= window ? at - window + 1 : 0; lo <= at; lo++) {
        size_t have = 0;
        for (size_t w = 0; w < total; w++) {
            const tok_t *word = w < a->count ? &a->items[w] : &b->items[w - a->count];
            int in = 0;
            for (size_t j = 0; j < passage->count && !in; j++)
                in = passage->items[j].position >= lo &&
                     passage->items[j].position < lo + window &&
                     same_word(&passage->items[j], word);
            have += in;
        }
        if (have == total)
            return 1;
    }
    return 0;
}

/* Does one clause of @spec cover passage token @i? */
static int spec_covers(const char *spec, const toks_t *passage, size_t i)
{
    char copy[512];
    snprintf(copy, sizeof copy, "%s", spec);
    char *save = NULL;
    for (char *clause = strtok_r(copy, ";", &save); clause; clause = strtok_r(NULL, ";", &save)) {
        char *body = strchr(clause, ':') + 1;
        int covered = 0;
        if (clause[0] == 'W') {
            toks_t w;
            tokenize(body, strlen(body), &w);
            for (size_t k = 0; k < w.count && !covered; k++)
                covered = same_word(&passage->items[i], &w.items[k]);
            free(w.items);
        } else if (clause[0] == 'P') {
            toks_t p;
            tokenize(body, strlen(body), &p);
            covered = occurrence_covering(passage, i, p.items, p.count) >= 0;
            free(p.items);
        } else if (clause[0] == 'X') {
            /* a word starting with the prefix, or one sharing the stem of
             * such a word ("negotiable" and "negotiation": negoti) */
            const tok_t *t = &passage->items[i];
            covered = strncmp(t->term, body, strlen(body)) == 0 ||
                      strncmp(body, t->stem, strlen(t->stem)) == 0;
        } else if (clause[0] == 'N') {
            unsigned d = (unsigned)strtoul(clause + 1, NULL, 10);
            char *bar = strchr(body, '|');
            toks_t a, b;
            tokenize(body, (size_t)(bar - body), &a);
            tokenize(bar + 1, strlen(bar + 1), &b);
            covered = near_covers(passage, i, d, &a, &b) ||
                      near_words_cover(passage, i, d, &a, &b);
            free(a.items);
            free(b.items);
        }
        if (covered)
            return 1;
    }
    return 0;
}

static char *passage_bytes(const cs_hit_t *hit)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", cs_hit_root(hit), cs_hit_path(hit));
    cs_span_t p = cs_hit_passage(hit);
    return test_read_range(path, p.start, p.end);
}

START_TEST(test_highlights_lie_inside_real_matches)
{
    const char *query = queries[_i].query, *spec = queries[_i].spec;
    cs_results_t *r = search_in(full_index, query, 0, TOP, 3, 0);
    ck_assert_msg(cs_results_count(r) > 0, "%s: no hits to check", query);
    size_t checked = 0;
    for (size_t h = 0; h < cs_results_count(r); h++) {
        const cs_hit_t *hit = cs_results_get(r, h);
        if (!*spec) {   /* filters alone find no word to highlight */
            ck_assert_msg(cs_hit_highlight_count(hit) == 0, "%s: hit %zu (%s) has a highlight",
                          query, h + 1, cs_hit_path(hit));
            checked++;
            continue;
        }
        ck_assert_msg(cs_hit_highlight_count(hit) > 0, "%s: hit %zu (%s) has no highlight",
                      query, h + 1, cs_hit_path(hit));
        char *text = passage_bytes(hit);
        ck_assert(text);
        cs_span_t p = cs_hit_passage(hit);
        toks_t passage;
        tokenize(text, (size_t)(p.end - p.start), &passage);
        for (size_t k = 0; k < cs_hit_highlight_count(hit); k++) {
            cs_span_t s = cs_hit_highlight(hit, k);
            size_t i = 0;
            while (i < passage.count && passage.items[i].start != s.start - p.start)
                i++;
            ck_assert_msg(i < passage.count && passage.items[i].end == s.end - p.start,
                          "%s: highlight %" PRIu64 "-%" PRIu64 " of %s is not a word",
                          query, s.start, s.end, cs_hit_path(hit));
            ck_assert_msg(spec_covers(spec, &passage, i),
                          "%s: %s bytes %" PRIu64 "-%" PRIu64 " ('%s') lie outside every "
                          "match of %s", query, cs_hit_path(hit), s.start, s.end,
                          passage.items[i].term, spec);
            checked++;
        }
        free(passage.items);
        free(text);
    }
    ck_assert(checked > 0);
    cs_results_destroy(r);
}
END_TEST

/* ---- paging ---------------------------------------------------------------- */

static int same_hit(const cs_hit_t *a, const cs_hit_t *b)
{
    return strcmp(cs_hit_path(a), cs_hit_path(b)) == 0 &&
           cs_hit_passage(a).start == cs_hit_passage(b).start &&
           fabs(cs_hit_score(a) - cs_hit_score(b)) < 1e-9 && cs_hit_rank(a) == cs_hit_rank(b);
}

static void pages_are_slices(const char *query, unsigned seed);

START_TEST(test_pages_are_slices_of_one_ranking)
{
    deep_ranking = 0;
    pages_are_slices(queries[_i].query, 1234u + (unsigned)_i);
}
END_TEST

START_TEST(test_deep_pages_are_slices_of_one_ranking)
{
    deep_ranking = 1;
    pages_are_slices(queries[_i].query, 1234u + (unsigned)_i);
    deep_ranking = 0;
}
END_TEST

static void pages_are_slices(const char *query, unsigned seed)
{
    cs_results_t *all = search_in(full_index, query, 0, 300, 3, 0);
    size_t n = cs_results_count(all);
    for (int cut = 0; cut < 10; cut++) {
        size_t offset = (size_t)rand_r(&seed) % (n + 5), limit = 1 + (size_t)rand_r(&seed) % 40;
        cs_results_t *page = search_in(full_index, query, offset, limit, 3, 0);
        size_t expect = offset >= n ? 0 : (n - offset < limit ? n - offset : limit);
        ck_assert_msg(cs_results_count(page) == expect || offset + limit > 300,
                      "%s --offset %zu --limit %zu: %zu hits, expected %zu", query, offset,
                      limit, cs_results_count(page), expect);
        for (size_t i = 0; i < cs_results_count(page) && offset + i < n; i++)
            ck_assert_msg(same_hit(cs_results_get(page, i), cs_results_get(all, offset + i)),
                          "%s --offset %zu --limit %zu: rank %zu differs from the whole list",
                          query, offset, limit, offset + i + 1);
        cs_results_destroy(page);
    }
    cs_results_destroy(all);
}

/* ---- two builds, one ranking ----------------------------------------------- */

static void builds_rank_alike(const char *query);

START_TEST(test_builds_rank_alike)
{
    deep_ranking = 0;
    builds_rank_alike(queries[_i].query);
}
END_TEST

START_TEST(test_deep_builds_rank_alike)
{
    deep_ranking = 1;
    builds_rank_alike(queries[_i].query);
    deep_ranking = 0;
}
END_TEST

static void builds_rank_alike(const char *query)
{
    cs_results_t *a = search_in(full_index, query, 0, TOP, 3, 0);
    cs_results_t *b = search_in(incremental_index, query, 0, TOP, 3, 0);
    ck_assert_msg(cs_results_count(a) == cs_results_count(b), "%s: %zu hits and %zu", query,
                  cs_results_count(a), cs_results_count(b));
    for (size_t i = 0; i < cs_results_count(a); i++) {
        const cs_hit_t *x = cs_results_get(a, i), *y = cs_results_get(b, i);
        ck_assert_msg(same_hit(x, y), "%s: rank %zu is %s@%" PRIu64 " (%.9f) in one build, "
                      "%s@%" PRIu64 " (%.9f) in the other", query, i + 1, cs_hit_path(x),
                      cs_hit_passage(x).start, cs_hit_score(x), cs_hit_path(y),
                      cs_hit_passage(y).start, cs_hit_score(y));
        ck_assert_uint_eq(cs_hit_highlight_count(x), cs_hit_highlight_count(y));
        for (size_t k = 0; k < cs_hit_highlight_count(x); k++)
            ck_assert(cs_hit_highlight(x, k).start == cs_hit_highlight(y, k).start);
        ck_assert_str_eq(cs_hit_snippet(x), cs_hit_snippet(y));
    }
    /* bounds that are not exact come from the matches Xapian examined,
     * in document id order: they may differ, the truth lies within both */
    cs_count_t ca = cs_results_passages(a), cb = cs_results_passages(b);
    if (ca.lower == ca.upper || cb.lower == cb.upper)
        ck_assert(ca.lower == cb.lower && ca.upper == cb.upper);
    cs_results_destroy(a);
    cs_results_destroy(b);
}

/* ---- counts ------------------------------------------------------------------ */

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every matching passage, one by one, and the files they are in. */
static void enumerate(const char *query, uint64_t *passages, uint64_t *files)
{
    cs_results_t *r = search_in(full_index, query, 0, 1000000, 0, 0);
    size_t n = cs_results_count(r);
    const char **paths = malloc((n ? n : 1) * sizeof *paths);
    ck_assert(paths);
    for (size_t i = 0; i < n; i++)
        paths[i] = cs_hit_path(cs_results_get(r, i));
    qsort(paths, n, sizeof *paths, compare_strings);
    *passages = n;
    *files = 0;
    for (size_t i = 0; i < n; i++)
        *files += i == 0 || strcmp(paths[i], paths[i - 1]) != 0;
    free(paths);
    cs_results_destroy(r);
}

START_TEST(test_counts_are_honest)
{
    const char *query = queries[_i].query, *spec = queries[_i].spec;
    uint64_t passages, files;
    enumerate(query, &passages, &files);
    cs_results_t *r = search_in(full_index, query, 0, 10, 3, 0);
    cs_count_t c = cs_results_passages(r), f = cs_results_files(r);
    ck_assert_msg(c.lower <= passages && passages <= c.upper,
                  "%s: %" PRIu64 " passages outside [%" PRIu64 ", %" PRIu64 "]", query,
                  passages, c.lower, c.upper);
    ck_assert_msg(f.lower <= files && files <= f.upper, "%s: %" PRIu64 " files outside "
                  "[%" PRIu64 ", %" PRIu64 "]", query, files, f.lower, f.upper);
    int positional = spec[0] == 'P' || spec[0] == 'N';
    if (positional && passages <= 1000)   /* phrases and NEAR are counted this far */
        ck_assert_msg(c.lower == c.upper && c.estimate == passages,
                      "%s: the count is not exact (%" PRIu64 " of %" PRIu64 ")",
                      query, c.estimate, passages);
    if (c.lower == c.upper && passages <= 200)    /* and their files */
        ck_assert_msg(f.lower == f.upper && f.estimate == files, "%s: %" PRIu64 " files "
                      "counted, %" PRIu64 " hold a match", query, f.estimate, files);
    cs_results_destroy(r);

    r = search_in(full_index, query, 0, 0, 3, 1);   /* --count --limit 0 */
    c = cs_results_passages(r);
    f = cs_results_files(r);
    ck_assert_uint_eq(cs_results_count(r), 0);
    ck_assert_msg(c.lower == c.upper && c.estimate == passages && f.estimate == files,
                  "%s: exact count %" PRIu64 " passages in %" PRIu64 " files, enumerated "
                  "%" PRIu64 " in %" PRIu64, query, c.estimate, f.estimate, passages, files);
    cs_results_destroy(r);
}
END_TEST

/* ---- ties ------------------------------------------------------------------- */

/* 60 files with one identical passage: every hit ties, and the ranking
 * is the paths' order, page after page, with or without the cap; the
 * same for a query of filters alone, where every match weighs 0. */
START_TEST(test_ties_break_by_path)
{
    char dir[] = "/tmp/cs-check-ties-XXXXXX", corpus[64], index_dir[64], path[128];
    ck_assert(mkdtemp(dir));
    snprintf(corpus, sizeof corpus, "%s/corpus", dir);
    snprintf(index_dir, sizeof index_dir, "%s/index", dir);
    mkdir(corpus, 0755);
    for (int i = 59; i >= 0; i--) {   /* written backwards: ids do not follow paths */
        snprintf(path, sizeof path, "%s/f%02d.txt", corpus, i);
        test_write_file(path, "alpha beta gamma\n");
    }
    ck_assert(test_index_folder(index_dir, corpus, NULL, NULL, NULL) == CS_OK);
    static const char *const tied[] = { "alpha", "NOT omega" };
    for (size_t q = 0; q < sizeof tied / sizeof *tied; q++) {
        for (int per_file = 0; per_file <= 1; per_file++)
            for (size_t offset = 0; offset < 60; offset += 25) {
                cs_results_t *r = search_in(index_dir, tied[q], offset, 5, per_file, 0);
                ck_assert_uint_eq(cs_results_count(r), offset + 5 <= 60 ? 5 : 60 - offset);
                for (size_t i = 0; i < cs_results_count(r); i++) {
                    char want[16];
                    snprintf(want, sizeof want, "f%02zu.txt", offset + i);
                    ck_assert_str_eq(cs_hit_path(cs_results_get(r, i)), want);
                }
                cs_results_destroy(r);
            }
    }
    test_remove_tree(dir);
}
END_TEST

static Suite *trust_suite(void)
{
    Suite *s = suite_create("trust");
    TCase *tc = tcase_create("ungdc");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_highlights_lie_inside_real_matches, 0, (int)N_QUERIES);
    tcase_add_loop_test(tc, test_pages_are_slices_of_one_ranking, 0, (int)N_QUERIES);
    tcase_add_loop_test(tc, test_builds_rank_alike, 0, (int)N_QUERIES);
    tcase_add_loop_test(tc, test_deep_pages_are_slices_of_one_ranking, 0, (int)N_QUERIES);
    tcase_add_loop_test(tc, test_deep_builds_rank_alike, 0, (int)N_QUERIES);
    tcase_add_loop_test(tc, test_counts_are_honest, 0, (int)N_QUERIES);
    tcase_add_test(tc, test_ties_break_by_path);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    build_indexes();
    int status = test_run(trust_suite());
    remove_indexes();
    return status;
}

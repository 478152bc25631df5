/* check_analyzer_props.c - properties of the analyzer over a whole corpus.
 *
 * Walks every regular file under $CS_PROPERTY_CORPUS (default
 * $CS_TEST_CORPUS, the bundled corpus/ that `make check` points at),
 * tokenizes each whole file and checks every token:
 *  - 0 <= start < end <= file length;
 *  - positions strictly increase, and the returned next position is past
 *    the last one;
 *  - the term is non-empty, at most CS_TERM_MAX bytes, NUL-terminated, and
 *    CJK and number tokens have stem == term;
 *  - the term equals cs_analyzer_normalize() of the token's source bytes.
 *    This holds for every token, acronyms included, because normalization
 *    drops everything that is not a letter or digit ("U.S." -> "us");
 *  - tokens do not overlap, except a CJK bigram with the token before it,
 *    which it may overlap by exactly one character;
 *  - tokenizing the token's bytes alone gives back the same single token,
 *    except that a word of a heading in capitals ("THE UNITED NATIONS") is
 *    an acronym when it stands alone: only its context makes it a word.
 * Failures name the file and byte offset; the first 20 are printed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw, FTW_PHYS */
#endif
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer.h"
#include "testutil.h"

#define MAX_REPORTS 20

typedef struct walk {
    cs_analyzer_t *an;
    cs_analyzer_t *probe;    /* re-tokenizes single tokens */
    const char *path;        /* file being checked */
    const char *text;
    size_t len;
    int have_prev;
    uint32_t prev_position;
    size_t prev_start, prev_end;
    unsigned prev_flags;
    unsigned long long files, bytes, tokens, failures;
} walk_t;

static walk_t w;

static void report(const cs_token_t *t, const char *what)
{
    if (w.failures++ < MAX_REPORTS)
        fprintf(stderr, "%s: offset %zu-%zu (term \"%s\", position %u): %s\n",
                w.path, t->start, t->end, t->term ? t->term : "(null)",
                t->position, what);
}

typedef struct probe_result {
    size_t n;
    char term[CS_TERM_MAX + 1];
    unsigned flags;
    size_t start, end;
} probe_result_t;

static int probe_token(void *ctx, const cs_token_t *t)
{
    probe_result_t *p = ctx;
    if (p->n++ == 0) {
        memcpy(p->term, t->term, t->term_len + 1);
        p->flags = t->flags;
        p->start = t->start;
        p->end = t->end;
    }
    return 0;
}

static int check_token(void *ctx, const cs_token_t *t)
{
    (void)ctx;
    w.tokens++;
    if (!(t->start < t->end && t->end <= w.len)) {
        report(t, "range out of bounds");
        return 0;     /* the checks below would read outside the file */
    }
    if (!t->term || t->term_len == 0 || t->term_len > CS_TERM_MAX ||
        strlen(t->term) != t->term_len) {
        report(t, "bad term length");
        return 0;
    }
    if (!t->stem || t->stem_len == 0 || strlen(t->stem) != t->stem_len)
        report(t, "bad stem");
    if ((t->flags & (CS_TOKEN_CJK | CS_TOKEN_NUMBER)) &&
        strcmp(t->stem, t->term) != 0)
        report(t, "CJK or number token with stem != term");

    if (w.have_prev) {
        if (t->position <= w.prev_position)
            report(t, "position does not increase");
        int bigram_overlap = (t->flags & CS_TOKEN_CJK) &&
                             (w.prev_flags & CS_TOKEN_CJK) &&
                             t->start > w.prev_start &&
                             t->start < w.prev_end && t->end > w.prev_end;
        if (t->start < w.prev_end && !bigram_overlap)
            report(t, "overlaps the previous token");
        if (t->start < w.prev_start)
            report(t, "starts before the previous token");
    }

    char buf[CS_TERM_MAX + 1];
    size_t n = cs_analyzer_normalize(w.text + t->start, t->end - t->start, buf,
                                     sizeof buf);
    if (n != t->term_len || memcmp(buf, t->term, n) != 0)
        report(t, "normalize(source bytes) != term");

    probe_result_t p = {0};
    cs_analyzer_tokenize(w.probe, w.text + t->start, t->end - t->start, 0,
                         probe_token, &p);
    unsigned context = CS_TOKEN_ACRONYM | CS_TOKEN_STOPWORD;
    int heading_word = (p.flags & CS_TOKEN_ACRONYM) && !(t->flags & CS_TOKEN_ACRONYM);
    if (heading_word)
        p.flags = (p.flags & ~context) | (t->flags & context);
    if (p.n != 1 || strcmp(p.term, t->term) != 0 || p.flags != t->flags ||
        p.start != 0 || p.end != t->end - t->start)
        report(t, "its bytes alone do not tokenize to the same single token");

    w.have_prev = 1;
    w.prev_position = t->position;
    w.prev_start = t->start;
    w.prev_end = t->end;
    w.prev_flags = t->flags;
    return 0;
}

static char *read_all(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return NULL;
    }
    /* Exactly the file's size: a read past the end trips ASan/valgrind. */
    char *buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    *len = got;
    return buf;
}

static int visit(const char *path, const struct stat *st, int type,
                 struct FTW *ftw)
{
    (void)st; (void)ftw;
    if (type != FTW_F)
        return 0;
    size_t len = 0;
    char *text = read_all(path, &len);
    ck_assert_msg(text != NULL, "%s: %s", path, strerror(errno));

    w.path = path;
    w.text = text;
    w.len = len;
    w.have_prev = 0;
    w.files++;
    w.bytes += len;
    uint32_t next = cs_analyzer_tokenize(w.an, text, len, 0, check_token, NULL);
    if (w.have_prev && next <= w.prev_position) {
        w.failures++;
        fprintf(stderr, "%s: returned next position %u <= last %u\n", path,
                next, w.prev_position);
    }
    free(text);
    return 0;
}

START_TEST(test_corpus_properties)
{
    const char *dir = getenv("CS_PROPERTY_CORPUS");
    if (!dir || !*dir)
        dir = getenv("CS_TEST_CORPUS");
    ck_assert_msg(dir && *dir, "set CS_PROPERTY_CORPUS or CS_TEST_CORPUS to "
                               "a directory of text files");

    char *err = NULL;
    ck_assert_int_eq(cs_analyzer_new("english", &w.an, &err), CS_OK);
    ck_assert_int_eq(cs_analyzer_new("english", &w.probe, &err), CS_OK);

    int rc = nftw(dir, visit, 32, FTW_PHYS);
    ck_assert_msg(rc == 0, "walking %s: %s", dir, strerror(errno));
    fprintf(stderr, "check_analyzer_props: %s: %llu files, %llu bytes, "
            "%llu tokens, %llu failures\n", dir, w.files, w.bytes, w.tokens,
            w.failures);
    ck_assert_msg(w.files > 0, "no files under %s", dir);
    ck_assert_msg(w.failures == 0, "%llu token(s) broke a property (the "
                  "first are listed above)", w.failures);
    cs_analyzer_free(w.an);
    cs_analyzer_free(w.probe);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("analyzer_props");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 3600); /* the 199 MB UN corpus takes a while */
    tcase_add_test(tc, test_corpus_properties);
    suite_add_tcase(s, tc);

    return test_run(s);
}

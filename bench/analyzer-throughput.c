/* analyzer-throughput.c - how fast the analyzer tokenizes a corpus.
 *
 * Usage: analyzer-throughput DIR [RUNS]
 *
 * Reads every regular file under DIR into memory (timing the plain read),
 * then tokenizes all of them RUNS times (default 3) on one core with one
 * analyzer, normalization and stemming included, and prints the median.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw, FTW_PHYS */
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyzer.h"

typedef struct file {
    char *data;
    size_t len;
} file_t;

static char **paths;
static size_t n_paths, cap_paths;

static int collect(const char *path, const struct stat *st, int type,
                   struct FTW *ftw)
{
    (void)st; (void)ftw;
    if (type != FTW_F)
        return 0;
    if (n_paths == cap_paths) {
        cap_paths = cap_paths ? 2 * cap_paths : 1024;
        paths = realloc(paths, cap_paths * sizeof *paths);
        if (!paths) {
            perror("realloc");
            exit(1);
        }
    }
    paths[n_paths++] = strdup(path);
    return 0;
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* CPU time of this thread: what one core spent, whatever else runs. */
static double cpu_now(void)
{
    return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

static int read_file(const char *path, file_t *f)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    f->data = malloc((size_t)st.st_size + 1);
    f->len = 0;
    while (f->data && f->len < (size_t)st.st_size) {
        ssize_t n = read(fd, f->data + f->len, (size_t)st.st_size - f->len);
        if (n <= 0)
            break;
        f->len += (size_t)n;
    }
    close(fd);
    return f->data ? 0 : -1;
}

typedef struct counts {
    unsigned long long tokens, term_bytes, stop, cjk;
} counts_t;

static int count_token(void *ctx, const cs_token_t *t)
{
    counts_t *c = ctx;
    c->tokens++;
    c->term_bytes += t->term_len + t->stem_len;
    c->stop += (t->flags & CS_TOKEN_STOPWORD) != 0;
    c->cjk += (t->flags & CS_TOKEN_CJK) != 0;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [RUNS]\n", argv[0]);
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    if (runs < 1)
        runs = 1;
    if (nftw(argv[1], collect, 64, FTW_PHYS) != 0) {
        fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
        return 1;
    }

    file_t *files = calloc(n_paths ? n_paths : 1, sizeof *files);
    size_t total = 0;
    double t0 = now();
    for (size_t i = 0; i < n_paths; i++) {
        if (read_file(paths[i], &files[i]) == 0)
            total += files[i].len;
    }
    double read_s = now() - t0;

    cs_analyzer_t *an;
    char *err;
    if (cs_analyzer_new("english", &an, &err) != CS_OK) {
        fprintf(stderr, "%s\n", err ? err : "cs_analyzer_new failed");
        return 1;
    }

    double *secs = calloc((size_t)runs, sizeof *secs);
    double *walls = calloc((size_t)runs, sizeof *walls);
    counts_t c = {0};
    for (int r = 0; r < runs; r++) {
        memset(&c, 0, sizeof c);
        t0 = now();
        double c0 = cpu_now();
        for (size_t i = 0; i < n_paths; i++)
            cs_analyzer_tokenize(an, files[i].data, files[i].len, 0,
                                 count_token, &c);
        secs[r] = cpu_now() - c0;
        walls[r] = now() - t0;
    }
    qsort(secs, (size_t)runs, sizeof *secs, cmp_double);
    qsort(walls, (size_t)runs, sizeof *walls, cmp_double);
    double med = secs[runs / 2];
    double mb = (double)total / 1e6;

    printf("files:          %zu\n", n_paths);
    printf("bytes:          %zu (%.1f MB)\n", total, mb);
    printf("read:           %.3f s, %.1f MB/s (cold or cached, as the OS had it)\n",
           read_s, mb / read_s);
    printf("tokens:         %llu (%llu stop words, %llu CJK)\n", c.tokens,
           c.stop, c.cjk);
    printf("tokenize runs:  %d, median CPU %.3f s (min %.3f, max %.3f), "
           "median wall %.3f s\n", runs, med, secs[0], secs[runs - 1],
           walls[runs / 2]);
    printf("throughput:     %.1f MB/s, %.2f M tokens/s (one core, CPU time)\n",
           mb / med, (double)c.tokens / med / 1e6);

    cs_analyzer_free(an);
    for (size_t i = 0; i < n_paths; i++) {
        free(files[i].data);
        free(paths[i]);
    }
    free(files);
    free(paths);
    free(secs);
    free(walls);
    return 0;
}

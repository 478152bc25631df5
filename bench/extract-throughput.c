/* extract-throughput.c - the extractors' speed on a folder of documents.
 *
 *   extract-throughput DIR RUNS
 *
 * Reads every file under DIR into memory, then extracts each with the
 * extractor the indexer would choose, RUNS times, and reports the median
 * wall time per format: PDF in pages per second ("as indexed": through
 * the worker process, as the indexer runs it; "no worker": the extractor
 * called directly, to show what the helper costs), other formats in MB of
 * input per second. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ingest.h"

typedef struct doc {
    char *path, *data;
    size_t len;
    const cs_extractor_t *x;
} doc_t;

static doc_t *docs;
static size_t n_docs, cap_docs;

static int add(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type != FTW_F)
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char *data = malloc((size_t)st->st_size + 1);
    size_t len = fread(data, 1, (size_t)st->st_size, f);
    fclose(f);
    char why[256];
    const cs_extractor_t *x = _cs_ingest_choose(path, data, len, why, sizeof why);
    if (!x) {
        free(data);
        return 0;
    }
    if (n_docs == cap_docs) {
        cap_docs = cap_docs ? 2 * cap_docs : 256;
        docs = realloc(docs, cap_docs * sizeof *docs);
    }
    docs[n_docs++] = (doc_t){ strdup(path), data, len, x };
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One pass over the documents of format @name; *pages and *bytes count
 * what was extracted.  @in_process: call the extractor directly. */
static double pass(const char *name, int in_process, uint64_t *pages, uint64_t *bytes)
{
    *pages = *bytes = 0;
    double t0 = now();
    for (size_t i = 0; i < n_docs; i++) {
        const doc_t *d = &docs[i];
        if (strcmp(d->x->name, name) != 0)
            continue;
        cs_extract_t ex;
        cs_status_t st;
        if (in_process) {
            _cs_extract_init(&ex);
            cs_extract_fn parse = _cs_ingest_parser(d->x->name);
            st = (parse ? parse : d->x->extract)(d->data, d->len, &ex);
        } else {
            st = _cs_ingest_extract(d->x, d->data, d->len, &ex);
        }
        if (st)
            fprintf(stderr, "%s: %s\n", d->path, ex.why);
        uint32_t last = 0;
        for (size_t b = 0; b < ex.n_blocks; b++)
            last = ex.blocks[b].unit > last ? ex.blocks[b].unit : last;
        *pages += last;
        *bytes += d->len;
        _cs_extract_free(&ex);
    }
    return now() - t0;
}

static void report(const char *name, int in_process, int runs)
{
    double *t = calloc((size_t)runs, sizeof *t);
    uint64_t pages = 0, bytes = 0;
    size_t files = 0;
    for (size_t i = 0; i < n_docs; i++)
        files += strcmp(docs[i].x->name, name) == 0;
    if (!files)
        return;
    for (int r = 0; r < runs; r++)
        t[r] = pass(name, in_process, &pages, &bytes);
    qsort(t, (size_t)runs, sizeof *t, by_value);
    double median = t[runs / 2];
    printf("%-5s %-11s %4zu files %6llu pages %7.2f MB  median %.3f s  ", name,
           in_process ? "no worker" : "as indexed", files, (unsigned long long)pages, bytes / 1e6,
           median);
    if (pages)
        printf("%.0f pages/s  ", pages / median);
    printf("%.2f MB/s\n", bytes / 1e6 / median);
    free(t);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: extract-throughput DIR RUNS\n");
        return 2;
    }
    int runs = atoi(argv[2]);
    if (runs < 1 || nftw(argv[1], add, 16, FTW_PHYS) != 0) {
        fprintf(stderr, "extract-throughput: cannot read %s\n", argv[1]);
        return 2;
    }
    for (size_t i = 0; cs_format_name(i); i++) {
        const char *name = cs_format_name(i);
        report(name, 0, runs);
        const cs_extractor_t *x = _cs_ingest_extractor(i);
        if (x->isolate)
            report(name, 1, runs);
    }
    return 0;
}

/* export-passages - a corpus folder as the peers' input, split into passages
 * by the indexer's own rule.
 *
 *   export-passages CORPUS OUTPUT
 *
 * Walks CORPUS exactly as `cybersearch index` does (cs_walk: name order,
 * hidden files and folders skipped, .txt/.text/.md/.markdown only), skips
 * what the indexer skips as not text (NUL bytes, or more than 10% invalid
 * UTF-8), splits each file with cs_split_passages(..., CS_PASSAGE_MAX_WORDS)
 * and writes every passage as the record "id NUL text NUL", where id is the
 * path relative to CORPUS, "#", and the passage's 1-based ordinal in its
 * file, and text is the passage's bytes as the indexer stores them.
 * OUTPUT "-" is standard output.
 *
 * On stderr: files, passages, bytes, and the passage size distribution
 * (median, p90, p99, max bytes), as one line "key=value ...".
 *
 * Benchmark tool (bench/), not part of the product.  Build: see bench/run.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "passages.h"
#include "util.h"
#include "walk.h"

/* The indexer's rule (indexer/update.c, MAX_INVALID_FRACTION). */
#define MAX_INVALID_FRACTION 0.10

typedef struct exporter {
    FILE *out;
    const char *out_name;
    const char *rel;          /* file being split */
    const char *text;
    size_t ordinal;
    size_t files, skipped, passages;
    unsigned long long file_bytes, passage_bytes;
    size_t *sizes;            /* one per passage */
    size_t n_sizes, cap_sizes;
    char *content;            /* read buffer */
    size_t content_cap;
    int failed;
} exporter_t;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    fputs("export-passages: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

/* Read @path whole into x->content; returns its length, or -1 with errno. */
static long long read_whole(exporter_t *x, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = 0;
    for (;;) {
        if (x->content_cap - len < 65536) {
            size_t cap = x->content_cap ? 2 * x->content_cap : (1u << 20);
            char *grown = realloc(x->content, cap);
            if (!grown) {
                close(fd);
                errno = ENOMEM;
                return -1;
            }
            x->content = grown;
            x->content_cap = cap;
        }
        ssize_t n = read(fd, x->content + len, x->content_cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    x->content[len] = '\0';
    return (long long)len;
}

static int on_passage(void *ctx, const cs_passage_t *p)
{
    exporter_t *x = ctx;
    size_t len = p->end - p->start;
    x->ordinal++;
    if (fprintf(x->out, "%s#%zu", x->rel, x->ordinal) < 0 || fputc('\0', x->out) == EOF ||
        fwrite(x->text + p->start, 1, len, x->out) != len || fputc('\0', x->out) == EOF) {
        x->failed = 1;
        return 1;
    }
    if (x->n_sizes == x->cap_sizes) {
        size_t cap = x->cap_sizes ? 2 * x->cap_sizes : 65536;
        size_t *grown = realloc(x->sizes, cap * sizeof *grown);
        if (!grown)
            die("out of memory");
        x->sizes = grown;
        x->cap_sizes = cap;
    }
    x->sizes[x->n_sizes++] = len;
    x->passages++;
    x->passage_bytes += len;
    return 0;
}

static int on_file(void *ctx, const cs_walk_entry_t *e)
{
    exporter_t *x = ctx;
    long long len = read_whole(x, e->path);
    if (len < 0) {
        fprintf(stderr, "export-passages: skipping %s: %s\n", e->path, strerror(errno));
        x->skipped++;
        return 0;
    }
    if (memchr(x->content, '\0', (size_t)len) ||
        (double)_cs_utf8_invalid_bytes(x->content, (size_t)len) >
            MAX_INVALID_FRACTION * (double)len) {
        fprintf(stderr, "export-passages: skipping %s: not text\n", e->path);
        x->skipped++;
        return 0;
    }
    x->files++;
    x->file_bytes += (unsigned long long)len;
    x->rel = e->rel;
    x->text = x->content;
    x->ordinal = 0;
    if (cs_split_passages(x->content, (size_t)len, CS_PASSAGE_MAX_WORDS, on_passage, x) < 0)
        die("out of memory splitting %s", e->path);
    if (x->failed)
        die("cannot write %s: %s", x->out_name, strerror(errno));
    return 0;
}

static int on_warning(void *ctx, const char *message, const char *unreadable)
{
    (void)ctx;
    (void)unreadable;
    fprintf(stderr, "export-passages: %s\n", message);
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of the sorted sizes. */
static size_t percentile(const size_t *v, size_t n, double p)
{
    if (!n)
        return 0;
    size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999999);
    if (rank < 1)
        rank = 1;
    return v[(rank > n ? n : rank) - 1];
}

int main(int argc, char **argv)
{
    if (argc != 3)
        die("usage: export-passages CORPUS OUTPUT (OUTPUT - is stdout)");
    exporter_t x = { 0 };
    x.out_name = argv[2];
    x.out = strcmp(argv[2], "-") == 0 ? stdout : fopen(argv[2], "wb");
    if (!x.out)
        die("cannot write %s: %s", argv[2], strerror(errno));
    cs_status_t st = cs_walk(argv[1], on_file, on_warning, &x);
    if (st == CS_ERR_IO)
        die("cannot read the corpus folder %s", argv[1]);
    if (st != CS_OK)
        die("walking %s failed (status %d)", argv[1], (int)st);
    if (fflush(x.out) != 0 || ferror(x.out) || (x.out != stdout && fclose(x.out) != 0))
        die("cannot write %s: %s", x.out_name, strerror(errno));
    qsort(x.sizes, x.n_sizes, sizeof *x.sizes, cmp_size);
    fprintf(stderr,
            "files=%zu skipped=%zu file_bytes=%llu passages=%zu passage_bytes=%llu "
            "median=%zu p90=%zu p99=%zu max=%zu\n",
            x.files, x.skipped, x.file_bytes, x.passages, x.passage_bytes,
            percentile(x.sizes, x.n_sizes, 50), percentile(x.sizes, x.n_sizes, 90),
            percentile(x.sizes, x.n_sizes, 99), x.n_sizes ? x.sizes[x.n_sizes - 1] : 0);
    free(x.sizes);
    free(x.content);
    return x.files == 0 ? 1 : 0;
}

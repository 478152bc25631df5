/* fts5-match - query an fts5-peer index with FTS5 query syntax, for latency.
 *
 *   fts5-match DB [--limit N] [--snippets] [--latency FILE] QUERYFILE
 *
 * peers/fts5-peer turns every query into an any-word query ("a" OR "b"),
 * which is right for ranking evaluation but cannot express the benchmark's
 * other query types (all words required, phrases, AND/OR/NOT).  This driver
 * is fts5-peer's `search` with one change: the text after the TAB is passed
 * to MATCH verbatim, so bench/run.sh can translate each query into FTS5's
 * own syntax.  Everything else is the peer's: the same SQL (bm25() order,
 * LIMIT, snippet(docs, 1, '[', ']', '…', 40) with --snippets), the same
 * read-only open, the same timing (from binding the query to the last row,
 * TREC lines formatted into memory, output excluded) and the same output:
 * TREC lines "qid Q0 id rank score fts5" on stdout and "qid<TAB>us" per
 * query in the latency file.
 *
 * Benchmark tool (bench/), not part of the product.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: fts5-match DB [--limit N] [--snippets] [--latency FILE] QUERYFILE\n";

static void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(int status, const char *fmt, ...)
{
    va_list ap;
    fputs("fts5-match: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(status);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *db_path = NULL, *query_path = NULL, *latency_path = NULL;
    long limit = 1000;
    int snippets = 0;
    for (int i = 1; i < argc; ++i) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--limit") || !strcmp(arg, "--latency")) {
            if (i + 1 >= argc)
                die(2, "%s needs a value\n%s", arg, usage);
            if (!strcmp(arg, "--latency")) {
                latency_path = argv[++i];
            } else {
                char *end;
                errno = 0;
                limit = strtol(argv[++i], &end, 10);
                if (errno || *end || limit < 1)
                    die(2, "--limit wants a positive integer, got '%s'", argv[i]);
            }
        } else if (!strcmp(arg, "--snippets")) {
            snippets = 1;
        } else if (arg[0] == '-' && arg[1]) {
            die(2, "unknown option %s\n%s", arg, usage);
        } else if (!db_path) {
            db_path = arg;
        } else if (!query_path) {
            query_path = arg;
        } else {
            die(2, "too many arguments\n%s", usage);
        }
    }
    if (!query_path)
        die(2, "needs DB and QUERYFILE\n%s", usage);

    FILE *queries = fopen(query_path, "r");
    if (!queries)
        die(2, "cannot open %s: %s", query_path, strerror(errno));
    FILE *latency = NULL;
    if (latency_path && !(latency = fopen(latency_path, "w")))
        die(2, "cannot write %s: %s", latency_path, strerror(errno));

    sqlite3 *db;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die(1, "%s: %s", db_path, sqlite3_errmsg(db));
    const char *sql = snippets
        ? "SELECT id, bm25(docs), snippet(docs, 1, '[', ']', '\xe2\x80\xa6', 40) "
          "FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT ?2"
        : "SELECT id, bm25(docs) FROM docs WHERE docs MATCH ?1 "
          "ORDER BY bm25(docs) LIMIT ?2";
    sqlite3_stmt *select;
    if (sqlite3_prepare_v2(db, sql, -1, &select, NULL) != SQLITE_OK)
        die(1, "prepare search (is %s an fts5-peer index?): %s", db_path, sqlite3_errmsg(db));

    char *line = NULL, *out = NULL;
    size_t line_cap = 0, out_size = 0, line_no = 0, query_count = 0, snippet_bytes = 0;
    ssize_t len;
    double batch_start = now_seconds();
    while ((len = getline(&line, &line_cap, queries)) != -1) {
        ++line_no;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        char *tab = strchr(line, '\t');
        if (!tab || tab == line)
            die(2, "%s:%zu: expected 'qid<TAB>query'", query_path, line_no);
        *tab = '\0';
        const char *qid = line, *match = tab + 1;

        double start = now_seconds();
        free(out);
        out = NULL;
        FILE *buf = open_memstream(&out, &out_size);
        if (!buf)
            die(1, "open_memstream: %s", strerror(errno));
        sqlite3_bind_text(select, 1, match, -1, SQLITE_STATIC);
        sqlite3_bind_int64(select, 2, limit);
        long rank = 0;
        int rc;
        while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
            if (snippets)
                snippet_bytes += (size_t)sqlite3_column_bytes(select, 2);
            fprintf(buf, "%s Q0 %s %ld %.9g fts5\n", qid,
                    (const char *)sqlite3_column_text(select, 0), ++rank,
                    -sqlite3_column_double(select, 1));
        }
        if (rc != SQLITE_DONE)
            die(1, "%s:%zu: query %s failed: %s", query_path, line_no, match, sqlite3_errmsg(db));
        sqlite3_reset(select);
        fclose(buf);
        double usec = (now_seconds() - start) * 1e6;
        ++query_count;
        fwrite(out, 1, out_size, stdout);
        if (latency)
            fprintf(latency, "%s\t%.0f\n", qid, usec);
    }
    if (ferror(queries))
        die(2, "error reading %s", query_path);
    fclose(queries);
    if (latency && fclose(latency) != 0)
        die(1, "error writing %s", latency_path);
    sqlite3_finalize(select);
    sqlite3_close(db);
    free(line);
    free(out);
    if (fflush(stdout) != 0)
        return 1;
    fprintf(stderr, "fts5-match: %zu queries in %.3f s", query_count, now_seconds() - batch_start);
    if (snippets)
        fprintf(stderr, ", %zu snippet bytes", snippet_bytes);
    fputc('\n', stderr);
    return 0;
}

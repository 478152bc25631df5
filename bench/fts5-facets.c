/* fts5-facets - SQLite FTS5 counting passages per year and per country, the
 * peer of `cybersearch --facet` in bench/facets.sh.  Benchmark tool, not
 * part of the product.
 *
 *   fts5-facets index DB INPUT
 *   fts5-facets count DB COLUMN REPS QUERY
 *
 * index: INPUT holds export-passages records "id NUL text NUL" (id = the
 * path below the corpus, "#", the passage number); each becomes a row of
 * docs(id, year, country, body) with FTS5's porter tokenizer, year and
 * country (UNINDEXED) read off UN file names (RUS_76_2021.txt).
 * count: runs SELECT COLUMN, count(*) FROM docs WHERE docs MATCH ?1 GROUP
 * BY COLUMN, REPS times, and prints "median_us=N rows=N passages=N" and
 * then one "value TAB count" line per group.  QUERY is FTS5 syntax. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fts5-facets: %s: %s\n", what, detail);
    exit(1);
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static char *read_file(const char *path, size_t *size)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        die(path, strerror(errno));
    size_t cap = 1 << 20, len = 0, got;
    char *data = malloc(cap);
    while (data && (got = fread(data + len, 1, cap - len, in)) > 0)
        if ((len += got) == cap)
            data = realloc(data, cap *= 2);
    if (!data || ferror(in))
        die(path, "cannot read");
    fclose(in);
    *size = len;
    return data;
}

/* Year and country of "Session 76 - 2021/RUS_76_2021.txt#3". */
static void fields_of(const char *id, char year[5], char country[4])
{
    const char *slash = strrchr(id, '/');
    const char *base = slash ? slash + 1 : id;
    year[0] = country[0] = '\0';
    size_t n = strspn(base, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    if (n >= 2 && n <= 3 && base[n] == '_') {
        memcpy(country, base, n);
        country[n] = '\0';
        const char *y = strchr(base + n + 1, '_');
        if (y && strspn(y + 1, "0123456789") == 4) {
            memcpy(year, y + 1, 4);
            year[4] = '\0';
        }
    }
}

static void exec_sql(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(sql, sqlite3_errmsg(db));
}

static int index_input(const char *db_path, const char *input_path)
{
    size_t size;
    char *input = read_file(input_path, &size);
    sqlite3 *db;
    if (sqlite3_open(db_path, &db) != SQLITE_OK)
        die(db_path, sqlite3_errmsg(db));
    exec_sql(db, "DROP TABLE IF EXISTS docs");
    exec_sql(db, "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, year UNINDEXED, "
                 "country UNINDEXED, body, tokenize='porter unicode61')");
    exec_sql(db, "BEGIN");
    sqlite3_stmt *ins;
    if (sqlite3_prepare_v2(db, "INSERT INTO docs VALUES(?1, ?2, ?3, ?4)", -1, &ins, NULL))
        die("prepare", sqlite3_errmsg(db));
    for (size_t pos = 0; pos < size;) {
        const char *id = input + pos, *id_end = memchr(id, '\0', size - pos);
        const char *text = id_end ? id_end + 1 : NULL;
        const char *text_end = text ? memchr(text, '\0', size - (size_t)(text - input)) : NULL;
        if (!text_end)
            die(input_path, "malformed record");
        char year[5], country[4];
        fields_of(id, year, country);
        sqlite3_bind_text(ins, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, year, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, country, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 4, text, (int)(text_end - text), SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE)
            die("insert", sqlite3_errmsg(db));
        sqlite3_reset(ins);
        pos = (size_t)(text_end - input) + 1;
    }
    sqlite3_finalize(ins);
    exec_sql(db, "COMMIT");
    sqlite3_close(db);
    free(input);
    return 0;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int count(const char *db_path, const char *column, int reps, const char *query)
{
    if (strcmp(column, "year") && strcmp(column, "country"))
        die(column, "not year or country");
    sqlite3 *db;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die(db_path, sqlite3_errmsg(db));
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s, count(*) FROM docs WHERE docs MATCH ?1 GROUP BY %s",
             column, column);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die("prepare", sqlite3_errmsg(db));
    double *times = calloc((size_t)reps, sizeof *times);
    char *groups = NULL;
    size_t groups_len = 0;
    long rows = 0, passages = 0;
    for (int r = 0; r < reps; r++) {
        FILE *out = r == reps - 1 ? open_memstream(&groups, &groups_len) : NULL;
        rows = passages = 0;
        double t0 = now_us();
        sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            rows++;
            passages += sqlite3_column_int64(st, 1);
            if (out)
                fprintf(out, "%s\t%lld\n", (const char *)sqlite3_column_text(st, 0),
                        (long long)sqlite3_column_int64(st, 1));
        }
        if (rc != SQLITE_DONE)
            die(query, sqlite3_errmsg(db));
        sqlite3_reset(st);
        times[r] = now_us() - t0;
        if (out)
            fclose(out);
    }
    qsort(times, (size_t)reps, sizeof *times, compare_doubles);
    printf("median_us=%.0f rows=%ld passages=%ld\n%s", times[reps / 2], rows, passages,
           groups ? groups : "");
    free(groups);
    free(times);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "index") == 0)
        return index_input(argv[2], argv[3]);
    if (argc == 6 && strcmp(argv[1], "count") == 0 && atoi(argv[4]) > 0)
        return count(argv[2], argv[3], atoi(argv[4]), argv[5]);
    fprintf(stderr, "usage: fts5-facets index DB INPUT\n"
                    "       fts5-facets count DB year|country REPS QUERY\n");
    return 2;
}

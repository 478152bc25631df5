/* fts5-peer: SQLite FTS5, configured out of the box, as a ranking and
 * latency baseline for cybersearch.  Benchmark tool, not part of the product.
 *
 *   fts5-peer index [--contentless] DB INPUT
 *   fts5-peer search DB [--trec RUN] [--limit N] [--snippets] [--match]
 *                       [--latency FILE] QUERYFILE
 *
 * --match passes each query to FTS5's MATCH as written (FTS5 syntax: phrases,
 * AND/OR/NOT), for the benchmark's query types; without it a query becomes
 * an any-word query, as the relevance evaluation wants.
 *   fts5-peer --version
 *
 * INPUT holds records "id NUL text NUL"; QUERYFILE holds "qid TAB query"
 * lines.  See peers/README.md for why each setting is what it is. */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: fts5-peer index [--contentless] DB INPUT\n"
    "       fts5-peer search DB [--trec RUN] [--limit N] [--snippets] [--match]\n"
    "                           [--latency FILE] QUERYFILE\n"
    "       fts5-peer --version\n";

/* Exit status 2 = bad usage or malformed input, 1 = runtime failure. */
static void die(int status, const char *fmt, ...)
{
    va_list ap;
    fputs("fts5-peer: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(status);
}

static void die_usage(const char *why)
{
    fprintf(stderr, "fts5-peer: %s\n%s", why, usage);
    exit(2);
}

static void die_sqlite(sqlite3 *db, const char *what)
{
    die(1, "%s: %s", what, sqlite3_errmsg(db));
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_whole_file(const char *path, size_t *size)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        die(2, "cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 20, len = 0;
    char *data = malloc(cap);
    size_t got;
    while (data && (got = fread(data + len, 1, cap - len, in)) > 0) {
        len += got;
        if (len == cap)
            data = realloc(data, cap *= 2);
    }
    if (!data)
        die(1, "out of memory reading %s", path);
    if (ferror(in))
        die(2, "cannot read %s", path);
    fclose(in);
    *size = len;
    return data;
}

static sqlite3 *open_db(const char *path, int flags)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK)
        die_sqlite(db, path);
    return db;
}

static void exec_sql(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die_sqlite(db, sql);
}

/* The passages' text lives once, in the plain table `passages`, which the
 * FTS5 table `docs` indexes as its external content (snippet() and the id
 * column read it from there); with @contentless, `docs` indexes the text
 * and keeps none of it (content='', so no snippets and no ids: for
 * measuring the index alone).  Everything goes in one transaction, then
 * FTS5's 'optimize' merges the index into one b-tree (counted). */
static int index_records(const char *db_path, const char *input_path, int contentless)
{
    size_t size;
    char *input = read_whole_file(input_path, &size);
    double start = now_seconds();

    sqlite3 *db = open_db(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    /* Overwrite, like Xapian's DB_CREATE_OR_OVERWRITE, so re-runs start clean. */
    exec_sql(db, "DROP TABLE IF EXISTS docs");
    exec_sql(db, "DROP TABLE IF EXISTS passages");
    if (contentless) {
        exec_sql(db, "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, content='', "
                     "tokenize='porter unicode61')");
    } else {
        exec_sql(db, "CREATE TABLE passages(id TEXT, body TEXT)");
        exec_sql(db, "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, "
                     "content='passages', tokenize='porter unicode61')");
    }
    exec_sql(db, "BEGIN");
    sqlite3_stmt *insert, *store = NULL;
    if (sqlite3_prepare_v2(db, "INSERT INTO docs(rowid, id, body) VALUES(?3, ?1, ?2)", -1,
                           &insert, NULL) != SQLITE_OK)
        die_sqlite(db, "prepare insert");
    if (!contentless && sqlite3_prepare_v2(db, "INSERT INTO passages(rowid, id, body) "
                                           "VALUES(?3, ?1, ?2)", -1, &store, NULL) != SQLITE_OK)
        die_sqlite(db, "prepare insert");

    size_t pos = 0, record = 0;
    while (pos < size) {
        ++record;
        const char *id = input + pos;
        const char *id_end = memchr(id, '\0', size - pos);
        if (!id_end)
            die(2, "%s: record %zu: id is not NUL-terminated (expected 'id NUL text NUL')",
                input_path, record);
        const char *text = id_end + 1;
        const char *text_end = memchr(text, '\0', size - (size_t)(text - input));
        if (!text_end)
            die(2, "%s: record %zu: text is not NUL-terminated (expected 'id NUL text NUL')",
                input_path, record);
        if (id_end == id)
            die(2, "%s: record %zu: empty id", input_path, record);
        pos = (size_t)(text_end - input) + 1;

        for (sqlite3_stmt *st = store ? store : insert; st; st = st == store ? insert : NULL) {
            sqlite3_bind_text(st, 1, id, (int)(id_end - id), SQLITE_STATIC);
            sqlite3_bind_text(st, 2, text, (int)(text_end - text), SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)record);
            if (sqlite3_step(st) != SQLITE_DONE)
                die_sqlite(db, "insert");
            sqlite3_reset(st);
        }
    }
    sqlite3_finalize(insert);
    sqlite3_finalize(store);
    exec_sql(db, "COMMIT");
    double inserted = now_seconds();
    exec_sql(db, "INSERT INTO docs(docs) VALUES('optimize')");
    if (sqlite3_close(db) != SQLITE_OK)
        die(1, "closing %s failed", db_path);
    free(input);
    printf("fts5-peer: indexed %zu docs in %.3f s (%.3f s of it optimizing), text %s\n", record,
           now_seconds() - start, now_seconds() - inserted,
           contentless ? "not stored" : "stored once (external content)");
    return 0;
}

/* Word characters as the unicode61 tokenizer sees them: ASCII letters and
 * digits, plus every non-ASCII byte (so UTF-8 letters stay inside words). */
static int is_word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

/* Any-word query: each run of word characters, lower-cased and double-quoted
 * (so nothing in it is FTS5 syntax), joined by OR.  Splitting at every
 * non-word character rather than at blanks keeps "on-line" or "user's" from
 * becoming phrase queries, matching what the tokenizer does to the documents
 * and the peer baseline in the data README (see peers/README.md).
 * Returns the number of words; out needs room for 7 bytes per input byte. */
static size_t any_word_query(const char *text, char *out)
{
    size_t words = 0;
    char *o = out;
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        if (!is_word_byte(*p)) {
            ++p;
            continue;
        }
        if (words++)
            o += sprintf(o, " OR ");
        *o++ = '"';
        while (is_word_byte(*p))
            *o++ = (char)tolower(*p++);
        *o++ = '"';
    }
    *o = '\0';
    return words;
}

struct search_options {
    const char *db_path, *query_path, *run_name, *latency_path;
    long limit;
    int snippets;
    int verbatim;          /* --match: the query is FTS5 syntax, passed as is */
};

static long parse_limit(const char *text)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno || *end || end == text || value < 1 || value > 100000000)
        die(2, "--limit wants a positive integer, got '%s'", text);
    return value;
}

static struct search_options parse_search_args(int argc, char **argv)
{
    struct search_options opt = {NULL, NULL, "fts5", NULL, 1000, 0, 0};
    int positional = 0;
    for (int i = 2; i < argc; ++i) {
        const char *arg = argv[i];
        int takes_value = !strcmp(arg, "--trec") || !strcmp(arg, "--limit") ||
                          !strcmp(arg, "--latency");
        if (takes_value && i + 1 >= argc)
            die_usage("option needs a value");
        if (!strcmp(arg, "--trec"))
            opt.run_name = argv[++i];
        else if (!strcmp(arg, "--limit"))
            opt.limit = parse_limit(argv[++i]);
        else if (!strcmp(arg, "--latency"))
            opt.latency_path = argv[++i];
        else if (!strcmp(arg, "--snippets"))
            opt.snippets = 1;
        else if (!strcmp(arg, "--match"))
            opt.verbatim = 1;
        else if (arg[0] == '-' && arg[1])
            die_usage("unknown option");
        else if (positional == 0)
            opt.db_path = arg, ++positional;
        else if (positional == 1)
            opt.query_path = arg, ++positional;
        else
            die_usage("too many arguments");
    }
    if (positional != 2)
        die_usage("search needs DB and QUERYFILE");
    if (!*opt.run_name || strpbrk(opt.run_name, " \t\n"))
        die_usage("--trec RUN must be one non-empty word");
    return opt;
}

static int search_queries(const struct search_options *opt)
{
    FILE *queries = fopen(opt->query_path, "r");
    if (!queries)
        die(2, "cannot open %s: %s", opt->query_path, strerror(errno));
    FILE *latency = NULL;
    if (opt->latency_path && !(latency = fopen(opt->latency_path, "w")))
        die(2, "cannot write %s: %s", opt->latency_path, strerror(errno));

    sqlite3 *db = open_db(opt->db_path, SQLITE_OPEN_READONLY);
    const char *sql = opt->snippets
        ? "SELECT id, bm25(docs), snippet(docs, 1, '[', ']', '\xe2\x80\xa6', 40) "
          "FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT ?2"
        : "SELECT id, bm25(docs) FROM docs WHERE docs MATCH ?1 "
          "ORDER BY bm25(docs) LIMIT ?2";
    sqlite3_stmt *select;
    if (sqlite3_prepare_v2(db, sql, -1, &select, NULL) != SQLITE_OK)
        die_sqlite(db, "prepare search (is DB an fts5-peer index?)");

    char *line = NULL, *match = NULL, *out = NULL;
    size_t line_cap = 0, match_cap = 0, out_size = 0, line_no = 0, query_count = 0;
    size_t snippet_bytes = 0;
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
            die(2, "%s:%zu: expected 'qid<TAB>query'", opt->query_path, line_no);
        *tab = '\0';
        const char *qid = line;
        if (strpbrk(qid, " "))
            die(2, "%s:%zu: qid contains blanks", opt->query_path, line_no);
        /* Worst case "a b c ...": each 2 input bytes give '"a" OR ' (7). */
        size_t need = 7 * strlen(tab + 1) + 1;
        if (need > match_cap && !(match = realloc(match, match_cap = need)))
            die(1, "out of memory");

        double start = now_seconds();
        size_t words;
        if (opt->verbatim) {
            strcpy(match, tab + 1);  /* need >= strlen + 1 */
            words = *match != '\0';
        } else {
            words = any_word_query(tab + 1, match);
        }
        free(out);
        out = NULL;
        FILE *buf = open_memstream(&out, &out_size);
        if (!buf)
            die(1, "open_memstream: %s", strerror(errno));
        if (words > 0) {
            sqlite3_bind_text(select, 1, match, -1, SQLITE_STATIC);
            sqlite3_bind_int64(select, 2, opt->limit);
            long rank = 0;
            int rc;
            while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
                if (opt->snippets)
                    snippet_bytes += (size_t)sqlite3_column_bytes(select, 2);
                /* bm25() is lower-is-better; TREC scores are higher-is-better. */
                fprintf(buf, "%s Q0 %s %ld %.9g %s\n", qid,
                        (const char *)sqlite3_column_text(select, 0), ++rank,
                        -sqlite3_column_double(select, 1), opt->run_name);
            }
            if (rc != SQLITE_DONE)
                die(1, "%s:%zu: query %s failed: %s", opt->query_path, line_no, match,
                    sqlite3_errmsg(db));
            sqlite3_reset(select);
        }
        fclose(buf);
        double usec = (now_seconds() - start) * 1e6;
        ++query_count;
        fwrite(out, 1, out_size, stdout);
        if (latency)
            fprintf(latency, "%s\t%.0f\n", qid, usec);
    }
    if (ferror(queries))
        die(2, "error reading %s", opt->query_path);
    fclose(queries);
    if (latency && fclose(latency) != 0)
        die(1, "error writing %s", opt->latency_path);
    sqlite3_finalize(select);
    sqlite3_close(db);
    free(line);
    free(match);
    free(out);
    if (fflush(stdout) != 0)
        return 1;
    fprintf(stderr, "fts5-peer: %zu queries in %.3f s", query_count, now_seconds() - batch_start);
    if (opt->snippets)
        fprintf(stderr, ", %zu snippet bytes", snippet_bytes);
    fputc('\n', stderr);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "--version")) {
        printf("fts5-peer (SQLite %s)\n", sqlite3_libversion());
        return 0;
    }
    if (argc < 2)
        die_usage("missing mode");
    if (!strcmp(argv[1], "index")) {
        int contentless = argc == 5 && !strcmp(argv[2], "--contentless");
        if (argc != 4 + contentless)
            die_usage("index needs DB and INPUT");
        return index_records(argv[argc - 2], argv[argc - 1], contentless);
    }
    if (!strcmp(argv[1], "search")) {
        struct search_options opt = parse_search_args(argc, argv);
        return search_queries(&opt);
    }
    die_usage("unknown mode");
    return 2;
}

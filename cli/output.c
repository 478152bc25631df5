/* output.c - the four output formats: human, JSON Lines, vimgrep, TREC. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

#define COLOR_PATH "\033[35m"
#define COLOR_POS "\033[32m"
#define COLOR_MATCH "\033[1;31m"
#define COLOR_DIM "\033[2m"
#define COLOR_OFF "\033[0m"
#define PLAIN_OPEN "**"
#define PLAIN_CLOSE "**"

/* root/rel, shortened to a path relative to the working folder when the
 * file lies below it, so that editors and shells can open it as printed;
 * a name that would start with '-' (an option to the next command) gets
 * "./", and control characters are escaped (util/sanitize.c). */
static void print_path(const cli_output_t *o, const cs_hit_t *hit)
{
    const char *root = cs_hit_root(hit), *rel = cs_hit_path(hit);
    size_t cwd_len = o->cwd ? strlen(o->cwd) : 0;
    if (cwd_len && strncmp(root, o->cwd, cwd_len) == 0 &&
        (root[cwd_len] == '/' || root[cwd_len] == '\0'))
        root += cwd_len + (root[cwd_len] == '/');
    if ((*root ? *root : *rel) == '-')
        fputs("./", o->out);
    if (*root) {
        _cs_fputs_safe(o->out, root);
        fputc('/', o->out);
    }
    _cs_fputs_safe(o->out, rel);
}

/* The snippet with its matches marked. */
static void print_snippet(const cli_output_t *o, const cs_hit_t *hit)
{
    const char *s = cs_hit_snippet(hit);
    size_t at = 0;
    for (size_t i = 0; i < cs_hit_highlight_count(hit); i++) {
        size_t start, end;
        cs_hit_snippet_mark(hit, i, &start, &end);
        fwrite(s + at, 1, start - at, o->out);
        fputs(o->color ? COLOR_MATCH : PLAIN_OPEN, o->out);
        fwrite(s + start, 1, end - start, o->out);
        fputs(o->color ? COLOR_OFF : PLAIN_CLOSE, o->out);
        at = end;
    }
    fputs(s + at, o->out);
}

static void print_human(const cli_output_t *o, const cs_results_t *r)
{
    for (size_t i = 0; i < cs_results_count(r); i++) {
        const cs_hit_t *hit = cs_results_get(r, i);
        cs_span_t p = cs_hit_passage(hit);
        fprintf(o->out, "%zu. ", cs_hit_rank(hit));
        if (o->color)
            fputs(COLOR_PATH, o->out);
        print_path(o, hit);
        if (cli_cites_bytes(hit)) {
            fprintf(o->out, o->color ? COLOR_OFF ":" COLOR_POS "%" PRIu32 ":%" PRIu32 COLOR_OFF
                                     : ":%" PRIu32 ":%" PRIu32, p.line, p.col);
            fprintf(o->out, "  bytes %" PRIu64 "-%" PRIu64, p.start, p.end);
        } else if (o->color) {
            fputs(COLOR_OFF, o->out);
        }
        cli_locator_human(o->out, hit);
        fprintf(o->out, "  score %.3f%s\n", cs_hit_score(hit),
                cs_hit_stale(hit) ? "  STALE: file changed since indexing"
                : cs_hit_stale_unknown(hit) ? "  (staleness unknown: the corpus is not here)"
                                            : "");
        fputs("   ", o->out);
        print_snippet(o, hit);
        fputc('\n', o->out);
        if (*cs_hit_missing(hit))
            fprintf(o->out, "   missing: %s\n", cs_hit_missing(hit));
    }
}

/* 12345 as "12,345". */
static void put_thousands(FILE *out, uint64_t n)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%" PRIu64, n);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            fputc(',', out);
        fputc(digits[i], out);
    }
}

/* "1 passage", "about 1,200 passages": "about" unless the count is exact. */
static void put_count(FILE *out, cs_count_t c, const char *one, const char *many)
{
    if (c.lower != c.upper)
        fputs("about ", out);
    put_thousands(out, c.estimate);
    fprintf(out, " %s", c.estimate == 1 && c.lower == c.upper ? one : many);
}

/* The human format's last line: how many passages matched in how many
 * files, in the whole index ("in at least" where only a lower bound of
 * the files is known). */
static void print_human_count(const cli_output_t *o, const cs_results_t *r)
{
    cs_count_t passages = cs_results_passages(r), files = cs_results_files(r);
    put_count(o->out, passages, "passage", "passages");
    if (files.lower == files.upper && files.upper > 0) {
        fputs(" in ", o->out);
        put_count(o->out, files, "file", "files");
    } else if (files.lower > 0) {
        fputs(" in at least ", o->out);
        put_thousands(o->out, files.lower);
        fputs(files.lower == 1 ? " file" : " files", o->out);
    }
    fputc('\n', o->out);
}

/* JSON Lines: one object per hit, then the summary (cli/json.c). */
static void print_json(cli_output_t *o, const char *query, const cs_results_t *r,
                       double elapsed_us)
{
    for (size_t i = 0; i < cs_results_count(r) && !o->nomem; i++)
        o->nomem = !cli_json_print(o->out, cli_json_hit(query, cs_results_get(r, i)));
    json_object *summary = cli_json_summary(query, r, elapsed_us);
    if (o->explain)
        cli_json_add_description(summary, r);
    if (!o->nomem)
        o->nomem = !cli_json_print(o->out, summary);
    else
        json_object_put(summary);
}

/* path:line:col:snippet, one line per match, as `rg --vimgrep` prints. */
static void print_vimgrep(const cli_output_t *o, const cs_results_t *r)
{
    for (size_t i = 0; i < cs_results_count(r); i++) {
        const cs_hit_t *hit = cs_results_get(r, i);
        size_t n = cs_hit_highlight_count(hit);
        for (size_t k = 0; k < (n ? n : 1); k++) {
            cs_span_t s = n ? cs_hit_highlight(hit, k) : cs_hit_passage(hit);
            print_path(o, hit);
            fprintf(o->out, ":%" PRIu32 ":%" PRIu32 ":", s.line, s.col);
            cli_locator_vimgrep(o->out, hit, s);
            fprintf(o->out, "%s\n", cs_hit_snippet(hit));
        }
    }
}

/* qid Q0 docid rank score run: docid is the path without its extension,
 * escaped as for print_path, with white space (which would split the TREC
 * columns) written as '_'. */
static void print_trec(const cli_output_t *o, const cs_results_t *r)
{
    for (size_t i = 0; i < cs_results_count(r); i++) {
        const cs_hit_t *hit = cs_results_get(r, i);
        const char *path = cs_hit_path(hit);
        const char *slash = strrchr(path, '/');
        const char *dot = strrchr(path, '.');
        size_t len = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
        cs_buf_t id;
        _cs_buf_init(&id);
        _cs_buf_append_safe(&id, path, len);
        _cs_fputs_safe(o->out, o->qid ? o->qid : "1");
        fputs(" Q0 ", o->out);
        for (size_t k = 0; k < id.len; k++)
            fputc(id.data[k] == ' ' ? '_' : id.data[k], o->out);
        _cs_buf_free(&id);
        fprintf(o->out, " %zu %.6f cybersearch\n", cs_hit_rank(hit), cs_hit_score(hit));
    }
}

void cli_print_results(cli_output_t *o, const char *query, const cs_results_t *r,
                       double elapsed_us)
{
    if (o->format == FORMAT_HUMAN && cs_results_relaxed(r) && cs_results_count(r))
        fprintf(o->out, "No passage holds all of the words; showing the best partial matches.\n");
    switch (o->format) {
    case FORMAT_HUMAN:
        print_human(o, r);
        if (cs_results_count(r) || cs_results_passages(r).lower)
            print_human_count(o, r);
        break;
    case FORMAT_JSON: print_json(o, query, r, elapsed_us); break;
    case FORMAT_VIMGREP: print_vimgrep(o, r); break;
    case FORMAT_TREC: print_trec(o, r); break;
    case FORMAT_CSV: break;
    }
    cli_print_facets(o, query, r);
}

/* Display width of the first @offset bytes: one column per code point. */
static size_t columns(const char *s, size_t offset)
{
    size_t cols = 0;
    for (size_t i = 0; i < offset && s[i]; i++)
        cols += ((unsigned char)s[i] & 0xC0) != 0x80;
    return cols;
}

/* The query is echoed with a caret under @offset; a long one only around
 * it, with "…" where it is cut, so that the caret stays on screen. */
#define ECHO_CONTEXT 36    /* bytes shown on each side of the offset */

void cli_print_query_error(FILE *err, const char *query, long offset, const char *message)
{
    fprintf(err, "%s: bad query: %s\n", cli_program, message);
    size_t len = strlen(query);
    if (offset < 0 || (size_t)offset > len)
        return;
    size_t from = (size_t)offset > ECHO_CONTEXT ? (size_t)offset - ECHO_CONTEXT : 0;
    size_t to = len - (size_t)offset > ECHO_CONTEXT ? (size_t)offset + ECHO_CONTEXT : len;
    while (from > 0 && ((unsigned char)query[from] & 0xC0) == 0x80)
        from--;    /* never cut a character in two */
    while (to < len && ((unsigned char)query[to] & 0xC0) == 0x80)
        to++;
    fputs(from ? "  \xE2\x80\xA6" : "  ", err);
    for (size_t i = from; i < to; i++)
        fputc((unsigned char)query[i] < 0x20 ? ' ' : query[i], err);
    fputs(to < len ? "\xE2\x80\xA6\n" : "\n", err);
    fprintf(err, "  %s%*s^\n", from ? " " : "",
            (int)columns(query + from, (size_t)offset - from), "");
}

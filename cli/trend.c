/* trend.c - `cybersearch trend QUERY... --by FIELD`: one series per query.
 *
 * Each query runs once as a facet over FIELD (its exact passage and file
 * counts per value, and the words the index holds for each value); the
 * series share the values any of them has, in value order, a query that
 * does not match one counting 0 there; between numbers (years) every
 * value is shown. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum { EXIT_OK = 0, EXIT_NONE = 1, EXIT_FAIL = 2 };
enum { MAX_FILLED = 500 };  /* most values put between numbers */

static const char *const series_colors[] = { "\033[36m", "\033[33m", "\033[35m", "\033[32m",
                                             "\033[34m", "\033[31m" };

static int usage(FILE *out)
{
    fprintf(out,
            "Usage: %s trend [OPTION]... QUERY [QUERY]...\n"
            "Count the passages each query matches per value of a field (a trend over\n"
            "time with --by year), as a terminal chart, CSV or JSON Lines, and an SVG chart.\n\n"
            "  -i, --index DIR      the index folder (default: $CYBERSEARCH_INDEX or ./index)\n"
            "      --by FIELD       the field of the x axis (default: year; any facet field)\n"
            "      --per-million    passages per million words the index holds for each value\n"
            "      --format FMT     human (default), csv or json\n"
            "      --svg FILE       also draw the chart as SVG into FILE\n"
            "      --any, --plain   as for search\n\n"
            "Exit status: 0 some query matched, 1 none did, 2 error.\n",
            cli_program);
    return EXIT_OK;
}

static void free_trend(cli_trend_t *t)
{
    for (size_t i = 0; i < t->n_values; i++)
        free(t->values[i]);
    free(t->values);
    free(t->points);
    memset(t, 0, sizeof *t);
}

static int is_number(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

static int compare_values(const char *a, const char *b)
{
    if (is_number(a) && is_number(b) && strlen(a) != strlen(b))
        return strlen(a) < strlen(b) ? -1 : 1;
    return strcmp(a, b);
}

/* The place of @value among t->values, inserted in order when new; -1
 * when out of memory. */
static long value_index(cli_trend_t *t, const char *value)
{
    size_t lo = 0, hi = t->n_values;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = compare_values(t->values[mid], value);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    char **grown = realloc(t->values, (t->n_values + 1) * sizeof *grown);
    char *copy = strdup(value);
    if (grown)
        t->values = grown;
    if (!grown || !copy) {
        free(copy);
        return -1;
    }
    memmove(t->values + lo + 1, t->values + lo, (t->n_values - lo) * sizeof *t->values);
    t->values[lo] = copy;
    t->n_values++;
    return (long)lo;
}

/* Fill t->values and t->points from each query's facet. */
static int gather(cli_trend_t *t, cs_results_t **results)
{
    for (size_t q = 0; q < t->n_queries; q++) {
        const cs_facet_t *f = cs_results_facet(results[q], 0);
        for (size_t i = 0; i < cs_facet_bucket_count(f); i++)
            if (value_index(t, cs_facet_bucket(f, i)->value) < 0)
                return 0;
    }
    /* numbers (years, sessions): the values between count 0, so that a
     * line never bridges a gap */
    int numeric = t->n_values > 1;
    for (size_t v = 0; v < t->n_values && numeric; v++)
        numeric = is_number(t->values[v]) && strlen(t->values[v]) < 9;
    long first = numeric ? atol(t->values[0]) : 0;
    long last = numeric ? atol(t->values[t->n_values - 1]) : 0;
    for (long x = first + 1; numeric && last - first <= MAX_FILLED && x < last; x++) {
        char value[24];
        snprintf(value, sizeof value, "%ld", x);
        if (value_index(t, value) < 0)
            return 0;
    }
    t->points = calloc(t->n_values * t->n_queries + 1, sizeof *t->points);
    if (!t->points)
        return 0;
    for (size_t q = 0; q < t->n_queries; q++) {
        const cs_facet_t *f = cs_results_facet(results[q], 0);
        for (size_t i = 0; i < cs_facet_bucket_count(f); i++) {
            const cs_facet_bucket_t *b = cs_facet_bucket(f, i);
            long v = value_index(t, b->value);
            t->points[(size_t)v * t->n_queries + q] = *b;
        }
    }
    return 1;
}

double cli_trend_measure(const cli_trend_t *t, size_t value, size_t query)
{
    const cs_facet_bucket_t *b = &t->points[value * t->n_queries + query];
    return t->per_million ? b->per_million : (double)b->passages;
}

static void print_human(const cli_trend_t *t, FILE *out, int color)
{
    double top = 0;
    for (size_t v = 0; v < t->n_values; v++)
        for (size_t q = 0; q < t->n_queries; q++)
            if (cli_trend_measure(t, v, q) > top)
                top = cli_trend_measure(t, v, q);
    int width = (int)(64 / t->n_queries);
    if (width > 40)
        width = 40;
    if (width < 8)
        width = 8;
    fprintf(out, "%s by %s%s\n", t->n_queries > 1 ? "Passages of each query" : "Passages",
            t->by, t->per_million ? ", per million words of each value" : "");
    for (size_t q = 0; q < t->n_queries; q++)
        fprintf(out, "  %s%c%s  %s\n", color ? series_colors[q % 6] : "", (int)('A' + q % 26),
                color ? "\033[0m" : "", t->queries[q]);
    fprintf(out, "%-8s", t->by);
    for (size_t q = 0; q < t->n_queries; q++)
        fprintf(out, " %9c %-*s", (int)('A' + q % 26), width, "");
    fputc('\n', out);
    for (size_t v = 0; v < t->n_values; v++) {
        fprintf(out, "%-8.8s", t->values[v]);
        for (size_t q = 0; q < t->n_queries; q++) {
            double m = cli_trend_measure(t, v, q);
            fprintf(out, t->per_million ? " %9.1f " : " %9.0f ", m);
            if (color)
                fputs(series_colors[q % 6], out);
            cli_bar(out, top > 0 ? m / top : 0, width);
            if (color)
                fputs("\033[0m", out);
        }
        fputc('\n', out);
    }
}

static void print_csv(const cli_trend_t *t, FILE *out)
{
    fprintf(out, "query,%s,passages,files,words,per_million\n", t->by);
    for (size_t q = 0; q < t->n_queries; q++)
        for (size_t v = 0; v < t->n_values; v++) {
            const cs_facet_bucket_t *b = &t->points[v * t->n_queries + q];
            cli_csv_field(out, t->queries[q]);
            fputc(',', out);
            cli_csv_field(out, t->values[v]);
            fprintf(out, ",%" PRIu64 ",%" PRIu64, b->passages, b->files);
            cli_print_words(out, b, t->per_million, FORMAT_CSV);
            fputc('\n', out);
        }
}

/* 0 when a string could not be written for want of memory. */
static int print_json(const cli_trend_t *t, FILE *out)
{
    int ok = 1;
    for (size_t q = 0; q < t->n_queries && ok; q++) {
        fputs("{\"type\":\"series\",\"query\":", out);
        ok &= cli_json_write_string(out, t->queries[q], strlen(t->queries[q])) != 0;
        fputs(",\"by\":", out);
        ok &= cli_json_write_string(out, t->by, strlen(t->by)) != 0;
        fputs(",\"points\":[", out);
        for (size_t v = 0; v < t->n_values; v++) {
            const cs_facet_bucket_t *b = &t->points[v * t->n_queries + q];
            fputs(v ? ",{\"value\":" : "{\"value\":", out);
            ok &= cli_json_write_string(out, t->values[v], strlen(t->values[v])) != 0;
            fprintf(out, ",\"passages\":%" PRIu64 ",\"files\":%" PRIu64, b->passages, b->files);
            cli_print_words(out, b, t->per_million, FORMAT_JSON);
            fputc('}', out);
        }
        fputs("]}\n", out);
    }
    return ok;
}

/* Run every query as a facet over t->by; results[q] gets each. */
static int run_queries(cs_index_t *index, cli_trend_t *t, cs_search_options_t *opt,
                       cs_results_t **results)
{
    for (size_t q = 0; q < t->n_queries; q++) {
        cs_status_t st = cs_search(index, t->queries[q], opt, &results[q]);
        if (st == CS_ERR_BAD_QUERY || st == CS_ERR_TOO_BROAD) {
            cli_print_query_error(stderr, t->queries[q], cs_index_error_offset(index),
                                  cs_index_last_error(index));
            return 0;
        }
        if (st) {
            fprintf(stderr, "%s: trend failed: %s\n", cli_program, cs_index_last_error(index));
            return 0;
        }
    }
    return 1;
}

int cli_trend(int argc, char **argv)
{
    enum { OPT_BY = 256, OPT_PER_MILLION, OPT_FORMAT, OPT_SVG, OPT_ANY, OPT_PLAIN };
    static const struct option options[] = {
        { "index", required_argument, NULL, 'i' }, { "by", required_argument, NULL, OPT_BY },
        { "per-million", no_argument, NULL, OPT_PER_MILLION },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "svg", required_argument, NULL, OPT_SVG }, { "any", no_argument, NULL, OPT_ANY },
        { "plain", no_argument, NULL, OPT_PLAIN }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *index_path = cli_default_index(), *format = "human", *svg = NULL;
    cli_trend_t t = { .by = "year" };
    cs_search_options_t opt;
    cs_search_options_init(&opt);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:h", options, NULL)) != -1) {
        switch (c) {
        case 'i': index_path = optarg; break;
        case OPT_BY: t.by = optarg; break;
        case OPT_PER_MILLION: t.per_million = opt.facet_words = 1; break;
        case OPT_FORMAT: format = optarg; break;
        case OPT_SVG: svg = optarg; break;
        case OPT_ANY: opt.any = 1; break;
        case OPT_PLAIN: opt.plain = 1; break;
        case 'h': return usage(stdout);
        default:
            fprintf(stderr, "Try '%s trend --help'.\n", cli_program);
            return EXIT_FAIL;
        }
    }
    if (strcmp(format, "human") && strcmp(format, "csv") && strcmp(format, "json")) {
        fprintf(stderr, "%s: trend --format takes human, csv or json, not '%s'\n", cli_program,
                format);
        return EXIT_FAIL;
    }
    if (optind >= argc) {
        fprintf(stderr, "%s: trend needs at least one query\nTry '%s trend --help'.\n",
                cli_program, cli_program);
        return EXIT_FAIL;
    }
    t.queries = (const char *const *)argv + optind;
    t.n_queries = (size_t)(argc - optind);
    const char *facets[] = { t.by };
    opt.limit = 0;
    opt.facets = facets;
    opt.n_facets = 1;
    opt.facet_order = CS_FACET_ORDER_VALUE;

    cs_index_t *index = NULL;
    char *msg = NULL;
    cs_status_t st = cs_index_open(index_path, &index, &msg);
    if (st) {
        fprintf(stderr, "%s: cannot open the index: %s\n", cli_program,
                msg ? msg : cs_status_to_string(st));
        free(msg);
        return EXIT_FAIL;
    }
    cs_results_t **results = calloc(t.n_queries, sizeof *results);
    int status = EXIT_FAIL;
    if (!results)
        fprintf(stderr, "%s: out of memory\n", cli_program);
    else if (run_queries(index, &t, &opt, results)) {
        if (!gather(&t, results)) {
            fprintf(stderr, "%s: out of memory\n", cli_program);
        } else {
            int written = 1;
            if (!strcmp(format, "csv"))
                print_csv(&t, stdout);
            else if (!strcmp(format, "json"))
                written = print_json(&t, stdout);
            else
                print_human(&t, stdout, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
            status = t.n_values ? EXIT_OK : EXIT_NONE;
            if (!written) {
                fprintf(stderr, "%s: out of memory writing the results\n", cli_program);
                status = EXIT_FAIL;
            } else if (svg && !cli_trend_svg(&t, svg))
                status = EXIT_FAIL;
            if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "%s: cannot write: %s\n", cli_program, strerror(errno));
                status = EXIT_FAIL;
            }
        }
    }
    for (size_t q = 0; results && q < t.n_queries; q++)
        cs_results_destroy(results[q]);
    free(results);
    free_trend(&t);
    cs_index_close(index);
    return status;
}

/* commands.c - `cybersearch index`, `search` and `stats`. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

enum { EXIT_MATCH = 0, EXIT_NO_MATCH = 1, EXIT_ERROR = 2 };
#define MAX_FACETS 16
#define MAX_FACETS_TEXT "16"

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", cli_program);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '%s --help'.\n", cli_program);
    return EXIT_ERROR;
}

/* A non-negative integer option value, or -1. */
static long parse_count(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > INT_MAX)
        return -1;
    return v;
}

/* A size in bytes with an optional K, M, G or T (powers of 1024), or
 * "none" (UINT64_MAX); 0 when it is neither. */
static uint64_t parse_size(const char *s)
{
    if (strcmp(s, "none") == 0)
        return UINT64_MAX;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    int shift = 0;
    if (*end && !end[1]) {
        const char *units = "KMGT", *u = strchr(units, *end);
        shift = u ? 10 * (int)(u - units + 1) : -1;
        end += shift > 0;
    }
    if (errno || end == s || *end || s[0] == '-' || shift < 0 || v == 0 ||
        v > (UINT64_MAX >> shift))
        return 0;
    return (uint64_t)v << shift;
}

/* ---- index ------------------------------------------------------------ */

typedef struct progress {
    int tty;
    double started;
    uint64_t warnings;
} progress_t;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int on_update(void *ctx, const char *message, const cs_update_stats_t *s)
{
    progress_t *p = ctx;
    if (message) {
        if (p->tty)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "%s: warning: ", cli_program);
        _cs_fputs_safe(stderr, message);
        fputc('\n', stderr);
        p->warnings++;
        return 0;
    }
    if (!p->tty)
        return 0;
    /* files, MB, passages, rate and ETA, from the share of bytes done */
    double secs = now() - p->started;
    double mb = (double)s->bytes_seen / 1e6, total_mb = (double)s->bytes_total / 1e6;
    double rate = secs > 0 ? mb / secs : 0.0;
    double left = rate > 0 && total_mb > mb ? (total_mb - mb) / rate : 0.0;
    int width = 24, filled = total_mb > 0 ? (int)(width * mb / total_mb) : 0;
    fprintf(stderr, "\r\033[K[%.*s%*s] %" PRIu64 "/%" PRIu64 " files, %.1f/%.1f MB, %" PRIu64
            " passages, %.1f MB/s, ETA %ds", filled, "########################", width - filled, "",
            s->files_seen, s->files_total, mb, total_mb, s->passages, rate, (int)(left + 0.5));
    return 0;
}

static int print_index_usage(FILE *out)
{
    fprintf(out,
            "Usage: %s index [--corpus DIR]... [--index DIR] [--rebuild] [--allow-empty]\n"
            "       [--allow-deletions] [--language LANG] [--shards N]\n"
            "       [--max-file-size SIZE]\n"
            "Bring the index up to date with the corpus folders (incrementally).\n\n"
            "  -c, --corpus DIR    a corpus folder (repeatable; default: the folders\n"
            "                      recorded in the index, else ./corpus)\n"
            "  -i, --index DIR     the index folder (default: $CYBERSEARCH_INDEX or ./index)\n"
            "      --rebuild       discard the index and build it afresh\n"
            "      --allow-empty   let a corpus folder with no files empty the index of\n"
            "                      its files (default: fail, as for an unmounted share)\n"
            "      --allow-deletions let a run remove more than half of a folder's files\n"
            "                      (default: fail when 20 or more would go)\n"
            "      --language LANG stemming language of a new index (default: english)\n"
            "      --max-file-size SIZE skip files larger than SIZE bytes (K, M, G, T:\n"
            "                      powers of 1024; default 1G; none: no limit)\n"
            "  -j, --threads N     analysis threads (default: number of cores)\n"
            "      --shards N      a new or rebuilt index in N shards (1-16), searched as\n"
            "                      one (default: the index's count, 1 for a new index)\n"
            "  -q, --quiet         no summary line\n\n"
            "Exit status: 0 success, 1 some files were skipped, 2 failure.\n",
            cli_program);
    return EXIT_MATCH;
}

int cli_index(int argc, char **argv)
{
    static const struct option options[] = {
        { "corpus", required_argument, NULL, 'c' }, { "index", required_argument, NULL, 'i' },
        { "rebuild", no_argument, NULL, 'r' },     { "language", required_argument, NULL, 'l' },
        { "threads", required_argument, NULL, 'j' }, { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },        { "allow-empty", no_argument, NULL, 'E' },
        { "allow-deletions", no_argument, NULL, 'D' }, { "shards", required_argument, NULL, 'S' },
        { "max-file-size", required_argument, NULL, 'M' },
        { NULL, 0, NULL, 0 }
    };
    cs_update_options_t opt;
    cs_update_options_init(&opt);
    const char *index = cli_default_index();
    const char **roots = calloc((size_t)argc + 1, sizeof *roots);
    int quiet = 0, c;
    if (!roots) {
        fprintf(stderr, "%s: out of memory\n", cli_program);
        return EXIT_ERROR;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:i:j:qh", options, NULL)) != -1) {
        switch (c) {
        case 'c': roots[opt.n_roots++] = optarg; break;
        case 'i': index = optarg; break;
        case 'r': opt.rebuild = 1; break;
        case 'E': opt.allow_empty = 1; break;
        case 'D': opt.allow_deletions = 1; break;
        case 'M':
            if (!(opt.max_file_bytes = parse_size(optarg))) {
                free(roots);
                return usage_error("--max-file-size needs a size such as 500M or 2G, not '%s'",
                                   optarg);
            }
            break;
        case 'l': opt.language = optarg; break;
        case 'j':
            opt.threads = (int)parse_count(optarg);
            if (opt.threads < 0) {
                free(roots);
                return usage_error("--threads needs a number, not '%s'", optarg);
            }
            break;
        case 'S':
            opt.shards = (int)parse_count(optarg);
            if (opt.shards < 1 || opt.shards > 16) {
                free(roots);
                return usage_error("--shards needs a number from 1 to 16, not '%s'", optarg);
            }
            break;
        case 'q': quiet = 1; break;
        case 'h': free(roots); return print_index_usage(stdout);
        default: free(roots); return usage_error("%s", "bad option for 'index'");
        }
    }
    if (optind < argc) {
        free(roots);
        return usage_error("unexpected argument '%s' (use --corpus DIR)", argv[optind]);
    }
    /* a new index with no corpus named indexes ./corpus, the bundled one */
    struct stat st;
    if (!opt.n_roots && stat(index, &st) != 0 && stat("corpus", &st) == 0)
        roots[opt.n_roots++] = "corpus";
    opt.roots = roots;
    progress_t progress = { isatty(STDERR_FILENO), now(), 0 };
    opt.callback = on_update;
    opt.callback_ctx = &progress;
    cs_update_stats_t s;
    char *msg = NULL;
    cs_status_t status = cs_index_update(index, &opt, &s, &msg);
    free(roots);
    if (progress.tty)
        fputs("\r\033[K", stderr);
    if (status) {
        /* the causes a user acts on differently are named first */
        int named = status == CS_ERR_PERMISSION || status == CS_ERR_NO_SPACE ||
                    status == CS_ERR_CORRUPT;
        fprintf(stderr, "%s: index failed%s%s: ", cli_program, named ? ": " : "",
                named ? cs_status_to_string(status) : "");
        _cs_fputs_safe(stderr, msg ? msg : cs_status_to_string(status));
        fputc('\n', stderr);
        free(msg);
        return EXIT_ERROR;
    }
    if (!quiet) {
        fprintf(stderr,
                "%s: %" PRIu64 " files added, %" PRIu64 " changed, %" PRIu64 " removed, %" PRIu64
                " unchanged, %" PRIu64 " skipped; %" PRIu64 " passages, %.1f MB read in %.2f s",
                index, s.files_added, s.files_changed, s.files_removed, s.files_unchanged,
                s.files_skipped, s.passages, (double)s.bytes / 1e6, s.seconds);
        const char *sep = "; indexed by format: ";
        for (size_t i = 0; cs_format_name(i); i++)
            if (s.files_by_format[i]) {
                fprintf(stderr, "%s%" PRIu64 " %s", sep, s.files_by_format[i], cs_format_name(i));
                sep = ", ";
            }
        fputc('\n', stderr);
    }
    return s.files_skipped ? 1 : 0;
}

/* ---- search ----------------------------------------------------------- */

typedef struct search_run {
    cs_index_t *index;
    cs_search_options_t opt;
    cli_output_t out;
} search_run_t;

/* Run one query; returns the exit status for it. */
static int run_query(search_run_t *run, const char *query)
{
    double t0 = now();
    cs_results_t *results = NULL;
    cs_status_t st = cs_search(run->index, query, &run->opt, &results);
    double elapsed_us = (now() - t0) * 1e6;
    if (st == CS_ERR_BAD_QUERY || st == CS_ERR_TOO_BROAD) {
        cli_print_query_error(stderr, query, cs_index_error_offset(run->index),
                              cs_index_last_error(run->index));
        if (st == CS_ERR_BAD_QUERY && !run->opt.plain)
            fprintf(stderr, "%s: --plain takes the query as words, without operators "
                    "or quotes\n", cli_program);
        return EXIT_ERROR;
    }
    if (st) {
        fprintf(stderr, "%s: search failed: ", cli_program);
        _cs_fputs_safe(stderr, cs_index_last_error(run->index));
        fputc('\n', stderr);
        return EXIT_ERROR;
    }
    if (run->opt.explain) {
        /* with --expand it holds words taken from the corpus */
        fputs("query: ", stderr);
        _cs_fputs_safe(stderr, cs_results_query_description(results));
        fputc('\n', stderr);
    }
    cli_print_results(&run->out, query, results, elapsed_us);
    if (run->out.nomem) {
        fprintf(stderr, "%s: out of memory writing the results\n", cli_program);
        cs_results_destroy(results);
        return EXIT_ERROR;
    }
    for (size_t i = 0; run->opt.explain && i < cs_results_count(results); i++) {
        const cs_hit_t *hit = cs_results_get(results, i);
        fprintf(stderr, "score of %zu: ", cs_hit_rank(hit));
        _cs_fputs_safe(stderr, cs_hit_explanation(hit));
        fputc('\n', stderr);
    }
    int found = cs_results_count(results) > 0 || cs_results_passages(results).lower > 0;
    if (!found && run->out.format == FORMAT_HUMAN)
        fprintf(stderr, "%s: no passage matches '%.*s%s'\n", cli_program,
                (int)(strlen(query) > 80 ? 80 : strlen(query)), query,
                strlen(query) > 80 ? "\xE2\x80\xA6" : "");
    cs_results_destroy(results);
    return found ? EXIT_MATCH : EXIT_NO_MATCH;
}

/* One query per line; with a TAB, "qid<TAB>query". */
static int run_batch(search_run_t *run, const char *file)
{
    FILE *in = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
    if (!in) {
        fprintf(stderr, "%s: cannot read %s: %s\n", cli_program, file, strerror(errno));
        return EXIT_ERROR;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int status = EXIT_NO_MATCH, lineno = 0;
    while ((len = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *query = line, *tab = strchr(line, '\t');
        char qid[64];
        snprintf(qid, sizeof qid, "%d", lineno);
        if (tab) {
            *tab = '\0';
            snprintf(qid, sizeof qid, "%s", line);
            query = tab + 1;
        }
        if (!*query)
            continue;
        run->out.qid = qid;
        int st = run_query(run, query);
        if (st == EXIT_MATCH && status == EXIT_NO_MATCH)
            status = EXIT_MATCH;
        else if (st == EXIT_ERROR)
            status = EXIT_ERROR;
    }
    free(line);
    if (in != stdin)
        fclose(in);
    return status;
}

static int print_search_usage(FILE *out)
{
    fprintf(out,
            "Usage: %s [search] [OPTION]... QUERY\n"
            "Search the index and print ranked, highlighted, cited passages.\n\n"
            "  -i, --index DIR      the index folder (default: $CYBERSEARCH_INDEX or ./index)\n"
            "      --any            bare words are optional (ranked by BM25)\n"
            "      --plain          the query is plain words: no operators or quotes\n"
            "  -n, --limit N        at most N hits (default 10; 0: print the count only)\n"
            "      --count          count matching passages and files exactly\n"
            "      --offset N       skip the first N hits\n"
            "      --per-file N     at most N passages per file (default 3; 0: no limit)\n"
            "      --json           JSON Lines: one object per hit, then a summary\n"
            "      --format FMT     human, json, vimgrep, trec, or csv (facets only)\n"
            "      --qid Q          query id for --format trec (default 1)\n"
            "      --batch FILE     one query per line (qid<TAB>query also accepted)\n"
            "      --color WHEN     auto, always or never (NO_COLOR is honoured)\n"
            "      --explain        print the query as the engine understood it, and the\n"
            "                       parts of each hit's score\n"
            "      --expand         also search the words that mark the first top passages\n"
            "                       (pseudo-relevance feedback; slower)\n"
            "      --file-evidence  a passage also gains from its file's other matching\n"
            "                       passages (slower)\n"
            "      --facet FIELD    count matching passages and files per value of FIELD\n"
            "                       over all matches (repeatable; --limit 0 for counts only)\n"
            "      --facet-limit N  at most N values per facet, the rest as \"other\"\n"
            "      --facet-order O  count or value (default: value for year and session)\n"
            "      --per-million    facets per million words the index holds for each value\n\n"
            "Query language: words (all required), \"exact phrases\", AND OR NOT,\n"
            "+word -word, (groups), a NEAR/5 b, prefix*, and FIELD:VALUE with a field\n"
            "below (FIELD:(A OR B) for several values).\n",
            cli_program);
    cli_print_field_help(out, NULL);
    fprintf(out, "Exit status: 0 something matched, 1 nothing did, 2 error.\n");
    return EXIT_MATCH;
}

static int parse_format(const char *s, cli_format_t *f)
{
    static const char *const names[] = { "human", "json", "vimgrep", "trec", "csv" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(s, names[i]) == 0) {
            *f = (cli_format_t)i;
            return 1;
        }
    return 0;
}

int cli_search(int argc, char **argv)
{
    enum { OPT_ANY = 256, OPT_OFFSET, OPT_PER_FILE, OPT_JSON, OPT_FORMAT, OPT_QID,
           OPT_BATCH, OPT_COLOR, OPT_EXPLAIN, OPT_PLAIN, OPT_COUNT, OPT_FACET,
           OPT_FACET_LIMIT, OPT_FACET_ORDER, OPT_PER_MILLION, OPT_EXPAND, OPT_FILE_EVIDENCE };
    static const struct option options[] = {
        { "index", required_argument, NULL, 'i' },   { "any", no_argument, NULL, OPT_ANY },
        { "limit", required_argument, NULL, 'n' },   { "offset", required_argument, NULL, OPT_OFFSET },
        { "per-file", required_argument, NULL, OPT_PER_FILE },
        { "json", no_argument, NULL, OPT_JSON },     { "format", required_argument, NULL, OPT_FORMAT },
        { "qid", required_argument, NULL, OPT_QID }, { "batch", required_argument, NULL, OPT_BATCH },
        { "color", required_argument, NULL, OPT_COLOR }, { "colour", required_argument, NULL, OPT_COLOR },
        { "explain", no_argument, NULL, OPT_EXPLAIN }, { "help", no_argument, NULL, 'h' },
        { "plain", no_argument, NULL, OPT_PLAIN }, { "count", no_argument, NULL, OPT_COUNT },
        { "facet", required_argument, NULL, OPT_FACET },
        { "facet-limit", required_argument, NULL, OPT_FACET_LIMIT },
        { "facet-order", required_argument, NULL, OPT_FACET_ORDER },
        { "per-million", no_argument, NULL, OPT_PER_MILLION },
        { "expand", no_argument, NULL, OPT_EXPAND },
        { "file-evidence", no_argument, NULL, OPT_FILE_EVIDENCE },
        { NULL, 0, NULL, 0 }
    };
    search_run_t run = { 0 };
    const char *facets[MAX_FACETS];
    cs_search_options_init(&run.opt);
    run.opt.facets = facets;
    run.out.out = stdout;
    const char *index = cli_default_index(), *batch = NULL, *color = "auto";
    int per_file_given = 0, c;
    long v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:n:h", options, NULL)) != -1) {
        switch (c) {
        case 'i': index = optarg; break;
        case OPT_ANY: run.opt.any = 1; break;
        case 'n':
        case OPT_OFFSET:
        case OPT_PER_FILE:
            if ((v = parse_count(optarg)) < 0)
                return usage_error("expected a number, not '%s'", optarg);
            if (c == 'n')
                run.opt.limit = (size_t)v;
            else if (c == OPT_OFFSET)
                run.opt.offset = (size_t)v;
            else {
                run.opt.per_file = (int)v;
                per_file_given = 1;
            }
            break;
        case OPT_JSON: run.out.format = FORMAT_JSON; break;
        case OPT_FORMAT:
            if (!parse_format(optarg, &run.out.format))
                return usage_error("unknown format '%s' (human, json, vimgrep, trec, csv)", optarg);
            break;
        case OPT_QID: run.out.qid = optarg; break;
        case OPT_BATCH: batch = optarg; break;
        case OPT_COLOR: color = optarg; break;
        case OPT_EXPLAIN: run.opt.explain = run.out.explain = 1; break;
        case OPT_PLAIN: run.opt.plain = 1; break;
        case OPT_EXPAND: run.opt.expand = 1; break;
        case OPT_FILE_EVIDENCE: run.opt.file_evidence = 1; break;
        case OPT_COUNT: run.opt.exact_count = 1; break;
        case OPT_FACET:
            if (run.opt.n_facets == MAX_FACETS)
                return usage_error("at most %s --facet options", MAX_FACETS_TEXT);
            facets[run.opt.n_facets++] = optarg;
            break;
        case OPT_FACET_LIMIT:
            if ((v = parse_count(optarg)) < 0)
                return usage_error("expected a number, not '%s'", optarg);
            run.opt.facet_limit = (size_t)v;
            break;
        case OPT_FACET_ORDER:
            if (!cli_parse_facet_order(optarg, &run.opt.facet_order))
                return usage_error("--facet-order takes count or value, not '%s'", optarg);
            break;
        case OPT_PER_MILLION: run.out.per_million = run.opt.facet_words = 1; break;
        case 'h': return print_search_usage(stdout);
        default: return usage_error("%s", "bad option for 'search'");
        }
    }
    if (strcmp(color, "always") == 0)
        run.out.color = 1;
    else if (strcmp(color, "auto") == 0)
        run.out.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    else if (strcmp(color, "never") != 0)
        return usage_error("--color takes auto, always or never, not '%s'", color);
    if (run.out.format != FORMAT_HUMAN)
        run.out.color = 0;
    /* TREC ranks files: their best passage stands for them */
    if (run.out.format == FORMAT_TREC && !per_file_given)
        run.opt.per_file = 1;
    run.opt.no_snippets = run.out.format == FORMAT_TREC;
    if (run.out.format == FORMAT_CSV && run.opt.n_facets == 0)
        return usage_error("%s", "--format csv prints facets: add --facet FIELD");
    if (!batch && optind != argc - 1)
        return usage_error("%s", optind >= argc ? "no query given" : "give the query as one argument (quote it)");
    if (batch && optind != argc)
        return usage_error("%s", "--batch takes the queries from a file, not the command line");

    char *msg = NULL;
    cs_status_t st = cs_index_open(index, &run.index, &msg);
    if (st) {
        fprintf(stderr, "%s: cannot open the index: ", cli_program);
        _cs_fputs_safe(stderr, msg ? msg : cs_status_to_string(st));
        fputc('\n', stderr);
        if (st == CS_ERR_NOT_FOUND)
            fprintf(stderr, "%s: build it first with `%s index --corpus DIR --index %s`\n",
                    cli_program, cli_program, index);
        else if (st == CS_ERR_CORRUPT)
            fprintf(stderr, "%s: the index is corrupt: `%s index --rebuild --corpus DIR "
                    "--index %s` builds it afresh\n", cli_program, cli_program, index);
        free(msg);
        return EXIT_ERROR;
    }
    run.out.cwd = getcwd(NULL, 0);
    int status = batch ? run_batch(&run, batch) : run_query(&run, argv[optind]);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: cannot write the results: %s\n", cli_program, strerror(errno));
        status = EXIT_ERROR;
    }
    free(run.out.cwd);
    cs_index_close(run.index);
    return status;
}

int cli_parse_facet_order(const char *s, cs_facet_order_t *order)
{
    if (strcmp(s, "count") == 0)
        *order = CS_FACET_ORDER_COUNT;
    else if (strcmp(s, "value") == 0)
        *order = CS_FACET_ORDER_VALUE;
    else
        return 0;
    return 1;
}

void cli_print_field_help(FILE *out, const cs_index_t *index)
{
    cs_field_info_t f;
    fprintf(out, "\nFields (FIELD:VALUE in queries; * marks those --facet counts):\n");
    for (size_t i = 0; cs_field_get(index, i, &f); i++)
        fprintf(out, "  %-8s %s %-7s %s%s%s\n", f.name, f.facets ? "*" : " ", f.type, f.source,
                *f.example ? "\n                     e.g. " : "", f.example);
    fprintf(out, "A corpus's %s (or .jsonl) adds fields of its own (see man cybersearch).\n",
            "cybersearch-metadata.csv");
}

/* ---- stats ------------------------------------------------------------ */

int cli_stats(int argc, char **argv)
{
    static const struct option options[] = {
        { "index", required_argument, NULL, 'i' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *index = cli_default_index();
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:h", options, NULL)) != -1) {
        if (c == 'i')
            index = optarg;
        else if (c == 'h') {
            printf("Usage: %s stats [--index DIR]\nDescribe the index.\n", cli_program);
            return EXIT_MATCH;
        } else
            return usage_error("%s", "bad option for 'stats'");
    }
    cs_index_t *idx = NULL;
    char *msg = NULL;
    cs_status_t st = cs_index_open(index, &idx, &msg);
    cs_index_info_t info;
    if (!st && (st = cs_index_get_info(idx, &info)) != CS_OK)
        msg = strdup(cs_index_last_error(idx));
    if (st) {
        fprintf(stderr, "%s: cannot read the index: ", cli_program);
        _cs_fputs_safe(stderr, msg ? msg : cs_status_to_string(st));
        fputc('\n', stderr);
        free(msg);
        cs_index_close(idx);
        return EXIT_ERROR;
    }
    /* the index records what it was given: printed as safe text */
    fputs("index:      ", stdout);
    _cs_fputs_safe(stdout, index);
    printf("\nschema:     %d\nshards:     %d\nlanguage:   ", info.schema_version, info.shards);
    _cs_fputs_safe(stdout, info.language);
    printf("\npassages:   %" PRIu64 "\nfiles:      %" PRIu64 "\nwords:      %" PRIu64
           "\ndisk:       %.1f MB\n", info.passages, info.files, info.terms,
           (double)info.disk_bytes / 1e6);
    printf("roots:\n");
    cs_buf_t root;
    _cs_buf_init(&root);
    for (const char *r = info.roots; r && *r;) {
        const char *nl = strchr(r, '\n');
        size_t len = nl ? (size_t)(nl - r) : strlen(r);
        _cs_buf_reset(&root);
        _cs_buf_append_safe(&root, r, len);
        printf("  %s\n", root.failed ? "?" : root.len ? root.data : "");
        r = nl ? nl + 1 : r + len;
    }
    _cs_buf_free(&root);
    fputs("last run:   ", stdout);
    _cs_fputs_safe(stdout, info.last_run && *info.last_run ? info.last_run : "(none)");
    fputc('\n', stdout);
    cli_print_field_help(stdout, idx);
    cs_index_close(idx);
    return EXIT_MATCH;
}

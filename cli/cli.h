/* cli.h - the cybersearch command's internal interfaces. */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <stdio.h>

#include "cybersearch.h"

typedef enum cli_format {
    FORMAT_HUMAN,
    FORMAT_JSON,
    FORMAT_VIMGREP,
    FORMAT_TREC
} cli_format_t;

typedef struct cli_output {
    FILE *out;
    cli_format_t format;
    int color;             /* ANSI colour on */
    const char *qid;       /* TREC query id */
    char *cwd;             /* for display paths, malloc'd */
} cli_output_t;

/* ---- Interface to code in cli/output.c ------------------------------- */

/* Print @results of @query in the chosen format. */
void cli_print_results(cli_output_t *o, const char *query, const cs_results_t *results,
                       double elapsed_us);
/* Print a query error with a caret under @offset (or no caret when < 0). */
void cli_print_query_error(FILE *err, const char *query, long offset, const char *message);

/* ---- Interface to code in cli/json.c --------------------------------- */

/* Write @len bytes as a JSON string literal; invalid UTF-8 becomes U+FFFD. */
void cli_json_string(FILE *out, const char *s, size_t len);
/* Write @len bytes as a JSON string of their percent-encoded form (RFC 3986:
 * bytes outside printable ASCII, '%', '"' and '\\' as %HH), from which a
 * program gets the bytes back exactly (the path of a non-UTF-8 name). */
void cli_json_percent_bytes(FILE *out, const char *s, size_t len);

/* ---- Interface to code in cli/commands.c ----------------------------- */

int cli_index(int argc, char **argv);
int cli_search(int argc, char **argv);
int cli_stats(int argc, char **argv);

/* The index folder: --index, else $CYBERSEARCH_INDEX, else "index". */
const char *cli_default_index(void);

extern const char *cli_program;

#endif /* CS_CLI_H */

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

/* ---- Interface to code in cli/locator.c ------------------------------ */

/* Non-zero when the hit's spans are source bytes and line:col (text,
 * HTML), zero when it cites a page or paragraph (PDF, DOCX). */
int cli_cites_bytes(const cs_hit_t *hit);
/* "  page 3 (iv) line 12  § Section > Sub  #anchor" (what the hit has). */
void cli_locator_human(FILE *out, const cs_hit_t *hit);
/* "[pdf page 3 line 12] " before a vimgrep line's text ("" for text). */
void cli_locator_vimgrep(FILE *out, const cs_hit_t *hit, cs_span_t at);
/* ,"format":...,"locator":{...} of a JSON hit. */
void cli_locator_json(FILE *out, const cs_hit_t *hit);
/* ,"page":N,"box":[x0,y0,x1,y1] of a JSON highlight that has a box. */
void cli_highlight_box_json(FILE *out, const cs_hit_t *hit, size_t i);

/* ---- Interface to code in cli/commands.c ----------------------------- */

int cli_index(int argc, char **argv);
int cli_search(int argc, char **argv);
int cli_stats(int argc, char **argv);

/* The index folder: --index, else $CYBERSEARCH_INDEX, else "index". */
const char *cli_default_index(void);

extern const char *cli_program;

#endif /* CS_CLI_H */

/* cli.h - the cybersearch command's internal interfaces. */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <stdio.h>

#include <json-c/json.h>

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

/* ---- Interface to code in cli/json.c ---------------------------------
 * Every object is new (the caller owns it: json_object_put()) and carries
 * "type" and "schema".  docs/api.schema.json describes them. */

/* The JSON schema version: bumped when a field is removed or retyped
 * (fields may be added without a bump). */
#define CLI_JSON_SCHEMA 1

/* An object {"type": @type, "schema": CLI_JSON_SCHEMA}. */
json_object *cli_json_new(const char *type);
/* @len bytes as a JSON string; invalid UTF-8 and NULs become U+FFFD. */
json_object *cli_json_string(const char *s, size_t len);
/* One hit of @query: citation, passage id, snippet, highlights. */
json_object *cli_json_hit(const char *query, const cs_hit_t *hit);
/* The hits of @r, an array of cli_json_hit() objects. */
json_object *cli_json_hits(const char *query, const cs_results_t *r);
/* Counts of a result set. */
json_object *cli_json_summary(const char *query, const cs_results_t *r, double elapsed_us);
json_object *cli_json_stats(const cs_index_info_t *info);
/* An error; @query may be NULL and @offset -1 (no caret). */
json_object *cli_json_error(cs_status_t status, const char *message, const char *query,
                            long offset);
/* @o as one line of JSON; owned by @o. */
const char *cli_json_text(json_object *o);
/* Print @o and a newline, then release it. */
void cli_json_print(FILE *out, json_object *o);

/* ---- Interface to code in cli/locator.c ------------------------------ */

/* Non-zero when the hit's spans are source bytes and line:col (text,
 * HTML), zero when it cites a page or paragraph (PDF, DOCX). */
int cli_cites_bytes(const cs_hit_t *hit);
/* "  page 3 (iv) line 12  § Section > Sub  #anchor" (what the hit has). */
void cli_locator_human(FILE *out, const cs_hit_t *hit);
/* "[pdf page 3 line 12] " before a vimgrep line's text ("" for text). */
void cli_locator_vimgrep(FILE *out, const cs_hit_t *hit, cs_span_t at);
/* Add "format" and "locator" {...} to JSON hit @o. */
void cli_locator_json(json_object *o, const cs_hit_t *hit);
/* Add "page" and "box" [x0, y0, x1, y1] to JSON highlight @h of @hit when
 * it has a box. */
void cli_highlight_box_json(json_object *h, const cs_hit_t *hit, size_t i);

/* ---- Interface to code in cli/commands.c ----------------------------- */

int cli_index(int argc, char **argv);
int cli_search(int argc, char **argv);
int cli_stats(int argc, char **argv);
/* In cli/serve.c. */
int cli_serve(int argc, char **argv);

/* The index folder: --index, else $CYBERSEARCH_INDEX, else "index". */
const char *cli_default_index(void);

extern const char *cli_program;

#endif /* CS_CLI_H */

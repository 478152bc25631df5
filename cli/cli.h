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
    FORMAT_TREC,
    FORMAT_CSV         /* facets and trends only: hits are not printed */
} cli_format_t;

typedef struct cli_output {
    FILE *out;
    cli_format_t format;
    int color;             /* ANSI colour on */
    const char *qid;       /* TREC query id */
    char *cwd;             /* for display paths, malloc'd */
    int per_million;       /* facets: show counts per million words */
    int explain;           /* json: the summary carries the query's description */
    int csv_header_done;
    int nomem;             /* set when JSON output ran out of memory */
} cli_output_t;

/* ---- Interface to code in cli/output.c ------------------------------- */

/* Print @results of @query in the chosen format. */
void cli_print_results(cli_output_t *o, const char *query, const cs_results_t *results,
                       double elapsed_us);
/* Print a query error with a caret under @offset (or no caret when < 0). */
void cli_print_query_error(FILE *err, const char *query, long offset, const char *message);

/* ---- Interface to code in cli/facets.c ------------------------------- */

/* Print the facets of @results (after its hits) in the chosen format. */
void cli_print_facets(cli_output_t *o, const char *query, const cs_results_t *results);
/* A bar @fraction (0..1) of @width columns, padded to @width. */
void cli_bar(FILE *out, double fraction, int width);
/* A bucket's words and per_million as JSON members or CSV cells when
 * @asked (--per-million), else nothing (JSON) or empty cells (CSV). */
void cli_print_words(FILE *out, const cs_facet_bucket_t *b, int asked, cli_format_t format);
/* @s as one CSV field (quoted when it needs to be). */
void cli_csv_field(FILE *out, const char *s);

/* ---- Interface to code in cli/trend.c -------------------------------- */

/* Series of counts, one per query, over the values of one field. */
typedef struct cli_trend {
    const char *by;                  /* the field */
    const char *const *queries;      /* not owned */
    size_t n_queries;
    char **values;                   /* in value order, malloc'd */
    size_t n_values;
    cs_facet_bucket_t *points;       /* [value * n_queries + query]; strings not owned */
    int per_million;
} cli_trend_t;

int cli_trend(int argc, char **argv);
/* What the chart shows for @value and @query: passages, or per million. */
double cli_trend_measure(const cli_trend_t *t, size_t value, size_t query);

/* ---- Interface to code in cli/chart_svg.c ----------------------------- */

/* Draw @t as a line chart (axes, labels, legend) into the SVG file @path;
 * returns 0 (after a message) on failure. */
int cli_trend_svg(const cli_trend_t *t, const char *path);

/* ---- Interface to code in cli/json.c ---------------------------------
 * Every object is new (the caller owns it: json_object_put()) and carries
 * "type" and "schema".  docs/api.schema.json describes them. */

/* The JSON schema version: bumped when a field is removed or retyped
 * (fields may be added without a bump). */
#define CLI_JSON_SCHEMA 2

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
/* Add to @o "description": the query as the engine understood it (with
 * the terms feedback added), for --explain. */
void cli_json_add_description(json_object *o, const cs_results_t *r);
json_object *cli_json_stats(const cs_index_info_t *info);
/* An error; @query may be NULL and @offset -1 (no caret). */
json_object *cli_json_error(cs_status_t status, const char *message, const char *query,
                            long offset);
/* Add @v to object @o under @key, or append it to array @a; when either is
 * NULL (json-c ran out of memory) or the add fails, @v is released and the
 * next cli_json_text() returns NULL.  Build objects with these only. */
void cli_json_add(json_object *o, const char *key, json_object *v);
void cli_json_add_null(json_object *o, const char *key);   /* a JSON null */
void cli_json_push(json_object *a, json_object *v);
/* @o as one line of JSON, owned by @o; NULL when out of memory (now, or
 * while this thread built an object since the last call). */
const char *cli_json_text(json_object *o);
/* Print @o and a newline, then release it; 0 (nothing printed) when out of
 * memory. */
int cli_json_print(FILE *out, json_object *o);
/* @len bytes as a JSON string literal, for output written piece by piece
 * (facets, trends); 0 when out of memory ("" was written). */
int cli_json_write_string(FILE *out, const char *s, size_t len);
/* @len bytes percent-encoded (RFC 3986) as a JSON string, from which a
 * program gets them back exactly: "path_bytes" of a name not in UTF-8. */
json_object *cli_json_percent_bytes(const char *s, size_t len);

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
/* "count" or "value"; returns 0 for anything else. */
int cli_parse_facet_order(const char *s, cs_facet_order_t *order);
/* The fields (built-in, and @index's own when not NULL), for --help. */
void cli_print_field_help(FILE *out, const cs_index_t *index);

/* The index folder: --index, else $CYBERSEARCH_INDEX, else "index". */
const char *cli_default_index(void);

extern const char *cli_program;

#endif /* CS_CLI_H */

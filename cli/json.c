/* json.c - results, hits, stats and errors as JSON objects (json-c), for
 * the CLI's --json and the server's API alike: one place knows the JSON
 * schema (docs/api.schema.json), so both speak the same one.
 *
 * A new field is added here once and appears in both; a field removed or
 * retyped bumps CLI_JSON_SCHEMA. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static json_object *str(const char *s)
{
    return cli_json_string(s, strlen(s));
}

/* "path" (or "root") and, for a name that is not UTF-8, "path_bytes". */
static void add_name(json_object *o, const char *key, const char *name)
{
    cli_json_add(o, key, str(name));
    size_t len = strlen(name);
    if (_cs_utf8_invalid_bytes(name, len)) {
        char bytes_key[16];
        snprintf(bytes_key, sizeof bytes_key, "%s_bytes", key);
        cli_json_add(o, bytes_key, cli_json_percent_bytes(name, len));
    }
}

/* A double printed as printf's @fmt does, so output is stable across
 * json-c versions. */
static json_object *fixed(double v, const char *fmt)
{
    char buf[64];
    snprintf(buf, sizeof buf, fmt, v);
    return json_object_new_double_s(v, buf);
}

static void add_span(json_object *o, cs_span_t s)
{
    cli_json_add(o, "start", json_object_new_uint64(s.start));
    cli_json_add(o, "end", json_object_new_uint64(s.end));
    cli_json_add(o, "line", json_object_new_uint64(s.line));
    cli_json_add(o, "col", json_object_new_uint64(s.col));
}

json_object *cli_json_new(const char *type)
{
    json_object *o = json_object_new_object();
    cli_json_add(o, "type", json_object_new_string(type));
    cli_json_add(o, "schema", json_object_new_int(CLI_JSON_SCHEMA));
    return o;
}

json_object *cli_json_hit(const char *query, const cs_hit_t *hit)
{
    json_object *o = cli_json_new("hit");
    cli_json_add(o, "query", str(query));
    cli_json_add(o, "rank", json_object_new_uint64(cs_hit_rank(hit)));
    cli_json_add(o, "score", fixed(cs_hit_score(hit), "%.6f"));
    add_name(o, "path", cs_hit_path(hit));
    add_name(o, "root", cs_hit_root(hit));
    cli_locator_json(o, hit);
    json_object *passage = json_object_new_object();
    char id[CS_PASSAGE_ID_SIZE];
    cs_hit_passage_id(hit, id, sizeof id);
    cli_json_add(passage, "id", json_object_new_string(id));
    add_span(passage, cs_hit_passage(hit));
    cli_json_add(o, "passage", passage);
    const char *snippet = cs_hit_snippet(hit);
    cli_json_add(o, "snippet", str(snippet));
    /* each highlight's place in the file, and (in "marks", in the same
     * order) its [start, end) bytes in the snippet, for a page to mark */
    json_object *highlights = json_object_new_array(), *marks = json_object_new_array();
    for (size_t k = 0; k < cs_hit_highlight_count(hit); k++) {
        size_t start, end;
        cs_hit_snippet_mark(hit, k, &start, &end);
        json_object *h = json_object_new_object();
        add_span(h, cs_hit_highlight(hit, k));
        cli_json_add(h, "text", cli_json_string(snippet + start, end - start));
        cli_highlight_box_json(h, hit, k);
        cli_json_push(highlights, h);
        json_object *m = json_object_new_array();
        cli_json_push(m, json_object_new_uint64(start));
        cli_json_push(m, json_object_new_uint64(end));
        cli_json_push(marks, m);
    }
    cli_json_add(o, "highlights", highlights);
    cli_json_add(o, "marks", marks);
    /* null: the corpus is not reachable here, so no one can tell */
    if (cs_hit_stale_unknown(hit))
        cli_json_add_null(o, "stale");
    else
        cli_json_add(o, "stale", json_object_new_boolean(cs_hit_stale(hit)));
    cli_json_add(o, "missing", str(cs_hit_missing(hit)));
    const char *explanation = cs_hit_explanation(hit);   /* "" unless asked for */
    if (*explanation)
        cli_json_add(o, "explanation", str(explanation));
    return o;
}

/* A count with its bounds, and whether it is exact. */
static json_object *count(cs_count_t c)
{
    json_object *o = json_object_new_object();
    cli_json_add(o, "lower", json_object_new_uint64(c.lower));
    cli_json_add(o, "estimate", json_object_new_uint64(c.estimate));
    cli_json_add(o, "upper", json_object_new_uint64(c.upper));
    cli_json_add(o, "exact", json_object_new_boolean(c.lower == c.upper));
    return o;
}

json_object *cli_json_summary(const char *query, const cs_results_t *r, double elapsed_us)
{
    json_object *o = cli_json_new("summary");
    cli_json_add(o, "query", str(query));
    cli_json_add(o, "hits", json_object_new_uint64(cs_results_count(r)));
    cli_json_add(o, "estimate", json_object_new_uint64(cs_results_estimate(r)));
    cli_json_add(o, "passages", count(cs_results_passages(r)));
    cli_json_add(o, "files", count(cs_results_files(r)));
    cli_json_add(o, "relaxed", json_object_new_boolean(cs_results_relaxed(r)));
    cli_json_add(o, "elapsed_us", fixed(elapsed_us, "%.0f"));
    return o;
}

void cli_json_add_description(json_object *o, const cs_results_t *r)
{
    cli_json_add(o, "description", str(cs_results_query_description(r)));
}

json_object *cli_json_hits(const char *query, const cs_results_t *r)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < cs_results_count(r); i++)
        cli_json_push(a, cli_json_hit(query, cs_results_get(r, i)));
    return a;
}

/* Roots as an array: the info has them one per line. */
static json_object *roots_array(const char *roots)
{
    json_object *a = json_object_new_array();
    for (const char *p = roots; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len)
            cli_json_push(a, cli_json_string(p, len));
        p += len + (nl != NULL);
    }
    return a;
}

json_object *cli_json_stats(const cs_index_info_t *info)
{
    json_object *o = cli_json_new("stats");
    cli_json_add(o, "passages", json_object_new_uint64(info->passages));
    cli_json_add(o, "files", json_object_new_uint64(info->files));
    cli_json_add(o, "terms", json_object_new_uint64(info->terms));
    cli_json_add(o, "disk_bytes", json_object_new_uint64(info->disk_bytes));
    cli_json_add(o, "language", str(info->language ? info->language : ""));
    cli_json_add(o, "roots", roots_array(info->roots));
    cli_json_add(o, "last_run", str(info->last_run ? info->last_run : ""));
    cli_json_add(o, "index_schema", json_object_new_int(info->schema_version));
    cli_json_add(o, "shards", json_object_new_int(info->shards));
    cli_json_add(o, "version", json_object_new_string(cs_version()));
    return o;
}

json_object *cli_json_error(cs_status_t status, const char *message, const char *query,
                            long offset)
{
    json_object *o = cli_json_new("error");
    cli_json_add(o, "status", json_object_new_string(cs_status_to_string(status)));
    cli_json_add(o, "message", str(message));
    if (query)
        cli_json_add(o, "query", str(query));
    if (offset >= 0)
        cli_json_add(o, "offset", json_object_new_int64(offset));
    return o;
}

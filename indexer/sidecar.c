/* sidecar.c - reading a corpus root's metadata sidecar (see sidecar.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "sidecar.h"

/* A CSV reader over a whole file in memory. */
typedef struct csv {
    const char *p, *end;
    unsigned line;           /* the current line */
    unsigned record_line;    /* where the record being read starts */
    const char *duplicate;   /* a path given twice */
    cs_buf_t cell;
} csv_t;

/* Read one cell into c->cell; *last is set at the end of its record.
 * Returns 0 on a malformed cell (a quote inside an unquoted one, or an
 * unclosed quote). */
static int csv_cell(csv_t *c, int *last)
{
    _cs_buf_reset(&c->cell);
    _cs_buf_append(&c->cell, "", 0);
    if (c->p < c->end && *c->p == '"') {
        c->p++;
        for (;;) {
            if (c->p >= c->end)
                return 0;
            if (*c->p == '"') {
                if (c->p + 1 < c->end && c->p[1] == '"') {
                    _cs_buf_append_char(&c->cell, '"');
                    c->p += 2;
                    continue;
                }
                c->p++;
                break;
            }
            if (*c->p == '\n')
                c->line++;
            _cs_buf_append_char(&c->cell, *c->p++);
        }
    } else {
        while (c->p < c->end && *c->p != ',' && *c->p != '\n') {
            if (*c->p == '"')
                return 0;
            _cs_buf_append_char(&c->cell, *c->p++);
        }
    }
    if (c->cell.len && c->cell.data[c->cell.len - 1] == '\r')
        c->cell.data[--c->cell.len] = '\0';
    if (c->p < c->end && *c->p == '\r')
        c->p++;
    *last = c->p >= c->end || *c->p == '\n';
    if (c->p < c->end && !*last && *c->p != ',')
        return 0;
    if (c->p < c->end)
        c->p++;
    return 1;
}

static int is_field_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const cs_sidecar_row_t *)a)->path, ((const cs_sidecar_row_t *)b)->path);
}

static char *read_all(const char *path, size_t *len, int *absent)
{
    FILE *f = fopen(path, "rb");
    *absent = !f && errno == ENOENT;
    if (!f)
        return NULL;
    cs_buf_t b;
    _cs_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        _cs_buf_append(&b, chunk, n);
    int bad = ferror(f) || b.failed;
    fclose(f);
    if (bad) {
        _cs_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return _cs_buf_steal(&b);
}

/* The header: "path", then field names, lower case; into out->columns. */
static const char *read_header(csv_t *c, cs_sidecar_t *out, size_t *n_columns)
{
    int last = 0;
    *n_columns = 0;
    if (!csv_cell(c, &last) || strcmp(c->cell.data ? c->cell.data : "", "path") != 0)
        return "the first column must be 'path'";
    while (!last) {
        if (!csv_cell(c, &last))
            return "malformed header";
        for (char *s = c->cell.data; *s; s++)
            if (*s >= 'A' && *s <= 'Z')
                *s = (char)(*s - 'A' + 'a');
        if (!is_field_name(c->cell.data) || strcmp(c->cell.data, "path") == 0 ||
            c->cell.len >= 60)
            return "a column name must be letters, digits, '_' or '-' (and not 'path' again)";
        _cs_buf_printf(&out->columns, "%s\n", c->cell.data);
        ++*n_columns;
    }
    return NULL;
}

/* Name of column @i (0-based, after "path") in the newline list. */
static const char *column(const cs_sidecar_t *s, size_t i, size_t *len)
{
    const char *p = s->columns.data;
    while (i--)
        p = strchr(p, '\n') + 1;
    *len = (size_t)(strchr(p, '\n') - p);
    return p;
}

static cs_sidecar_row_t *new_row(cs_sidecar_t *out, size_t *cap, const char *path)
{
    if (out->n_rows == *cap) {
        size_t grown_cap = *cap ? 2 * *cap : 256;
        cs_sidecar_row_t *grown = realloc(out->rows, grown_cap * sizeof *grown);
        if (!grown)
            return NULL;
        out->rows = grown;
        *cap = grown_cap;
    }
    cs_sidecar_row_t *row = &out->rows[out->n_rows];
    row->path = strdup(path);
    _cs_doc_fields_init(&row->fields);
    out->n_rows++;
    return row->path ? row : NULL;
}

static const char *read_rows(csv_t *c, cs_sidecar_t *out, size_t n_columns)
{
    size_t cap = 0;
    while (c->p < c->end) {
        c->record_line = ++c->line;
        if (*c->p == '\n' || (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')) {
            c->p += *c->p == '\r' ? 2 : 1;
            continue;  /* a blank line */
        }
        int last = 0;
        if (!csv_cell(c, &last))
            return "malformed quoting";
        if (!c->cell.len)
            return "a row without a path";
        cs_sidecar_row_t *row = new_row(out, &cap, c->cell.data);
        if (!row)
            return "out of memory";
        for (size_t i = 0; !last; i++) {
            if (!csv_cell(c, &last))
                return "malformed quoting";
            if (i >= n_columns)
                return "more cells than the header has columns";
            char name[64];
            size_t len;
            const char *col = column(out, i, &len);
            snprintf(name, sizeof name, "%.*s", (int)len, col);
            if (!_cs_doc_fields_set(&row->fields, name, c->cell.data, c->cell.len))
                return "out of memory";
        }
    }
    return NULL;
}

/* Add @name (lower-cased in place) to the columns unless it is there. */
static const char *add_column(cs_sidecar_t *out, char *name)
{
    for (char *s = name; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
    if (!is_field_name(name) || strlen(name) >= 60)
        return "a field name must be letters, digits, '_' or '-'";
    size_t len = strlen(name);
    for (const char *c = out->columns.data; c && *c; c = strchr(c, '\n') + 1)
        if (strncmp(c, name, len) == 0 && c[len] == '\n')
            return NULL;
    _cs_buf_printf(&out->columns, "%s\n", name);
    return out->columns.failed ? "out of memory" : NULL;
}

/* One JSON value of a row as text: strings, numbers and booleans. */
static const char *json_cell(cs_sidecar_row_t *row, char *name, json_object *v)
{
    const char *text;
    switch (json_object_get_type(v)) {
    case json_type_null: return NULL;
    case json_type_string:
    case json_type_int:
    case json_type_double:
    case json_type_boolean: text = json_object_get_string(v); break;
    default: return "a value must be a string, a number or a boolean";
    }
    return _cs_doc_fields_set(&row->fields, name, text, strlen(text)) ? NULL : "out of memory";
}

/* JSON Lines: one object per line, "path" and the fields. */
static const char *read_jsonl(csv_t *c, cs_sidecar_t *out)
{
    size_t cap = 0;
    json_tokener *tok = json_tokener_new();
    const char *why = tok ? NULL : "out of memory";
    while (!why && c->p < c->end) {
        const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
        const char *line_end = nl ? nl : c->end;
        c->record_line = c->line++;
        size_t len = (size_t)(line_end - c->p);
        const char *line = c->p;
        c->p = nl ? nl + 1 : c->end;
        if (strspn(line, " \t\r") >= len)
            continue;  /* a blank line */
        json_tokener_reset(tok);
        json_object *obj = json_tokener_parse_ex(tok, line, (int)len);
        if (!obj || json_tokener_get_error(tok) != json_tokener_success ||
            json_tokener_get_parse_end(tok) +
                    strspn(line + json_tokener_get_parse_end(tok), " \t\r") < len) {
            json_object_put(obj);
            why = "not one JSON object";
            break;
        }
        json_object *path = NULL;
        if (!json_object_is_type(obj, json_type_object) ||
            !json_object_object_get_ex(obj, "path", &path) ||
            !json_object_is_type(path, json_type_string) || !*json_object_get_string(path)) {
            json_object_put(obj);
            why = "an object needs a \"path\" string";
            break;
        }
        cs_sidecar_row_t *row = new_row(out, &cap, json_object_get_string(path));
        if (!row)
            why = "out of memory";
        json_object_object_foreach(obj, key, value) {
            char name[64];
            if (why || strcmp(key, "path") == 0)
                continue;
            snprintf(name, sizeof name, "%s", key);
            if (strlen(key) >= sizeof name)
                why = "a field name must be letters, digits, '_' or '-'";
            if (!why)
                why = add_column(out, name);
            if (!why)
                why = json_cell(row, name, value);
        }
        json_object_put(obj);
    }
    if (tok)
        json_tokener_free(tok);
    return why;
}

/* Sort the rows by path and refuse a path given twice. */
static const char *sort_rows(csv_t *c, cs_sidecar_t *out)
{
    if (out->n_rows > 1)
        qsort(out->rows, out->n_rows, sizeof *out->rows, by_path);
    for (size_t i = 1; i < out->n_rows; i++)
        if (strcmp(out->rows[i - 1].path, out->rows[i].path) == 0) {
            c->record_line = 0;
            c->duplicate = out->rows[i].path;
            return "a path is given twice";
        }
    return NULL;
}

cs_status_t _cs_sidecar_load(const char *root, cs_sidecar_t *out, char **errmsg)
{
    memset(out, 0, sizeof *out);
    _cs_buf_init(&out->columns);
    char csv_path[8192], jsonl_path[8192];
    snprintf(csv_path, sizeof csv_path, "%s/%s", root, CS_SIDECAR_NAME);
    snprintf(jsonl_path, sizeof jsonl_path, "%s/%s", root, CS_SIDECAR_JSONL_NAME);
    size_t len = 0, jsonl_len = 0;
    int absent, jsonl_absent;
    char *text = NULL, *jsonl = NULL;
    int have_csv = (text = read_all(csv_path, &len, &absent)) != NULL;
    if (!have_csv && !absent) {
        _cs_set_message(errmsg, "cannot read %s: %s", csv_path, strerror(errno));
        return CS_ERR_IO;
    }
    int have_jsonl = (jsonl = read_all(jsonl_path, &jsonl_len, &jsonl_absent)) != NULL;
    if (!have_jsonl && !jsonl_absent) {
        free(text);
        _cs_set_message(errmsg, "cannot read %s: %s", jsonl_path, strerror(errno));
        return CS_ERR_IO;
    }
    if (have_csv && have_jsonl) {
        free(text);
        free(jsonl);
        _cs_set_message(errmsg, "%s: both %s and %s: keep one", root, CS_SIDECAR_NAME,
                        CS_SIDECAR_JSONL_NAME);
        return CS_ERR_INVALID;
    }
    if (!have_csv && !have_jsonl)
        return CS_OK;
    const char *path = have_csv ? csv_path : jsonl_path;
    if (have_jsonl) {
        text = jsonl;
        len = jsonl_len;
    }
    csv_t c = { text, text + len, 1, 1, NULL, { 0 } };
    _cs_buf_init(&c.cell);
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        c.p += 3;  /* a BOM, as spreadsheets write */
    const char *why;
    if (have_csv) {
        size_t n_columns;
        why = read_header(&c, out, &n_columns);
        if (!why)
            why = read_rows(&c, out, n_columns);
    } else {
        why = read_jsonl(&c, out);
    }
    if (!why)
        why = sort_rows(&c, out);
    _cs_buf_free(&c.cell);
    free(text);
    if (why) {
        if (c.record_line)
            _cs_set_message(errmsg, "%s:%u: %s", path, c.record_line, why);
        else
            _cs_set_message(errmsg, "%s: %s%s%s", path, why, c.duplicate ? ": " : "",
                            c.duplicate ? c.duplicate : "");
        _cs_sidecar_free(out);
        return strcmp(why, "out of memory") == 0 ? CS_ERR_NOMEM : CS_ERR_INVALID;
    }
    return CS_OK;
}

long _cs_sidecar_row(const cs_sidecar_t *s, const char *rel)
{
    cs_sidecar_row_t key = { (char *)rel, { { 0 }, 0 } };
    const cs_sidecar_row_t *row =
        s->n_rows ? bsearch(&key, s->rows, s->n_rows, sizeof *s->rows, by_path) : NULL;
    return row ? (long)(row - s->rows) : -1;
}

const cs_doc_fields_t *_cs_sidecar_find(const cs_sidecar_t *s, const char *rel)
{
    long row = _cs_sidecar_row(s, rel);
    return row >= 0 ? &s->rows[row].fields : NULL;
}

void _cs_sidecar_free(cs_sidecar_t *s)
{
    for (size_t i = 0; i < s->n_rows; i++) {
        free(s->rows[i].path);
        _cs_doc_fields_free(&s->rows[i].fields);
    }
    free(s->rows);
    _cs_buf_free(&s->columns);
    memset(s, 0, sizeof *s);
}

int _cs_sidecar_is_name(const char *rel)
{
    return strcmp(rel, CS_SIDECAR_NAME) == 0 || strcmp(rel, CS_SIDECAR_JSONL_NAME) == 0;
}

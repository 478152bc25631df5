/* sidecar.h - a corpus root's metadata sidecar: path -> field values.
 *
 * A root may hold CS_SIDECAR_NAME, a CSV file (RFC 4180: commas, double
 * quotes around values that hold commas, quotes or line ends, "" for a
 * quote) whose header names the columns: "path" first (the file's path
 * below the root, as cybersearch prints it), then any fields: built-in
 * ones (year, date, country, session, lang, format, title) replace what
 * the path says, and any other name (speaker, symbol, body, ...) becomes a
 * keyword field of its own.  Empty cells set nothing.  Or it may hold
 * CS_SIDECAR_JSONL_NAME instead, JSON Lines: one object per line with a
 * "path" string and the fields as strings, numbers or booleans (null sets
 * nothing).  The sidecar itself
 * is not indexed; a change to it reindexes only the files whose row
 * changed. */
#ifndef CS_SIDECAR_H
#define CS_SIDECAR_H

#include "cs_private.h"
#include "fields.h"

CS_BEGIN_DECLS

#define CS_SIDECAR_NAME "cybersearch-metadata.csv"
#define CS_SIDECAR_JSONL_NAME "cybersearch-metadata.jsonl"

/* Non-zero when @rel (a path relative to a root) is a root's sidecar: it
 * describes the documents and is not one of them. */
int _cs_sidecar_is_name(const char *rel);

typedef struct cs_sidecar_row {
    char *path;              /* malloc'd */
    cs_doc_fields_t fields;
} cs_sidecar_row_t;

typedef struct cs_sidecar {
    cs_sidecar_row_t *rows;  /* sorted by path */
    size_t n_rows;
    cs_buf_t columns;        /* the field columns, one per line */
} cs_sidecar_t;

/* Read the sidecar of @root into @out (empty when there is none).  A
 * malformed one fails with CS_ERR_INVALID and a malloc'd "FILE:LINE: why"
 * in *errmsg. */
cs_status_t _cs_sidecar_load(const char *root, cs_sidecar_t *out, char **errmsg);
/* The values for the file @rel, or NULL; the place of its row, or -1. */
const cs_doc_fields_t *_cs_sidecar_find(const cs_sidecar_t *s, const char *rel);
long _cs_sidecar_row(const cs_sidecar_t *s, const char *rel);
void _cs_sidecar_free(cs_sidecar_t *s);

CS_END_DECLS

#endif /* CS_SIDECAR_H */

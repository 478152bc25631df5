/* cs_private.h - internals shared by the files of libcybersearch. */
#ifndef CS_PRIVATE_H
#define CS_PRIVATE_H

#include "analyzer.h"
#include "cybersearch.h"
#include "fields.h"
#include "schema.h"
#include "store.h"
#include "util.h"
#include "xapian_c.h"

CS_BEGIN_DECLS

struct cs_index {
    xc_db_t *db;
    cs_analyzer_t *analyzer;
    cs_analyzer_t *term_analyzer; /* language "none": terms without stems, for
                                     the proximity measure */
    char *path;
    char *language;       /* malloc'd */
    char *roots;          /* malloc'd, one absolute root per line */
    char **root_list;     /* malloc'd array of pointers into root_copy */
    char *root_copy;
    size_t n_roots;
    char *last_run;       /* malloc'd, for cs_index_get_info */
    char *user_fields;    /* malloc'd: the sidecars' fields, one per line */
    char **user_field_list; /* malloc'd array of pointers into user_field_copy */
    char *user_field_copy;
    size_t n_user_fields;
    cs_buf_t error;       /* the last error message */
    long error_offset;    /* byte offset of the last query error, or -1 */
};

/* ---- Interface to code in lib/index.c ------------------------------- */

/* Record an error on @index and return @status. */
cs_status_t _cs_index_fail(cs_index_t *index, cs_status_t status,
                           const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Split newline-separated @roots into an array of pointers into a copy. */
cs_status_t _cs_split_roots(const char *roots, char **copy, char ***list,
                            size_t *n);

CS_END_DECLS

#endif /* CS_PRIVATE_H */

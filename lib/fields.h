/* fields.h - the one registry of metadata fields.
 *
 * A row of the table in fields.c defines a field for every part that
 * touches it: the query parser (its name and how a value is checked), the
 * query builder (how a value becomes a Xapian query), the writer (where a
 * value comes from and how it is stored: term prefix, value slots, both
 * owned by schema.h), facets (whether and how it is counted) and the help
 * text of `cybersearch --help`, `--fields` and the docs.  Adding a field is
 * one row.
 *
 * Besides the built-in fields, a corpus may bring its own through a sidecar
 * (sidecar.h): any other column name becomes a keyword field (a "user
 * field") whose facet slot is CS_SLOT_USER + its place in the index's
 * recorded list (lib/store.h).
 *
 * A file's values are gathered in a cs_doc_fields_t, in this order, a later
 * source replacing an earlier one: what the path says (year, session,
 * country, format), the index's language, the document's own metadata from
 * its extractor (_cs_doc_fields_set: title, author, date, ...), and last
 * the sidecar row, so the user always has the final word.
 */
#ifndef CS_FIELDS_H
#define CS_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

CS_BEGIN_DECLS

typedef enum cs_field_type {
    CS_FIELD_KEYWORD,   /* exact, case-insensitive values */
    CS_FIELD_NUMBER,    /* integers; ranges LO..HI, ..HI, LO.. */
    CS_FIELD_DATE,      /* ISO 8601 YYYY[-MM[-DD]]; ranges as numbers */
    CS_FIELD_GLOB,      /* path: a shell glob over the path below the root */
    CS_FIELD_WORDS      /* words anywhere in the value (title) */
} cs_field_type_t;

enum cs_field_flags {
    CS_FIELD_FILTERS = 1,  /* usable as NAME:VALUE in queries */
    CS_FIELD_SORTS = 2,    /* has a sortable value slot */
    CS_FIELD_FACETS = 4,   /* --facet NAME counts it */
    CS_FIELD_BY_VALUE = 8  /* facets sort by value (years), not by count */
};

#define CS_FIELD_VALUE_MAX 200  /* bytes of a stored value; longer is cut */

typedef struct cs_field {
    const char *name;            /* lower case */
    cs_field_type_t type;
    unsigned flags;
    const char *prefix;          /* term prefix (schema.h), or NULL */
    int slot;                    /* sortable value slot, or -1 */
    int facet_slot;              /* facet number in the file slot, or -1 */
    unsigned digits;             /* NUMBER: exact digits of a bound (0: 1 to 9) */
    /* The value the path @rel (below its root) gives, into @out (at least
     * CS_FIELD_VALUE_MAX + 1 bytes); 0 when it gives none.  NULL: never. */
    int (*from_path)(const char *rel, char *out);
    const char *source;          /* where values come from (help) */
    const char *example;         /* a query (help) */
    char user_name[64];          /* a user field's name and prefix live here */
    char user_prefix[72];
} cs_field_t;

/* The built-in fields; *n gets their count. */
const cs_field_t *_cs_fields_builtin(size_t *n);

/* Find the field @name[0, len) (ASCII case-insensitive) among the
 * built-in ones, then among @user_fields (names one per line, as
 * the index records them; may be NULL).  Fills *out; returns 0 when
 * there is no such field. */
int _cs_field_lookup(const char *user_fields, const char *name, size_t len, cs_field_t *out);

/* The names of every field, comma-separated, malloc'd (NULL: no memory). */
char *_cs_field_names(const char *user_fields);

/* Is @value[0, len) a valid query value of @f?  NULL when it is, else a
 * short explanation.  A country also accepts English names. */
const char *_cs_field_check(const cs_field_t *f, const char *value, size_t len);

/* The term of @f for the (stored or queried) @value: prefix + normalized
 * value, into @out of @size bytes; returns its length, 0 when @f has no
 * terms or the value has no term (an unknown country). */
size_t _cs_field_term(const cs_field_t *f, const char *value, char *out, size_t size);

/* Is @f the country field (values shown and stored as ISO 3166 codes)? */
int _cs_field_is_country(const cs_field_t *f);

/* A country code for @name (a code or an English name, any case), or NULL;
 * and the English name of @code, or NULL.  Both static. */
const char *_cs_country_code(const char *name, size_t len);
const char *_cs_country_name(const char *code);

/* Parse a number or date bound (YYYY, YYYY-MM, YYYY-MM-DD for dates) into
 * a sortable number; @high picks the last day of a partial date. */
int _cs_field_bound(const cs_field_t *f, const char *s, size_t len, int high, double *out);
/* The bounds of a checked NUMBER or DATE query @value (open ends: -1 and
 * 1e12); returns 0 for a bad value. */
int _cs_field_range(const cs_field_t *f, const char *value, double *lo, double *hi);

/* The year a path names ("Session 79 - 2024/USA_79_2024.txt" -> 2024):
 * the last run of exactly four digits from 1000 to 2999, or 0. */
int _cs_path_year(const char *path, size_t len);

/* ---- a document's values ---------------------------------------------- */

typedef struct cs_doc_fields {
    cs_buf_t pairs;      /* "name\0value\0" ... */
    size_t count;
} cs_doc_fields_t;

void _cs_doc_fields_init(cs_doc_fields_t *df);
void _cs_doc_fields_free(cs_doc_fields_t *df);
void _cs_doc_fields_reset(cs_doc_fields_t *df);
/* Set @name (lower-cased) to @value[0, len), replacing an earlier value;
 * an empty value removes it.  Returns 0 when out of memory. */
int _cs_doc_fields_set(cs_doc_fields_t *df, const char *name, const char *value, size_t len);
/* The value of @name, or NULL. */
const char *_cs_doc_fields_get(const cs_doc_fields_t *df, const char *name);
/* Iterate: *cursor starts at 0; returns 0 at the end. */
int _cs_doc_fields_next(const cs_doc_fields_t *df, size_t *cursor, const char **name,
                        const char **value);
/* The values the path @rel gives (every built-in from_path) and the
 * language @language (a stemmer name); returns 0 when out of memory. */
int _cs_doc_fields_from_path(cs_doc_fields_t *df, const char *rel, const char *language);
/* A hash of the values, to notice a change. */
uint64_t _cs_doc_fields_hash(const cs_doc_fields_t *df);

CS_END_DECLS

#endif /* CS_FIELDS_H */

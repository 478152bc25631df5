/* store.h - the storage layer: how cybersearch's facts, files, vocabulary
 * and passages are kept in Xapian and read back (schema.h has the layout).
 *
 * This and schema.{h,c} are the only code that knows metadata keys, term
 * prefixes and value slots (lib/fields.c binds each field to its own);
 * tests/test_layout.sh keeps it so.  Everything here reads correctly
 * through a database combining several shards, local or remote: Xapian
 * reads a combined database's metadata from its first shard only, so what
 * lives in metadata is read shard by shard (xc_db_shard) and merged here.
 * Writes go to one shard (a writable xc_db_shard, or a plain database).
 */
#ifndef CS_STORE_H
#define CS_STORE_H

#include "schema.h"

CS_BEGIN_DECLS

/* Set @err (which may be NULL) to CS_ERR_NOMEM and "out of memory", then
 * " " and @what unless it is NULL; returns CS_ERR_NOMEM. */
cs_status_t _cs_store_nomem(xc_error_t *err, const char *what);

/* The index-wide facts, recorded in every shard. */
typedef enum cs_fact {
    CS_FACT_SCHEMA,    /* CS_SCHEMA_VERSION, as digits */
    CS_FACT_LANGUAGE,  /* the stemmer's name */
    CS_FACT_ROOTS,     /* absolute corpus roots, one per line */
    CS_FACT_FIELDS,    /* the sidecars' user fields, one per line */
    CS_FACT_SHARDS,    /* how many shards the index was built with */
    CS_FACT_SHARD,     /* this shard's place among them, from 0 (read it
                          from a shard: xc_db_shard) */
    CS_FACT_LAST_RUN   /* the last run's summary ("YYYY-MM-DDTHH:MM:SSZ: ..."):
                          a run writes it to the shards it changed, and the
                          latest of them is read */
} cs_fact_t;

/* *value is malloc'd ("" when unrecorded); @len may be NULL. */
cs_status_t _cs_store_get_fact(xc_db_t *db, cs_fact_t fact, char **value, size_t *len,
                               xc_error_t *err);
/* Record @value in the writable shard @db, unless it holds it already (so
 * that a run that changes nothing in a shard leaves it untouched). */
cs_status_t _cs_store_set_fact(xc_db_t *db, cs_fact_t fact, const char *value,
                               xc_error_t *err);

/* Read the recorded schema, language and roots of an opened database.  A
 * database with no schema record and no documents is new (*is_new = 1).
 * Fails with CS_ERR_VERSION for another schema.  *language and *roots are
 * malloc'd (NULL on failure); a failure puts a malloc'd message in
 * *errmsg (when @errmsg is not NULL). */
cs_status_t _cs_schema_read(xc_db_t *db, int *is_new, char **language,
                            char **roots, char **errmsg);

/* ---- shards -------------------------------------------------------------- */

/* The shard of @n that holds the file @key: a stable function of the key
 * (itself a hash of root and path), so a file never moves between runs. */
size_t _cs_store_shard_of(const char *key, size_t n);

/* ---- terms and slots ------------------------------------------------------ */

/* The term of a word's stem: into @out of @size bytes, NUL-terminated;
 * returns its length, 0 when it does not fit. */
size_t _cs_store_stem_term(const char *stem, size_t len, char *out, size_t size);
/* Append the term of a word's stem, or of a word of the title, to @b. */
void _cs_store_append_stem_term(cs_buf_t *b, const char *stem, size_t len);
void _cs_store_append_title_term(cs_buf_t *b, const char *stem, size_t len);
/* The term of a word of the title for @stem, in @out (at most @size bytes
 * with the NUL); its length, or 0 when it does not fit. */
size_t _cs_store_title_term(const char *stem, size_t len, char *out, size_t size);
/* The stem of the title term @term (a pointer into @term), or NULL when
 * it is another kind. */
const char *_cs_store_title_stem_of_term(const char *term);
/* The prefix of every stem term (what query expansion draws from): a
 * static string. */
const char *_cs_store_stem_prefix(void);
/* The stem of the stem term @term (a pointer into @term), or NULL when it
 * is another kind. */
const char *_cs_store_stem_of_term(const char *term);
/* The boolean term naming file @key's passages (CS_FILE_KEY_HEX digits). */
#define CS_STORE_FILE_TERM_SIZE 14
void _cs_store_file_term(const char *key, char out[CS_STORE_FILE_TERM_SIZE]);
/* A term no passage holds (a query that matches nothing): a static string. */
const char *_cs_store_no_passage_term(void);
/* The value slot holding the passage's file key and its file's facet
 * values (its collapse key: the same for every passage of a file). */
unsigned _cs_store_file_slot(void);

/* The file slot's value of file @key's passages, built in @b: start it,
 * then add each facet value of the file (@facet: its field's facet_slot,
 * lib/fields.h; @value holds no NUL). */
void _cs_store_file_value_start(cs_buf_t *b, const char *key);
void _cs_store_file_value_add_facet(cs_buf_t *b, int facet, const char *value, size_t len);
/* From a file slot's value: the file key as a number (0 when malformed),
 * and facet @facet's value (a pointer into @value; 0 when it has none). */
int _cs_store_file_value_key(const char *value, size_t len, uint64_t *key);
int _cs_store_file_value_facet(const char *value, size_t len, int facet, const char **out,
                               size_t *out_len);

/* Give a passage @doc its file term and file slot, @file_value (built by
 * _cs_store_file_value_start). */
cs_status_t _cs_store_tag_passage(xc_doc_t *doc, const cs_buf_t *file_value, xc_error_t *err);

/* ---- files ---------------------------------------------------------------- */

/* Record what the index knows of file @key (in @db, its shard); @scratch
 * is a buffer to encode into. */
cs_status_t _cs_store_put_file(xc_db_t *db, const char *key, const cs_file_record_t *rec,
                               cs_buf_t *scratch, xc_error_t *err);
/* Remove file @key's passages and record from @db (its shard). */
cs_status_t _cs_store_remove_file(xc_db_t *db, const char *key, xc_error_t *err);
/* File @key's record, from whichever shard holds it: *found is 0 when none
 * holds a well-formed one; else @rec's strings point into *value, which
 * the caller frees (also when not found). */
cs_status_t _cs_store_get_file(xc_db_t *db, const char *key, char **value,
                               cs_file_record_t *rec, int *found, xc_error_t *err);
/* Call @fn for every well-formed file record of every shard (@key and
 * @rec's strings valid during the call only); a non-zero return stops. */
typedef int (*cs_store_file_fn)(void *ctx, const char *key, const cs_file_record_t *rec);
cs_status_t _cs_store_each_file(xc_db_t *db, cs_store_file_fn fn, void *ctx, xc_error_t *err);
cs_status_t _cs_store_count_files(xc_db_t *db, uint64_t *count, xc_error_t *err);

/* ---- the vocabulary --------------------------------------------------------- */

/* Record that @word has the stem @stem (in @db, one shard); @key is a
 * buffer to build the entry in. */
cs_status_t _cs_store_put_word(xc_db_t *db, cs_buf_t *key, const char *word, size_t len,
                               const char *stem, size_t stem_len, xc_error_t *err);
/* Call @fn with the stem of every recorded word that starts with @prefix
 * (normalized), over every shard: a stem may come more than once.  @stem
 * (@len bytes) is valid during the call only.  A non-zero return stops. */
typedef int (*cs_store_word_fn)(void *ctx, const char *stem, size_t len);
cs_status_t _cs_store_each_word(xc_db_t *db, const char *prefix, cs_store_word_fn fn, void *ctx,
                                xc_error_t *err);
/* The number of distinct vocabulary entries (word and stem) in all the shards. */
cs_status_t _cs_store_count_words(xc_db_t *db, uint64_t *count, xc_error_t *err);

CS_END_DECLS

#endif /* CS_STORE_H */

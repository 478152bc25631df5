/* schema.h - what cybersearch stores in a Xapian database (schema 2).
 *
 * One Xapian document per passage:
 *   terms     "Z" + stem of each word, with its positions: ranking, phrases
 *             and NEAR all search stems (schema 1 also stored the unstemmed
 *             words with the positions, as Xapian's TermGenerator does);
 *             "XF" + file key, a boolean term naming the passage's file, so
 *             a changed file's passages go in one call.
 *   values    CS_SLOT_FILE: the file key (at most N passages per file);
 *             CS_SLOT_YEAR: sortable year from the path, when it has one.
 *   data      a cs_passage_record_t: the citation (root, path, byte range,
 *             line, column, the file's size/mtime/hash when indexed) and the
 *             passage's text, for snippets.
 * Metadata: "cs:schema", "cs:language", "cs:roots" (absolute, one per line),
 * "cs:last-run", one "file:" + key record per indexed file, and the
 * vocabulary: "word:" + normalized word + " " + its stem (value "1") for
 * every word ever indexed, over which wildcards expand.  An entry outlives
 * the last passage holding its word; it then expands to a stem that
 * matches nothing, or matches through other words.
 */
#ifndef CS_SCHEMA_H
#define CS_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "cybersearch.h"
#include "util.h"
#include "xapian_c.h"

CS_BEGIN_DECLS

#define CS_SCHEMA_VERSION 2

#define CS_META_SCHEMA "cs:schema"
#define CS_META_LANGUAGE "cs:language"
#define CS_META_ROOTS "cs:roots"
#define CS_META_LAST_RUN "cs:last-run"
#define CS_META_FILE_PREFIX "file:"
#define CS_META_WORD_PREFIX "word:"

#define CS_PREFIX_STEM "Z"
#define CS_PREFIX_FILE "XF"

enum { CS_SLOT_FILE = 0, CS_SLOT_YEAR = 1 };

#define CS_FILE_KEY_HEX 16  /* a file key is 16 lower-case hex digits */

/* The key of file @rel under @root: FNV-1a of both, as 16 hex digits. */
void _cs_file_key(const char *root, const char *rel, char out[CS_FILE_KEY_HEX + 1]);

/* What the index remembers about one source file. */
typedef struct cs_file_record {
    uint32_t root;       /* index into the recorded roots */
    uint64_t size;
    int64_t mtime_ns;
    uint64_t hash;       /* _cs_hash64 of the content */
    uint32_t passages;
    const char *path;    /* relative to the root; points into the record */
    size_t path_len;
} cs_file_record_t;

void _cs_file_record_encode(const cs_file_record_t *rec, cs_buf_t *out);
/* Returns 0 for a malformed record.  Strings point into @data. */
int _cs_file_record_decode(const char *data, size_t len, cs_file_record_t *rec);

/* One passage's stored data. */
typedef struct cs_passage_record {
    uint32_t root;
    const char *path;
    size_t path_len;
    uint64_t start, end;
    uint32_t line, col;
    uint64_t file_size;
    int64_t file_mtime_ns;
    uint64_t file_hash;
    const char *text;    /* the source bytes [start, end) */
    size_t text_len;
} cs_passage_record_t;

void _cs_passage_record_encode(const cs_passage_record_t *rec, cs_buf_t *out);
int _cs_passage_record_decode(const char *data, size_t len,
                              cs_passage_record_t *rec);

/* The year a path names ("Session 79 - 2024/USA_79_2024.txt" -> 2024):
 * the last run of exactly four digits from 1000 to 2999, or 0. */
int _cs_path_year(const char *path, size_t len);

/* Read the recorded schema, language and roots of an opened database.
 * A database with no schema record and no documents is new (*is_new = 1).
 * Fails with CS_ERR_VERSION for another schema.  Strings are malloc'd. */
cs_status_t _cs_schema_read(xc_db_t *db, int *is_new, char **language,
                            char **roots, char **errmsg);

CS_END_DECLS

#endif /* CS_SCHEMA_H */

/* writer.h - writing files' passages and records into one Xapian database.
 *
 * A writer owns its database handle, analyzer and buffers, so that several
 * writers (one per thread, each on its own shard) can run at once. */
#ifndef CS_WRITER_H
#define CS_WRITER_H

#include <sys/stat.h>

#include "cs_private.h"
#include "fields.h"
#include "ingest.h"

CS_BEGIN_DECLS

typedef struct cs_writer {
    xc_db_t *db;
    cs_analyzer_t *analyzer;
    size_t batch_limit;      /* commit after this many bytes of new text */
    size_t batch_bytes, batch_files;
    cs_buf_t content;        /* the file being indexed */
    cs_buf_t scratch;        /* records */
    cs_buf_t segs;           /* a passage's segments (lib/cite.h) */
    cs_buf_t word_key;       /* a vocabulary entry's metadata key */
    cs_strset_t words;       /* "word stem" pairs whose vocabulary entry this run wrote */
    cs_buf_t terms;          /* the passage's "Z" + stem terms, NUL-ended */
    struct term_at *at;      /* one per word of the passage */
    size_t n_at, cap_at;
    uint32_t *term_slots;    /* the passage's distinct terms: 1 + index into at */
    size_t cap_slots;
    const char *user_fields; /* the run's user fields, one per line (not owned) */
    struct field_term *field_terms; /* the file's field terms, into field_bytes */
    size_t n_field_terms, cap_field_terms;
    cs_buf_t title_stems;    /* the stems of a title's words, NUL-ended */
    uint32_t title_words;
    struct field_term *heading_terms; /* the headings over a block, into heading_bytes */
    size_t n_heading_terms, cap_heading_terms;
    cs_buf_t heading_bytes;
    size_t heading_section;  /* the section path they are of (strs offset) */
    int heading_known;       /* 0: none computed for this file yet */
    struct field_value *values; /* the file's value slots, into field_bytes */
    size_t n_values, cap_values;
    cs_buf_t field_bytes;    /* the bytes of its field terms and values */
    cs_buf_t file_value;     /* its file slot's value (lib/store.h) */
    xc_error_t err;          /* the last Xapian error */
} cs_writer_t;

/* What the writer needs to know about a file it indexes. */
typedef struct cs_file_facts {
    const char *key;         /* CS_FILE_KEY_HEX hex digits */
    uint32_t root;
    const char *rel;         /* path relative to the root */
    const struct stat *st;
    uint64_t hash;           /* of the content */
    const cs_doc_fields_t *fields; /* its metadata field values (may be NULL) */
    uint64_t fields_hash;    /* of those known before reading it */
} cs_file_facts_t;

/* Takes ownership of @db and @analyzer; begins a transaction. */
cs_status_t _cs_writer_init(cs_writer_t *w, xc_db_t *db, cs_analyzer_t *analyzer,
                            size_t batch_limit);
/* Commits what is pending (when @commit) and frees everything. */
cs_status_t _cs_writer_finish(cs_writer_t *w, int commit);

/* Read @path into w->content.  Returns 0 with errno set on failure. */
int _cs_writer_read(cs_writer_t *w, const char *path, size_t size_hint);

/* Index @ex, extracted from w->content by the extractor @format, as the
 * passages of @f, replacing its old ones when @replace, and record the
 * file.  *passages gets the passage count. */
cs_status_t _cs_writer_index(cs_writer_t *w, const cs_file_facts_t *f, const cs_extract_t *ex,
                             const char *format, int replace, uint32_t *passages);
/* Record @f (for a file touched but unchanged) without reindexing it. */
cs_status_t _cs_writer_record(cs_writer_t *w, const cs_file_facts_t *f, uint32_t passages);
/* Remove the passages and the record of the file with @key. */
cs_status_t _cs_writer_remove(cs_writer_t *w, const char *key);
/* Record an index-wide fact (store.h). */
cs_status_t _cs_writer_set_fact(cs_writer_t *w, cs_fact_t fact, const char *value);

CS_END_DECLS

#endif /* CS_WRITER_H */

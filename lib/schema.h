/* schema.h - what cybersearch stores in a Xapian database (schema 8).
 *
 * One Xapian document per passage:
 *   terms     "Z" + stem of each word, with its positions: ranking, phrases
 *             and NEAR all search stems (schema 1 also stored the unstemmed
 *             words with the positions, as Xapian's TermGenerator does).
 *             A term's wdf is its BM25 impact, the term's whole share of
 *             the passage's score but for the idf (_cs_bm25_impact,
 *             searcher/rank.h), so a
 *             search needs no passage lengths: Xapian looks each one up in
 *             a list it decodes linearly, the larger part of a query's
 *             time before (schema 2 stored plain counts);
 *             An acronym's stem is its upper-case form ("ZUS" for "U.S.",
 *             apart from the pronoun's "Zus"; schema 3 had them together).
 *             "XF" + file key (its 64 bits as 11 digits of 64, lib/store.c;
 *             schema 6 spelt its 16 hex digits), a boolean term naming the
 *             passage's file, so a changed file's passages go in one call;
 *             one term per metadata field value (lib/fields.h: the prefixes
 *             below + the normalized value) whose wdf is the passage's
 *             word count, so that a term's collection frequency is the
 *             number of words the index holds for that value, summed by
 *             Xapian across combined and remote databases (--per-million;
 *             schema 5 added the fields);
 *             "XT" + stem of each word of the file's title, on each of its
 *             passages, whose wdf is the word's BM25 impact in the title
 *             (_cs_rank_title_impact: the title ranks as a field of its
 *             own; schema 5 stored them as boolean terms), and of each
 *             word of the headings over a passage (its section path, HTML
 *             h1-h6), with its impact in that path (since schema 8); a
 *             word in both, once, with the greater impact.
 *   values    CS_SLOT_FILE: the file key (its 64 bits in 8 bytes; at most
 *             N passages per file), then each facet value of the file: its
 *             field's facet number (CS_SLOT_FACET_*, and CS_SLOT_USER + n
 *             for the n-th user field) as one byte, the value as shown and
 *             a NUL, so that one
 *             ValueCountMatchSpy counts both passages and files per value
 *             exactly (lib/store.c; schema 6 gave each facet a slot of its
 *             own, numbered so, each value followed by another copy of
 *             the file key);
 *             CS_SLOT_YEAR: sortable year from the path, when it has one;
 *             CS_SLOT_SESSION: sortable session number; CS_SLOT_DATE: the
 *             date as the sortable number YYYYMMDD (00 for a month or day
 *             not known).
 *   data      a cs_passage_record_t: the citation (root, path, byte range,
 *             line, column; the file's size/mtime/hash when indexed are in
 *             its "file:" record alone since schema 8), its
 *             format's locator (schema 5: format, encoding, page or
 *             paragraph, page label, section path, anchor, and the segments;
 *             since schema 8 each only when not its default, lib/schema.c)
 *             that map its text back to the source: lib/cite.h) and the
 *             passage's text, for snippets.
 * Metadata (each shard of a sharded index holds its own: lib/store.c reads
 * them shard by shard): "cs:schema", "cs:language", "cs:roots" (absolute,
 * one per line), "cs:shards" (the shard count), "cs:shard" (the shard's place
 * among them, from 0), "cs:last-run", "cs:fields" (the user fields of the sidecars, one per
 * line, in the order of their slots), one "file:" + key record per indexed file, and the
 * vocabulary: "word:" + normalized word + " " + its stem (value "1") for
 * every word ever indexed, over which wildcards expand.  An entry outlives
 * the last passage holding its word; it then expands to a stem that
 * matches nothing, or matches through other words.
 */
#ifndef CS_SCHEMA_H
#define CS_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "cite.h"
#include "cybersearch.h"
#include "util.h"
#include "xapian_c.h"

CS_BEGIN_DECLS

/* 8: the headings' terms (7, on main for an hour) together with the file
 * key once and the compact passage record; an index of 7 holds the older
 * record, so it is refused and rebuilt like any other version. */
#define CS_SCHEMA_VERSION 8

#define CS_META_SCHEMA "cs:schema"
#define CS_META_LANGUAGE "cs:language"
#define CS_META_ROOTS "cs:roots"
#define CS_META_LAST_RUN "cs:last-run"
#define CS_META_FIELDS "cs:fields"
#define CS_META_SHARDS "cs:shards"
#define CS_META_SHARD "cs:shard"
#define CS_META_FILE_PREFIX "file:"
#define CS_META_WORD_PREFIX "word:"

/* Beside an index INDEX, a full build works in INDEX + CS_BUILD_DIR_SUFFIX
 * (indexer/bulk.c). */
#define CS_BUILD_DIR_SUFFIX ".build"
/* An index has 1 to CS_MAX_SHARDS shards (cybersearch index --shards). */
#define CS_MAX_SHARDS 16

#define CS_PREFIX_STEM "Z"
#define CS_PREFIX_FILE "XF"
#define CS_PREFIX_YEAR "XY"
#define CS_PREFIX_SESSION "XS"
#define CS_PREFIX_COUNTRY "XC"
#define CS_PREFIX_LANG "XL"
#define CS_PREFIX_FORMAT "XE"
#define CS_PREFIX_TITLE "XT"     /* + stem of each word of the title */
#define CS_PREFIX_USER "XU"      /* + field name + ":" + normalized value */

enum {
    CS_SLOT_FILE = 0, CS_SLOT_YEAR = 1, CS_SLOT_SESSION = 2, CS_SLOT_DATE = 3,
    /* facet numbers: where in the file slot (schema 6: slots of their own) */
    CS_SLOT_FACET_YEAR = 10, CS_SLOT_FACET_COUNTRY, CS_SLOT_FACET_SESSION,
    CS_SLOT_FACET_LANG, CS_SLOT_FACET_FORMAT,
    CS_SLOT_USER = 100           /* + the user field's place in "cs:fields" */
};
#define CS_MAX_USER_FIELDS 64

#define CS_FILE_KEY_HEX 16  /* a file key is 16 lower-case hex digits */

/* The impacts stored as wdf, their BM25 parameters and _cs_bm25_impact()
 * belong to the ranking: searcher/rank.h. */

/* The key of file @rel under @root: FNV-1a of both, as 16 hex digits. */
void _cs_file_key(const char *root, const char *rel, char out[CS_FILE_KEY_HEX + 1]);
/* The same key as the number those digits spell, of the @rel_len bytes at
 * @rel (no terminator needed). */
uint64_t _cs_file_key_number(const char *root, const char *rel, size_t rel_len);
/* The digits of the key @number (_cs_file_key's, from the number). */
void _cs_file_key_format(uint64_t number, char out[CS_FILE_KEY_HEX + 1]);
/* The inverse of _cs_file_key: the number the CS_FILE_KEY_HEX digits at
 * @hex spell, into *@out (no terminator needed, and none is read past: it
 * is no digit); 0 when one of them is no lower-case hex digit. */
int _cs_file_key_parse(const char *hex, uint64_t *out);

/* What the index remembers about one source file. */
typedef struct cs_file_record {
    uint32_t root;       /* index into the recorded roots */
    uint64_t size;
    int64_t mtime_ns;
    uint64_t hash;       /* _cs_hash64 of the content */
    uint32_t passages;
    uint64_t fields_hash; /* of the metadata fields known before reading it
                             (path, sidecar): a change reindexes the file */
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
    /* the file's size, mtime and hash when indexed are its file record's
     * (schema 8; schema 6 repeated them in every passage's) */
    /* schema 5: where the text came from (lib/cite.h) */
    const char *format;  /* the extractor's name: "text", "html", "pdf", ... */
    size_t format_len;
    uint32_t encoding;   /* text files: CS_ENC_* of the source */
    const char *unit_kind; /* "page", "paragraph" or "" */
    size_t unit_kind_len;
    uint32_t unit;       /* 1-based page or paragraph number; 0 none */
    const char *label;   /* the printed page label, or "" */
    size_t label_len;
    const char *section; /* heading path, or "" */
    size_t section_len;
    const char *anchor;  /* nearest id anchor (HTML), or "" */
    size_t anchor_len;
    const char *segs;    /* encoded segments (_cs_segs_encode), or "" */
    size_t segs_len;
    const char *text;    /* the passage's text: for a UTF-8 text file the
                            source bytes [start, end) */
    size_t text_len;
} cs_passage_record_t;

void _cs_passage_record_encode(const cs_passage_record_t *rec, cs_buf_t *out);
int _cs_passage_record_decode(const char *data, size_t len,
                              cs_passage_record_t *rec);

/* A map citing into @rec's text (free it with _cs_cite_map_free).
 * Returns 0 when out of memory or the segments are malformed. */
int _cs_passage_cite_map(const cs_passage_record_t *rec, cs_cite_map_t *map);

CS_END_DECLS

#endif /* CS_SCHEMA_H */

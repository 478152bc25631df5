/* xapian_c.h - a thin C interface to Xapian 1.4.
 *
 * xapian_c.cc is the only C++ in cybersearch and the only file that includes
 * <xapian.h>.  Every entry point catches every exception and turns it into a
 * cs_status_t plus a message in the caller's xc_error_t; no C++ type or
 * exception crosses into C.
 *
 * Ownership: every xc_*_new / xc_*_open / xc_*_get call that hands out a
 * handle gives it to the caller, who frees it with the matching
 * xc_*_free().  Free functions accept NULL.  Strings returned through
 * `char **` are malloc'd and freed by the caller with free().
 * Queries are values: combining queries copies them, so the caller still
 * frees the parts.
 */
#ifndef CS_XAPIAN_C_H
#define CS_XAPIAN_C_H

#include <stddef.h>
#include <stdint.h>

#include "cybersearch.h"

CS_BEGIN_DECLS

/** Error detail filled by any failing call (status is also returned). */
typedef struct xc_error {
    cs_status_t status;
    char message[512];
} xc_error_t;

typedef struct xc_db xc_db_t;           /* read-only or writable database */
typedef struct xc_doc xc_doc_t;         /* a document being built or read */
typedef struct xc_query xc_query_t;     /* an immutable query tree */
typedef struct xc_enquire xc_enquire_t; /* a search session on a database */
typedef struct xc_mset xc_mset_t;       /* one page of ranked results */
typedef struct xc_keys xc_keys_t;       /* an iterator over terms or metadata keys */

/* ---- databases ---------------------------------------------------- */

typedef enum xc_open_mode {
    XC_OPEN_READ = 0,        /* read-only; fails if absent */
    XC_OPEN_CREATE_OR_OPEN,  /* writable; creates if absent */
    XC_OPEN_CREATE_OR_OVERWRITE, /* writable; replaces any existing database */
    XC_OPEN_WRITE,           /* writable; fails if absent */
    XC_OPEN_SCRATCH          /* writable, replaces any existing database, and
                                never fsyncs: for scratch databases that
                                xc_db_install compacts into the index */
} xc_open_mode_t;

/* Open the database at @path.  A path of the form "tcp://HOST:PORT" opens a
 * remote database served by xapian-tcpsrv (read-only, or writable with
 * `xapian-tcpsrv --writable`).  A stub database (a file, or a folder
 * holding a XAPIANDB file and no database of its own) names one database a
 * line in Xapian 1.4's format: "auto PATH" or "glass PATH" (relative to
 * the stub's folder), "remote HOST:PORT"; they are searched as one, with
 * combined statistics, and each is also a shard (xc_db_shard). */
cs_status_t xc_db_open(const char *path, xc_open_mode_t mode, xc_db_t **out,
                       xc_error_t *err);
void xc_db_free(xc_db_t *db);

/* Make the databases at @sources (n_sources of them) the new content of the
 * index at @index, as @n_shards shards: source i goes into shard
 * @shard_of[i] (a shard with no source is empty).  The shards are compacted
 * into a new version folder in @index (a metadata key present in several
 * sources of a shard keeps the first source's value), then @index's stub
 * file is switched to them with one rename(2): a reader that opened before
 * keeps reading what it opened, one opening after reads the new version,
 * and a run killed before the rename leaves the index as it was.  The
 * version before the one replaced is removed, and so is a plain database
 * at @index (the layout before stubs).  A remote @index is refused
 * (CS_ERR_INVALID). */
cs_status_t xc_db_install(const char *index, const char *const *sources,
                          const size_t *shard_of, size_t n_sources, size_t n_shards,
                          xc_error_t *err);

/* The databases @db searches as one: 1 for a single database, else the
 * stub's lines in order.  xc_db_shard() returns shard @i, owned by @db and
 * valid until it is freed or reopened (@db itself for a single database
 * or a stub naming one; NULL past the end): xc_db_free() of a shard does
 * nothing.  A shard of a writable stub is writable.  What Xapian reads
 * from a combined database's first shard only (metadata) must be read
 * shard by shard.  xc_db_name() is the location, for messages. */
size_t xc_db_shard_count(const xc_db_t *db);
xc_db_t *xc_db_shard(xc_db_t *db, size_t i);
const char *xc_db_name(const xc_db_t *db);
/* Whether anything was written through @db (or its shards) since it was
 * opened. */
int xc_db_modified(const xc_db_t *db);

/* Bring a reader up to the latest committed revision (a local reader whose
 * stub was switched by xc_db_install opens the new version). */
cs_status_t xc_db_reopen(xc_db_t *db, xc_error_t *err);
/* Flush pending changes to disk as one revision. */
cs_status_t xc_db_commit(xc_db_t *db, xc_error_t *err);
/* Group changes so that all or none become visible (flushed = commit at end). */
cs_status_t xc_db_begin_transaction(xc_db_t *db, xc_error_t *err);
cs_status_t xc_db_commit_transaction(xc_db_t *db, xc_error_t *err);
cs_status_t xc_db_cancel_transaction(xc_db_t *db, xc_error_t *err);

cs_status_t xc_db_doccount(xc_db_t *db, uint64_t *out, xc_error_t *err);
cs_status_t xc_db_termfreq(xc_db_t *db, const char *term, uint64_t *out,
                           xc_error_t *err);
/* The sum of @term's wdf over every document (its collection frequency). */
cs_status_t xc_db_collection_freq(xc_db_t *db, const char *term, uint64_t *out,
                                  xc_error_t *err);
/* Sum of document lengths / doccount. */
cs_status_t xc_db_avlength(xc_db_t *db, double *out, xc_error_t *err);

/* Add @doc; its new id goes to *docid. */
cs_status_t xc_db_add_document(xc_db_t *db, const xc_doc_t *doc,
                               uint32_t *docid, xc_error_t *err);
/* Delete every document indexed by @term. */
cs_status_t xc_db_delete_documents_by_term(xc_db_t *db, const char *term,
                                           xc_error_t *err);
/* Read document @docid (data and values); the caller frees it. */
cs_status_t xc_db_get_document(xc_db_t *db, uint32_t docid, xc_doc_t **out,
                               xc_error_t *err);

/* User metadata: *value is malloc'd (empty string when the key is absent). */
cs_status_t xc_db_get_metadata(xc_db_t *db, const char *key, char **value,
                               size_t *len, xc_error_t *err);
cs_status_t xc_db_set_metadata(xc_db_t *db, const char *key, const char *value,
                               size_t len, xc_error_t *err);

/* Iterate metadata keys / terms starting with @prefix (may be ""). */
cs_status_t xc_db_metadata_keys(xc_db_t *db, const char *prefix,
                                xc_keys_t **out, xc_error_t *err);
cs_status_t xc_db_allterms(xc_db_t *db, const char *prefix, xc_keys_t **out,
                           xc_error_t *err);
/* Next key, or NULL at the end.  The string is owned by the iterator and
 * valid until the next call; *len gets its length. */
const char *xc_keys_next(xc_keys_t *keys, size_t *len);
/* Added by the wrapper: after xc_keys_next() returned NULL, CS_OK means the
 * end was reached; anything else (e.g. CS_ERR_MODIFIED) means iteration
 * failed, with the detail in @err.  Like notmuch_messages_status(). */
cs_status_t xc_keys_status(const xc_keys_t *keys, xc_error_t *err);
void xc_keys_free(xc_keys_t *keys);

/* ---- documents ----------------------------------------------------- */

cs_status_t xc_doc_new(xc_doc_t **out, xc_error_t *err);
void xc_doc_free(xc_doc_t *doc);
/* Add @term at word position @pos, wdf += @wdf_inc (the indexer gives a
 * term its whole wdf with its first position and 0 with the others). */
cs_status_t xc_doc_add_posting(xc_doc_t *doc, const char *term, size_t len,
                               uint32_t pos, uint32_t wdf_inc, xc_error_t *err);
/* Add @term without a position, wdf += @wdf_inc. */
cs_status_t xc_doc_add_term(xc_doc_t *doc, const char *term, size_t len,
                            uint32_t wdf_inc, xc_error_t *err);
/* Add a filter term that does not count towards the document length. */
cs_status_t xc_doc_add_boolean_term(xc_doc_t *doc, const char *term,
                                    size_t len, xc_error_t *err);
cs_status_t xc_doc_set_data(xc_doc_t *doc, const void *data, size_t len,
                            xc_error_t *err);
cs_status_t xc_doc_set_value(xc_doc_t *doc, unsigned slot, const void *value,
                             size_t len, xc_error_t *err);
/* Document data; pointer owned by @doc, valid until it is freed. */
const char *xc_doc_data(const xc_doc_t *doc, size_t *len);
/* Value in @slot ("" if unset); pointer owned by @doc. */
const char *xc_doc_value(const xc_doc_t *doc, unsigned slot, size_t *len);

/* Xapian's sortable encoding of a double, for numeric value ranges.
 * Writes at most 18 bytes to @buf and returns the length. */
size_t xc_sortable_serialise(double value, char buf[18]);

/* ---- queries ------------------------------------------------------- */

typedef enum xc_op {
    XC_OP_AND,
    XC_OP_OR,
    XC_OP_AND_NOT,
    XC_OP_AND_MAYBE,
    XC_OP_FILTER,
    XC_OP_PHRASE,  /* positional: in order, within window (0 = adjacent) */
    XC_OP_NEAR,    /* positional: any order, within window */
    XC_OP_SYNONYM,
    XC_OP_ELITE_SET
} xc_op_t;

/* A single term; @wqf is its within-query frequency (usually 1). */
cs_status_t xc_query_term(const char *term, size_t len, uint32_t wqf,
                          xc_query_t **out, xc_error_t *err);
/* A term that weighs nothing in queries of @db: a filter, or what NOT
 * excludes.  Xapian 1.4 reads a term that every document of a shard holds
 * through that shard's every-document list, whose later chunks it then
 * looks up under the term's name, which fails ("Unexpected end of posting
 * list") once an update has deleted documents there.  So where every
 * document of every shard holds it, this is the match-everything query,
 * the same matches; where every document of some shard with deleted
 * documents holds it, but not of every shard, it is the match-everything
 * query filtered by the term, which Xapian reads without that failure.
 * @most, when not 0, is a bound the caller knows on the documents that
 * hold it: a shard with more documents then settles it without asking the
 * index.  Not for a word of a phrase or NEAR: those forms have no
 * positions, and a term whose positions are read never fails this way. */
cs_status_t xc_query_filter_term(xc_db_t *db, const char *term, size_t len,
                                 uint64_t most, xc_query_t **out, xc_error_t *err);
/* Combine @n subqueries with @op.  @window is used by PHRASE and NEAR. */
cs_status_t xc_query_combine(xc_op_t op, xc_query_t *const *subs, size_t n,
                             uint32_t window, xc_query_t **out,
                             xc_error_t *err);
/* Documents whose value in @slot lies in [lo, hi] (bytewise). */
cs_status_t xc_query_value_range(unsigned slot, const char *lo, size_t lo_len,
                                 const char *hi, size_t hi_len,
                                 xc_query_t **out, xc_error_t *err);
/* @q with its weights multiplied by @factor (0 makes it a pure filter). */
cs_status_t xc_query_scale(const xc_query_t *q, double factor,
                           xc_query_t **out, xc_error_t *err);
/* The match-everything query (for pure NOT / filter queries). */
cs_status_t xc_query_match_all(xc_query_t **out, xc_error_t *err);
int xc_query_empty(const xc_query_t *q);
/* Xapian's description of @q, malloc'd. */
char *xc_query_describe(const xc_query_t *q);
void xc_query_free(xc_query_t *q);

/* ---- searching ----------------------------------------------------- */

cs_status_t xc_enquire_new(xc_db_t *db, xc_enquire_t **out, xc_error_t *err);
void xc_enquire_free(xc_enquire_t *enq);
cs_status_t xc_enquire_set_query(xc_enquire_t *enq, const xc_query_t *q,
                                 xc_error_t *err);
cs_status_t xc_enquire_set_bm25(xc_enquire_t *enq, double k1, double k2,
                                double k3, double b, double min_normlen,
                                xc_error_t *err);
/* At most @max documents per distinct value of @slot (0 disables). */
cs_status_t xc_enquire_set_collapse_key(xc_enquire_t *enq, unsigned slot,
                                        uint32_t max, xc_error_t *err);
/* Order documents of equal weight by the value in @slot, ascending, and
 * only those with equal values by document id. */
cs_status_t xc_enquire_set_tie_value(xc_enquire_t *enq, unsigned slot, xc_error_t *err);
/* Ranks [first, first + max).  @check_at_least raises the estimate's
 * accuracy.  A reader that falls behind a writer is reopened and the search
 * retried once before CS_ERR_MODIFIED is returned; CS_ERR_MODIFIED also when
 * @enq's query no longer fits the latest revision (build it again). */
cs_status_t xc_enquire_get_mset(xc_enquire_t *enq, uint32_t first,
                                uint32_t max, uint32_t check_at_least,
                                xc_mset_t **out, xc_error_t *err);

/* One term of an expansion set. */
typedef struct xc_expand_term {
    char *term;      /* malloc'd, with its prefix */
    double weight;   /* the expansion scheme's weight, larger = better */
} xc_expand_term_t;

/* Pseudo-relevance feedback, Xapian's Enquire::get_eset: the at most @max
 * terms starting with @prefix that best tell the @n documents @docids (the
 * relevance set) from the rest of the database, by the expansion scheme
 * @scheme ("trad", Robertson's selection value, or "bo1", divergence from
 * randomness; NULL: "trad").  Terms of the enquire's query are left out.
 * *out gets a malloc'd array of *n_out terms, best first; free it with
 * xc_expand_terms_free(). */
cs_status_t xc_enquire_expand(xc_enquire_t *enq, const uint32_t *docids, size_t n,
                              const char *prefix, size_t max, const char *scheme,
                              xc_expand_term_t **out, size_t *n_out, xc_error_t *err);
void xc_expand_terms_free(xc_expand_term_t *terms, size_t n);

/* Explain a document's weight: give @fn each scoring part of @q (the
 * operands of OR, AND and AND_MAYBE, and the left side of FILTER and
 * AND_NOT, taken apart down to terms, phrases, synonyms and scaled
 * subqueries) with Xapian's description of it and its weight in document
 * @docid as @enq weighs; the parts of an OR or AND add up to its weight.
 * @filter, a term @docid holds, narrows each part's match to a few
 * documents.  @enq's query is replaced.  A non-zero return of @fn stops. */
typedef int (*xc_part_fn)(void *ctx, const char *description, double weight);
cs_status_t xc_enquire_explain(xc_enquire_t *enq, const xc_query_t *q, const char *filter,
                               uint32_t docid, xc_part_fn fn, void *ctx, xc_error_t *err);

/* Count the values of @n slots over every document that @q matches (not a
 * page: the whole match set), with a match spy per slot: Xapian's
 * ValueCountMatchSpy where a database is remote, else one that counts a
 * run of equal values at once; both work on combined databases.  @fn gets each slot's
 * values in ascending byte order, with the number of matching documents
 * holding it; a non-zero return stops.  *matched gets the number of
 * matching documents (may be NULL).  A reader behind a writer is handled as
 * in xc_enquire_get_mset. */
typedef int (*xc_value_count_fn)(void *ctx, size_t slot_index, const char *value, size_t len,
                                 uint64_t count);
cs_status_t xc_count_values(xc_db_t *db, const xc_query_t *q, const unsigned *slots, size_t n,
                            xc_value_count_fn fn, void *ctx, uint64_t *matched,
                            xc_error_t *err);

/* The value of @slot in each of the @n documents @docids, given to @fn
 * with the document's place in @docids (an empty value when it has none),
 * in ascending document order.  Read from Xapian's value streams, which
 * keep a slot's values together: a thousand documents' values cost far
 * less than their data or their documents read one by one.  A non-zero
 * return of @fn stops. */
typedef int (*xc_value_fn)(void *ctx, size_t i, const char *value, size_t len);
cs_status_t xc_db_values(xc_db_t *db, unsigned slot, const uint32_t *docids, size_t n,
                         xc_value_fn fn, void *ctx, xc_error_t *err);

size_t xc_mset_size(const xc_mset_t *mset);
uint64_t xc_mset_estimate(const xc_mset_t *mset);
/* Bounds and estimate of the matching documents: @collapsed 0 counts every
 * document, 1 counts one per collapse key (the same as 0 when no collapse
 * key was set).  Exact when *lower == *upper. */
void xc_mset_counts(const xc_mset_t *mset, int collapsed, uint64_t *lower,
                    uint64_t *estimate, uint64_t *upper);
/* How many documents hold @term: for a term of the query, from the match's
 * own statistics, without another lookup.  0 on error. */
uint64_t xc_mset_termfreq(const xc_mset_t *mset, const char *term);
uint32_t xc_mset_docid(const xc_mset_t *mset, size_t i);
double xc_mset_weight(const xc_mset_t *mset, size_t i);
/* Document @i's data, malloc'd and NUL-terminated (the caller frees it);
 * @len (may be NULL) gets its length.  Only the data is read: a document's
 * values cost a B-tree lookup each, and a hit needs none of them. */
cs_status_t xc_mset_data(const xc_mset_t *mset, size_t i, char **out, size_t *len,
                         xc_error_t *err);
/* Terms of the query that document @i matches, space-separated, malloc'd. */
cs_status_t xc_mset_matching_terms(xc_enquire_t *enq, const xc_mset_t *mset,
                                   size_t i, char **out, xc_error_t *err);
void xc_mset_free(xc_mset_t *mset);

CS_END_DECLS

#endif /* CS_XAPIAN_C_H */

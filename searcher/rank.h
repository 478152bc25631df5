/* rank.h - the hit score, owned in one place.
 *
 * A hit's score is built in stages, each with its constants here:
 *  1. BM25 of the passage, computed by Xapian from impacts the writer baked
 *     into each term's wdf (_cs_bm25_impact, lib/schema.h: k1, b, pivot);
 *  2. optionally, pseudo-relevance feedback: the query grows by the terms
 *     Xapian's expansion set picks from the best first-round passages;
 *  3. the proximity rerank of the top CS_RANK_POOL candidates;
 *  4. the per-file cap (cs_search_options_t.per_file) in the collection.
 */
#ifndef CS_RANK_H
#define CS_RANK_H

#include "search_private.h"

CS_BEGIN_DECLS

/* The rerank pool: the top candidates by BM25 (after the per-file cap)
 * re-scored by proximity; the rest follow in BM25 order.  Fixed by the
 * query, never by the page, so the hit at rank r is the same whatever
 * --offset and --limit cut the list. */
#define CS_RANK_POOL 30

/* A word the analyzer splits ("x-ray") searches the joined phrase and,
 * weighing this share, its parts anywhere: the phrase wins, passages that
 * write the parts apart are found too (0.3 cost med 0.005 nDCG@10). */
#define CS_RANK_SPLIT_PARTS_WEIGHT 0.1

/* Set @enq to weigh by the stored impacts: Xapian's BM25 with b = 0 and a
 * huge k1 reduces to idf times wdf, and never asks for a passage length. */
cs_status_t _cs_rank_weighting(xc_enquire_t *enq, xc_error_t *err);

/* Candidate @i's BM25 score (impacts are stored scaled). */
double _cs_rank_bm25(const xc_mset_t *mset, size_t i);

/* How closely @prox's words stand together in @text, 0..1: for each pair
 * of consecutive query words, 1 side by side in order, 0.5 within a few
 * words; averaged over the pairs.  Returns 0 when out of memory. */
int _cs_rank_proximity(cs_analyzer_t *analyzer, const cs_proximity_t *prox, const char *text,
                       size_t len, double *out);

/* The score of a candidate in the pool from its BM25 (with the file's
 * evidence) and its proximity. */
double _cs_rank_boosted(double bm25, double proximity);

/* ---- document evidence -------------------------------------------------
 * With cs_search_options_t.file_evidence a file is judged by more than its
 * best passage: each of its passages
 * among the top CS_RANK_EVIDENCE_DEPTH by BM25 (ties included) gains a
 * share of the best other passage of the file there.  A passage below the
 * depth gains nothing, so it never overtakes one above it, and the order
 * is the same whatever page is asked for.  Reading that many candidates
 * costs: it is an option (eval/RESULTS.md has the figures). */
#define CS_RANK_EVIDENCE_DEPTH 1000

typedef struct cs_file_evidence {
    double top[2];   /* the file's two best BM25 scores within the depth */
} cs_file_evidence_t;

/* Count a passage of BM25 @bm25 in its file's @e. */
void _cs_rank_evidence_add(cs_file_evidence_t *e, double bm25);
/* What a passage of BM25 @bm25 gains from the others of its file. */
double _cs_rank_evidence(const cs_file_evidence_t *e, double bm25);

/* ---- pseudo-relevance feedback ---------------------------------------- */

typedef struct cs_expansion {
    xc_query_t *query;         /* the query to rank by, or NULL: the built one */
    xc_expand_term_t *terms;   /* the added terms (with their prefix) */
    double *weights;           /* the factor each was added with */
    size_t count;
} cs_expansion_t;

/* Expand @built->query into out->query: the top passages it finds are the
 * relevance set of Xapian's expansion set, whose best terms join the query,
 * each weighed by its share of the best one's expansion weight times a
 * fixed factor.  With @any they are alternatives (a passage may match
 * through them alone); otherwise they only rank what the query matches.
 * The added terms go to @out (free with _cs_expansion_free) and to
 * built->description.  Nothing is added when the query finds nothing. */
cs_status_t _cs_rank_expand(cs_index_t *index, cs_built_query_t *built, int any,
                            cs_expansion_t *out);
void _cs_expansion_free(cs_expansion_t *e);


/* ---- explanation --------------------------------------------------------- */

/* Set hit->explanation to the parts of its score under @query (the one it
 * was ranked by): each scoring part's BM25, the evidence and the boost,
 * adding up to hit->score. */
cs_status_t _cs_rank_explain(cs_index_t *index, const xc_query_t *query, cs_hit_t *hit);

CS_END_DECLS

#endif /* CS_RANK_H */

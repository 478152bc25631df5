/* rank.h - the hit score, owned in one place.
 *
 * A hit's score is built in stages, each with its constants here:
 *  1. BM25 of the passage, body and title (a field weighing
 *     CS_RANK_TITLE_WEIGHT), computed by Xapian from impacts the writer
 *     baked into each term's wdf (_cs_bm25_impact below: k1, b, pivot; a
 *     change to them changes the index, and bumps CS_SCHEMA_VERSION);
 *  2. optionally, pseudo-relevance feedback: the query grows by the terms
 *     Xapian's expansion set picks from the best first-round passages;
 *  3. the per-file cap (cs_search_options_t.per_file) on the candidates;
 *  4. optionally, document evidence: a share of the best other passage of
 *     the file (cs_search_options_t.file_evidence);
 *  5. the proximity rerank of the top CS_RANK_POOL candidates.
 */
#ifndef CS_RANK_H
#define CS_RANK_H

#include "search_private.h"

CS_BEGIN_DECLS

/* ---- baked in at write time ----------------------------------------------- */

/* BM25 as the impacts bake it in: Robertson's k1 = 1.2 and b = 0.75 (also
 * Lucene's and SQLite FTS5's) beat Xapian's defaults (k1 1.0, b 0.5, a
 * length floor of 0.5) on every collection of eval/ (eval/RESULTS.md).  A
 * short passage (a title line) still gains at most (k1 + 1) / (k1 (1 - b)
 * + 1), 1.7 times, over one of average length with the same matches. */
#define CS_BM25_K1 1.2
#define CS_BM25_B 0.75
/* BM25's average passage length is a fixed pivot, not the corpus's mean:
 * passages are paragraphs (cut at CS_PASSAGE_MAX_WORDS), alike in length
 * across corpora, and a fixed pivot keeps every stored impact valid as the
 * corpus grows, so an incremental run never rescores old passages and its
 * index equals a rebuild's.  Measured on eval/ against each collection's
 * true mean (cisi 62, med 140 words): nDCG@10 / MAP .3853 / .2177 and
 * .7116 / .5394 with 64, .3847 / .2177 and .7110 / .5355 with the means;
 * 80 and 100 do a little worse. */
#define CS_BM25_PIVOT 64.0
/* Impacts are stored as integers: the weight times this. */
#define CS_IMPACT_SCALE 1000.0

/* The BM25 term-frequency factor of a word found @tf times in a passage of
 * @dl words, times CS_IMPACT_SCALE (at least 1). */
uint32_t _cs_bm25_impact(uint32_t tf, uint32_t dl);

/* The title is a field of its own (BM25F-style): each passage of a file
 * stores the title's words with the impact of each in the title, as if
 * the title were a passage (_cs_rank_title_impact), and a ranked word
 * also searches them, weighing CS_RANK_TITLE_WEIGHT of a body match.  The
 * headings over a passage (its section path: HTML h1-h6) join its title
 * field, each word with its impact in the path.  The field only ranks
 * what the body matches: a passage is never found through its title or
 * headings alone (title:WORD filters by them). */
#define CS_RANK_TITLE_WEIGHT 0.5

/* The impact of a word found @tf times in a title of @words words. */
uint32_t _cs_rank_title_impact(uint32_t tf, uint32_t words);

/* The rerank pool: the top candidates by BM25 plus evidence (after the
 * per-file cap) re-scored by proximity; the rest follow in that order.
 * Fixed by the query, never by the page, so the hit at rank r is the same
 * whatever --offset and --limit cut the list. */
#define CS_RANK_POOL 30

/* At most this many passages of one file by default
 * (cs_search_options_t.per_file), so that one long file does not fill a
 * page; --format trec ranks files, one passage each. */
#define CS_RANK_PER_FILE 3

/* A word the analyzer splits ("x-ray") searches the joined phrase and,
 * weighing this share, its parts anywhere: the phrase wins, passages that
 * write the parts apart are found too (0.3 cost med 0.005 nDCG@10). */
#define CS_RANK_SPLIT_PARTS_WEIGHT 0.1

/* Set @enq to weigh by the stored impacts: Xapian's BM25 with b = 0 and a
 * huge k1 reduces to idf times wdf, and never asks for a passage length. */
cs_status_t _cs_rank_weighting(xc_enquire_t *enq, xc_error_t *err);

/* Inside a phrase or NEAR a word's forms ("unit", "UNITED") are an OR,
 * which would weigh each by its own rarity; scaled by this, form @i (of
 * @n, in @freqs passages of @docs) weighs as their SYNONYM does for a lone
 * word: by the idf of the passages holding any form (Xapian's BM25 idf,
 * assuming the forms independent), since the weight is idf times wdf. */
double _cs_rank_form_scale(const uint64_t *freqs, size_t n, size_t i, uint64_t docs);

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
 * among the top CS_RANK_EVIDENCE_DEPTH by BM25 (ties included, or, when
 * ten or more past the depth tie with it, only the passages above the
 * tie) gains a share of the best other passage of the file there.  A
 * passage below the depth gains nothing, so it never overtakes one above
 * it, and the order is the same whatever page is asked for.  Ranking that many candidates
 * costs, though only their file keys are read (a value slot), not their
 * records: it is an option (eval/RESULTS.md has the figures). */
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

/* Expand @query (built->query, or built->relaxed when that found nothing)
 * into out->query: the top passages it finds are the
 * relevance set of Xapian's expansion set, whose best terms join the query,
 * each weighed by its share of the best one's expansion weight times a
 * fixed factor.  With @any they are alternatives (a passage may match
 * through them alone); otherwise they only rank what the query matches.
 * The added terms go to @out (free with _cs_expansion_free) and to
 * built->description.  Nothing is added when the query finds nothing. */
cs_status_t _cs_rank_expand(cs_index_t *index, cs_built_query_t *built,
                            const xc_query_t *query, int any, cs_expansion_t *out);
void _cs_expansion_free(cs_expansion_t *e);


/* ---- explanation --------------------------------------------------------- */

/* Set hit->explanation to the parts of its score under @query (the one it
 * was ranked by): each scoring part's BM25, the evidence and the boost,
 * adding up to hit->score.  hit->root and hit->path must be set. */
cs_status_t _cs_rank_explain(cs_index_t *index, const xc_query_t *query, cs_hit_t *hit);

CS_END_DECLS

#endif /* CS_RANK_H */

/* results.h - the result objects handed to callers (see cybersearch.h). */
#ifndef CS_RESULTS_H
#define CS_RESULTS_H

#include "search_private.h"

CS_BEGIN_DECLS

struct cs_hit {
    size_t rank;
    double score;           /* shown: (BM25 + evidence), times the boost in the pool */
    double bm25;            /* the passage's own BM25 */
    double evidence;        /* from the file's other passages (rank.h) */
    double proximity;       /* 0..1, in the rerank pool */
    int boosted;            /* was in the rerank pool */
    uint32_t docid;         /* while searching: the passage's document */
    char *explanation;      /* the score's parts (explain), malloc'd or NULL */
    char *path;             /* relative to root, malloc'd */
    const char *root;       /* points into the results' roots copy */
    cs_span_t passage;
    int stale;
    int stale_unknown;     /* the source is not reachable here */
    cs_snippet_t snippet;
    char *missing;          /* malloc'd, "" when none */
    /* the locator in the document's own units (all malloc'd, "" for none) */
    char *format, *unit_kind, *page_label, *section, *anchor;
    uint32_t unit;
    int encoding;
    uint64_t file;          /* while searching: its file's key, as a number */
    size_t candidate;       /* while searching: its place in the match set */
    char *data;             /* while searching: the passage's document data */
    cs_passage_record_t rec;/* while searching: decoded from data */
};

struct cs_facet {
    char *field;            /* malloc'd */
    cs_facet_bucket_t *buckets; /* values malloc'd, but the "other" bucket's */
    size_t count, cap;
    uint64_t passages, files;  /* with a value of the field */
};

struct cs_results {
    cs_hit_t *hits;
    size_t count;
    cs_count_t passages;    /* matching passages */
    cs_count_t files;       /* files holding them */
    int relaxed;
    char *description;      /* malloc'd */
    char *root_copy;        /* the index's roots, so hits outlive the index */
    char **root_list;
    size_t n_roots;
    xc_mset_t *weights;     /* while searching: the match's term statistics */
    cs_facet_t *facets;     /* one per requested facet */
    size_t n_facets;
    uint64_t facet_passages; /* matching passages, counted exactly by the facets */
};

/* ---- Interface to code in searcher/facets.c ---------------------------- */

/* Count options->facets over every passage @query matches into r->facets. */
cs_status_t _cs_facets_collect(cs_index_t *index, const xc_query_t *query,
                               const cs_search_options_t *options, cs_results_t *r);
/* Counts only: the facets' pass gives r->passages exactly and r->files
 * within bounds (exact when a facet's field is on every match). */
void _cs_facets_counts(cs_results_t *r);
void _cs_facets_free(cs_results_t *r);

/* Copy @rec's locator (format, page or paragraph, label, section, anchor)
 * into @hit; 0 when out of memory. */
int _cs_hit_set_locator(cs_hit_t *hit, const cs_passage_record_t *rec);

/* Free what @hit owns (not the hit itself). */
void _cs_hit_free(cs_hit_t *hit);

CS_END_DECLS

#endif /* CS_RESULTS_H */

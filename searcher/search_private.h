/* search_private.h - interfaces between the searcher's files. */
#ifndef CS_SEARCH_PRIVATE_H
#define CS_SEARCH_PRIVATE_H

#include "cs_private.h"
#include "query_parse.h"

CS_BEGIN_DECLS

/* ---- Interface to code in searcher/highlight.c --------------------------
 * What a snippet highlights: the stems a query looks for (of its words,
 * phrases, NEAR operands and wildcard expansions), each with the query word
 * it came from. */
typedef struct cs_match {
    char *text;        /* the stem, malloc'd */
    char *word;        /* the query word as typed, for "missing" lists */
    double weight;     /* rarer words weigh more (idf) */
    int ranking;       /* a required bag-of-words word (for relaxed results) */
} cs_match_t;

typedef struct cs_matchset {
    cs_match_t *items;
    size_t count, cap;
} cs_matchset_t;

void _cs_matchset_free(cs_matchset_t *set);
/* Add a match (copies the strings); returns 0 when out of memory.  A
 * duplicate of an existing match is not added again. */
int _cs_matchset_add(cs_matchset_t *set, const char *text,
                     size_t len, const char *word, int ranking);
/* Like _cs_matchset_add(), but returns the match's index (an existing
 * one for a duplicate), or -1 when out of memory. */
int _cs_matchset_put(cs_matchset_t *set, const char *text, size_t len, const char *word,
                     int ranking);
/* Index of the first match for a token, or -1. */
int _cs_matchset_lookup(const cs_matchset_t *set, const cs_token_t *token);
/* Weigh each match by its stem's idf among @docs passages, with the term
 * frequencies the match @mset gathered. */
void _cs_matchset_weigh(cs_matchset_t *set, const xc_mset_t *mset, uint64_t docs);

/* ---- Interface to code in searcher/match_plan.c ----------------------
 * What made a passage match, so that only those words are highlighted. */
typedef enum cs_plan_kind {
    CS_PLAN_TERMS,   /* any of stems[] (a word, its acronym form, a wildcard) */
    CS_PLAN_PHRASE,  /* children (TERMS) at consecutive positions */
    CS_PLAN_NEAR,    /* children (TERMS or PHRASE) within `window` positions */
    CS_PLAN_GROUP    /* AND / OR: the union of the children's matches */
} cs_plan_kind_t;

typedef struct cs_plan cs_plan_t;
struct cs_plan {
    cs_plan_kind_t kind;
    int *stems;             /* TERMS: indexes into the match set */
    size_t n_stems;
    cs_plan_t **children;   /* owned */
    size_t n_children;
    uint32_t window;        /* NEAR: all within this many positions, as Xapian */
};

/* A passage token as the plan sees it. */
typedef struct cs_plan_token {
    uint32_t position;
    int match;              /* index into the match set, or -1 */
} cs_plan_token_t;

cs_plan_t *_cs_plan_new(cs_plan_kind_t kind);   /* NULL when out of memory */
void _cs_plan_free(cs_plan_t *plan);            /* NULL is a no-op */
int _cs_plan_add_stem(cs_plan_t *plan, int match);          /* 0: out of memory */
/* Hand @child to @plan; on failure (0) @child is freed. */
int _cs_plan_add_child(cs_plan_t *plan, cs_plan_t *child);
/* Set marked[i] for each of the @n tokens that is part of a real match of
 * @plan.  Returns 1 when something matched, 0 when nothing, -1 when out of
 * memory. */
int _cs_plan_mark(const cs_plan_t *plan, const cs_plan_token_t *toks, size_t n,
                  unsigned char *marked);

/* ---- Interface to code in searcher/query_build.c --------------------- */

/* The bare words of a query, as exact terms in query order, for the
 * proximity boost (count < 2: no boost). */
typedef struct cs_proximity {
    char **words;
    size_t count;
} cs_proximity_t;

typedef struct cs_built_query {
    xc_query_t *query;      /* what must match */
    xc_query_t *relaxed;    /* any-word variant for the fallback, or NULL */
    cs_matchset_t matches;  /* the stems the query looks for, weighed */
    cs_plan_t *plan;        /* which of their occurrences count (highlights) */
    cs_proximity_t proximity;
    char *description;      /* the query in our own language, malloc'd */
    int positional;         /* holds a phrase or NEAR: counted exactly */
} cs_built_query_t;

/* Turn the parsed @tree into a Xapian query with the index's analyzer.
 * @any: bare words are optional.  On error the index's last error is set. */
cs_status_t _cs_query_build(cs_index_t *index, const cs_qnode_t *tree, int any,
                            cs_built_query_t *out);
void _cs_built_query_free(cs_built_query_t *built);

/* ---- Interface to code in searcher/search.c -------------------------- */

/* @query as the user wrote it, within the size limit, parsed (plain or
 * with the index's fields) and built, as cs_search() and the passage in
 * context both need it.  On error the index's last error and error offset
 * are set. */
cs_status_t _cs_query_prepare(cs_index_t *index, const char *query,
                              const cs_search_options_t *options, cs_built_query_t *built);

/* ---- Interface to code in searcher/snippet.c -------------------------- */

typedef struct cs_snippet {
    cs_buf_t text;          /* sanitized UTF-8 with "…" where cut */
    size_t *marks;          /* 2 per highlight: [start, end) in text */
    cs_span_t *highlights;  /* per highlight: range in the source file */
    cs_box_t *boxes;        /* per highlight: its PDF box (page 0: none) */
    size_t count, cap;
    unsigned char *found;   /* per match in the set: seen in the passage */
} cs_snippet_t;

/* Build the snippet of @rec: the window of about @window_words words that
 * holds the most and rarest real matches of @plan (NULL: every occurrence
 * of a stem in @matches counts).  Returns 0 when out of memory. */
int _cs_snippet_make(cs_analyzer_t *analyzer, const cs_matchset_t *matches,
                     const cs_plan_t *plan, const cs_passage_record_t *rec,
                     int window_words, cs_snippet_t *out);

void _cs_snippet_free(cs_snippet_t *snippet);

/* Append @len bytes of corpus text to @out as safe UTF-8: invalid bytes
 * become U+FFFD, control characters and white space runs one space. */
void _cs_append_sanitized(cs_buf_t *out, const char *text, size_t len);

CS_END_DECLS

#endif /* CS_SEARCH_PRIVATE_H */
